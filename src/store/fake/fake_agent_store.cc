#include "store/fake/fake_agent_store.h"

#include <algorithm>
#include <tuple>

#include "common/text.h"

namespace kefu::store::fake {

Result<std::vector<CustomRole>> FakeAgentStore::ListCustomRoles(TenantId tenant) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  std::vector<CustomRole> out;
  for (const auto& [id, role] : roles_) {
    if (role.tenant_id == tenant) out.push_back(role);
  }
  return out;
}

Result<std::optional<CustomRole>> FakeAgentStore::FindCustomRole(TenantId tenant, int64_t role_id) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  auto it = roles_.find(role_id);
  if (it == roles_.end() || it->second.tenant_id != tenant) return std::optional<CustomRole>();
  return std::optional<CustomRole>(it->second);
}

Result<CustomRole> FakeAgentStore::CreateCustomRole(TenantId tenant, const CustomRole& role) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  for (const auto& [id, r] : roles_) {
    if (r.tenant_id == tenant && r.name == role.name) {
      return Error(Code::kInvalidParam, "the tenant already has a role of that name");
    }
  }
  CustomRole out = role;
  out.tenant_id = tenant;
  if (role.id >= kFirstCustomRoleId) {
    if (roles_.contains(role.id)) return Error(Code::kInvalidParam, "role id taken");
    out.id = role.id;
  } else {
    out.id = next_role_id_;
  }
  next_role_id_ = std::max(next_role_id_, out.id + 1);
  roles_[out.id] = out;
  return out;
}

Agent FakeAgentStore::Read(const Agent& stored) const {
  Agent a = stored;
  a.custom_role_name.reset();
  if (auto role = roles_.find(a.role_id); role != roles_.end()) a.custom_role_name = role->second.name;
  return a;
}

std::vector<Agent> FakeAgentStore::AgentsOf(TenantId tenant) const {
  std::vector<Agent> out;
  for (const auto& [key, a] : agents_) {
    if (a.tenant_id == tenant) out.push_back(Read(a));
  }
  std::stable_sort(out.begin(), out.end(), [](const Agent& x, const Agent& y) {
    return std::tuple(x.created_at, AsciiLower(x.username)) <
           std::tuple(y.created_at, AsciiLower(y.username));
  });
  return out;
}

Result<AgentPage> FakeAgentStore::SearchAgents(TenantId tenant, const AgentSearch& search) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  AgentPage page;
  if (search.key.find('\x1f') != std::string::npos) return page;  // the fields' separator
  for (auto& a : AgentsOf(tenant)) {
    if (!search.key.empty() && AgentSearchText(a).find(search.key) == std::string::npos) continue;
    if (page.total >= search.offset && page.total < search.offset + search.limit) {
      page.agents.push_back(std::move(a));
    }
    ++page.total;
  }
  return page;
}

Result<AgentRoster> FakeAgentStore::ListAgents(TenantId tenant, size_t at_most) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  if (!tenants_.HasTenant(tenant)) return Error(Code::kWrongTenant, "no such tenant");
  AgentRoster roster;
  roster.agents_version = tenants_.AgentsVersion(tenant);
  roster.agents = AgentsOf(tenant);
  if (roster.agents.size() > at_most) {
    roster.too_large = true;
    roster.agents.clear();
  }
  for (auto& a : roster.agents) a.password_hash.clear();
  return roster;
}

Result<std::optional<Agent>> FakeAgentStore::FindAgentByUsername(std::string_view username) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  auto it = agents_.find(AsciiLower(username));
  if (it == agents_.end()) return std::optional<Agent>();
  return std::optional<Agent>(Read(it->second));
}

Status FakeAgentStore::InsertAgent(const Agent& agent) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  auto [it, inserted] = agents_.try_emplace(AsciiLower(agent.username), agent);
  if (!inserted) return Error(Code::kUsernameTaken, "username already exists");
  it->second.custom_role_name.reset();  // derived from the role on every read
  tenants_.BumpAgentsVersion(agent.tenant_id);
  return Status::Ok();
}

Agent* FakeAgentStore::Find(TenantId tenant, std::string_view user_id) {
  for (auto& [key, a] : agents_) {
    if (a.tenant_id == tenant && a.user_id == user_id) return &a;
  }
  return nullptr;
}

