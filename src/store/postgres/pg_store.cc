#include "store/postgres/pg_store.h"

#include "common/crypto.h"
#include "common/text.h"
#include "store/postgres/pg_schema.h"

namespace kefu::store::postgres {
namespace {

const std::string kAgentColumns =
    "a.user_id, a.tenant_id, a.username, a.nicename, a.password_hash, a.true_name, a.mobile_phone, "
    "a.agent_number, a.role_id, r.name, a.max_sessions, a.enabled, a.state, "
    "extract(epoch from a.created_at)::bigint, extract(epoch from a.updated_at)::bigint";
const std::string kAgentFrom = " FROM agents a LEFT JOIN custom_roles r ON r.id = a.role_id";

Agent ReadAgent(const PgResult& r, int row) {
  Agent a;
  a.user_id = r.Text(row, 0);
  a.tenant_id = r.Int(row, 1);
  a.username = r.Text(row, 2);
  a.nicename = r.Text(row, 3);
  a.password_hash = r.Text(row, 4);
  a.true_name = r.Text(row, 5);
  a.mobile_phone = r.Text(row, 6);
  a.agent_number = r.Text(row, 7);
  a.role_id = r.Int(row, 8);
  a.custom_role_name = r.OptionalText(row, 9);
  a.max_service_sessions = static_cast<int>(r.Int(row, 10));
  a.enabled = r.Bool(row, 11);
  a.state = r.Text(row, 12);
  a.created_at = r.Int(row, 13);
  a.updated_at = r.Int(row, 14);
  return a;
}

const std::string kTenantColumns =
    "id, name, time_zone, status, extract(epoch from created_at)::bigint";

Tenant ReadTenant(const PgResult& r, int row) {
  return Tenant{r.Int(row, 0), r.Text(row, 1), TimeZone{static_cast<int>(r.Int(row, 2))},
                r.Text(row, 3), r.Int(row, 4)};
}

const std::string kRoleColumns =
    "id, tenant_id, name, description, floor(extract(epoch from created_at) * 1000)::bigint, "
    "floor(extract(epoch from updated_at) * 1000)::bigint, status";

CustomRole ReadRole(const PgResult& r, int row) {
  CustomRole c;
  c.id = r.Int(row, 0);
  c.tenant_id = r.Int(row, 1);
  c.name = r.Text(row, 2);
  c.description = r.OptionalText(row, 3);
  c.created_at_millis = r.Int(row, 4);
  c.updated_at_millis = r.Int(row, 5);
  c.status = r.Text(row, 6);
  return c;
}

// Milliseconds as a timestamptz parameter ("to_timestamp($n / 1000.0)").
PgParam Millis(int64_t ms) { return std::to_string(ms); }

// LIKE pattern for a literal substring (backslash is PostgreSQL's LIKE escape).
std::string LikePattern(std::string_view key) {
  std::string p = "%";
  for (char c : key) {
    if (c == '%' || c == '_' || c == '\\') p += '\\';
    p += c;
  }
  return p + "%";
}

PgParam Bool(bool b) { return std::string(b ? "true" : "false"); }

}  // namespace

Result<std::unique_ptr<PgStore>> PgStore::Open(const std::string& url, size_t pool_size,
                                               std::chrono::milliseconds query_timeout) {
  std::unique_ptr<PgStore> store(new PgStore(url, pool_size == 0 ? 1 : pool_size, query_timeout));
  auto conn = store->pool_.Acquire();
  if (!conn.ok()) return conn.status();
  KEFU_RETURN_IF_ERROR(Migrate(**conn));
  return store;
}

Status PgStore::Optimize() {
  KEFU_PG_ACQUIRE(conn);
  return conn.Run("ANALYZE");
}

Status PgStore::Ping() {
  KEFU_PG_ACQUIRE(conn);
  return conn.Run("SELECT 1");
}

// ---------------------------------------------------------------- tenants

Result<Tenant> PgStore::CreateTenant(std::optional<TenantId> id, const std::string& name,
                                     TimeZone zone, int64_t now) {
  KEFU_PG_ACQUIRE(conn);
  PgTransaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  KEFU_RETURN_IF_ERROR(conn.Run("LOCK TABLE tenants IN SHARE ROW EXCLUSIVE MODE"));
  Tenant t{0, name, zone, "Enable", now};
  if (id) {
    t.id = *id;
  } else {
    KEFU_PG_EXEC(next, conn, "SELECT coalesce(max(id), 0) + 1 FROM tenants", {});
    t.id = next.Int(0, 0);
  }
  auto ins = conn.Exec("INSERT INTO tenants(id, name, time_zone, status, created_at) "
                       "VALUES ($1, $2, $3, 'Enable', to_timestamp($4))",
                       {P(t.id), P(name), P(int64_t{zone.offset_seconds}), P(now)});
  if (IsUniqueViolation(ins.status())) return Error(Code::kInvalidParam, "tenant id already exists");
  if (!ins.ok()) return ins.status();
  KEFU_RETURN_IF_ERROR(tx.Commit());
  return t;
}

Result<std::optional<Tenant>> PgStore::FindTenant(TenantId id) {
  KEFU_PG_ACQUIRE(conn);
  KEFU_PG_EXEC(r, conn, "SELECT " + kTenantColumns + " FROM tenants WHERE id = $1", {P(id)});
  if (r.rows() == 0) return std::optional<Tenant>();
  return std::optional<Tenant>(ReadTenant(r, 0));
}

Result<std::vector<Tenant>> PgStore::ListTenants() {
  KEFU_PG_ACQUIRE(conn);
  KEFU_PG_EXEC(r, conn, "SELECT " + kTenantColumns + " FROM tenants ORDER BY id", {});
  std::vector<Tenant> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(ReadTenant(r, i));
  return out;
}

// ---------------------------------------------------- credentials, tokens

Status PgStore::AddCredential(const Credential& c) {
  KEFU_PG_ACQUIRE(conn);
  auto r = conn.Exec(
      "INSERT INTO credentials(client_id, tenant_id, secret_hash, created_at) "
      "SELECT $1, id, $3, to_timestamp($4) FROM tenants WHERE id = $2",
      {P(c.client_id), P(c.tenant_id), P(ToHex(c.secret_hash)), P(c.created_at)});
  if (!r.ok()) return r.status();
  if (r->affected() == 0) return Error(Code::kInvalidParam, "no such tenant");
  return Status::Ok();
}

Result<std::optional<Credential>> PgStore::FindCredential(std::string_view client_id) {
  KEFU_PG_ACQUIRE(conn);
  KEFU_PG_EXEC(r, conn,
               "SELECT client_id, tenant_id, secret_hash, extract(epoch from created_at)::bigint, "
               "revoked_at IS NOT NULL FROM credentials WHERE client_id = $1",
               {P(client_id)});
  if (r.rows() == 0) return std::optional<Credential>();
  return std::optional<Credential>(Credential{r.Text(0, 0), r.Int(0, 1),
                                              FromHex(r.Text(0, 2)).value_or(""), r.Int(0, 3),
                                              r.Bool(0, 4)});
}

Status PgStore::RevokeCredential(std::string_view client_id, int64_t now) {
  KEFU_PG_ACQUIRE(conn);
  PgTransaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  KEFU_PG_EXEC(upd, conn,
               "UPDATE credentials SET revoked_at = coalesce(revoked_at, to_timestamp($2)) "
               "WHERE client_id = $1",
               {P(client_id), P(now)});
  if (upd.affected() == 0) return Error(Code::kInvalidParam, "no such clientId");
  KEFU_PG_EXEC(del, conn, "DELETE FROM tokens WHERE client_id = $1", {P(client_id)});
  return tx.Commit();
}

Status PgStore::InsertToken(std::string_view token_hash, std::string_view client_id,
                            TenantId tenant_id, int64_t expires_at, int64_t now) {
  KEFU_PG_ACQUIRE(conn);
  PgTransaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  // FOR SHARE: a concurrent revoke waits for this insert, then deletes it too.
  KEFU_PG_EXEC(live, conn,
               "SELECT 1 FROM credentials WHERE client_id = $1 AND revoked_at IS NULL FOR SHARE",
               {P(client_id)});
  if (live.rows() == 0) return Error(Code::kBadCredential, "credential revoked");
  KEFU_PG_EXEC(sweep, conn, "DELETE FROM tokens WHERE client_id = $1 AND expires_at <= to_timestamp($2)",
               {P(client_id), P(now)});
  KEFU_PG_EXEC(ins, conn,
               "INSERT INTO tokens(token_hash, client_id, tenant_id, expires_at) "
               "VALUES ($1, $2, $3, to_timestamp($4))",
               {P(ToHex(token_hash)), P(client_id), P(tenant_id), P(expires_at)});
  return tx.Commit();
}

Result<std::optional<TokenGrant>> PgStore::FindToken(std::string_view token_hash, int64_t now) {
  KEFU_PG_ACQUIRE(conn);
  KEFU_PG_EXEC(r, conn,
               "SELECT t.tenant_id, n.time_zone, n.agents_version FROM tokens t "
               "JOIN credentials c ON c.client_id = t.client_id AND c.revoked_at IS NULL "
               "JOIN tenants n ON n.id = t.tenant_id "
               "WHERE t.token_hash = $1 AND t.expires_at > to_timestamp($2)",
               {P(ToHex(token_hash)), P(now)});
  if (r.rows() == 0) return std::optional<TokenGrant>();
  return std::optional<TokenGrant>(
      TokenGrant{r.Int(0, 0), TimeZone{static_cast<int>(r.Int(0, 1))}, r.Int(0, 2)});
}

// ------------------------------------------------------------------ roles

Result<std::vector<CustomRole>> PgStore::ListCustomRoles(TenantId tenant) {
  KEFU_PG_ACQUIRE(conn);
  KEFU_PG_EXEC(r, conn, "SELECT " + kRoleColumns + " FROM custom_roles WHERE tenant_id = $1 ORDER BY id",
               {P(tenant)});
  std::vector<CustomRole> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(ReadRole(r, i));
  return out;
}

Result<std::optional<CustomRole>> PgStore::FindCustomRole(TenantId tenant, int64_t role_id) {
  KEFU_PG_ACQUIRE(conn);
  KEFU_PG_EXEC(r, conn, "SELECT " + kRoleColumns + " FROM custom_roles WHERE tenant_id = $1 AND id = $2",
               {P(tenant), P(role_id)});
  if (r.rows() == 0) return std::optional<CustomRole>();
  return std::optional<CustomRole>(ReadRole(r, 0));
}

Result<CustomRole> PgStore::CreateCustomRole(TenantId tenant, const CustomRole& role) {
  KEFU_PG_ACQUIRE(conn);
  PgTransaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  const std::string values = "$2, $3, to_timestamp($4::bigint / 1000.0), "
                             "to_timestamp($5::bigint / 1000.0), $6";
  std::vector<PgParam> params = {P(tenant), P(role.name), P(role.description),
                                 Millis(role.created_at_millis), Millis(role.updated_at_millis),
                                 P(role.status)};
  Result<PgResult> ins = Error(Code::kInternal);
  if (role.id >= kFirstCustomRoleId) {
    params.insert(params.begin(), P(role.id));
    ins = conn.Exec("INSERT INTO custom_roles(id, tenant_id, name, description, created_at, updated_at, "
                    "status) VALUES ($1, $2, $3, $4, to_timestamp($5::bigint / 1000.0), "
                    "to_timestamp($6::bigint / 1000.0), $7) RETURNING id",
                    params);
  } else {
    ins = conn.Exec("INSERT INTO custom_roles(tenant_id, name, description, created_at, updated_at, "
                    "status) VALUES ($1, $2, $3, to_timestamp($4::bigint / 1000.0), "
                    "to_timestamp($5::bigint / 1000.0), $6) RETURNING id",
                    params);
  }
  if (IsUniqueViolation(ins.status())) {
    return Error(Code::kInvalidParam, "the tenant already has a role of that name");
  }
  if (!ins.ok()) return ins.status();
  CustomRole out = role;
  out.id = ins->Int(0, 0);
  out.tenant_id = tenant;
  if (role.id >= kFirstCustomRoleId) {
    // An explicit id must not be handed out again by the identity.
    KEFU_PG_EXEC(seq, conn,
                 "SELECT setval(pg_get_serial_sequence('custom_roles', 'id'), "
                 "greatest((SELECT max(id) FROM custom_roles), 2))",
                 {});
  }
  KEFU_RETURN_IF_ERROR(tx.Commit());
  return out;
}

// ----------------------------------------------------------------- agents

Result<AgentPage> PgStore::SearchAgents(TenantId tenant, const AgentSearch& search) {
  KEFU_PG_ACQUIRE(conn);
  PgTransaction tx(conn);  // one snapshot for the count and the page
  KEFU_RETURN_IF_ERROR(tx.Begin());
  KEFU_RETURN_IF_ERROR(conn.Run("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"));
  // ASCII-only case folding, as on SQLite (docs/decisions.md).
  auto fold = [](const char* col) {
    return "translate(" + std::string(col) + ", 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')";
  };
  const std::string filter = " WHERE a.tenant_id = $1 AND ($2 = '%%' OR " + fold("a.username") +
                             " LIKE $2 OR " + fold("a.true_name") + " LIKE $2 OR " +
                             fold("a.mobile_phone") + " LIKE $2 OR " + fold("a.agent_number") +
                             " LIKE $2)";
  const std::string pattern = LikePattern(search.key);
  AgentPage page;
  KEFU_PG_EXEC(count, conn, "SELECT count(*) FROM agents a" + filter, {P(tenant), P(pattern)});
  page.total = count.Int(0, 0);
  if (search.offset < page.total) {
    KEFU_PG_EXEC(rows, conn,
                 "SELECT " + kAgentColumns + kAgentFrom + filter +
                     " ORDER BY a.created_at, lower(a.username) COLLATE \"C\" LIMIT $3 OFFSET $4",
                 {P(tenant), P(pattern), P(search.limit), P(search.offset)});
    for (int i = 0; i < rows.rows(); ++i) page.agents.push_back(ReadAgent(rows, i));
  }
  KEFU_RETURN_IF_ERROR(tx.Commit());
  return page;
}

Result<AgentRoster> PgStore::ListAgents(TenantId tenant, size_t at_most) {
  KEFU_PG_ACQUIRE(conn);
  PgTransaction tx(conn);  // the version and the rows of one snapshot
  KEFU_RETURN_IF_ERROR(tx.Begin());
  KEFU_RETURN_IF_ERROR(conn.Run("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"));
  KEFU_PG_EXEC(version, conn, "SELECT agents_version FROM tenants WHERE id = $1", {P(tenant)});
  if (version.rows() == 0) return Error(Code::kWrongTenant, "no such tenant");
  AgentRoster roster;
  roster.agents_version = version.Int(0, 0);
  KEFU_PG_EXEC(rows, conn,
               "SELECT " + kAgentColumns + kAgentFrom +
                   " WHERE a.tenant_id = $1 ORDER BY a.created_at, lower(a.username) COLLATE \"C\" LIMIT $2",
               {P(tenant), P(static_cast<int64_t>(at_most) + 1)});
  roster.too_large = static_cast<size_t>(rows.rows()) > at_most;
  for (int i = 0; i < rows.rows() && !roster.too_large; ++i) {
    roster.agents.push_back(ReadAgent(rows, i));
    roster.agents.back().password_hash.clear();
  }
  KEFU_RETURN_IF_ERROR(tx.Commit());
  return roster;
}

Result<std::optional<Agent>> PgStore::FindAgentByUsername(std::string_view username) {
  KEFU_PG_ACQUIRE(conn);
  KEFU_PG_EXEC(r, conn, "SELECT " + kAgentColumns + kAgentFrom + " WHERE lower(a.username) = $1",
               {P(AsciiLower(username))});
  if (r.rows() == 0) return std::optional<Agent>();
  return std::optional<Agent>(ReadAgent(r, 0));
}

Status PgStore::InsertAgent(const Agent& a) {
  KEFU_PG_ACQUIRE(conn);
  // The unique index on lower(username) decides races between instances.
  auto r = conn.Exec(
      "INSERT INTO agents(user_id, tenant_id, username, nicename, password_hash, true_name, "
      "mobile_phone, agent_number, role_id, max_sessions, enabled, state, created_at, updated_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, to_timestamp($13), to_timestamp($14))",
      {P(a.user_id), P(a.tenant_id), P(a.username), P(a.nicename), P(a.password_hash), P(a.true_name),
       P(a.mobile_phone), P(a.agent_number), P(a.role_id), P(int64_t{a.max_service_sessions}),
       Bool(a.enabled), P(a.state), P(a.created_at), P(a.updated_at)});
  if (IsUniqueViolation(r.status())) return Error(Code::kUsernameTaken, "username already exists");
  return r.ok() ? Status::Ok() : r.status();
}

Status PgStore::LockTenantAgents(PgConnection& conn, TenantId tenant) {
  auto r = conn.Exec("SELECT pg_advisory_xact_lock(4202, $1::integer)", {P(tenant)});
  return r.ok() ? Status::Ok() : r.status();
}

Status PgStore::RequireAnotherEnabledAdmin(PgConnection& conn, TenantId tenant,
                                           std::string_view user_id) {
  KEFU_PG_EXEC(r, conn,
               "SELECT 1 FROM agents WHERE tenant_id = $1 AND enabled AND role_id = 1 "
               "AND user_id <> $2 LIMIT 1",
               {P(tenant), P(user_id)});
  if (r.rows() == 0) return Error(Code::kLastAdmin, "the tenant's only enabled admin");
  return Status::Ok();
}

Status PgStore::ModifyAgent(TenantId tenant, std::string_view user_id,
                            const std::function<void(Agent&)>& change) {
  KEFU_PG_ACQUIRE(conn);
  PgTransaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  KEFU_RETURN_IF_ERROR(LockTenantAgents(conn, tenant));
  KEFU_PG_EXEC(r, conn,
               "SELECT " + kAgentColumns + kAgentFrom + " WHERE a.tenant_id = $1 AND a.user_id = $2",
               {P(tenant), P(user_id)});
  if (r.rows() == 0) return Error(Code::kNoSuchAgent, "agent no longer exists");
  Agent a = ReadAgent(r, 0);
  const bool was_admin = a.IsEnabledAdmin();
  const std::string old_hash = a.password_hash;
  change(a);
  if (was_admin && !a.IsEnabledAdmin()) {
    KEFU_RETURN_IF_ERROR(RequireAnotherEnabledAdmin(conn, tenant, user_id));
  }
  KEFU_PG_EXEC(upd, conn,
               "UPDATE agents SET nicename = $3, password_hash = $4, true_name = $5, mobile_phone = $6, "
               "agent_number = $7, role_id = $8, max_sessions = $9, enabled = $10, state = $11, "
               "updated_at = to_timestamp($12) WHERE tenant_id = $1 AND user_id = $2",
               {P(tenant), P(user_id), P(a.nicename), P(a.password_hash), P(a.true_name),
                P(a.mobile_phone), P(a.agent_number), P(a.role_id), P(int64_t{a.max_service_sessions}),
                Bool(a.enabled), P(a.state), P(a.updated_at)});
  if (a.password_hash != old_hash || !a.enabled) KEFU_RETURN_IF_ERROR(DeleteAgentTokens(conn, user_id));
  return tx.Commit();
}

Status PgStore::DeleteAgent(TenantId tenant, std::string_view user_id) {
  KEFU_PG_ACQUIRE(conn);
  PgTransaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  KEFU_RETURN_IF_ERROR(LockTenantAgents(conn, tenant));
  KEFU_PG_EXEC(r, conn,
               "SELECT enabled AND role_id = 1 FROM agents WHERE tenant_id = $1 AND user_id = $2",
               {P(tenant), P(user_id)});
  if (r.rows() == 0) return Error(Code::kNoSuchAgent, "agent no longer exists");
  if (r.Bool(0, 0)) KEFU_RETURN_IF_ERROR(RequireAnotherEnabledAdmin(conn, tenant, user_id));
  KEFU_PG_EXEC(busy, conn,
               "SELECT 1 FROM sessions WHERE tenant_id = $1 AND state = 1 AND (agent_user_id = $2 "
               "OR id IN (SELECT session FROM session_agents WHERE tenant_id = $1 AND agent_id = $2)) "
               "LIMIT 1",
               {P(tenant), P(user_id)});
  if (busy.rows() > 0) return Error(Code::kAgentBusy, "the agent has a session in Processing");
  KEFU_PG_EXEC(del, conn, "DELETE FROM agents WHERE tenant_id = $1 AND user_id = $2",
               {P(tenant), P(user_id)});
  KEFU_RETURN_IF_ERROR(DeleteAgentTokens(conn, user_id));
  KEFU_RETURN_IF_ERROR(DeleteQueueMemberships(conn, user_id));
  return tx.Commit();
}

}  // namespace kefu::store::postgres
