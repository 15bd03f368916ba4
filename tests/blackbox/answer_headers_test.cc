// Headers every answer carries: X-Content-Type-Options: nosniff on all of
// them, and Cache-Control: no-store on those that carry a credential.
#include "harness.h"

namespace bb {
namespace {

class AnswerHeadersTest : public DemoTest {};

TEST_F(AnswerHeadersTest, EveryAnswerSaysNosniff) {
  const Response answers[] = {
      Get("/healthz", ""),
      Get("/api/tenants/1/roles", demo_token_),
      Get("/api/tenants/1/roles", "not-a-token"),
      Get("/api/tenants/1/nothing-here", ""),
      Call("PUT", "/api/tenants/1/roles", "", demo_token_),
      http().Request("POST", "/api/tenants/1/accessToken",
                     Obj({{"clientId", S(kDemoClientId)}, {"secretId", S(kDemoSecretId)}})),
  };
  for (const auto& r : answers) EXPECT_EQ(r.Header("X-Content-Type-Options"), "nosniff") << Describe(r);
  // Even the answer to a request the HTTP parser refused.
  HttpConn raw(server_.port());
  Response malformed = raw.Raw("NOT HTTP AT ALL\r\n\r\n");
  EXPECT_TRUE(IsError(malformed, 400, "API_001"));
  EXPECT_EQ(malformed.Header("X-Content-Type-Options"), "nosniff") << Describe(malformed);
}

TEST_F(AnswerHeadersTest, TokenAnswersAreNeverCached) {
  Response r = http().Request("POST", "/api/tenants/1/accessToken",
                              Obj({{"clientId", S(kDemoClientId)}, {"secretId", S(kDemoSecretId)}}));
  ASSERT_TRUE(IsOk(r));
  EXPECT_EQ(r.Header("Cache-Control"), "no-store");
  // An answer with nothing secret in it says nothing about caching.
  EXPECT_EQ(Get("/api/tenants/1/roles", demo_token_).Header("Cache-Control"), "");
}

}  // namespace
}  // namespace bb
