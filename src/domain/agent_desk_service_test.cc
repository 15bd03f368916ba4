// AgentDeskService (LIVE §3 by hand, §5, §7) against the in-memory stores.
#include "domain/agent_desk_service.h"

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

using store::SessionState;

class AgentDeskServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(tenants_.CreateTenant(1, "one", TimeZone{0}, 0).ok());
    for (const char* name : {"ann", "bob"}) {
      store::Agent a;
      a.user_id = std::string("u-") + name;
      a.tenant_id = 1;
      a.username = std::string(name) + "@x.com";
      a.nicename = name;
      ASSERT_TRUE(agents_.InsertAgent(a).ok());
    }
    ASSERT_TRUE(queues_.CreateQueue(1, "售前").ok());
    ASSERT_TRUE(queues_.SetQueueMembers(1, 1, {"u-ann"}).ok());
    ASSERT_TRUE(channels_.CreateChannel(1, store::ChannelFields{"web", "easemob", "webim", 1}, "key", "s").ok());
  }

  // A visitor that wrote once: its session id.
  std::string WaitingSession(const std::string& id) {
    store::Visitor v{id, 1, 1, "webim-visitor-" + id, "Lucy", false, "c-" + id, next_group_, 0, 0};
    EXPECT_TRUE(visitors_.EnterVisitor(v, false, "t-" + id, 1LL << 40, 0).ok());
    const store::VisitorGrant grant{1, TimeZone{0}, id, 1, next_group_++, 1LL << 40};
    VisitorMessageInput in;
    in.msg_id = RawField::Text("m");
    in.type = RawField::Text("txt");
    in.msg = RawField::Text("hi");
    auto sent = conversations_.SendFromVisitor(grant, in);
    EXPECT_TRUE(sent.ok());
    return sent.ok() ? sent->session.session_id : "";
  }

  static store::AgentTokenGrant Agent(const char* user_id, int64_t role = store::kAgentRoleId) {
    store::AgentTokenGrant g;
    g.tenant_id = 1;
    g.user_id = user_id;
    g.role_id = role;
    return g;
  }

  store::fake::FakeTenantStore tenants_;
  store::fake::FakeAgentStore agents_{tenants_};
  store::fake::FakeQueueStore queues_{agents_};
  store::fake::FakeChannelStore channels_{queues_};
  store::fake::FakeOptionsStore options_{queues_};
  store::fake::FakeVisitorStore visitors_{tenants_};
  store::fake::FakeConversationStore store_{visitors_, agents_, queues_};
  store::fake::FakeTagStore tags_;
  FakeClock clock_;
  ConversationService conversations_{store_, visitors_, channels_, queues_, options_, tags_, clock_};
  AgentDeskService desk_{store_, visitors_, channels_, queues_, tags_, clock_};
  int64_t next_group_ = 100;
};

TEST_F(AgentDeskServiceTest, AcceptAssignsOnceAndNamesTheAgentInTheItem) {
  const std::string sid = WaitingSession("v-1");
  EXPECT_EQ(desk_.Accept(Agent("u-bob"), sid).status().code(), Code::kNotYourSession) << "not in skill group 1";
  auto taken = desk_.Accept(Agent("u-ann"), sid);
  ASSERT_TRUE(taken.ok()) << taken.status().detail();
  EXPECT_EQ(taken->session.state, SessionState::kProcessing);
  EXPECT_EQ(taken->session.agent_user_set, std::vector<std::string>{"u-ann"});
  EXPECT_NE(taken->values.find("\"ann@x.com\""), std::string::npos) << "the item names the agent";
  EXPECT_EQ(store_.HistoryRow(sid).values, taken->values);
  EXPECT_EQ(desk_.Accept(Agent("u-ann"), sid).status().code(), Code::kSessionState);
  EXPECT_EQ(desk_.Accept(Agent("u-ann"), "nope").status().code(), Code::kNoSuchSession);
  store::AgentTokenGrant elsewhere = Agent("u-ann");
  elsewhere.tenant_id = 2;
  EXPECT_EQ(desk_.Accept(elsewhere, sid).status().code(), Code::kNoSuchSession) << "another tenant's";
}

TEST_F(AgentDeskServiceTest, ReadMarksNeverMoveBackNorPastTheLastMessage) {
  const std::string sid = WaitingSession("v-1");
  ASSERT_TRUE(desk_.Accept(Agent("u-ann"), sid).ok());
  auto read = desk_.Read(Agent("u-ann"), sid, RawField::Integer(99));
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(store_.FindSession(1, sid).value()->agent_read_seq, 1);
  ASSERT_TRUE(desk_.Read(Agent("u-ann"), sid, RawField::Integer(0)).ok());
  EXPECT_EQ(store_.FindSession(1, sid).value()->agent_read_seq, 1);
  EXPECT_EQ(desk_.Read(Agent("u-bob"), sid, RawField::Integer(1)).status().code(), Code::kNotYourSession);
}

TEST_F(AgentDeskServiceTest, WaitingListsTheAgentsSkillGroupsAndThoseOfNone) {
  const std::string in_group = WaitingSession("v-1");
  ASSERT_TRUE(channels_.UpdateChannel(1, 1, store::ChannelFields{"web", "easemob", "webim", std::nullopt}).ok());
  clock_.AdvanceMillis(1000);  // it enters later
  const std::string no_group = WaitingSession("v-2");
  auto ann = desk_.Waiting(Agent("u-ann"), std::nullopt, std::nullopt, std::nullopt);
  ASSERT_TRUE(ann.ok());
  EXPECT_EQ(ann->total, 2);
  auto bob = desk_.Waiting(Agent("u-bob"), std::nullopt, std::nullopt, std::nullopt);
  ASSERT_TRUE(bob.ok());
  ASSERT_EQ(bob->total, 1);
  EXPECT_EQ(bob->items[0].session.session_id, no_group);
  auto page2 = desk_.Waiting(Agent("u-ann"), std::nullopt, "2", "1");
  ASSERT_TRUE(page2.ok());
  EXPECT_EQ(page2->total, 2);
  ASSERT_EQ(page2->items.size(), 1u);
  EXPECT_EQ(page2->items[0].session.session_id, no_group) << "first in, first out";
  auto only1 = desk_.Waiting(Agent("u-ann"), "1", std::nullopt, std::nullopt);
  ASSERT_TRUE(only1.ok());
  ASSERT_EQ(only1->items.size(), 1u);
  EXPECT_EQ(only1->items[0].session.session_id, in_group);
}

}  // namespace
}  // namespace kefu::domain
