// PUT .../agent: the published example, partial updates, errors, last admin.
#include "harness.h"

namespace bb {
namespace {

class UpdateDemoTest : public DemoTest {};

TEST_F(UpdateDemoTest, PublishedExample) {
  auto before = ParseJson(*FindAgentJson(1, DemoToken(), kDemoAdmin));
  auto r = Call("PUT", "/api/tenants/1/agent", R"({
"nicename":"环环",
"username":"32273591@qq.com",
"trueName":"小环",
"mobilePhone":"",
"agentNumber":"",
"roleId":1,
"maxServiceSessionCount":null
})",
                DemoToken());
  EXPECT_TRUE(IsBareOk(r));
  auto after_s = FindAgentJson(1, DemoToken(), kDemoAdmin);
  ASSERT_TRUE(after_s.has_value());
  auto after = ParseJson(*after_s);
  EXPECT_TRUE(IsAgentObject(after));
  EXPECT_STREQ(after["nicename"].GetString(), "环环");
  EXPECT_STREQ(after["trueName"].GetString(), "小环");
  EXPECT_STREQ(after["mobilePhone"].GetString(), "");
  EXPECT_STREQ(after["agentNumber"].GetString(), "");
  EXPECT_STREQ(after["roles"].GetString(), "admin,agent");
  EXPECT_EQ(after["maxServiceSessionCount"].GetInt(), before["maxServiceSessionCount"].GetInt());
  EXPECT_STREQ(after["createDateTime"].GetString(), "2018-06-10 14:19:41");
  EXPECT_STREQ(after["userId"].GetString(), before["userId"].GetString());
  EXPECT_STREQ(after["status"].GetString(), before["status"].GetString());
  // lastUpdateDateTime moved to now (tenant zone UTC+8).
  EXPECT_LE(std::llabs(ParseDateTime(after["lastUpdateDateTime"].GetString()) -
                       ParseDateTime(NowInZone(8))),
            10);
}

TEST_F(UpdateDemoTest, PlatformPrefixAndTrailingSlash) {
  EXPECT_TRUE(IsBareOk(Call("PUT", "/api/platform/tenants/1/agent",
                            R"({"username":"32273591@qq.com","nicename":"p1"})", DemoToken())));
  EXPECT_TRUE(IsBareOk(Call("PUT", "/api/tenants/1/agent/",
                            R"({"username":"32273591@qq.com","trueName":"p2"})", DemoToken())));
  auto a = ParseJson(*FindAgentJson(1, DemoToken(), kDemoAdmin));
  EXPECT_STREQ(a["nicename"].GetString(), "p1");
  EXPECT_STREQ(a["trueName"].GetString(), "p2");
}

class UpdateTest : public KefuTest {
 protected:
  void SetUp() override {
    KefuTest::SetUp();
    t_ = CreateTenant("upd");
    StartServer();
    tok_ = IssueToken(t_);
    MustAddAgent(t_.id, tok_, "Boss@Example.com", 1);
    MustAddAgent(t_.id, tok_, "worker@example.com", 2,
                 R"("nicename":"w","trueName":"Worker One","mobilePhone":"13800000001","agentNumber":"W-1","maxServiceSessionCount":12)");
  }
  std::string P() { return "/api/tenants/" + std::to_string(t_.id) + "/agent"; }
  Response Put(const std::string& body) { return Call("PUT", P(), body, tok_); }
  rapidjson::Document Agent(const std::string& u) {
    auto s = FindAgentJson(t_.id, tok_, u);
    rapidjson::Document d;
    if (!s) {
      ADD_FAILURE() << "agent " << u << " not found";
      d.SetObject();
      return d;
    }
    return ParseJson(*s);
  }
  // The agent object without lastUpdateDateTime, for "unchanged" comparisons.
  std::string Stable(const std::string& u) {
    auto d = Agent(u);
    if (d.HasMember("lastUpdateDateTime")) d.RemoveMember("lastUpdateDateTime");
    return Compact(d);
  }
  void Reject(const std::string& body, std::string_view code) {
    ExpectRejected("PUT", P(), body, tok_, code);
  }
  TenantCreds t_;
  std::string tok_;
};

TEST_F(UpdateTest, OnlyUsernameChangesNothingElse) {
  std::string before = Stable("worker@example.com");
  EXPECT_TRUE(IsBareOk(Put(R"({"username":"worker@example.com"})")));
  EXPECT_EQ(Stable("worker@example.com"), before);
}

TEST_F(UpdateTest, NullFieldsChangeNothing) {
  std::string before = Stable("worker@example.com");
  EXPECT_TRUE(IsBareOk(Put(
      R"({"username":"worker@example.com","nicename":null,"trueName":null,"mobilePhone":null,"agentNumber":null,"roleId":null,"maxServiceSessionCount":null,"password":null})")));
  EXPECT_EQ(Stable("worker@example.com"), before);
}

