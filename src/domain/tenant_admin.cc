#include "domain/tenant_admin.h"

#include <fmt/format.h>

#include "common/crypto.h"
#include "common/limits.h"
#include "domain/roles.h"

namespace kefu::domain {

Status TenantAdmin::RequireTenant(store::TenantId tenant) {
  auto found = tenants_.FindTenant(tenant);
  if (!found.ok()) return found.status();
  if (!*found) return Error(Code::kInvalidParam, fmt::format("no tenant {}", tenant));
  return Status::Ok();
}

Result<IssuedCredential> TenantAdmin::CreateTenant(const std::string& name,
                                                   std::optional<int64_t> id,
                                                   const std::string& zone_text) {
  if (name.empty()) return Error(Code::kInvalidParam, "the tenant name must not be empty");
  auto zone = ParseTimeZone(zone_text);
  if (!zone) {
    return Error(Code::kInvalidParam,
                 fmt::format("unknown time zone '{}' (expected e.g. UTC+8, UTC-5, UTC+5:30)", zone_text));
  }
  if (id && (*id < 1 || *id > limits::kMaxTenantId)) {
    return Error(Code::kInvalidParam, fmt::format("tenant id must be 1 to {}", limits::kMaxTenantId));
  }
  auto tenant = tenants_.CreateTenant(id, name, *zone, clock_.NowSeconds());
  if (!tenant.ok()) {
    if (tenant.status().code() == Code::kInvalidParam && id) {
      return Error(Code::kInvalidParam, fmt::format("tenant {} already exists", *id));
    }
    return tenant.status();
  }
  return AddCredential(tenant->id);
}

Result<std::vector<store::Tenant>> TenantAdmin::ListTenants() { return tenants_.ListTenants(); }

Result<IssuedCredential> TenantAdmin::AddCredential(store::TenantId tenant) {
  IssuedCredential c{tenant, NewUuidV4(), NewUuidV4()};
  KEFU_RETURN_IF_ERROR(AddKnownCredential(tenant, c.client_id, c.secret_id));
  return c;
}

Status TenantAdmin::AddKnownCredential(store::TenantId tenant, const std::string& client_id,
                                       const std::string& secret_id) {
  KEFU_RETURN_IF_ERROR(RequireTenant(tenant));
  Status s = tenants_.AddCredential(
      store::Credential{client_id, tenant, Sha256(secret_id), clock_.NowSeconds(), false});
  if (s.code() == Code::kInvalidParam) {
    return Error(Code::kInvalidParam, fmt::format("could not add clientId {}: {}", client_id, s.detail()));
  }
  return s;
}

Status TenantAdmin::RevokeCredential(const std::string& client_id) {
  Status s = tenants_.RevokeCredential(client_id, clock_.NowSeconds());
  if (s.code() == Code::kInvalidParam) {
    return Error(Code::kInvalidParam, fmt::format("no credential with clientId {}", client_id));
  }
  return s;
}

Result<store::CustomRole> TenantAdmin::CreateRole(store::TenantId tenant, const std::string& name,
                                                  const std::optional<std::string>& description) {
  if (name.empty()) return Error(Code::kInvalidParam, "the role name must not be empty");
  for (const auto& r : SystemRoles()) {
    if (r.name == name) {
      return Error(Code::kInvalidParam, fmt::format("'{}' is a system role's name", name));
    }
  }
  KEFU_RETURN_IF_ERROR(RequireTenant(tenant));
  store::CustomRole role;
  role.name = name;
  role.description = description;
  role.created_at_millis = role.updated_at_millis = clock_.NowMillis();
  auto created = roles_.CreateCustomRole(tenant, role);
  if (!created.ok() && created.status().code() == Code::kInvalidParam) {
    return Error(Code::kInvalidParam, fmt::format("tenant {} already has a role '{}'", tenant, name));
  }
  return created;
}

}  // namespace kefu::domain
