// One libpq connection with its prepared statements, and a bounded pool.
// Every call is synchronous (the caller is a worker thread). A connection
// that fails at the socket level is dropped; the next Acquire reconnects, so
// kefu recovers by itself when PostgreSQL comes back.
#pragma once

#include <libpq-fe.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/status.h"

namespace kefu::store::postgres {

// A parameter in text form; nullopt is SQL NULL.
using PgParam = std::optional<std::string>;
inline PgParam P(int64_t v) { return std::to_string(v); }
inline PgParam P(std::string_view s) { return std::string(s); }
inline PgParam P(const std::string& s) { return s; }
inline PgParam P(const char* s) { return std::string(s); }
inline PgParam P(const std::optional<std::string>& s) { return s; }
inline PgParam P(const std::optional<int64_t>& v) { return v ? P(*v) : PgParam(); }

class PgResult {
 public:
  explicit PgResult(PGresult* r) : r_(r, PQclear) {}
  int rows() const { return PQntuples(r_.get()); }
  bool IsNull(int row, int col) const { return PQgetisnull(r_.get(), row, col) != 0; }
  std::string Text(int row, int col) const {
    return std::string(PQgetvalue(r_.get(), row, col), PQgetlength(r_.get(), row, col));
  }
  std::optional<std::string> OptionalText(int row, int col) const {
    if (IsNull(row, col)) return std::nullopt;
    return Text(row, col);
  }
  std::optional<int64_t> OptionalInt(int row, int col) const {
    return IsNull(row, col) ? std::nullopt : std::optional<int64_t>(Int(row, col));
  }
  int64_t Int(int row, int col) const { return std::strtoll(PQgetvalue(r_.get(), row, col), nullptr, 10); }
  bool Bool(int row, int col) const { return PQgetvalue(r_.get(), row, col)[0] == 't'; }
  // Rows changed by INSERT/UPDATE/DELETE.
  int64_t affected() const { return std::strtoll(PQcmdTuples(r_.get()), nullptr, 10); }

 private:
  std::shared_ptr<PGresult> r_;
};

class PgConnection {
 public:
  static Result<std::unique_ptr<PgConnection>> Open(const std::string& url);
  ~PgConnection();

  // Runs `sql` ($1… parameters) as a prepared statement, preparing it on this
  // connection the first time. A unique violation answers kUsernameTaken-free
  // kInvalidParam with detail "unique"; a statement stopped by its
  // statement_timeout kQueryTimeout; failures of the server or the socket
  // answer kStoreUnavailable.
  Result<PgResult> Exec(const std::string& sql, const std::vector<PgParam>& params = {});
  // Runs SQL text without parameters or preparation (BEGIN, schema).
  Status Run(const std::string& sql);

  // True once the socket failed: the pool drops the connection.
  bool broken() const { return PQstatus(conn_) != CONNECTION_OK; }
  // Reads what the server sent while the connection sat idle (a restarting
  // server says goodbye), without blocking; false if it is gone.
  bool StillAlive() { return PQconsumeInput(conn_) == 1 && !broken(); }

 private:
  explicit PgConnection(PGconn* conn) : conn_(conn) {}
  Result<PgResult> Check(PGresult* r, std::string_view what);

  PGconn* conn_;
  std::unordered_map<std::string, std::string> prepared_;  // sql -> statement name
};

// True if `s` is the failure of a unique constraint (SQLSTATE 23505).
bool IsUniqueViolation(const Status& s);

// BEGIN … COMMIT, rolled back unless committed.
class PgTransaction {
 public:
  explicit PgTransaction(PgConnection& conn) : conn_(conn) {}
  ~PgTransaction();
  Status Begin() {
    KEFU_RETURN_IF_ERROR(conn_.Run("BEGIN"));
    open_ = true;
    return Status::Ok();
  }
  Status Commit() {
    Status s = conn_.Run("COMMIT");
    open_ = false;
    return s;
  }

 private:
  PgConnection& conn_;
  bool open_ = false;
};

class PgPool {
 public:
  PgPool(std::string url, size_t max_connections) : url_(std::move(url)), max_(max_connections) {}

  class Handle {
   public:
    Handle(PgPool* pool, std::unique_ptr<PgConnection> conn) : pool_(pool), conn_(std::move(conn)) {}
    Handle(Handle&&) = default;
    ~Handle();
    PgConnection& operator*() { return *conn_; }
    PgConnection* operator->() { return conn_.get(); }

   private:
    PgPool* pool_;
    std::unique_ptr<PgConnection> conn_;
  };

  // A connection, waiting up to a bound for one to be free; kStoreUnavailable
  // if none can be had or made.
  Result<Handle> Acquire();

 private:
  void Release(std::unique_ptr<PgConnection> conn);

  std::string url_;
  size_t max_;
  std::mutex mu_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<PgConnection>> idle_;
  size_t open_ = 0;  // connections handed out or idle
};

}  // namespace kefu::store::postgres

#define KEFU_PG_ACQUIRE(conn)                    \
  auto conn##_h = pool_.Acquire();               \
  if (!conn##_h.ok()) return conn##_h.status();  \
  ::kefu::store::postgres::PgConnection& conn = **conn##_h

// Runs `sql` with `params` into a PgResult named `res`, or returns the failure.
#define KEFU_PG_EXEC(res, conn, sql, ...)        \
  auto res##_r = (conn).Exec(sql, __VA_ARGS__);  \
  if (!res##_r.ok()) return res##_r.status();    \
  ::kefu::store::postgres::PgResult res = std::move(res##_r).value()
