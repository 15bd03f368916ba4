// POST .../agent: the published example, field types, order of checks.
#include "harness.h"

namespace bb {
namespace {

const char* kPublishedAdd = R"({
"nicename":"123",
"username":"32273591@qq.com",
"password":"qwe12345",
"trueName":"321",
"mobilePhone":"",
"agentNumber":"",
"roleId":1,
"maxServiceSessionCount":"10"
})";

class AddTest : public KefuTest {
 protected:
  void SetUp() override {
    KefuTest::SetUp();
    t_ = CreateTenant("add");
    StartServer();
    tok_ = IssueToken(t_);
  }
  std::string P() { return "/api/tenants/" + std::to_string(t_.id) + "/agent"; }
  Response Post(const std::string& body) { return Call("POST", P(), body, tok_); }
  // A body with the required fields, `over` members replacing/adding.
  static std::string Body(const std::vector<std::pair<std::string, std::string>>& over,
                          const std::vector<std::string>& drop = {}) {
    std::vector<std::pair<std::string, std::string>> m = {
        {"nicename", S("nick")}, {"username", S("new.agent@example.com")},
        {"password", S("password123")}, {"roleId", "2"}};
    for (auto& [k, v] : over) {
      bool found = false;
      for (auto& [mk, mv] : m)
        if (mk == k) mv = v, found = true;
      if (!found) m.emplace_back(k, v);
    }
    std::vector<std::pair<std::string, std::string>> out;
    for (auto& kv : m)
      if (std::find(drop.begin(), drop.end(), kv.first) == drop.end()) out.push_back(kv);
    return Obj(out);
  }
  rapidjson::Document Entity(const Response& r) {
    auto d = ParseJson(r.body);
    EXPECT_EQ(Keys(d), (std::vector<std::string>{"status", "entity"})) << r.body;
    rapidjson::Document e;
    if (d.IsObject() && d.HasMember("entity")) e.CopyFrom(d["entity"], e.GetAllocator());
    return e;
  }
  void Reject(const std::string& body, std::string_view code) {
    ExpectRejected("POST", P(), body, tok_, code);
  }
  TenantCreds t_;
  std::string tok_;
};

TEST_F(AddTest, PublishedExample) {
  auto r = Post(kPublishedAdd);
  ASSERT_TRUE(IsOk(r));
  auto e = Entity(r);
  ASSERT_TRUE(IsAgentObject(e));
  EXPECT_EQ(e["tenantId"].GetInt(), t_.id);
  EXPECT_STREQ(e["nicename"].GetString(), "123");
  EXPECT_STREQ(e["username"].GetString(), "32273591@qq.com");
  EXPECT_STREQ(e["password"].GetString(), "");
  EXPECT_STREQ(e["roles"].GetString(), "admin,agent");
  EXPECT_EQ(Compact(e["roleList"]), R"([{"role_id":1,"role_name":"admin"}])");
  EXPECT_STREQ(e["status"].GetString(), "Enable");
  EXPECT_STREQ(e["state"].GetString(), "Offline");
  EXPECT_EQ(e["maxServiceSessionCount"].GetInt(), 10);
  EXPECT_STREQ(e["trueName"].GetString(), "321");
  EXPECT_STREQ(e["mobilePhone"].GetString(), "");
  EXPECT_STREQ(e["agentNumber"].GetString(), "");
  EXPECT_STREQ(e["language"].GetString(), "zh_CN");
  EXPECT_STREQ(e["timeZone"].GetString(), "UTC+8");
  EXPECT_EQ(std::string(e["bizId"].GetString()), std::to_string(t_.id));
  EXPECT_STREQ(e["createDateTime"].GetString(), e["lastUpdateDateTime"].GetString());
  long long got = ParseDateTime(e["createDateTime"].GetString());
  long long want = ParseDateTime(NowInZone(8));
  EXPECT_LE(std::llabs(got - want), 10) << e["createDateTime"].GetString() << " vs now(UTC+8) "
                                        << NowInZone(8);
  // The search returns the same object.
  auto found = FindAgentJson(t_.id, tok_, "32273591@qq.com");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(*found, Compact(e));
}

