// Credentials, revocation, expiry, secrets at rest, injection.
#include <filesystem>

#include "harness.h"

namespace bb {
namespace {

class SecurityTest : public DemoTest {};

TEST_F(SecurityTest, RevokedCredentialKillsItsTokensAtOnce) {
  auto fresh = AddCredential(1);
  EXPECT_EQ(fresh.id, 1);
  std::string old_tok1 = IssueToken(1, kDemoClientId, kDemoSecretId);
  std::string old_tok2 = IssueToken(1, kDemoClientId, kDemoSecretId);
  std::string new_tok = IssueToken(fresh);  // added while the server runs
  auto other = CreateTenant("other");
  std::string other_tok = IssueToken(other);
  for (auto& t : {old_tok1, old_tok2, new_tok}) EXPECT_TRUE(IsOk(Get("/api/tenants/1/roles", t)));

  RevokeCredential(kDemoClientId);

  EXPECT_TRUE(IsError(Get("/api/tenants/1/roles", old_tok1), 401, "API_002"));
  EXPECT_TRUE(IsError(Get("/api/tenants/1/agents", old_tok2), 401, "API_002"));
  ExpectRejected("PUT", "/api/tenants/1/agent/disable", R"({"username":"32273591@qq.com"})", old_tok1,
                 "API_002");
  // A new token request with the revoked pair.
  ExpectRejected("POST", "/api/tenants/1/accessToken",
                 Obj({{"clientId", S(kDemoClientId)}, {"secretId", S(kDemoSecretId)}}), "", "API_004");
  // The other pair and the other tenant are untouched.
  EXPECT_TRUE(IsOk(Get("/api/tenants/1/roles", new_tok)));
  EXPECT_TRUE(IsOk(Get("/api/tenants/" + std::to_string(other.id) + "/roles", other_tok)));
  EXPECT_TRUE(IsOk(Get("/api/tenants/1/roles", IssueToken(fresh))));
}

TEST_F(SecurityTest, RevokeOnNewConnectionToo) {
  std::string t = DemoToken();
  auto c = NewConn();
  EXPECT_TRUE(IsOk(c->Request("GET", "/api/tenants/1/roles", {}, {{"Kefu-Token", t}})));
  RevokeCredential(kDemoClientId);
  // Same keep-alive connection, next request.
  EXPECT_TRUE(IsError(c->Request("GET", "/api/tenants/1/roles", {}, {{"Kefu-Token", t}}), 401, "API_002"));
}

TEST_F(SecurityTest, RevokeUnknownClientIdIsCliError) {
  auto before = Snap();
  auto r = Cli({"credential", "revoke", "--client-id", "00000000-0000-4000-8000-000000000000"});
  EXPECT_NE(r.exit_code, 0);
  std::string err = r.err;
  while (!err.empty() && err.back() == '\n') err.pop_back();
  EXPECT_FALSE(err.empty());
  EXPECT_EQ(err.find('\n'), std::string::npos) << r.err;
  EXPECT_TRUE(SameSnapshot(before, Snap()));
  // The demo pair still works.
  EXPECT_FALSE(IssueToken(1, kDemoClientId, kDemoSecretId).empty());
}

std::string TrimmedFile(const std::string& path) {
  std::string s = ReadFile(path);
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

TEST_F(SecurityTest, NoPlaintextSecretsAtRestOrInLog) {
  const auto test_start = std::filesystem::file_time_type::clock::now();
  std::vector<std::string> secrets = {kDemoSecretId, kDemoAdminPassword, kDemoAgentPassword};
  auto other = CreateTenant("other");
  auto cred2 = AddCredential(other.id);
  secrets.push_back(other.secret_id);
  secrets.push_back(cred2.secret_id);
  for (int i = 0; i < 3; ++i) secrets.push_back(IssueToken(1, kDemoClientId, kDemoSecretId));
  std::string to = IssueToken(other);
  secrets.push_back(to);
  secrets.push_back(IssueToken(cred2));
  const std::string p1 = "Unique-Pass-7f3a91";
  const std::string p2 = "Changed-Pass-c0ffee42";
  const std::string p3 = "Published-Pw-99xyz";
  secrets.insert(secrets.end(), {p1, p2, p3});
  ASSERT_TRUE(IsOk(AddAgent(other.id, to, "secret.keeper@example.com", 1, p1)));
  ASSERT_TRUE(IsBareOk(Call("PUT", "/api/tenants/" + std::to_string(other.id) + "/agent/password",
                            Obj({{"username", S("secret.keeper@example.com")}, {"password", S(p2)}}), to)));
  ASSERT_TRUE(IsBareOk(Call("PUT", "/api/tenants/1/agent/password",
                            Obj({{"username", S(kDemoAdmin)}, {"password", S(p3)}}), DemoToken())));
  // A rejected token request carrying a secret must not leave it anywhere either.
  const std::string wrong = "e5a1f0c2-1111-4222-8333-deadbeef0001";
  secrets.push_back(wrong);
  http().Request("POST", "/api/tenants/1/accessToken",
                 Obj({{"clientId", S(kDemoClientId)}, {"secretId", S(wrong)}}));

  auto scan = [&](const std::string& when) {
    // (what, bytes) of everything the store and the server leave behind.
    std::vector<std::pair<std::string, std::string>> blobs;
    bool any_db = false;
    if (OnPostgres()) {
      // The database's rows as pg_dump writes them, the cluster's log, and the
      // WAL segments written since this test began (what reached the disk).
      std::string dump = StoreBytes();
      any_db = dump.find("COPY public.") != std::string::npos;
      blobs.emplace_back("pg_dump of " + db_, std::move(dump));
      std::string cluster = PgClusterDir();
      blobs.emplace_back("the PostgreSQL log", ReadFile(cluster + "/log"));
      std::string wal_dir = TrimmedFile(cluster + "/data") + "/pg_wal";
      std::error_code ec;
      for (auto& e : std::filesystem::directory_iterator(wal_dir, ec)) {
        if (!e.is_regular_file(ec)) continue;
        if (e.last_write_time(ec) + std::chrono::seconds(2) < test_start) continue;
        blobs.emplace_back(e.path().string(), ReadFile(e.path().string()));
      }
    } else {
      for (auto& f : {db_, db_ + "-wal", db_ + "-shm", db_ + "-journal"}) {
        if (!FileExists(f)) continue;
        blobs.emplace_back(f, ReadFile(f));
        if (f == db_) any_db = !blobs.back().second.empty();
      }
    }
    blobs.emplace_back(dir_->File("kefud.log"), ReadFile(dir_->File("kefud.log")));
    for (auto& [f, bytes] : blobs) {
      for (auto& s : secrets) {
        EXPECT_EQ(bytes.find(s), std::string::npos) << when << ": plaintext '" << s << "' found in " << f;
        // An upper-case copy is just as bad.
        std::string up = s;
        for (auto& c : up) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (up != s) {
          EXPECT_EQ(bytes.find(up), std::string::npos) << when << ": '" << up << "' in " << f;
        }
      }
    }
    EXPECT_TRUE(any_db) << "database missing or empty";
  };
  scan("while running");
  int rc = server_.Stop();
  EXPECT_EQ(rc, 0);
  scan("after shutdown");
}

TEST_F(SecurityTest, ExpiredTokenIsRejectedEverywhere) {
  server_.Stop();
  server_.Start(db_, dir_->File("kefud.log"), {"--token-ttl", "1"});
  http_ = std::make_unique<HttpConn>(server_.port());
  std::string t = IssueToken(1, kDemoClientId, kDemoSecretId);
  std::this_thread::sleep_for(std::chrono::milliseconds(2200));
  ExpectRejected("GET", "/api/tenants/1/agents", "", t, "API_002");
  ExpectRejected("GET", "/api/tenants/1/roles", "", t, "API_002");
  ExpectRejected("POST", "/api/tenants/1/agent",
                 Obj({{"nicename", S("x")}, {"username", S("late@example.com")},
                      {"password", S("password123")}, {"roleId", "2"}}),
                 t, "API_002");
  ExpectRejected("PUT", "/api/tenants/1/agent", R"({"username":"32273591@qq.com","nicename":"x"})", t, "API_002");
  ExpectRejected("PUT", "/api/tenants/1/agent/password", R"({"username":"32273591@qq.com","password":"abcdefgh"})",
                 t, "API_002");
  ExpectRejected("DELETE", "/api/tenants/1/agent", R"({"username":"agent0002@demo.kefu.local"})", t, "API_002");
  ExpectRejected("PUT", "/api/tenants/1/agent/disable", R"({"username":"agent0002@demo.kefu.local"})", t,
                 "API_002");
  ExpectRejected("PUT", "/api/tenants/1/agent/enable", R"({"username":"agent0002@demo.kefu.local"})", t,
                 "API_002");
}

TEST_F(SecurityTest, TokensSurviveRestartUntilExpiry) {
  // Tokens live in the store, not in the process (stored as hashes).
  std::string t = DemoToken();
  EXPECT_EQ(server_.Stop(), 0);
  StartServer();
  EXPECT_TRUE(IsOk(Get("/api/tenants/1/roles", t)));
}

TEST_F(SecurityTest, InjectionInUsernameIsJustData) {
  auto before = Snap();
  for (const char* u : {"x'; DROP TABLE agents;--@x.com", "a\"b@x.com", "' OR '1'='1"})
    ExpectRejected("POST", "/api/tenants/1/agent",
                   Obj({{"nicename", S("x")}, {"username", S(u)}, {"password", S("password123")},
                        {"roleId", "2"}}),
                   DemoToken(), "API_001");
  for (const char* u : {"x' OR '1'='1", "%", "_", "*", "32273591@qq.com' --"})
    ExpectRejected("PUT", "/api/tenants/1/agent/disable", Obj({{"username", S(u)}}), DemoToken(), "API_104");
  // "%" and "_" are not wildcards in username matching.
  ExpectRejected("DELETE", "/api/tenants/1/agent", R"({"username":"32273591@qq.co_"})", DemoToken(), "API_104");
  ExpectRejected("DELETE", "/api/tenants/1/agent", R"({"username":"%@qq.com"})", DemoToken(), "API_104");
  EXPECT_TRUE(SameSnapshot(before, Snap()));
  // Valid but SQL-looking data round-trips.
  auto r = AddAgent(1, DemoToken(), "o'robert--drop@x.com", 2, "password123",
                    R"("trueName":"Robert'); DROP TABLE agents;--")");
  ASSERT_TRUE(IsOk(r));
  auto d = Search(1, DemoToken(), "keyValue=" + PercentEncode("'); DROP"));
  ASSERT_EQ(d["entities"].Size(), 1u);
  EXPECT_STREQ(d["entities"][0]["trueName"].GetString(), "Robert'); DROP TABLE agents;--");
}

TEST_F(SecurityTest, TokenIsNotAcceptedFromOtherPlaces) {
  std::string t = DemoToken();
  EXPECT_TRUE(IsError(http().Request("GET", "/api/tenants/1/roles?Kefu-Token=" + t), 401, "API_002"));
  EXPECT_TRUE(IsError(http().Request("GET", "/api/tenants/1/roles", {}, {{"Authorization", "Bearer " + t}}),
                      401, "API_002"));
  EXPECT_TRUE(IsError(http().Request("GET", "/api/tenants/1/roles", {}, {{"Kefu-Token", "Bearer " + t}}),
                      401, "API_002"));
}

}  // namespace
}  // namespace bb
