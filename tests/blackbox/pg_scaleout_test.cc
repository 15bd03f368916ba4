// Two kefud instances on one PostgreSQL database behind nginx (deploy/nginx.conf):
// tokens, agents and revocations are the same through either instance, and the
// username stays unique when racing adds land on both. nginx terminates TLS
// (clients speak HTTPS to it, it speaks plain HTTP to the instances). PostgreSQL only.
#include <atomic>
#include <latch>
#include <mutex>

#include "pg_support.h"

namespace bb {
namespace {

class ScaleOutTest : public KefuTest {
 protected:
  void SetUp() override {
    if (!OnPostgres()) GTEST_SKIP() << "several instances share a PostgreSQL database only";
    if (TestOverTls()) GTEST_SKIP() << "nginx terminates TLS; the instances behind it speak plain HTTP";
    KefuTest::SetUp();
    Demo(2);
    StartServer();  // instance A: server_
    // Instance B with a small pool: 25 racing adds wait for its 3 connections.
    b_.Start(db_, dir_->File("kefud-b.log"), {"--db-pool", "3"});
    nginx_.Start({server_.port(), b_.port()}, dir_->File("nginx"));
  }
  void TearDown() override {
    if (!dir_) return;  // skipped
    if (b_.running()) {
      int rc = b_.Stop(15);
      EXPECT_EQ(rc, 0) << "instance B did not exit 0; log:\n" << b_.Log();
    }
    if (HasFailure()) {
      std::cerr << "---- kefud B log ----\n" << Tail(b_.Log()) << "\n---- nginx error.log ----\n"
                << Tail(nginx_.ErrorLog()) << "\n";
    }
    KefuTest::TearDown();
  }
  static std::string Tail(const std::string& s) {
    return s.size() > 4000 ? "…" + s.substr(s.size() - 4000) : s;
  }

  int a() { return server_.port(); }
  int b() { return b_.port(); }
  int lb() { return nginx_.port(); }

  // A connection to an instance (plain HTTP) or to nginx (HTTPS).
  std::unique_ptr<HttpConn> Conn(int port, int timeout_ms = 20000) {
    return std::make_unique<HttpConn>(port, timeout_ms, port == lb());
  }
  Response Req(int port, std::string_view method, const std::string& target, const std::string& body,
               const std::string& token) {
    auto c = Conn(port);
    Headers h;
    if (!token.empty()) h.emplace_back("Kefu-Token", token);
    return c->Request(method, target, body, h);
  }
  std::string TokenVia(int port, int tenant, const std::string& client_id,
                              const std::string& secret_id) {
    auto r = Req(port, "POST", "/api/tenants/" + std::to_string(tenant) + "/accessToken",
                 Obj({{"clientId", S(client_id)}, {"secretId", S(secret_id)}}), "");
    auto d = ParseJson(r.body);
    if (r.status != 200 || d.HasParseError() || !d.IsObject() || !d.HasMember("entity"))
      throw std::runtime_error("token via port " + std::to_string(port) + ": " + Describe(r));
    return d["entity"]["accessToken"].GetString();
  }
  // Number of agents of tenant 1 whose username equals u (ignoring case), via port.
  int CountAgent(int port, const std::string& token, const std::string& u) {
    auto r = Req(port, "GET", "/api/tenants/1/agents?size=50&keyValue=" + PercentEncode(u), "", token);
    if (r.status != 200) throw std::runtime_error("search: " + Describe(r));
    auto d = ParseJson(r.body);
    int n = 0;
    for (auto& e : d["entities"].GetArray()) {
      std::string got = e["username"].GetString();
      if (got.size() == u.size() &&
          std::equal(got.begin(), got.end(), u.begin(), [](char x, char y) {
            return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
          }))
        ++n;
    }
    return n;
  }
  static std::string AddBody(const std::string& username, const std::string& nick = "n") {
    return Obj({{"nicename", S(nick)}, {"username", S(username)}, {"password", S("password123")},
                {"roleId", "2"}});
  }

