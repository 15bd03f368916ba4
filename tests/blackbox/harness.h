// Black-box harness for kefud: temp dirs, the kefud command line, a server
// process per test, a raw-socket HTTP/1.1 client, JSON helpers, store
// snapshots. Everything here talks to kefud only from the outside.
#pragma once

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <sys/types.h>

#include <chrono>
#include <functional>
#include <map>
#include <set>
#include <thread>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tls_support.h"

struct pg_conn;  // libpq's PGconn

namespace bb {

inline constexpr const char* kDemoClientId = "8340a6d8-211f-4b81-9202-63ce46f27c02";
inline constexpr const char* kDemoSecretId = "ca906984-80f1-41b0-a272-6000df3f76c4";
inline constexpr const char* kDemoAdmin = "32273591@qq.com";
inline constexpr const char* kDemoAdminPassword = "qwe12345";
inline constexpr const char* kDemoAgentPassword = "demo12345";
inline constexpr const char* kJsonContentType = "application/json;charset=UTF-8";

// Published error descriptions (verbatim, typos included) and our extensions.
std::string ErrorDescription(std::string_view code);
int ErrorHttpStatus(std::string_view code);

// The agent object's keys in the order kefu writes them.
const std::vector<std::string>& AgentKeys();

std::string KefudPath();

// ---------------------------------------------------------------- processes
struct CmdResult {
  int exit_code = -1;  // exit status, or -signal
  std::string out;
  std::string err;
};
// Runs KEFUD_PATH with args, capturing stdout and stderr.
// env: extra "NAME=VALUE" entries set in the child.
CmdResult RunKefud(const std::vector<std::string>& args, int timeout_s = 120,
                   const std::vector<std::string>& env = {});
// Any program (a name without '/' is looked up in PATH), same capture.
CmdResult RunProgram(const std::string& path, const std::vector<std::string>& args,
                     int timeout_s = 120, const std::vector<std::string>& env = {});

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string File(std::string_view name) const { return path_ + "/" + std::string(name); }

 private:
  std::string path_;
};

std::string ReadFile(const std::string& path);  // "" if missing
bool FileExists(const std::string& path);

// Starts args[0] (a path, or a name found on PATH) with args, stdout and
// stderr into log_path, stdin from /dev/null, killed if the test process
// dies; env holds extra "NAME=VALUE" entries. Returns the child's pid.
pid_t SpawnWithLog(std::vector<std::string> args, const std::string& log_path,
                   const std::vector<std::string>& env = {});

class Server {
 public:
  Server() = default;
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Starts `kefud serve --listen 127.0.0.1:0 --db DB extra...`, waits for the
  // "listening on" line and for /healthz to answer 200. Fails the test (fatal
  // via exception) when it cannot. When the suite runs over TLS, every
  // `serve` without --tls-cert gets the suite's certificate.
  void Start(const std::string& db, const std::string& log_path,
             const std::vector<std::string>& extra = {});
  // `kefud ARGS...` with extra environment; same waiting as Start.
  void StartArgs(const std::vector<std::string>& args, const std::string& log_path,
                 const std::vector<std::string>& env = {});
  // SIGTERM, wait up to timeout_s, then SIGKILL. Returns exit status or -signal.
  int Stop(int timeout_s = 15);
  bool running() const { return pid_ > 0; }
  int port() const { return port_; }
  // Serving TLS (--tls-cert among its arguments).
  bool tls() const { return tls_; }
  pid_t pid() const { return pid_; }
  std::string Log() const { return ReadFile(log_path_); }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  bool tls_ = false;
  std::string log_path_;
};

// ---------------------------------------------------------------- HTTP
using Headers = std::vector<std::pair<std::string, std::string>>;

struct Response {
  int status = 0;
  Headers headers;
  std::string body;
  bool keep_alive = true;
  std::string Header(std::string_view name) const;  // first value, "" if absent
  bool HasHeader(std::string_view name) const;
};
std::string Describe(const Response& r);

class HttpConn {
 public:
  // Over TLS when `tls` (by default when the suite runs over TLS,
  // tls_support.h).
  explicit HttpConn(int port, int timeout_ms = 20000, bool tls = TestOverTls());
  ~HttpConn();
  HttpConn(const HttpConn&) = delete;
  HttpConn& operator=(const HttpConn&) = delete;

