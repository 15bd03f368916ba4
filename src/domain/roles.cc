#include "domain/roles.h"

namespace kefu::domain {

const std::vector<RoleView>& SystemRoles() {
  static const std::vector<RoleView> kRoles = {
      {store::kAdminRoleId, "admin", "管理员", "SYSTEM", std::nullopt, std::nullopt, "ENABLE"},
      {store::kAgentRoleId, "agent", "坐席", "SYSTEM", std::nullopt, std::nullopt, "ENABLE"},
  };
  return kRoles;
}

std::string RoleNameOf(const store::Agent& agent) {
  if (agent.role_id == store::kAdminRoleId) return "admin";
  if (agent.role_id == store::kAgentRoleId) return "agent";
  return agent.custom_role_name.value_or("");
}

std::string RolesTextOf(const store::Agent& agent) {
  if (agent.role_id == store::kAgentRoleId) return "agent";
  return RoleNameOf(agent) + ",agent";
}

Result<std::vector<RoleView>> RoleService::List(store::TenantId tenant) {
  auto custom = store_.ListCustomRoles(tenant);
  if (!custom.ok()) return custom.status();
  std::vector<RoleView> out = SystemRoles();
  for (const auto& r : *custom) {
    out.push_back({r.id, r.name, r.description, "CUSTOMIZED", r.created_at_millis,
                   r.updated_at_millis, r.status});
  }
  return out;
}

Result<std::string> RoleService::NameOf(store::TenantId tenant, int64_t id) {
  for (const auto& r : SystemRoles()) {
    if (r.id == id) return r.name;
  }
  auto role = store_.FindCustomRole(tenant, id);
  if (!role.ok()) return role.status();
  if (!*role) return Error(Code::kBadRole, "roleId does not name a role of this tenant");
  return (*role)->name;
}

}  // namespace kefu::domain
