// Rate limits (docs/decisions.md, "Rate limits"): the per-tenant quota of
// `serve --rate-limit`, off by default, and the always-on limits on failed
// token requests per clientId and per client address.
#include "harness.h"

namespace bb {
namespace {

const char* kQuotaHeaders[] = {"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"};

std::string TokenPath(int tenant) { return "/api/tenants/" + std::to_string(tenant) + "/accessToken"; }

std::string TokenBody(const std::string& client_id, const std::string& secret_id) {
  return Obj({{"clientId", S(client_id)}, {"secretId", S(secret_id)}});
}

long HeaderNumber(const Response& r, std::string_view name) {
  std::string v = r.Header(name);
  if (v.empty() || v.find_first_not_of("0123456789") != std::string::npos) return -1;
  return std::stol(v);
}

// API_429 with its exact envelope and a Retry-After of whole seconds.
::testing::AssertionResult IsTooManyRequests(const Response& r) {
  if (auto e = IsError(r, 429, "API_429"); !e) return e;
  if (HeaderNumber(r, "Retry-After") < 1)
    return ::testing::AssertionFailure() << "Retry-After missing or not a positive integer: " << Describe(r);
  return ::testing::AssertionSuccess();
}

class RateLimitTest : public KefuTest {
 protected:
  void SetUp() override {
    KefuTest::SetUp();
    Demo();
  }
  std::string Roles(int tenant = 1) { return "/api/tenants/" + std::to_string(tenant) + "/roles"; }
};

TEST_F(RateLimitTest, OffByDefault) {
  StartServer();
  std::string token = DemoToken();
  for (int i = 0; i < 300; ++i) {
    auto r = Get(Roles(), token);
    ASSERT_TRUE(IsOk(r)) << "request " << i;
    for (const char* h : kQuotaHeaders) ASSERT_FALSE(r.HasHeader(h)) << h << " without --rate-limit";
  }
}

// The quotas below refill one request every 100 s (--rate-limit 0.01), so
// that none comes back during a test however slow the machine.
TEST_F(RateLimitTest, EveryAnswerCarriesTheQuotaAndThenApi429) {
  // A burst of 4: the token takes one, three more pass, the fifth is refused.
  StartServer({"--rate-limit", "0.01", "--rate-burst", "4"});
  auto issued = http().Request("POST", TokenPath(1), TokenBody(kDemoClientId, kDemoSecretId));
  ASSERT_TRUE(IsOk(issued));
  EXPECT_EQ(issued.Header("X-RateLimit-Limit"), "4");
  EXPECT_EQ(HeaderNumber(issued, "X-RateLimit-Remaining"), 3);
  std::string token = ParseJson(issued.body)["entity"]["accessToken"].GetString();

  for (long remaining = 2; remaining >= 0; --remaining) {
    auto r = Get(Roles(), token);
    ASSERT_TRUE(IsOk(r)) << "with " << remaining + 1 << " left";
    EXPECT_EQ(r.Header("X-RateLimit-Limit"), "4");
    EXPECT_EQ(HeaderNumber(r, "X-RateLimit-Remaining"), remaining) << Describe(r);
    EXPECT_GE(HeaderNumber(r, "X-RateLimit-Reset"), 1);
  }
  Response refused = Get(Roles(), token);
  ASSERT_TRUE(IsTooManyRequests(refused));
  EXPECT_EQ(refused.Header("X-RateLimit-Limit"), "4");
  EXPECT_EQ(refused.Header("X-RateLimit-Remaining"), "0");
  EXPECT_GE(HeaderNumber(refused, "X-RateLimit-Reset"), 1);
  EXPECT_LE(HeaderNumber(refused, "Retry-After"), 100);  // one request back every 100 s
  EXPECT_EQ(ParseJson(refused.body)["errorDescription"].GetString(), std::string("too many requests"));
}

TEST_F(RateLimitTest, ServedAgainAfterRetryAfter) {
  // One request every 2 s and no burst: the token takes it, so a request is
  // refused (unless 2 s passed meanwhile; then the next one is), and after
  // Retry-After the tenant is served again.
  StartServer({"--rate-limit", "0.5", "--rate-burst", "1"});
  std::string token = DemoToken();
  Response refused;
  for (int i = 0; i < 20 && refused.status != 429; ++i) refused = Get(Roles(), token);
  ASSERT_TRUE(IsTooManyRequests(refused));
  EXPECT_LE(HeaderNumber(refused, "Retry-After"), 2);
  std::this_thread::sleep_for(std::chrono::seconds(HeaderNumber(refused, "Retry-After")));
  EXPECT_TRUE(IsOk(Get(Roles(), token)));
}

TEST_F(RateLimitTest, RefusedWritesChangeNothing) {
  StartServer({"--rate-limit", "0.01", "--rate-burst", "2"});
  std::string token = DemoToken();  // the first of the two
  ASSERT_TRUE(IsOk(Get(Roles(), token)));
  std::string before = Snap();
  for (int i = 0; i < 3; ++i) {
    auto r = AddAgent(1, token, "limited" + std::to_string(i) + "@example.com");
    EXPECT_TRUE(IsTooManyRequests(r)) << "add " << i;
    EXPECT_TRUE(SameSnapshot(before, Snap())) << "add " << i;
  }
}

TEST_F(RateLimitTest, TenantsHaveQuotasOfTheirOwn) {
  TenantCreds other = CreateTenant("Other", 2);
  StartServer({"--rate-limit", "0.01", "--rate-burst", "3"});
  std::string token = DemoToken();
  std::string other_token = IssueToken(other);
  EXPECT_TRUE(IsOk(Get(Roles(), token)));
  EXPECT_TRUE(IsOk(Get(Roles(), token)));
  ASSERT_TRUE(IsTooManyRequests(Get(Roles(), token)));
  auto r = Get(Roles(2), other_token);
  EXPECT_TRUE(IsOk(r));
  EXPECT_EQ(HeaderNumber(r, "X-RateLimit-Remaining"), 1);
}

TEST_F(RateLimitTest, RequestsThatDoNotProveTheTenantSpendNothing) {
  // Anyone may name a tenant in a path; only the tenant's own tokens and
  // credentials spend its quota, so strangers cannot exhaust it.
  StartServer({"--rate-limit", "0.01", "--rate-burst", "3"});
  for (int i = 0; i < 20; ++i) {
    auto bad_token = Get(Roles(), std::string(32, 'a'));
    ASSERT_TRUE(IsError(bad_token, 401, "API_002"));
    for (const char* h : kQuotaHeaders) EXPECT_FALSE(bad_token.HasHeader(h)) << h;
  }
  for (int i = 0; i < 5; ++i) {
    auto bad_secret = http().Request("POST", TokenPath(1), TokenBody(kDemoClientId, "wrong"));
    ASSERT_TRUE(IsError(bad_secret, 401, "API_004"));
  }
  auto issued = http().Request("POST", TokenPath(1), TokenBody(kDemoClientId, kDemoSecretId));
  ASSERT_TRUE(IsOk(issued));
  EXPECT_EQ(HeaderNumber(issued, "X-RateLimit-Remaining"), 2);
}

TEST_F(RateLimitTest, RateLimitMustBeANumber) {
  for (const char* bad : {"-1", "lots"}) {
    auto r = RunKefud({"serve", "--db", db_, "--listen", "127.0.0.1:0", "--rate-limit", bad}, 30);
    EXPECT_NE(r.exit_code, 0) << bad;
    EXPECT_NE(r.err.find("--rate-limit"), std::string::npos) << r.err;
  }
}

// ---------------------------------------------------------------- token guessing

// The limits on failed token requests below are a few a minute, so that no
// attempt comes back during a test however slow the machine (the defaults,
// 30 and 300 a minute, give one back every 2 s and every 0.2 s). The
// defaults themselves: TokenFailureLimitDefaults; the refill: the unit tests
// of RateLimiter, on their own clock.
TEST_F(RateLimitTest, TokenFailureLimitDefaults) {
  auto r = RunKefud({"serve", "--help"}, 30);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The help line of an option ends in its default: "... FLOAT in [1 - 1e+09]=30".
  auto line_of = [&](const std::string& option) {
    size_t at = r.out.find(option + " ");
    if (at == std::string::npos) return std::string();
    return r.out.substr(at, r.out.find('\n', at) - at);
  };
  EXPECT_TRUE(line_of("--token-failures-per-client").ends_with("=30")) << r.out;
  EXPECT_TRUE(line_of("--token-failures-per-address").ends_with("=300")) << r.out;
}

TEST_F(RateLimitTest, GuessingOneClientsSecretIsCutOff) {
  // Three a minute: one attempt back every 20 s.
  StartServer({"--token-failures-per-client", "3"});
  std::string token = DemoToken();
  std::string before = Snap();
  for (int i = 0; i < 3; ++i) {
    auto r = http().Request("POST", TokenPath(1), TokenBody(kDemoClientId, "guess-" + std::to_string(i)));
    ASSERT_TRUE(IsError(r, 401, "API_004")) << "attempt " << i;
  }
  auto cut = http().Request("POST", TokenPath(1), TokenBody(kDemoClientId, "guess-3"));
  ASSERT_TRUE(IsTooManyRequests(cut));
  // Retry-After: until the one attempt that comes back every 20 s.
  EXPECT_LE(HeaderNumber(cut, "Retry-After"), 20);
  // Even the right secret waits now: the guesser cannot tell it found it.
  EXPECT_TRUE(IsTooManyRequests(
      http().Request("POST", TokenPath(1), TokenBody(kDemoClientId, kDemoSecretId))));
  EXPECT_TRUE(SameSnapshot(before, Snap()));
  // Another client of the same tenant, from the same address, is unaffected.
  TenantCreds second = AddCredential(1);
  EXPECT_TRUE(IsOk(http().Request("POST", TokenPath(1), TokenBody(second.client_id, second.secret_id))));
  // Tokens issued before keep working.
  EXPECT_TRUE(IsOk(Get(Roles(), token)));
}

TEST_F(RateLimitTest, AnAddressTryingManyClientIdsIsCutOff) {
  // Three a minute per address: one attempt back every 20 s.
  StartServer({"--token-failures-per-address", "3"});
  std::string token = DemoToken();
  for (int i = 0; i < 3; ++i) {
    auto r = http().Request("POST", TokenPath(1),
                            TokenBody("00000000-0000-0000-0000-" + std::to_string(100000000000LL + i), "x"));
    ASSERT_TRUE(IsError(r, 401, "API_004")) << "attempt " << i;
  }
  EXPECT_TRUE(IsTooManyRequests(
      http().Request("POST", TokenPath(1), TokenBody("00000000-0000-0000-0000-999999999999", "x"))));
  EXPECT_TRUE(IsTooManyRequests(
      http().Request("POST", TokenPath(1), TokenBody(kDemoClientId, kDemoSecretId))));
  // Requests with a token are not token requests, and are served as before.
  EXPECT_TRUE(IsOk(Get(Roles(), token)));
}

TEST_F(RateLimitTest, UnknownTenantsCountAsFailures) {
  StartServer({"--token-failures-per-address", "5"});
  for (int i = 0; i < 5; ++i) {
    auto r = http().Request("POST", TokenPath(1000 + i), TokenBody(kDemoClientId, kDemoSecretId));
    ASSERT_TRUE(IsError(r, 403, "API_003")) << "attempt " << i;
  }
  EXPECT_TRUE(IsTooManyRequests(
      http().Request("POST", TokenPath(1), TokenBody(kDemoClientId, kDemoSecretId))));
}

TEST_F(RateLimitTest, MalformedTokenRequestsAreNotGuesses) {
  StartServer({"--token-failures-per-address", "3", "--token-failures-per-client", "3"});
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(IsError(http().Request("POST", TokenPath(1), "{not json"), 400, "API_001"));
    ASSERT_TRUE(IsError(http().Request("POST", TokenPath(1), Obj({{"clientId", S(kDemoClientId)}})), 400,
                        "API_001"));
  }
  EXPECT_TRUE(IsOk(http().Request("POST", TokenPath(1), TokenBody(kDemoClientId, kDemoSecretId))));
}

TEST_F(RateLimitTest, ForwardedForCountsOnlyFromATrustedProxy) {
  // Behind a trusted proxy each forwarded address has its own allowance.
  StartServer({"--token-failures-per-address", "3", "--token-failures-per-client", "100",
               "--trusted-proxy", "127.0.0.1"});
  auto attempt = [&](const std::string& from, const std::string& secret) {
    return http().Request("POST", TokenPath(1), TokenBody(kDemoClientId, secret),
                          {{"X-Forwarded-For", from}});
  };
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(IsError(attempt("203.0.113.7", "bad"), 401, "API_004"));
  EXPECT_TRUE(IsTooManyRequests(attempt("203.0.113.7", kDemoSecretId)));
  // A client cannot pick its address by prefixing the header: the proxy's
  // own entry is the last one.
  EXPECT_TRUE(IsTooManyRequests(attempt("198.51.100.1, 203.0.113.7", kDemoSecretId)));
  EXPECT_TRUE(IsOk(attempt("203.0.113.8", kDemoSecretId)));
}

TEST_F(RateLimitTest, ForwardedForIsIgnoredFromAnyoneElse) {
  StartServer({"--token-failures-per-address", "3", "--token-failures-per-client", "100"});
  for (int i = 0; i < 3; ++i) {
    auto r = http().Request("POST", TokenPath(1), TokenBody(kDemoClientId, "bad"),
                            {{"X-Forwarded-For", "203.0.113." + std::to_string(i)}});
    ASSERT_TRUE(IsError(r, 401, "API_004"));
  }
  EXPECT_TRUE(IsTooManyRequests(http().Request("POST", TokenPath(1), TokenBody(kDemoClientId, kDemoSecretId),
                                               {{"X-Forwarded-For", "203.0.113.99"}})));
}

}  // namespace
}  // namespace bb
