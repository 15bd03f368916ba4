// PostgreSQL goes away and comes back while kefud serves: every answer meanwhile
// is API_400 (HTTP 503) or a success, never a hang or a crash; afterwards every
// request succeeds without restarting kefud, and no acknowledged write is lost.
// Each test has its own cluster: the suite's shared one must stay up for the
// tests running beside it. PostgreSQL only.
#include <atomic>
#include <mutex>

#include "pg_support.h"

namespace bb {
namespace {

using Clock = std::chrono::steady_clock;
// Every wait kefud makes on PostgreSQL is bounded (src/store/postgres/
// pg_connection.cc): connect_timeout 3 s, a pooled connection 5 s,
// statement_timeout 15 s. A request still unanswered after all of them
// together, twice over, is a hang, however slow the machine.
constexpr int kClientTimeoutMs = 2 * (3 + 5 + 15) * 1000;
constexpr const char* kApi400Body =
    R"({"status":"FAIL","errorCode":"API_400","errorDescription":"api request failed"})";

// 503 with exactly the API_400 envelope.
::testing::AssertionResult IsUnavailable(const Response& r) {
  if (auto e = IsError(r, 503, "API_400"); !e) return e;
  if (r.body != kApi400Body)
    return ::testing::AssertionFailure() << "body is not exactly " << kApi400Body << "\n" << Describe(r);
  return ::testing::AssertionSuccess();
}

class OutageTest : public KefuTest {
 protected:
  void SetUp() override {
    if (!OnPostgres()) GTEST_SKIP() << "stops and starts a PostgreSQL server";
    KefuTest::SetUp();
    // synchronous_commit=on: an acknowledged commit survives a crash of PostgreSQL.
    cluster_ = std::make_unique<PgCluster>(/*durable=*/true);
    // This test's store lives on its own cluster, not on the suite's.
    store_ = TestDb::OnCluster(cluster_->url_prefix());
    db_ = store_->url();
    Demo(2);
    StartServer();
    DemoToken();
  }
  void TearDown() override {
    if (!cluster_) {  // skipped, or the cluster did not start
      if (dir_) KefuTest::TearDown();
      return;
    }
    if (HasFailure()) std::cerr << "---- PostgreSQL log (tail) ----\n" << Tail(cluster_->Log()) << "\n";
    KefuTest::TearDown();  // stops kefud, drops the database
    cluster_.reset();      // stops and removes the cluster
  }
  static std::string Tail(const std::string& s) {
    return s.size() > 3000 ? "…" + s.substr(s.size() - 3000) : s;
  }

  // One request on a fresh connection bounded by the client timeout; a timeout
  // or a dropped connection comes back as status -1 with the reason in body.
  Response Bounded(std::string_view method, const std::string& target, const std::string& body,
                   const std::string& token) {
    Response r;
    try {
      HttpConn c(server_.port(), kClientTimeoutMs);
      Headers h;
      if (!token.empty()) h.emplace_back("Kefu-Token", token);
      r = c.Request(method, target, body, h);
    } catch (const std::exception& e) {
      r.status = -1;
      r.body = std::string("no answer: ") + e.what();
    }
    return r;
  }

  // Every kind of request, with the checks to make on a success.
  std::vector<std::tuple<std::string, std::string, std::string>> AllRequests(int n) {
    std::string u = "outage" + std::to_string(n) + "@example.com";
    return {
        {"GET", "/api/tenants/1/roles", ""},
        {"GET", "/api/tenants/1/agents?size=10&keyValue=agent", ""},
        {"GET", "/api/tenants/1/serviceSessionHistorys?per_page=5", ""},
        {"POST", "/api/tenants/1/accessToken",
         Obj({{"clientId", S(kDemoClientId)}, {"secretId", S(kDemoSecretId)}})},
        {"POST", "/api/tenants/1/agent",
         Obj({{"nicename", S("o")}, {"username", S(u)}, {"password", S("password123")}, {"roleId", "2"}})},
        {"PUT", "/api/tenants/1/agent", Obj({{"username", S(kDemoAdmin)}, {"nicename", S("n" + std::to_string(n))}})},
        {"PUT", "/api/tenants/1/agent/disable", Obj({{"username", S("agent0002@demo.kefu.local")}})},
        {"PUT", "/api/tenants/1/agent/enable", Obj({{"username", S("agent0002@demo.kefu.local")}})},
        {"POST", "/api/tenants/1/serviceSessionHistorys/import",
         "[" + Obj({{"serviceSessionId", S("s-" + std::to_string(n))}, {"tenantId", "1"}, {"state", S("Terminal")}}) + "]"},
    };
  }

