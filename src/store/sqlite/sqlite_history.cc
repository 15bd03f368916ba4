// History sessions on SQLite: import, the history query (its WHERE clause
// from history_query_sql.h) with SQLite's fast paths, and the catalog.
#include <fmt/format.h>

#include <map>
#include <variant>

#include "store/bound_lists.h"
#include "store/history_filter_facts.h"
#include "store/sqlite/sqlite_history_dialect.h"
#include "store/sqlite/sqlite_store.h"

namespace kefu::store::sqlite {
namespace {

constexpr int64_t kHour = 3600;

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// session_hour_counts.field of a time field.
int64_t FieldCode(SessionTimeField f) {
  return f == SessionTimeField::kCreate ? 0 : f == SessionTimeField::kStart ? 1 : 2;
}

const SecondsRange& RangeOf(const HistoryFilter& f, SessionTimeField field) {
  return field == SessionTimeField::kCreate ? f.created
         : field == SessionTimeField::kStart ? f.started
                                             : f.stopped;
}

// True if only the state and a range on the sort field narrow the query, so
// the count is a sum of hours (the range makes every match non-null).
bool OnlySortRangeFiltered(const HistoryFilter& f) {
  HistoryFilter rest = f;
  rest.started = rest.stopped = rest.created = SecondsRange{};
  if (!OnlyStateFiltered(rest) || !RangeOf(f, f.sort_field).set()) return false;
  for (auto field : {SessionTimeField::kCreate, SessionTimeField::kStart, SessionTimeField::kStop}) {
    if (field != f.sort_field && RangeOf(f, field).set()) return false;
  }
  return true;
}

// What a page is selected from, and how: the session ids of `sessions s`, or
// for OnlyOneAgentFiltered queries (history_filter_facts.h) those of
// `session_agents s`, which carries the same state, time and session_id
// columns (its WHERE binds ?1 tenant, ?2 agent, ?3 states, as kAgentCountSql
// does). Ids only: when SQLite sorts, it computes every selected column of
// every matching row first, so the values are read afterwards for the page alone.
struct PageSource {
  bool one_agent;
  const char* from;
  HistoryWhere where;
};

PageSource SourceFor(TenantId tenant, const HistoryFilter& f) {
  if (!OnlyOneAgentFiltered(f)) {
    return {false, "s.id FROM sessions s", BuildHistoryWhere(kSqliteHistoryDialect, tenant, f)};
  }
  HistoryWhere w(kSqliteHistoryDialect, tenant);
  w.And("s.agent_id = " + w.Bind(*SingleAgent(f)));
  w.And(w.OneOf("s.state", StateList(f), "smallint"));
  return {true, "s.session FROM session_agents s", std::move(w)};
}

void BindAll(Statement& stmt, const std::vector<SqlParam>& params) {
  for (size_t i = 0; i < params.size(); ++i) {
    if (const auto* n = std::get_if<int64_t>(&params[i])) {
      stmt.Bind(static_cast<int>(i + 1), *n);
    } else {
      stmt.Bind(static_cast<int>(i + 1), std::string_view(std::get<std::string>(params[i])));
    }
  }
}

// total_entries and the rows with a sort key of an OnlyOneAgentFiltered query.
constexpr const char* kAgentCountSql =
    "SELECT coalesce(sum(n), 0), coalesce(sum(CASE WHEN nulls & ?4 = 0 THEN n END), 0) "
    "FROM session_agent_counts WHERE tenant_id = ?1 AND agent_id = ?2 "
    "AND state IN (SELECT value FROM json_each(?3))";

// total_entries for OnlySortRangeFiltered queries: whole hours from
// session_hour_counts, the partial hours at the ends from the time index.
Result<int64_t> CountByHours(Connection& conn, TenantId tenant, const HistoryFilter& f,
                             const std::string& states) {
  const SecondsRange& r = RangeOf(f, f.sort_field);
  if (r.from && r.to && *r.from > *r.to) return int64_t{0};
  const int64_t first_full = r.from ? FloorDiv(*r.from + kHour - 1, kHour) : INT64_MIN / kHour;
  const int64_t last_full = r.to ? FloorDiv(*r.to + 1, kHour) - 1 : INT64_MAX / kHour - 1;
  const char* column = SortColumn(f.sort_field);
  auto count_between = [&](int64_t lo, int64_t hi) -> Result<int64_t> {
    auto s = conn.PrepareBuilt(fmt::format(
        "SELECT count(*) FROM sessions s WHERE s.tenant_id = ?1 AND s.state IN "
        "(SELECT value FROM json_each(?2)) AND {0} >= ?3 AND {0} <= ?4",
        column));
    if (!s.ok()) return s.status();
    (*s)->Bind(1, tenant).Bind(2, std::string_view(states)).Bind(3, lo).Bind(4, hi);
    if (!(*s)->Step()) return (*s)->status();
    return (*s)->Int(0);
  };
  if (first_full > last_full) return count_between(*r.from, *r.to);  // within two partial hours
  KEFU_PREPARE(sum, conn,
               "SELECT coalesce(sum(n), 0) FROM session_hour_counts WHERE tenant_id = ?1 AND "
               "field = ?2 AND state IN (SELECT value FROM json_each(?3)) AND hour BETWEEN ?4 AND ?5");
  sum.Bind(1, tenant).Bind(2, FieldCode(f.sort_field)).Bind(3, std::string_view(states))
      .Bind(4, first_full).Bind(5, last_full);
  if (!sum.Step()) return sum.status();
  int64_t total = sum.Int(0);
  if (r.from && *r.from < first_full * kHour) {
    auto head = count_between(*r.from, first_full * kHour - 1);
    if (!head.ok()) return head.status();
    total += *head;
  }
  if (r.to && *r.to >= (last_full + 1) * kHour) {
    auto tail = count_between((last_full + 1) * kHour, *r.to);
    if (!tail.ok()) return tail.status();
    total += *tail;
  }
  return total;
}

// From the first counter that can answer `f`, else by counting its matches
// (docs/decisions.md, "How total_entries is counted").
Result<MatchCounts> CountMatches(Connection& conn, TenantId tenant, const HistoryFilter& f,
                                 const PageSource& source) {
  const HistoryWhere& where = source.where;
  if (source.one_agent) {
    KEFU_PREPARE(count, conn, kAgentCountSql);
    BindAll(count, where.params());
    count.Bind(4, int64_t{NullBit(f.sort_field)});
    if (!count.Step()) return count.status();
    return MatchCounts{count.Int(0), count.Int(1)};
  }
  if (OnlyStateFiltered(f)) {
    KEFU_PREPARE(count, conn,
                 "SELECT coalesce(sum(n), 0), coalesce(sum(CASE WHEN nulls & ?3 = 0 THEN n END), 0) "
                 "FROM session_counts WHERE tenant_id = ?1 AND state IN (SELECT value FROM json_each(?2))");
    count.Bind(1, tenant).Bind(2, JsonList(StateList(f))).Bind(3, int64_t{NullBit(f.sort_field)});
    if (!count.Step()) return count.status();
    return MatchCounts{count.Int(0), count.Int(1)};
  }
  if (OnlySortRangeFiltered(f)) {
    auto total = CountByHours(conn, tenant, f, JsonList(StateList(f)));
    if (!total.ok()) return total.status();
    return MatchCounts{*total, *total};
  }
  auto count = conn.PrepareBuilt(HistoryCountSql(where, SortColumn(f.sort_field)));
  if (!count.ok()) return count.status();
  BindAll(**count, where.params());
  if (!(*count)->Step()) return (*count)->status();
  return MatchCounts{(*count)->Int(0), (*count)->Int(1)};
}

// The session ids of the page, in order.
Result<std::vector<int64_t>> ReadPageIds(Connection& conn, const HistoryFilter& f,
                                         const PageSource& source, const MatchCounts& counts) {
  std::vector<int64_t> ids;
  auto read = [&](bool nulls, int64_t limit, int64_t offset) -> Status {
    const HistoryWhere& where = source.where;
    auto rows = conn.PrepareBuilt(
        HistoryPageSql(where, source.from, SortColumn(f.sort_field), f.ascending, nulls));
    if (!rows.ok()) return rows.status();
    BindAll(**rows, where.params());
    const int n = static_cast<int>(where.params().size());
    (*rows)->Bind(n + 1, limit).Bind(n + 2, offset);
    while ((*rows)->Step()) ids.push_back((*rows)->Int(0));
    return (*rows)->status();
  };
  KEFU_RETURN_IF_ERROR(ReadNullsLast(f, counts, ids, read));
  return ids;
}

Status ReadValues(Connection& conn, const std::vector<int64_t>& ids, HistoryPage& page) {
  for (int64_t id : ids) {
    KEFU_PREPARE(v, conn, "SELECT item_values FROM session_values WHERE id = ?1");
    v.Bind(1, id);
    if (!v.Step()) return v.status().ok() ? Error(Code::kInternal, "session without values") : v.status();
    page.values.push_back(v.Text(0));
  }
  return Status::Ok();
}

}  // namespace

Result<HistoryPage> SqliteStore::QueryHistory(TenantId tenant, const HistoryFilter& f) {
  KEFU_ACQUIRE(conn);
  // One read transaction so the count and the page agree.
  ReadTransaction read(conn);
  KEFU_RETURN_IF_ERROR(read.Begin());
  const QueryDeadline deadline(conn, query_timeout_);  // gone before the COMMIT
  const PageSource source = SourceFor(tenant, f);
  auto counts = CountMatches(conn, tenant, f, source);
  if (!counts.ok()) return counts.status();
  auto ids = ReadPageIds(conn, f, source, *counts);
  if (!ids.ok()) return ids.status();
  HistoryPage page;
  page.total = counts->total;
  KEFU_RETURN_IF_ERROR(ReadValues(conn, *ids, page));
  return page;
}

Result<std::string> SqliteStore::ExplainHistory(TenantId tenant, const HistoryFilter& f) {
  KEFU_ACQUIRE(conn);
  const PageSource source = SourceFor(tenant, f);
  const bool one_agent = source.one_agent;
  const char* from = source.from;
  const HistoryWhere& where = source.where;
  const char* column = SortColumn(f.sort_field);
  std::string out;
  const std::pair<const char*, std::string> statements[] = {
      {"count", one_agent ? std::string(kAgentCountSql) : HistoryCountSql(where, column)},
      {"page (rows with a sort key)", HistoryPageSql(where, from, column, f.ascending, false)},
      {"page (rows without one, after them)",
       HistoryPageSql(where, from, column, f.ascending, true)},
  };
  for (const auto& [what, sql] : statements) {
    out += fmt::format("-- {}\n", what);
    auto plan = conn.PrepareBuilt("EXPLAIN QUERY PLAN " + sql);
    if (!plan.ok()) return plan.status();
    BindAll(**plan, where.params());
    // id, parent, detail: indent each step under its parent.
    std::vector<std::pair<int64_t, int>> depth;  // (id, depth)
    while ((*plan)->Step()) {
      int64_t id = (*plan)->Int(0), parent = (*plan)->Int(1);
      int d = 0;
      for (const auto& [pid, pd] : depth) {
        if (pid == parent) d = pd + 1;
      }
      depth.emplace_back(id, d);
      out += fmt::format("{}{}\n", std::string(2 * d + 2, ' '), (*plan)->Text(3));
    }
    KEFU_RETURN_IF_ERROR((*plan)->status());
  }
  return out;
}

namespace {

// How an import changes the counters, written once after its rows.
struct CounterChanges {
  std::map<std::pair<int64_t, int64_t>, int64_t> counts;                  // (state, nulls)
  std::map<std::tuple<int64_t, int64_t, int64_t>, int64_t> hours;         // (field, state, hour)
  std::map<std::tuple<std::string, int64_t, int64_t>, int64_t> agents;   // (agent, state, nulls)
};

// A session already stored under an imported serviceSessionId.
struct StoredSession {
  int64_t id, tenant, state, nulls;
  std::optional<int64_t> times[3];  // created, started, stopped: session_hour_counts.field order
};

void BindOrNull(Statement& stmt, int index, const std::optional<int64_t>& v) {
  if (v) {
    stmt.Bind(index, *v);
  } else {
    stmt.BindNull(index);
  }
}

// Adds (delta 1) or takes away (-1) a session's state, nulls and hours.
void CountSession(int64_t state, int64_t nulls, const std::optional<int64_t> (&times)[3],
                  int64_t delta, CounterChanges& changes) {
  changes.counts[{state, nulls}] += delta;
  for (int64_t field = 0; field < 3; ++field) {
    if (times[field]) changes.hours[{field, state, FloorDiv(*times[field], kHour)}] += delta;
  }
}

Result<std::optional<StoredSession>> FindStored(Connection& conn, const std::string& session_id) {
  KEFU_PREPARE(find, conn,
               "SELECT id, tenant_id, state, created_at, started_at, stopped_at "
               "FROM sessions WHERE session_id = ?1");
  find.Bind(1, session_id);
  if (!find.Step()) {
    if (!find.status().ok()) return find.status();
    return std::optional<StoredSession>();
  }
  StoredSession old{find.Int(0), find.Int(1), find.Int(2),
                    NullsOf(find.IsNull(3), find.IsNull(4), find.IsNull(5)), {}};
  for (int col = 3; col <= 5; ++col) {
    if (!find.IsNull(col)) old.times[col - 3] = find.Int(col);
  }
  return std::optional<StoredSession>(old);
}

// Deletes a replaced session (its lists go with it) and takes it off the counters.
Status RemoveStored(Connection& conn, const StoredSession& old, CounterChanges& changes) {
  CountSession(old.state, old.nulls, old.times, -1, changes);
  {
    KEFU_PREPARE(agents, conn, "SELECT agent_id FROM session_agents WHERE session = ?1");
    agents.Bind(1, old.id);
    while (agents.Step()) --changes.agents[{agents.Text(0), old.state, old.nulls}];
    KEFU_RETURN_IF_ERROR(agents.status());
  }
  KEFU_PREPARE(del, conn, "DELETE FROM sessions WHERE id = ?1");
  del.Bind(1, old.id);
  KEFU_RETURN_IF_ERROR(del.Run());
  KEFU_PREPARE(del_names, conn, "DELETE FROM session_names WHERE rowid = ?1");
  del_names.Bind(1, old.id);
  return del_names.Run();
}

// Inserts the session's columns, values and names; returns its row id.
Result<int64_t> InsertSession(Connection& conn, TenantId tenant, const SessionRow& r) {
  KEFU_PREPARE(ins, conn,
               "INSERT INTO sessions(tenant_id, session_id, state, origin_mask, tech_channel_id, "
               "tech_channel_type, queue_id, agent_user_id, transfered, from_agent_callback, "
               "enquiry_summary, created_at, started_at, stopped_at, customer_names) "
               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)");
  ins.Bind(1, tenant).Bind(2, r.session_id).Bind(3, static_cast<int64_t>(r.state))
      .Bind(4, int64_t{r.origin_mask});
  BindOrNull(ins, 5, r.tech_channel_id);
  ins.BindOptional(6, r.tech_channel_type);
  BindOrNull(ins, 7, r.queue_id);
  ins.BindOptional(8, r.agent_user_id);
  ins.Bind(9, int64_t{r.transfered}).Bind(10, int64_t{r.from_agent_callback})
      .Bind(11, int64_t{r.enquiry_summary});
  BindOrNull(ins, 12, r.created_at);
  BindOrNull(ins, 13, r.started_at);
  BindOrNull(ins, 14, r.stopped_at);
  ins.Bind(15, r.customer_names);
  KEFU_RETURN_IF_ERROR(ins.Run());
  const int64_t id = sqlite3_last_insert_rowid(conn.handle());
  KEFU_PREPARE(vals, conn, "INSERT INTO session_values(id, item_values) VALUES (?1, ?2)");
  vals.Bind(1, id).Bind(2, r.values);
  KEFU_RETURN_IF_ERROR(vals.Run());
  if (!r.customer_names.empty()) {
    KEFU_PREPARE(names, conn, "INSERT INTO session_names(rowid, names) VALUES (?1, ?2)");
    names.Bind(1, id).Bind(2, r.customer_names);
    KEFU_RETURN_IF_ERROR(names.Run());
  }
  return id;
}

// session_agents carries the state and times too, for the one-agent page source.
Status InsertAgents(Connection& conn, TenantId tenant, int64_t id, const SessionRow& r,
                    CounterChanges& changes) {
  const int64_t state = static_cast<int64_t>(r.state);
  for (const auto& agent : r.agent_ids) {
    KEFU_PREPARE(a, conn,
                 "INSERT OR IGNORE INTO session_agents(tenant_id, agent_id, session, state, "
                 "created_at, started_at, stopped_at, session_id) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    a.Bind(1, tenant).Bind(2, agent).Bind(3, id).Bind(4, state);
    BindOrNull(a, 5, r.created_at);
    BindOrNull(a, 6, r.started_at);
    BindOrNull(a, 7, r.stopped_at);
    a.Bind(8, r.session_id);
    KEFU_RETURN_IF_ERROR(a.Run());
    if (sqlite3_changes(conn.handle()) > 0) ++changes.agents[{agent, state, NullsOf(r)}];
  }
  return Status::Ok();
}

constexpr const char* kInsertSummarySql =
    "INSERT OR IGNORE INTO session_summaries(tenant_id, summary_id, session) VALUES (?1, ?2, ?3)";
constexpr const char* kInsertEnquiryTagSql =
    "INSERT OR IGNORE INTO session_enquiry_tags(tenant_id, tag_id, session) VALUES (?1, ?2, ?3)";

// The session's summary or satisfaction tags, by one of the two statements above.
Status InsertTags(Connection& conn, TenantId tenant, int64_t id, const char* insert_sql,
                  const std::vector<int64_t>& tags) {
  for (int64_t tag : tags) {
    KEFU_PREPARE(t, conn, insert_sql);
    t.Bind(1, tenant).Bind(2, tag).Bind(3, id);
    KEFU_RETURN_IF_ERROR(t.Run());
  }
  return Status::Ok();
}

Status ApplyCounterChanges(Connection& conn, TenantId tenant, const CounterChanges& changes) {
  for (const auto& [key, delta] : changes.counts) {
    if (delta == 0) continue;
    KEFU_PREPARE(c, conn,
                 "INSERT INTO session_counts(tenant_id, state, nulls, n) VALUES (?1, ?2, ?3, ?4) "
                 "ON CONFLICT DO UPDATE SET n = n + excluded.n");
    c.Bind(1, tenant).Bind(2, key.first).Bind(3, key.second).Bind(4, delta);
    KEFU_RETURN_IF_ERROR(c.Run());
  }
  for (const auto& [key, delta] : changes.agents) {
    if (delta == 0) continue;
    KEFU_PREPARE(c, conn,
                 "INSERT INTO session_agent_counts(tenant_id, agent_id, state, nulls, n) "
                 "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO UPDATE SET n = n + excluded.n");
    c.Bind(1, tenant).Bind(2, std::get<0>(key)).Bind(3, std::get<1>(key)).Bind(4, std::get<2>(key))
        .Bind(5, delta);
    KEFU_RETURN_IF_ERROR(c.Run());
  }
  for (const auto& [key, delta] : changes.hours) {
    if (delta == 0) continue;
    KEFU_PREPARE(h, conn,
                 "INSERT INTO session_hour_counts(tenant_id, field, state, hour, n) "
                 "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO UPDATE SET n = n + excluded.n");
    h.Bind(1, tenant).Bind(2, std::get<0>(key)).Bind(3, std::get<1>(key)).Bind(4, std::get<2>(key))
        .Bind(5, delta);
    KEFU_RETURN_IF_ERROR(h.Run());
  }
  return Status::Ok();
}

}  // namespace

Status SqliteStore::ImportSessions(TenantId tenant, const std::vector<SessionRow>& rows,
                                   size_t* failed_row) {
  KEFU_ACQUIRE(conn);
  Transaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  KEFU_RETURN_IF_ERROR(PutHistoryRows(conn, tenant, rows, failed_row));
  return tx.Commit();
}

Status SqliteStore::PutHistoryRows(Connection& conn, TenantId tenant, const std::vector<SessionRow>& rows,
                                   size_t* failed_row) {
  CounterChanges changes;
  for (size_t i = 0; i < rows.size(); ++i) {
    const SessionRow& r = rows[i];
    auto old = FindStored(conn, r.session_id);
    if (!old.ok()) return old.status();
    if (*old && (*old)->tenant != tenant) {
      if (failed_row) *failed_row = i;
      return Error(Code::kInvalidParam, "serviceSessionId exists in another tenant");
    }
    if (*old) KEFU_RETURN_IF_ERROR(RemoveStored(conn, **old, changes));
    const std::optional<int64_t> times[3] = {r.created_at, r.started_at, r.stopped_at};
    CountSession(static_cast<int64_t>(r.state), NullsOf(r), times, 1, changes);
    auto id = InsertSession(conn, tenant, r);
    if (!id.ok()) return id.status();
    KEFU_RETURN_IF_ERROR(InsertAgents(conn, tenant, *id, r, changes));
    KEFU_RETURN_IF_ERROR(InsertTags(conn, tenant, *id, kInsertSummarySql, r.summary_ids));
    KEFU_RETURN_IF_ERROR(InsertTags(conn, tenant, *id, kInsertEnquiryTagSql, r.enquiry_tag_ids));
  }
  return ApplyCounterChanges(conn, tenant, changes);
}

Status SqliteStore::SaveCatalog(TenantId tenant, const SessionCatalog& c) {
  KEFU_ACQUIRE(conn);
  Transaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  for (const auto& ch : c.channels) {
    // A new channel gets a random channelKey; one there keeps its key and secret.
    KEFU_PREPARE(s, conn,
                 "INSERT INTO channels(tenant_id, id, type, name, origin_type, channel_key) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || "
                 "substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + abs(random() % 4), 1) || "
                 "substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))) "
                 "ON CONFLICT (tenant_id, id) DO UPDATE SET type = excluded.type, name = excluded.name, "
                 "origin_type = excluded.origin_type");
    s.Bind(1, tenant).Bind(2, ch.id).Bind(3, ch.type).Bind(4, ch.name).Bind(5, ch.origin_type);
    KEFU_RETURN_IF_ERROR(s.Run());
  }
  for (const auto& q : c.queues) {
    KEFU_PREPARE(s, conn, "INSERT OR REPLACE INTO queues(tenant_id, id, name) VALUES (?1, ?2, ?3)");
    s.Bind(1, tenant).Bind(2, q.id).Bind(3, q.name);
    KEFU_RETURN_IF_ERROR(s.Run());
  }
  for (const auto& t : c.summary_tags) {
    KEFU_PREPARE(s, conn,
                 "INSERT OR REPLACE INTO summary_tags(tenant_id, id, parent_id, name, color) "
                 "VALUES (?1, ?2, ?3, ?4, ?5)");
    s.Bind(1, tenant).Bind(2, t.id).Bind(3, t.parent_id).Bind(4, t.name).Bind(5, t.color);
    KEFU_RETURN_IF_ERROR(s.Run());
  }
  for (const auto& t : c.enquiry_tags) {
    KEFU_PREPARE(s, conn, "INSERT OR REPLACE INTO enquiry_tags(tenant_id, id, name) VALUES (?1, ?2, ?3)");
    s.Bind(1, tenant).Bind(2, t.id).Bind(3, t.name);
    KEFU_RETURN_IF_ERROR(s.Run());
  }
  return tx.Commit();
}

}  // namespace kefu::store::sqlite
