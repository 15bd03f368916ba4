// The WHERE clause of a history query, built once for both backends from the
// HistoryFilter (session_records.h): fixed fragments, and every value bound as
// a parameter, never spliced into the text. Only a small dialect differs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/status.h"
#include "store/records.h"
#include "store/session_records.h"

namespace kefu::store {

// What the SQL of a history query spells differently on each backend. Both
// schemas name the tables and columns alike (sqlite_schema.cc, pg_schema.cc).
struct HistorySqlDialect {
  // How placeholders and lists are written: ?N with a list as a JSON array
  // read by json_each (SQLite), or $N with a list as a typed array parameter,
  // `= ANY($N::bigint[])`, and integers cast where the type is not implied.
  enum class Parameters { kSqlite, kPostgres };
  // How a boolean is bound: 0/1 or 'false'/'true'.
  enum class Booleans { kInteger, kText };
  // What the time columns hold: UTC seconds, or timestamps made with to_timestamp.
  enum class Times { kSeconds, kTimestamp };
  // How customerName finds a substring of the stored names: SQLite's trigram
  // index (session_names GLOB) where it can, else instr(); or LIKE, escaped.
  enum class NameSearch { kTrigramOrInstr, kLike };

  Parameters parameters;
  Booleans booleans;
  Times times;
  NameSearch name_search;
  // When agents are named, start from their sessions and probe the rest per
  // candidate: time bounds as +column (no time index) and tags as EXISTS.
  // SQLite needs it: it has no statistics for json_each lists.
  bool agents_first;
};

// A bound value: an integer, or a text (lists go as one text, bound_lists.h).
using SqlParam = std::variant<int64_t, std::string>;

// A WHERE clause under construction and its parameters, numbered in the
// order they were bound; parameter 1 is the tenant.
class HistoryWhere {
 public:
  HistoryWhere(const HistorySqlDialect& dialect, TenantId tenant);

  // Binds `value` as the next parameter; returns its placeholder (?N or $N).
  std::string Bind(SqlParam value);
  // Binds `value` where nothing else in the statement implies its type.
  std::string BindInteger(int64_t value);
  std::string BindBoolean(bool value);
  // "`column` is one of `values`", the list bound as one parameter;
  // `sql_type` is the element type PostgreSQL reads the array as.
  std::string OneOf(std::string_view column, const std::vector<int64_t>& values,
                    std::string_view sql_type);
  std::string OneOf(std::string_view column, const std::vector<std::string>& values);
  // A time column compared with the bound seconds `value`.
  std::string TimeValue(int64_t value);

  // Appends " AND " + condition.
  void And(std::string_view condition);

  const HistorySqlDialect& dialect() const { return dialect_; }
  // The tenant's placeholder, for subqueries that filter on it too.
  const std::string& tenant() const { return tenant_; }
  const std::string& sql() const { return sql_; }
  const std::vector<SqlParam>& params() const { return params_; }
  // The placeholder of parameter `n` (1-based).
  std::string Placeholder(size_t n) const;

 private:
  const HistorySqlDialect& dialect_;
  std::string tenant_;
  std::string sql_;
  std::vector<SqlParam> params_;
};

// The WHERE clause of `f` for `tenant` ("s" is the sessions table): one
// condition per filter it sets (CONTRACT §6).
HistoryWhere BuildHistoryWhere(const HistorySqlDialect& dialect, TenantId tenant,
                               const HistoryFilter& f);

// SELECT count(*), count(column) of the sessions `where` selects.
std::string HistoryCountSql(const HistoryWhere& where, const char* column);

// A page of `select` (e.g. "s.id FROM sessions s"): the rows with a value in
// the sort `column` (nulls = false) in its order, or those without one (true)
// by session id. Its last two parameters, after where's, are the limit and
// the offset.
std::string HistoryPageSql(const HistoryWhere& where, const char* select, const char* column,
                           bool ascending, bool nulls);

// How many sessions a query matches, and how many of them have a value in
// its sort column.
struct MatchCounts {
  int64_t total = 0, non_null = 0;
};

// Reads the page `f` asks for, nulls last in both orders: the rows with a
// sort key, then those without. `read(nulls, limit, offset)` appends the ids
// it reads to `ids`, from the rows with a key (nulls = false) or without.
template <typename Read>
Status ReadNullsLast(const HistoryFilter& f, const MatchCounts& counts,
                     const std::vector<int64_t>& ids, Read read) {
  if (f.offset < counts.non_null) KEFU_RETURN_IF_ERROR(read(false, f.limit, f.offset));
  const int64_t still = f.limit - static_cast<int64_t>(ids.size());
  if (still > 0 && counts.total > counts.non_null && f.offset + f.limit > counts.non_null) {
    const int64_t offset = f.offset > counts.non_null ? f.offset - counts.non_null : 0;
    KEFU_RETURN_IF_ERROR(read(true, still, offset));
  }
  return Status::Ok();
}

}  // namespace kefu::store
