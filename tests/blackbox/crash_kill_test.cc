// Crash safety: kefud is killed with SIGKILL at random moments while clients
// add, update and delete agents and import history sessions. After every
// restart each write that had been answered OK is there (README "Where data
// lives": an answered write survives a crash of the process); on SQLite the
// files also pass PRAGMA integrity_check after every kill. Twenty kills on one
// store, so damage would accumulate. Each kill lands only after the round's
// first answered write, so every round tests some.
//
// KEFU_CRASH_SEED=N repeats a run's choices (ops, batch sizes, kill delays);
// the moment the kill lands still depends on timing.
#include <signal.h>
#include <sqlite3.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "history_support.h"

namespace bb {
namespace {

constexpr int kRounds = 20;
constexpr int kClients = 4;
constexpr int kTenant = 1;          // the demo tenant (UTC+8)
constexpr int kMaxLiveAgents = 25;  // per client: one search page stays enough
constexpr int kMaxBatch = 20;       // sessions per import
constexpr int kMaxOpsPerRound = 5000;
constexpr int kMinKillMs = 50;
constexpr int kMaxKillMs = 1500;
constexpr int kChannelBase = 100000;  // techChannelId of a client's imports in a round

std::string AgentPrefix(int client) { return "ck" + std::to_string(client) + "."; }
int Channel(int round, int client) { return kChannelBase + round * 10 + client; }

// What the store holds for one username.
struct AgentState {
  bool present = false;
  std::string nicename;
  int max = 0;  // maxServiceSessionCount
  bool operator==(const AgentState&) const = default;
  std::string Text() const {
    if (!present) return "absent";
    return "{nicename " + nicename + ", maxServiceSessionCount " + std::to_string(max) + "}";
  }
};

// One write as the client sent it, and what it does when it lands.
struct Write {
  enum Kind { kAdd, kUpdate, kDelete, kImport };
  Kind kind = kAdd;
  std::string what;  // one line for messages
  std::string method;
  std::string target;
  std::string body;
  std::string content_type;
  // Agent writes.
  std::string username;
  AgentState after;
  // Imports: the sessions of the batch (id → comment), all in one channel.
  int channel = 0;
  std::map<std::string, std::string> sessions;
};

// One client's view of the store: every write it sent was either answered OK
// (and is in `agents`/`sessions`) or is `pending`: unanswered when the server
// died, so it may or may not have landed. Verification after a restart resolves
// `pending` by what the store holds.
struct ClientModel {
  int index = 0;
  int next = 0;  // sequence for unique usernames, ids and values
  std::map<std::string, AgentState> agents;
  std::map<std::string, std::vector<std::string>> agent_history;  // answered writes, for messages
  std::map<int, std::map<std::string, std::string>> sessions;     // channel → id → comment
  std::optional<Write> pending;
  // Per round.
  int acked[4] = {0, 0, 0, 0};
  int acked_sessions = 0;
  std::vector<std::string> errors;  // answers that were neither OK nor a dropped connection

