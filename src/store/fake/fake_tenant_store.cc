#include "store/fake/fake_tenant_store.h"

#include <iterator>

namespace kefu::store::fake {

Result<Tenant> FakeTenantStore::CreateTenant(std::optional<TenantId> id, const std::string& name,
                                             TimeZone zone, int64_t now) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  Tenant t{0, name, zone, "Enable", now};
  if (id) {
    if (tenants_.contains(*id)) return Error(Code::kInvalidParam, "tenant id already exists");
    t.id = *id;
  } else {
    t.id = tenants_.empty() ? 1 : std::prev(tenants_.end())->first + 1;
  }
  tenants_[t.id] = StoredTenant{t, 0};
  return t;
}

Result<std::optional<Tenant>> FakeTenantStore::FindTenant(TenantId id) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  auto it = tenants_.find(id);
  if (it == tenants_.end()) return std::optional<Tenant>();
  return std::optional<Tenant>(it->second.tenant);
}

Result<std::vector<Tenant>> FakeTenantStore::ListTenants() {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  std::vector<Tenant> out;
  for (const auto& [id, stored] : tenants_) out.push_back(stored.tenant);
  return out;
}

Status FakeTenantStore::AddCredential(const Credential& c) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  if (!tenants_.contains(c.tenant_id)) return Error(Code::kInvalidParam, "no such tenant");
  if (credentials_.contains(c.client_id)) return Error(Code::kInvalidParam, "clientId taken");
  credentials_[c.client_id] = c;
  return Status::Ok();
}

Result<std::optional<Credential>> FakeTenantStore::FindCredential(std::string_view client_id) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  auto it = credentials_.find(client_id);
  if (it == credentials_.end()) return std::optional<Credential>();
  return std::optional<Credential>(it->second);
}

Status FakeTenantStore::RevokeCredential(std::string_view client_id, int64_t now) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  auto it = credentials_.find(client_id);
  if (it == credentials_.end()) return Error(Code::kInvalidParam, "no such clientId");
  it->second.revoked = true;
  std::erase_if(tokens_, [&](const auto& t) { return t.second.client_id == client_id; });
  return Status::Ok();
}

Status FakeTenantStore::InsertToken(std::string_view token_hash, std::string_view client_id,
                                    TenantId tenant_id, int64_t expires_at, int64_t now) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  auto it = credentials_.find(client_id);
  if (it == credentials_.end() || it->second.revoked) {
    return Error(Code::kBadCredential, "credential revoked");
  }
  std::erase_if(tokens_, [&](const auto& t) {
    return t.second.client_id == client_id && t.second.expires_at <= now;
  });
  tokens_[std::string(token_hash)] = StoredToken{std::string(client_id), tenant_id, expires_at};
  return Status::Ok();
}

Result<std::optional<TokenGrant>> FakeTenantStore::FindToken(std::string_view token_hash,
                                                             int64_t now) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  auto token = tokens_.find(token_hash);
  if (token == tokens_.end() || token->second.expires_at <= now) return std::optional<TokenGrant>();
  auto tenant = tenants_.find(token->second.tenant_id);
  if (tenant == tenants_.end()) return std::optional<TokenGrant>();
  return std::optional<TokenGrant>(
      TokenGrant{tenant->first, tenant->second.tenant.zone, tenant->second.agents_version});
}

size_t FakeTenantStore::TokenCount() const {
  std::lock_guard lock(mu_);
  return tokens_.size();
}

bool FakeTenantStore::HasTenant(TenantId id) const {
  std::lock_guard lock(mu_);
  return tenants_.contains(id);
}

int64_t FakeTenantStore::AgentsVersion(TenantId id) const {
  std::lock_guard lock(mu_);
  auto it = tenants_.find(id);
  return it == tenants_.end() ? 0 : it->second.agents_version;
}

void FakeTenantStore::BumpAgentsVersion(TenantId id) {
  std::lock_guard lock(mu_);
  auto it = tenants_.find(id);
  if (it != tenants_.end()) ++it->second.agents_version;
}

}  // namespace kefu::store::fake