TEST_F(AddTest, PlatformPrefixAndTrailingSlash) {
  auto r = Call("POST", "/api/platform/tenants/" + std::to_string(t_.id) + "/agent",
                Body({{"username", S("p1@example.com")}}), tok_);
  EXPECT_TRUE(IsOk(r));
  r = Call("POST", "/api/tenants/" + std::to_string(t_.id) + "/agent/",
           Body({{"username", S("p2@example.com")}}), tok_);
  EXPECT_TRUE(IsOk(r));
  r = Call("POST", "/api/platform/tenants/" + std::to_string(t_.id) + "/agent/",
           Body({{"username", S("p3@example.com")}}), tok_);
  EXPECT_TRUE(IsOk(r));
  EXPECT_EQ(Search(t_.id, tok_, "keyValue=example.com")["totalElements"].GetInt(), 3);
}

TEST_F(AddTest, TimeZoneOfTenant) {
  auto w = CreateTenant("west", 0, "UTC-5");
  std::string tw = IssueToken(w);
  auto r = Call("POST", "/api/tenants/" + std::to_string(w.id) + "/agent",
                Body({{"username", S("west@example.com")}}), tw);
  ASSERT_TRUE(IsOk(r));
  auto e = Entity(r);
  EXPECT_TRUE(IsAgentObject(e));
  EXPECT_STREQ(e["timeZone"].GetString(), "UTC-5");
  long long got = ParseDateTime(e["createDateTime"].GetString());
  EXPECT_LE(std::llabs(got - ParseDateTime(NowInZone(-5))), 10)
      << e["createDateTime"].GetString() << " vs now(UTC-5) " << NowInZone(-5);
}

TEST_F(AddTest, RoleShapes) {
  int vip = CreateRole(t_.id, "vip");
  struct Case {
    std::string user, role, roles, list;
  };
  std::vector<Case> cases = {
      {"r1@example.com", "1", "admin,agent", R"([{"role_id":1,"role_name":"admin"}])"},
      {"r2@example.com", "2", "agent", R"([{"role_id":2,"role_name":"agent"}])"},
      {"r3@example.com", "\"2\"", "agent", R"([{"role_id":2,"role_name":"agent"}])"},
      {"r4@example.com", std::to_string(vip), "vip,agent",
       "[{\"role_id\":" + std::to_string(vip) + ",\"role_name\":\"vip\"}]"},
      {"r5@example.com", "\"" + std::to_string(vip) + "\"", "vip,agent",
       "[{\"role_id\":" + std::to_string(vip) + ",\"role_name\":\"vip\"}]"},
  };
  for (auto& c : cases) {
    auto r = Post(Body({{"username", S(c.user)}, {"roleId", c.role}}));
    ASSERT_TRUE(IsOk(r)) << c.role;
    auto e = Entity(r);
    EXPECT_TRUE(IsAgentObject(e));
    EXPECT_EQ(std::string(e["roles"].GetString()), c.roles) << c.role;
    EXPECT_EQ(Compact(e["roleList"]), c.list) << c.role;
  }
}

TEST_F(AddTest, MaxServiceSessionCountValues) {
  struct Case {
    std::string value;
    int want;
  };
  std::vector<Case> ok = {{"", 10}, {"null", 10}, {"0", 0}, {"100", 100}, {"\"7\"", 7},
                          {"\"0\"", 0}, {"\"100\"", 100}, {"55", 55}};
  int i = 0;
  for (auto& c : ok) {
    std::string user = "msc" + std::to_string(i++) + "@example.com";
    std::string body = c.value.empty()
                           ? Body({{"username", S(user)}})
                           : Body({{"username", S(user)}, {"maxServiceSessionCount", c.value}});
    auto r = Post(body);
    ASSERT_TRUE(IsOk(r)) << body;
    EXPECT_EQ(Entity(r)["maxServiceSessionCount"].GetInt(), c.want) << body;
  }
  for (const char* bad : {"101", "-1", "\"abc\"", "1.5", "true", "\"\"", "\"1.5\"", "[]", "{}",
                          "\"101\"", "\"-1\"", "99999999999", "\" 5\"", "10.0", "1e1"}) {
    Reject(Body({{"maxServiceSessionCount", bad}}), "API_001");
  }
}

