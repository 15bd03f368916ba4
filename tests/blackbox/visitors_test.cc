// Visitors (LIVE §5): an entry on a channel gives a token, anonymous, kept
// by a still valid token, or for an identity the integrator's server signed
// with the channel's secret (checked here with OpenSSL's HMAC, not kefu's
// own). Every refusal leaves the store as it was.
#include <openssl/hmac.h>

#include "harness.h"

namespace bb {
namespace {

std::string Hex(const unsigned char* bytes, size_t n) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out += digits[bytes[i] >> 4];
    out += digits[bytes[i] & 15];
  }
  return out;
}

// The identitySignature an integrator's server computes.
std::string Sign(const std::string& secret, const std::string& username) {
  unsigned char mac[32];
  unsigned int n = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(username.data()), username.size(), mac, &n);
  return Hex(mac, n);
}

class VisitorsTest : public DemoTest {
 protected:
  void SetUp() override {
    DemoTest::SetUp();
    acme_ = CreateTenant("acme");
    token_ = IssueToken(acme_);
    entry_ = "/api/visitor/tenants/" + std::to_string(acme_.id) + "/visitors";
    Response made = Call("POST", "/api/tenants/" + std::to_string(acme_.id) + "/channels",
                         R"({"techChannelName":"Shop","techChannelType":"easemob","originType":"webim"})", token_);
    if (!IsOk(made)) throw std::runtime_error("channel: " + Describe(made));
    auto doc = ParseJson(made.body);
    key_ = doc["entity"]["channelKey"].GetString();
    secret_ = doc["entity"]["secret"].GetString();
  }

  Response Enter(const std::string& body) { return http().Request("POST", entry_, body); }
  Response Session(const std::string& visitor_token) {
    return http().Request("GET", "/api/visitor/session", {}, {{"Visitor-Token", visitor_token}});
  }
  std::string KeyBody(const std::string& rest = "") { return "{\"channelKey\":" + S(key_) + rest + "}"; }
  void ExpectRefusedEntry(const std::string& body, int status, const char* code) {
    const std::string before = Snap();
    Response r = Enter(body);
    EXPECT_TRUE(IsError(r, status, code)) << body << ": " << Describe(r);
    EXPECT_TRUE(SameSnapshot(before, Snap())) << body;
  }

  TenantCreds acme_;
  std::string token_, entry_, key_, secret_;
};

TEST_F(VisitorsTest, AnAnonymousVisitorEntersAndComesBack) {
  Response r = Enter(KeyBody(R"(,"nicename":"Lucy")"));
  ASSERT_TRUE(IsOk(r)) << Describe(r);
  EXPECT_EQ(r.Header("Cache-Control"), "no-store");
  auto doc = ParseJson(r.body);
  const auto& e = doc["entity"];
  std::vector<std::string> keys;
  for (const auto& m : e.GetObject()) keys.emplace_back(m.name.GetString());
  EXPECT_EQ(keys, (std::vector<std::string>{"visitorToken", "expireTime", "visitor", "chatGroupId"}));
  const std::string vt = e["visitorToken"].GetString();
  EXPECT_EQ(vt.size(), 32u);
  EXPECT_EQ(e["expireTime"].GetInt64(), 30 * 24 * 3600);
  EXPECT_EQ(std::string(e["visitor"]["nicename"].GetString()), "Lucy");
  EXPECT_EQ(std::string(e["visitor"]["username"].GetString()).rfind("webim-visitor-", 0), 0u);
  ASSERT_TRUE(e["chatGroupId"].IsInt64());
  const std::string visitor = Compact(e["visitor"]);

  Response s = Session(vt);
  ASSERT_TRUE(IsOk(s)) << Describe(s);
  EXPECT_EQ(s.body, "{\"status\":\"OK\",\"entity\":{\"visitor\":" + visitor + ",\"chatGroupId\":" +
                        std::to_string(e["chatGroupId"].GetInt64()) + ",\"lastSeq\":0,\"session\":null}}");

  // Coming back with the token: the same visitor and token.
  Response back = Enter(KeyBody(",\"visitorToken\":" + S(vt)));
  ASSERT_TRUE(IsOk(back)) << Describe(back);
  EXPECT_EQ(ParseJson(back.body)["entity"]["visitorToken"].GetString(), vt);
  EXPECT_EQ(Compact(ParseJson(back.body)["entity"]["visitor"]), visitor);
  // A token that is not one: a new visitor.
  Response fresh = Enter(KeyBody(R"(,"visitorToken":"0123456789abcdef0123456789abcdef")"));
  ASSERT_TRUE(IsOk(fresh));
  EXPECT_NE(Compact(ParseJson(fresh.body)["entity"]["visitor"]), visitor);
}