  Server b_;
  Nginx nginx_;
};

TEST_F(ScaleOutTest, TokenIssuedThroughOneInstanceWorksOnTheOther) {
  for (auto [issuer, user] : std::vector<std::pair<int, int>>{{a(), b()}, {b(), a()}, {lb(), a()}, {lb(), b()}, {a(), lb()}}) {
    std::string t = TokenVia(issuer, 1, kDemoClientId, kDemoSecretId);
    EXPECT_TRUE(IsOk(Req(user, "GET", "/api/tenants/1/roles", "", t)))
        << "token from port " << issuer << " used on port " << user;
    EXPECT_TRUE(IsOk(Req(user, "GET", "/api/tenants/1/agents?size=5", "", t)));
  }
  // A token of another tenant is refused the same way on both (API_003).
  auto other = CreateTenant("other");
  std::string ot = TokenVia(a(), other.id, other.client_id, other.secret_id);
  EXPECT_TRUE(IsError(Req(b(), "GET", "/api/tenants/1/roles", "", ot), "API_003"));
  EXPECT_TRUE(IsError(Req(lb(), "GET", "/api/tenants/1/roles", "", ot), "API_003"));
}

TEST_F(ScaleOutTest, AgentWrittenThroughOneIsReadThroughTheOtherAtOnce) {
  std::string t = DemoToken();
  for (int i = 0; i < 10; ++i) {
    int w = i % 2 ? b() : a(), r = i % 2 ? a() : b();
    std::string u = "scale" + std::to_string(i) + "@example.com";
    ASSERT_TRUE(IsOk(Req(w, "POST", "/api/tenants/1/agent", AddBody(u), t))) << u;
    EXPECT_EQ(CountAgent(r, t, u), 1) << u << " added on " << w << ", not found on " << r;
    // Adding it again through the other instance is API_103.
    EXPECT_TRUE(IsError(Req(r, "POST", "/api/tenants/1/agent", AddBody(u), t), "API_103"));
    // Update through the reader, read back through the writer.
    ASSERT_TRUE(IsBareOk(Req(r, "PUT", "/api/tenants/1/agent",
                             Obj({{"username", S(u)}, {"nicename", S("renamed" + std::to_string(i))}}), t)));
    auto d = ParseJson(Req(w, "GET", "/api/tenants/1/agents?size=50&keyValue=" + PercentEncode(u), "", t).body);
    ASSERT_EQ(d["entities"].Size(), 1u);
    EXPECT_EQ(std::string(d["entities"][0]["nicename"].GetString()), "renamed" + std::to_string(i));
    // Disable on one, the other sees it disabled; delete on one, gone on the other.
    ASSERT_TRUE(IsBareOk(Req(w, "PUT", "/api/tenants/1/agent/disable", Obj({{"username", S(u)}}), t)));
    d = ParseJson(Req(r, "GET", "/api/tenants/1/agents?size=50&keyValue=" + PercentEncode(u), "", t).body);
    ASSERT_EQ(d["entities"].Size(), 1u);
    EXPECT_STREQ(d["entities"][0]["status"].GetString(), "Disable");
    ASSERT_TRUE(IsBareOk(Req(r, "DELETE", "/api/tenants/1/agent", Obj({{"username", S(u)}}), t)));
    EXPECT_EQ(CountAgent(w, t, u), 0) << u << " deleted on " << r << ", still found on " << w;
    EXPECT_TRUE(IsError(Req(w, "PUT", "/api/tenants/1/agent/enable", Obj({{"username", S(u)}}), t), "API_104"));
  }
  // The same through nginx: every write is visible on the next request, whichever
  // instance it lands on.
  for (int i = 0; i < 10; ++i) {
    std::string u = "lb" + std::to_string(i) + "@example.com";
    ASSERT_TRUE(IsOk(Req(lb(), "POST", "/api/tenants/1/agent", AddBody(u), t)));
    EXPECT_EQ(CountAgent(lb(), t, u), 1);
    EXPECT_EQ(CountAgent(lb(), t, u), 1);
  }
}

TEST_F(ScaleOutTest, RevokedCredentialIsRefusedByBothInstancesOnTheNextRequest) {
  auto fresh = AddCredential(1);
  std::string ta = TokenVia(a(), 1, kDemoClientId, kDemoSecretId);
  std::string tb = TokenVia(b(), 1, kDemoClientId, kDemoSecretId);
  std::string keep = TokenVia(b(), 1, fresh.client_id, fresh.secret_id);
  // Keep-alive connections to both instances, used before and after.
  auto ca = Conn(a()), cb = Conn(b()), cl = Conn(lb());
  for (auto* c : {ca.get(), cb.get(), cl.get()})
    for (auto& t : {ta, tb}) ASSERT_TRUE(IsOk(c->Request("GET", "/api/tenants/1/roles", {}, {{"Kefu-Token", t}})));

  auto r = RunKefud({"credential", "revoke", "--db", db_, "--client-id", kDemoClientId});
  ASSERT_EQ(r.exit_code, 0) << r.err;

  for (auto* c : {ca.get(), cb.get(), cl.get()}) {
    for (auto& t : {ta, tb}) {
      EXPECT_TRUE(IsError(c->Request("GET", "/api/tenants/1/roles", {}, {{"Kefu-Token", t}}), 401, "API_002"))
          << "port " << c->port();
      EXPECT_TRUE(IsError(c->Request("GET", "/api/tenants/1/agents", {}, {{"Kefu-Token", t}}), 401, "API_002"))
          << "port " << c->port();
    }
    // The revoked pair gets no new token; the other pair still works.
    EXPECT_TRUE(IsError(c->Request("POST", "/api/tenants/1/accessToken",
                                   Obj({{"clientId", S(kDemoClientId)}, {"secretId", S(kDemoSecretId)}})),
                        401, "API_004"))
        << "port " << c->port();
    EXPECT_TRUE(IsOk(c->Request("GET", "/api/tenants/1/roles", {}, {{"Kefu-Token", keep}})));
  }
}

TEST_F(ScaleOutTest, FiftyRacingAddsOfOneUsernameOverBothInstancesGiveOneSuccess) {
  const std::string tok = DemoToken();
  // Round 1: 25 connections to each instance, the same username.
  // Round 2: through nginx, the same username in different letter cases
  // (usernames are unique ignoring case).
  for (int round = 0; round < 2; ++round) {
    const std::string user = round == 0 ? "race@example.com" : "Race.Two@Example.com";
    constexpr int kN = 50;
    std::vector<int> status(kN, 0);
    std::vector<std::string> bodies(kN);
    std::vector<std::unique_ptr<HttpConn>> conns;
    for (int i = 0; i < kN; ++i) {
      int port = round == 0 ? (i % 2 ? b() : a()) : lb();
      conns.push_back(Conn(port, 60000));
      conns.back()->Connect();
    }
    std::latch go(kN);
    std::vector<std::thread> th;
    for (int i = 0; i < kN; ++i) {
      th.emplace_back([&, i] {
        std::string u = user;
        if (round == 1) {
          for (size_t k = 0; k < u.size(); ++k) {
            auto ch = static_cast<unsigned char>(u[k]);
            u[k] = static_cast<char>(((i >> (k % 6)) & 1) ? std::toupper(ch) : std::tolower(ch));
          }
        }
        go.arrive_and_wait();
        try {
          auto r = conns[i]->Request("POST", "/api/tenants/1/agent", AddBody(u, "racer" + std::to_string(i)),
                                     {{"Kefu-Token", tok}});
          status[i] = r.status;
          bodies[i] = r.body;
          if (r.status != 200 && !IsError(r, 409, "API_103")) status[i] = -r.status;
        } catch (const std::exception& e) {
          status[i] = -1;
          bodies[i] = e.what();
        }
      });
    }
    for (auto& t : th) t.join();
    int ok = 0, dup = 0;
    std::string other;
    for (int i = 0; i < kN; ++i) {
      if (status[i] == 200) ++ok;
      else if (status[i] == 409) ++dup;
      else other += "\n  #" + std::to_string(i) + ": " + std::to_string(status[i]) + " " + bodies[i];
    }
    EXPECT_EQ(ok, 1) << "round " << round << ": successes";
    EXPECT_EQ(dup, kN - 1) << "round " << round << ": API_103 answers; others:" << other;
    EXPECT_EQ(CountAgent(a(), tok, user), 1);
    EXPECT_EQ(CountAgent(b(), tok, user), 1);
  }
}

TEST_F(ScaleOutTest, NginxPassesKefudAnswersAndFailsOverToTheOtherInstance) {
  std::string t = DemoToken();
  // kefud's envelopes pass through unchanged (status, Content-Type, body).
  EXPECT_TRUE(IsError(Req(lb(), "GET", "/api/tenants/1/nothing-here", "", t), 404, "API_404"));
  EXPECT_TRUE(IsError(Req(lb(), "GET", "/api/tenants/1/roles", "", "bad-token"), 401, "API_002"));
  {
    // A body over 1 MiB is kefud's API_413, not an nginx page.
    auto c = Conn(lb());
    std::string big(1024 * 1024 + 10, 'x');
    auto r = c->Request("POST", "/api/tenants/1/agent", big, {{"Kefu-Token", t}});
    EXPECT_TRUE(IsError(r, 413, "API_413"));
  }
  // Many requests over one client connection, spread over both instances.
  {
    auto c = Conn(lb());
    for (int i = 0; i < 40; ++i)
      ASSERT_TRUE(IsOk(c->Request("GET", "/api/tenants/1/roles", {}, {{"Kefu-Token", t}}))) << i;
    std::string log = nginx_.AccessLog();
    for (int port : {a(), b()})
      EXPECT_NE(log.find("upstream=127.0.0.1:" + std::to_string(port)), std::string::npos)
          << "no request went to port " << port << "; access log:\n" << Tail(log);
  }
  // One instance stops: every request through nginx still succeeds, reads and
  // writes (a POST is passed on when the connection to the stopped instance
  // fails before the request was sent).
  ASSERT_EQ(server_.Stop(15), 0);
  http_.reset();
  for (int i = 0; i < 20; ++i) {
    EXPECT_TRUE(IsOk(Req(lb(), "GET", "/api/tenants/1/roles", "", t))) << i;
    EXPECT_TRUE(IsOk(Req(lb(), "POST", "/api/tenants/1/agent",
                         AddBody("failover" + std::to_string(i) + "@example.com"), t)))
        << i;
  }
  EXPECT_EQ(CountAgent(b(), t, "failover19@example.com"), 1);
  EXPECT_TRUE(nginx_.Alive());
}

TEST_F(ScaleOutTest, NginxServesHttpsWithHstsRedirectsHttpAndPassesUpgrades) {
  const std::string t = DemoToken();
  auto c = Conn(lb());
  Response r = c->Request("GET", "/api/tenants/1/roles", {}, {{"Kefu-Token", t}});
  ASSERT_TRUE(IsOk(r)) << Describe(r);
  EXPECT_EQ(r.Header("Strict-Transport-Security"), "max-age=63072000");
  ASSERT_NE(c->tls(), nullptr);
  // HSTS on kefud's errors too ("always").
  r = c->Request("GET", "/api/tenants/1/roles", {}, {{"Kefu-Token", "bad-token"}});
  EXPECT_TRUE(IsError(r, 401, "API_002"));
  EXPECT_EQ(r.Header("Strict-Transport-Security"), "max-age=63072000");

  // Plain HTTP to nginx is sent to HTTPS, and reaches no instance.
  HttpConn plain(nginx_.redirect_port(), 20000, false);
  r = plain.Request("GET", "/api/tenants/1/roles?page=1", {}, {{"Host", "kefu.example.com"}});
  EXPECT_EQ(r.status, 301) << Describe(r);
  EXPECT_EQ(r.Header("Location"), "https://kefu.example.com/api/tenants/1/roles?page=1");

  // A WebSocket upgrade reaches kefud with its headers: on a path that is
  // not a WebSocket, kefud's own refusal comes back (nginx without the
  // upgrade headers would have passed a plain GET, answered 200).
  r = c->Request("GET", "/api/tenants/1/roles", {},
                 {{"Kefu-Token", t},
                  {"Upgrade", "websocket"},
                  {"Connection", "Upgrade"},
                  {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="},
                  {"Sec-WebSocket-Version", "13"}});
  EXPECT_TRUE(IsError(r, 400, "API_001")) << Describe(r);
  EXPECT_NE(r.body.find("does not accept a WebSocket upgrade"), std::string::npos) << r.body;
}

}  // namespace
}  // namespace bb
