// AgentLoginService (LIVE §4) against the in-memory stores and a fake clock.
#include "domain/agent_login_service.h"

#include <gtest/gtest.h>

#include "common/crypto.h"
#include "domain/agent_service.h"
#include "domain/fake_clock.h"
#include "domain/roles.h"
#include "store/fake/fake_agent_store.h"
#include "store/fake/fake_options_store.h"
#include "store/fake/fake_queue_store.h"
#include "store/fake/fake_tenant_store.h"

namespace kefu::domain {
namespace {

constexpr int64_t kTtl = 3600;
constexpr PasswordHashParams kCheapHash{8, 1};

RawField T(const std::string& s) { return RawField::Text(s); }

LoginRequest Pair(const std::string& username, const std::string& password, RawField state = {}) {
  return LoginRequest{T(username), T(password), std::move(state)};
}

class AgentLoginServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(tenants_.CreateTenant(1, "one", TimeZone{8 * 3600}, 0).ok());
    Add("ann@example.com", "password1");
    Add("bob@example.com", "password2");
  }

  void Add(const std::string& username, const std::string& password, int64_t role_id = store::kAgentRoleId) {
    AgentFields f;
    f.nicename = T("Nick");
    f.username = T(username);
    f.password = T(password);
    f.role_id = RawField::Integer(role_id);
    ASSERT_TRUE(agents_service_.Add(1, f).ok());
  }

  store::Agent Get(const std::string& username) {
    auto found = agents_.FindAgentByUsername(username);
    EXPECT_TRUE(found.ok() && *found) << username;
    return found.ok() && *found ? **found : store::Agent{};
  }

  std::string LoginAnn() {
    auto login = service_.Login(Pair("ann@example.com", "password1"));
    EXPECT_TRUE(login.ok()) << login.status().detail();
    return login.ok() ? login->token : "";
  }

  store::fake::FakeTenantStore tenants_;
  store::fake::FakeAgentStore agents_{tenants_};
  RoleService roles_{agents_};
  FakeClock clock_;
  AgentService agents_service_{agents_, roles_, kCheapHash, 1, clock_};
  store::fake::FakeQueueStore queues_{agents_};
  store::fake::FakeOptionsStore options_{queues_};
  AgentLoginService service_{agents_, options_, kTtl, clock_};
};

TEST_F(AgentLoginServiceTest, LoginGivesATokenAndSetsTheStateOnline) {
  auto login = service_.Login(Pair("ANN@example.com", "password1"));
  ASSERT_TRUE(login.ok()) << login.status().detail();
  EXPECT_EQ(login->token.size(), 32u);
  EXPECT_EQ(login->expire_seconds, kTtl);
  EXPECT_EQ(login->agent.username, "ann@example.com");
  EXPECT_EQ(login->agent.state, "Online");
  EXPECT_EQ(login->grant.zone.offset_seconds, 8 * 3600);
  EXPECT_EQ(Get("ann@example.com").state, "Online");
  auto grant = service_.Authenticate(login->token);
  ASSERT_TRUE(grant.ok());
  EXPECT_EQ(grant->tenant_id, 1);
  EXPECT_EQ(grant->user_id, login->agent.user_id);
  // The state asked for at login.
  auto busy = service_.Login(Pair("bob@example.com", "password2", T("Busy")));
  ASSERT_TRUE(busy.ok());
  EXPECT_EQ(Get("bob@example.com").state, "Busy");
}

TEST_F(AgentLoginServiceTest, AWrongPairAndADisabledAgentAreRefusedAlike) {
  for (auto [user, password] : {std::pair{"ann@example.com", "wrong"}, {"nobody@example.com", "password1"},
                                {"ann@example.com", ""}}) {
    EXPECT_EQ(service_.Login(Pair(user, password)).status().code(), Code::kBadLogin) << user << " " << password;
  }
  ASSERT_TRUE(agents_service_.SetEnabled(1, T("ann@example.com"), false).ok());
  EXPECT_EQ(service_.Login(Pair("ann@example.com", "password1")).status().code(), Code::kBadLogin);
  EXPECT_EQ(Get("ann@example.com").state, "Offline") << "a refused login changes nothing";
}

