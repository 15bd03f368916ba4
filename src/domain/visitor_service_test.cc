// VisitorService (LIVE §5) against the in-memory stores and a fake clock.
#include "domain/visitor_service.h"

#include <gtest/gtest.h>

#include "common/crypto.h"
#include "domain/fake_clock.h"
#include "store/fake/fake_agent_store.h"
#include "store/fake/fake_channel_store.h"
#include "store/fake/fake_queue_store.h"
#include "store/fake/fake_tenant_store.h"
#include "store/fake/fake_visitor_store.h"

namespace kefu::domain {
namespace {

constexpr int64_t kTtl = 3600;

class VisitorServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(InitCrypto());
    ASSERT_TRUE(tenants_.CreateTenant(1, "one", TimeZone{28800}, 0).ok());
    ASSERT_TRUE(tenants_.CreateTenant(2, "two", TimeZone{0}, 0).ok());
    const store::ChannelFields web{"web", "easemob", "webim", std::nullopt};
    ASSERT_TRUE(channels_.CreateChannel(1, web, "key-1", "secret-1").ok());
    ASSERT_TRUE(channels_.CreateChannel(1, web, "key-2", "secret-2").ok());
    ASSERT_TRUE(channels_.CreateChannel(2, web, "key-3", "secret-3").ok());
  }

  static VisitorEntry Entry(const char* key, RawField token = {}, RawField username = {}, RawField signature = {},
                            RawField nicename = {}) {
    return VisitorEntry{RawField::Text(key), std::move(token), std::move(username), std::move(nicename),
                        std::move(signature)};
  }
  static RawField T(const std::string& s) { return RawField::Text(s); }

  store::fake::FakeTenantStore tenants_;
  store::fake::FakeAgentStore agents_{tenants_};
  store::fake::FakeQueueStore queues_{agents_};
  store::fake::FakeChannelStore channels_{queues_};
  store::fake::FakeVisitorStore visitors_{tenants_};
  FakeClock clock_;
  VisitorService service_{channels_, visitors_, kTtl, clock_};
};

TEST_F(VisitorServiceTest, AnAnonymousVisitorGetsATokenForItsOwnThread) {
  auto a = service_.Enter("1", Entry("key-1"));
  ASSERT_TRUE(a.ok()) << a.status().detail();
  EXPECT_EQ(a->token.size(), 32u);
  EXPECT_EQ(a->expire_seconds, kTtl);
  EXPECT_EQ(a->visitor.username.rfind("webim-visitor-", 0), 0u) << a->visitor.username;
  EXPECT_EQ(a->visitor.nicename, a->visitor.username);
  EXPECT_FALSE(a->visitor.identified);
  EXPECT_GT(a->visitor.chat_group_id, 0);
  auto grant = service_.Authenticate(a->token);
  ASSERT_TRUE(grant.ok());
  EXPECT_EQ(grant->user_id, a->visitor.user_id);
  EXPECT_EQ(grant->chat_group_id, a->visitor.chat_group_id);
  EXPECT_EQ(grant->zone.offset_seconds, 28800);
  auto b = service_.Enter("1", Entry("key-1"));
  ASSERT_TRUE(b.ok());
  EXPECT_NE(b->visitor.user_id, a->visitor.user_id);
  EXPECT_NE(b->visitor.chat_group_id, a->visitor.chat_group_id);
}

TEST_F(VisitorServiceTest, AStillValidTokenKeepsItsVisitorOnItsChannelOnly) {
  auto a = service_.Enter("1", Entry("key-1", {}, {}, {}, T("Lucy")));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->visitor.nicename, "Lucy");
  clock_.AdvanceSeconds(kTtl - 1);
  auto again = service_.Enter("1", Entry("key-1", T(a->token)));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->token, a->token);
  EXPECT_EQ(again->visitor.user_id, a->visitor.user_id);
  clock_.AdvanceSeconds(kTtl - 1);
  EXPECT_TRUE(service_.Authenticate(a->token).ok()) << "the entry renewed its lifetime";
  // On another channel, or another tenant's, the token makes a new visitor.
  auto elsewhere = service_.Enter("1", Entry("key-2", T(a->token)));
  ASSERT_TRUE(elsewhere.ok());
  EXPECT_NE(elsewhere->visitor.user_id, a->visitor.user_id);
  clock_.AdvanceSeconds(kTtl);
  EXPECT_EQ(service_.Authenticate(a->token).status().code(), Code::kBadToken);
  auto expired = service_.Enter("1", Entry("key-1", T(a->token)));
  ASSERT_TRUE(expired.ok());
  EXPECT_NE(expired->visitor.user_id, a->visitor.user_id);
  EXPECT_NE(expired->token, a->token);
}

