// History sessions on PostgreSQL: set-based import (arrays through unnest),
// the history query from fixed fragments and bound parameters, the catalog.
#include <fmt/format.h>

#include <map>
#include <unordered_map>

#include "common/text.h"
#include "store/history_filter_facts.h"
#include "store/postgres/pg_store.h"

namespace kefu::store::postgres {
namespace {

// A PostgreSQL array literal of text values ({"a","b",NULL}).
std::string TextArray(const std::vector<std::optional<std::string>>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    if (!values[i]) {
      out += "NULL";
      continue;
    }
    out += '"';
    for (char c : *values[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

std::string TextArray(const std::vector<std::string>& values) {
  return TextArray(std::vector<std::optional<std::string>>(values.begin(), values.end()));
}

template <typename T>
std::string IntArray(const std::vector<T>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    if constexpr (std::is_same_v<T, std::optional<int64_t>>) {
      out += values[i] ? std::to_string(*values[i]) : "NULL";
    } else {
      out += std::to_string(static_cast<int64_t>(values[i]));
    }
  }
  return out + "}";
}

// The WHERE clause of a history query; $1 is the tenant.
class Where {
 public:
  explicit Where(TenantId tenant) { params_.push_back(P(tenant)); }
  // Appends " AND " + fragment; each '#' in it becomes the next $n.
  void And(std::string_view fragment, std::vector<PgParam> params) {
    sql_ += " AND ";
    size_t next = 0;
    for (char c : fragment) {
      if (c == '#') {
        params_.push_back(std::move(params.at(next++)));
        sql_ += fmt::format("${}", params_.size());
      } else {
        sql_ += c;
      }
    }
  }
  const std::string& sql() const { return sql_; }
  const std::vector<PgParam>& params() const { return params_; }

 private:
  std::string sql_ = "s.tenant_id = $1";
  std::vector<PgParam> params_;
};






void AddRange(Where& w, const char* column, const SecondsRange& r) {
  if (r.from) w.And(fmt::format("{} >= to_timestamp(#)", column), {P(*r.from)});
  if (r.to) w.And(fmt::format("{} <= to_timestamp(#)", column), {P(*r.to)});
}

Where BuildWhere(TenantId tenant, const HistoryFilter& f) {
  Where w(tenant);
  w.And("s.state = ANY(#::smallint[])", {IntArray(StateList(f))});
  if (f.origin_mask) w.And("(s.origin_mask & #::integer) <> 0", {P(int64_t{f.origin_mask})});
  if (!f.tech_channel_ids.empty()) w.And("s.tech_channel_id = ANY(#::bigint[])", {IntArray(f.tech_channel_ids)});
  if (!f.tech_channel_types.empty()) {
    w.And("s.tech_channel_type = ANY(#::text[])", {TextArray(f.tech_channel_types)});
  }
  if (!f.customer_name.empty()) {
    std::string pattern = "%";
    for (char c : f.customer_name) {
      if (c == '%' || c == '_' || c == '\\') pattern += '\\';
      pattern += c;
    }
    // '\n' joins the two stored names, so a needle holding it matches nothing.
    if (f.customer_name.find('\n') != std::string::npos) {
      w.And("false", {});
    } else {
      w.And("s.customer_names LIKE #", {pattern + "%"});
    }
  }
  if (f.transfered) w.And("s.transfered = #", {std::string(*f.transfered ? "true" : "false")});
  if (f.from_agent_callback) {
    w.And("s.from_agent_callback = #", {std::string(*f.from_agent_callback ? "true" : "false")});
  }
  if (!f.enquiry_summaries.empty()) {
    w.And("s.enquiry_summary = ANY(#::smallint[])", {IntArray(f.enquiry_summaries)});
  }
  if (!f.queue_ids.empty()) w.And("s.queue_id = ANY(#::bigint[])", {IntArray(f.queue_ids)});
  if (!f.queue_id.empty()) w.And("s.queue_id = ANY(#::bigint[])", {IntArray(f.queue_id)});
  // agentIds and agentUserId are two conditions (CONTRACT §6).
  for (const auto* agents : {&f.agent_ids, &f.agent_user_ids}) {
    if (agents->empty()) continue;
    w.And("s.id IN (SELECT session FROM session_agents WHERE tenant_id = $1 AND agent_id = ANY(#::text[]))",
          {TextArray(*agents)});
  }
  if (!f.summary_ids.empty()) {
    w.And("s.id IN (SELECT session FROM session_summaries WHERE tenant_id = $1 AND "
          "summary_id = ANY(#::bigint[]))",
          {IntArray(f.summary_ids)});
  }
  if (!f.enquiry_tag_ids.empty()) {
    w.And("s.id IN (SELECT session FROM session_enquiry_tags WHERE tenant_id = $1 AND "
          "tag_id = ANY(#::bigint[]))",
          {IntArray(f.enquiry_tag_ids)});
  }
  AddRange(w, "s.started_at", f.started);
  AddRange(w, "s.stopped_at", f.stopped);
  AddRange(w, "s.created_at", f.created);
  return w;
}

std::string CountSql(const Where& w, const char* column) {
  return fmt::format("SELECT count(*), count({}) FROM sessions s WHERE {}", column, w.sql());
}

std::string PageSql(const Where& w, const char* column, bool ascending, bool nulls) {
  const size_t n = w.params().size();
  return nulls ? fmt::format("SELECT s.id FROM sessions s WHERE {} AND {} IS NULL "
                             "ORDER BY s.session_id LIMIT ${} OFFSET ${}",
                             w.sql(), column, n + 1, n + 2)
               : fmt::format("SELECT s.id FROM sessions s WHERE {} AND {} IS NOT NULL "
                             "ORDER BY {} {}, s.session_id LIMIT ${} OFFSET ${}",
                             w.sql(), column, column, ascending ? "ASC" : "DESC", n + 1, n + 2);
}

}  // namespace

Result<HistoryPage> PgStore::QueryHistory(TenantId tenant, const HistoryFilter& f) {
  KEFU_PG_ACQUIRE(conn);
  PgTransaction tx(conn);  // one snapshot for the count and the page
  KEFU_RETURN_IF_ERROR(tx.Begin());
  KEFU_RETURN_IF_ERROR(conn.Run("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"));
  const Where where = BuildWhere(tenant, f);
  const char* column = SortColumn(f.sort_field);
  HistoryPage page;
  int64_t non_null = 0;
  if (OnlyStateFiltered(f)) {
    KEFU_PG_EXEC(count, conn,
                 "SELECT coalesce(sum(n), 0), coalesce(sum(n) FILTER (WHERE nulls & $3 = 0), 0) "
                 "FROM session_counts WHERE tenant_id = $1 AND state = ANY($2::smallint[])",
                 {P(tenant), IntArray(StateList(f)), P(int64_t{NullBit(f.sort_field)})});
    page.total = count.Int(0, 0);
    non_null = count.Int(0, 1);
  } else {
    KEFU_PG_EXEC(count, conn, CountSql(where, column), where.params());
    page.total = count.Int(0, 0);
    non_null = count.Int(0, 1);
  }

  std::vector<int64_t> ids;
  auto fetch = [&](bool nulls, int64_t limit, int64_t offset) -> Status {
    std::vector<PgParam> params = where.params();
    params.push_back(P(limit));
    params.push_back(P(offset));
    KEFU_PG_EXEC(rows, conn, PageSql(where, column, f.ascending, nulls), params);
    for (int i = 0; i < rows.rows(); ++i) ids.push_back(rows.Int(i, 0));
    return Status::Ok();
  };
  if (f.offset < non_null) KEFU_RETURN_IF_ERROR(fetch(false, f.limit, f.offset));
  const int64_t still = f.limit - static_cast<int64_t>(ids.size());
  if (still > 0 && page.total > non_null && f.offset + f.limit > non_null) {
    KEFU_RETURN_IF_ERROR(fetch(true, still, std::max<int64_t>(0, f.offset - non_null)));
  }
  if (!ids.empty()) {
    KEFU_PG_EXEC(vals, conn, "SELECT id, item_values FROM session_values WHERE id = ANY($1::bigint[])",
                 {IntArray(ids)});
    std::unordered_map<int64_t, std::string> by_id;
    for (int i = 0; i < vals.rows(); ++i) by_id.emplace(vals.Int(i, 0), vals.Text(i, 1));
    for (int64_t id : ids) {
      auto it = by_id.find(id);
      if (it == by_id.end()) return Error(Code::kInternal, "session without values");
      page.values.push_back(std::move(it->second));
    }
  }
  KEFU_RETURN_IF_ERROR(tx.Commit());
  return page;
}

Result<std::string> PgStore::ExplainHistory(TenantId tenant, const HistoryFilter& f) {
  KEFU_PG_ACQUIRE(conn);
  const Where where = BuildWhere(tenant, f);
  const char* column = SortColumn(f.sort_field);
  std::string out;
  std::vector<PgParam> page_params = where.params();
  page_params.push_back(P(f.limit));
  page_params.push_back(P(f.offset));
  const std::tuple<const char*, std::string, const std::vector<PgParam>*> statements[] = {
      {"count", CountSql(where, column), &where.params()},
      {"page (rows with a sort key)", PageSql(where, column, f.ascending, false), &page_params},
      {"page (rows without one, after them)", PageSql(where, column, f.ascending, true), &page_params},
  };
  for (const auto& [what, sql, params] : statements) {
    out += fmt::format("-- {}\n", what);
    KEFU_PG_EXEC(plan, conn, "EXPLAIN " + sql, *params);
    for (int i = 0; i < plan.rows(); ++i) out += "  " + plan.Text(i, 0) + "\n";
  }
  return out;
}

Status PgStore::ImportSessions(TenantId tenant, const std::vector<SessionRow>& rows,
                               size_t* failed_row) {
  KEFU_PG_ACQUIRE(conn);
  PgTransaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  // serviceSessionId is unique across tenants: imports take turns.
  KEFU_RETURN_IF_ERROR(conn.Run("SELECT pg_advisory_xact_lock(4203, 0)"));

  // Within a request the later item with an id wins.
  std::unordered_map<std::string, size_t> last;
  for (size_t i = 0; i < rows.size(); ++i) last[rows[i].session_id] = i;
  std::vector<size_t> keep;
  std::vector<std::string> ids;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (last[rows[i].session_id] == i) {
      keep.push_back(i);
      ids.push_back(rows[i].session_id);
    }
  }

  std::map<std::pair<int64_t, int64_t>, int64_t> counts;  // (state, nulls) -> change
  KEFU_PG_EXEC(found, conn,
               // (| and << share one precedence: each shift in parentheses.)
               "SELECT session_id, id, tenant_id, state, (created_at IS NULL)::int | "
               "((started_at IS NULL)::int << 1) | ((stopped_at IS NULL)::int << 2) "
               "FROM sessions WHERE session_id = ANY($1::text[])",
               {TextArray(ids)});
  std::vector<int64_t> replaced;
  for (int i = 0; i < found.rows(); ++i) {
    if (found.Int(i, 2) != tenant) {
      const std::string sid = found.Text(i, 0);
      for (size_t k = 0; k < rows.size(); ++k) {
        if (rows[k].session_id == sid) {
          if (failed_row) *failed_row = k;
          break;
        }
      }
      return Error(Code::kInvalidParam, "serviceSessionId exists in another tenant");
    }
    replaced.push_back(found.Int(i, 1));
    --counts[{found.Int(i, 3), found.Int(i, 4)}];
  }
  if (!replaced.empty()) {
    KEFU_PG_EXEC(del, conn, "DELETE FROM sessions WHERE id = ANY($1::bigint[])", {IntArray(replaced)});
  }

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
      {P(tenant), TextArray(sid), IntArray(state), IntArray(origin), IntArray(channel), TextArray(ctype),
       IntArray(queue), TextArray(agent), TextArray(transfered), TextArray(callback), IntArray(enquiry),
       IntArray(created), IntArray(started), IntArray(stopped), TextArray(names)});
  std::unordered_map<std::string, int64_t> id_of;
  for (int i = 0; i < inserted.rows(); ++i) id_of.emplace(inserted.Text(i, 1), inserted.Int(i, 0));

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
               {IntArray(value_ids), TextArray(values)});
  KEFU_PG_EXEC(a, conn,
               "INSERT INTO session_agents(tenant_id, agent_id, session) SELECT $1, x, s "
               "FROM unnest($2::text[], $3::bigint[]) AS u(x, s) ON CONFLICT DO NOTHING",
               {P(tenant), TextArray(agent_ids), IntArray(agent_sessions)});
  KEFU_PG_EXEC(sm, conn,
               "INSERT INTO session_summaries(tenant_id, summary_id, session) SELECT $1, x, s "
               "FROM unnest($2::bigint[], $3::bigint[]) AS u(x, s) ON CONFLICT DO NOTHING",
               {P(tenant), IntArray(summary_ids), IntArray(summary_sessions)});
  KEFU_PG_EXEC(et, conn,
               "INSERT INTO session_enquiry_tags(tenant_id, tag_id, session) SELECT $1, x, s "
               "FROM unnest($2::bigint[], $3::bigint[]) AS u(x, s) ON CONFLICT DO NOTHING",
               {P(tenant), IntArray(tag_ids), IntArray(tag_sessions)});
  for (const auto& [key, delta] : counts) {
    if (delta == 0) continue;
    KEFU_PG_EXEC(c, conn,
                 "INSERT INTO session_counts(tenant_id, state, nulls, n) VALUES ($1, $2, $3, $4) "
                 "ON CONFLICT (tenant_id, state, nulls) DO UPDATE SET n = session_counts.n + excluded.n",
                 {P(tenant), P(key.first), P(key.second), P(delta)});
  }
  return tx.Commit();
}

Status PgStore::SaveCatalog(TenantId tenant, const SessionCatalog& c) {
  KEFU_PG_ACQUIRE(conn);
  PgTransaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  for (const auto& ch : c.channels) {
    KEFU_PG_EXEC(r, conn,
                 "INSERT INTO channels(tenant_id, id, type, name) VALUES ($1, $2, $3, $4) "
                 "ON CONFLICT (tenant_id, id) DO UPDATE SET type = excluded.type, name = excluded.name",
                 {P(tenant), P(ch.id), P(ch.type), P(ch.name)});
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