  void ResetRound() {
    for (auto& a : acked) a = 0;
    acked_sessions = 0;
    errors.clear();
  }
};

Write NextWrite(ClientModel& m, int round, std::mt19937_64& rng) {
  const std::string agent_target = "/api/tenants/" + std::to_string(kTenant) + "/agent";
  std::vector<std::string> live;
  for (auto& [u, s] : m.agents)
    if (s.present) live.push_back(u);
  int dice = static_cast<int>(rng() % 100);
  Write::Kind kind = dice < 30 ? Write::kAdd : dice < 60 ? Write::kUpdate : dice < 75 ? Write::kDelete
                                                                                      : Write::kImport;
  if (live.size() < 3 && kind != Write::kImport) kind = Write::kAdd;
  if (kind == Write::kAdd && static_cast<int>(live.size()) >= kMaxLiveAgents) kind = Write::kUpdate;

  const int seq = ++m.next;
  Write w;
  w.kind = kind;
  switch (kind) {
    case Write::kAdd: {
      w.username = AgentPrefix(m.index) + std::to_string(seq) + "@crash.example.com";
      w.after = {true, "a" + std::to_string(seq), 1 + seq % 50};
      w.method = "POST";
      w.target = agent_target;
      w.body = Obj({{"nicename", S(w.after.nicename)},
                    {"username", S(w.username)},
                    {"password", S("password123")},
                    {"roleId", "2"},
                    {"maxServiceSessionCount", std::to_string(w.after.max)}});
      w.what = "add " + w.username + " " + w.after.Text();
      break;
    }
    case Write::kUpdate: {
      w.username = live[rng() % live.size()];
      w.after = {true, "u" + std::to_string(seq), 1 + seq % 50};
      w.method = "PUT";
      w.target = agent_target;
      w.body = Obj({{"username", S(w.username)},
                    {"nicename", S(w.after.nicename)},
                    {"maxServiceSessionCount", std::to_string(w.after.max)}});
      w.what = "update " + w.username + " to " + w.after.Text();
      break;
    }
    case Write::kDelete: {
      w.username = live[rng() % live.size()];
      w.after = {};
      w.method = "DELETE";
      w.target = agent_target;
      w.body = Obj({{"username", S(w.username)}});
      w.what = "delete " + w.username;
      break;
    }
    case Write::kImport: {
      w.channel = Channel(round, m.index);
      int n = 1 + static_cast<int>(rng() % kMaxBatch);
      std::vector<std::string> items;
      for (int i = 0; i < n; ++i) {
        std::string id = "ck" + std::to_string(m.index) + "-r" + std::to_string(round) + "-s" +
                         std::to_string(seq) + "-" + std::to_string(i);
        std::string comment = "client " + std::to_string(m.index) + " write " + std::to_string(seq) +
                              " item " + std::to_string(i);
        w.sessions[id] = comment;
        items.push_back(hist::Item(id, kTenant,
                                   {{"techChannelId", std::to_string(w.channel)},
                                    {"comment", S(comment)}}));
      }
      bool ndjson = seq % 2 == 1;
      w.method = "POST";
      w.target = "/api/tenants/" + std::to_string(kTenant) + "/serviceSessionHistorys/import";
      w.body = ndjson ? hist::Ndjson(items) : hist::Array(items);
      w.content_type = ndjson ? "application/x-ndjson" : "application/json";
      w.what = "import of " + std::to_string(n) + " sessions " + w.sessions.begin()->first +
               "… (channel " + std::to_string(w.channel) + ", " + (ndjson ? "NDJSON" : "JSON") + ")";
      break;
    }
  }
  return w;
}

// The answer an OK write gets.
bool Answered(const Write& w, const Response& r) {
  if (w.kind == Write::kImport)
    return r.status == 200 &&
           hist::Canon(r.body) == R"({"status":"OK","entity":{"imported":)" +
                                      std::to_string(w.sessions.size()) + "}}";
  if (w.kind == Write::kAdd) return static_cast<bool>(IsOk(r));
  return static_cast<bool>(IsBareOk(r));
}

void Apply(ClientModel& m, const Write& w, int round) {
  ++m.acked[w.kind];
  if (w.kind == Write::kImport) {
    m.acked_sessions += static_cast<int>(w.sessions.size());
    for (auto& [id, comment] : w.sessions) m.sessions[w.channel][id] = comment;
    return;
  }
  m.agents[w.username] = w.after;
  m.agent_history[w.username].push_back("round " + std::to_string(round) + ": " + w.what);
}

// Counts of a round shared by its clients: answered writes, and clients done.
struct RoundProgress {
  std::atomic<int> answered{0};
  std::atomic<int> done{0};
};

// A client: a sequential stream of writes until `stop` or until its connection
// fails (the server died), which leaves the write it was sending pending.
void RunClient(ClientModel& m, int port, const std::string& token, int round, uint64_t seed,
               const std::atomic<bool>& stop, RoundProgress& progress) {
  struct Done {
    RoundProgress& p;
    ~Done() { ++p.done; }
  } done{progress};
  std::mt19937_64 rng(seed);
  HttpConn conn(port, 30000);
  for (int i = 0; i < kMaxOpsPerRound && !stop.load(); ++i) {
    Write w = NextWrite(m, round, rng);
    Headers h = {{"Kefu-Token", token}};
    if (!w.content_type.empty()) h.emplace_back("Content-Type", w.content_type);
    Response r;
    try {
      r = conn.Request(w.method, w.target, w.body, h, true);
    } catch (const std::exception& e) {
      w.what += std::string(" [") + e.what() + "]";
      m.pending = std::move(w);
      return;
    }
    if (!Answered(w, r)) {
      m.errors.push_back(w.what + "\n" + Describe(r));
      m.pending = std::move(w);
      return;
    }
    Apply(m, w, round);
    ++progress.answered;
  }
}

// Problems PRAGMA integrity_check and foreign_key_check report on `db`, "" when
// none. no_checkpoint: leave the WAL as it is when closing.
std::string CheckFile(const std::string& db, bool no_checkpoint) {
  sqlite3* h = nullptr;
  if (sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    std::string e = h ? sqlite3_errmsg(h) : "out of memory";
    sqlite3_close(h);
    return "cannot open " + db + ": " + e;
  }
  if (no_checkpoint) sqlite3_db_config(h, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
  sqlite3_busy_timeout(h, 5000);
  std::string problems;
  auto rows = [&](const char* sql) {
    std::vector<std::string> out;
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(h, sql, -1, &st, nullptr) != SQLITE_OK) {
      problems += std::string(sql) + ": " + sqlite3_errmsg(h) + "\n";
      return out;
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      std::string row;
      for (int i = 0; i < sqlite3_column_count(st); ++i) {
        const unsigned char* t = sqlite3_column_text(st, i);
        row += (i ? " | " : "") + std::string(t ? reinterpret_cast<const char*>(t) : "NULL");
      }
      out.push_back(row);
    }
    if (rc != SQLITE_DONE) problems += std::string(sql) + ": " + sqlite3_errmsg(h) + "\n";
    sqlite3_finalize(st);
    return out;
  };
  auto integrity = rows("PRAGMA integrity_check");
  if (integrity != std::vector<std::string>{"ok"})
    problems += "PRAGMA integrity_check:\n  " + Join(integrity, "\n  ") + "\n";
  auto fk = rows("PRAGMA foreign_key_check");
  if (!fk.empty()) problems += "PRAGMA foreign_key_check:\n  " + Join(fk, "\n  ") + "\n";
  sqlite3_close(h);
  return problems;
}

// CheckFile on a copy of the store as the kill left it (main file and WAL, the
// wal-index rebuilt from the WAL), so that the restarted kefud still recovers
// from the very files the crash left.
std::string CheckCopyOf(const std::string& db, const std::string& scratch) {
  namespace fs = std::filesystem;
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(scratch + suffix, ec);
  fs::copy_file(db, scratch, ec);
  if (ec) return "cannot copy " + db + ": " + ec.message();
  if (FileExists(db + "-wal")) {
    fs::copy_file(db + "-wal", scratch + "-wal", ec);
    if (ec) return "cannot copy " + db + "-wal: " + ec.message();
  }
  std::string problems = CheckFile(scratch, false);
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(scratch + suffix, ec);
  return problems;
}

long long FileSize(const std::string& path) {
  std::error_code ec;
  auto n = std::filesystem::file_size(path, ec);
  return ec ? 0 : static_cast<long long>(n);
}

uint64_t Seed() {
  if (const char* s = std::getenv("KEFU_CRASH_SEED"); s && *s) return std::strtoull(s, nullptr, 10);
  std::random_device rd;
  return (static_cast<uint64_t>(rd()) << 32) ^ rd();
}

class CrashKillTest : public KefuTest {
 protected:
  void SetUp() override { KefuTest::SetUp(); }
  void TearDown() override {
    if (HasFailure() && !log_.empty()) {
      std::string log = ReadFile(log_);
      if (log.size() > 6000) log = "…" + log.substr(log.size() - 6000);
      std::cerr << "---- " << log_ << " (tail) ----\n" << log << "\n--------------------------\n";
    }
    KefuTest::TearDown();
  }

