// The kefud command line and the server's life cycle.
#include <signal.h>
#include <sys/wait.h>

#include <latch>

#include "harness.h"

namespace bb {
namespace {

const char* kUuid4 = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

::testing::AssertionResult IsOneLineError(const CmdResult& r) {
  if (r.exit_code == 0) return ::testing::AssertionFailure() << "exit 0; out: " << r.out;
  std::string err = r.err;
  while (!err.empty() && err.back() == '\n') err.pop_back();
  if (err.empty()) return ::testing::AssertionFailure() << "nothing on stderr";
  if (err.find('\n') != std::string::npos)
    return ::testing::AssertionFailure() << "more than one stderr line:\n" << r.err;
  return ::testing::AssertionSuccess();
}

class CliTest : public KefuTest {};

TEST_F(CliTest, TenantCreatePrintsOneJsonLine) {
  auto r = Cli({"tenant", "create", "--name", "acme"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string out = r.out;
  ASSERT_FALSE(out.empty());
  if (out.back() == '\n') out.pop_back();
  EXPECT_EQ(out.find('\n'), std::string::npos) << r.out;
  auto d = ParseJson(out);
  ASSERT_FALSE(d.HasParseError()) << r.out;
  EXPECT_EQ(Keys(d), (std::vector<std::string>{"tenantId", "clientId", "secretId"}));
  EXPECT_TRUE(d["tenantId"].IsInt());
  EXPECT_GE(d["tenantId"].GetInt(), 1);
  EXPECT_TRUE(MatchesRegex(d["clientId"].GetString(), kUuid4)) << r.out;
  EXPECT_TRUE(MatchesRegex(d["secretId"].GetString(), kUuid4)) << r.out;
  EXPECT_STRNE(d["clientId"].GetString(), d["secretId"].GetString());
}

TEST_F(CliTest, TenantCreateWithIdAndZone) {
  auto t = CreateTenant("fixed", 4242, "UTC-3");
  EXPECT_EQ(t.id, 4242);
  auto big = CreateTenant("big", 2147483647);
  EXPECT_EQ(big.id, 2147483647);
  StartServer();
  std::string tok = IssueToken(t);
  auto r = AddAgent(4242, tok, "z@example.com", 1);
  ASSERT_TRUE(IsOk(r));
  auto doc = ParseJson(r.body);
  const auto& e = doc["entity"];
  EXPECT_STREQ(e["timeZone"].GetString(), "UTC-3");
  EXPECT_EQ(e["tenantId"].GetInt(), 4242);
  EXPECT_STREQ(e["bizId"].GetString(), "4242");
  EXPECT_TRUE(IsOk(Get("/api/tenants/2147483647/roles", IssueToken(big))));
}

TEST_F(CliTest, CliErrorsAreOneLineAndChangeNothing) {
  auto t = CreateTenant("a", 7);
  auto before = Snap();
  std::vector<std::vector<std::string>> bad = {
      {"tenant", "create", "--name", "dup", "--id", "7"},
      {"tenant", "create", "--name", "zero", "--id", "0"},
      {"tenant", "create", "--name", "neg", "--id", "-1"},
      {"tenant", "create", "--name", "huge", "--id", "2147483648"},
      {"tenant", "create", "--name", "tz", "--timezone", "Mars/Olympus"},
      {"tenant", "create", "--name", "tz2", "--timezone", "UTC+99"},
      {"credential", "add", "--tenant", "999"},
      {"credential", "revoke", "--client-id", "not-a-client"},
      {"role", "create", "--tenant", "999", "--name", "x"},
  };
  for (auto& args : bad) {
    auto r = Cli(args);
    EXPECT_TRUE(IsOneLineError(r)) << Join(args, " ");
  }
  EXPECT_TRUE(SameSnapshot(before, Snap()));
}

TEST_F(CliTest, UnknownSubcommandIsOneLineError) {
  for (std::vector<std::string> args : std::vector<std::vector<std::string>>{
           {"no-such-command"}, {"tenant", "frobnicate"}, {"tenant", "create"}}) {
    auto r = Cli(args);
    EXPECT_TRUE(IsOneLineError(r)) << Join(args, " ");
  }
}

TEST_F(CliTest, CredentialAddGivesAnotherWorkingPair) {
  auto t = CreateTenant("a");
  auto c2 = AddCredential(t.id);
  EXPECT_EQ(c2.id, t.id);
  EXPECT_NE(c2.client_id, t.client_id);
  EXPECT_NE(c2.secret_id, t.secret_id);
  EXPECT_TRUE(MatchesRegex(c2.client_id, kUuid4));
  StartServer();
  // Each pair's token opens the tenant's endpoints.
  const std::string roles = "/api/tenants/" + std::to_string(t.id) + "/roles";
  for (const TenantCreds& c : {t, c2}) {
    auto r = Get(roles, IssueToken(c));
    ASSERT_TRUE(IsOk(r)) << c.client_id;
    EXPECT_EQ(ParseJson(r.body)["entities"].Size(), 2u) << c.client_id;
  }
  // Cross-mixing the two pairs is wrong.
  auto r = http().Request("POST", "/api/tenants/" + std::to_string(t.id) + "/accessToken",
                          Obj({{"clientId", S(t.client_id)}, {"secretId", S(c2.secret_id)}}));
  EXPECT_TRUE(IsError(r, 401, "API_004"));
}

TEST_F(CliTest, DemoIsIdempotent) {
  Demo(3);
  auto before = Snap();
  auto r = Cli({"demo", "--agents", "3", "--sessions", "0"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(SameSnapshot(before, Snap()));
  StartServer();
  auto d = Search(1, DemoToken(), "size=50");
  EXPECT_EQ(d["totalElements"].GetInt(), 4);
  std::set<std::string> users;
  for (auto& a : d["entities"].GetArray()) users.insert(a["username"].GetString());
  EXPECT_EQ(users, (std::set<std::string>{"32273591@qq.com", "agent0001@demo.kefu.local",
                                          "agent0002@demo.kefu.local", "agent0003@demo.kefu.local"}));
}

TEST_F(CliTest, DemoDefaultsTo40Agents) {
  auto r = Cli({"demo"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  StartServer();
  EXPECT_EQ(Search(1, DemoToken(), "size=1")["totalElements"].GetInt(), 41);
}

TEST_F(CliTest, TenantCreatedWhileServerRunsIsUsableAtOnce) {
  Demo(1);
  StartServer();
  EXPECT_TRUE(IsOk(Get("/api/tenants/1/roles", DemoToken())));
  auto t = CreateTenant("late");
  EXPECT_TRUE(IsOk(Get("/api/tenants/" + std::to_string(t.id) + "/roles", IssueToken(t))));
  int rid = CreateRole(t.id, "late-role");
  auto d = ParseJson(Get("/api/tenants/" + std::to_string(t.id) + "/roles", IssueToken(t)).body);
  ASSERT_EQ(d["entities"].Size(), 3u);
  EXPECT_EQ(d["entities"][2]["role_id"].GetInt(), rid);
}

TEST_F(CliTest, DemoPasswordsAreArgon2idHashes) {
  Demo(2);
  // Somewhere in the store there are Argon2id encoded hashes, and no plaintext.
  std::string bytes = StoreBytes();  // the files on SQLite, a pg_dump on PostgreSQL
  EXPECT_NE(bytes.find("$argon2id$"), std::string::npos);
  EXPECT_EQ(bytes.find("qwe12345"), std::string::npos);
  EXPECT_EQ(bytes.find("demo12345"), std::string::npos);
  EXPECT_EQ(bytes.find(kDemoSecretId), std::string::npos);
  // OWASP's minimum cost (m=19 MiB, t=2, p=1), and each hash is of its password.
  std::string admin = StoredPasswordHash(db_, kDemoAdmin);
  EXPECT_EQ(Argon2Cost(admin), "m=19456,t=2,p=1") << admin;
  EXPECT_TRUE(PasswordMatches(admin, kDemoAdminPassword)) << admin;
  std::string agent = StoredPasswordHash(db_, "agent0001@demo.kefu.local");
  EXPECT_EQ(Argon2Cost(agent), "m=19456,t=2,p=1") << agent;
  EXPECT_TRUE(PasswordMatches(agent, kDemoAgentPassword)) << agent;
}

TEST_F(CliTest, ServeArgon2OptionsSetTheCostOfNewHashes) {
  auto t = CreateTenant("costly");
  StartServer({"--argon2-memory-kib", "24576", "--argon2-passes", "3"});
  std::string tok = IssueToken(t);
  MustAddAgent(t.id, tok, "cost@example.com", 1);
  std::string added = StoredPasswordHash(db_, "cost@example.com");
  EXPECT_EQ(Argon2Cost(added), "m=24576,t=3,p=1") << added;
  EXPECT_TRUE(PasswordMatches(added, "password123")) << added;
  // A password change hashes at the same cost.
  ASSERT_TRUE(IsBareOk(Call("PUT", "/api/tenants/" + std::to_string(t.id) + "/agent/password",
                            R"({"username":"cost@example.com","password":"changed123"})", tok)));
  std::string changed = StoredPasswordHash(db_, "cost@example.com");
  EXPECT_EQ(Argon2Cost(changed), "m=24576,t=3,p=1") << changed;
  EXPECT_TRUE(PasswordMatches(changed, "changed123")) << changed;
}

TEST_F(CliTest, EnvironmentVariablesConfigureCommandsAndServer) {
  // KEFU_DB for a subcommand without --db.
  auto r = RunKefud({"tenant", "create", "--name", "envy"}, 60, {"KEFU_DB=" + db_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto d = ParseJson(r.out);
  ASSERT_TRUE(d.IsObject() && d.HasMember("tenantId")) << r.out;
  TenantCreds t{d["tenantId"].GetInt(), d["clientId"].GetString(), d["secretId"].GetString()};
  // KEFU_LISTEN, KEFU_DB and KEFU_TOKEN_TTL for serve.
  server_.StartArgs({"serve"}, dir_->File("kefud.log"),
                    {"KEFU_LISTEN=127.0.0.1:0", "KEFU_DB=" + db_, "KEFU_TOKEN_TTL=3"});
  http_ = std::make_unique<HttpConn>(server_.port());
  auto tr = http().Request("POST", "/api/tenants/" + std::to_string(t.id) + "/accessToken",
                           Obj({{"clientId", S(t.client_id)}, {"secretId", S(t.secret_id)}}));
  ASSERT_TRUE(IsOk(tr));
  EXPECT_EQ(ParseJson(tr.body)["entity"]["expireTime"].GetInt(), 3);
}

TEST_F(CliTest, SqlitePrefixedDbPath) {
  if (OnPostgres()) GTEST_SKIP() << "the sqlite: prefix names a SQLite file; nothing to test on PostgreSQL";
  std::string db = "sqlite:" + db_;
  auto r = RunKefud({"demo", "--db", db, "--agents", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(FileExists(db_));
  server_.StartArgs({"serve", "--listen", "127.0.0.1:0", "--db", db}, dir_->File("kefud.log"));
  http_ = std::make_unique<HttpConn>(server_.port());
  EXPECT_EQ(Search(1, DemoToken(), "")["totalElements"].GetInt(), 2);
}

TEST_F(CliTest, TenantListSucceeds) {
  auto a = CreateTenant("listed-a");
  auto r = Cli({"tenant", "list"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("listed-a"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find(a.secret_id), std::string::npos) << "tenant list must not print secrets";
}

class LifeCycleTest : public KefuTest {};

TEST_F(LifeCycleTest, SigtermExitsZero) {
  Demo(1);
  StartServer();
  EXPECT_EQ(http().Request("GET", "/healthz").status, 200);
  int port = server_.port();
  EXPECT_EQ(server_.Stop(10), 0);
  // The port no longer accepts.
  HttpConn c(port, 2000);
  EXPECT_THROW(c.Connect(), std::runtime_error);
}

TEST_F(LifeCycleTest, SigtermWithIdleKeepAliveConnectionsExitsZeroPromptly) {
  Demo(1);
  StartServer();
  std::vector<std::unique_ptr<HttpConn>> conns;
  for (int i = 0; i < 5; ++i) {
    conns.push_back(NewConn());
    EXPECT_TRUE(IsOk(conns.back()->Request("GET", "/api/tenants/1/roles", {}, {{"Kefu-Token", DemoToken()}})));
  }
  // Idle keep-alive connections are closed at once: kefud exits 0 well
  // within its 30 s shutdown grace (limits::kShutdownGrace), which is what
  // connections left open would cost; past 25 s Stop() kills it (status -9).
  EXPECT_EQ(server_.Stop(25), 0);
}

TEST_F(LifeCycleTest, SigintExitsZero) {
  Demo(1);
  StartServer();
  kill(server_.pid(), SIGINT);
  // Stop() sends SIGTERM as well; either way the exit status must be 0.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(server_.Stop(10), 0);
}

TEST_F(LifeCycleTest, InFlightRequestsFinishOnSigterm) {
  Demo(1);
  StartServer();
  std::string tok = DemoToken();
  // Several slow requests (Argon2id hashing) in flight when SIGTERM arrives.
  std::vector<std::thread> th;
  std::vector<int> status(4, 0);
  std::latch sent(4);
  for (int i = 0; i < 4; ++i) {
    th.emplace_back([&, i] {
      HttpConn c(server_.port(), 20000);
      try {
        // A first request makes sure the connection is accepted and served.
        if (c.Request("GET", "/healthz").status != 200) throw std::runtime_error("healthz");
        std::string body = Obj({{"nicename", S("n")},
                                {"username", S("inflight" + std::to_string(i) + "@example.com")},
                                {"password", S("password123")},
                                {"roleId", "2"}});
        std::string req = "POST /api/tenants/1/agent HTTP/1.1\r\nHost: x\r\nKefu-Token: " + tok +
                          "\r\nContent-Type: application/json\r\nContent-Length: " +
                          std::to_string(body.size()) + "\r\n\r\n" + body;
        c.SendRaw(req);
        sent.count_down();
        status[i] = c.ReadResponse().status;
      } catch (...) {
        sent.count_down();
        status[i] = -1;
      }
    });
  }
  sent.wait();
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  EXPECT_EQ(server_.Stop(15), 0);
  for (auto& x : th) x.join();
  // Every request that reached the server was answered (none cut off).
  for (int i = 0; i < 4; ++i) EXPECT_EQ(status[i], 200) << "request " << i;
}

}  // namespace
}  // namespace bb
