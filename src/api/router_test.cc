// The route table's matching, alone (PathMatcher) and over kefu's own table.
#include <gtest/gtest.h>

#include <set>

#include "api/handlers.h"
#include "api/route_table.h"

namespace kefu::api {
namespace {

PathMatcher KefuMatcher() {
  std::vector<std::pair<std::string_view, std::string_view>> patterns;
  for (const auto& r : Routes()) patterns.emplace_back(r.method, r.pattern);
  return PathMatcher(patterns, ApiPathAliases());
}

// The pattern of the route `method path` matches, "" if none.
std::string PatternOf(std::string_view method, std::string_view path) {
  auto found = KefuMatcher().Match(method, path);
  return found.route < 0 ? "" : std::string(Routes()[found.route].pattern);
}

TEST(RoutesTest, BothPrefixesAndTokenAlias) {
  for (const char* path : {"/api/tenants/1/agents", "/api/platform/tenants/1/agents", "/api/tenants/1/agents/"}) {
    auto found = KefuMatcher().Match("GET", path);
    ASSERT_GE(found.route, 0) << path;
    EXPECT_EQ(Routes()[found.route].handler, &SearchAgents);
    EXPECT_EQ(ParamOf(found.params, "tenantId"), "1");
  }
  auto token = KefuMatcher().Match("POST", "/api/tenant/7/accessToken");
  ASSERT_GE(token.route, 0);
  EXPECT_EQ(Routes()[token.route].handler, &IssueToken);
  EXPECT_EQ(ParamOf(token.params, "tenantId"), "7");
  EXPECT_EQ(PatternOf("GET", "/api/tenant/7/agents"), "");  // the alias is for the token only
}

TEST(RoutesTest, EveryEndpoint) {
  const std::pair<const char*, const char*> cases[] = {
      {"POST", "/api/tenants/1/agent"},
      {"PUT", "/api/tenants/1/agent"},
      {"DELETE", "/api/tenants/1/agent"},
      {"PUT", "/api/tenants/1/agent/password"},
      {"PUT", "/api/tenants/1/agent/disable"},
      {"PUT", "/api/tenants/1/agent/enable"},
      {"GET", "/api/tenants/1/roles"},
      {"GET", "/api/tenants/1/agents"},
      {"POST", "/api/platform/tenants/1/accessToken"},
      {"GET", "/api/tenants/1/serviceSessionHistorys"},
      {"POST", "/api/tenants/1/serviceSessionHistorys/import"},
      {"GET", "/healthz"},
      {"POST", "/api/agent/login"},
      {"POST", "/api/agent/logout"},
      {"GET", "/api/agent/me"},
      {"PUT", "/api/agent/me"},
      {"GET", "/api/tenants/1/queues"},
      {"POST", "/api/tenants/1/queues"},
      {"PUT", "/api/tenants/1/queues/7"},
      {"DELETE", "/api/tenants/1/queues/7"},
      {"PUT", "/api/tenants/1/queues/7/members"},
      {"GET", "/api/tenants/1/channels"},
      {"POST", "/api/tenants/1/channels"},
      {"PUT", "/api/tenants/1/channels/3"},
      {"DELETE", "/api/tenants/1/channels/3"},
      {"POST", "/api/tenants/1/channels/3/secret"},
      {"GET", "/api/tenants/1/options"},
      {"PUT", "/api/tenants/1/options"},
      {"POST", "/api/visitor/tenants/1/visitors"},
      {"GET", "/api/visitor/session"},
      {"POST", "/api/visitor/messages"},
      {"GET", "/api/visitor/messages"},
      {"POST", "/api/visitor/session/close"},
      {"GET", "/api/agent/waiting"},
      {"POST", "/api/agent/waiting/s-1/accept"},
      {"GET", "/api/agent/sessions"},
      {"GET", "/api/agent/sessions/s-1/messages"},
      {"POST", "/api/agent/sessions/s-1/messages"},
      {"POST", "/api/agent/sessions/s-1/read"},
      {"POST", "/api/agent/sessions/s-1/transfer"},
      {"POST", "/api/agent/sessions/s-1/close"},
      {"POST", "/api/agent/callbacks"},
      {"PUT", "/api/agent/sessions/s-1/summaries"},
      {"PUT", "/api/agent/sessions/s-1/comment"},
      {"POST", "/api/agent/sessions/s-1/enquiryInvite"},
      {"POST", "/api/visitor/session/enquiry"},
      {"GET", "/api/visitor/enquiryTags"},
      {"POST", "/api/tenants/1/serviceSessionCurrents/s-1/assign"},
      {"POST", "/api/tenants/1/serviceSessionCurrents/s-1/abort"},
      {"POST", "/api/tenants/1/serviceSessionCurrents/s-1/close"},
      {"GET", "/api/tenants/1/agents/states"},
      {"GET", "/api/tenants/1/serviceSessionCurrents"},
      {"POST", "/api/tenants/1/visitors/sessions"},
      {"GET", "/api/tenants/1/summaries"},
      {"POST", "/api/tenants/1/summaries"},
      {"PUT", "/api/tenants/1/summaries/5"},
      {"DELETE", "/api/tenants/1/summaries/5"},
      {"GET", "/api/tenants/1/enquiryTags"},
      {"POST", "/api/tenants/1/enquiryTags"},
      {"PUT", "/api/tenants/1/enquiryTags/5"},
      {"DELETE", "/api/tenants/1/enquiryTags/5"},
      {"GET", "/api/tenants/1/serviceSessionHistorys/s-1/messages"},
  };
  std::set<int> seen;
  for (const auto& [method, path] : cases) {
    auto found = KefuMatcher().Match(method, path);
    ASSERT_GE(found.route, 0) << method << " " << path;
    EXPECT_EQ(Routes()[found.route].method, method);
    seen.insert(found.route);
  }
  // Each case reaches its own route; the rest are the singular token path
  // and the static files' GET and HEAD.
  EXPECT_EQ(seen.size(), std::size(cases));
  EXPECT_EQ(seen.size() + 3, Routes().size());
}

TEST(RoutesTest, OnlyTheHistoryQueryAndImportCountTowardTheHeavyCap) {
  std::set<std::string> heavy;
  for (const auto& r : Routes()) {
    if (r.heavy) heavy.insert(std::string(r.method) + " " + std::string(r.pattern));
  }
  EXPECT_EQ(heavy, (std::set<std::string>{"GET /api/tenants/{tenantId}/serviceSessionHistorys",
                                          "POST /api/tenants/{tenantId}/serviceSessionHistorys/import"}));
}

TEST(RoutesTest, HistoryAndImportOnBothPrefixesWithATrailingSlash) {
  for (const char* path : {"/api/tenants/1/serviceSessionHistorys", "/api/platform/tenants/1/serviceSessionHistorys/"}) {
    auto found = KefuMatcher().Match("GET", path);
    ASSERT_GE(found.route, 0) << path;
    EXPECT_EQ(Routes()[found.route].handler, &QueryHistory) << path;
    EXPECT_EQ(ParamOf(found.params, "tenantId"), "1") << path;
  }
  for (const char* path : {"/api/tenants/1/serviceSessionHistorys/import",
                           "/api/platform/tenants/1/serviceSessionHistorys/import/"}) {
    auto found = KefuMatcher().Match("POST", path);
    ASSERT_GE(found.route, 0) << path;
    EXPECT_EQ(Routes()[found.route].handler, &ImportHistory) << path;
    EXPECT_EQ(ParamOf(found.params, "tenantId"), "1") << path;
  }
}

TEST(RoutesTest, KeepsOddTenantSegmentsForTheTenantCheck) {
  EXPECT_EQ(ParamOf(KefuMatcher().Match("GET", "/api/tenants/abc/roles").params, "tenantId"), "abc");
}

TEST(RoutesTest, Unknown) {
  for (const char* path : {"/", "", "/api", "/api/tenants/1", "/api/tenants//agents", "/api/tenants/1/agentz",
                           "/api/tenants/1/agent/password/x", "/API/tenants/1/agents", "/healthz/x"}) {
    auto found = KefuMatcher().Match("GET", path);
    EXPECT_LT(found.route, 0) << path;
    EXPECT_EQ(found.allow, "") << path;
  }
}

TEST(RoutesTest, AllowListsEveryMethodOfThePathInTableOrder) {
  auto found = KefuMatcher().Match("GET", "/api/tenants/1/agent");
  EXPECT_LT(found.route, 0);
  EXPECT_EQ(found.allow, "POST, PUT, DELETE");
  EXPECT_EQ(KefuMatcher().Match("POST", "/api/tenants/1/agents").allow, "GET");
}

TEST(RoutesTest, EveryRouteIsDescribed) {
  for (const auto& r : Routes()) {
    EXPECT_FALSE(r.summary.empty()) << r.method << " " << r.pattern;
    EXPECT_FALSE(r.answer_schema.empty()) << r.method << " " << r.pattern;
    EXPECT_NE(r.handler, nullptr) << r.method << " " << r.pattern;
  }
}

TEST(PathMatcherTest, NamedAndRestParameters) {
  PathMatcher m({{"GET", "/a/{x}/b/{y}"}, {"GET", "/files/{path...}"}, {"PUT", "/a/{x}/b/{y}"}}, {});
  auto two = m.Match("GET", "/a/1/b/two");
  ASSERT_EQ(two.route, 0);
  EXPECT_EQ(ParamOf(two.params, "x"), "1");
  EXPECT_EQ(ParamOf(two.params, "y"), "two");
  EXPECT_EQ(two.allow, "GET, PUT");
  auto rest = m.Match("GET", "/files/css/site.css");
  ASSERT_EQ(rest.route, 1);
  EXPECT_EQ(ParamOf(rest.params, "path"), "css/site.css");
  EXPECT_LT(m.Match("GET", "/files").route, 0);   // the rest takes one segment or more
  EXPECT_LT(m.Match("GET", "/files/").route, 0);  // a trailing slash is ignored: still none
  EXPECT_LT(m.Match("GET", "/a//b/2").route, 0);  // an empty segment is no parameter
}

TEST(PathMatcherTest, AliasAnswersAsItsTarget) {
  PathMatcher m({{"GET", "/api/tenants/{t}/x"}}, {{"/api/platform/tenants/", "/api/tenants/"}});
  EXPECT_EQ(ParamOf(m.Match("GET", "/api/platform/tenants/9/x").params, "t"), "9");
  EXPECT_LT(m.Match("GET", "/api/platform/x").route, 0);
}

}  // namespace
}  // namespace kefu::api
