// AgentService's rules against the in-memory stores and a fake clock.
#include "domain/agent_service.h"

#include <gtest/gtest.h>

#include "common/limits.h"
#include "domain/fake_clock.h"
#include "store/fake/fake_agent_store.h"
#include "store/fake/fake_history_store.h"
#include "store/fake/fake_tenant_store.h"

namespace kefu::domain {
namespace {

// libsodium's floor: a hash in well under a millisecond.
constexpr PasswordHashParams kCheapHash{8, 1};

RawField T(const std::string& s) { return RawField::Text(s); }

AgentFields NewAgent(const std::string& username, int64_t role_id = store::kAgentRoleId) {
  AgentFields f;
  f.nicename = T("Nick");
  f.username = T(username);
  f.password = T("password1");
  f.role_id = RawField::Integer(role_id);
  return f;
}

AgentFields Named(const std::string& username) {
  AgentFields f;
  f.username = T(username);
  return f;
}

class AgentServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(tenants_.CreateTenant(1, "one", TimeZone{0}, 0).ok());
    ASSERT_TRUE(tenants_.CreateTenant(2, "two", TimeZone{0}, 0).ok());
  }

  store::Agent Get(const std::string& username) {
    auto found = agents_.FindAgentByUsername(username);
    EXPECT_TRUE(found.ok() && *found) << username;
    return found.ok() && *found ? **found : store::Agent{};
  }

  // A Processing session that agent `user_id` serves.
  void ServeInProcessing(store::TenantId tenant, const std::string& user_id) {
    store::SessionRow row;
    row.session_id = "s-" + user_id;
    row.state = store::SessionState::kProcessing;
    row.agent_ids = {user_id};
    ASSERT_TRUE(history_.ImportSessions(tenant, {row}, nullptr).ok());
  }

  store::fake::FakeTenantStore tenants_;
  store::fake::FakeHistoryStore history_;
  store::fake::FakeAgentStore agents_{tenants_, &history_};
  RoleService roles_{agents_};
  FakeClock clock_;
  AgentService service_{agents_, roles_, kCheapHash, 1, clock_};
};

TEST_F(AgentServiceTest, AddStoresTheAgentWithItsDefaults) {
  auto added = service_.Add(1, NewAgent("Ann@Example.com"));
  ASSERT_TRUE(added.ok()) << added.status().detail();
  store::Agent a = Get("ann@example.com");
  EXPECT_EQ(a.user_id, added->user_id);
  EXPECT_EQ(a.user_id.size(), 36u);
  EXPECT_EQ(a.tenant_id, 1);
  EXPECT_EQ(a.username, "Ann@Example.com");
  EXPECT_EQ(a.nicename, "Nick");
  EXPECT_EQ(a.role_id, store::kAgentRoleId);
  EXPECT_EQ(a.max_service_sessions, limits::kMaxServiceSessionDefault);
  EXPECT_TRUE(a.enabled);
  EXPECT_EQ(a.created_at, clock_.NowSeconds());
  EXPECT_EQ(a.updated_at, clock_.NowSeconds());
  EXPECT_TRUE(VerifyPassword("password1", a.password_hash));
}

TEST_F(AgentServiceTest, AddChecksTheFieldsInThePublishedOrder) {
  auto code = [&](const AgentFields& f) { return service_.Add(1, f).status().code(); };
  AgentFields f = NewAgent("not-an-email");
  f.nicename = RawField{};
  f.password = T("short");
  EXPECT_EQ(code(f), Code::kEmptyNicename);  // API_102 before the username
  f.nicename = T("Nick");
  EXPECT_EQ(code(f), Code::kInvalidParam);  // the username before the password
  f.username = T("a@example.com");
  EXPECT_EQ(code(f), Code::kBadPassword);  // API_108
  f.password = T("password1");
  f.role_id = RawField{};
  EXPECT_EQ(code(f), Code::kRoleMissing);  // API_106
  f.role_id = RawField::Integer(99);
  EXPECT_EQ(code(f), Code::kBadRole);  // API_107: no such role in this tenant
  f.role_id = RawField::Integer(store::kAgentRoleId);
  f.max_service_session_count = RawField::Integer(101);
  EXPECT_EQ(code(f), Code::kInvalidParam);
  f.max_service_session_count = RawField::Integer(3);
  f.true_name = RawField::Other();
  EXPECT_EQ(code(f), Code::kInvalidParam);
  f.true_name = T("Ann");
  ASSERT_EQ(code(f), Code::kOk);
  EXPECT_EQ(Get("a@example.com").max_service_sessions, 3);
  EXPECT_EQ(Get("a@example.com").true_name, "Ann");
}