TEST_F(UpdateTest, EachFieldUpdates) {
  int vip = CreateRole(t_.id, "vip", "very important");
  EXPECT_TRUE(IsBareOk(Put(Obj({{"username", S("worker@example.com")},
                                {"nicename", S("新昵称")},
                                {"trueName", S("New Name")},
                                {"mobilePhone", "13900000009"},
                                {"agentNumber", "77"},
                                {"roleId", std::to_string(vip)},
                                {"maxServiceSessionCount", "\"20\""}}))));
  auto a = Agent("worker@example.com");
  EXPECT_TRUE(IsAgentObject(a));
  EXPECT_STREQ(a["nicename"].GetString(), "新昵称");
  EXPECT_STREQ(a["trueName"].GetString(), "New Name");
  EXPECT_STREQ(a["mobilePhone"].GetString(), "13900000009");
  EXPECT_STREQ(a["agentNumber"].GetString(), "77");
  EXPECT_EQ(a["maxServiceSessionCount"].GetInt(), 20);
  EXPECT_EQ(std::string(a["roles"].GetString()), "vip,agent");
  EXPECT_EQ(Compact(a["roleList"]), "[{\"role_id\":" + std::to_string(vip) + ",\"role_name\":\"vip\"}]");
  // Empty strings clear; 0 and 100 are allowed.
  EXPECT_TRUE(IsBareOk(Put(
      R"({"username":"worker@example.com","trueName":"","mobilePhone":"","agentNumber":"","maxServiceSessionCount":0,"roleId":"2"})")));
  a = Agent("worker@example.com");
  EXPECT_STREQ(a["trueName"].GetString(), "");
  EXPECT_STREQ(a["mobilePhone"].GetString(), "");
  EXPECT_STREQ(a["agentNumber"].GetString(), "");
  EXPECT_EQ(a["maxServiceSessionCount"].GetInt(), 0);
  EXPECT_STREQ(a["roles"].GetString(), "agent");
  EXPECT_TRUE(IsBareOk(Put(R"({"username":"worker@example.com","maxServiceSessionCount":100})")));
  EXPECT_EQ(Agent("worker@example.com")["maxServiceSessionCount"].GetInt(), 100);
}

TEST_F(UpdateTest, UsernameMatchedIgnoringCaseAndKeptAsStored) {
  EXPECT_TRUE(IsBareOk(Put(R"({"username":"BOSS@EXAMPLE.COM","nicename":"big"})")));
  auto a = Agent("boss@example.com");
  EXPECT_STREQ(a["nicename"].GetString(), "big");
  EXPECT_STREQ(a["username"].GetString(), "Boss@Example.com");
}

TEST_F(UpdateTest, PasswordInBodyIsIgnored) {
  // Even an invalid password does not make the update fail.
  EXPECT_TRUE(IsBareOk(Put(R"({"username":"worker@example.com","password":"x","nicename":"n2"})")));
  EXPECT_TRUE(IsBareOk(Put(R"({"username":"worker@example.com","password":true})")));
  EXPECT_STREQ(Agent("worker@example.com")["nicename"].GetString(), "n2");
}

TEST_F(UpdateTest, UnknownFieldsIgnored) {
  std::string before = Stable("worker@example.com");
  EXPECT_TRUE(IsBareOk(Put(R"({"username":"worker@example.com","foo":[1],"status":"Disable"})")));
  EXPECT_EQ(Stable("worker@example.com"), before);
}

TEST_F(UpdateTest, BodyAndUsernameErrors) {
  for (const char* b : {"", "{", "[]", "null", "\"worker@example.com\"", "{}",
                        R"({"nicename":"x"})", R"({"username":null,"nicename":"x"})",
                        R"([{"username":"worker@example.com"}])", R"({"username":true})",
                        R"({"username":["worker@example.com"]})"})
    Reject(b, "API_001");
}

TEST_F(UpdateTest, UnknownUsernameIs104) {
  Reject(R"({"username":"nobody@example.com"})", "API_104");
  Reject(R"({"username":"nobody@example.com","nicename":""})", "API_104");
  Reject(R"({"username":"nobody@example.com","roleId":99,"maxServiceSessionCount":-1})", "API_104");
  Reject(R"({"username":"worker@example.co"})", "API_104");
  Reject(R"({"username":"orker@example.com"})", "API_104");
  Reject(R"({"username":"nobody"})", "API_104");
}

