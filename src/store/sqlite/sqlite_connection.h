// One SQLite connection with its prepared statements, and a pool of them.
// A connection is used by one thread at a time; the pool hands them out.
#pragma once

#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"

namespace kefu::store::sqlite {

// A prepared statement borrowed from a connection's cache; reset and
// unbound when it goes out of scope so the next user starts clean.
class Statement {
 public:
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Binds by 1-based index.
  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, std::string_view text);
  Statement& BindBlob(int index, std::string_view bytes);
  Statement& BindNull(int index);
  Statement& BindOptional(int index, const std::optional<std::string>& text);
  Statement& BindOptional(int index, const std::optional<int64_t>& value);

  // Steps once: true if a row is ready, false when done. A failure is
  // reported through `status` (kept as the first error).
  bool Step();
  // Runs to completion (for writes).
  Status Run();
  const Status& status() const { return status_; }
  int last_result() const { return last_rc_; }

  int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  bool IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::string Text(int col) const;
  std::optional<std::string> OptionalText(int col) const;
  std::optional<int64_t> OptionalInt(int col) const {
    return IsNull(col) ? std::nullopt : std::optional<int64_t>(Int(col));
  }

 private:
  sqlite3_stmt* stmt_;
  Status status_;
  int last_rc_ = SQLITE_OK;
};

class Connection {
 public:
  // Opens (creating if needed) the database file with WAL and the busy timeout.
  // `writer` is shared by every connection of one process (see Transaction).
  static Result<std::unique_ptr<Connection>> Open(const std::string& path, std::mutex* writer);
  ~Connection();

  // The cached prepared statement for `sql` (a string literal: its address is
  // the cache key).
  Result<std::unique_ptr<Statement>> Prepare(const char* sql);
  // The cached prepared statement for SQL built at run time from fixed
  // fragments (the history query); the cache is bounded.
  Result<std::unique_ptr<Statement>> PrepareBuilt(const std::string& sql);
  // Runs SQL text with no parameters and no rows (pragmas, schema).
  Status Exec(const char* sql);
  // Runs a statement literal without parameters through the cache (BEGIN,
  // COMMIT: on every request, so not parsed anew each time).
  Status Step(const char* sql);

  sqlite3* handle() { return db_; }
  std::mutex& writer() { return *writer_; }

 private:
  Connection(sqlite3* db, std::mutex* writer) : db_(db), writer_(writer) {}
  sqlite3* db_;
  std::mutex* writer_;
  std::unordered_map<const char*, sqlite3_stmt*> cache_;
  std::unordered_map<std::string, sqlite3_stmt*> built_cache_;
};

// Maps an SQLite result code to a Status (busy, locked, I/O → kStoreUnavailable).
Status SqliteError(sqlite3* db, int rc, std::string_view what);

// A write transaction on one connection: BEGIN IMMEDIATE; rolls back unless
// committed. Writers of one process queue on a mutex first: SQLite's own busy
// handler would make them sleep in steps of up to 100 ms (its wait still
// applies between processes, e.g. the CLI beside a server).
class Transaction {
 public:
  explicit Transaction(Connection& conn) : conn_(conn) {}
  ~Transaction();
  Status Begin();
  Status Commit();

 private:
  Connection& conn_;
  std::unique_lock<std::mutex> writer_;
  bool open_ = false;
};

// A read transaction (BEGIN … COMMIT) so several statements see one snapshot.
class ReadTransaction {
 public:
  explicit ReadTransaction(Connection& conn) : conn_(conn) {}
  ~ReadTransaction() {
    if (open_) (void)conn_.Step("COMMIT");
  }
  Status Begin() {
    KEFU_RETURN_IF_ERROR(conn_.Step("BEGIN"));
    open_ = true;
    return Status::Ok();
  }

 private:
  Connection& conn_;
  bool open_ = false;
};

// Stops every statement of `conn` once `timeout` has passed from now: SQLite
// looks at the deadline every limits::kSqliteDeadlineCheckSteps steps and
// interrupts the statement, whose Step then fails with kQueryTimeout. The
// destructor takes the deadline off, so the connection goes back to the pool
// as it was; declare it after a ReadTransaction so that the transaction's
// COMMIT runs without it.
class QueryDeadline {
 public:
  QueryDeadline(Connection& conn, std::chrono::milliseconds timeout);
  ~QueryDeadline();
  QueryDeadline(const QueryDeadline&) = delete;
  QueryDeadline& operator=(const QueryDeadline&) = delete;

 private:
  static int Check(void* self);
  Connection& conn_;
  std::chrono::steady_clock::time_point deadline_;
};

class ConnectionPool {
 public:
  explicit ConnectionPool(std::string path) : path_(std::move(path)) {}

  // A connection returned to the pool when the handle is destroyed.
  class Handle {
   public:
    Handle(ConnectionPool* pool, std::unique_ptr<Connection> conn)
        : pool_(pool), conn_(std::move(conn)) {}
    Handle(Handle&&) = default;
    ~Handle();
    Connection& operator*() { return *conn_; }
    Connection* operator->() { return conn_.get(); }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<Connection> conn_;
  };

  Result<Handle> Acquire();

 private:
  std::string path_;
  std::mutex mu_;
  std::mutex writer_;  // one write transaction at a time in this process
  std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace kefu::store::sqlite

// Prepares `sql` on `conn` into a Statement& named `stmt`, or returns the failure.
#define KEFU_PREPARE(stmt, conn, sql)            \
  auto stmt##_r = (conn).Prepare(sql);           \
  if (!stmt##_r.ok()) return stmt##_r.status();  \
  ::kefu::store::sqlite::Statement& stmt = **stmt##_r

// Takes a pooled connection into a Connection& named `conn`, or returns the failure.
#define KEFU_ACQUIRE(conn)                       \
  auto conn##_h = pool_.Acquire();               \
  if (!conn##_h.ok()) return conn##_h.status();  \
  ::kefu::store::sqlite::Connection& conn = **conn##_h