TEST_F(AgentServiceTest, AddTakesOnlyTheTenantsOwnCustomRoles) {
  store::CustomRole role;
  role.name = "supervisor";
  auto mine = agents_.CreateCustomRole(1, role);
  auto theirs = agents_.CreateCustomRole(2, role);
  ASSERT_TRUE(mine.ok() && theirs.ok());
  EXPECT_EQ(service_.Add(1, NewAgent("a@example.com", theirs->id)).status().code(), Code::kBadRole);
  auto added = service_.Add(1, NewAgent("a@example.com", mine->id));
  ASSERT_TRUE(added.ok());
  EXPECT_EQ(added->custom_role_name, "supervisor");
  EXPECT_EQ(Get("a@example.com").custom_role_name, "supervisor");
}

TEST_F(AgentServiceTest, UsernamesAreUniqueWithoutCaseAcrossTenants) {
  ASSERT_TRUE(service_.Add(1, NewAgent("Ann@Example.com")).ok());
  EXPECT_EQ(service_.Add(1, NewAgent("ann@example.com")).status().code(), Code::kUsernameTaken);
  EXPECT_EQ(service_.Add(2, NewAgent("ANN@EXAMPLE.COM")).status().code(), Code::kUsernameTaken);
}

TEST_F(AgentServiceTest, ChangesNameTheAgentOfThisTenant) {
  ASSERT_TRUE(service_.Add(2, NewAgent("other@example.com")).ok());
  for (auto change : {+[](AgentService& s, const AgentFields& f) { return s.Update(1, f); },
                      +[](AgentService& s, const AgentFields& f) { return s.ChangePassword(1, f); },
                      +[](AgentService& s, const AgentFields& f) { return s.Delete(1, f.username); },
                      +[](AgentService& s, const AgentFields& f) {
                        return s.SetEnabled(1, f.username, false);
                      }}) {
    AgentFields f = NewAgent("x@example.com");
    f.username = RawField{};
    EXPECT_EQ(change(service_, f).code(), Code::kInvalidParam);  // API_001: no username
    f.username = T("nobody@example.com");
    EXPECT_EQ(change(service_, f).code(), Code::kNoSuchAgent);  // API_104
    f.username = T("Other@example.com");
    EXPECT_EQ(change(service_, f).code(), Code::kForeignAgent);  // API_105
  }
}

TEST_F(AgentServiceTest, UpdateChangesOnlyTheGivenFields) {
  AgentFields add = NewAgent("a@example.com");
  add.true_name = T("Ann");
  add.mobile_phone = T("123");
  ASSERT_TRUE(service_.Add(1, add).ok());
  const store::Agent before = Get("a@example.com");
  clock_.AdvanceSeconds(60);

  AgentFields f = Named("A@example.com");
  f.nicename = T("Annie");
  f.mobile_phone = RawField::Integer(13800000000);
  f.max_service_session_count = T("0");
  ASSERT_TRUE(service_.Update(1, f).ok());
  store::Agent after = Get("a@example.com");
  EXPECT_EQ(after.nicename, "Annie");
  EXPECT_EQ(after.mobile_phone, "13800000000");
  EXPECT_EQ(after.max_service_sessions, 0);
  EXPECT_EQ(after.true_name, "Ann");
  EXPECT_EQ(after.password_hash, before.password_hash);
  EXPECT_EQ(after.created_at, before.created_at);
  EXPECT_EQ(after.updated_at, before.updated_at + 60);
}

