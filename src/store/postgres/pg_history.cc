// History sessions on PostgreSQL: set-based import (arrays through unnest),
// the history query (its WHERE clause from history_query_sql.h), the catalog.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <unordered_map>

#include "store/bound_lists.h"
#include "store/history_filter_facts.h"
#include "store/history_query_sql.h"
#include "store/postgres/pg_history_dialect.h"
#include "store/postgres/pg_store.h"

namespace kefu::store::postgres {
namespace {

// The where clause's parameters as libpq takes them: text.
std::vector<PgParam> PgParams(const std::vector<SqlParam>& params) {
  std::vector<PgParam> out;
  for (const auto& p : params) {
    const auto* n = std::get_if<int64_t>(&p);
    out.push_back(n ? P(*n) : P(std::get<std::string>(p)));
  }
  return out;
}

// The sessions a page is selected from: their ids, the values read afterwards.
constexpr const char* kPageSelect = "s.id FROM sessions s";

}  // namespace

namespace {

// The WHERE clause of a query and its parameters as libpq takes them.
struct PgWhere {
  HistoryWhere where;
  std::vector<PgParam> params;
};

PgWhere BuildPgWhere(TenantId tenant, const HistoryFilter& f) {
  HistoryWhere where = BuildHistoryWhere(kPgHistoryDialect, tenant, f);
  std::vector<PgParam> params = PgParams(where.params());
  return {std::move(where), std::move(params)};
}

// From the state counters when only the state narrows `f`, else by counting its matches.
Result<MatchCounts> CountMatches(PgConnection& conn, TenantId tenant, const HistoryFilter& f,
                                 const PgWhere& w) {
  if (OnlyStateFiltered(f)) {
    KEFU_PG_EXEC(count, conn,
                 "SELECT coalesce(sum(n), 0), coalesce(sum(n) FILTER (WHERE nulls & $3 = 0), 0) "
                 "FROM session_counts WHERE tenant_id = $1 AND state = ANY($2::smallint[])",
                 {P(tenant), PgIntArray(StateList(f)), P(int64_t{NullBit(f.sort_field)})});
    return MatchCounts{count.Int(0, 0), count.Int(0, 1)};
  }
  KEFU_PG_EXEC(count, conn, HistoryCountSql(w.where, SortColumn(f.sort_field)), w.params);
  return MatchCounts{count.Int(0, 0), count.Int(0, 1)};
}

// The session ids of the page, in order.
Result<std::vector<int64_t>> ReadPageIds(PgConnection& conn, const HistoryFilter& f,
                                         const PgWhere& w, const MatchCounts& counts) {
  std::vector<int64_t> ids;
  auto read = [&](bool nulls, int64_t limit, int64_t offset) -> Status {
    std::vector<PgParam> params = w.params;
    params.push_back(P(limit));
    params.push_back(P(offset));
    KEFU_PG_EXEC(rows, conn,
                 HistoryPageSql(w.where, kPageSelect, SortColumn(f.sort_field), f.ascending, nulls),
                 params);
    for (int i = 0; i < rows.rows(); ++i) ids.push_back(rows.Int(i, 0));
    return Status::Ok();
  };
  KEFU_RETURN_IF_ERROR(ReadNullsLast(f, counts, ids, read));
  return ids;
}

// Stops each later statement of the transaction after `limit` (at least 1 ms).
Status SetStatementTimeout(PgConnection& conn, std::chrono::milliseconds limit) {
  return conn.Run(fmt::format("SET LOCAL statement_timeout = {}", std::max<int64_t>(1, limit.count())));
}

// The values of `ids`, in their order, in one statement.
Status ReadValues(PgConnection& conn, const std::vector<int64_t>& ids, HistoryPage& page) {
  if (ids.empty()) return Status::Ok();
  KEFU_PG_EXEC(vals, conn, "SELECT id, item_values FROM session_values WHERE id = ANY($1::bigint[])",
               {PgIntArray(ids)});
  std::unordered_map<int64_t, std::string> by_id;
  for (int i = 0; i < vals.rows(); ++i) by_id.emplace(vals.Int(i, 0), vals.Text(i, 1));
  for (int64_t id : ids) {
    auto it = by_id.find(id);
    if (it == by_id.end()) return Error(Code::kInternal, "session without values");
    page.values.push_back(std::move(it->second));
  }
  return Status::Ok();
}

}  // namespace

Result<HistoryPage> PgStore::QueryHistory(TenantId tenant, const HistoryFilter& f) {
  const auto deadline = std::chrono::steady_clock::now() + query_timeout_;
  KEFU_PG_ACQUIRE(conn);
  PgTransaction tx(conn);  // one snapshot for the count and the page
  KEFU_RETURN_IF_ERROR(tx.Begin());
  KEFU_RETURN_IF_ERROR(conn.Run("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"));
  // The time limit, for this transaction only (the connection's own
  // statement_timeout stays the backstop of everything else).
  KEFU_RETURN_IF_ERROR(SetStatementTimeout(conn, query_timeout_));
  const PgWhere w = BuildPgWhere(tenant, f);
  auto counts = CountMatches(conn, tenant, f, w);
  if (!counts.ok()) return counts.status();
  // The page gets what the count left of the limit.
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  if (left <= std::chrono::milliseconds(0)) return Error(Code::kQueryTimeout, "history query: count");
  if (left < query_timeout_ * 9 / 10) KEFU_RETURN_IF_ERROR(SetStatementTimeout(conn, left));
  auto ids = ReadPageIds(conn, f, w, *counts);
  if (!ids.ok()) return ids.status();
  HistoryPage page;
  page.total = counts->total;
  KEFU_RETURN_IF_ERROR(ReadValues(conn, *ids, page));
  KEFU_RETURN_IF_ERROR(tx.Commit());
  return page;
}

Result<std::string> PgStore::ExplainHistory(TenantId tenant, const HistoryFilter& f) {
  KEFU_PG_ACQUIRE(conn);
  const PgWhere w = BuildPgWhere(tenant, f);
  const HistoryWhere& where = w.where;
  const std::vector<PgParam>& where_params = w.params;
  const char* column = SortColumn(f.sort_field);
  std::string out;
  std::vector<PgParam> page_params = where_params;
  page_params.push_back(P(f.limit));
  page_params.push_back(P(f.offset));
  const std::tuple<const char*, std::string, const std::vector<PgParam>*> statements[] = {
      {"count", HistoryCountSql(where, column), &where_params},
      {"page (rows with a sort key)",
       HistoryPageSql(where, kPageSelect, column, f.ascending, false), &page_params},
      {"page (rows without one, after them)",
       HistoryPageSql(where, kPageSelect, column, f.ascending, true), &page_params},
  };
  for (const auto& [what, sql, params] : statements) {
    out += fmt::format("-- {}\n", what);
    KEFU_PG_EXEC(plan, conn, "EXPLAIN " + sql, *params);
    for (int i = 0; i < plan.rows(); ++i) out += "  " + plan.Text(i, 0) + "\n";
  }
  return out;
}

namespace {

using StateCounts = std::map<std::pair<int64_t, int64_t>, int64_t>;  // (state, nulls) -> change

// The rows an import stores: within a request the later item with an id wins.
std::vector<size_t> LastOfEachId(const std::vector<SessionRow>& rows) {
  std::unordered_map<std::string, size_t> last;
  for (size_t i = 0; i < rows.size(); ++i) last[rows[i].session_id] = i;
  std::vector<size_t> keep;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (last[rows[i].session_id] == i) keep.push_back(i);
  }
  return keep;
}

// Deletes the stored sessions the kept rows replace (their lists go with
// them) and takes them off the counts; kInvalidParam, naming the first row
// with the id in `failed_row`, if an id is another tenant's.
Status RemoveReplaced(PgConnection& conn, TenantId tenant, const std::vector<SessionRow>& rows,
                      const std::vector<size_t>& keep, StateCounts& counts, size_t* failed_row) {
  std::vector<std::string> ids;
  for (size_t i : keep) ids.push_back(rows[i].session_id);
  KEFU_PG_EXEC(found, conn,
               // (| and << share one precedence: each shift in parentheses.)
               "SELECT session_id, id, tenant_id, state, (created_at IS NULL)::int | "
               "((started_at IS NULL)::int << 1) | ((stopped_at IS NULL)::int << 2) "
               "FROM sessions WHERE session_id = ANY($1::text[])",
               {PgTextArray(ids)});
  std::vector<int64_t> replaced;
  for (int i = 0; i < found.rows(); ++i) {
    if (found.Int(i, 2) != tenant) {
      const std::string sid = found.Text(i, 0);
      auto first = std::find_if(rows.begin(), rows.end(),
                                [&](const SessionRow& r) { return r.session_id == sid; });
      if (failed_row && first != rows.end()) *failed_row = static_cast<size_t>(first - rows.begin());
      return Error(Code::kInvalidParam, "serviceSessionId exists in another tenant");
    }
    replaced.push_back(found.Int(i, 1));
    --counts[{found.Int(i, 3), found.Int(i, 4)}];
  }
  if (replaced.empty()) return Status::Ok();
  KEFU_PG_EXEC(del, conn, "DELETE FROM sessions WHERE id = ANY($1::bigint[])", {PgIntArray(replaced)});
  return Status::Ok();
}

// Inserts the kept rows' columns in one statement (one array per column,
// through unnest) and counts them; returns each one's id by serviceSessionId.
Result<std::unordered_map<std::string, int64_t>> InsertSessions(
    PgConnection& conn, TenantId tenant, const std::vector<SessionRow>& rows,
    const std::vector<size_t>& keep, StateCounts& counts) {
  std::vector<std::optional<std::string>> sid, ctype, agent, names;
  std::vector<std::optional<int64_t>> state, origin, channel, queue, enquiry, created, started, stopped;
  std::vector<std::optional<std::string>> transfered, callback;
  for (size_t i : keep) {
    const SessionRow& r = rows[i];
    sid.push_back(r.session_id);
    state.push_back(static_cast<int64_t>(r.state));
    origin.push_back(int64_t{r.origin_mask});
    channel.push_back(r.tech_channel_id);
    ctype.push_back(r.tech_channel_type);
    queue.push_back(r.queue_id);
    agent.push_back(r.agent_user_id);
    transfered.push_back(std::string(r.transfered ? "t" : "f"));
    callback.push_back(std::string(r.from_agent_callback ? "t" : "f"));
    enquiry.push_back(int64_t{r.enquiry_summary});
    created.push_back(r.created_at);
    started.push_back(r.started_at);
    stopped.push_back(r.stopped_at);
    names.push_back(r.customer_names);
    ++counts[{static_cast<int64_t>(r.state), NullsOf(r)}];
  }
  KEFU_PG_EXEC(
      inserted, conn,
      "INSERT INTO sessions(tenant_id, session_id, state, origin_mask, tech_channel_id, "
      "tech_channel_type, queue_id, agent_user_id, transfered, from_agent_callback, enquiry_summary, "
      "created_at, started_at, stopped_at, customer_names) "
      "SELECT $1, u.sid, u.state, u.origin, u.channel, u.ctype, u.queue, u.agent, u.transfered, "
      "u.callback, u.enquiry, to_timestamp(u.created), to_timestamp(u.started), to_timestamp(u.stopped), "
      "u.names FROM unnest($2::text[], $3::smallint[], $4::integer[], $5::bigint[], $6::text[], "
      "$7::bigint[], $8::text[], $9::boolean[], $10::boolean[], $11::smallint[], $12::bigint[], "
      "$13::bigint[], $14::bigint[], $15::text[]) WITH ORDINALITY "
      "AS u(sid, state, origin, channel, ctype, queue, agent, transfered, callback, enquiry, created, "
      "started, stopped, names, ord) ORDER BY u.ord RETURNING id, session_id",
      {P(tenant), PgTextArray(sid), PgIntArray(state), PgIntArray(origin), PgIntArray(channel),
       PgTextArray(ctype), PgIntArray(queue), PgTextArray(agent), PgTextArray(transfered),
       PgTextArray(callback), PgIntArray(enquiry), PgIntArray(created), PgIntArray(started),
       PgIntArray(stopped), PgTextArray(names)});
  std::unordered_map<std::string, int64_t> id_of;
  for (int i = 0; i < inserted.rows(); ++i) id_of.emplace(inserted.Text(i, 1), inserted.Int(i, 0));
  return id_of;
}

// The kept rows' values, agents, summary tags and satisfaction tags: one
// statement per table.
Status InsertSessionLists(PgConnection& conn, TenantId tenant, const std::vector<SessionRow>& rows,
                          const std::vector<size_t>& keep,
                          const std::unordered_map<std::string, int64_t>& id_of) {
  std::vector<int64_t> value_ids, agent_sessions, summary_sessions, tag_sessions, summary_ids, tag_ids;
  std::vector<std::optional<std::string>> values, agent_ids;
  for (size_t i : keep) {
    const SessionRow& r = rows[i];
    const int64_t id = id_of.at(r.session_id);
    value_ids.push_back(id);
    values.push_back(r.values);
    for (const auto& a : r.agent_ids) {
      agent_sessions.push_back(id);
      agent_ids.push_back(a);
    }
    for (int64_t t : r.summary_ids) {
      summary_sessions.push_back(id);
      summary_ids.push_back(t);
    }
    for (int64_t t : r.enquiry_tag_ids) {
      tag_sessions.push_back(id);
      tag_ids.push_back(t);
    }
  }
  KEFU_PG_EXEC(v, conn,
               "INSERT INTO session_values(id, item_values) SELECT * FROM unnest($1::bigint[], $2::text[])",
               {PgIntArray(value_ids), PgTextArray(values)});
  KEFU_PG_EXEC(a, conn,
               "INSERT INTO session_agents(tenant_id, agent_id, session) SELECT $1, x, s "
               "FROM unnest($2::text[], $3::bigint[]) AS u(x, s) ON CONFLICT DO NOTHING",
               {P(tenant), PgTextArray(agent_ids), PgIntArray(agent_sessions)});
  KEFU_PG_EXEC(sm, conn,
               "INSERT INTO session_summaries(tenant_id, summary_id, session) SELECT $1, x, s "
               "FROM unnest($2::bigint[], $3::bigint[]) AS u(x, s) ON CONFLICT DO NOTHING",
               {P(tenant), PgIntArray(summary_ids), PgIntArray(summary_sessions)});
  KEFU_PG_EXEC(et, conn,
               "INSERT INTO session_enquiry_tags(tenant_id, tag_id, session) SELECT $1, x, s "
               "FROM unnest($2::bigint[], $3::bigint[]) AS u(x, s) ON CONFLICT DO NOTHING",
               {P(tenant), PgIntArray(tag_ids), PgIntArray(tag_sessions)});
  return Status::Ok();
}

Status ApplyCounts(PgConnection& conn, TenantId tenant, const StateCounts& counts) {
  for (const auto& [key, delta] : counts) {
    if (delta == 0) continue;
    KEFU_PG_EXEC(c, conn,
                 "INSERT INTO session_counts(tenant_id, state, nulls, n) VALUES ($1, $2, $3, $4) "
                 "ON CONFLICT (tenant_id, state, nulls) DO UPDATE SET n = session_counts.n + excluded.n",
                 {P(tenant), P(key.first), P(key.second), P(delta)});
  }
  return Status::Ok();
}

}  // namespace

