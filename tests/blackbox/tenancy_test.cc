// Two tenants: A's token on B's path (API_003), B's agent through A's path (API_105).
#include "harness.h"

namespace bb {
namespace {

struct Endpoint {
  std::string method, suffix, body;
};

std::vector<Endpoint> AllEndpoints(const std::string& b_user) {
  std::string u = "{\"username\":" + S(b_user) + "}";
  return {
      {"GET", "/agents?page=0&size=10", ""},
      {"GET", "/agents?page=-1&size=99", ""},
      {"POST", "/agent", Obj({{"nicename", S("x")}, {"username", S("evil@example.com")},
                              {"password", S("password123")}, {"roleId", "1"}})},
      {"POST", "/agent", "{garbage"},
      {"PUT", "/agent", "{\"username\":" + S(b_user) + ",\"nicename\":\"pwned\",\"roleId\":2}"},
      {"PUT", "/agent", "{garbage"},
      {"GET", "/roles", ""},
      {"PUT", "/agent/password", "{\"username\":" + S(b_user) + ",\"password\":\"pwned12345\"}"},
      {"PUT", "/agent/password", "[1,2"},
      {"DELETE", "/agent", u},
      {"DELETE", "/agent", ""},
      {"PUT", "/agent/disable", u},
      {"PUT", "/agent/disable", "nope"},
      {"PUT", "/agent/enable", u},
      {"PUT", "/agent/enable", "{}"},
  };
}

class TenancyTest : public KefuTest {
 protected:
  void SetUp() override {
    KefuTest::SetUp();
    Demo(1);  // tenant 1 = A
    b_ = CreateTenant("tenant-b");
    StartServer();
    ta_ = DemoToken();
    tb_ = IssueToken(b_);
    MustAddAgent(b_.id, tb_, "b.admin@example.com", 1);
    MustAddAgent(b_.id, tb_, "b.agent@example.com", 2);
  }
  std::string BPath(const char* prefix = "/api/tenants/") { return prefix + std::to_string(b_.id); }
  TenantCreds b_;
  std::string ta_, tb_;
};

TEST_F(TenancyTest, TokenOfAOnBPathIsApi003AndBUnchanged) {
  for (const char* prefix : {"/api/tenants/", "/api/platform/tenants/"}) {
    for (auto& e : AllEndpoints("b.agent@example.com")) {
      std::string target = std::string(prefix) + std::to_string(b_.id) + e.suffix;
      ExpectRejected(e.method, target, e.body, ta_, "API_003");
    }
    for (auto& e : AllEndpoints("b.admin@example.com")) {
      std::string target = std::string(prefix) + std::to_string(b_.id) + e.suffix;
      ExpectRejected(e.method, target, e.body, ta_, "API_003");
    }
  }
  // B still sees exactly its two agents, unchanged.
  auto d = Search(b_.id, tb_, "size=50");
  EXPECT_EQ(d["totalElements"].GetInt(), 2);
  for (auto& a : d["entities"].GetArray()) {
    EXPECT_STREQ(a["nicename"].GetString(), "nick");
    EXPECT_STREQ(a["status"].GetString(), "Enable");
  }
}

TEST_F(TenancyTest, TokenOfBOnAPathIsApi003) {
  for (auto& e : AllEndpoints(kDemoAdmin))
    ExpectRejected(e.method, "/api/tenants/1" + e.suffix, e.body, tb_, "API_003");
}

TEST_F(TenancyTest, NonexistentOrInvalidTenantIsApi003) {
  for (const char* t : {"999", "0", "-1", "abc", "99999999999", "2147483648", "1.0", "01x", "%20"}) {
    for (auto& e : AllEndpoints("b.agent@example.com"))
      ExpectRejected(e.method, std::string("/api/tenants/") + t + e.suffix, e.body, ta_, "API_003");
  }
}

TEST_F(TenancyTest, BadTokenOnOtherTenantIsApi002First) {
  for (auto& e : AllEndpoints("b.agent@example.com")) {
    ExpectRejected(e.method, BPath() + e.suffix, e.body, "", "API_002");
    ExpectRejected(e.method, BPath() + e.suffix, e.body, "0123456789abcdef0123456789abcdef", "API_002");
    ExpectRejected(e.method, "/api/tenants/999" + e.suffix, e.body, "", "API_002");
    ExpectRejected(e.method, "/api/tenants/abc" + e.suffix, e.body, "nottoken", "API_002");
  }
}

TEST_F(TenancyTest, ActingOnBAgentThroughAPathIsApi105) {
  for (const char* prefix : {"/api/tenants/1", "/api/platform/tenants/1"}) {
    std::string p = prefix;
    for (const char* user : {"b.agent@example.com", "B.AGENT@example.com", "b.admin@example.com"}) {
      std::string u = S(user);
      ExpectRejected("PUT", p + "/agent", "{\"username\":" + u + ",\"nicename\":\"pwned\"}", ta_, "API_105");
      ExpectRejected("PUT", p + "/agent", "{\"username\":" + u + "}", ta_, "API_105");
      ExpectRejected("PUT", p + "/agent/password", "{\"username\":" + u + ",\"password\":\"pwned12345\"}",
                     ta_, "API_105");
      ExpectRejected("DELETE", p + "/agent", "{\"username\":" + u + "}", ta_, "API_105");
      ExpectRejected("PUT", p + "/agent/disable", "{\"username\":" + u + "}", ta_, "API_105");
      ExpectRejected("PUT", p + "/agent/enable", "{\"username\":" + u + "}", ta_, "API_105");
    }
  }
}

TEST_F(TenancyTest, Api105ComesBeforeFieldChecks) {
  std::string u = R"("username":"b.agent@example.com")";
  ExpectRejected("PUT", "/api/tenants/1/agent", "{" + u + R"(,"nicename":"","roleId":99})", ta_, "API_105");
  ExpectRejected("PUT", "/api/tenants/1/agent", "{" + u + R"(,"maxServiceSessionCount":-4})", ta_, "API_105");
  ExpectRejected("PUT", "/api/tenants/1/agent/password", "{" + u + R"(,"password":"short"})", ta_, "API_105");
  ExpectRejected("PUT", "/api/tenants/1/agent/password", "{" + u + "}", ta_, "API_105");
  // B's only admin through A's path: 105, not 109.
  std::string ua = R"("username":"b.admin@example.com")";
  ExpectRejected("PUT", "/api/tenants/1/agent", "{" + ua + R"(,"roleId":2})", ta_, "API_105");
  ExpectRejected("DELETE", "/api/tenants/1/agent", "{" + ua + "}", ta_, "API_105");
  ExpectRejected("PUT", "/api/tenants/1/agent/disable", "{" + ua + "}", ta_, "API_105");
}

TEST_F(TenancyTest, AddingBUsernameInAIsApi103) {
  ExpectRejected("POST", "/api/tenants/1/agent",
                 Obj({{"nicename", S("x")}, {"username", S("B.Agent@Example.com")},
                      {"password", S("password123")}, {"roleId", "2"}}),
                 ta_, "API_103");
}

TEST_F(TenancyTest, CustomRoleOfBIsNotARoleOfA) {
  int rb = CreateRole(b_.id, "b-only");
  ExpectRejected("POST", "/api/tenants/1/agent",
                 Obj({{"nicename", S("x")}, {"username", S("new@example.com")},
                      {"password", S("password123")}, {"roleId", std::to_string(rb)}}),
                 ta_, "API_107");
  ExpectRejected("PUT", "/api/tenants/1/agent",
                 Obj({{"username", S(kDemoAdmin)}, {"roleId", std::to_string(rb)}}), ta_, "API_107");
  // B's roles list has it, A's does not.
  auto da = ParseJson(Get("/api/tenants/1/roles", ta_).body);
  for (auto& r : da["entities"].GetArray()) EXPECT_NE(r["role_id"].GetInt(), rb);
  auto db = ParseJson(Get(BPath() + "/roles", tb_).body);
  ASSERT_EQ(db["entities"].Size(), 3u);
  EXPECT_EQ(db["entities"][2]["role_id"].GetInt(), rb);
}

TEST_F(TenancyTest, SearchesAreIsolated) {
  auto da = Search(1, ta_, "size=50&keyValue=example.com");
  for (auto& a : da["entities"].GetArray()) EXPECT_EQ(a["tenantId"].GetInt(), 1);
  EXPECT_EQ(da["totalElements"].GetInt(), 0);
  auto db = Search(b_.id, tb_, "size=50");
  EXPECT_EQ(db["totalElements"].GetInt(), 2);
  for (auto& a : db["entities"].GetArray()) {
    EXPECT_EQ(a["tenantId"].GetInt(), b_.id);
    EXPECT_EQ(std::string(a["bizId"].GetString()), std::to_string(b_.id));
  }
}

TEST_F(TenancyTest, SameOperationsSucceedWithTheRightToken) {
  // The positive control: each write A was refused does take effect for B.
  std::string p = BPath();
  auto agent = [&](const char* key) {
    auto a = FindAgentJson(b_.id, tb_, "b.agent@example.com");
    return a ? std::string(ParseJson(*a)[key].GetString()) : std::string("<missing>");
  };
  EXPECT_TRUE(IsBareOk(Call("PUT", p + "/agent", R"({"username":"b.agent@example.com","nicename":"ok"})", tb_)));
  EXPECT_EQ(agent("nicename"), "ok");
  EXPECT_TRUE(IsBareOk(Call("PUT", p + "/agent/password",
                            R"({"username":"b.agent@example.com","password":"okokokok"})", tb_)));
  EXPECT_TRUE(PasswordMatches(StoredPasswordHash(db_, "b.agent@example.com"), "okokokok"));
  EXPECT_TRUE(IsBareOk(Call("PUT", p + "/agent/disable", R"({"username":"b.agent@example.com"})", tb_)));
  EXPECT_EQ(agent("status"), "Disable");
  EXPECT_TRUE(IsBareOk(Call("PUT", p + "/agent/enable", R"({"username":"b.agent@example.com"})", tb_)));
  EXPECT_EQ(agent("status"), "Enable");
  EXPECT_TRUE(IsBareOk(Call("DELETE", p + "/agent", R"({"username":"b.agent@example.com"})", tb_)));
  EXPECT_FALSE(FindAgentJson(b_.id, tb_, "b.agent@example.com").has_value());
  EXPECT_EQ(Search(b_.id, tb_, "size=50")["totalElements"].GetInt(), 1);
}

}  // namespace
}  // namespace bb
