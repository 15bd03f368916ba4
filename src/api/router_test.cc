#include "api/router.h"

#include <gtest/gtest.h>

namespace kefu::api {
namespace {

TEST(MatchRouteTest, BothPrefixesAndTokenAlias) {
  for (const char* path : {"/api/tenants/1/agents", "/api/platform/tenants/1/agents",
                           "/api/tenants/1/agents/"}) {
    auto m = MatchRoute(path);
    ASSERT_TRUE(m) << path;
    EXPECT_EQ(m->endpoint, Endpoint::kAgents);
    EXPECT_EQ(m->tenant, "1");
  }
  EXPECT_EQ(MatchRoute("/api/tenant/7/accessToken")->endpoint, Endpoint::kAccessToken);
  EXPECT_EQ(MatchRoute("/api/tenant/7/accessToken")->tenant, "7");
  EXPECT_FALSE(MatchRoute("/api/tenant/7/agents"));  // the alias is for the token only
}

TEST(MatchRouteTest, EveryEndpoint) {
  EXPECT_EQ(MatchRoute("/api/tenants/1/agent")->endpoint, Endpoint::kAgent);
  EXPECT_EQ(MatchRoute("/api/tenants/1/agent/password")->endpoint, Endpoint::kAgentPassword);
  EXPECT_EQ(MatchRoute("/api/tenants/1/agent/disable")->endpoint, Endpoint::kAgentDisable);
  EXPECT_EQ(MatchRoute("/api/tenants/1/agent/enable")->endpoint, Endpoint::kAgentEnable);
  EXPECT_EQ(MatchRoute("/api/tenants/1/roles")->endpoint, Endpoint::kRoles);
  EXPECT_EQ(MatchRoute("/api/platform/tenants/1/accessToken")->endpoint, Endpoint::kAccessToken);
  EXPECT_EQ(MatchRoute("/healthz")->endpoint, Endpoint::kHealth);
  EXPECT_EQ(MatchRoute("/api/tenants/1/agents")->endpoint, Endpoint::kAgents);
  EXPECT_EQ(MatchRoute("/api/tenants/1/accessToken")->endpoint, Endpoint::kAccessToken);
  for (const char* path : {"/api/tenants/1/serviceSessionHistorys", "/api/platform/tenants/1/serviceSessionHistorys/"}) {
    ASSERT_TRUE(MatchRoute(path)) << path;
    EXPECT_EQ(MatchRoute(path)->endpoint, Endpoint::kHistory) << path;
    EXPECT_EQ(MatchRoute(path)->tenant, "1") << path;
  }
  for (const char* path : {"/api/tenants/1/serviceSessionHistorys/import",
                           "/api/platform/tenants/1/serviceSessionHistorys/import/"}) {
    ASSERT_TRUE(MatchRoute(path)) << path;
    EXPECT_EQ(MatchRoute(path)->endpoint, Endpoint::kHistoryImport) << path;
    EXPECT_EQ(MatchRoute(path)->tenant, "1") << path;
  }
}

TEST(MatchRouteTest, KeepsOddTenantSegmentsForTheTenantCheck) {
  EXPECT_EQ(MatchRoute("/api/tenants/abc/roles")->tenant, "abc");
}

TEST(MatchRouteTest, Unknown) {
  for (const char* path : {"/", "", "/api", "/api/tenants/1", "/api/tenants//agents",
                           "/api/tenants/1/agentz", "/api/tenants/1/agent/password/x",
                           "/API/tenants/1/agents"}) {
    EXPECT_FALSE(MatchRoute(path)) << path;
  }
}

TEST(AllowedMethodsTest, AgentPathTakesThree) {
  EXPECT_STREQ(AllowedMethods(Endpoint::kAgent), "POST, PUT, DELETE");
  EXPECT_STREQ(AllowedMethods(Endpoint::kAgents), "GET");
}

}  // namespace
}  // namespace kefu::api
