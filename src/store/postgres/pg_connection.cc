#include "store/postgres/pg_connection.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cstring>

namespace kefu::store::postgres {
namespace {

// How long a request waits for a pooled connection before answering API_400.
constexpr auto kAcquireTimeout = std::chrono::seconds(5);

}  // namespace

Result<std::unique_ptr<PgConnection>> PgConnection::Open(const std::string& url) {
  // Defaults first: libpq lets later keywords, and the URL's own settings
  // (expanded from dbname), override them. Every wait is bounded: connecting,
  // a dead peer (TCP keepalives), a statement or a lock. random_page_cost 1.1
  // (SSD, data mostly cached): at the default 4 PostgreSQL scans every session
  // to count one agent's few thousand (70 ms instead of 26 at 200k). JIT
  // compiles cost more than these short queries take.
  const char* keys[] = {"connect_timeout", "keepalives", "keepalives_idle", "keepalives_interval",
                        "keepalives_count", "application_name", "options", "dbname", nullptr};
  const char* values[] = {"3", "1", "10", "3", "3", "kefud",
                          "-c statement_timeout=15000 -c lock_timeout=10000 -c TimeZone=UTC "
                          "-c random_page_cost=1.1 -c jit=off",
                          url.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keys, values, 1);
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string why = conn ? PQerrorMessage(conn) : "out of memory";
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    PQfinish(conn);
    spdlog::warn("postgresql: cannot connect: {}", why);
    return Error(Code::kStoreUnavailable, "cannot connect to PostgreSQL: " + why);
  }
  // Server notices ("relation already exists, skipping") go to the debug log.
  PQsetNoticeProcessor(
      conn, [](void*, const char* message) { spdlog::debug("postgresql: {}", message); }, nullptr);
  return std::unique_ptr<PgConnection>(new PgConnection(conn));
}

PgConnection::~PgConnection() { PQfinish(conn_); }

Result<PgResult> PgConnection::Check(PGresult* r, std::string_view what) {
  ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return PgResult(r);
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  std::string message = r ? PQresultErrorMessage(r) : PQerrorMessage(conn_);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  std::string sqlstate = state ? state : "";
  PQclear(r);
  if (sqlstate == "23505") return Error(Code::kInvalidParam, "unique");
  if (sqlstate.starts_with("23")) return Error(Code::kInvalidParam, "constraint: " + message);
  if (sqlstate == "57014") {  // query_canceled: a statement_timeout passed
    spdlog::warn("postgresql: {}: stopped at the statement time limit", what);
    return Error(Code::kQueryTimeout, fmt::format("{}: {}", what, message));
  }
  spdlog::error("postgresql: {}: {} (SQLSTATE {})", what, message, sqlstate);
  return Error(Code::kStoreUnavailable, fmt::format("{}: {}", what, message));
}

Result<PgResult> PgConnection::Exec(const std::string& sql, const std::vector<PgParam>& params) {
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    std::string name = fmt::format("k{}", prepared_.size());
    auto prep = Check(PQprepare(conn_, name.c_str(), sql.c_str(), static_cast<int>(params.size()), nullptr),
                      "prepare");
    if (!prep.ok()) return prep.status();
    it = prepared_.emplace(sql, std::move(name)).first;
  }
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  return Check(PQexecPrepared(conn_, it->second.c_str(), static_cast<int>(values.size()),
                              values.data(), nullptr, nullptr, 0),
               "query");
}

Status PgConnection::Run(const std::string& sql) {
  auto r = Check(PQexec(conn_, sql.c_str()), "exec");
  return r.ok() ? Status::Ok() : r.status();
}

bool IsUniqueViolation(const Status& s) {
  return s.code() == Code::kInvalidParam && s.detail() == "unique";
}

PgTransaction::~PgTransaction() {
  if (open_ && !conn_.broken()) (void)conn_.Run("ROLLBACK");
}

PgPool::Handle::~Handle() {
  if (conn_) pool_->Release(std::move(conn_));
}

void PgPool::Release(std::unique_ptr<PgConnection> conn) {
  std::lock_guard lock(mu_);
  if (conn->broken()) {
    --open_;  // dropped; the next Acquire connects anew
  } else {
    idle_.push_back(std::move(conn));
  }
  freed_.notify_one();
}

Result<PgPool::Handle> PgPool::Acquire() {
  std::unique_lock lock(mu_);
  if (!freed_.wait_for(lock, kAcquireTimeout, [&] { return !idle_.empty() || open_ < max_; })) {
    return Error(Code::kStoreUnavailable, "no PostgreSQL connection free");
  }
  while (!idle_.empty()) {
    auto conn = std::move(idle_.back());
    idle_.pop_back();
    if (conn->StillAlive()) return Handle(this, std::move(conn));
    --open_;  // closed by the server while idle
  }
  ++open_;
  lock.unlock();
  auto conn = PgConnection::Open(url_);
  if (!conn.ok()) {
    std::lock_guard relock(mu_);
    --open_;
    freed_.notify_one();
    return conn.status();
  }
  return Handle(this, std::move(conn).value());
}

}  // namespace kefu::store::postgres