  void StartRound(int round) {
    log_ = dir_->File("kefud-" + std::to_string(round) + ".log");
    // kClients clients of one tenant may all be importing at once: a cap of
    // heavy requests per tenant below that (the default is one fewer than the
    // slow workers) would refuse some with API_429, which this test of
    // durability is not about.
    server_.Start(db_, log_, {"--heavy-queries-per-tenant", std::to_string(kClients)});
    http_ = std::make_unique<HttpConn>(server_.port());
  }

  // Every agent whose username starts with the client's prefix.
  std::map<std::string, AgentState> ListAgents(int client, const std::string& token,
                                               const std::string& ctx) {
    std::map<std::string, AgentState> out;
    for (int page = 0; page < 100; ++page) {
      auto d = Search(kTenant, token,
                      "size=50&page=" + std::to_string(page) + "&keyValue=" + PercentEncode(AgentPrefix(client)));
      for (auto& a : d["entities"].GetArray()) {
        std::string u = a["username"].GetString();
        AgentState s{true, a["nicename"].IsString() ? a["nicename"].GetString() : "<not a string>",
                     a["maxServiceSessionCount"].IsInt() ? a["maxServiceSessionCount"].GetInt() : -1};
        if (!out.emplace(u, s).second)
          ADD_FAILURE() << ctx << ": agent search lists " << u << " twice";
      }
      if (page + 1 >= d["totalPages"].GetInt()) break;
    }
    return out;
  }

