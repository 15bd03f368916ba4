// Agents' own tokens (LIVE §4) on SQLite: AgentStore's agent-token methods.
#include "store/sqlite/sqlite_store.h"

namespace kefu::store::sqlite {

Status SqliteStore::InsertAgentToken(std::string_view token_hash, TenantId tenant, std::string_view user_id,
                                     int64_t expires_at, int64_t now) {
  KEFU_ACQUIRE(conn);
  Transaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  KEFU_PREPARE(live, conn, "SELECT 1 FROM agents WHERE tenant_id = ?1 AND user_id = ?2 AND enabled = 1");
  live.Bind(1, tenant).Bind(2, user_id);
  const bool ok = live.Step();
  KEFU_RETURN_IF_ERROR(live.status());
  if (!ok) return Error(Code::kNoSuchAgent, "agent no longer exists or is disabled");
  KEFU_PREPARE(sweep, conn, "DELETE FROM agent_tokens WHERE user_id = ?1 AND expires_at <= ?2");
  sweep.Bind(1, user_id).Bind(2, now);
  KEFU_RETURN_IF_ERROR(sweep.Run());
  KEFU_PREPARE(ins, conn,
               "INSERT INTO agent_tokens(token_hash, tenant_id, user_id, expires_at) VALUES (?1, ?2, ?3, ?4)");
  ins.BindBlob(1, token_hash).Bind(2, tenant).Bind(3, user_id).Bind(4, expires_at);
  KEFU_RETURN_IF_ERROR(ins.Run());
  return tx.Commit();
}

Result<std::optional<AgentTokenGrant>> SqliteStore::FindAgentToken(std::string_view token_hash, int64_t now) {
  KEFU_ACQUIRE(conn);
  KEFU_PREPARE(s, conn,
               "SELECT t.tenant_id, n.time_zone, t.user_id, a.username, t.expires_at, a.role_id, n.agents_version "
               "FROM agent_tokens t "
               "JOIN agents a ON a.user_id = t.user_id AND a.tenant_id = t.tenant_id AND a.enabled = 1 "
               "JOIN tenants n ON n.id = t.tenant_id WHERE t.token_hash = ?1 AND t.expires_at > ?2");
  s.BindBlob(1, token_hash).Bind(2, now);
  if (s.Step()) {
    return std::optional<AgentTokenGrant>(
        AgentTokenGrant{s.Int(0), TimeZone{static_cast<int>(s.Int(1))}, s.Text(2), s.Text(3), s.Int(4),
                        s.Int(5), s.Int(6)});
  }
  KEFU_RETURN_IF_ERROR(s.status());
  return std::optional<AgentTokenGrant>();
}

Status SqliteStore::DeleteAgentToken(std::string_view token_hash) {
  KEFU_ACQUIRE(conn);
  KEFU_PREPARE(del, conn, "DELETE FROM agent_tokens WHERE token_hash = ?1");
  del.BindBlob(1, token_hash);
  return del.Run();
}

Status SqliteStore::DeleteAgentTokens(Connection& conn, std::string_view user_id) {
  KEFU_PREPARE(del, conn, "DELETE FROM agent_tokens WHERE user_id = ?1");
  del.Bind(1, user_id);
  return del.Run();
}

}  // namespace kefu::store::sqlite