TEST_F(AgentServiceTest, UpdateValidatesWhatIsGiven) {
  ASSERT_TRUE(service_.Add(1, NewAgent("a@example.com")).ok());
  AgentFields f = Named("a@example.com");
  f.nicename = T("");
  EXPECT_EQ(service_.Update(1, f).code(), Code::kEmptyNicename);
  f = Named("a@example.com");
  f.role_id = RawField::Integer(42);
  EXPECT_EQ(service_.Update(1, f).code(), Code::kBadRole);
  f = Named("a@example.com");
  f.max_service_session_count = RawField::Integer(-1);
  EXPECT_EQ(service_.Update(1, f).code(), Code::kInvalidParam);
  f = Named("a@example.com");
  f.agent_number = RawField::Other();
  EXPECT_EQ(service_.Update(1, f).code(), Code::kInvalidParam);
}

TEST_F(AgentServiceTest, TheLastEnabledAdminStays) {
  ASSERT_TRUE(service_.Add(1, NewAgent("boss@example.com", store::kAdminRoleId)).ok());
  AgentFields demote = Named("boss@example.com");
  demote.role_id = RawField::Integer(store::kAgentRoleId);
  EXPECT_EQ(service_.Update(1, demote).code(), Code::kLastAdmin);  // API_109
  EXPECT_EQ(service_.SetEnabled(1, T("boss@example.com"), false).code(), Code::kLastAdmin);
  EXPECT_EQ(service_.Delete(1, T("boss@example.com")).code(), Code::kLastAdmin);
  EXPECT_EQ(Get("boss@example.com").role_id, store::kAdminRoleId);

  // An admin of another tenant does not count; a second one here does.
  ASSERT_TRUE(service_.Add(2, NewAgent("far@example.com", store::kAdminRoleId)).ok());
  EXPECT_EQ(service_.Update(1, demote).code(), Code::kLastAdmin);
  ASSERT_TRUE(service_.Add(1, NewAgent("deputy@example.com", store::kAdminRoleId)).ok());
  EXPECT_TRUE(service_.Update(1, demote).ok());
  EXPECT_EQ(service_.Delete(1, T("deputy@example.com")).code(), Code::kLastAdmin);
}

TEST_F(AgentServiceTest, ADisabledAdminDoesNotCount) {
  ASSERT_TRUE(service_.Add(1, NewAgent("boss@example.com", store::kAdminRoleId)).ok());
  ASSERT_TRUE(service_.Add(1, NewAgent("deputy@example.com", store::kAdminRoleId)).ok());
  ASSERT_TRUE(service_.SetEnabled(1, T("deputy@example.com"), false).ok());
  EXPECT_EQ(service_.Delete(1, T("boss@example.com")).code(), Code::kLastAdmin);
  // The disabled admin itself may go.
  EXPECT_TRUE(service_.Delete(1, T("deputy@example.com")).ok());
}

TEST_F(AgentServiceTest, ChangePasswordStoresANewHash) {
  ASSERT_TRUE(service_.Add(1, NewAgent("a@example.com")).ok());
  clock_.AdvanceSeconds(5);
  AgentFields f = Named("a@example.com");
  f.password = T("short");
  EXPECT_EQ(service_.ChangePassword(1, f).code(), Code::kBadPassword);  // API_108
  f.password = T("another-secret");
  ASSERT_TRUE(service_.ChangePassword(1, f).ok());
  store::Agent a = Get("a@example.com");
  EXPECT_TRUE(VerifyPassword("another-secret", a.password_hash));
  EXPECT_FALSE(VerifyPassword("password1", a.password_hash));
  EXPECT_EQ(a.updated_at, a.created_at + 5);
}

TEST_F(AgentServiceTest, DeleteRemovesTheAgentUnlessItServesASession) {
  auto busy = service_.Add(1, NewAgent("busy@example.com"));
  ASSERT_TRUE(busy.ok() && service_.Add(1, NewAgent("idle@example.com")).ok());
  ServeInProcessing(1, busy->user_id);
  EXPECT_EQ(service_.Delete(1, T("busy@example.com")).code(), Code::kAgentBusy);  // API_110
  EXPECT_TRUE(service_.Delete(1, T("idle@example.com")).ok());
  EXPECT_EQ(service_.Delete(1, T("idle@example.com")).code(), Code::kNoSuchAgent);
  auto gone = agents_.FindAgentByUsername("idle@example.com");
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(*gone);
}

