// Roles: the two system roles every tenant has, and the tenant's custom roles
// from the store (CONTRACT §1, §5).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/agent_store.h"

namespace kefu::domain {

// A role as the roles endpoint lists it. Timestamps are null for system roles.
struct RoleView {
  int64_t id = 0;
  std::string name;
  std::optional<std::string> description;
  std::string type;  // "SYSTEM" or "CUSTOMIZED"
  std::optional<int64_t> created_at_millis;
  std::optional<int64_t> updated_at_millis;
  std::string status = "ENABLE";
};

// The system roles, ids 1 and 2.
const std::vector<RoleView>& SystemRoles();

// The name of an agent's role ("admin", "agent" or the custom role's name).
std::string RoleNameOf(const store::Agent& agent);

// The agent's `roles` text: "agent" for role 2, else "<name>,agent".
std::string RolesTextOf(const store::Agent& agent);

class RoleService {
 public:
  explicit RoleService(store::AgentStore& store) : store_(store) {}

  // System roles, then custom roles by id.
  Result<std::vector<RoleView>> List(store::TenantId tenant);

  // The name of role `id` if it is a role of `tenant`; kBadRole otherwise.
  Result<std::string> NameOf(store::TenantId tenant, int64_t id);

 private:
  store::AgentStore& store_;
};

}  // namespace kefu::domain
