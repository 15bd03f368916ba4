#include "domain/agent_service.h"

#include <tuple>

#include "common/limits.h"
#include "common/text.h"
#include "domain/agent_rules.h"

namespace kefu::domain {

AgentService::AgentService(store::AgentStore& store, RoleService& roles,
                           PasswordHashParams hash_params, unsigned hash_concurrency,
                           const Clock& clock)
    : store_(store),
      roles_(roles),
      clock_(clock),
      rosters_(store, limits::kRosterCacheMaxPerTenant, limits::kRosterCacheMaxAgents),
      hash_params_(hash_params),
      hash_slots_(static_cast<std::ptrdiff_t>(hash_concurrency == 0 ? 1 : hash_concurrency)) {}

Result<std::string> AgentService::Hash(const std::string& password) {
  hash_slots_.acquire();
  auto hash = HashPassword(password, hash_params_);
  hash_slots_.release();
  if (!hash) return Error(Code::kInternal, "password hashing failed (out of memory)");
  return *hash;
}

Result<AgentSearchResult> AgentService::Search(store::TenantId tenant, int64_t agents_version,
                                               std::optional<std::string_view> page,
                                               std::optional<std::string_view> size,
                                               std::optional<std::string_view> key_value) {
  auto request = ParsePageRequest(page, size);
  if (!request.ok()) return request.status();
  store::AgentSearch search{AsciiLower(key_value.value_or("")), request->offset(), request->size};
  auto cached = rosters_.Search(tenant, agents_version, search);
  if (!cached.ok()) return cached.status();
  auto found = *cached ? Result<store::AgentPage>(std::move(**cached)) : store_.SearchAgents(tenant, search);
  if (!found.ok()) return found.status();
  AgentSearchResult out;
  out.page = ComputePageInfo(*request, found->total, static_cast<int64_t>(found->agents.size()));
  out.agents = std::move(found->agents);
  return out;
}

Result<store::Agent> AgentService::Add(store::TenantId tenant, const AgentFields& f) {
  auto nicename = CheckNicename(f.nicename);
  if (!nicename.ok()) return nicename.status();
  auto username = CheckUsername(f.username);
  if (!username.ok()) return username.status();
  auto password = CheckPassword(f.password);
  if (!password.ok()) return password.status();
  auto role_id = CheckRoleId(f.role_id);
  if (!role_id.ok()) return role_id.status();
  auto role_name = roles_.NameOf(tenant, *role_id);
  if (!role_name.ok()) return role_name.status();
  auto max_sessions =
      CheckMaxServiceSessions(f.max_service_session_count, limits::kMaxServiceSessionDefault);
  if (!max_sessions.ok()) return max_sessions.status();
  auto true_name = CheckOptionalText(f.true_name, "trueName", "");
  if (!true_name.ok()) return true_name.status();
  auto mobile_phone = CheckOptionalText(f.mobile_phone, "mobilePhone", "");
  if (!mobile_phone.ok()) return mobile_phone.status();
  auto agent_number = CheckOptionalText(f.agent_number, "agentNumber", "");
  if (!agent_number.ok()) return agent_number.status();

  // Checked before hashing so a duplicate costs no Argon2id; InsertAgent
  // checks again inside its transaction.
  auto existing = store_.FindAgentByUsername(*username);
  if (!existing.ok()) return existing.status();
  if (*existing) return Error(Code::kUsernameTaken, "username already exists");

  auto hash = Hash(*password);
  if (!hash.ok()) return hash.status();

  store::Agent a;
  a.user_id = NewUuidV4();
  a.tenant_id = tenant;
  a.username = *username;
  a.nicename = *nicename;
  a.password_hash = *hash;
  a.true_name = *true_name;
  a.mobile_phone = *mobile_phone;
  a.agent_number = *agent_number;
  a.role_id = *role_id;
  if (*role_id >= store::kFirstCustomRoleId) a.custom_role_name = *role_name;
  a.max_service_sessions = *max_sessions;
  a.created_at = a.updated_at = clock_.NowSeconds();
  KEFU_RETURN_IF_ERROR(store_.InsertAgent(a));
  return a;
}

Result<store::Agent> AgentService::FindOwn(store::TenantId tenant, const RawField& username) {
  auto name = username.given() ? CoerceText(username) : std::nullopt;
  if (!name || name->empty()) return Error(Code::kInvalidParam, "username is required");
  auto agent = store_.FindAgentByUsername(*name);
  if (!agent.ok()) return agent.status();
  if (!*agent) return Error(Code::kNoSuchAgent, "no agent with that username");
  if ((*agent)->tenant_id != tenant) {
    return Error(Code::kForeignAgent, "the agent belongs to another tenant");
  }
  return std::move(**agent);
}

Status AgentService::Update(store::TenantId tenant, const AgentFields& f) {
  auto agent = FindOwn(tenant, f.username);
  if (!agent.ok()) return agent.status();

  std::optional<std::string> nicename;
  if (f.nicename.given()) {
    auto v = CheckNicename(f.nicename);
    if (!v.ok()) return v.status();
    nicename = *v;
  }
  std::optional<int64_t> role_id;
  if (f.role_id.given()) {
    auto id = CheckRoleId(f.role_id);
    if (!id.ok()) return id.status();
    auto exists = roles_.NameOf(tenant, *id);  // API_107 unless a role of this tenant
    if (!exists.ok()) return exists.status();
    role_id = *id;
  }
  std::optional<int> max_sessions;
  if (f.max_service_session_count.given()) {
    auto v = CheckMaxServiceSessions(f.max_service_session_count, 0);
    if (!v.ok()) return v.status();
    max_sessions = *v;
  }
  std::optional<std::string> true_name, mobile_phone, agent_number;
  for (auto [field, name, out] :
       {std::tuple{&f.true_name, "trueName", &true_name},
        std::tuple{&f.mobile_phone, "mobilePhone", &mobile_phone},
        std::tuple{&f.agent_number, "agentNumber", &agent_number}}) {
    if (!field->given()) continue;
    auto v = CheckOptionalText(*field, name, "");
    if (!v.ok()) return v.status();
    *out = *v;
  }

  const int64_t now = clock_.NowSeconds();
  return store_.ModifyAgent(tenant, agent->user_id, [&](store::Agent& a) {
    if (nicename) a.nicename = *nicename;
    if (role_id) a.role_id = *role_id;
    if (max_sessions) a.max_service_sessions = *max_sessions;
    if (true_name) a.true_name = *true_name;
    if (mobile_phone) a.mobile_phone = *mobile_phone;
    if (agent_number) a.agent_number = *agent_number;
    a.updated_at = now;
  });
}

Status AgentService::ChangePassword(store::TenantId tenant, const AgentFields& f) {
  auto agent = FindOwn(tenant, f.username);
  if (!agent.ok()) return agent.status();
  auto password = CheckPassword(f.password);
  if (!password.ok()) return password.status();
  auto hash = Hash(*password);
  if (!hash.ok()) return hash.status();
  const int64_t now = clock_.NowSeconds();
  return store_.ModifyAgent(tenant, agent->user_id, [&](store::Agent& a) {
    a.password_hash = *hash;
    a.updated_at = now;
  });
}

Status AgentService::Delete(store::TenantId tenant, const RawField& username) {
  auto agent = FindOwn(tenant, username);
  if (!agent.ok()) return agent.status();
  return store_.DeleteAgent(tenant, agent->user_id);
}

Status AgentService::SetEnabled(store::TenantId tenant, const RawField& username, bool enabled) {
  auto agent = FindOwn(tenant, username);
  if (!agent.ok()) return agent.status();
  const int64_t now = clock_.NowSeconds();
  return store_.ModifyAgent(tenant, agent->user_id, [&](store::Agent& a) {
    a.enabled = enabled;
    if (!enabled) a.state = "Offline";  // a disabled agent cannot be online
    a.updated_at = now;
  });
}

}  // namespace kefu::domain
