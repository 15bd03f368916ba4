// TenantAdmin (the operators' commands) against the in-memory stores.
#include "domain/tenant_admin.h"

#include <gtest/gtest.h>

#include "common/crypto.h"
#include "domain/fake_clock.h"
#include "store/fake/fake_agent_store.h"
#include "store/fake/fake_tenant_store.h"

namespace kefu::domain {
namespace {

class TenantAdminTest : public ::testing::Test {
 protected:
  store::fake::FakeTenantStore tenants_;
  store::fake::FakeAgentStore agents_{tenants_};
  FakeClock clock_;
  TenantAdmin admin_{tenants_, agents_, clock_};
};

TEST_F(TenantAdminTest, CreatesATenantWithOnePair) {
  auto issued = admin_.CreateTenant("acme", std::nullopt, "UTC+8");
  ASSERT_TRUE(issued.ok()) << issued.status().detail();
  EXPECT_EQ(issued->tenant_id, 1);
  auto tenant = tenants_.FindTenant(1);
  ASSERT_TRUE(tenant.ok() && *tenant);
  EXPECT_EQ((*tenant)->zone.offset_seconds, 8 * 3600);
  EXPECT_EQ((*tenant)->created_at, clock_.NowSeconds());
  auto pair = tenants_.FindCredential(issued->client_id);
  ASSERT_TRUE(pair.ok() && *pair);
  EXPECT_EQ((*pair)->secret_hash, Sha256(issued->secret_id));  // only the digest is kept
}

TEST_F(TenantAdminTest, RefusesABadTenant) {
  EXPECT_EQ(admin_.CreateTenant("", std::nullopt, "UTC").status().code(), Code::kInvalidParam);
  EXPECT_EQ(admin_.CreateTenant("a", std::nullopt, "Mars").status().code(), Code::kInvalidParam);
  EXPECT_EQ(admin_.CreateTenant("a", 0, "UTC").status().code(), Code::kInvalidParam);
  EXPECT_EQ(admin_.CreateTenant("a", int64_t{1} << 31, "UTC").status().code(), Code::kInvalidParam);
  ASSERT_TRUE(admin_.CreateTenant("a", 7, "UTC").ok());
  auto taken = admin_.CreateTenant("b", 7, "UTC");
  EXPECT_EQ(taken.status().detail(), "tenant 7 already exists");
}

TEST_F(TenantAdminTest, RotatesAndRevokesPairs) {
  ASSERT_TRUE(admin_.CreateTenant("a", 1, "UTC").ok());
  EXPECT_EQ(admin_.AddCredential(2).status().code(), Code::kInvalidParam);  // no tenant 2
  auto second = admin_.AddCredential(1);
  ASSERT_TRUE(second.ok());
  ASSERT_TRUE(admin_.RevokeCredential(second->client_id).ok());
  EXPECT_TRUE(tenants_.FindCredential(second->client_id).value()->revoked);
  EXPECT_EQ(admin_.RevokeCredential("nobody").code(), Code::kInvalidParam);
  EXPECT_EQ(admin_.AddKnownCredential(1, second->client_id, "x").code(), Code::kInvalidParam);
}

TEST_F(TenantAdminTest, CustomRolesHaveNewNames) {
  ASSERT_TRUE(admin_.CreateTenant("a", 1, "UTC").ok());
  EXPECT_EQ(admin_.CreateRole(1, "admin", std::nullopt).status().code(), Code::kInvalidParam);
  EXPECT_EQ(admin_.CreateRole(2, "lead", std::nullopt).status().code(), Code::kInvalidParam);
  auto role = admin_.CreateRole(1, "lead", "team lead");
  ASSERT_TRUE(role.ok());
  EXPECT_EQ(role->id, store::kFirstCustomRoleId);
  EXPECT_EQ(role->created_at_millis, clock_.NowMillis());
  EXPECT_EQ(admin_.CreateRole(1, "lead", std::nullopt).status().detail(),
            "tenant 1 already has a role 'lead'");
}

}  // namespace
}  // namespace kefu::domain
