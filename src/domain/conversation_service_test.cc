// ConversationService (LIVE §2, §3, §5) against the in-memory stores and a
// fake clock.
#include "domain/conversation_service.h"

#include <gtest/gtest.h>

#include "domain/fake_clock.h"
#include "store/fake/fake_agent_store.h"
#include "store/fake/fake_channel_store.h"
#include "store/fake/fake_conversation_store.h"
#include "store/fake/fake_options_store.h"
#include "store/fake/fake_queue_store.h"
#include "store/fake/fake_tag_store.h"
#include "store/fake/fake_tenant_store.h"
#include "store/fake/fake_visitor_store.h"

namespace kefu::domain {
namespace {

RawField T(const std::string& s) { return RawField::Text(s); }

VisitorMessageInput Text(const std::string& msg_id, const std::string& msg = "hi") {
  VisitorMessageInput in;
  in.msg_id = T(msg_id);
  in.type = T("txt");
  in.msg = T(msg);
  return in;
}

class ConversationServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(tenants_.CreateTenant(1, "one", TimeZone{0}, 0).ok());
    ASSERT_TRUE(queues_.CreateQueue(1, "售前").ok());
    ASSERT_TRUE(queues_.CreateQueue(1, "售后").ok());
    ASSERT_TRUE(channels_.CreateChannel(1, store::ChannelFields{"web", "easemob", "webim", 2}, "key", "s").ok());
    ASSERT_TRUE(channels_.CreateChannel(1, store::ChannelFields{"api", "api", "app", std::nullopt}, "key2", "s").ok());
    visitor_ = Enter(1, "v-1", 101);
    clock_.AdvanceMillis(1764662400000 - clock_.NowMillis());
  }

  store::VisitorGrant Enter(int64_t channel, const std::string& id, int64_t chat_group) {
    store::Visitor v{id, 1, channel, "webim-visitor-" + id, "Lucy", false, "c-" + id, chat_group, 0, 0};
    EXPECT_TRUE(visitors_.EnterVisitor(v, false, "t-" + id, 1LL << 40, 0).ok());
    return store::VisitorGrant{1, TimeZone{0}, id, channel, chat_group, 1LL << 40};
  }

  store::fake::FakeTenantStore tenants_;
  store::fake::FakeAgentStore agents_{tenants_};
  store::fake::FakeQueueStore queues_{agents_};
  store::fake::FakeChannelStore channels_{queues_};
  store::fake::FakeOptionsStore options_{queues_};
  store::fake::FakeVisitorStore visitors_{tenants_};
  store::fake::FakeConversationStore conversations_{visitors_, agents_, queues_};
  store::fake::FakeTagStore tags_;
  FakeClock clock_;
  ConversationService service_{conversations_, visitors_, channels_, queues_, options_, tags_, clock_};
  store::VisitorGrant visitor_;
};

TEST_F(ConversationServiceTest, AFirstMessageOpensAWaitingSessionAndRendersItsItem) {
  auto sent = service_.SendFromVisitor(visitor_, Text("m-1"));
  ASSERT_TRUE(sent.ok()) << sent.status().detail();
  EXPECT_TRUE(sent->opened);
  EXPECT_EQ(sent->session.queue_id, 2) << "the channel's skill group";
  EXPECT_EQ(sent->session.created_at, 1764662400000);
  const store::SessionRow row = conversations_.HistoryRow(sent->session.session_id);
  EXPECT_EQ(row.state, store::SessionState::kWait);
  EXPECT_EQ(row.queue_id, 2);
  EXPECT_EQ(row.tech_channel_id, 1);
  EXPECT_EQ(row.created_at, 1764662400);
  EXPECT_NE(row.values.find("\"Lucy\""), std::string::npos);
  auto thread = service_.Thread(visitor_);
  ASSERT_TRUE(thread.ok());
  EXPECT_EQ(thread->visitor.last_seq, 1);
  EXPECT_EQ(thread->queue_position, 1);
}

TEST_F(ConversationServiceTest, TheSkillGroupFollowsLive3) {
  auto queue_of = [&](const store::VisitorGrant& v, VisitorMessageInput in) -> std::optional<int64_t> {
    auto sent = service_.SendFromVisitor(v, in);
    EXPECT_TRUE(sent.ok()) << sent.status().detail();
    return sent.ok() ? sent->session.queue_id : std::nullopt;
  };
  VisitorMessageInput named = Text("m");
  named.queue_name = T("售前");
  EXPECT_EQ(queue_of(visitor_, named), 1);
  const auto plain = Enter(2, "v-2", 102);
  EXPECT_EQ(queue_of(plain, Text("m")), std::nullopt);
  ASSERT_TRUE(options_.UpdateOptions(1, [](store::TenantOptions& o) { o.default_queue_id = 2; }).ok());
  const auto later = Enter(2, "v-3", 103);
  EXPECT_EQ(queue_of(later, Text("m")), 2);
  VisitorMessageInput unknown = Text("x");
  unknown.queue_id = RawField::Integer(9);
  EXPECT_EQ(service_.SendFromVisitor(Enter(2, "v-4", 104), unknown).status().code(), Code::kNoSuchResource);
}

TEST_F(ConversationServiceTest, BadMessagesAreRefusedBeforeTheStore) {
  conversations_.FailWith(Error(Code::kStoreUnavailable, "down"));
  VisitorMessageInput in = Text("m");
  in.type = T("img");
  EXPECT_EQ(service_.SendFromVisitor(visitor_, in).status().detail(), "type must be txt");
  EXPECT_EQ(service_.SendFromVisitor(visitor_, Text("")).status().detail(), "msgId must be a string of 1 to 128 characters");
  EXPECT_EQ(service_.SendFromVisitor(visitor_, Text("m", std::string(5001, 'x'))).status().detail(),
            "msg must be a string of 1 to 5000 characters");
  std::string five_thousand_chinese;
  for (int i = 0; i < 5000; ++i) five_thousand_chinese += "字";
  EXPECT_EQ(service_.SendFromVisitor(visitor_, Text("m", five_thousand_chinese)).status().code(),
            Code::kStoreUnavailable)
      << "5,000 characters (15,000 bytes) pass the checks";
  EXPECT_EQ(service_.VisitorMessages(visitor_, "-1", std::nullopt).status().code(), Code::kInvalidParam);
  EXPECT_EQ(service_.VisitorMessages(visitor_, std::nullopt, "101").status().code(), Code::kInvalidParam);
  conversations_.FailWith(Status::Ok());
  EXPECT_EQ(service_.CloseFromVisitor(visitor_).status().code(), Code::kNoSuchSession);
}

}  // namespace
}  // namespace kefu::domain