TEST_F(AddTest, TextFieldsAcceptIntegers) {
  auto r = Post(Body({{"nicename", "12"},
                      {"mobilePhone", "13800000000"},
                      {"agentNumber", "7"},
                      {"trueName", "5"},
                      {"password", "12345678"}}));
  ASSERT_TRUE(IsOk(r));
  auto e = Entity(r);
  EXPECT_STREQ(e["nicename"].GetString(), "12");
  EXPECT_STREQ(e["mobilePhone"].GetString(), "13800000000");
  EXPECT_STREQ(e["agentNumber"].GetString(), "7");
  EXPECT_STREQ(e["trueName"].GetString(), "5");
}

TEST_F(AddTest, OptionalTextFieldsDefaultEmptyAndNullIsAbsent) {
  auto r = Post(Body({{"trueName", "null"}, {"mobilePhone", "null"}, {"agentNumber", "null"}}));
  ASSERT_TRUE(IsOk(r));
  auto e = Entity(r);
  EXPECT_STREQ(e["trueName"].GetString(), "");
  EXPECT_STREQ(e["mobilePhone"].GetString(), "");
  EXPECT_STREQ(e["agentNumber"].GetString(), "");
  EXPECT_EQ(e["maxServiceSessionCount"].GetInt(), 10);
}

TEST_F(AddTest, UnicodeValuesRoundTrip) {
  auto r = Post(Body({{"nicename", S("环环")}, {"trueName", S("小环 \"q\" \\ /")}}));
  ASSERT_TRUE(IsOk(r));
  auto e = Entity(r);
  EXPECT_STREQ(e["nicename"].GetString(), "环环");
  EXPECT_STREQ(e["trueName"].GetString(), "小环 \"q\" \\ /");
  // Escaped on the way in.
  auto r2 = Post(Body({{"username", S("esc@example.com")}, {"nicename", "\"\\u73af\\u73af\""}}));
  ASSERT_TRUE(IsOk(r2));
  EXPECT_STREQ(Entity(r2)["nicename"].GetString(), "环环");
}

TEST_F(AddTest, UnknownFieldsIgnored) {
  auto r = Post(Body({{"foo", "1"}, {"status", S("Disable")}, {"bar", "[1,{}]"}}));
  ASSERT_TRUE(IsOk(r));
  EXPECT_TRUE(IsAgentObject(Entity(r)));
}

TEST_F(AddTest, BodyNotAnObjectIsApi001) {
  for (const char* b : {"", "{", "[]", "null", "1", "\"x\"", "{\"nicename\":\"a\",}", "nicename=a",
                        R"([{"nicename":"123","username":"a@example.com","password":"qwe12345","roleId":1}])"})
    Reject(b, "API_001");
}

TEST_F(AddTest, NicenameErrors) {
  Reject(Body({}, {"nicename"}), "API_102");
  Reject(Body({{"nicename", S("")}}), "API_102");
  Reject(Body({{"nicename", "null"}}), "API_102");
  for (const char* bad : {"true", "1.5", "[]", "{}", "false"}) Reject(Body({{"nicename", bad}}), "API_001");
}

TEST_F(AddTest, UsernameErrors) {
  Reject(Body({}, {"username"}), "API_001");
  std::string long_local(243, 'a');  // 243 + "@example.com" (12) = 255
  for (std::string bad : {"null", "true", "12345", "[]", "{}", "\"\"", "\"notanemail\"",
                          "\"a@b\"", "\"@x.com\"", "\"a@\"", "\"a b@x.com\"", "\"a\\\"b@x.com\"",
                          "\"a@b@x.com\"", "\"a@x..com\"", "\"a@x.com.\"", "\"a@x_y.com\"",
                          "\"a@.x.com\"", "\" a@x.com\"", "\"a@x.com \"", "\"é@x.com\"",
                          "\"a@x.c om\"", "\"a\\\"@x.com\""}) {
    Reject(Body({{"username", bad}}), "API_001");
  }
  Reject(Body({{"username", S(long_local + "@example.com")}}), "API_001");
  // 254 characters is fine.
  EXPECT_TRUE(IsOk(Post(Body({{"username", S(std::string(242, 'a') + "@example.com")}}))));
}

