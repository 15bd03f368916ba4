// TokenService against the in-memory tenant store and a fake clock.
#include "domain/token_service.h"

#include <gtest/gtest.h>

#include "common/crypto.h"
#include "domain/fake_clock.h"
#include "store/fake/fake_agent_store.h"
#include "store/fake/fake_tenant_store.h"

namespace kefu::domain {
namespace {

constexpr int64_t kTtl = 3600;

TokenRequest Pair(const std::string& client_id, const std::string& secret_id) {
  return TokenRequest{RawField::Text(client_id), RawField::Text(secret_id), RawField{}};
}

class TokenServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(tenants_.CreateTenant(1, "one", TimeZone{8 * 3600}, 0).ok());
    ASSERT_TRUE(tenants_.CreateTenant(2, "two", TimeZone{0}, 0).ok());
    AddPair(1, "client-1", "secret-1");
    AddPair(2, "client-2", "secret-2");
  }

  void AddPair(store::TenantId tenant, const std::string& client_id, const std::string& secret) {
    ASSERT_TRUE(tenants_.AddCredential({client_id, tenant, Sha256(secret), 0, false}).ok());
  }

  Code IssueCode(std::string_view path_tenant, const TokenRequest& body) {
    return service_.Issue(path_tenant, body).status().code();
  }

  std::string IssueFor1() {
    auto issued = service_.Issue("1", Pair("client-1", "secret-1"));
    EXPECT_TRUE(issued.ok()) << issued.status().detail();
    return issued.ok() ? issued->token : "";
  }

  store::fake::FakeTenantStore tenants_;
  FakeClock clock_;
  TokenService service_{tenants_, kTtl, clock_};
};

TEST_F(TokenServiceTest, IssuesATokenThatAuthenticatesItsTenant) {
  auto issued = service_.Issue("1", Pair("client-1", "secret-1"));
  ASSERT_TRUE(issued.ok());
  EXPECT_EQ(issued->token.size(), 32u);
  EXPECT_EQ(issued->expire_seconds, kTtl);
  auto grant = service_.Authenticate(issued->token, "1");
  ASSERT_TRUE(grant.ok());
  EXPECT_EQ(grant->tenant_id, 1);
  EXPECT_EQ(grant->zone.offset_seconds, 8 * 3600);
  // Two requests, two tokens, both valid.
  std::string second = IssueFor1();
  EXPECT_NE(second, issued->token);
  EXPECT_TRUE(service_.Authenticate(second, "1").ok());
  EXPECT_TRUE(service_.Authenticate(issued->token, "1").ok());
}

TEST_F(TokenServiceTest, TheTenantIsCheckedBeforeTheBody) {
  const Result<TokenRequest> bad_body = Error(Code::kInvalidParam, "not a JSON object");
  EXPECT_EQ(service_.Issue("3", bad_body).status().code(), Code::kWrongTenant);  // API_003
  EXPECT_EQ(service_.Issue("abc", bad_body).status().code(), Code::kWrongTenant);
  EXPECT_EQ(service_.Issue("0", bad_body).status().code(), Code::kWrongTenant);
  EXPECT_EQ(service_.Issue("1", bad_body).status().code(), Code::kInvalidParam);  // API_001
}

TEST_F(TokenServiceTest, TheBodyNeedsBothTextFields) {
  EXPECT_EQ(IssueCode("1", TokenRequest{RawField{}, RawField::Text("secret-1"), {}}),
            Code::kInvalidParam);
  EXPECT_EQ(IssueCode("1", TokenRequest{RawField::Text("client-1"), RawField::Integer(1), {}}),
            Code::kInvalidParam);
  TokenRequest mismatch = Pair("client-1", "secret-1");
  mismatch.tenant_id = RawField::Integer(2);
  EXPECT_EQ(IssueCode("1", mismatch), Code::kInvalidParam);
  TokenRequest same = Pair("client-1", "secret-1");
  same.tenant_id = RawField::Text("1");
  EXPECT_EQ(IssueCode("1", same), Code::kOk);
}

