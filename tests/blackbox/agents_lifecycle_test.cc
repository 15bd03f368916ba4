// PUT .../agent/password, DELETE .../agent, PUT .../agent/disable|enable.
#include "harness.h"

namespace bb {
namespace {

// ---------------------------------------------------------------- demo tenant

class LifecycleDemoTest : public DemoTest {};

TEST_F(LifecycleDemoTest, PublishedPasswordExample) {
  ASSERT_TRUE(PasswordMatches(StoredPasswordHash(db_, kDemoAdmin), kDemoAdminPassword));
  auto r = Call("PUT", "/api/tenants/1/agent/password",
                "{\n\"username\":\"32273591@qq.com\",\n\"password\":\"qwe123456\"\n}", DemoToken());
  EXPECT_TRUE(IsBareOk(r));
  // The stored hash is of the new password, and the old one no longer matches.
  std::string hash = StoredPasswordHash(db_, kDemoAdmin);
  EXPECT_TRUE(PasswordMatches(hash, "qwe123456")) << hash;
  EXPECT_FALSE(PasswordMatches(hash, kDemoAdminPassword)) << hash;
  EXPECT_EQ(Argon2Cost(hash), "m=19456,t=2,p=1") << hash;
}

TEST_F(LifecycleDemoTest, PublishedDisableEnableExamples) {
  auto r = Call("PUT", "/api/tenants/1/agent/disable", "{\n\"username\":\"32273591@qq.com\"\n}",
                DemoToken());
  EXPECT_TRUE(IsBareOk(r));
  auto a = ParseJson(*FindAgentJson(1, DemoToken(), kDemoAdmin));
  EXPECT_TRUE(IsAgentObject(a));
  EXPECT_STREQ(a["status"].GetString(), "Disable");
  EXPECT_STREQ(a["state"].GetString(), "Offline");
  EXPECT_STREQ(a["onLineState"].GetString(), "Offline");
  EXPECT_STREQ(a["currentOnLineState"].GetString(), "Offline");
  // Repeating is not an error.
  EXPECT_TRUE(IsBareOk(Call("PUT", "/api/tenants/1/agent/disable",
                            R"({"username":"32273591@qq.com"})", DemoToken())));
  r = Call("PUT", "/api/tenants/1/agent/enable", "{\n\"username\":\"32273591@qq.com\"\n}",
           DemoToken());
  EXPECT_TRUE(IsBareOk(r));
  a = ParseJson(*FindAgentJson(1, DemoToken(), kDemoAdmin));
  EXPECT_STREQ(a["status"].GetString(), "Enable");
  EXPECT_TRUE(IsBareOk(Call("PUT", "/api/tenants/1/agent/enable",
                            R"({"username":"32273591@qq.com"})", DemoToken())));
  EXPECT_STREQ(ParseJson(*FindAgentJson(1, DemoToken(), kDemoAdmin))["status"].GetString(), "Enable");
}

TEST_F(LifecycleDemoTest, PublishedDeleteExampleThenReuse) {
  auto r = Call("DELETE", "/api/tenants/1/agent", "{\n\"username\":\"32273591@qq.com\"\n}",
                DemoToken());
  EXPECT_TRUE(IsBareOk(r));
  EXPECT_FALSE(FindAgentJson(1, DemoToken(), kDemoAdmin).has_value());
  ExpectRejected("DELETE", "/api/tenants/1/agent", R"({"username":"32273591@qq.com"})", DemoToken(),
                 "API_104");
  ExpectRejected("PUT", "/api/tenants/1/agent/disable", R"({"username":"32273591@qq.com"})",
                 DemoToken(), "API_104");
  // The username may be reused, in any tenant.
  auto other = CreateTenant("other");
  std::string to = IssueToken(other);
  auto add = AddAgent(other.id, to, "32273591@QQ.com", 1);
  ASSERT_TRUE(IsOk(add));
  EXPECT_TRUE(FindAgentJson(other.id, to, kDemoAdmin).has_value());
}

TEST_F(LifecycleDemoTest, PlatformPrefixAndTrailingSlash) {
  EXPECT_TRUE(IsBareOk(Call("PUT", "/api/platform/tenants/1/agent/password",
                            R"({"username":"agent0002@demo.kefu.local","password":"newpass123"})",
                            DemoToken())));
  EXPECT_TRUE(IsBareOk(Call("PUT", "/api/tenants/1/agent/password/",
                            R"({"username":"agent0002@demo.kefu.local","password":"newpass124"})",
                            DemoToken())));
  EXPECT_TRUE(IsBareOk(Call("PUT", "/api/platform/tenants/1/agent/disable/",
                            R"({"username":"agent0002@demo.kefu.local"})", DemoToken())));
  EXPECT_TRUE(IsBareOk(Call("PUT", "/api/platform/tenants/1/agent/enable",
                            R"({"username":"agent0002@demo.kefu.local"})", DemoToken())));
  EXPECT_TRUE(IsBareOk(Call("DELETE", "/api/platform/tenants/1/agent/",
                            R"({"username":"agent0002@demo.kefu.local"})", DemoToken())));
  EXPECT_FALSE(FindAgentJson(1, DemoToken(), "agent0002@demo.kefu.local").has_value());
}

// ---------------------------------------------------------------- fresh tenant

class LifecycleTest : public KefuTest {
 protected:
  void SetUp() override {
    KefuTest::SetUp();
    t_ = CreateTenant("life");
    StartServer();
    tok_ = IssueToken(t_);
    MustAddAgent(t_.id, tok_, "Boss@Example.com", 1);
    MustAddAgent(t_.id, tok_, "worker@example.com", 2);
  }
  std::string P(const std::string& suffix = "") {
    return "/api/tenants/" + std::to_string(t_.id) + "/agent" + suffix;
  }
  Response Pw(const std::string& body) { return Call("PUT", P("/password"), body, tok_); }
  Response Disable(const std::string& u) {
    return Call("PUT", P("/disable"), Obj({{"username", S(u)}}), tok_);
  }
  Response Enable(const std::string& u) {
    return Call("PUT", P("/enable"), Obj({{"username", S(u)}}), tok_);
  }
  Response Delete(const std::string& u) { return Call("DELETE", P(), Obj({{"username", S(u)}}), tok_); }
  std::string Status(const std::string& u) {
    auto s = FindAgentJson(t_.id, tok_, u);
    if (!s) return "<missing>";
    return ParseJson(*s)["status"].GetString();
  }
  TenantCreds t_;
  std::string tok_;
};

TEST_F(LifecycleTest, PasswordLengths) {
  std::string zh8, zh64, emoji8;
  for (int i = 0; i < 8; ++i) zh8 += "密";
  for (int i = 0; i < 64; ++i) zh64 += "码";
  for (int i = 0; i < 8; ++i) emoji8 += "\xF0\x9F\x98\x80";
  std::string previous = "password123";  // MustAddAgent's
  for (const std::string& pw : {std::string(8, 'x'), std::string(64, 'x'), zh8, zh64, emoji8}) {
    EXPECT_TRUE(IsBareOk(Pw(Obj({{"username", S("worker@example.com")}, {"password", S(pw)}})))) << pw;
    // Stored as given (the UTF-8 bytes), replacing the previous password.
    std::string hash = StoredPasswordHash(db_, "worker@example.com");
    EXPECT_TRUE(PasswordMatches(hash, pw)) << "password not stored: " << pw;
    EXPECT_FALSE(PasswordMatches(hash, previous)) << "previous password still matches: " << previous;
    previous = pw;
  }
  // An integer is a text value.
  EXPECT_TRUE(IsBareOk(Pw(R"({"username":"worker@example.com","password":12345678})")));
  EXPECT_TRUE(PasswordMatches(StoredPasswordHash(db_, "worker@example.com"), "12345678"));
}

TEST_F(LifecycleTest, PasswordErrors108) {
  std::string zh7, zh65;
  for (int i = 0; i < 7; ++i) zh7 += "密";
  for (int i = 0; i < 65; ++i) zh65 += "密";
  const std::string u = R"("username":"worker@example.com")";
  for (const std::string& pw : {S(std::string(7, 'x')), S(std::string(65, 'x')), S(zh7), S(zh65),
                                S(""), std::string("null"), std::string("true"), std::string("1.5"),
                                std::string("[]"), std::string("{}"), std::string("1234567")})
    ExpectRejected("PUT", P("/password"), "{" + u + ",\"password\":" + pw + "}", tok_, "API_108");
  ExpectRejected("PUT", P("/password"), "{" + u + "}", tok_, "API_108");
}

TEST_F(LifecycleTest, PasswordNotUtf8IsNotJson) {
  // Raw bytes that are not UTF-8 inside a JSON string: the body is not JSON (decisions.md).
  std::string body = std::string(R"({"username":"worker@example.com","password":")") +
                     "abcdefgh\xff\xfe\xc3\x28" + "\"}";
  ExpectRejected("PUT", P("/password"), body, tok_, "API_001");
}

TEST_F(LifecycleTest, PasswordOtherErrors) {
  for (const char* b : {"", "{", "[]", "null", R"({"password":"goodpass123"})",
                        R"({"username":null,"password":"goodpass123"})",
                        R"({"username":true,"password":"goodpass123"})",
                        R"({"username":["worker@example.com"],"password":"goodpass123"})"})
    ExpectRejected("PUT", P("/password"), b, tok_, "API_001");
  ExpectRejected("PUT", P("/password"), R"({"username":"nobody@example.com","password":"goodpass123"})",
                 tok_, "API_104");
  // 104 before 108.
  ExpectRejected("PUT", P("/password"), R"({"username":"nobody@example.com","password":"short"})",
                 tok_, "API_104");
  ExpectRejected("PUT", P("/password"), R"({"username":"nobody@example.com"})", tok_, "API_104");
  // Username without case.
  EXPECT_TRUE(IsBareOk(Pw(R"({"username":"WORKER@example.COM","password":"goodpass123"})")));
}

TEST_F(LifecycleTest, DisableEnableIdempotent) {
  EXPECT_EQ(Status("worker@example.com"), "Enable");
  EXPECT_TRUE(IsBareOk(Disable("worker@example.com")));
  EXPECT_EQ(Status("worker@example.com"), "Disable");
  EXPECT_TRUE(IsBareOk(Disable("WORKER@EXAMPLE.COM")));
  EXPECT_EQ(Status("worker@example.com"), "Disable");
  EXPECT_TRUE(IsBareOk(Enable("worker@example.com")));
  EXPECT_EQ(Status("worker@example.com"), "Enable");
  EXPECT_TRUE(IsBareOk(Enable("Worker@Example.Com")));
  EXPECT_EQ(Status("worker@example.com"), "Enable");
}

TEST_F(LifecycleTest, DisabledAgentCanBeUpdatedAndKeepsStatus) {
  EXPECT_TRUE(IsBareOk(Disable("worker@example.com")));
  EXPECT_TRUE(IsBareOk(Call("PUT", P(), R"({"username":"worker@example.com","nicename":"zz"})", tok_)));
  EXPECT_TRUE(IsBareOk(Pw(R"({"username":"worker@example.com","password":"goodpass123"})")));
  auto a = ParseJson(*FindAgentJson(t_.id, tok_, "worker@example.com"));
  EXPECT_STREQ(a["status"].GetString(), "Disable");
  EXPECT_STREQ(a["state"].GetString(), "Offline");
  EXPECT_STREQ(a["nicename"].GetString(), "zz");
}

TEST_F(LifecycleTest, DisableLastEnabledAdminIs109) {
  ExpectRejected("PUT", P("/disable"), R"({"username":"Boss@Example.com"})", tok_, "API_109");
  ExpectRejected("PUT", P("/disable"), R"({"username":"boss@example.com"})", tok_, "API_109");
  MustAddAgent(t_.id, tok_, "admin2@example.com", 1);
  EXPECT_TRUE(IsBareOk(Disable("Boss@Example.com")));
  ExpectRejected("PUT", P("/disable"), R"({"username":"admin2@example.com"})", tok_, "API_109");
  // Disabling the already-disabled admin again is fine (the tenant keeps admin2).
  EXPECT_TRUE(IsBareOk(Disable("Boss@Example.com")));
  EXPECT_TRUE(IsBareOk(Enable("Boss@Example.com")));
  EXPECT_TRUE(IsBareOk(Disable("admin2@example.com")));
  EXPECT_EQ(Status("admin2@example.com"), "Disable");
  EXPECT_EQ(Status("boss@example.com"), "Enable");
}

TEST_F(LifecycleTest, DeleteLastEnabledAdminIs109) {
  ExpectRejected("DELETE", P(), R"({"username":"Boss@Example.com"})", tok_, "API_109");
  MustAddAgent(t_.id, tok_, "admin2@example.com", 1);
  EXPECT_TRUE(IsBareOk(Disable("admin2@example.com")));
  // A disabled admin does not count.
  ExpectRejected("DELETE", P(), R"({"username":"BOSS@example.com"})", tok_, "API_109");
  // The disabled admin itself may go.
  EXPECT_TRUE(IsBareOk(Delete("admin2@example.com")));
  MustAddAgent(t_.id, tok_, "admin3@example.com", 1);
  EXPECT_TRUE(IsBareOk(Delete("boss@EXAMPLE.com")));
  EXPECT_EQ(Status("boss@example.com"), "<missing>");
  ExpectRejected("DELETE", P(), R"({"username":"admin3@example.com"})", tok_, "API_109");
  ExpectRejected("PUT", P("/disable"), R"({"username":"admin3@example.com"})", tok_, "API_109");
}

TEST_F(LifecycleTest, DeleteNonAdminAndReuse) {
  EXPECT_TRUE(IsBareOk(Delete("worker@example.com")));
  EXPECT_EQ(Status("worker@example.com"), "<missing>");
  ExpectRejected("DELETE", P(), R"({"username":"worker@example.com"})", tok_, "API_104");
  ExpectRejected("PUT", P(), R"({"username":"worker@example.com","nicename":"x"})", tok_, "API_104");
  ExpectRejected("PUT", P("/password"), R"({"username":"worker@example.com","password":"goodpass123"})",
                 tok_, "API_104");
  ExpectRejected("PUT", P("/enable"), R"({"username":"worker@example.com"})", tok_, "API_104");
  auto r = AddAgent(t_.id, tok_, "Worker@Example.com", 2);
  ASSERT_TRUE(IsOk(r));
  EXPECT_EQ(Status("worker@example.com"), "Enable");
  EXPECT_EQ(Search(t_.id, tok_, "size=50")["totalElements"].GetInt(), 2);
}

TEST_F(LifecycleTest, DeleteBodyErrors) {
  std::string before = Snap();
  // No body at all.
  auto r = http().Request("DELETE", P(), {}, {{"Kefu-Token", tok_}});
  EXPECT_TRUE(IsError(r, 400, "API_001"));
  EXPECT_TRUE(SameSnapshot(before, Snap()));
  for (const char* b : {"", "{", "[]", "null", "{}", R"({"username":null})", R"({"username":true})",
                        R"({"user":"worker@example.com"})", R"(["worker@example.com"])",
                        R"({"username":{"a":1}})"})
    ExpectRejected("DELETE", P(), b, tok_, "API_001");
  ExpectRejected("DELETE", P(), R"({"username":"nobody@example.com"})", tok_, "API_104");
}

TEST_F(LifecycleTest, DisableEnableBodyErrors) {
  for (const char* path : {"/disable", "/enable"}) {
    for (const char* b : {"", "{", "[]", "null", "{}", R"({"username":null})",
                          R"({"username":false})", R"({"name":"worker@example.com"})"})
      ExpectRejected("PUT", P(path), b, tok_, "API_001");
    ExpectRejected("PUT", P(path), R"({"username":"nobody@example.com"})", tok_, "API_104");
  }
}

TEST_F(LifecycleTest, AuthBeforeBody) {
  for (auto [m, path] : std::vector<std::pair<std::string, std::string>>{
           {"PUT", "/password"}, {"DELETE", ""}, {"PUT", "/disable"}, {"PUT", "/enable"}}) {
    ExpectRejected(m, P(path), "{garbage", "", "API_002");
    ExpectRejected(m, P(path), R"({"username":"Boss@Example.com","password":"x"})",
                   "11111111111111111111111111111111", "API_002");
  }
}

TEST_F(LifecycleTest, LastUpdateDateTimeMovesOnEveryWrite) {
  auto stamp = [&] {
    return std::string(ParseJson(*FindAgentJson(t_.id, tok_, "worker@example.com"))["lastUpdateDateTime"].GetString());
  };
  auto created = std::string(ParseJson(*FindAgentJson(t_.id, tok_, "worker@example.com"))["createDateTime"].GetString());
  std::string last = stamp();
  std::vector<std::function<Response()>> ops = {
      [&] { return Pw(R"({"username":"worker@example.com","password":"goodpass123"})"); },
      [&] { return Disable("worker@example.com"); },
      [&] { return Enable("worker@example.com"); },
      [&] { return Enable("worker@example.com"); },
  };
  int i = 0;
  for (auto& op : ops) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    EXPECT_TRUE(IsBareOk(op()));
    std::string now = stamp();
    EXPECT_GT(now, last) << "operation " << i;
    last = now;
    ++i;
  }
  EXPECT_EQ(std::string(ParseJson(*FindAgentJson(t_.id, tok_, "worker@example.com"))["createDateTime"].GetString()),
            created);
}

}  // namespace
}  // namespace bb