TEST_F(AgentLoginServiceTest, TheBodyIsCheckedFirst) {
  EXPECT_EQ(service_.Login(LoginRequest{RawField{}, T("x"), {}}).status().code(), Code::kInvalidParam);
  EXPECT_EQ(service_.Login(LoginRequest{T("ann@example.com"), RawField::Integer(1), {}}).status().code(),
            Code::kInvalidParam);
  for (const char* state : {"Offline", "online", ""}) {
    EXPECT_EQ(service_.Login(Pair("ann@example.com", "password1", T(state))).status().code(), Code::kInvalidParam)
        << state;
  }
  EXPECT_EQ(service_.Login(Error(Code::kInvalidParam, "not JSON")).status().code(), Code::kInvalidParam);
}

TEST_F(AgentLoginServiceTest, TokensExpireAndEndAtLogout) {
  const std::string token = LoginAnn();
  clock_.AdvanceSeconds(kTtl - 1);
  ASSERT_TRUE(service_.Authenticate(token).ok());
  clock_.AdvanceSeconds(1);
  EXPECT_EQ(service_.Authenticate(token).status().code(), Code::kBadToken);

  const std::string again = LoginAnn();
  auto grant = service_.Authenticate(again);
  ASSERT_TRUE(grant.ok());
  ASSERT_TRUE(service_.Logout(again, *grant).ok());
  EXPECT_EQ(service_.Authenticate(again).status().code(), Code::kBadToken);
  EXPECT_EQ(Get("ann@example.com").state, "Offline");
  for (const char* bad : {"", "0123", "0123456789abcdef0123456789abcdef"}) {
    EXPECT_EQ(service_.Authenticate(std::string_view(bad)).status().code(), Code::kBadToken) << bad;
  }
  EXPECT_EQ(service_.Authenticate(std::nullopt).status().code(), Code::kBadToken);
}

TEST_F(AgentLoginServiceTest, APasswordChangeADisableAndADeleteEndTheTokens) {
  const std::string token = LoginAnn();
  AgentFields new_password;
  new_password.username = T("ann@example.com");
  new_password.password = T("password3");
  ASSERT_TRUE(agents_service_.ChangePassword(1, new_password).ok());
  EXPECT_EQ(service_.Authenticate(token).status().code(), Code::kBadToken);

  auto relogin = service_.Login(Pair("ann@example.com", "password3"));
  ASSERT_TRUE(relogin.ok());
  ASSERT_TRUE(agents_service_.SetEnabled(1, T("ann@example.com"), false).ok());
  EXPECT_EQ(service_.Authenticate(relogin->token).status().code(), Code::kBadToken);
  // Enabled again, the old token stays dead.
  ASSERT_TRUE(agents_service_.SetEnabled(1, T("ann@example.com"), true).ok());
  EXPECT_EQ(service_.Authenticate(relogin->token).status().code(), Code::kBadToken);

  auto bob = service_.Login(Pair("bob@example.com", "password2"));
  ASSERT_TRUE(bob.ok());
  ASSERT_TRUE(agents_service_.Delete(1, T("bob@example.com")).ok());
  EXPECT_EQ(service_.Authenticate(bob->token).status().code(), Code::kBadToken);
  // Other changes leave tokens alone.
  auto kept = service_.Login(Pair("ann@example.com", "password3"));
  ASSERT_TRUE(kept.ok());
  AgentFields renamed;
  renamed.username = T("ann@example.com");
  renamed.nicename = T("Ann");
  ASSERT_TRUE(agents_service_.Update(1, renamed).ok());
  EXPECT_TRUE(service_.Authenticate(kept->token).ok());
}

TEST_F(AgentLoginServiceTest, TheAgentSetsItsOwnStateButNotOffline) {
  const std::string token = LoginAnn();
  auto grant = service_.Authenticate(token);
  ASSERT_TRUE(grant.ok());
  const int64_t updated = Get("ann@example.com").updated_at;
  for (const char* state : {"Busy", "Leave", "Hidden", "Online"}) {
    auto me = service_.UpdateMe(*grant, MeUpdate{T(state)});
    ASSERT_TRUE(me.ok()) << state;
    EXPECT_EQ(me->state, state);
    EXPECT_EQ(Get("ann@example.com").state, state);
  }
  EXPECT_EQ(Get("ann@example.com").updated_at, updated) << "presence is not a profile change";
  EXPECT_EQ(service_.UpdateMe(*grant, MeUpdate{T("Offline")}).status().code(), Code::kInvalidParam);
  EXPECT_EQ(service_.UpdateMe(*grant, MeUpdate{RawField::Integer(1)}).status().code(), Code::kInvalidParam);
  EXPECT_EQ(Get("ann@example.com").state, "Online");
  // Nothing given: the agent as it is.
  auto same = service_.UpdateMe(*grant, MeUpdate{});
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->state, "Online");
}