TEST_F(TokenServiceTest, AWrongPairIsOneAnswer) {
  EXPECT_EQ(IssueCode("1", Pair("client-1", "secret-2")), Code::kBadCredential);  // API_004
  EXPECT_EQ(IssueCode("1", Pair("nobody", "secret-1")), Code::kBadCredential);
  EXPECT_EQ(IssueCode("1", Pair("client-2", "secret-2")), Code::kBadCredential);  // tenant 2's
  EXPECT_EQ(tenants_.TokenCount(), 0u);
}

TEST_F(TokenServiceTest, TokensExpireAfterTheirTtl) {
  std::string token = IssueFor1();
  clock_.AdvanceSeconds(kTtl - 1);
  EXPECT_TRUE(service_.Authenticate(token, "1").ok());
  clock_.AdvanceSeconds(1);
  EXPECT_EQ(service_.Authenticate(token, "1").status().code(), Code::kBadToken);  // API_002
}

TEST_F(TokenServiceTest, IssuingSweepsTheCredentialsExpiredTokens) {
  IssueFor1();
  IssueFor1();
  clock_.AdvanceSeconds(kTtl);
  IssueFor1();
  EXPECT_EQ(tenants_.TokenCount(), 1u);
}

TEST_F(TokenServiceTest, RevocationEndsTheTokensAndThePair) {
  std::string token = IssueFor1();
  ASSERT_TRUE(tenants_.RevokeCredential("client-1", clock_.NowSeconds()).ok());
  EXPECT_EQ(tenants_.TokenCount(), 0u);
  EXPECT_EQ(service_.Authenticate(token, "1").status().code(), Code::kBadToken);
  EXPECT_EQ(IssueCode("1", Pair("client-1", "secret-1")), Code::kBadCredential);
  // Another pair of the same tenant still works.
  AddPair(1, "client-1b", "secret-1b");
  EXPECT_EQ(IssueCode("1", Pair("client-1b", "secret-1b")), Code::kOk);
}

TEST_F(TokenServiceTest, AuthenticateTellsAMissingTokenFromAnotherTenants) {
  std::string token = IssueFor1();
  EXPECT_EQ(service_.Authenticate(std::nullopt, "1").status().code(), Code::kBadToken);
  EXPECT_EQ(service_.Authenticate("short", "1").status().code(), Code::kBadToken);
  EXPECT_EQ(service_.Authenticate(std::string(32, 'x'), "1").status().code(), Code::kBadToken);
  EXPECT_EQ(service_.Authenticate(token, "2").status().code(), Code::kWrongTenant);  // API_003
  EXPECT_EQ(service_.Authenticate(token, "x").status().code(), Code::kWrongTenant);
}

TEST_F(TokenServiceTest, TheGrantCarriesTheCurrentAgentsVersion) {
  store::fake::FakeAgentStore agents(tenants_);
  std::string token = IssueFor1();
  auto before = service_.Authenticate(token, "1");
  store::Agent a;
  a.user_id = "u1";
  a.tenant_id = 1;
  a.username = "a@example.com";
  ASSERT_TRUE(agents.InsertAgent(a).ok());
  auto after = service_.Authenticate(token, "1");
  ASSERT_TRUE(before.ok() && after.ok());
  EXPECT_GT(after->agents_version, before->agents_version);
}

TEST_F(TokenServiceTest, AStoreFailurePassesThrough) {
  std::string token = IssueFor1();
  tenants_.FailWith(Error(Code::kStoreUnavailable, "gone"));
  EXPECT_EQ(IssueCode("1", Pair("client-1", "secret-1")), Code::kStoreUnavailable);
  EXPECT_EQ(service_.Authenticate(token, "1").status().code(), Code::kStoreUnavailable);
}

}  // namespace
}  // namespace kefu::domain