  // Sends one request on the (keep-alive) connection, connecting if needed.
  // A Content-Length is sent when body is non-empty or always_length is set;
  // Content-Type: application/json when body is non-empty and headers have none.
  Response Request(std::string_view method, std::string_view target, std::string_view body = {},
                   const Headers& headers = {}, bool always_length = false);
  // Raw bytes then one response.
  Response Raw(std::string_view bytes);
  // Sends raw bytes; false when the peer refused them (reset/closed).
  bool SendRaw(std::string_view bytes);
  Response ReadResponse();
  // True when the peer closed (EOF or reset) within wait_ms.
  bool PeerClosed(int wait_ms = 3000);
  void Connect();
  void Close();
  bool connected() const { return fd_ >= 0; }
  int port() const { return port_; }
  // The TLS session once connected over TLS, else null.
  const TlsClient* tls() const { return tls_client_.get(); }

 private:
  // Up to size bytes from the connection: > 0 read, 0 the peer closed, -1
  // an error (errno), -2 the deadline passed.
  ssize_t ReadSome(char* buf, size_t size, std::chrono::steady_clock::time_point deadline);

  int port_;
  int fd_ = -1;
  int timeout_ms_;
  bool tls_;
  std::unique_ptr<TlsClient> tls_client_;
  std::string pending_;
};

// ---------------------------------------------------------------- JSON
rapidjson::Document ParseJson(std::string_view text);  // HasParseError() on failure
std::vector<std::string> Keys(const rapidjson::Value& v);
std::string Compact(const rapidjson::Value& v);
std::string JsonQuote(std::string_view s);  // "..." with escapes
std::string Join(const std::vector<std::string>& v, std::string_view sep = ",");

// {"k":v,...} from already-encoded JSON values, in the given order.
std::string Obj(const std::vector<std::pair<std::string, std::string>>& members);
inline std::string S(std::string_view s) { return JsonQuote(s); }

// ---------------------------------------------------------------- assertions
::testing::AssertionResult HasJsonContentType(const Response& r);
// Exact error envelope: status, errorCode, errorDescription[, errorDetail].
::testing::AssertionResult IsError(const Response& r, std::string_view code);
::testing::AssertionResult IsError(const Response& r, int http_status, std::string_view code);
// 200, JSON content type, body exactly {"status":"OK"}.
::testing::AssertionResult IsBareOk(const Response& r);
// 200, JSON content type, parses, first key "status":"OK".
::testing::AssertionResult IsOk(const Response& r);
// Full shape check of one agent object (keys, order, types, invariants).
::testing::AssertionResult IsAgentObject(const rapidjson::Value& v);

bool MatchesRegex(const std::string& s, const std::string& re);
std::string NowInZone(int offset_hours);  // "yyyy-MM-dd HH:mm:ss"
long long ParseDateTime(const std::string& s);  // seconds since epoch as if UTC; -1 if bad

// ---------------------------------------------------------------- PostgreSQL
// The suite runs on PostgreSQL when KEFU_TEST_PG_URL_FILE names a file holding
// the URL prefix of a running cluster (postgresql://postgres@127.0.0.1:PORT,
// written by tests/pg/pg_cluster.sh start), else on SQLite.
bool OnPostgres();
std::string PgUrlPrefix();   // "" on SQLite
std::string PgClusterDir();  // the directory of the URL file (pg_cluster.sh's DIR)
bool IsPgUrl(std::string_view db);
// Runs one statement (or several without results) on url; throws on error.
// Rows of the last result, every value as text (\N for NULL).
std::vector<std::vector<std::string>> PgExec(const std::string& url, const std::string& sql);
// url_prefix + "/" + db: the URL of database db (postgresql://…:PORT/NAME).
std::string PgUrlWithDb(const std::string& url_prefix, const std::string& db);

// The store of one test. On SQLite a file in dir. On PostgreSQL a database of
// the suite's cluster that no other test uses meanwhile:
// - kRecycled (the fixture's store): a database of a pool, claimed for the test
//   (a session advisory lock held until destruction) and emptied to the schema
//   `kefud migrate` makes, checked row by row against a template. Creating and
//   dropping a database per test, and its first connections, cost several
//   times the test itself.
// - kFresh: a new, empty database (the server migrates it), dropped WITH (FORCE)
//   at destruction. KEFU_TEST_PG_FRESH_DB=1 makes every TestDb fresh.
class TestDb {
 public:
  enum Kind { kRecycled, kFresh };
  explicit TestDb(const TempDir& dir, const std::string& file_name = "kefu.db", Kind kind = kRecycled);
  // A fresh database on the cluster whose URL prefix is given (PostgreSQL only).
  static std::unique_ptr<TestDb> OnCluster(const std::string& url_prefix);
  ~TestDb();
  TestDb(const TestDb&) = delete;
  TestDb& operator=(const TestDb&) = delete;
  // What --db takes: the file path or postgresql://…/NAME
  const std::string& url() const { return url_; }
  bool postgres() const { return !pg_name_.empty(); }
  // Every byte of the store at rest: the file and its -wal/-journal on SQLite,
  // `pg_dump --data-only` of the database on PostgreSQL.
  std::string Bytes() const;

