#include "store/history_query_sql.h"

#include <fmt/format.h>

#include "common/text.h"
#include "store/bound_lists.h"
#include "store/history_filter_facts.h"

namespace kefu::store {
namespace {

using Dialect = HistorySqlDialect;

// True if the trigram index can answer a substring search for `needle`: three
// characters or more and none that GLOB would read as a pattern.
bool TrigramSearchable(const std::string& needle) {
  auto chars = Utf8Length(needle);
  return chars && *chars >= 3 && needle.find_first_of("*?[]\n") == std::string::npos;
}

// A LIKE pattern matching `needle` anywhere: its % _ and \ escaped.
std::string ContainsPattern(const std::string& needle) {
  std::string pattern = "%";
  for (char c : needle) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  return pattern + "%";
}

void AddCustomerName(HistoryWhere& w, const std::string& needle) {
  // The stored names are '\n'-joined, so a needle holding one matches nothing.
  if (needle.find('\n') != std::string::npos) {
    w.And("false");
  } else if (w.dialect().name_search == Dialect::NameSearch::kLike) {
    w.And(fmt::format("s.customer_names LIKE {}", w.Bind(ContainsPattern(needle))));
  } else if (TrigramSearchable(needle)) {
    w.And(fmt::format("s.id IN (SELECT rowid FROM session_names WHERE names GLOB {})",
                      w.Bind("*" + needle + "*")));
  } else {
    w.And(fmt::format("instr(s.customer_names, {}) > 0", w.Bind(needle)));
  }
}

// Sessions served by one of `agents`.
void AddAgents(HistoryWhere& w, const std::vector<std::string>& agents) {
  w.And(fmt::format("s.id IN (SELECT session FROM session_agents WHERE tenant_id = {} AND {})",
                    w.tenant(), w.OneOf("agent_id", agents)));
}

// Sessions with one of `ids` in `table`.`column` (session_summaries, session_enquiry_tags).
void AddTagged(HistoryWhere& w, const char* table, const char* column,
               const std::vector<int64_t>& ids, bool probe_per_session) {
  if (probe_per_session) {
    w.And(fmt::format("EXISTS (SELECT 1 FROM {} x WHERE x.session = s.id AND {})", table,
                      w.OneOf(fmt::format("x.{}", column), ids, "bigint")));
  } else {
    w.And(fmt::format("s.id IN (SELECT session FROM {} WHERE tenant_id = {} AND {})", table,
                      w.tenant(), w.OneOf(column, ids, "bigint")));
  }
}

// `unindexed` writes the column as +column, which keeps SQLite from choosing
// its time index for the bound.
void AddRange(HistoryWhere& w, const char* column, const SecondsRange& r, bool unindexed) {
  const char* plus = unindexed ? "+" : "";
  if (r.from) w.And(fmt::format("{}{} >= {}", plus, column, w.TimeValue(*r.from)));
  if (r.to) w.And(fmt::format("{}{} <= {}", plus, column, w.TimeValue(*r.to)));
}

}  // namespace

HistoryWhere::HistoryWhere(const HistorySqlDialect& dialect, TenantId tenant)
    : dialect_(dialect) {
  tenant_ = Bind(int64_t{tenant});
  sql_ = "s.tenant_id = " + tenant_;
}

std::string HistoryWhere::Placeholder(size_t n) const {
  return fmt::format("{}{}", dialect_.parameters == Dialect::Parameters::kSqlite ? '?' : '$', n);
}

std::string HistoryWhere::Bind(SqlParam value) {
  params_.push_back(std::move(value));
  return Placeholder(params_.size());
}

std::string HistoryWhere::BindInteger(int64_t value) {
  std::string p = Bind(value);
  return dialect_.parameters == Dialect::Parameters::kSqlite ? p : p + "::integer";
}

std::string HistoryWhere::BindBoolean(bool value) {
  if (dialect_.booleans == Dialect::Booleans::kInteger) return Bind(int64_t{value});
  return Bind(std::string(value ? "true" : "false"));
}

std::string HistoryWhere::OneOf(std::string_view column, const std::vector<int64_t>& values,
                                std::string_view sql_type) {
  if (dialect_.parameters == Dialect::Parameters::kSqlite) {
    return fmt::format("{} IN (SELECT value FROM json_each({}))", column, Bind(JsonList(values)));
  }
  return fmt::format("{} = ANY({}::{}[])", column, Bind(PgIntArray(values)), sql_type);
}

std::string HistoryWhere::OneOf(std::string_view column, const std::vector<std::string>& values) {
  if (dialect_.parameters == Dialect::Parameters::kSqlite) {
    return fmt::format("{} IN (SELECT value FROM json_each({}))", column, Bind(JsonList(values)));
  }
  return fmt::format("{} = ANY({}::text[])", column, Bind(PgTextArray(values)));
}

std::string HistoryWhere::TimeValue(int64_t value) {
  std::string p = Bind(value);
  return dialect_.times == Dialect::Times::kSeconds ? p : fmt::format("to_timestamp({})", p);
}

void HistoryWhere::And(std::string_view condition) {
  sql_ += " AND ";
  sql_ += condition;
}

HistoryWhere BuildHistoryWhere(const HistorySqlDialect& dialect, TenantId tenant,
                               const HistoryFilter& f) {
  HistoryWhere w(dialect, tenant);
  w.And(w.OneOf("s.state", StateList(f), "smallint"));
  if (f.origin_mask) w.And(fmt::format("(s.origin_mask & {}) <> 0", w.BindInteger(f.origin_mask)));
  if (!f.tech_channel_ids.empty()) {
    w.And(w.OneOf("s.tech_channel_id", f.tech_channel_ids, "bigint"));
  }
  if (!f.tech_channel_types.empty()) w.And(w.OneOf("s.tech_channel_type", f.tech_channel_types));
  if (!f.customer_name.empty()) AddCustomerName(w, f.customer_name);
  if (f.transfered) w.And("s.transfered = " + w.BindBoolean(*f.transfered));
  if (f.from_agent_callback) {
    w.And("s.from_agent_callback = " + w.BindBoolean(*f.from_agent_callback));
  }
  if (!f.enquiry_summaries.empty()) {
    w.And(w.OneOf("s.enquiry_summary", f.enquiry_summaries, "smallint"));
  }
  if (!f.queue_ids.empty()) w.And(w.OneOf("s.queue_id", f.queue_ids, "bigint"));
  if (!f.queue_id.empty()) w.And(w.OneOf("s.queue_id", f.queue_id, "bigint"));
  // agentIds and agentUserId are two conditions (CONTRACT §6).
  if (!f.agent_ids.empty()) AddAgents(w, f.agent_ids);
  if (!f.agent_user_ids.empty()) AddAgents(w, f.agent_user_ids);
  // An agent's sessions are a few percent of a tenant's; without statistics
  // for json_each lists SQLite would rather walk a months-long time range, or
  // list every session of a popular tag. When agents are named, the query
  // starts from their sessions and probes the rest per candidate.
  const bool from_agents =
      dialect.agents_first && (!f.agent_ids.empty() || !f.agent_user_ids.empty());
  if (!f.summary_ids.empty()) {
    AddTagged(w, "session_summaries", "summary_id", f.summary_ids, from_agents);
  }
  if (!f.enquiry_tag_ids.empty()) {
    AddTagged(w, "session_enquiry_tags", "tag_id", f.enquiry_tag_ids, from_agents);
  }
  AddRange(w, "s.started_at", f.started, from_agents);
  AddRange(w, "s.stopped_at", f.stopped, from_agents);
  AddRange(w, "s.created_at", f.created, from_agents);
  return w;
}

std::string HistoryCountSql(const HistoryWhere& where, const char* column) {
  return fmt::format("SELECT count(*), count({}) FROM sessions s WHERE {}", column, where.sql());
}

std::string HistoryPageSql(const HistoryWhere& where, const char* select, const char* column,
                           bool ascending, bool nulls) {
  const size_t n = where.params().size();
  const std::string limit = where.Placeholder(n + 1), offset = where.Placeholder(n + 2);
  return nulls ? fmt::format("SELECT {} WHERE {} AND {} IS NULL "
                             "ORDER BY s.session_id LIMIT {} OFFSET {}",
                             select, where.sql(), column, limit, offset)
               : fmt::format("SELECT {} WHERE {} AND {} IS NOT NULL "
                             "ORDER BY {} {}, s.session_id LIMIT {} OFFSET {}",
                             select, where.sql(), column, column, ascending ? "ASC" : "DESC",
                             limit, offset);
}

}  // namespace kefu::store