TEST_F(AgentLoginServiceTest, AnAgentSetsItsOwnCapacityWhereItsTenantAllows) {
  const std::string token = LoginAnn();
  auto grant = service_.Authenticate(token);
  ASSERT_TRUE(grant.ok());
  const int64_t updated = Get("ann@example.com").updated_at;
  clock_.AdvanceSeconds(5);
  auto me = service_.UpdateMe(*grant, MeUpdate{T("Busy"), RawField::Integer(3)});
  ASSERT_TRUE(me.ok()) << me.status().detail();
  EXPECT_EQ(me->state, "Busy");
  EXPECT_EQ(me->max_service_sessions, 3);
  EXPECT_EQ(me->updated_at, updated + 5) << "a capacity is a profile change";
  // The published update's range; a bad capacity changes the state neither.
  for (const RawField& bad : {RawField::Integer(-1), RawField::Integer(101), RawField::Text("x"), RawField::Boolean(true)}) {
    EXPECT_EQ(service_.UpdateMe(*grant, MeUpdate{T("Online"), bad}).status().code(), Code::kInvalidParam);
  }
  EXPECT_EQ(Get("ann@example.com").state, "Busy");
  ASSERT_TRUE(options_.UpdateOptions(1, [](store::TenantOptions& o) { o.agents_set_own_capacity = false; }).ok());
  auto refused = service_.UpdateMe(*grant, MeUpdate{T("Online"), RawField::Integer(5)});
  EXPECT_EQ(refused.status().code(), Code::kInvalidParam);
  EXPECT_EQ(refused.status().detail(), "the tenant's agentsSetOwnCapacity is off: an admin sets maxServiceSessionCount");
  EXPECT_EQ(Get("ann@example.com").max_service_sessions, 3);
  EXPECT_EQ(Get("ann@example.com").state, "Busy");
  EXPECT_TRUE(service_.UpdateMe(*grant, MeUpdate{T("Online")}).ok()) << "the state alone is still the agent's";
}

TEST_F(AgentLoginServiceTest, AnAdminAgentsTokenServesAsItsTenantsToken) {
  Add("boss@example.com", "password9", store::kAdminRoleId);
  Add("boss2@example.com", "password9", store::kAdminRoleId);
  auto boss = service_.Login(Pair("boss@example.com", "password9"));
  ASSERT_TRUE(boss.ok());
  auto grant = service_.AuthenticateAdmin(boss->token, "1");
  ASSERT_TRUE(grant.ok()) << grant.status().detail();
  EXPECT_EQ(grant->tenant_id, 1);
  EXPECT_EQ(grant->zone.offset_seconds, 8 * 3600);
  EXPECT_EQ(grant->agents_version, tenants_.AgentsVersion(1));
  EXPECT_EQ(service_.AuthenticateAdmin(boss->token, "2").status().code(), Code::kWrongTenant);
  EXPECT_EQ(service_.AuthenticateAdmin(boss->token, "x").status().code(), Code::kWrongTenant);
  // An agent that is not an admin: API_002; and an admin made an agent stops at once.
  EXPECT_EQ(service_.AuthenticateAdmin(LoginAnn(), "1").status().code(), Code::kBadToken);
  AgentFields demoted;
  demoted.username = T("boss@example.com");
  demoted.role_id = RawField::Integer(store::kAgentRoleId);
  ASSERT_TRUE(agents_service_.Update(1, demoted).ok());
  EXPECT_EQ(service_.AuthenticateAdmin(boss->token, "1").status().code(), Code::kBadToken);
  EXPECT_TRUE(service_.Authenticate(boss->token).ok()) << "still an agent's token";
}

}  // namespace
}  // namespace kefu::domain
