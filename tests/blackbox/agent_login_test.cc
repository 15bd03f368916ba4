// Agents at work (LIVE §4): login with the agent's own password, the
// Agent-Token on the agent endpoints, the state the agent sets shown live by
// the published agent search, and every way a token ends.
#include "harness.h"

namespace bb {
namespace {

constexpr const char* kAnn = "ann@example.com";
constexpr const char* kAnnPassword = "password123";  // AddAgent's default

std::string LoginBody(const std::string& username, const std::string& password, const std::string& extra = "") {
  return "{\"username\":" + S(username) + ",\"password\":" + S(password) + extra + "}";
}

class AgentLoginTest : public DemoTest {
 protected:
  void SetUp() override {
    DemoTest::SetUp();
    MustAddAgent(1, DemoToken(), kAnn);
  }

  Response Login(const std::string& username, const std::string& password, const std::string& extra = "") {
    return http().Request("POST", "/api/agent/login", LoginBody(username, password, extra));
  }
  // Logs in and returns the Agent-Token (asserting success).
  std::string LoginToken(const std::string& username = kAnn, const std::string& password = kAnnPassword) {
    Response r = Login(username, password);
    EXPECT_TRUE(IsOk(r)) << Describe(r);
    auto d = ParseJson(r.body);
    if (d.HasParseError() || !d.IsObject() || !d.HasMember("entity")) return "";
    return d["entity"]["agentToken"].GetString();
  }
  Response AsAgent(std::string_view method, std::string_view target, const std::string& token,
                   std::string_view body = {}) {
    return http().Request(method, target, body, {{"Agent-Token", token}});
  }
  // The state the published agent search shows for `username`.
  std::string PublishedState(const std::string& username) {
    auto json = FindAgentJson(1, DemoToken(), username);
    if (!json) return "(no such agent)";
    auto a = ParseJson(*json);
    EXPECT_EQ(std::string(a["onLineState"].GetString()), a["state"].GetString());
    EXPECT_EQ(std::string(a["currentOnLineState"].GetString()), a["state"].GetString());
    return a["state"].GetString();
  }
};

TEST_F(AgentLoginTest, LoginAnswersATokenAndTheAgentNowOnline) {
  ASSERT_EQ(PublishedState(kAnn), "Offline");
  Response r = Login("ANN@Example.com", kAnnPassword);  // usernames without case, as everywhere
  ASSERT_TRUE(IsOk(r)) << Describe(r);
  EXPECT_EQ(r.Header("Cache-Control"), "no-store");
  auto d = ParseJson(r.body);
  EXPECT_EQ(Keys(d), (std::vector<std::string>{"status", "entity"}));
  const auto& e = d["entity"];
  EXPECT_EQ(Keys(e), (std::vector<std::string>{"agentToken", "expireTime", "agent"}));
  EXPECT_TRUE(MatchesRegex(e["agentToken"].GetString(), "^[0-9a-f]{32}$"));
  EXPECT_EQ(e["expireTime"].GetInt64(), 12 * 3600);
  EXPECT_TRUE(IsAgentObject(e["agent"]));
  EXPECT_STREQ(e["agent"]["username"].GetString(), kAnn);
  EXPECT_STREQ(e["agent"]["state"].GetString(), "Online");
  EXPECT_EQ(PublishedState(kAnn), "Online");

  const std::string token = e["agentToken"].GetString();
  Response me = AsAgent("GET", "/api/agent/me", token);
  ASSERT_TRUE(IsOk(me)) << Describe(me);
  auto m = ParseJson(me.body);
  EXPECT_EQ(Keys(m), (std::vector<std::string>{"status", "entity"}));
  EXPECT_TRUE(IsAgentObject(m["entity"]));
  EXPECT_EQ(Compact(m["entity"]), Compact(e["agent"]));
  // The token is stored only as a digest.
  EXPECT_EQ(StoreBytes().find(token), std::string::npos);
}

TEST_F(AgentLoginTest, AWrongPairAnUnknownAgentAndADisabledOneAreRefusedAlikeChangingNothing) {
  MustAddAgent(1, DemoToken(), "off@example.com");
  ASSERT_TRUE(IsBareOk(Call("PUT", "/api/tenants/1/agent/disable", R"({"username":"off@example.com"})", DemoToken())));
  const std::string before = Snap();
  const std::pair<std::string, std::string> refused[] = {
      {kAnn, "wrong-password"}, {"nobody@example.com", kAnnPassword}, {"off@example.com", kAnnPassword}, {kAnn, ""}};
  for (const auto& [user, password] : refused) {
    Response r = Login(user, password);
    EXPECT_TRUE(IsError(r, 401, "API_204")) << user << " / " << password << ": " << Describe(r);
  }
  EXPECT_TRUE(SameSnapshot(before, Snap()));
  EXPECT_EQ(PublishedState(kAnn), "Offline");
}

TEST_F(AgentLoginTest, BadBodiesAreApi001ChangingNothing) {
  const std::string before = Snap();
  for (const std::string& body :
       {std::string("not json"), std::string("[]"), std::string(R"({"password":"password123"})"),
        std::string(R"({"username":"ann@example.com"})"), std::string(R"({"username":1,"password":"password123"})"),
        LoginBody(kAnn, kAnnPassword, R"(,"state":"Offline")"), LoginBody(kAnn, kAnnPassword, R"(,"state":7)")}) {
    Response r = http().Request("POST", "/api/agent/login", body);
    EXPECT_TRUE(IsError(r, 400, "API_001")) << body << ": " << Describe(r);
  }
  EXPECT_TRUE(SameSnapshot(before, Snap()));
}

TEST_F(AgentLoginTest, TheAgentSetsItsStateAndTheSearchShowsIt) {
  const std::string token = LoginToken();
  for (const char* state : {"Busy", "Leave", "Hidden", "Online"}) {
    Response r = AsAgent("PUT", "/api/agent/me", token, std::string("{\"state\":\"") + state + "\"}");
    ASSERT_TRUE(IsOk(r)) << Describe(r);
    EXPECT_STREQ(ParseJson(r.body)["entity"]["state"].GetString(), state);
    EXPECT_EQ(PublishedState(kAnn), state);
  }
  const std::string before = Snap();
  for (const char* body : {R"({"state":"Offline"})", R"({"state":"busy"})", R"({"state":null,"x":1})", "[]"}) {
    Response r = AsAgent("PUT", "/api/agent/me", token, body);
    if (std::string(body).find("null") != std::string::npos) {
      EXPECT_TRUE(IsOk(r)) << body;  // nothing given: nothing changes
    } else {
      EXPECT_TRUE(IsError(r, 400, "API_001")) << body << ": " << Describe(r);
    }
  }
  EXPECT_TRUE(SameSnapshot(before, Snap()));
  // Logout: the token ends and the agent is Offline.
  EXPECT_TRUE(IsBareOk(AsAgent("POST", "/api/agent/logout", token)));
  EXPECT_EQ(PublishedState(kAnn), "Offline");
  EXPECT_TRUE(IsError(AsAgent("GET", "/api/agent/me", token), 401, "API_002"));
  EXPECT_TRUE(IsError(AsAgent("POST", "/api/agent/logout", token), 401, "API_002"));
}

TEST_F(AgentLoginTest, APasswordChangeADisableAndADeleteEndTheToken) {
  std::string token = LoginToken();
  ASSERT_TRUE(IsBareOk(Call("PUT", "/api/tenants/1/agent/password",
                            R"({"username":"ann@example.com","password":"another-secret"})", DemoToken())));
  EXPECT_TRUE(IsError(AsAgent("GET", "/api/agent/me", token), 401, "API_002"));
  EXPECT_TRUE(IsError(Login(kAnn, kAnnPassword), 401, "API_204")) << "the old password";

  token = LoginToken(kAnn, "another-secret");
  ASSERT_TRUE(IsBareOk(Call("PUT", "/api/tenants/1/agent/disable", R"({"username":"ann@example.com"})", DemoToken())));
  EXPECT_TRUE(IsError(AsAgent("GET", "/api/agent/me", token), 401, "API_002"));
  ASSERT_TRUE(IsBareOk(Call("PUT", "/api/tenants/1/agent/enable", R"({"username":"ann@example.com"})", DemoToken())));
  EXPECT_TRUE(IsError(AsAgent("GET", "/api/agent/me", token), 401, "API_002")) << "enabled again, still dead";

  token = LoginToken(kAnn, "another-secret");
  // Another change of the agent leaves the token alone.
  ASSERT_TRUE(IsBareOk(Call("PUT", "/api/tenants/1/agent", R"({"username":"ann@example.com","nicename":"Ann"})",
                            DemoToken())));
  ASSERT_TRUE(IsOk(AsAgent("GET", "/api/agent/me", token)));
  ASSERT_TRUE(IsBareOk(Call("DELETE", "/api/tenants/1/agent", R"({"username":"ann@example.com"})", DemoToken())));
  EXPECT_TRUE(IsError(AsAgent("GET", "/api/agent/me", token), 401, "API_002"));
}

TEST_F(AgentLoginTest, AgentEndpointsTakeOnlyALiveAgentToken) {
  const std::string before = Snap();
  for (const Headers& h : {Headers{}, Headers{{"Agent-Token", "short"}},
                           Headers{{"Agent-Token", "0123456789abcdef0123456789abcdef"}},
                           Headers{{"Kefu-Token", DemoToken()}}}) {
    EXPECT_TRUE(IsError(http().Request("GET", "/api/agent/me", {}, h), 401, "API_002"));
    // A body with a bad token is refused before it is read.
    EXPECT_TRUE(IsError(http().Request("PUT", "/api/agent/me", R"({"state":"Busy"})", h), 401, "API_002"));
  }
  EXPECT_TRUE(SameSnapshot(before, Snap()));
  // An agent token is no tenant token.
  const std::string token = LoginToken();
  EXPECT_TRUE(IsError(Call("GET", "/api/tenants/1/roles", {}, token), 401, "API_002"));
}

TEST_F(AgentLoginTest, FailedLoginsAreThrottledPerUsernameAndAddress) {
  server_.Stop();
  StartServer({"--token-failures-per-client", "3"});
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(IsError(Login(kAnn, "wrong-password"), 401, "API_204")) << i;
  Response r = Login(kAnn, kAnnPassword);
  EXPECT_TRUE(IsError(r, 429, "API_429")) << "even the right password, while guessing is cut off: " << Describe(r);
  EXPECT_FALSE(r.Header("Retry-After").empty());
  // Another agent's login from the same address is not held up.
  MustAddAgent(1, DemoToken(), "bob@example.com");
  EXPECT_TRUE(IsOk(Login("bob@example.com", kAnnPassword)));
}

TEST_F(AgentLoginTest, ATokenEndsAtItsLifetime) {
  server_.Stop();
  StartServer({"--agent-session-ttl", "1"});
  Response r = Login(kAnn, kAnnPassword);
  ASSERT_TRUE(IsOk(r));
  auto d = ParseJson(r.body);
  EXPECT_EQ(d["entity"]["expireTime"].GetInt64(), 1);
  const std::string token = d["entity"]["agentToken"].GetString();
  // Within ten times its lifetime it is refused (one second is the product's setting here).
  Response me;
  for (int i = 0; i < 100; ++i) {
    me = AsAgent("GET", "/api/agent/me", token);
    if (me.status == 401) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(IsError(me, 401, "API_002"));
}

TEST_F(AgentLoginTest, AnAdminAgentsTokenAnswersThePublishedEndpointsAsTheTenantsToken) {
  const std::string admin = LoginToken(kDemoAdmin, kDemoAdminPassword);
  for (const char* target : {"/api/tenants/1/agents?size=50", "/api/platform/tenants/1/roles",
                             "/api/tenants/1/serviceSessionHistorys?page=1&per_page=5"}) {
    Response by_tenant = Get(target, DemoToken());
    Response by_admin = http().Request("GET", target, {}, {{"Agent-Token", admin}});
    ASSERT_TRUE(IsOk(by_admin)) << target << ": " << Describe(by_admin);
    EXPECT_EQ(by_admin.body, by_tenant.body) << target;
  }
  // Writes too.
  Response added = http().Request("POST", "/api/tenants/1/agent",
                                  R"({"nicename":"C","username":"cat@example.com","password":"password123","roleId":2})",
                                  {{"Agent-Token", admin}});
  ASSERT_TRUE(IsOk(added)) << Describe(added);
  EXPECT_TRUE(FindAgentJson(1, DemoToken(), "cat@example.com").has_value());

  // Another tenant's path: API_003. An agent that is not an admin: API_002.
  // Neither changes anything.
  CreateTenant("other");
  const std::string ann = LoginToken();
  const std::string before = Snap();
  EXPECT_TRUE(IsError(http().Request("GET", "/api/tenants/2/roles", {}, {{"Agent-Token", admin}}), 403, "API_003"));
  EXPECT_TRUE(IsError(http().Request("GET", "/api/tenants/1/roles", {}, {{"Agent-Token", ann}}), 401, "API_002"));
  EXPECT_TRUE(IsError(http().Request("PUT", "/api/tenants/1/agent/disable", R"({"username":"cat@example.com"})",
                                     {{"Agent-Token", ann}}),
                      401, "API_002"));
  EXPECT_TRUE(SameSnapshot(before, Snap()));
  // With both headers the Kefu-Token is the one checked.
  EXPECT_TRUE(IsOk(http().Request("GET", "/api/tenants/1/roles", {},
                                  {{"Kefu-Token", DemoToken()}, {"Agent-Token", "not-a-token"}})));
  // An admin made an agent loses the tenant's endpoints at once.
  ASSERT_TRUE(IsBareOk(Call("PUT", "/api/tenants/1/agent", R"({"username":"cat@example.com","roleId":1})", DemoToken())));
  Response cat = Login("cat@example.com", "password123");
  ASSERT_TRUE(IsOk(cat));
  const std::string cat_token = ParseJson(cat.body)["entity"]["agentToken"].GetString();
  ASSERT_TRUE(IsOk(http().Request("GET", "/api/tenants/1/roles", {}, {{"Agent-Token", cat_token}})));
  ASSERT_TRUE(IsBareOk(Call("PUT", "/api/tenants/1/agent", R"({"username":"cat@example.com","roleId":2})", DemoToken())));
  EXPECT_TRUE(IsError(http().Request("GET", "/api/tenants/1/roles", {}, {{"Agent-Token", cat_token}}), 401, "API_002"));
}

}  // namespace
}  // namespace bb