TEST_F(AddTest, UsernameUnusualButValid) {
  for (const char* u : {"first.last+tag@sub.example.co", "x_y%z@a-b.example.com", "1@2.3",
                        "UPPER@EXAMPLE.COM", "a!#$&*=?^{|}~@x.io", "o'brien@example.com",
                        "x--y..z@example.com"}) {
    auto r = Post(Body({{"username", S(u)}}));
    ASSERT_TRUE(IsOk(r)) << u;
    EXPECT_EQ(std::string(Entity(r)["username"].GetString()), u);
  }
}

TEST_F(AddTest, UsernameLocalPartRefusesRfc5322Specials) {
  // decisions.md: the local part is printable ASCII except space and ( ) < > [ ] : ; , \ " @.
  int i = 0;
  for (const char* c : {"(", ")", ";", ",", "<", ">", "[", "]", "\\", ":", "\""}) {
    std::string u = std::string("x") + c + "y" + std::to_string(i++) + "@example.com";
    Reject(Body({{"username", S(u)}}), "API_001");
  }
  for (const char* c : {"'", "!", "#", "$", "%", "&", "*", "+", "/", "=", "?", "^", "`", "{", "|", "}", "~"}) {
    std::string u = std::string("x") + c + "y" + std::to_string(i++) + "@example.com";
    EXPECT_TRUE(IsOk(Post(Body({{"username", S(u)}})))) << u;
  }
}

TEST_F(AddTest, PasswordErrors) {
  Reject(Body({}, {"password"}), "API_108");
  for (std::string bad : {"null", "\"\"", "\"1234567\"", "1234567", "true", "1.5", "[]", "{}"})
    Reject(Body({{"password", bad}}), "API_108");
  Reject(Body({{"password", S(std::string(65, 'p'))}}), "API_108");
  std::string zh7, zh65;
  for (int i = 0; i < 7; ++i) zh7 += "密";
  for (int i = 0; i < 65; ++i) zh65 += "密";
  Reject(Body({{"password", S(zh7)}}), "API_108");  // 21 bytes but 7 characters
  Reject(Body({{"password", S(zh65)}}), "API_108");
}

TEST_F(AddTest, PasswordLengthCountsCharacters) {
  std::string zh8, zh64, emoji8;
  for (int i = 0; i < 8; ++i) zh8 += "密";
  for (int i = 0; i < 64; ++i) zh64 += "码";
  for (int i = 0; i < 8; ++i) emoji8 += "\xF0\x9F\x98\x80";
  int i = 0;
  for (const std::string& pw : {std::string(8, 'p'), std::string(64, 'p'), zh8, zh64, emoji8,
                                std::string("12345678"), std::string("        ")}) {
    auto r = Post(Body({{"username", S("pw" + std::to_string(i++) + "@example.com")}, {"password", S(pw)}}));
    EXPECT_TRUE(IsOk(r)) << pw;
  }
}

TEST_F(AddTest, RoleIdErrors) {
  Reject(Body({}, {"roleId"}), "API_106");
  Reject(Body({{"roleId", "null"}}), "API_106");
  auto other = CreateTenant("other");
  int foreign = CreateRole(other.id, "foreign");
  for (const std::string& bad : std::vector<std::string>{
           "99", "0", "-1", "\"abc\"", "1.5", "true", "\"\"", "[]", "{}", "99999999999", "\"1.0\"", "1.0",
           std::to_string(foreign), "\"" + std::to_string(foreign) + "\""})
    Reject(Body({{"roleId", bad}}), "API_107");
}

