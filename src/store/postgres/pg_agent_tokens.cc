// Agents' own tokens (LIVE §4) on PostgreSQL: AgentStore's agent-token methods.
#include "common/crypto.h"
#include "store/postgres/pg_store.h"

namespace kefu::store::postgres {

Status PgStore::InsertAgentToken(std::string_view token_hash, TenantId tenant, std::string_view user_id,
                                 int64_t expires_at, int64_t now) {
  KEFU_PG_ACQUIRE(conn);
  PgTransaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  // FOR SHARE: a concurrent disable or password change waits for this
  // insert, then deletes the token too.
  KEFU_PG_EXEC(live, conn,
               "SELECT 1 FROM agents WHERE tenant_id = $1 AND user_id = $2 AND enabled FOR SHARE",
               {P(tenant), P(user_id)});
  if (live.rows() == 0) return Error(Code::kNoSuchAgent, "agent no longer exists or is disabled");
  KEFU_PG_EXEC(sweep, conn, "DELETE FROM agent_tokens WHERE user_id = $1 AND expires_at <= to_timestamp($2)",
               {P(user_id), P(now)});
  KEFU_PG_EXEC(ins, conn,
               "INSERT INTO agent_tokens(token_hash, tenant_id, user_id, expires_at) "
               "VALUES ($1, $2, $3, to_timestamp($4))",
               {P(ToHex(token_hash)), P(tenant), P(user_id), P(expires_at)});
  return tx.Commit();
}

Result<std::optional<AgentTokenGrant>> PgStore::FindAgentToken(std::string_view token_hash, int64_t now) {
  KEFU_PG_ACQUIRE(conn);
  KEFU_PG_EXEC(r, conn,
               "SELECT t.tenant_id, n.time_zone, t.user_id, a.username, extract(epoch from t.expires_at)::bigint, "
               "a.role_id, n.agents_version "
               "FROM agent_tokens t "
               "JOIN agents a ON a.user_id = t.user_id AND a.tenant_id = t.tenant_id AND a.enabled "
               "JOIN tenants n ON n.id = t.tenant_id "
               "WHERE t.token_hash = $1 AND t.expires_at > to_timestamp($2)",
               {P(ToHex(token_hash)), P(now)});
  if (r.rows() == 0) return std::optional<AgentTokenGrant>();
  return std::optional<AgentTokenGrant>(
      AgentTokenGrant{r.Int(0, 0), TimeZone{static_cast<int>(r.Int(0, 1))}, r.Text(0, 2), r.Text(0, 3),
                      r.Int(0, 4), r.Int(0, 5), r.Int(0, 6)});
}

Status PgStore::DeleteAgentToken(std::string_view token_hash) {
  KEFU_PG_ACQUIRE(conn);
  KEFU_PG_EXEC(del, conn, "DELETE FROM agent_tokens WHERE token_hash = $1", {P(ToHex(token_hash))});
  return Status::Ok();
}

Status PgStore::DeleteAgentTokens(PgConnection& conn, std::string_view user_id) {
  KEFU_PG_EXEC(del, conn, "DELETE FROM agent_tokens WHERE user_id = $1", {P(user_id)});
  return Status::Ok();
}

}  // namespace kefu::store::postgres