  // id → comment of every session of a channel.
  std::map<std::string, std::string> ListSessions(int channel, const std::string& token,
                                                  const std::string& ctx) {
    std::map<std::string, std::string> out;
    long long total = -1;
    for (int page = 1; page < 1000; ++page) {
      std::string target = "/api/tenants/" + std::to_string(kTenant) +
                           "/serviceSessionHistorys?per_page=50&techChannelId=" +
                           std::to_string(channel) + "&page=" + std::to_string(page);
      auto r = Get(target, token);
      if (!IsOk(r)) {
        ADD_FAILURE() << ctx << ": history query failed: " << target << "\n" << Describe(r);
        break;
      }
      hist::Page p = hist::ParsePage(r.body);
      total = p.total;
      for (auto& item : p.items) {
        auto d = ParseJson(item);
        std::string id = d["serviceSessionId"].GetString();
        std::string comment = d["comment"].IsString() ? d["comment"].GetString() : "<null>";
        if (!out.emplace(id, comment).second)
          ADD_FAILURE() << ctx << ": history query lists " << id << " twice";
      }
      if (p.items.empty() || static_cast<long long>(out.size()) >= total) break;
    }
    if (total >= 0 && static_cast<long long>(out.size()) != total)
      ADD_FAILURE() << ctx << ": channel " << channel << " has total_entries " << total << " but "
                    << out.size() << " sessions were listed";
    return out;
  }

  // Agents of the client against the model; the pending write may have landed.
  // Leaves the model equal to the store.
  void VerifyAgents(ClientModel& m, const std::string& token, const std::string& ctx, int& landed) {
    auto actual = ListAgents(m.index, token, ctx);
    std::set<std::string> names;
    for (auto& [u, s] : m.agents) names.insert(u);
    for (auto& [u, s] : actual) names.insert(u);
    const Write* p = m.pending && m.pending->kind != Write::kImport ? &*m.pending : nullptr;
    if (p) names.insert(p->username);
    for (auto& u : names) {
      AgentState want = m.agents.count(u) ? m.agents[u] : AgentState{};
      AgentState got = actual.count(u) ? actual[u] : AgentState{};
      bool is_pending = p && p->username == u;
      if (got == want) {
        // The pending write did not land (or changed nothing).
      } else if (is_pending && got == p->after) {
        ++landed;
      } else {
        std::string history = m.agent_history.count(u) ? Join(m.agent_history[u], "\n    ") : "(none)";
        ADD_FAILURE() << ctx << ": client " << m.index << ", agent " << u << ": the store has "
                      << got.Text() << ", the last answered write left " << want.Text()
                      << (is_pending ? "; the unanswered write (" + p->what + ") would leave " +
                                           p->after.Text()
                                     : std::string("; no write to it was unanswered"))
                      << "\n  answered writes to it:\n    " << history;
      }
      if (got.present || m.agents.count(u)) m.agents[u] = got;
      if (is_pending && got == p->after && got != want)
        m.agent_history[u].push_back(ctx + ": landed although unanswered: " + p->what);
    }
  }

