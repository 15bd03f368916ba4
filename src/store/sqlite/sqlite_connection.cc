#include "store/sqlite/sqlite_connection.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "common/limits.h"

namespace kefu::store::sqlite {

Status SqliteError(sqlite3* db, int rc, std::string_view what) {
  const char* msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  int primary = rc & 0xff;
  if (primary == SQLITE_CONSTRAINT) {
    return Error(Code::kInvalidParam, fmt::format("{}: {}", what, msg));
  }
  if (primary == SQLITE_INTERRUPT) {  // only a QueryDeadline interrupts
    spdlog::warn("sqlite: {}: stopped at the query time limit", what);
    return Error(Code::kQueryTimeout, fmt::format("{}: {}", what, msg));
  }
  spdlog::error("sqlite: {}: {} (code {})", what, msg, rc);
  return Error(Code::kStoreUnavailable, fmt::format("{}: {}", what, msg));
}

Statement::~Statement() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Statement& Statement::Bind(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::Bind(int index, std::string_view text) {
  sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::BindBlob(int index, std::string_view bytes) {
  sqlite3_bind_blob(stmt_, index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::BindNull(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

Statement& Statement::BindOptional(int index, const std::optional<std::string>& text) {
  return text ? Bind(index, std::string_view(*text)) : BindNull(index);
}

Statement& Statement::BindOptional(int index, const std::optional<int64_t>& value) {
  return value ? Bind(index, *value) : BindNull(index);
}

bool Statement::Step() {
  last_rc_ = sqlite3_step(stmt_);
  if (last_rc_ == SQLITE_ROW) return true;
  if (last_rc_ != SQLITE_DONE && status_.ok()) {
    status_ = SqliteError(sqlite3_db_handle(stmt_), last_rc_, "step");
  }
  return false;
}

Status Statement::Run() {
  while (Step()) {
  }
  return status_;
}

std::string Statement::Text(int col) const {
  const auto* p = sqlite3_column_blob(stmt_, col);
  int n = sqlite3_column_bytes(stmt_, col);
  return p ? std::string(static_cast<const char*>(p), n) : std::string();
}

std::optional<std::string> Statement::OptionalText(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Text(col);
}

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path, std::mutex* writer) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Status s = Error(Code::kStoreUnavailable,
                     fmt::format("cannot open database {}: {}", path,
                                 db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
    sqlite3_close(db);
    return s;
  }
  std::unique_ptr<Connection> conn(new Connection(db, writer));
  sqlite3_busy_timeout(db, limits::kSqliteBusyTimeoutMs);
  // WAL lets readers run beside the one writer; synchronous=FULL makes every
  // acknowledged commit durable even if the process or machine dies next.
  for (const char* pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL",
                             "PRAGMA foreign_keys=ON", "PRAGMA temp_store=MEMORY",
                             // 16 MiB of pages per connection: a few connections stay
                             // well inside the 100 MB the server may use in all.
                             "PRAGMA cache_size=-16384"}) {
    KEFU_RETURN_IF_ERROR(conn->Exec(pragma));
  }
  return conn;
}

Connection::~Connection() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  for (auto& [sql, stmt] : built_cache_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

Result<std::unique_ptr<Statement>> Connection::Prepare(const char* sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return SqliteError(db_, rc, "prepare");
    it = cache_.emplace(sql, stmt).first;
  }
  return std::make_unique<Statement>(it->second);
}

Result<std::unique_ptr<Statement>> Connection::PrepareBuilt(const std::string& sql) {
  // Filter combinations are finite but many; a full cache starts over.
  constexpr size_t kMaxBuiltStatements = 256;
  auto it = built_cache_.find(sql);
  if (it == built_cache_.end()) {
    if (built_cache_.size() >= kMaxBuiltStatements) {
      for (auto& [text, stmt] : built_cache_) sqlite3_finalize(stmt);
      built_cache_.clear();
    }
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return SqliteError(db_, rc, "prepare");
    it = built_cache_.emplace(sql, stmt).first;
  }
  return std::make_unique<Statement>(it->second);
}

Status Connection::Exec(const char* sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
  sqlite3_free(err);
  if (rc != SQLITE_OK) return SqliteError(db_, rc, "exec");
  return Status::Ok();
}

Status Connection::Step(const char* sql) {
  auto stmt = Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  return (*stmt)->Run();
}

Transaction::~Transaction() {
  if (open_) (void)conn_.Step("ROLLBACK");
}

Status Transaction::Begin() {
  writer_ = std::unique_lock(conn_.writer());
  KEFU_RETURN_IF_ERROR(conn_.Step("BEGIN IMMEDIATE"));
  open_ = true;
  return Status::Ok();
}

Status Transaction::Commit() {
  Status s = conn_.Step("COMMIT");
  if (s.ok()) open_ = false;
  return s;
}

QueryDeadline::QueryDeadline(Connection& conn, std::chrono::milliseconds timeout)
    : conn_(conn), deadline_(std::chrono::steady_clock::now() + timeout) {
  sqlite3_progress_handler(conn_.handle(), limits::kSqliteDeadlineCheckSteps, &QueryDeadline::Check, this);
}

QueryDeadline::~QueryDeadline() { sqlite3_progress_handler(conn_.handle(), 0, nullptr, nullptr); }

int QueryDeadline::Check(void* self) {
  return std::chrono::steady_clock::now() >= static_cast<QueryDeadline*>(self)->deadline_ ? 1 : 0;
}

ConnectionPool::Handle::~Handle() {
  if (!conn_) return;
  std::lock_guard lock(pool_->mu_);
  pool_->idle_.push_back(std::move(conn_));
}

Result<ConnectionPool::Handle> ConnectionPool::Acquire() {
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      return Handle(this, std::move(conn));
    }
  }
  auto conn = Connection::Open(path_, &writer_);
  if (!conn.ok()) return conn.status();
  return Handle(this, std::move(conn).value());
}

}  // namespace kefu::store::sqlite