  std::unique_ptr<PgCluster> cluster_;
};

TEST_F(OutageTest, EveryEndpointAnswers503WhileTheDatabaseIsDownAndWorksAtOnceAfter) {
  std::string t = DemoToken();
  for (auto& [m, target, body] : AllRequests(0))
    ASSERT_TRUE(IsOk(Bounded(m, target, body, m == "POST" && target.ends_with("accessToken") ? "" : t)))
        << m << " " << target;
  EXPECT_TRUE(IsBareOk(Bounded("GET", "/healthz", "", "")));

  cluster_->Pause();
  for (int round = 1; round <= 3; ++round) {
    auto h = Bounded("GET", "/healthz", "", "");
    EXPECT_TRUE(IsUnavailable(h)) << "GET /healthz while the database is down, round " << round;
    for (auto& [m, target, body] : AllRequests(round)) {
      // A hang ends at the client timeout as status -1, which is not API_400.
      auto r = Bounded(m, target, body, m == "POST" && target.ends_with("accessToken") ? "" : t);
      EXPECT_TRUE(IsUnavailable(r)) << m << " " << target << " while the database is down, round " << round;
    }
    ASSERT_TRUE(ProcessAlive(server_.pid())) << "kefud exited during the outage:\n" << server_.Log();
  }

  cluster_->Resume();
  // At once: no restart of kefud, no waiting for /healthz first.
  for (auto& [m, target, body] : AllRequests(10)) {
    auto r = Bounded(m, target, body, m == "POST" && target.ends_with("accessToken") ? "" : t);
    EXPECT_TRUE(IsOk(r)) << m << " " << target << " right after the database came back";
  }
  EXPECT_TRUE(IsBareOk(Bounded("GET", "/healthz", "", "")));
  // The old token is still valid (tokens live in the database).
  EXPECT_TRUE(IsOk(Bounded("GET", "/api/tenants/1/roles", "", t)));
  EXPECT_TRUE(ProcessAlive(server_.pid()));
}

TEST_F(OutageTest, StopUnderLoadThenStartAgainLosesNoAcknowledgedWrite) {
  // Two outages under load: a clean stop (pg_ctl stop -m fast), then a crash
  // (-m immediate; the cluster commits synchronously, see SetUp).
  const std::string tok = DemoToken();
  constexpr int kThreads = 6;
  std::atomic<bool> stop{false};
  struct Outcome {
    Clock::time_point start, end;
    bool ok = false;
    bool add = false;  // a POST of an agent
    std::string what;  // set when not ok
  };
  std::mutex mu;
  std::vector<Outcome> outcomes;
  std::vector<std::string> acked;     // usernames whose add answered 200
  std::vector<std::string> failures;  // answers that are neither success nor API_400
  std::atomic<int> unavailable{0};

  auto worker = [&](int w) {
    for (int n = 0; !stop.load(); ++n) {
      std::string u = "load" + std::to_string(w) + "-" + std::to_string(n) + "@example.com";
      std::string m, target, body, token = tok;
      switch (n % 5) {
        case 0: case 2:
          m = "POST"; target = "/api/tenants/1/agent";
          body = Obj({{"nicename", S("l")}, {"username", S(u)}, {"password", S("password123")}, {"roleId", "2"}});
          break;
        case 1:
          m = "GET"; target = "/api/tenants/1/agents?size=20&keyValue=load" + std::to_string(w);
          break;
        case 3:
          m = "POST"; target = "/api/tenants/1/accessToken"; token.clear();
          body = Obj({{"clientId", S(kDemoClientId)}, {"secretId", S(kDemoSecretId)}});
          break;
        default:
          m = "GET"; target = "/healthz"; token.clear();
      }
      Outcome o;
      o.start = Clock::now();
      auto r = Bounded(m, target, body, token);
      o.end = Clock::now();
      o.ok = target == "/healthz" ? static_cast<bool>(IsBareOk(r)) : static_cast<bool>(IsOk(r));
      o.add = target == "/api/tenants/1/agent";
      bool down = !o.ok && static_cast<bool>(IsUnavailable(r));
      if (!o.ok)
        o.what = m + " " + target + " (" +
                 std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(o.end - o.start).count()) +
                 " ms): " + Describe(r);
      std::lock_guard<std::mutex> l(mu);
      if (o.ok && target == "/api/tenants/1/agent") acked.push_back(u);
      if (down) ++unavailable;
      if (!o.ok && !down && failures.size() < 20) failures.push_back(o.what);
      outcomes.push_back(std::move(o));
    }
  };