  // Sessions of one channel against the model; a pending import landed whole
  // or not at all. Leaves the model equal to the store.
  void VerifySessions(ClientModel& m, int channel, const std::string& token, const std::string& ctx,
                      int& landed) {
    auto actual = ListSessions(channel, token, ctx);
    const auto& want = m.sessions[channel];
    for (auto& [id, comment] : want) {
      auto it = actual.find(id);
      if (it == actual.end())
        ADD_FAILURE() << ctx << ": client " << m.index << ": session " << id << " (channel " << channel
                      << ") was imported with an OK answer and is gone";
      else if (it->second != comment)
        ADD_FAILURE() << ctx << ": client " << m.index << ": session " << id << " has comment \""
                      << it->second << "\", imported as \"" << comment << "\"";
    }
    const Write* p = m.pending && m.pending->kind == Write::kImport && m.pending->channel == channel
                         ? &*m.pending
                         : nullptr;
    if (p) {
      size_t present = 0;
      for (auto& [id, comment] : p->sessions) {
        auto it = actual.find(id);
        if (it == actual.end()) continue;
        ++present;
        if (it->second != comment)
          ADD_FAILURE() << ctx << ": client " << m.index << ": session " << id << " has comment \""
                        << it->second << "\", imported as \"" << comment << "\"";
      }
      if (present == p->sessions.size()) ++landed;
      if (present != 0 && present != p->sessions.size())
        ADD_FAILURE() << ctx << ": client " << m.index << ": the unanswered " << p->what
                      << " landed in part: " << present << " of " << p->sessions.size()
                      << " sessions (an import is one transaction)";
    }
    for (auto& [id, comment] : actual)
      if (!want.count(id) && !(p && p->sessions.count(id)))
        ADD_FAILURE() << ctx << ": client " << m.index << ": session " << id << " (channel " << channel
                      << ") is in the store but was never imported";
    m.sessions[channel] = actual;
  }

  // After a restart: the token of the killed server still works, and every
  // client's agents and sessions of the crashed round are as answered.
  // Returns the token it used.
  std::string VerifyRound(std::vector<ClientModel>& clients, int round, const std::string& old_token,
                          const std::string& ctx) {
    std::string token = old_token;
    auto r = Get("/api/tenants/" + std::to_string(kTenant) + "/agents?size=1", old_token);
    if (!IsOk(r)) {
      ADD_FAILURE() << ctx << ": the token issued before the kill is no longer accepted\n"
                    << Describe(r);
      token = IssueToken(kTenant, kDemoClientId, kDemoSecretId);
    }
    int pending = 0, landed = 0;
    for (auto& m : clients) {
      if (m.pending) ++pending;
      VerifyAgents(m, token, ctx, landed);
      VerifySessions(m, Channel(round, m.index), token, ctx, landed);
      m.pending.reset();
    }
    // Sessions of earlier rounds, at a glance: the tenant's total.
    long long want_total = 0;
    for (auto& m : clients)
      for (auto& [channel, ids] : m.sessions) want_total += static_cast<long long>(ids.size());
    auto t = Get("/api/tenants/" + std::to_string(kTenant) + "/serviceSessionHistorys?per_page=1", token);
    hist::Page p = hist::ParsePage(t.body);
    EXPECT_EQ(p.total, want_total) << ctx << ": the tenant's history total_entries differs from the "
                                   << "number of sessions the channel queries list"
                                   << (t.status == 200 ? std::string() : "\n" + Describe(t));
    std::cout << "[crash-kill]   restarted: " << landed << " of " << pending
              << " unanswered writes had landed" << std::endl;
    return token;
  }

