#include "store/history_query_sql.h"

#include <gtest/gtest.h>

#include "store/postgres/pg_history_dialect.h"
#include "store/sqlite/sqlite_history_dialect.h"

namespace kefu::store {
namespace {

using postgres::kPgHistoryDialect;
using sqlite::kSqliteHistoryDialect;

constexpr TenantId kTenant = 7;

// A filter that only narrows to Terminal sessions; each test adds one filter.
HistoryFilter Terminal() {
  HistoryFilter f;
  f.states = {SessionState::kTerminal};
  return f;
}

constexpr const char* kSqliteBase =
    "s.tenant_id = ?1 AND s.state IN (SELECT value FROM json_each(?2))";
constexpr const char* kPgBase = "s.tenant_id = $1 AND s.state = ANY($2::smallint[])";

// The conditions after the tenant and the state, and the parameters after theirs.
struct Built {
  std::string sql;
  std::vector<SqlParam> params;
};

Built Rest(const HistorySqlDialect& d, const HistoryFilter& f) {
  const HistoryWhere w = BuildHistoryWhere(d, kTenant, f);
  const std::string base = &d == &kSqliteHistoryDialect ? kSqliteBase : kPgBase;
  EXPECT_EQ(w.sql().substr(0, base.size()), base);
  EXPECT_GE(w.params().size(), 2u);
  return {w.sql().substr(base.size()), {w.params().begin() + 2, w.params().end()}};
}

std::vector<SqlParam> Params(std::initializer_list<SqlParam> list) { return list; }

TEST(HistoryQuerySql, TenantAndStatesAlwaysBound) {
  HistoryFilter f = Terminal();
  f.states.push_back(SessionState::kAbort);
  const HistoryWhere lite = BuildHistoryWhere(kSqliteHistoryDialect, kTenant, f);
  EXPECT_EQ(lite.sql(), kSqliteBase);
  EXPECT_EQ(lite.params(), Params({int64_t{7}, std::string("[2,3]")}));
  const HistoryWhere pg = BuildHistoryWhere(kPgHistoryDialect, kTenant, f);
  EXPECT_EQ(pg.sql(), kPgBase);
  EXPECT_EQ(pg.params(), Params({int64_t{7}, std::string("{2,3}")}));
}

TEST(HistoryQuerySql, OriginMask) {
  HistoryFilter f = Terminal();
  f.origin_mask = kOriginApp | kOriginPhone;
  EXPECT_EQ(Rest(kSqliteHistoryDialect, f).sql, " AND (s.origin_mask & ?3) <> 0");
  EXPECT_EQ(Rest(kPgHistoryDialect, f).sql, " AND (s.origin_mask & $3::integer) <> 0");
  EXPECT_EQ(Rest(kPgHistoryDialect, f).params, Params({int64_t{18}}));
}

TEST(HistoryQuerySql, ChannelsAsOneListParameter) {
  HistoryFilter f = Terminal();
  f.tech_channel_ids = {1, 2};
  f.tech_channel_types = {"we\"ird", "app"};
  auto lite = Rest(kSqliteHistoryDialect, f);
  EXPECT_EQ(lite.sql,
            " AND s.tech_channel_id IN (SELECT value FROM json_each(?3))"
            " AND s.tech_channel_type IN (SELECT value FROM json_each(?4))");
  EXPECT_EQ(lite.params, Params({std::string("[1,2]"), std::string(R"(["we\"ird","app"])")}));
  auto pg = Rest(kPgHistoryDialect, f);
  EXPECT_EQ(pg.sql,
            " AND s.tech_channel_id = ANY($3::bigint[]) AND s.tech_channel_type = ANY($4::text[])");
  EXPECT_EQ(pg.params, Params({std::string("{1,2}"), std::string(R"({"we\"ird","app"})")}));
}

// What customerName=`needle` adds.
Built ForCustomerName(const HistorySqlDialect& d, std::string needle) {
  HistoryFilter f = Terminal();
  f.customer_name = std::move(needle);
  return Rest(d, f);
}

TEST(HistoryQuerySql, CustomerNameOnSqliteUsesTrigramsFromThreeCharacters) {
  auto long_name = ForCustomerName(kSqliteHistoryDialect, "lucy");
  EXPECT_EQ(long_name.sql, " AND s.id IN (SELECT rowid FROM session_names WHERE names GLOB ?3)");
  EXPECT_EQ(long_name.params, Params({std::string("*lucy*")}));
  auto short_name = ForCustomerName(kSqliteHistoryDialect, "lu");
  EXPECT_EQ(short_name.sql, " AND instr(s.customer_names, ?3) > 0");
  EXPECT_EQ(short_name.params, Params({std::string("lu")}));
  // GLOB would read * as a pattern.
  EXPECT_EQ(ForCustomerName(kSqliteHistoryDialect, "a*b").sql, " AND instr(s.customer_names, ?3) > 0");
}

TEST(HistoryQuerySql, CustomerNameOnPostgresIsAnEscapedLike) {
  auto pg = ForCustomerName(kPgHistoryDialect, "50%_a\\");
  EXPECT_EQ(pg.sql, " AND s.customer_names LIKE $3");
  EXPECT_EQ(pg.params, Params({std::string("%50\\%\\_a\\\\%")}));
}

TEST(HistoryQuerySql, CustomerNameWithANewlineMatchesNothing) {
  for (const auto* d : {&kSqliteHistoryDialect, &kPgHistoryDialect}) {
    auto built = ForCustomerName(*d, "a\nb");
    EXPECT_EQ(built.sql, " AND false");
    EXPECT_TRUE(built.params.empty());
  }
}

TEST(HistoryQuerySql, BooleansBoundInEachDialectsForm) {
  HistoryFilter f = Terminal();
  f.transfered = true;
  f.from_agent_callback = false;
  auto lite = Rest(kSqliteHistoryDialect, f);
  EXPECT_EQ(lite.sql, " AND s.transfered = ?3 AND s.from_agent_callback = ?4");
  EXPECT_EQ(lite.params, Params({int64_t{1}, int64_t{0}}));
  auto pg = Rest(kPgHistoryDialect, f);
  EXPECT_EQ(pg.sql, " AND s.transfered = $3 AND s.from_agent_callback = $4");
  EXPECT_EQ(pg.params, Params({std::string("true"), std::string("false")}));
}

TEST(HistoryQuerySql, RatingsAndBothQueueFilters) {
  HistoryFilter f = Terminal();
  f.enquiry_summaries = {4, 5};
  f.queue_ids = {1};
  f.queue_id = {2, 3};
  auto lite = Rest(kSqliteHistoryDialect, f);
  EXPECT_EQ(lite.sql,
            " AND s.enquiry_summary IN (SELECT value FROM json_each(?3))"
            " AND s.queue_id IN (SELECT value FROM json_each(?4))"
            " AND s.queue_id IN (SELECT value FROM json_each(?5))");
  EXPECT_EQ(lite.params, Params({std::string("[4,5]"), std::string("[1]"), std::string("[2,3]")}));
  EXPECT_EQ(Rest(kPgHistoryDialect, f).sql,
            " AND s.enquiry_summary = ANY($3::smallint[]) AND s.queue_id = ANY($4::bigint[])"
            " AND s.queue_id = ANY($5::bigint[])");
}

TEST(HistoryQuerySql, AgentIdsAndAgentUserIdAreTwoConditions) {
  HistoryFilter f = Terminal();
  f.agent_ids = {"a", "b"};
  f.agent_user_ids = {"c"};
  auto lite = Rest(kSqliteHistoryDialect, f);
  EXPECT_EQ(lite.sql,
            " AND s.id IN (SELECT session FROM session_agents WHERE tenant_id = ?1 AND "
            "agent_id IN (SELECT value FROM json_each(?3)))"
            " AND s.id IN (SELECT session FROM session_agents WHERE tenant_id = ?1 AND "
            "agent_id IN (SELECT value FROM json_each(?4)))");
  EXPECT_EQ(lite.params, Params({std::string(R"(["a","b"])"), std::string(R"(["c"])")}));
  auto pg = Rest(kPgHistoryDialect, f);
  EXPECT_EQ(pg.sql,
            " AND s.id IN (SELECT session FROM session_agents WHERE tenant_id = $1 AND "
            "agent_id = ANY($3::text[]))"
            " AND s.id IN (SELECT session FROM session_agents WHERE tenant_id = $1 AND "
            "agent_id = ANY($4::text[]))");
  EXPECT_EQ(pg.params, Params({std::string(R"({"a","b"})"), std::string(R"({"c"})")}));
}

TEST(HistoryQuerySql, TagsAsSessionListsWithoutAgents) {
  HistoryFilter f = Terminal();
  f.summary_ids = {101};
  f.enquiry_tag_ids = {4, 5};
  auto lite = Rest(kSqliteHistoryDialect, f);
  EXPECT_EQ(lite.sql,
            " AND s.id IN (SELECT session FROM session_summaries WHERE tenant_id = ?1 AND "
            "summary_id IN (SELECT value FROM json_each(?3)))"
            " AND s.id IN (SELECT session FROM session_enquiry_tags WHERE tenant_id = ?1 AND "
            "tag_id IN (SELECT value FROM json_each(?4)))");
  EXPECT_EQ(lite.params, Params({std::string("[101]"), std::string("[4,5]")}));
  EXPECT_EQ(Rest(kPgHistoryDialect, f).sql,
            " AND s.id IN (SELECT session FROM session_summaries WHERE tenant_id = $1 AND "
            "summary_id = ANY($3::bigint[]))"
            " AND s.id IN (SELECT session FROM session_enquiry_tags WHERE tenant_id = $1 AND "
            "tag_id = ANY($4::bigint[]))");
}

TEST(HistoryQuerySql, TimeRangesInclusive) {
  HistoryFilter f = Terminal();
  f.started = {100, 200};
  f.stopped = {std::nullopt, 300};
  f.created = {400, std::nullopt};
  auto lite = Rest(kSqliteHistoryDialect, f);
  EXPECT_EQ(lite.sql,
            " AND s.started_at >= ?3 AND s.started_at <= ?4 AND s.stopped_at <= ?5"
            " AND s.created_at >= ?6");
  EXPECT_EQ(lite.params, Params({int64_t{100}, int64_t{200}, int64_t{300}, int64_t{400}}));
  auto pg = Rest(kPgHistoryDialect, f);
  EXPECT_EQ(pg.sql,
            " AND s.started_at >= to_timestamp($3) AND s.started_at <= to_timestamp($4)"
            " AND s.stopped_at <= to_timestamp($5) AND s.created_at >= to_timestamp($6)");
  EXPECT_EQ(pg.params, lite.params);
}

// SQLite starts from the agents' sessions: unindexed time bounds, tags probed per session.
TEST(HistoryQuerySql, SqliteStartsFromNamedAgents) {
  HistoryFilter f = Terminal();
  f.agent_ids = {"a"};
  f.summary_ids = {101};
  f.stopped = {10, std::nullopt};
  EXPECT_EQ(Rest(kSqliteHistoryDialect, f).sql,
            " AND s.id IN (SELECT session FROM session_agents WHERE tenant_id = ?1 AND "
            "agent_id IN (SELECT value FROM json_each(?3)))"
            " AND EXISTS (SELECT 1 FROM session_summaries x WHERE x.session = s.id AND "
            "x.summary_id IN (SELECT value FROM json_each(?4)))"
            " AND +s.stopped_at >= ?5");
  EXPECT_EQ(Rest(kPgHistoryDialect, f).sql,
            " AND s.id IN (SELECT session FROM session_agents WHERE tenant_id = $1 AND "
            "agent_id = ANY($3::text[]))"
            " AND s.id IN (SELECT session FROM session_summaries WHERE tenant_id = $1 AND "
            "summary_id = ANY($4::bigint[]))"
            " AND s.stopped_at >= to_timestamp($5)");
}

TEST(HistoryQuerySql, CountAndPageStatements) {
  const HistoryWhere lite = BuildHistoryWhere(kSqliteHistoryDialect, kTenant, Terminal());
  EXPECT_EQ(HistoryCountSql(lite, "s.stopped_at"),
            std::string("SELECT count(*), count(s.stopped_at) FROM sessions s WHERE ") +
                kSqliteBase);
  EXPECT_EQ(HistoryPageSql(lite, "s.id FROM sessions s", "s.stopped_at", false, false),
            std::string("SELECT s.id FROM sessions s WHERE ") + kSqliteBase +
                " AND s.stopped_at IS NOT NULL ORDER BY s.stopped_at DESC, s.session_id"
                " LIMIT ?3 OFFSET ?4");
  const HistoryWhere pg = BuildHistoryWhere(kPgHistoryDialect, kTenant, Terminal());
  EXPECT_EQ(HistoryPageSql(pg, "s.id FROM sessions s", "s.created_at", true, true),
            std::string("SELECT s.id FROM sessions s WHERE ") + kPgBase +
                " AND s.created_at IS NULL ORDER BY s.session_id LIMIT $3 OFFSET $4");
}

// Values never reach the SQL text, whatever they hold.
TEST(HistoryQuerySql, ValuesAreBoundNeverSpliced) {
  HistoryFilter f = Terminal();
  const std::string hostile = "x'); DROP TABLE sessions; --";
  f.tech_channel_types = {hostile};
  f.agent_ids = {hostile};
  f.customer_name = hostile;
  for (const auto* d : {&kSqliteHistoryDialect, &kPgHistoryDialect}) {
    const HistoryWhere w = BuildHistoryWhere(*d, kTenant, f);
    EXPECT_EQ(w.sql().find("DROP"), std::string::npos) << w.sql();
  }
}

}  // namespace
}  // namespace kefu::store
