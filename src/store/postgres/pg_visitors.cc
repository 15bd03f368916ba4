// Visitors (LIVE §1) on PostgreSQL: VisitorStore's methods, over `visitors`
// and `visitor_tokens`. Two first entries of one identified visitor at once
// meet at the identity's unique index; the loser reads the winner's row.
#include "common/crypto.h"
#include "store/postgres/pg_store.h"

namespace kefu::store::postgres {
namespace {

const std::string kVisitorSelect =
    "SELECT user_id, tenant_id, channel_id, username, identity IS NOT NULL, nicename, customer_id, chat_group_id, "
    "last_seq, created_at FROM visitors ";

Visitor ReadVisitor(const PgResult& r, int row) {
  return Visitor{r.Text(row, 0), r.Int(row, 1), r.Int(row, 2), r.Text(row, 3), r.Text(row, 5),
                 r.Bool(row, 4), r.Text(row, 6), r.Int(row, 7), r.Int(row, 8), r.Int(row, 9)};
}

Result<std::optional<Visitor>> FirstVisitor(const PgResult& r) {
  if (r.rows() == 0) return std::optional<Visitor>();
  return std::optional<Visitor>(ReadVisitor(r, 0));
}

Result<std::optional<Visitor>> VisitorById(PgConnection& conn, TenantId tenant, std::string_view user_id) {
  KEFU_PG_EXEC(r, conn, kVisitorSelect + "WHERE user_id = $1 AND tenant_id = $2", {P(user_id), P(tenant)});
  return FirstVisitor(r);
}

}  // namespace

Result<Visitor> PgStore::EnterVisitor(const Visitor& fresh, bool set_nicename, std::string_view token_hash,
                                      int64_t expires_at, int64_t now) {
  KEFU_PG_ACQUIRE(conn);
  PgTransaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  // Inserts `fresh` unless its identity is there already (then nothing),
  // and reads the visitor that holds the identity or the new one.
  KEFU_PG_EXEC(ins, conn,
               "INSERT INTO visitors(user_id, tenant_id, channel_id, username, identity, nicename, customer_id, "
               "chat_group_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
               "ON CONFLICT (tenant_id, channel_id, identity) WHERE identity IS NOT NULL DO NOTHING",
               {P(fresh.user_id), P(fresh.tenant_id), P(fresh.channel_id), P(fresh.username),
                fresh.identified ? P(fresh.username) : PgParam(), P(fresh.nicename), P(fresh.customer_id),
                P(fresh.chat_group_id), P(fresh.created_at)});
  std::optional<Visitor> v;
  if (ins.affected() == 1) {
    v = fresh;
  } else {
    KEFU_PG_EXEC(r, conn, kVisitorSelect + "WHERE tenant_id = $1 AND channel_id = $2 AND identity = $3",
                 {P(fresh.tenant_id), P(fresh.channel_id), P(fresh.username)});
    auto found = FirstVisitor(r);
    if (!found.ok()) return found.status();
    if (!*found) return Error(Code::kStoreUnavailable, "visitor vanished while entering");
    v = **found;
    if (set_nicename && v->nicename != fresh.nicename) {
      KEFU_PG_EXEC(upd, conn, "UPDATE visitors SET nicename = $2 WHERE user_id = $1", {P(v->user_id), P(fresh.nicename)});
      v->nicename = fresh.nicename;
    }
  }
  KEFU_PG_EXEC(sweep, conn, "DELETE FROM visitor_tokens WHERE user_id = $1 AND expires_at <= to_timestamp($2)",
               {P(v->user_id), P(now)});
  KEFU_PG_EXEC(tok, conn,
               "INSERT INTO visitor_tokens(token_hash, tenant_id, user_id, expires_at) "
               "VALUES ($1, $2, $3, to_timestamp($4))",
               {P(ToHex(token_hash)), P(v->tenant_id), P(v->user_id), P(expires_at)});
  KEFU_RETURN_IF_ERROR(tx.Commit());
  return *v;
}

Result<std::optional<Visitor>> PgStore::RenewVisitorToken(std::string_view token_hash, TenantId tenant,
                                                          int64_t channel_id, int64_t expires_at, int64_t now) {
  KEFU_PG_ACQUIRE(conn);
  KEFU_PG_EXEC(upd, conn,
               "WITH renewed AS (UPDATE visitor_tokens t SET expires_at = to_timestamp($5) FROM visitors v "
               "WHERE t.token_hash = $1 AND t.tenant_id = $2 AND t.expires_at > to_timestamp($4) "
               "AND v.user_id = t.user_id AND v.tenant_id = $2 AND v.channel_id = $3 RETURNING v.*) "
               "SELECT user_id, tenant_id, channel_id, username, identity IS NOT NULL, nicename, customer_id, "
               "chat_group_id, last_seq, created_at FROM renewed",
               {P(ToHex(token_hash)), P(tenant), P(channel_id), P(now), P(expires_at)});
  return FirstVisitor(upd);
}

Result<std::optional<VisitorGrant>> PgStore::FindVisitorToken(std::string_view token_hash, int64_t now) {
  KEFU_PG_ACQUIRE(conn);
  KEFU_PG_EXEC(r, conn,
               "SELECT t.tenant_id, n.time_zone, t.user_id, v.channel_id, v.chat_group_id, "
               "extract(epoch from t.expires_at)::bigint "
               "FROM visitor_tokens t JOIN visitors v ON v.user_id = t.user_id AND v.tenant_id = t.tenant_id "
               "JOIN channels c ON c.tenant_id = v.tenant_id AND c.id = v.channel_id "
               "JOIN tenants n ON n.id = t.tenant_id WHERE t.token_hash = $1 AND t.expires_at > to_timestamp($2)",
               {P(ToHex(token_hash)), P(now)});
  if (r.rows() == 0) return std::optional<VisitorGrant>();
  return std::optional<VisitorGrant>(VisitorGrant{r.Int(0, 0), TimeZone{static_cast<int>(r.Int(0, 1))},
                                                  r.Text(0, 2), r.Int(0, 3), r.Int(0, 4), r.Int(0, 5)});
}

Result<std::optional<Visitor>> PgStore::FindVisitor(TenantId tenant, std::string_view user_id) {
  KEFU_PG_ACQUIRE(conn);
  return VisitorById(conn, tenant, user_id);
}

Result<std::vector<Visitor>> PgStore::FindVisitorsByUsername(TenantId tenant, std::string_view username) {
  KEFU_PG_ACQUIRE(conn);
  KEFU_PG_EXEC(r, conn, kVisitorSelect + "WHERE tenant_id = $1 AND username = $2 ORDER BY created_at, user_id",
               {P(tenant), P(username)});
  std::vector<Visitor> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(ReadVisitor(r, i));
  return out;
}

}  // namespace kefu::store::postgres