TEST_F(VisitorServiceTest, ASignedUsernameIsTheSameVisitorFromAnyDevice) {
  const std::string sig = IdentitySignature("secret-1", "crm-42");
  EXPECT_EQ(sig, ToHex(HmacSha256("secret-1", "crm-42")));
  auto first = service_.Enter("1", Entry("key-1", {}, T("crm-42"), T(sig), T("张先生")));
  ASSERT_TRUE(first.ok()) << first.status().detail();
  EXPECT_TRUE(first->visitor.identified);
  EXPECT_EQ(first->visitor.username, "crm-42");
  EXPECT_EQ(first->visitor.nicename, "张先生");
  // Upper-case hex signs as well; no nicename keeps the one it has.
  std::string upper = sig;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto second = service_.Enter("1", Entry("key-1", {}, T("crm-42"), T(upper)));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->visitor.user_id, first->visitor.user_id);
  EXPECT_EQ(second->visitor.nicename, "张先生");
  EXPECT_NE(second->token, first->token);
  EXPECT_TRUE(service_.Authenticate(first->token).ok()) << "each device keeps its token";
  // The same username on another channel is another visitor.
  auto other = service_.Enter("1", Entry("key-2", {}, T("crm-42"), T(IdentitySignature("secret-2", "crm-42"))));
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->visitor.user_id, first->visitor.user_id);
}

TEST_F(VisitorServiceTest, ABadSignatureOrKeyChangesNothing) {
  const std::string sig = IdentitySignature("secret-1", "crm-42");
  for (const RawField& bad : {RawField{}, T(""), T("zz"), T(sig.substr(1)), T(IdentitySignature("secret-2", "crm-42")),
                              T(IdentitySignature("secret-1", "crm-43"))}) {
    auto r = service_.Enter("1", Entry("key-1", {}, T("crm-42"), bad));
    EXPECT_EQ(r.status().code(), Code::kBadToken) << bad.text;
  }
  EXPECT_EQ(service_.Enter("1", Entry("key-3")).status().code(), Code::kNoSuchResource) << "another tenant's channel";
  EXPECT_EQ(service_.Enter("2", Entry("key-1")).status().code(), Code::kNoSuchResource);
  EXPECT_EQ(service_.Enter("x", Entry("key-1")).status().code(), Code::kNoSuchResource);
  EXPECT_EQ(service_.Enter("1", Entry("key-9")).status().code(), Code::kNoSuchResource);
  EXPECT_EQ(service_.Enter("1", VisitorEntry{}).status().code(), Code::kInvalidParam);
  EXPECT_EQ(service_.Enter("1", Entry("key-1", RawField::Integer(1))).status().code(), Code::kInvalidParam);
  EXPECT_EQ(service_.Enter("1", Entry("key-1", {}, T(""), T(sig))).status().code(), Code::kInvalidParam);
  EXPECT_EQ(service_.Enter("1", Entry("key-1", {}, T(std::string(101, 'u')), T(sig))).status().code(),
            Code::kInvalidParam);
  EXPECT_EQ(service_.Enter("1", Entry("key-1", {}, {}, {}, RawField::Integer(3))).status().code(), Code::kInvalidParam);
  for (const char* token : {"", "short", "0123456789abcdef0123456789abcdeX"}) {
    EXPECT_EQ(service_.Authenticate(std::string_view(token)).status().code(), Code::kBadToken);
  }
  EXPECT_EQ(service_.Authenticate(std::nullopt).status().code(), Code::kBadToken);
}

}  // namespace
}  // namespace kefu::domain