TEST_F(UpdateTest, FieldErrors) {
  const std::string u = R"("username":"worker@example.com",)";
  Reject("{" + u + R"("nicename":""})", "API_102");
  for (const char* bad : {"true", "1.5", "[]", "{}"})
    Reject("{" + u + "\"nicename\":" + bad + "}", "API_001");
  for (const char* bad : {"99", "0", "\"abc\"", "1.5", "true", "\"\"", "[]"})
    Reject("{" + u + "\"roleId\":" + bad + "}", "API_107");
  for (const char* bad : {"101", "-1", "\"abc\"", "1.5", "true", "\"\"", "[]"})
    Reject("{" + u + "\"maxServiceSessionCount\":" + bad + "}", "API_001");
  for (const char* f : {"trueName", "mobilePhone", "agentNumber"})
    for (const char* bad : {"true", "1.5", "[]", "{}"})
      Reject("{" + u + "\"" + f + "\":" + bad + "}", "API_001");
  // Another tenant's custom role.
  auto other = CreateTenant("other");
  int foreign = CreateRole(other.id, "foreign");
  Reject("{" + u + "\"roleId\":" + std::to_string(foreign) + "}", "API_107");
}

TEST_F(UpdateTest, OrderOfFieldChecks) {
  const std::string u = R"("username":"worker@example.com",)";
  Reject("{" + u + R"("nicename":"","roleId":99,"maxServiceSessionCount":-1,"trueName":true})", "API_102");
  Reject("{" + u + R"("roleId":99,"maxServiceSessionCount":-1,"trueName":true})", "API_107");
  Reject("{" + u + R"("maxServiceSessionCount":-1,"trueName":true})", "API_001");
  // Field errors come before the last-admin rule.
  Reject(R"({"username":"Boss@Example.com","roleId":2,"maxServiceSessionCount":-1})", "API_001");
  Reject(R"({"username":"Boss@Example.com","roleId":2,"nicename":""})", "API_102");
  // A rejected update changes no field, even valid ones in the same body.
  std::string before = Stable("worker@example.com");
  Reject("{" + u + R"("nicename":"changed","trueName":"changed","roleId":99})", "API_107");
  EXPECT_EQ(Stable("worker@example.com"), before);
}

TEST_F(UpdateTest, LastAdminCannotLoseAdminRole) {
  Reject(R"({"username":"Boss@Example.com","roleId":2})", "API_109");
  Reject(R"({"username":"boss@example.com","roleId":"2"})", "API_109");
  int vip = CreateRole(t_.id, "vip");
  Reject(R"({"username":"Boss@Example.com","roleId":)" + std::to_string(vip) + "}", "API_109");
  // Keeping role 1, or changing other fields, is fine.
  EXPECT_TRUE(IsBareOk(Put(R"({"username":"Boss@Example.com","roleId":1,"nicename":"still"})")));
  // Promote the worker; now the boss may step down, and the worker may not.
  EXPECT_TRUE(IsBareOk(Put(R"({"username":"worker@example.com","roleId":1})")));
  EXPECT_TRUE(IsBareOk(Put(R"({"username":"Boss@Example.com","roleId":2})")));
  EXPECT_STREQ(Agent("boss@example.com")["roles"].GetString(), "agent");
  Reject(R"({"username":"worker@example.com","roleId":2})", "API_109");
}

TEST_F(UpdateTest, DisabledAdminDoesNotCount) {
  MustAddAgent(t_.id, tok_, "second.admin@example.com", 1);
  EXPECT_TRUE(IsBareOk(Call("PUT", P() + "/disable", R"({"username":"second.admin@example.com"})", tok_)));
  Reject(R"({"username":"Boss@Example.com","roleId":2})", "API_109");
  // The disabled admin itself may lose the role: the tenant keeps an enabled admin.
  EXPECT_TRUE(IsBareOk(Put(R"({"username":"second.admin@example.com","roleId":2})")));
}

TEST_F(UpdateTest, LastUpdateDateTimeChanges) {
  auto a0 = Agent("worker@example.com");
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_TRUE(IsBareOk(Put(R"({"username":"worker@example.com"})")));
  auto a1 = Agent("worker@example.com");
  EXPECT_GT(std::string(a1["lastUpdateDateTime"].GetString()),
            std::string(a0["lastUpdateDateTime"].GetString()));
  EXPECT_STREQ(a1["createDateTime"].GetString(), a0["createDateTime"].GetString());
}

TEST_F(UpdateTest, AuthBeforeBody) {
  auto before = Snap();
  EXPECT_TRUE(IsError(Call("PUT", P(), "{garbage", ""), 401, "API_002"));
  EXPECT_TRUE(IsError(Call("PUT", P(), R"({"username":"worker@example.com","roleId":2})",
                           "00000000000000000000000000000000"),
                      401, "API_002"));
  EXPECT_TRUE(SameSnapshot(before, Snap()));
}

}  // namespace
}  // namespace bb
