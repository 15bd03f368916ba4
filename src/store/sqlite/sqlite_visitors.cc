// Visitors (LIVE §1) on SQLite: VisitorStore's methods, over `visitors` and
// `visitor_tokens`.
#include "store/sqlite/sqlite_store.h"

namespace kefu::store::sqlite {
namespace {

#define KEFU_VISITOR_SELECT                                                                                \
  "SELECT user_id, tenant_id, channel_id, username, identity IS NOT NULL, nicename, customer_id, "        \
  "chat_group_id, last_seq, created_at FROM visitors "

Visitor ReadVisitor(const Statement& s) {
  return Visitor{s.Text(0), s.Int(1),  s.Int(2), s.Text(3), s.Text(5), s.Int(4) != 0,
                 s.Text(6), s.Int(7), s.Int(8), s.Int(9)};
}

Result<std::optional<Visitor>> VisitorByIdentity(Connection& conn, const Visitor& v) {
  KEFU_PREPARE(s, conn, KEFU_VISITOR_SELECT "WHERE tenant_id = ?1 AND channel_id = ?2 AND identity = ?3");
  s.Bind(1, v.tenant_id).Bind(2, v.channel_id).Bind(3, v.username);
  std::optional<Visitor> out;
  if (s.Step()) out = ReadVisitor(s);
  KEFU_RETURN_IF_ERROR(s.status());
  return out;
}

Result<std::optional<Visitor>> VisitorById(Connection& conn, TenantId tenant, std::string_view user_id) {
  KEFU_PREPARE(s, conn, KEFU_VISITOR_SELECT "WHERE user_id = ?1 AND tenant_id = ?2");
  s.Bind(1, user_id).Bind(2, tenant);
  std::optional<Visitor> out;
  if (s.Step()) out = ReadVisitor(s);
  KEFU_RETURN_IF_ERROR(s.status());
  return out;
}

Status InsertVisitor(Connection& conn, const Visitor& v) {
  KEFU_PREPARE(ins, conn,
               "INSERT INTO visitors(user_id, tenant_id, channel_id, username, identity, nicename, customer_id, "
               "chat_group_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  ins.Bind(1, v.user_id).Bind(2, v.tenant_id).Bind(3, v.channel_id).Bind(4, v.username);
  ins.BindOptional(5, v.identified ? std::optional<std::string>(v.username) : std::nullopt);
  ins.Bind(6, v.nicename).Bind(7, v.customer_id).Bind(8, v.chat_group_id).Bind(9, v.created_at);
  return ins.Run();
}

}  // namespace

Result<Visitor> SqliteStore::EnterVisitor(const Visitor& fresh, bool set_nicename, std::string_view token_hash,
                                          int64_t expires_at, int64_t now) {
  KEFU_ACQUIRE(conn);
  Transaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  std::optional<Visitor> known;
  if (fresh.identified) {
    auto found = VisitorByIdentity(conn, fresh);
    if (!found.ok()) return found.status();
    known = std::move(*found);
  }
  Visitor v = known ? *known : fresh;
  if (!known) {
    KEFU_RETURN_IF_ERROR(InsertVisitor(conn, v));
  } else if (set_nicename && v.nicename != fresh.nicename) {
    KEFU_PREPARE(upd, conn, "UPDATE visitors SET nicename = ?2 WHERE user_id = ?1");
    upd.Bind(1, v.user_id).Bind(2, fresh.nicename);
    KEFU_RETURN_IF_ERROR(upd.Run());
    v.nicename = fresh.nicename;
  }
  {
    KEFU_PREPARE(sweep, conn, "DELETE FROM visitor_tokens WHERE user_id = ?1 AND expires_at <= ?2");
    sweep.Bind(1, v.user_id).Bind(2, now);
    KEFU_RETURN_IF_ERROR(sweep.Run());
  }
  KEFU_PREPARE(ins, conn,
               "INSERT INTO visitor_tokens(token_hash, tenant_id, user_id, expires_at) VALUES (?1, ?2, ?3, ?4)");
  ins.BindBlob(1, token_hash).Bind(2, v.tenant_id).Bind(3, v.user_id).Bind(4, expires_at);
  KEFU_RETURN_IF_ERROR(ins.Run());
  KEFU_RETURN_IF_ERROR(tx.Commit());
  return v;
}

Result<std::optional<Visitor>> SqliteStore::RenewVisitorToken(std::string_view token_hash, TenantId tenant,
                                                              int64_t channel_id, int64_t expires_at, int64_t now) {
  KEFU_ACQUIRE(conn);
  Transaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  std::string user_id;
  {
    KEFU_PREPARE(upd, conn,
                 "UPDATE visitor_tokens SET expires_at = ?5 WHERE token_hash = ?1 AND tenant_id = ?2 AND "
                 "expires_at > ?4 AND user_id IN (SELECT user_id FROM visitors WHERE tenant_id = ?2 AND "
                 "channel_id = ?3) RETURNING user_id");
    upd.BindBlob(1, token_hash).Bind(2, tenant).Bind(3, channel_id).Bind(4, now).Bind(5, expires_at);
    if (upd.Step()) user_id = upd.Text(0);
    KEFU_RETURN_IF_ERROR(upd.Run());
  }
  if (user_id.empty()) return std::optional<Visitor>();
  auto v = VisitorById(conn, tenant, user_id);
  if (!v.ok()) return v.status();
  KEFU_RETURN_IF_ERROR(tx.Commit());
  return v;
}

Result<std::optional<VisitorGrant>> SqliteStore::FindVisitorToken(std::string_view token_hash, int64_t now) {
  KEFU_ACQUIRE(conn);
  KEFU_PREPARE(s, conn,
               "SELECT t.tenant_id, n.time_zone, t.user_id, v.channel_id, v.chat_group_id, t.expires_at "
               "FROM visitor_tokens t JOIN visitors v ON v.user_id = t.user_id AND v.tenant_id = t.tenant_id "
               "JOIN channels c ON c.tenant_id = v.tenant_id AND c.id = v.channel_id "
               "JOIN tenants n ON n.id = t.tenant_id WHERE t.token_hash = ?1 AND t.expires_at > ?2");
  s.BindBlob(1, token_hash).Bind(2, now);
  std::optional<VisitorGrant> out;
  if (s.Step()) {
    out = VisitorGrant{s.Int(0), TimeZone{static_cast<int>(s.Int(1))}, s.Text(2), s.Int(3), s.Int(4), s.Int(5)};
  }
  KEFU_RETURN_IF_ERROR(s.status());
  return out;
}

Result<std::optional<Visitor>> SqliteStore::FindVisitor(TenantId tenant, std::string_view user_id) {
  KEFU_ACQUIRE(conn);
  return VisitorById(conn, tenant, user_id);
}

Result<std::vector<Visitor>> SqliteStore::FindVisitorsByUsername(TenantId tenant, std::string_view username) {
  KEFU_ACQUIRE(conn);
  KEFU_PREPARE(s, conn, KEFU_VISITOR_SELECT "WHERE tenant_id = ?1 AND username = ?2 ORDER BY created_at, user_id");
  s.Bind(1, tenant).Bind(2, username);
  std::vector<Visitor> out;
  while (s.Step()) out.push_back(ReadVisitor(s));
  KEFU_RETURN_IF_ERROR(s.status());
  return out;
}

}  // namespace kefu::store::sqlite