  // Phases end on what the workers saw, not on a guess of how fast they are:
  // waits for `done` (true under mu) up to a few request deadlines.
  auto wait_for = [&](const std::function<bool()>& done, const std::string& what) {
    const auto deadline = Clock::now() + std::chrono::milliseconds(3 * kClientTimeoutMs);
    while (Clock::now() < deadline) {
      {
        std::lock_guard<std::mutex> l(mu);
        if (done()) return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ADD_FAILURE() << "gave up waiting until " << what;
    return false;
  };
  // Requests that started at or after `from`: how many ended, how many were
  // acknowledged adds, how many met the outage.
  struct Since {
    int ended = 0, adds = 0;
  };
  auto since = [&](Clock::time_point from) {
    Since n;
    for (auto& o : outcomes) {
      if (o.start < from) continue;
      ++n.ended;
      if (o.ok && o.add) ++n.adds;
    }
    return n;
  };

  std::vector<std::thread> th;
  const auto began = Clock::now();
  for (int w = 0; w < kThreads; ++w) th.emplace_back(worker, w);
  std::vector<std::pair<Clock::time_point, Clock::time_point>> must_succeed;  // [from, to)
  bool progressing = wait_for([&] { return since(began).adds >= kThreads; }, "the first adds are acknowledged");
  for (bool immediate : {false, true}) {
    if (!progressing) break;
    const std::string how = immediate ? "immediate" : "fast";
    const int unavailable_before = unavailable.load();
    cluster_->Pause(immediate);
    // While it is down: /healthz says so, kefud keeps answering.
    EXPECT_TRUE(IsUnavailable(Bounded("GET", "/healthz", "", ""))) << how;
    progressing = wait_for([&] { return unavailable.load() >= unavailable_before + 2 * kThreads; },
                           "requests meet the " + how + " outage");
    EXPECT_TRUE(IsUnavailable(Bounded("GET", "/healthz", "", ""))) << how;
    EXPECT_TRUE(ProcessAlive(server_.pid())) << "kefud exited during the outage";
    cluster_->Resume();
    auto back = Clock::now();
    // Every worker makes requests again, adds among them.
    progressing = progressing && wait_for([&] {
      Since n = since(back);
      return n.ended >= 3 * kThreads && n.adds >= kThreads;
    }, "requests made after the " + how + " outage are answered");
    must_succeed.emplace_back(back, Clock::now());
  }
  stop = true;
  for (auto& x : th) x.join();

  ASSERT_TRUE(ProcessAlive(server_.pid())) << "kefud exited:\n" << server_.Log();
  EXPECT_TRUE(failures.empty()) << failures.size() << " answers were neither a success nor API_400:\n"
                                << Join(failures, "\n---\n");
  // Requests made entirely while the database was up again must all succeed.
  std::vector<std::string> after_fails;
  int in_windows = 0;
  for (auto& o : outcomes) {
    bool inside = false;
    for (auto& [from, to] : must_succeed) inside |= o.start >= from && o.end <= to;
    if (!inside) continue;
    ++in_windows;
    if (!o.ok && after_fails.size() < 20) after_fails.push_back(o.what);
  }
  EXPECT_TRUE(after_fails.empty()) << after_fails.size()
                                   << " requests made after the database was back did not succeed:\n"
                                   << Join(after_fails, "\n---\n");
  EXPECT_GT(in_windows, 0);
  EXPECT_GT(unavailable.load(), 0) << "no request met an outage";
  // Writes were acknowledged, before the outages and after each: there is
  // something that could have been lost.
  EXPECT_GE(acked.size(), 3u * kThreads);
  EXPECT_TRUE(IsBareOk(Bounded("GET", "/healthz", "", "")));

  // Every acknowledged add is there.
  std::vector<std::string> lost;
  for (auto& u : acked)
    if (!FindAgentJson(1, tok, u)) lost.push_back(u);
  EXPECT_TRUE(lost.empty()) << lost.size() << " of " << acked.size()
                            << " acknowledged agent adds are missing: " << Join(lost, ", ");
  std::cerr << "[outage] " << outcomes.size() << " requests, " << acked.size() << " acknowledged adds, "
            << unavailable << " API_400, " << in_windows << " made while the database was back\n";
}

}  // namespace
}  // namespace bb