TEST_F(VisitorsTest, ASignedIdentityIsFoundAgainAndABadSignatureIsRefused) {
  const std::string body = KeyBody(R"(,"username":"crm-42","nicename":"张先生","identitySignature":")" +
                                   Sign(secret_, "crm-42") + "\"");
  Response first = Enter(body);
  ASSERT_TRUE(IsOk(first)) << Describe(first);
  EXPECT_EQ(std::string(ParseJson(first.body)["entity"]["visitor"]["username"].GetString()), "crm-42");
  Response second = Enter(body);
  ASSERT_TRUE(IsOk(second));
  EXPECT_EQ(Compact(ParseJson(second.body)["entity"]["visitor"]), Compact(ParseJson(first.body)["entity"]["visitor"]));
  EXPECT_NE(ParseJson(second.body)["entity"]["visitorToken"].GetString(),
            std::string(ParseJson(first.body)["entity"]["visitorToken"].GetString()));

  for (const std::string& sig : {std::string(""), Sign(secret_, "crm-43"), Sign("other", "crm-42"),
                                 std::string("zz")}) {
    ExpectRefusedEntry(KeyBody(R"(,"username":"crm-42","identitySignature":")" + sig + "\""), 401, "API_002");
  }
  ExpectRefusedEntry(KeyBody(R"(,"username":"crm-42")"), 401, "API_002");
  // A new secret ends the old one.
  Response renewed = Call("POST", "/api/tenants/" + std::to_string(acme_.id) + "/channels/1/secret", "", token_);
  ASSERT_TRUE(IsOk(renewed));
  ExpectRefusedEntry(body, 401, "API_002");
  const std::string secret = ParseJson(renewed.body)["entity"]["secret"].GetString();
  EXPECT_TRUE(IsOk(Enter(KeyBody(R"(,"username":"crm-42","identitySignature":")" + Sign(secret, "crm-42") + "\""))));
  // A channel without a secret (the demo tenant's catalog ones but channel 1) takes no identity.
  const std::string demo_key =
      ParseJson(Get("/api/tenants/1/channels", DemoToken()).body)["entities"][1]["channelKey"].GetString();
  const std::string before = Snap();
  Response r = http().Request("POST", "/api/visitor/tenants/1/visitors",
                              "{\"channelKey\":" + S(demo_key) + R"(,"username":"crm-42","identitySignature":")" +
                                  Sign("", "crm-42") + "\"}");
  EXPECT_TRUE(IsError(r, 401, "API_002")) << Describe(r);
  EXPECT_TRUE(SameSnapshot(before, Snap()));
  EXPECT_TRUE(IsOk(http().Request("POST", "/api/visitor/tenants/1/visitors", "{\"channelKey\":" + S(demo_key) + "}")))
      << "anonymous visitors are welcome there";
}

