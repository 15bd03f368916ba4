#include "store/sqlite/sqlite_store.h"

#include "common/text.h"
#include "store/sqlite/sqlite_schema.h"

namespace kefu::store::sqlite {
namespace {

constexpr const char* kAgentColumns =
    "a.user_id, a.tenant_id, a.username, a.nicename, a.password_hash, a.true_name, "
    "a.mobile_phone, a.agent_number, a.role_id, r.name, a.max_sessions, a.enabled, a.state, "
    "a.created_at, a.updated_at";

Agent ReadAgent(const Statement& s) {
  Agent a;
  a.user_id = s.Text(0);
  a.tenant_id = s.Int(1);
  a.username = s.Text(2);
  a.nicename = s.Text(3);
  a.password_hash = s.Text(4);
  a.true_name = s.Text(5);
  a.mobile_phone = s.Text(6);
  a.agent_number = s.Text(7);
  a.role_id = s.Int(8);
  a.custom_role_name = s.OptionalText(9);
  a.max_service_sessions = static_cast<int>(s.Int(10));
  a.enabled = s.Int(11) != 0;
  a.state = s.Text(12);
  a.created_at = s.Int(13);
  a.updated_at = s.Int(14);
  return a;
}

Tenant ReadTenant(const Statement& s) {
  return Tenant{s.Int(0), s.Text(1), TimeZone{static_cast<int>(s.Int(2))}, s.Text(3), s.Int(4)};
}

CustomRole ReadRole(const Statement& s) {
  CustomRole r;
  r.id = s.Int(0);
  r.tenant_id = s.Int(1);
  r.name = s.Text(2);
  r.description = s.OptionalText(3);
  r.created_at_millis = s.Int(4);
  r.updated_at_millis = s.Int(5);
  r.status = s.Text(6);
  return r;
}

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path,
                                                       std::chrono::milliseconds query_timeout) {
  std::unique_ptr<SqliteStore> store(new SqliteStore(path, query_timeout));
  auto conn = store->pool_.Acquire();
  if (!conn.ok()) return conn.status();
  KEFU_RETURN_IF_ERROR(Migrate(**conn));
  if (path != ":memory:") {
    store->checkpointer_ = std::make_unique<WalCheckpointer>(path, (**conn).writer());
  }
  return store;
}

Status SqliteStore::Optimize() {
  KEFU_ACQUIRE(conn);
  // Without statistics SQLite cannot tell that one agent's sessions are few,
  // and walks a whole tenant's index instead. A sampled ANALYZE takes
  // milliseconds even at ten million sessions.
  KEFU_RETURN_IF_ERROR(conn.Exec("PRAGMA analysis_limit=1000"));
  return conn.Exec("ANALYZE");
}

Status SqliteStore::Ping() {
  KEFU_ACQUIRE(conn);
  return conn.Exec("SELECT 1");
}

// ---------------------------------------------------------------- tenants

Result<Tenant> SqliteStore::CreateTenant(std::optional<TenantId> id, const std::string& name,
                                         TimeZone zone, int64_t now) {
  KEFU_ACQUIRE(conn);
  Transaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  Tenant t{0, name, zone, "Enable", now};
  if (id) {
    KEFU_PREPARE(exists, conn, "SELECT 1 FROM tenants WHERE id = ?1");
    exists.Bind(1, *id);
    if (exists.Step()) return Error(Code::kInvalidParam, "tenant id already exists");
    KEFU_RETURN_IF_ERROR(exists.status());
    t.id = *id;
  } else {
    KEFU_PREPARE(next, conn, "SELECT coalesce(max(id), 0) + 1 FROM tenants");
    if (!next.Step()) return next.status();
    t.id = next.Int(0);
  }
  KEFU_PREPARE(ins, conn,
               "INSERT INTO tenants(id, name, time_zone, status, created_at) "
               "VALUES (?1, ?2, ?3, 'Enable', ?4)");
  ins.Bind(1, t.id).Bind(2, name).Bind(3, int64_t{zone.offset_seconds}).Bind(4, now);
  KEFU_RETURN_IF_ERROR(ins.Run());
  KEFU_RETURN_IF_ERROR(tx.Commit());
  return t;
}

Result<std::optional<Tenant>> SqliteStore::FindTenant(TenantId id) {
  KEFU_ACQUIRE(conn);
  KEFU_PREPARE(s, conn,
               "SELECT id, name, time_zone, status, created_at FROM tenants WHERE id = ?1");
  s.Bind(1, id);
  if (s.Step()) return std::optional<Tenant>(ReadTenant(s));
  KEFU_RETURN_IF_ERROR(s.status());
  return std::optional<Tenant>();
}

Result<std::vector<Tenant>> SqliteStore::ListTenants() {
  KEFU_ACQUIRE(conn);
  KEFU_PREPARE(s, conn, "SELECT id, name, time_zone, status, created_at FROM tenants ORDER BY id");
  std::vector<Tenant> out;
  while (s.Step()) out.push_back(ReadTenant(s));
  KEFU_RETURN_IF_ERROR(s.status());
  return out;
}

// ---------------------------------------------------- credentials, tokens

Status SqliteStore::AddCredential(const Credential& c) {
  KEFU_ACQUIRE(conn);
  Transaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  KEFU_PREPARE(exists, conn, "SELECT 1 FROM tenants WHERE id = ?1");
  exists.Bind(1, c.tenant_id);
  bool found = exists.Step();
  KEFU_RETURN_IF_ERROR(exists.status());
  if (!found) return Error(Code::kInvalidParam, "no such tenant");
  KEFU_PREPARE(ins, conn,
               "INSERT INTO credentials(client_id, tenant_id, secret_hash, created_at) "
               "VALUES (?1, ?2, ?3, ?4)");
  ins.Bind(1, c.client_id).Bind(2, c.tenant_id).BindBlob(3, c.secret_hash).Bind(4, c.created_at);
  KEFU_RETURN_IF_ERROR(ins.Run());
  return tx.Commit();
}

Result<std::optional<Credential>> SqliteStore::FindCredential(std::string_view client_id) {
  KEFU_ACQUIRE(conn);
  KEFU_PREPARE(s, conn,
               "SELECT client_id, tenant_id, secret_hash, created_at, revoked_at IS NOT NULL "
               "FROM credentials WHERE client_id = ?1");
  s.Bind(1, client_id);
  if (s.Step()) {
    return std::optional<Credential>(
        Credential{s.Text(0), s.Int(1), s.Text(2), s.Int(3), s.Int(4) != 0});
  }
  KEFU_RETURN_IF_ERROR(s.status());
  return std::optional<Credential>();
}

Status SqliteStore::RevokeCredential(std::string_view client_id, int64_t now) {
  KEFU_ACQUIRE(conn);
  Transaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  KEFU_PREPARE(upd, conn,
               "UPDATE credentials SET revoked_at = coalesce(revoked_at, ?2) WHERE client_id = ?1");
  upd.Bind(1, client_id).Bind(2, now);
  KEFU_RETURN_IF_ERROR(upd.Run());
  if (sqlite3_changes(conn.handle()) == 0) return Error(Code::kInvalidParam, "no such clientId");
  KEFU_PREPARE(del, conn, "DELETE FROM tokens WHERE client_id = ?1");
  del.Bind(1, client_id);
  KEFU_RETURN_IF_ERROR(del.Run());
  return tx.Commit();
}

Status SqliteStore::InsertToken(std::string_view token_hash, std::string_view client_id,
                                TenantId tenant_id, int64_t expires_at, int64_t now) {
  KEFU_ACQUIRE(conn);
  // A token commit does not wait for the disk: in WAL mode it still survives
  // a killed process, the next durable commit syncs it too, and one lost to a
  // power failure costs its client a new token request. Waiting made 64
  // clients queue behind fsync (3,300 tokens/s, p99 620 ms).
  KEFU_RETURN_IF_ERROR(conn.Exec("PRAGMA synchronous=NORMAL"));
  struct RestoreDurability {
    Connection& c;
    ~RestoreDurability() { (void)c.Exec("PRAGMA synchronous=FULL"); }
  } restore{conn};
  Transaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  KEFU_PREPARE(live, conn,
               "SELECT 1 FROM credentials WHERE client_id = ?1 AND revoked_at IS NULL");
  live.Bind(1, client_id);
  bool ok = live.Step();
  KEFU_RETURN_IF_ERROR(live.status());
  if (!ok) return Error(Code::kBadCredential, "credential revoked");
  KEFU_PREPARE(sweep, conn, "DELETE FROM tokens WHERE client_id = ?1 AND expires_at <= ?2");
  sweep.Bind(1, client_id).Bind(2, now);
  KEFU_RETURN_IF_ERROR(sweep.Run());
  KEFU_PREPARE(ins, conn,
               "INSERT INTO tokens(token_hash, client_id, tenant_id, expires_at) "
               "VALUES (?1, ?2, ?3, ?4)");
  ins.BindBlob(1, token_hash).Bind(2, client_id).Bind(3, tenant_id).Bind(4, expires_at);
  KEFU_RETURN_IF_ERROR(ins.Run());
  return tx.Commit();
}

Result<std::optional<TokenGrant>> SqliteStore::FindToken(std::string_view token_hash, int64_t now) {
  KEFU_ACQUIRE(conn);
  KEFU_PREPARE(s, conn,
               "SELECT t.tenant_id, n.time_zone, n.agents_version FROM tokens t "
               "JOIN tenants n ON n.id = t.tenant_id WHERE t.token_hash = ?1 AND t.expires_at > ?2");
  s.BindBlob(1, token_hash).Bind(2, now);
  if (s.Step()) {
    return std::optional<TokenGrant>(TokenGrant{s.Int(0), TimeZone{static_cast<int>(s.Int(1))}, s.Int(2)});
  }
  KEFU_RETURN_IF_ERROR(s.status());
  return std::optional<TokenGrant>();
}

// ------------------------------------------------------------------ roles

Result<std::vector<CustomRole>> SqliteStore::ListCustomRoles(TenantId tenant) {
  KEFU_ACQUIRE(conn);
  KEFU_PREPARE(s, conn,
               "SELECT id, tenant_id, name, description, created_at, updated_at, status "
               "FROM custom_roles WHERE tenant_id = ?1 ORDER BY id");
  s.Bind(1, tenant);
  std::vector<CustomRole> out;
  while (s.Step()) out.push_back(ReadRole(s));
  KEFU_RETURN_IF_ERROR(s.status());
  return out;
}

Result<std::optional<CustomRole>> SqliteStore::FindCustomRole(TenantId tenant, int64_t role_id) {
  KEFU_ACQUIRE(conn);
  KEFU_PREPARE(s, conn,
               "SELECT id, tenant_id, name, description, created_at, updated_at, status "
               "FROM custom_roles WHERE tenant_id = ?1 AND id = ?2");
  s.Bind(1, tenant).Bind(2, role_id);
  if (s.Step()) return std::optional<CustomRole>(ReadRole(s));
  KEFU_RETURN_IF_ERROR(s.status());
  return std::optional<CustomRole>();
}

Result<CustomRole> SqliteStore::CreateCustomRole(TenantId tenant, const CustomRole& role) {
  KEFU_ACQUIRE(conn);
  Transaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  KEFU_PREPARE(dup, conn, "SELECT 1 FROM custom_roles WHERE tenant_id = ?1 AND name = ?2");
  dup.Bind(1, tenant).Bind(2, role.name);
  bool taken = dup.Step();
  KEFU_RETURN_IF_ERROR(dup.status());
  if (taken) return Error(Code::kInvalidParam, "the tenant already has a role of that name");
  KEFU_PREPARE(ins, conn,
               "INSERT INTO custom_roles(id, tenant_id, name, description, created_at, "
               "updated_at, status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (role.id >= kFirstCustomRoleId) {
    ins.Bind(1, role.id);
  } else {
    ins.BindNull(1);
  }
  ins.Bind(2, tenant).Bind(3, role.name).BindOptional(4, role.description)
      .Bind(5, role.created_at_millis).Bind(6, role.updated_at_millis).Bind(7, role.status);
  KEFU_RETURN_IF_ERROR(ins.Run());
  CustomRole out = role;
  out.id = sqlite3_last_insert_rowid(conn.handle());
  out.tenant_id = tenant;
  KEFU_RETURN_IF_ERROR(tx.Commit());
  return out;
}

// ----------------------------------------------------------------- agents

Result<AgentPage> SqliteStore::SearchAgents(TenantId tenant, const AgentSearch& search) {
  KEFU_ACQUIRE(conn);
  // One read transaction so the count and the page agree.
  ReadTransaction read(conn);
  KEFU_RETURN_IF_ERROR(read.Begin());
  AgentPage page;
  static const std::string kPageSql =
      std::string("SELECT ") + kAgentColumns +
      " FROM agents a LEFT JOIN custom_roles r ON r.id = a.role_id WHERE a.tenant_id = ?1"
      " ORDER BY a.created_at, a.username_key LIMIT ?2 OFFSET ?3";
  static const std::string kByIdSql = std::string("SELECT ") + kAgentColumns +
                                      " FROM agents a LEFT JOIN custom_roles r ON r.id = a.role_id"
                                      " WHERE a.id = ?1";

  if (search.key.empty()) {
    KEFU_PREPARE(count, conn, "SELECT count(*) FROM agents WHERE tenant_id = ?1");
    count.Bind(1, tenant);
    if (!count.Step()) return count.status();
    page.total = count.Int(0);
    if (search.offset >= page.total) return page;
    KEFU_PREPARE(rows, conn, kPageSql.c_str());
    rows.Bind(1, tenant).Bind(2, search.limit).Bind(3, search.offset);
    while (rows.Step()) page.agents.push_back(ReadAgent(rows));
    KEFU_RETURN_IF_ERROR(rows.status());
    return page;
  }

  // One ordered pass gives both the count and the page's ids; the fields are
  // separated by U+001F, so a key holding it matches nothing.
  if (search.key.find('\x1f') != std::string::npos) return page;
  std::vector<int64_t> ids;
  {
    KEFU_PREPARE(match, conn,
                 "SELECT id FROM agents WHERE tenant_id = ?1 AND instr(search_text, ?2) > 0 "
                 "ORDER BY created_at, username_key");
    match.Bind(1, tenant).Bind(2, search.key);
    while (match.Step()) ids.push_back(match.Int(0));
    KEFU_RETURN_IF_ERROR(match.status());
  }
  page.total = static_cast<int64_t>(ids.size());
  for (int64_t i = search.offset; i < page.total && i < search.offset + search.limit; ++i) {
    KEFU_PREPARE(row, conn, kByIdSql.c_str());
    row.Bind(1, ids[static_cast<size_t>(i)]);
    if (!row.Step()) return row.status().ok() ? Error(Code::kInternal, "agent vanished") : row.status();
    page.agents.push_back(ReadAgent(row));
  }
  return page;
}

Result<AgentRoster> SqliteStore::ListAgents(TenantId tenant, size_t at_most) {
  KEFU_ACQUIRE(conn);
  ReadTransaction read(conn);  // the version and the rows of one snapshot
  KEFU_RETURN_IF_ERROR(read.Begin());
  AgentRoster roster;
  {
    KEFU_PREPARE(version, conn, "SELECT agents_version FROM tenants WHERE id = ?1");
    version.Bind(1, tenant);
    if (!version.Step()) return version.status().ok() ? Error(Code::kWrongTenant, "no such tenant") : version.status();
    roster.agents_version = version.Int(0);
  }
  static const std::string kAllSql =
      std::string("SELECT ") + kAgentColumns +
      " FROM agents a LEFT JOIN custom_roles r ON r.id = a.role_id WHERE a.tenant_id = ?1"
      " ORDER BY a.created_at, a.username_key";
  KEFU_PREPARE(rows, conn, kAllSql.c_str());
  rows.Bind(1, tenant);
  while (rows.Step()) {
    if (roster.agents.size() == at_most) {
      roster.too_large = true;
      roster.agents.clear();
      return roster;
    }
    roster.agents.push_back(ReadAgent(rows));
    roster.agents.back().password_hash.clear();
  }
  KEFU_RETURN_IF_ERROR(rows.status());
  return roster;
}

Result<std::optional<Agent>> SqliteStore::FindAgentByUsername(std::string_view username) {
  KEFU_ACQUIRE(conn);
  static const std::string kSql = std::string("SELECT ") + kAgentColumns +
                                  " FROM agents a LEFT JOIN custom_roles r ON r.id = a.role_id"
                                  " WHERE a.username_key = ?1";
  KEFU_PREPARE(s, conn, kSql.c_str());
  s.Bind(1, AsciiLower(username));
  if (s.Step()) return std::optional<Agent>(ReadAgent(s));
  KEFU_RETURN_IF_ERROR(s.status());
  return std::optional<Agent>();
}

Status SqliteStore::InsertAgent(const Agent& a) {
  KEFU_ACQUIRE(conn);
  Transaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  KEFU_PREPARE(dup, conn, "SELECT 1 FROM agents WHERE username_key = ?1");
  dup.Bind(1, AsciiLower(a.username));
  bool taken = dup.Step();
  KEFU_RETURN_IF_ERROR(dup.status());
  if (taken) return Error(Code::kUsernameTaken, "username already exists");
  KEFU_PREPARE(ins, conn,
               "INSERT INTO agents(user_id, tenant_id, username, username_key, nicename, "
               "password_hash, true_name, mobile_phone, agent_number, role_id, max_sessions, "
               "enabled, state, created_at, updated_at, search_text) "
               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)");
  ins.Bind(1, a.user_id).Bind(2, a.tenant_id).Bind(3, a.username).Bind(4, AsciiLower(a.username))
      .Bind(5, a.nicename).Bind(6, a.password_hash).Bind(7, a.true_name).Bind(8, a.mobile_phone)
      .Bind(9, a.agent_number).Bind(10, a.role_id).Bind(11, int64_t{a.max_service_sessions})
      .Bind(12, int64_t{a.enabled}).Bind(13, a.state).Bind(14, a.created_at).Bind(15, a.updated_at)
      .Bind(16, AgentSearchText(a));
  KEFU_RETURN_IF_ERROR(ins.Run());
  return tx.Commit();
}

Status SqliteStore::RequireAnotherEnabledAdmin(Connection& conn, TenantId tenant,
                                               std::string_view user_id) {
  KEFU_PREPARE(s, conn,
               "SELECT 1 FROM agents WHERE tenant_id = ?1 AND enabled = 1 AND role_id = 1 "
               "AND user_id <> ?2 LIMIT 1");
  s.Bind(1, tenant).Bind(2, user_id);
  bool found = s.Step();
  KEFU_RETURN_IF_ERROR(s.status());
  if (!found) return Error(Code::kLastAdmin, "the tenant's only enabled admin");
  return Status::Ok();
}

Status SqliteStore::ModifyAgent(TenantId tenant, std::string_view user_id,
                                const std::function<void(Agent&)>& change) {
  KEFU_ACQUIRE(conn);
  Transaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  static const std::string kSql = std::string("SELECT ") + kAgentColumns +
                                  " FROM agents a LEFT JOIN custom_roles r ON r.id = a.role_id"
                                  " WHERE a.tenant_id = ?1 AND a.user_id = ?2";
  Agent a;
  {
    KEFU_PREPARE(s, conn, kSql.c_str());
    s.Bind(1, tenant).Bind(2, user_id);
    if (!s.Step()) {
      KEFU_RETURN_IF_ERROR(s.status());
      return Error(Code::kNoSuchAgent, "agent no longer exists");
    }
    a = ReadAgent(s);
  }
  const bool was_admin = a.IsEnabledAdmin();
  const std::string old_hash = a.password_hash;
  change(a);
  if (was_admin && !a.IsEnabledAdmin()) {
    KEFU_RETURN_IF_ERROR(RequireAnotherEnabledAdmin(conn, tenant, user_id));
  }
  KEFU_PREPARE(upd, conn,
               "UPDATE agents SET nicename = ?3, password_hash = ?4, true_name = ?5, "
               "mobile_phone = ?6, agent_number = ?7, role_id = ?8, max_sessions = ?9, "
               "enabled = ?10, state = ?11, updated_at = ?12, search_text = ?13 "
               "WHERE tenant_id = ?1 AND user_id = ?2");
  upd.Bind(1, tenant).Bind(2, user_id).Bind(3, a.nicename).Bind(4, a.password_hash)
      .Bind(5, a.true_name).Bind(6, a.mobile_phone).Bind(7, a.agent_number).Bind(8, a.role_id)
      .Bind(9, int64_t{a.max_service_sessions}).Bind(10, int64_t{a.enabled}).Bind(11, a.state)
      .Bind(12, a.updated_at).Bind(13, AgentSearchText(a));
  KEFU_RETURN_IF_ERROR(upd.Run());
  if (a.password_hash != old_hash || !a.enabled) KEFU_RETURN_IF_ERROR(DeleteAgentTokens(conn, user_id));
  return tx.Commit();
}

Status SqliteStore::DeleteAgent(TenantId tenant, std::string_view user_id) {
  KEFU_ACQUIRE(conn);
  Transaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  KEFU_PREPARE(s, conn,
               "SELECT enabled = 1 AND role_id = 1 FROM agents WHERE tenant_id = ?1 AND user_id = ?2");
  s.Bind(1, tenant).Bind(2, user_id);
  if (!s.Step()) {
    KEFU_RETURN_IF_ERROR(s.status());
    return Error(Code::kNoSuchAgent, "agent no longer exists");
  }
  if (s.Int(0) != 0) KEFU_RETURN_IF_ERROR(RequireAnotherEnabledAdmin(conn, tenant, user_id));
  KEFU_PREPARE(busy, conn,
               "SELECT 1 FROM sessions WHERE tenant_id = ?1 AND state = 1 AND (agent_user_id = ?2 "
               "OR id IN (SELECT session FROM session_agents WHERE tenant_id = ?1 AND agent_id = ?2)) "
               "LIMIT 1");
  busy.Bind(1, tenant).Bind(2, user_id);
  if (busy.Step()) return Error(Code::kAgentBusy, "the agent has a session in Processing");
  KEFU_RETURN_IF_ERROR(busy.status());
  KEFU_PREPARE(del, conn, "DELETE FROM agents WHERE tenant_id = ?1 AND user_id = ?2");
  del.Bind(1, tenant).Bind(2, user_id);
  KEFU_RETURN_IF_ERROR(del.Run());
  KEFU_RETURN_IF_ERROR(DeleteAgentTokens(conn, user_id));
  KEFU_RETURN_IF_ERROR(DeleteQueueMemberships(conn, user_id));
  return tx.Commit();
}

}  // namespace kefu::store::sqlite
