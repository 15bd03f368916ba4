// Guessing a clientId's secret is cut off, but never at its owner's expense
// (docs/decisions.md, "Rate limits"): failures count per clientId and
// address first, and the clientId's ceiling refuses only addresses that
// have failed. Addresses come from X-Forwarded-For through a trusted proxy.
#include "harness.h"

namespace bb {
namespace {

class TokenGuessingTest : public KefuTest {
 protected:
  void SetUp() override {
    KefuTest::SetUp();
    Demo();
    StartServer({"--trusted-proxy", "127.0.0.1", "--token-failures-per-client", "10"});
  }
  Response Attempt(const std::string& from, const std::string& secret) {
    return http().Request("POST", "/api/tenants/1/accessToken",
                          Obj({{"clientId", S(kDemoClientId)}, {"secretId", S(secret)}}),
                          {{"X-Forwarded-For", from}});
  }
};

TEST_F(TokenGuessingTest, AStrangerIsCutOffWhileTheOwnerStillGetsTokens) {
  const std::string stranger = "203.0.113.7", owner = "198.51.100.1";
  int refused_after = -1;
  for (int i = 0; i < 50 && refused_after < 0; ++i) {
    Response r = Attempt(stranger, "guess-" + std::to_string(i));
    if (IsError(r, 429, "API_429")) {
      refused_after = i;
    } else {
      ASSERT_TRUE(IsError(r, 401, "API_004")) << "attempt " << i;
    }
  }
  ASSERT_GE(refused_after, 1) << "the stranger was never cut off";
  EXPECT_LE(refused_after, 11);
  // The stranger's right guess now waits too: it cannot tell it found it.
  EXPECT_TRUE(IsError(Attempt(stranger, kDemoSecretId), 429, "API_429"));
  // The clientId's ceiling is reached, yet its owner, elsewhere, is served.
  for (int i = 0; i < 3; ++i) {
    Response r = Attempt(owner, kDemoSecretId);
    ASSERT_TRUE(IsOk(r)) << Describe(r);
    EXPECT_FALSE(ParseJson(r.body)["entity"]["accessToken"].GetString() == std::string()) << r.body;
  }
}

TEST_F(TokenGuessingTest, PastTheCeilingAnAddressThatFailedWaits) {
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(IsError(Attempt("203.0.113." + std::to_string(i), "bad"), 401, "API_004")) << i;
  }
  // Ten addresses, one guess each, reach the clientId's ceiling of 10: each
  // of them now waits, while an address that never failed is checked.
  EXPECT_TRUE(IsError(Attempt("203.0.113.3", "bad"), 429, "API_429"));
  EXPECT_TRUE(IsError(Attempt("203.0.113.3", kDemoSecretId), 429, "API_429"));
  EXPECT_TRUE(IsError(Attempt("203.0.113.200", "bad"), 401, "API_004"));
  EXPECT_TRUE(IsOk(Attempt("198.51.100.1", kDemoSecretId)));
}

}  // namespace
}  // namespace bb
