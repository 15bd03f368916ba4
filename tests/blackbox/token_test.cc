// POST .../accessToken: shapes, paths, order of checks, errors.
#include "harness.h"

namespace bb {
namespace {

const std::string kPublishedBody =
    R"({"clientId":"8340a6d8-211f-4b81-9202-63ce46f27c02","secretId":"ca906984-80f1-41b0-a272-6000df3f76c4"})";

std::string TokenBody(const std::string& extra) {
  return std::string(R"({"clientId":"8340a6d8-211f-4b81-9202-63ce46f27c02","secretId":"ca906984-80f1-41b0-a272-6000df3f76c4",)") +
         extra + "}";
}

::testing::AssertionResult IsTokenResponse(const Response& r, int expire = 7200) {
  if (auto ok = IsOk(r); !ok) return ok;
  auto d = ParseJson(r.body);
  if (Keys(d) != std::vector<std::string>{"status", "entity"})
    return ::testing::AssertionFailure() << "top keys [" << Join(Keys(d)) << "]";
  const auto& e = d["entity"];
  if (Keys(e) != std::vector<std::string>{"accessToken", "expireTime"})
    return ::testing::AssertionFailure() << "entity keys [" << Join(Keys(e)) << "]";
  if (!e["accessToken"].IsString() || !MatchesRegex(e["accessToken"].GetString(), "[0-9a-f]{32}"))
    return ::testing::AssertionFailure() << "accessToken is not 32 lowercase hex: " << r.body;
  if (!e["expireTime"].IsInt() || e["expireTime"].GetInt() != expire)
    return ::testing::AssertionFailure() << "expireTime is not " << expire << ": " << r.body;
  return ::testing::AssertionSuccess();
}

std::string TokenOf(const Response& r) {
  auto d = ParseJson(r.body);
  return d["entity"]["accessToken"].GetString();
}

class TokenTest : public DemoTest {};

TEST_F(TokenTest, PublishedRequestOnAllThreePaths) {
  std::vector<std::string> tokens;
  for (const char* path : {"/api/tenants/1/accessToken", "/api/platform/tenants/1/accessToken",
                           "/api/tenant/1/accessToken", "/api/tenants/1/accessToken/",
                           "/api/tenant/1/accessToken/", "/api/platform/tenants/1/accessToken/"}) {
    auto r = http().Request("POST", path, kPublishedBody);
    ASSERT_TRUE(IsTokenResponse(r)) << path;
    tokens.push_back(TokenOf(r));
  }
  // All distinct, and all valid at once.
  std::set<std::string> uniq(tokens.begin(), tokens.end());
  EXPECT_EQ(uniq.size(), tokens.size());
  for (auto& t : tokens) EXPECT_TRUE(IsOk(Get("/api/tenants/1/roles", t))) << t;
}

TEST_F(TokenTest, TenantIdInBodyMayBeNumberOrDecimalString) {
  EXPECT_TRUE(IsTokenResponse(http().Request("POST", "/api/tenants/1/accessToken", TokenBody(R"("tenantId":1)"))));
  EXPECT_TRUE(IsTokenResponse(http().Request("POST", "/api/tenants/1/accessToken", TokenBody(R"("tenantId":"1")"))));
  // null is the same as absent.
  EXPECT_TRUE(IsTokenResponse(http().Request("POST", "/api/tenants/1/accessToken", TokenBody(R"("tenantId":null)"))));
}

TEST_F(TokenTest, TenantIdInBodyDifferentFromPathIsApi001) {
  std::string before = Snap();
  for (const char* tid : {R"("租户ID")", "2", R"("2")", R"("")", "true", "1.5", R"("01x")", "[1]"}) {
    auto r = http().Request("POST", "/api/tenants/1/accessToken",
                            TokenBody(std::string(R"("tenantId":)") + tid));
    EXPECT_TRUE(IsError(r, 400, "API_001")) << "tenantId " << tid;
  }
  EXPECT_TRUE(SameSnapshot(before, Snap()));
}

TEST_F(TokenTest, PublishedBodyWithPlaceholderTenantIdIsApi001) {
  // The published "Request body" block carries "tenantId":"租户ID".
  auto r = http().Request(
      "POST", "/api/tenants/1/accessToken",
      "{\n\"tenantId\":\"租户ID\",\n\"clientId\":\"8340a6d8-211f-4b81-9202-63ce46f27c02\",\n"
      "\"secretId\":\"ca906984-80f1-41b0-a272-6000df3f76c4\"\n}");
  EXPECT_TRUE(IsError(r, 400, "API_001"));
}

TEST_F(TokenTest, MalformedBodiesAreApi001) {
  std::string before = Snap();
  const std::vector<std::string> bodies = {
      "",
      "{",
      "not json",
      "[]",
      R"(["8340a6d8-211f-4b81-9202-63ce46f27c02"])",
      "null",
      "\"x\"",
      R"({"secretId":"ca906984-80f1-41b0-a272-6000df3f76c4"})",
      R"({"clientId":"8340a6d8-211f-4b81-9202-63ce46f27c02"})",
      R"({"clientId":123,"secretId":"ca906984-80f1-41b0-a272-6000df3f76c4"})",
      R"({"clientId":"8340a6d8-211f-4b81-9202-63ce46f27c02","secretId":true})",
      R"({"clientId":null,"secretId":"ca906984-80f1-41b0-a272-6000df3f76c4"})",
      R"({"clientId":"8340a6d8-211f-4b81-9202-63ce46f27c02","secretId":{}})",
      R"({"clientId":"8340a6d8-211f-4b81-9202-63ce46f27c02","secretId":"ca906984-80f1-41b0-a272-6000df3f76c4"} x)",
  };
  for (auto& b : bodies) {
    auto r = http().Request("POST", "/api/tenants/1/accessToken", b, {}, true);
    EXPECT_TRUE(IsError(r, 400, "API_001")) << "body: " << b;
  }
  EXPECT_TRUE(SameSnapshot(before, Snap()));
}

TEST_F(TokenTest, WrongPairIsApi004) {
  std::string before = Snap();
  auto other = CreateTenant("other");
  struct Case {
    std::string cid, sid;
  };
  std::vector<Case> cases = {
      {kDemoClientId, "ca906984-80f1-41b0-a272-6000df3f76c5"},
      {"8340a6d8-211f-4b81-9202-63ce46f27c03", kDemoSecretId},
      {kDemoSecretId, kDemoClientId},
      {kDemoClientId, "CA906984-80F1-41B0-A272-6000DF3F76C4"},
      {kDemoClientId, other.secret_id},
      {other.client_id, other.secret_id},  // pair of another tenant
      {kDemoClientId, std::string(kDemoSecretId) + " "},
  };
  before = Snap();
  for (auto& c : cases) {
    auto r = http().Request("POST", "/api/tenants/1/accessToken",
                            Obj({{"clientId", S(c.cid)}, {"secretId", S(c.sid)}}));
    EXPECT_TRUE(IsError(r, 401, "API_004")) << c.cid << " / " << c.sid;
  }
  EXPECT_TRUE(SameSnapshot(before, Snap()));
  // The other tenant's own pair works on its own path.
  EXPECT_TRUE(IsTokenResponse(http().Request(
      "POST", "/api/tenants/" + std::to_string(other.id) + "/accessToken",
      Obj({{"clientId", S(other.client_id)}, {"secretId", S(other.secret_id)}}))));
}

TEST_F(TokenTest, EmptyStringPairIsApi004) {
  // decisions.md: API_001 only when clientId/secretId is missing or not a string;
  // an empty string is a string, so the pair check answers: API_004.
  std::string before = Snap();
  for (auto [cid, sid] : std::vector<std::pair<std::string, std::string>>{
           {kDemoClientId, ""}, {"", kDemoSecretId}, {"", ""}}) {
    auto r = http().Request("POST", "/api/tenants/1/accessToken",
                            Obj({{"clientId", S(cid)}, {"secretId", S(sid)}}));
    EXPECT_TRUE(IsError(r, 401, "API_004")) << "'" << cid << "' / '" << sid << "'";
  }
  EXPECT_TRUE(SameSnapshot(before, Snap()));
}

TEST_F(TokenTest, UnknownPathTenantIsApi003BeforeBodyChecks) {
  std::string before = Snap();
  for (const char* t : {"999", "2", "0", "-1", "abc", "99999999999", "2147483648", "1.0"}) {
    for (const char* prefix : {"/api/tenants/", "/api/platform/tenants/", "/api/tenant/"}) {
      std::string path = std::string(prefix) + t + "/accessToken";
      EXPECT_TRUE(IsError(http().Request("POST", path, kPublishedBody), 403, "API_003")) << path;
      EXPECT_TRUE(IsError(http().Request("POST", path, "{garbage", {}, true), 403, "API_003")) << path;
      EXPECT_TRUE(IsError(http().Request("POST", path, "", {}, true), 403, "API_003")) << path;
    }
  }
  EXPECT_TRUE(SameSnapshot(before, Snap()));
}

TEST_F(TokenTest, OrderBodyTenantIdBeforePair) {
  // Bad tenantId in body and a wrong secret: API_001 (body) comes before API_004 (pair).
  auto r = http().Request(
      "POST", "/api/tenants/1/accessToken",
      R"({"tenantId":2,"clientId":"8340a6d8-211f-4b81-9202-63ce46f27c02","secretId":"wrong"})");
  EXPECT_TRUE(IsError(r, 400, "API_001"));
  // Missing secretId with a wrong clientId: API_001.
  r = http().Request("POST", "/api/tenants/1/accessToken", R"({"clientId":"wrong"})");
  EXPECT_TRUE(IsError(r, 400, "API_001"));
}

TEST_F(TokenTest, GetOnTokenEndpointIs405WithAllowPost) {
  for (const char* m : {"GET", "PUT", "DELETE"}) {
    auto r = http().Request(m, "/api/tenants/1/accessToken");
    EXPECT_TRUE(IsError(r, 405, "API_405")) << m;
    EXPECT_NE(r.Header("Allow").find("POST"), std::string::npos) << Describe(r);
    EXPECT_EQ(r.Header("Allow").find(m), std::string::npos) << Describe(r);
  }
}

TEST_F(TokenTest, ManyTokensDistinctAndValidTogether) {
  std::set<std::string> seen;
  std::vector<std::string> all;
  for (int i = 0; i < 20; ++i) {
    auto t = DemoToken();
    demo_token_.clear();
    EXPECT_TRUE(seen.insert(t).second) << "duplicate token " << t;
    all.push_back(t);
  }
  for (auto& t : all) EXPECT_TRUE(IsOk(Get("/api/tenants/1/agents", t)));
}

TEST_F(TokenTest, TokenIsTenantBound) {
  auto b = CreateTenant("b");
  std::string tb = IssueToken(b);
  EXPECT_TRUE(IsOk(Get("/api/tenants/" + std::to_string(b.id) + "/roles", tb)));
  EXPECT_TRUE(IsError(Get("/api/tenants/1/roles", tb), 403, "API_003"));
  // Demo pair on tenant B's path: API_004.
  auto r = http().Request("POST", "/api/tenants/" + std::to_string(b.id) + "/accessToken",
                          kPublishedBody);
  EXPECT_TRUE(IsError(r, 401, "API_004"));
}

TEST_F(TokenTest, UnknownFieldsInBodyIgnored) {
  EXPECT_TRUE(IsTokenResponse(http().Request("POST", "/api/tenants/1/accessToken",
                                             TokenBody(R"("foo":"bar","n":[1,2])"))));
}

TEST_F(TokenTest, ContentTypeHeaderNotRequired) {
  std::string raw = "POST /api/tenants/1/accessToken HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                    std::to_string(kPublishedBody.size()) + "\r\n\r\n" + kPublishedBody;
  EXPECT_TRUE(IsTokenResponse(http().Raw(raw)));
}

class TokenTtlTest : public KefuTest {};

// Tokens expire in whole seconds: one issued with --token-ttl N is good for
// more than N - 1 s and gone N s after it was issued.
TEST_F(TokenTtlTest, TokenTtlOptionSetsExpireTimeAndExpires) {
  Demo(1);
  StartServer({"--token-ttl", "3"});
  auto r = http().Request("POST", "/api/tenants/1/accessToken", kPublishedBody);
  ASSERT_TRUE(IsTokenResponse(r, 3));
  std::string t = TokenOf(r);
  EXPECT_TRUE(IsOk(Get("/api/tenants/1/agents", t)));  // one request within the 2 s it surely has
  std::this_thread::sleep_for(std::chrono::milliseconds(3100));
  EXPECT_TRUE(IsError(Get("/api/tenants/1/agents", t), 401, "API_002"));
  EXPECT_TRUE(IsError(Get("/api/tenants/1/roles", t), 401, "API_002"));
  // A fresh token works again.
  auto r2 = http().Request("POST", "/api/tenants/1/accessToken", kPublishedBody);
  ASSERT_TRUE(IsTokenResponse(r2, 3));
  EXPECT_TRUE(IsOk(Get("/api/tenants/1/agents", TokenOf(r2))));
}

TEST_F(TokenTtlTest, DefaultTtlIs7200) {
  Demo(1);
  StartServer();
  EXPECT_TRUE(IsTokenResponse(http().Request("POST", "/api/tenants/1/accessToken", kPublishedBody), 7200));
}

TEST_F(TokenTtlTest, TokenStillValidSecondsLater) {
  // --token-ttl 30: expireTime 30 and the token still works 2 s later; it
  // surely has 29 s, so a slow machine has 27 s for the one request.
  Demo(1);
  StartServer({"--token-ttl", "30"});
  auto r = http().Request("POST", "/api/tenants/1/accessToken", kPublishedBody);
  ASSERT_TRUE(IsTokenResponse(r, 30));
  std::this_thread::sleep_for(std::chrono::milliseconds(2000));
  EXPECT_TRUE(IsOk(Get("/api/tenants/1/agents", TokenOf(r))));
}

}  // namespace
}  // namespace bb
