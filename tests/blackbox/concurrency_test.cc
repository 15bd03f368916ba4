// Many connections at once, racing writers.
#include <atomic>
#include <latch>
#include <mutex>

#include "harness.h"

namespace bb {
namespace {

struct Failures {
  std::atomic<int> count{0};
  std::mutex mu;
  std::vector<std::string> first;
  void Add(const std::string& what) {
    ++count;
    std::lock_guard<std::mutex> l(mu);
    if (first.size() < 10) first.push_back(what);
  }
  std::string Report() {
    std::lock_guard<std::mutex> l(mu);
    return Join(first, "\n---\n");
  }
};

class ConcurrencyTest : public DemoTest {
 protected:
  int DemoAgents() override { return 5; }
};

TEST_F(ConcurrencyTest, TwoHundredKeepAliveSearchersWhileAgentsAreAdded) {
  constexpr int kConns = 200;
  constexpr int kSearchesPerConn = 5;
  constexpr int kAdds = 20;
  const std::string tok = DemoToken();
  const int initial = Search(1, tok, "size=1")["totalElements"].GetInt();
  ASSERT_EQ(initial, 6);

  Failures fails;
  std::atomic<int> ok_searches{0}, ok_adds{0};
  std::atomic<bool> writer_done{false};
  std::latch connected(kConns + 1);
  std::vector<std::thread> threads;
  // No bound on the whole run: it depends on the machine. Each request is
  // bounded (45 s) instead, so a stall or deadlock still fails.
  for (int i = 0; i < kConns; ++i) {
    threads.emplace_back([&, i] {
      std::unique_ptr<HttpConn> c;
      try {
        c = std::make_unique<HttpConn>(server_.port(), 45000);
        c->Connect();
      } catch (const std::exception& e) {
        fails.Add(std::string("connect: ") + e.what());
        connected.count_down();
        return;
      }
      connected.arrive_and_wait();  // all 200 connections open at once
      // At least kSearchesPerConn searches, and keep going while the writer runs.
      for (int k = 0; k < kSearchesPerConn || (!writer_done.load() && k < 400); ++k) {
        int size = 1 + (i + k) % 50;
        std::string target = "/api/tenants/1/agents?size=" + std::to_string(size) +
                              (k % 2 ? "&keyValue=a" : "");
        try {
          bool was_connected = c->connected();
          auto r = c->Request("GET", target, {}, {{"Kefu-Token", tok}});
          if (!was_connected) fails.Add("connection was closed before request " + std::to_string(k));
          if (!IsOk(r)) {
            fails.Add(target + "\n" + Describe(r));
            continue;
          }
          auto d = ParseJson(r.body);
          int total = d["totalElements"].GetInt();
          int n = d["numberOfElements"].GetInt();
          if (total < (k % 2 ? 0 : initial) || total > initial + kAdds ||
              n != std::min(size, total) || static_cast<int>(d["entities"].Size()) != n ||
              d["size"].GetInt() != size)
            fails.Add(target + " inconsistent page: " + r.body.substr(0, 300));
          else
            ++ok_searches;
        } catch (const std::exception& e) {
          fails.Add(target + ": " + e.what());
        }
      }
    });
  }
  std::thread writer([&] {
    connected.arrive_and_wait();
    HttpConn c(server_.port(), 45000);
    for (int j = 0; j < kAdds; ++j) {
      std::string body = Obj({{"nicename", S("c" + std::to_string(j))},
                              {"username", S("conc" + std::to_string(j) + "@example.com")},
                              {"password", S("password123")},
                              {"roleId", "2"}});
      try {
        auto r = c.Request("POST", "/api/tenants/1/agent", body, {{"Kefu-Token", tok}});
        if (IsOk(r))
          ++ok_adds;
        else
          fails.Add("add: " + Describe(r));
      } catch (const std::exception& e) {
        fails.Add(std::string("add: ") + e.what());
        break;  // unanswered: the next adds would wait as long
      }
    }
    writer_done = true;
  });
  for (auto& t : threads) t.join();
  writer.join();
  EXPECT_EQ(fails.count.load(), 0) << fails.Report();
  EXPECT_GE(ok_searches.load(), kConns * kSearchesPerConn);
  EXPECT_EQ(ok_adds.load(), kAdds);
  EXPECT_EQ(Search(1, tok, "size=1")["totalElements"].GetInt(), initial + kAdds);
  EXPECT_EQ(Search(1, tok, "size=1&keyValue=conc")["totalElements"].GetInt(), kAdds);
}

TEST_F(ConcurrencyTest, SameUsernameRaceHasOneWinner) {
  auto other = CreateTenant("other");
  const std::string ta = DemoToken();
  const std::string tb = IssueToken(other);
  constexpr int kThreads = 12;
  std::atomic<int> ok{0}, dup{0};
  Failures fails;
  std::latch go(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      HttpConn c(server_.port(), 30000);
      int tenant = i % 2 ? other.id : 1;
      std::string user = i % 3 == 0 ? "Race@Example.com" : "race@example.com";
      std::string body = Obj({{"nicename", S("r")}, {"username", S(user)},
                              {"password", S("password123")}, {"roleId", "2"}});
      try {
        c.Connect();
        go.arrive_and_wait();
        auto r = c.Request("POST", "/api/tenants/" + std::to_string(tenant) + "/agent", body,
                           {{"Kefu-Token", tenant == 1 ? ta : tb}});
        if (r.status == 200)
          ++ok;
        else if (IsError(r, 409, "API_103"))
          ++dup;
        else
          fails.Add(Describe(r));
      } catch (const std::exception& e) {
        fails.Add(e.what());
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(fails.count.load(), 0) << fails.Report();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(dup.load(), kThreads - 1);
  int total = Search(1, ta, "keyValue=race@example.com")["totalElements"].GetInt() +
              Search(other.id, tb, "keyValue=race@example.com")["totalElements"].GetInt();
  EXPECT_EQ(total, 1);
}

TEST_F(ConcurrencyTest, LastAdminRaceLeavesOneEnabledAdmin) {
  // Tenant with exactly two enabled admins; disable/delete both at once.
  auto t = CreateTenant("race");
  std::string tok = IssueToken(t);
  const std::string base = "/api/tenants/" + std::to_string(t.id) + "/agent";
  for (int round = 0; round < 4; ++round) {
    std::string a = "adm.a" + std::to_string(round) + "@example.com";
    std::string b = "adm.b" + std::to_string(round) + "@example.com";
    MustAddAgent(t.id, tok, a, 1);
    MustAddAgent(t.id, tok, b, 1);
    // Remove every other admin so only a and b are enabled admins.
    auto d = Search(t.id, tok, "size=50");
    for (auto& ag : d["entities"].GetArray()) {
      std::string u = ag["username"].GetString();
      if (u != a && u != b) {
        auto r = Call("DELETE", base, Obj({{"username", S(u)}}), tok);
        ASSERT_TRUE(IsBareOk(r)) << u;
      }
    }
    std::vector<Response> rs(2);
    std::latch go(2);
    std::vector<std::thread> th;
    for (int i = 0; i < 2; ++i) {
      th.emplace_back([&, i] {
        HttpConn c(server_.port(), 30000);
        c.Connect();
        go.arrive_and_wait();
        std::string u = i == 0 ? a : b;
        // Round parity: disable both, or delete one and role-change the other.
        if (round % 2 == 0)
          rs[i] = c.Request("PUT", base + "/disable", Obj({{"username", S(u)}}), {{"Kefu-Token", tok}});
        else if (i == 0)
          rs[i] = c.Request("DELETE", base, Obj({{"username", S(u)}}), {{"Kefu-Token", tok}});
        else
          rs[i] = c.Request("PUT", base, Obj({{"username", S(u)}, {"roleId", "2"}}), {{"Kefu-Token", tok}});
      });
    }
    for (auto& x : th) x.join();
    int oks = (rs[0].status == 200) + (rs[1].status == 200);
    int refused = IsError(rs[0], 409, "API_109") + IsError(rs[1], 409, "API_109");
    EXPECT_EQ(oks, 1) << "round " << round << "\n" << Describe(rs[0]) << "\n" << Describe(rs[1]);
    EXPECT_EQ(refused, 1) << "round " << round;
    // Exactly one enabled admin remains.
    auto after = Search(t.id, tok, "size=50");
    int enabled_admins = 0;
    for (auto& ag : after["entities"].GetArray())
      if (std::string(ag["roles"].GetString()) == "admin,agent" &&
          std::string(ag["status"].GetString()) == "Enable")
        ++enabled_admins;
    EXPECT_EQ(enabled_admins, 1) << "round " << round << " " << Compact(after);
  }
}

TEST_F(ConcurrencyTest, ParallelTokenIssueAllDistinctAndValid) {
  constexpr int kThreads = 40;
  std::vector<std::string> toks(kThreads);
  Failures fails;
  std::vector<std::thread> th;
  for (int i = 0; i < kThreads; ++i) {
    th.emplace_back([&, i] {
      try {
        HttpConn c(server_.port(), 30000);
        auto r = c.Request("POST", "/api/tenants/1/accessToken",
                           Obj({{"clientId", S(kDemoClientId)}, {"secretId", S(kDemoSecretId)}}));
        if (!IsOk(r)) {
          fails.Add(Describe(r));
          return;
        }
        toks[i] = ParseJson(r.body)["entity"]["accessToken"].GetString();
        auto g = c.Request("GET", "/api/tenants/1/roles", {}, {{"Kefu-Token", toks[i]}});
        if (!IsOk(g)) fails.Add(Describe(g));
      } catch (const std::exception& e) {
        fails.Add(e.what());
      }
    });
  }
  for (auto& x : th) x.join();
  EXPECT_EQ(fails.count.load(), 0) << fails.Report();
  std::set<std::string> uniq(toks.begin(), toks.end());
  EXPECT_EQ(uniq.size(), static_cast<size_t>(kThreads));
}

}  // namespace
}  // namespace bb
