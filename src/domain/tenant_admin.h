// What operators do from the command line (CONTRACT §1, §9): tenants,
// credential pairs and custom roles. Secrets are returned once and stored
// only as digests.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/clock.h"
#include "store/agent_store.h"
#include "store/store.h"
#include "store/tenant_store.h"

namespace kefu::domain {

// A fresh credential pair, shown to the operator once.
struct IssuedCredential {
  store::TenantId tenant_id = 0;
  std::string client_id;
  std::string secret_id;
};

class TenantAdmin {
 public:
  // Tenants and credentials in `tenants`, custom roles in `roles`; creation
  // times from `clock`.
  TenantAdmin(store::TenantStore& tenants, store::AgentStore& roles,
              const Clock& clock = SystemClock())
      : tenants_(tenants), roles_(roles), clock_(clock) {}
  explicit TenantAdmin(store::Store& store) : TenantAdmin(store, store) {}

  // A tenant with one credential pair. `zone` like "UTC+8"; kInvalidParam for
  // a bad zone, an id outside 1..2^31-1 or one already taken.
  Result<IssuedCredential> CreateTenant(const std::string& name, std::optional<int64_t> id,
                                        const std::string& zone);
  Result<std::vector<store::Tenant>> ListTenants();
  // Another pair for an existing tenant (rotation).
  Result<IssuedCredential> AddCredential(store::TenantId tenant);
  // Stores a given pair (the demo's published one).
  Status AddKnownCredential(store::TenantId tenant, const std::string& client_id,
                            const std::string& secret_id);
  Status RevokeCredential(const std::string& client_id);
  // A custom role; the name must be new in the tenant and not a system role's.
  Result<store::CustomRole> CreateRole(store::TenantId tenant, const std::string& name,
                                       const std::optional<std::string>& description);

 private:
  Status RequireTenant(store::TenantId tenant);
  store::TenantStore& tenants_;
  store::AgentStore& roles_;
  const Clock& clock_;
};

}  // namespace kefu::domain