  std::string log_;
};

TEST_F(CrashKillTest, AcknowledgedWritesSurviveSigkill) {
  const uint64_t seed = Seed();
  std::cout << "[crash-kill] seed " << seed << " (KEFU_CRASH_SEED=" << seed << " repeats the choices)"
            << std::endl;
  Demo(2);
  std::mt19937_64 rng(seed);
  std::vector<ClientModel> clients(kClients);
  for (int c = 0; c < kClients; ++c) clients[c].index = c;
  const std::string scratch = dir_->File("check.db");
  std::string token;
  for (int round = 0; round <= kRounds; ++round) {
    const std::string ctx = "seed " + std::to_string(seed) + ", after the kill of round " +
                            std::to_string(round - 1);
    StartRound(round);
    if (round > 0) token = VerifyRound(clients, round - 1, token, ctx);
    if (round == kRounds) break;  // the last start only verifies

    token = IssueToken(kTenant, kDemoClientId, kDemoSecretId);
    const int delay_ms = std::uniform_int_distribution<int>(kMinKillMs, kMaxKillMs)(rng);
    std::vector<uint64_t> seeds;
    for (int c = 0; c < kClients; ++c) seeds.push_back(rng());
    std::atomic<bool> stop{false};
    RoundProgress progress;
    std::vector<std::thread> threads;
    for (auto& m : clients) m.ResetRound();
    for (int c = 0; c < kClients; ++c)
      threads.emplace_back(RunClient, std::ref(clients[c]), server_.port(), token, round, seeds[c],
                           std::cref(stop), std::ref(progress));
    // The delay counts from the first answered write, however slow the
    // machine; a server that answers none leaves every client done (an error
    // or its 30 s client timeout), and the round fails below.
    while (progress.answered.load() == 0 && progress.done.load() < kClients)
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    const pid_t pid = server_.pid();
    kill(pid, SIGKILL);
    stop = true;
    const int rc = server_.Stop(5);  // reaps it
    for (auto& t : threads) t.join();
    http_.reset();

    const std::string rctx = "seed " + std::to_string(seed) + ", round " + std::to_string(round);
    EXPECT_EQ(rc, -SIGKILL) << rctx << ": kefud ended otherwise than by the kill; log:\n"
                            << ReadFile(log_);
    int acked[4] = {0, 0, 0, 0}, sessions = 0, pending = 0;
    for (auto& m : clients) {
      for (int k = 0; k < 4; ++k) acked[k] += m.acked[k];
      sessions += m.acked_sessions;
      if (m.pending) ++pending;
      for (auto& e : m.errors)
        ADD_FAILURE() << rctx << ": client " << m.index << ": unexpected answer before the kill to "
                      << e;
    }
    EXPECT_GT(acked[Write::kAdd] + acked[Write::kUpdate] + acked[Write::kDelete] + acked[Write::kImport], 0)
        << rctx << ": no write was answered OK before the kill";
    const long long wal = OnPostgres() ? 0 : FileSize(db_ + "-wal");
    std::cout << "[crash-kill] round " << round << ": killed after " << delay_ms << " ms; answered "
              << acked[Write::kAdd] << " adds, " << acked[Write::kUpdate] << " updates, "
              << acked[Write::kDelete] << " deletes, " << acked[Write::kImport] << " imports ("
              << sessions << " sessions); " << pending << " unanswered; WAL " << wal << " bytes"
              << std::endl;
    if (OnPostgres()) continue;  // PostgreSQL's own files: the kill of kefud cannot touch them
    const std::string problems = CheckCopyOf(db_, scratch);
    ASSERT_EQ(problems, "") << rctx << ": the store as the kill left it is damaged";
  }

  // Every channel of every round once more, on the last restart.
  int landed = 0;
  for (auto& m : clients)
    for (int round = 0; round < kRounds; ++round)
      VerifySessions(m, Channel(round, m.index), token, "seed " + std::to_string(seed) + ", final check",
                     landed);
  EXPECT_EQ(server_.Stop(15), 0) << "kefud did not exit 0 on SIGTERM; log:\n" << ReadFile(log_);
  http_.reset();
  if (!OnPostgres()) {
    EXPECT_EQ(CheckFile(db_, false), "") << "seed " << seed << ": the store after a clean stop";
  }
}

}  // namespace
}  // namespace bb