TEST_F(AddTest, OtherFieldsIllTyped) {
  for (const char* f : {"trueName", "mobilePhone", "agentNumber"})
    for (const char* bad : {"true", "1.5", "[]", "{}", "[\"a\"]"})
      Reject(Body({{f, bad}}), "API_001");
}

TEST_F(AddTest, OrderOfChecks) {
  MustAddAgent(t_.id, tok_, "taken@example.com");
  // nicename before username
  Reject(Body({{"nicename", S("")}, {"username", S("bad")}}), "API_102");
  Reject(R"({"username":"bad","password":"1","roleId":99,"maxServiceSessionCount":-5})", "API_102");
  // username before password
  Reject(Body({{"username", S("bad")}, {"password", S("short")}}), "API_001");
  // password before roleId
  Reject(Body({{"password", S("short")}}, {"roleId"}), "API_108");
  Reject(Body({{"password", S("short")}, {"roleId", "99"}}), "API_108");
  // roleId present before role valid before maxServiceSessionCount
  Reject(Body({{"maxServiceSessionCount", "500"}}, {"roleId"}), "API_106");
  Reject(Body({{"roleId", "99"}, {"maxServiceSessionCount", "500"}}), "API_107");
  Reject(Body({{"roleId", "99"}, {"trueName", "true"}}), "API_107");
  // everything before uniqueness
  Reject(Body({{"username", S("taken@example.com")}, {"maxServiceSessionCount", "500"}}), "API_001");
  Reject(Body({{"username", S("taken@example.com")}, {"trueName", "[]"}}), "API_001");
  Reject(Body({{"username", S("taken@example.com")}, {"mobilePhone", "true"}}), "API_001");
  Reject(Body({{"username", S("taken@example.com")}, {"password", S("short")}}), "API_108");
  Reject(Body({{"username", S("taken@example.com")}, {"roleId", "99"}}), "API_107");
  Reject(Body({{"username", S("taken@example.com")}}, {"roleId"}), "API_106");
  Reject(Body({{"username", S("taken@example.com")}, {"nicename", S("")}}), "API_102");
  Reject(Body({{"username", S("taken@example.com")}}), "API_103");
}

TEST_F(AddTest, UsernameUniqueAcrossTenantsIgnoringCase) {
  MustAddAgent(t_.id, tok_, "Dup.User@Example.com");
  Reject(Body({{"username", S("Dup.User@Example.com")}}), "API_103");
  Reject(Body({{"username", S("dup.user@example.com")}}), "API_103");
  Reject(Body({{"username", S("DUP.USER@EXAMPLE.COM")}, {"roleId", "1"}}), "API_103");
  auto other = CreateTenant("other");
  std::string to = IssueToken(other);
  ExpectRejected("POST", "/api/tenants/" + std::to_string(other.id) + "/agent",
                 Body({{"username", S("dup.USER@example.COM")}}), to, "API_103");
  // Stored as given.
  auto found = FindAgentJson(t_.id, tok_, "dup.user@example.com");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(std::string(ParseJson(*found)["username"].GetString()), "Dup.User@Example.com");
}

TEST_F(AddTest, ErrorsWithoutTokenComeFirst) {
  auto before = Snap();
  EXPECT_TRUE(IsError(Call("POST", P(), "{garbage", ""), 401, "API_002"));
  EXPECT_TRUE(IsError(Call("POST", P(), Body({}), "ffffffffffffffffffffffffffffffff"), 401, "API_002"));
  EXPECT_TRUE(SameSnapshot(before, Snap()));
}

TEST_F(AddTest, ManyAgentsInOneKeepAliveConnection) {
  for (int i = 0; i < 8; ++i) {
    auto r = Post(Body({{"username", S("k" + std::to_string(i) + "@example.com")}}));
    ASSERT_TRUE(IsOk(r));
    EXPECT_TRUE(r.keep_alive);
  }
  EXPECT_EQ(Search(t_.id, tok_, "size=50")["totalElements"].GetInt(), 8);
}

}  // namespace
}  // namespace bb