 private:
  TestDb() = default;
  void ClaimRecycled();
  std::string url_;
  std::string pg_prefix_;
  std::string pg_name_;
  bool drop_ = false;            // a fresh database: dropped at destruction
  ::pg_conn* claim_ = nullptr;  // holds the pool database's advisory lock
};

// ---------------------------------------------------------------- store
// Every row of every table, sorted, as text. db is a SQLite path (sqlite_%
// tables excluded) or a postgresql:// URL (base tables of schema public, read in
// one REPEATABLE READ transaction).
std::string Snapshot(const std::string& db_path, const std::vector<std::string>& skip_tables = {});
std::vector<std::string> TableNames(const std::string& db_path);
// Success when equal; otherwise the differing lines only.
::testing::AssertionResult SameSnapshot(const std::string& before, const std::string& after);

// The password hash stored for the agent with this username (ASCII case
// ignored), "" when there is none. db as for Snapshot.
std::string StoredPasswordHash(const std::string& db_path, const std::string& username);
// libsodium's own check that `password` matches an encoded Argon2id hash.
bool PasswordMatches(const std::string& hash, const std::string& password);
// The cost of an encoded Argon2id hash, "m=19456,t=2,p=1"; "" when `hash` is
// not $argon2id$v=19$<cost>$<salt>$<digest>.
std::string Argon2Cost(const std::string& hash);

// ---------------------------------------------------------------- fixture
struct TenantCreds {
  int id = 0;
  std::string client_id;
  std::string secret_id;
};

class KefuTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // `kefud ARGS... --db DB`.
  CmdResult Cli(std::vector<std::string> args);
  void Demo(int agents = 2);
  TenantCreds CreateTenant(const std::string& name, int id = 0, const std::string& tz = "");
  TenantCreds AddCredential(int tenant);
  void RevokeCredential(const std::string& client_id);
  int CreateRole(int tenant, const std::string& name, const std::string& description = "");

  void StartServer(const std::vector<std::string>& extra = {});
  HttpConn& http();
  std::unique_ptr<HttpConn> NewConn() { return std::make_unique<HttpConn>(server_.port(), 20000, server_.tls()); }

  std::string IssueToken(int tenant, const std::string& client_id, const std::string& secret_id);
  std::string IssueToken(const TenantCreds& t) { return IssueToken(t.id, t.client_id, t.secret_id); }
  std::string DemoToken();

  Response Call(std::string_view method, std::string_view target, std::string_view body,
                const std::string& token);
  Response Get(std::string_view target, const std::string& token) {
    return Call("GET", target, {}, token);
  }

  // POST /api/tenants/T/agent with the usual required fields.
  Response AddAgent(int tenant, const std::string& token, const std::string& username,
                    int role_id = 2, const std::string& password = "password123",
                    const std::string& extra_members = "");
  // Adds and asserts success; returns the entity's compact JSON.
  void MustAddAgent(int tenant, const std::string& token, const std::string& username,
                    int role_id = 2, const std::string& extra_members = "");
  // GET agents?keyValue=KEY&size=50 → the parsed response (asserts 200).
  rapidjson::Document Search(int tenant, const std::string& token, const std::string& query);
  // The agent object with this exact username (case-insensitive) via search, or null doc.
  std::optional<std::string> FindAgentJson(int tenant, const std::string& token,
                                           const std::string& username);

  std::string Snap() { return Snapshot(db_); }
  // The store's bytes at rest (TestDb::Bytes).
  std::string StoreBytes() const { return store_->Bytes(); }

  // Sends the request (Content-Length always set except for GET), expects the
  // error envelope of `code`, and that the store did not change.
  void ExpectRejected(std::string_view method, const std::string& target, const std::string& body,
                      const std::string& token, std::string_view code);

  std::unique_ptr<TempDir> dir_;
  std::unique_ptr<TestDb> store_;
  std::string db_;  // store_->url()
  Server server_;
  std::unique_ptr<HttpConn> http_;
  std::string demo_token_;
};

// Runs Demo(agents) and starts the server in SetUp.
class DemoTest : public KefuTest {
 protected:
  void SetUp() override {
    KefuTest::SetUp();
    Demo(DemoAgents());
    StartServer();
    DemoToken();  // issued before any snapshot a test takes
  }
  virtual int DemoAgents() { return 2; }
};

std::string PercentEncode(std::string_view s);

}  // namespace bb