TEST_F(VisitorsTest, BadEntriesChangeNothing) {
  for (const std::string& body :
       {std::string("{}"), std::string(R"({"channelKey":7})"), std::string(R"({"channelKey":""})"),
        KeyBody(R"(,"nicename":"")"), KeyBody(",\"nicename\":" + S(std::string(101, 'n'))),
        KeyBody(R"(,"username":5)"), KeyBody(R"(,"visitorToken":5)"), KeyBody(R"(,"identitySignature":[])"),
        std::string("[]"), std::string("not json"), std::string()}) {
    ExpectRefusedEntry(body, 400, "API_001");
  }
  ExpectRefusedEntry(R"({"channelKey":"no-such-key"})", 404, "API_205");
  // A key of the tenant's, on another tenant's path: as if it did not exist.
  const std::string before = Snap();
  EXPECT_TRUE(IsError(http().Request("POST", "/api/visitor/tenants/1/visitors", KeyBody()), 404, "API_205"));
  EXPECT_TRUE(IsError(http().Request("POST", "/api/visitor/tenants/x/visitors", KeyBody()), 404, "API_205"));
  EXPECT_TRUE(SameSnapshot(before, Snap()));
  // A deleted channel takes nobody, and its visitors' tokens end.
  Response r = Enter(KeyBody());
  ASSERT_TRUE(IsOk(r));
  const std::string vt = ParseJson(r.body)["entity"]["visitorToken"].GetString();
  ASSERT_TRUE(IsOk(Session(vt)));
  ASSERT_TRUE(IsBareOk(Call("DELETE", "/api/tenants/" + std::to_string(acme_.id) + "/channels/1", "", token_)));
  EXPECT_TRUE(IsError(Session(vt), 401, "API_002"));
  ExpectRefusedEntry(KeyBody(), 404, "API_205");
}

TEST_F(VisitorsTest, VisitorTokensOpenOnlyVisitorEndpoints) {
  Response r = Enter(KeyBody());
  ASSERT_TRUE(IsOk(r));
  const std::string vt = ParseJson(r.body)["entity"]["visitorToken"].GetString();
  EXPECT_TRUE(IsError(Session(""), 401, "API_002"));
  EXPECT_TRUE(IsError(Session("0123456789abcdef0123456789abcdef"), 401, "API_002"));
  EXPECT_TRUE(IsError(http().Request("GET", "/api/visitor/session", {}, {{"Kefu-Token", token_}}), 401, "API_002"));
  EXPECT_TRUE(IsError(http().Request("GET", "/api/agent/me", {}, {{"Agent-Token", vt}}), 401, "API_002"));
  EXPECT_TRUE(IsError(http().Request("GET", "/api/tenants/" + std::to_string(acme_.id) + "/queues", {},
                                     {{"Kefu-Token", vt}}),
                      401, "API_002"));
}

TEST_F(VisitorsTest, EntriesAreThrottledPerAddress) {
  server_.Stop();
  StartServer({"--visitor-entries-per-address", "3"});
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(IsOk(Enter(KeyBody()))) << i;
  const std::string before = Snap();
  Response r = Enter(KeyBody());
  EXPECT_TRUE(IsError(r, 429, "API_429")) << Describe(r);
  EXPECT_FALSE(r.Header("Retry-After").empty());
  EXPECT_TRUE(SameSnapshot(before, Snap()));
}

TEST_F(VisitorsTest, TheDemoTenantsChannel1TakesTheDemoIdentity) {
  // kefud demo prints channel 1's fixed key and secret (src/domain/demo_seed.h).
  const std::string key = "0d3c7a2e-5b61-4f0e-9c8d-1a2b3c4d5e6f";
  const std::string secret = "6b6566752d64656d6f2d6368616e6e656c2d7365637265742d6e6f742d7265616c";
  Response r = http().Request("POST", "/api/visitor/tenants/1/visitors",
                              "{\"channelKey\":" + S(key) + R"(,"username":"crm-1","identitySignature":")" +
                                  Sign(secret, "crm-1") + "\"}");
  ASSERT_TRUE(IsOk(r)) << Describe(r);
  EXPECT_STREQ(ParseJson(r.body)["entity"]["visitor"]["username"].GetString(), "crm-1");
}

}  // namespace
}  // namespace bb