Status PgStore::ImportSessions(TenantId tenant, const std::vector<SessionRow>& rows,
                               size_t* failed_row) {
  KEFU_PG_ACQUIRE(conn);
  PgTransaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  // serviceSessionId is unique across tenants: imports take turns.
  KEFU_RETURN_IF_ERROR(conn.Run("SELECT pg_advisory_xact_lock(4203, 0)"));
  KEFU_RETURN_IF_ERROR(PutHistoryRows(conn, tenant, rows, failed_row));
  return tx.Commit();
}

Status PgStore::PutHistoryRows(PgConnection& conn, TenantId tenant, const std::vector<SessionRow>& rows,
                               size_t* failed_row) {
  const std::vector<size_t> keep = LastOfEachId(rows);
  StateCounts counts;
  KEFU_RETURN_IF_ERROR(RemoveReplaced(conn, tenant, rows, keep, counts, failed_row));
  auto id_of = InsertSessions(conn, tenant, rows, keep, counts);
  if (!id_of.ok()) return id_of.status();
  KEFU_RETURN_IF_ERROR(InsertSessionLists(conn, tenant, rows, keep, *id_of));
  return ApplyCounts(conn, tenant, counts);
}

Status PgStore::SaveCatalog(TenantId tenant, const SessionCatalog& c) {
  KEFU_PG_ACQUIRE(conn);
  PgTransaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  for (const auto& ch : c.channels) {
    KEFU_PG_EXEC(r, conn,
                 "INSERT INTO channels(tenant_id, id, type, name, origin_type, channel_key) "
                 "VALUES ($1, $2, $3, $4, $5, gen_random_uuid()::text) "
                 "ON CONFLICT (tenant_id, id) DO UPDATE SET type = excluded.type, name = excluded.name, "
                 "origin_type = excluded.origin_type",
                 {P(tenant), P(ch.id), P(ch.type), P(ch.name), P(ch.origin_type)});
  }
  for (const auto& q : c.queues) {
    KEFU_PG_EXEC(r, conn,
                 "INSERT INTO queues(tenant_id, id, name) VALUES ($1, $2, $3) "
                 "ON CONFLICT (tenant_id, id) DO UPDATE SET name = excluded.name",
                 {P(tenant), P(q.id), P(q.name)});
  }
  for (const auto& t : c.summary_tags) {
    KEFU_PG_EXEC(r, conn,
                 "INSERT INTO summary_tags(tenant_id, id, parent_id, name, color) VALUES ($1, $2, $3, $4, $5) "
                 "ON CONFLICT (tenant_id, id) DO UPDATE SET parent_id = excluded.parent_id, "
                 "name = excluded.name, color = excluded.color",
                 {P(tenant), P(t.id), P(t.parent_id), P(t.name), P(t.color)});
  }
  for (const auto& t : c.enquiry_tags) {
    KEFU_PG_EXEC(r, conn,
                 "INSERT INTO enquiry_tags(tenant_id, id, name) VALUES ($1, $2, $3) "
                 "ON CONFLICT (tenant_id, id) DO UPDATE SET name = excluded.name",
                 {P(tenant), P(t.id), P(t.name)});
  }
  return tx.Commit();
}

}  // namespace kefu::store::postgres