Status FakeAgentStore::RequireAnotherEnabledAdmin(TenantId tenant, std::string_view user_id) const {
  for (const auto& [key, a] : agents_) {
    if (a.tenant_id == tenant && a.user_id != user_id && a.IsEnabledAdmin()) return Status::Ok();
  }
  return Error(Code::kLastAdmin, "the tenant's only enabled admin");
}

Status FakeAgentStore::ModifyAgent(TenantId tenant, std::string_view user_id,
                                   const std::function<void(Agent&)>& change) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  Agent* stored = Find(tenant, user_id);
  if (!stored) return Error(Code::kNoSuchAgent, "agent no longer exists");
  Agent a = Read(*stored);
  const bool was_admin = a.IsEnabledAdmin();
  change(a);
  if (was_admin && !a.IsEnabledAdmin()) {
    KEFU_RETURN_IF_ERROR(RequireAnotherEnabledAdmin(tenant, user_id));
  }
  if (a.password_hash != stored->password_hash || !a.enabled) DeleteTokensOf(user_id);
  // Only what the real stores write back: the identity stays.
  stored->nicename = a.nicename;
  stored->password_hash = a.password_hash;
  stored->true_name = a.true_name;
  stored->mobile_phone = a.mobile_phone;
  stored->agent_number = a.agent_number;
  stored->role_id = a.role_id;
  stored->max_service_sessions = a.max_service_sessions;
  stored->enabled = a.enabled;
  stored->state = a.state;
  stored->updated_at = a.updated_at;
  tenants_.BumpAgentsVersion(tenant);
  return Status::Ok();
}

Status FakeAgentStore::DeleteAgent(TenantId tenant, std::string_view user_id) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  Agent* stored = Find(tenant, user_id);
  if (!stored) return Error(Code::kNoSuchAgent, "agent no longer exists");
  if (stored->IsEnabledAdmin()) KEFU_RETURN_IF_ERROR(RequireAnotherEnabledAdmin(tenant, user_id));
  if (history_ && history_->NamesInProcessing(tenant, user_id)) {
    return Error(Code::kAgentBusy, "the agent has a session in Processing");
  }
  DeleteTokensOf(user_id);
  agents_.erase(AsciiLower(stored->username));
  tenants_.BumpAgentsVersion(tenant);
  return Status::Ok();
}

bool FakeAgentStore::HasAgent(TenantId tenant, std::string_view user_id) const {
  std::lock_guard lock(mu_);
  for (const auto& [key, a] : agents_) {
    if (a.tenant_id == tenant && a.user_id == user_id) return true;
  }
  return false;
}

void FakeAgentStore::DeleteTokensOf(std::string_view user_id) {
  std::erase_if(agent_tokens_, [&](const auto& entry) { return entry.second.user_id == user_id; });
}

Status FakeAgentStore::InsertAgentToken(std::string_view token_hash, TenantId tenant, std::string_view user_id,
                                        int64_t expires_at, int64_t now) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  Agent* agent = Find(tenant, user_id);
  if (!agent || !agent->enabled) return Error(Code::kNoSuchAgent, "agent no longer exists or is disabled");
  std::erase_if(agent_tokens_, [&](const auto& entry) {
    return entry.second.user_id == user_id && entry.second.expires_at <= now;
  });
  agent_tokens_[std::string(token_hash)] = AgentToken{tenant, std::string(user_id), expires_at};
  return Status::Ok();
}

Result<std::optional<AgentTokenGrant>> FakeAgentStore::FindAgentToken(std::string_view token_hash, int64_t now) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  auto it = agent_tokens_.find(token_hash);
  if (it == agent_tokens_.end() || it->second.expires_at <= now) return std::optional<AgentTokenGrant>();
  const Agent* agent = Find(it->second.tenant_id, it->second.user_id);
  auto tenant = tenants_.FindTenant(it->second.tenant_id);
  if (!agent || !agent->enabled || !tenant.ok() || !*tenant) return std::optional<AgentTokenGrant>();
  return std::optional<AgentTokenGrant>(
      AgentTokenGrant{it->second.tenant_id, (*tenant)->zone, it->second.user_id, agent->username,
                      it->second.expires_at, agent->role_id, tenants_.AgentsVersion(it->second.tenant_id)});
}

Status FakeAgentStore::DeleteAgentToken(std::string_view token_hash) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  if (auto it = agent_tokens_.find(token_hash); it != agent_tokens_.end()) agent_tokens_.erase(it);
  return Status::Ok();
}

}  // namespace kefu::store::fake