TEST_F(AgentServiceTest, DisableTakesTheAgentOfflineAndRepeats) {
  ASSERT_TRUE(service_.Add(1, NewAgent("a@example.com")).ok());
  ASSERT_TRUE(agents_.ModifyAgent(1, Get("a@example.com").user_id,
                                  [](store::Agent& a) { a.state = "Online"; }).ok());
  clock_.AdvanceSeconds(1);
  ASSERT_TRUE(service_.SetEnabled(1, T("a@example.com"), false).ok());
  EXPECT_TRUE(service_.SetEnabled(1, T("a@example.com"), false).ok());
  store::Agent a = Get("a@example.com");
  EXPECT_FALSE(a.enabled);
  EXPECT_EQ(a.state, "Offline");
  EXPECT_EQ(a.updated_at, clock_.NowSeconds());
  ASSERT_TRUE(service_.SetEnabled(1, T("a@example.com"), true).ok());
  EXPECT_TRUE(Get("a@example.com").enabled);
}

TEST_F(AgentServiceTest, SearchPagesTheTenantsAgentsInCreationOrder) {
  for (const char* name : {"c@example.com", "a@example.com", "b@example.com"}) {
    ASSERT_TRUE(service_.Add(1, NewAgent(name)).ok());
    clock_.AdvanceSeconds(1);
  }
  ASSERT_TRUE(service_.Add(2, NewAgent("z@example.com")).ok());
  const int64_t version = tenants_.AgentsVersion(1);
  auto page = service_.Search(1, version, "0", "2", std::nullopt);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->agents.size(), 2u);
  EXPECT_EQ(page->agents[0].username, "c@example.com");
  EXPECT_EQ(page->agents[1].username, "a@example.com");
  EXPECT_EQ(page->page.total_elements, 3);
  EXPECT_EQ(page->page.total_pages, 2);

  auto found = service_.Search(1, version, std::nullopt, std::nullopt, "B@EXAMPLE");
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->agents.size(), 1u);
  EXPECT_EQ(found->agents[0].username, "b@example.com");
  EXPECT_EQ(service_.Search(1, version, "-1", std::nullopt, std::nullopt).status().code(),
            Code::kPageIndex);
}

TEST_F(AgentServiceTest, EveryChangeMovesTheAgentsVersion) {
  int64_t version = tenants_.AgentsVersion(1);
  ASSERT_TRUE(service_.Add(1, NewAgent("a@example.com")).ok());
  EXPECT_GT(tenants_.AgentsVersion(1), version);
  version = tenants_.AgentsVersion(1);
  AgentFields f = Named("a@example.com");
  f.nicename = T("Other");
  ASSERT_TRUE(service_.Update(1, f).ok());
  EXPECT_GT(tenants_.AgentsVersion(1), version);
  version = tenants_.AgentsVersion(1);
  ASSERT_TRUE(service_.Delete(1, T("a@example.com")).ok());
  EXPECT_GT(tenants_.AgentsVersion(1), version);
  EXPECT_EQ(tenants_.AgentsVersion(2), 0);
}

TEST_F(AgentServiceTest, AStoreFailurePassesThrough) {
  ASSERT_TRUE(service_.Add(1, NewAgent("a@example.com")).ok());
  agents_.FailWith(Error(Code::kStoreUnavailable, "gone"));
  EXPECT_EQ(service_.Add(1, NewAgent("b@example.com")).status().code(), Code::kStoreUnavailable);
  EXPECT_EQ(service_.Delete(1, T("a@example.com")).code(), Code::kStoreUnavailable);
  agents_.FailWith(Status::Ok());
  EXPECT_TRUE(service_.Delete(1, T("a@example.com")).ok());
}

}  // namespace
}  // namespace kefu::domain
