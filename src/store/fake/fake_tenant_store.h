// The TenantStore of unit tests: tenants, credentials and tokens in maps,
// keeping tenant_store.h's contract (token expiry, revocation deleting the
// credential's tokens, the sweep of expired tokens). Thread-safe: one mutex.
//
// A tenant's agents_version lives here, as it lives in the tenants table of
// the real stores; FakeAgentStore moves it on every change to the agents.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "store/fake/injected_failure.h"
#include "store/tenant_store.h"

namespace kefu::store::fake {

class FakeTenantStore final : public TenantStore {
 public:
  Result<Tenant> CreateTenant(std::optional<TenantId> id, const std::string& name, TimeZone zone,
                              int64_t now) override;
  Result<std::optional<Tenant>> FindTenant(TenantId id) override;
  Result<std::vector<Tenant>> ListTenants() override;

  Status AddCredential(const Credential& credential) override;
  Result<std::optional<Credential>> FindCredential(std::string_view client_id) override;
  Status RevokeCredential(std::string_view client_id, int64_t now) override;
  Status InsertToken(std::string_view token_hash, std::string_view client_id, TenantId tenant_id,
                     int64_t expires_at, int64_t now) override;
  Result<std::optional<TokenGrant>> FindToken(std::string_view token_hash, int64_t now) override;

  // ---- for tests and the other fakes ----
  // Every call above fails with `status` until FailWith(Status::Ok()).
  void FailWith(Status status) { failure_.Set(std::move(status)); }
  // Tokens held, expired or not (the sweep and revocation delete them).
  size_t TokenCount() const;
  bool HasTenant(TenantId id) const;
  // The tenant's agents_version (0 for an unknown tenant); the bump is a
  // no-op for an unknown tenant.
  int64_t AgentsVersion(TenantId id) const;
  void BumpAgentsVersion(TenantId id);

 private:
  struct StoredTenant {
    Tenant tenant;
    int64_t agents_version = 0;
  };
  struct StoredToken {
    std::string client_id;
    TenantId tenant_id = 0;
    int64_t expires_at = 0;
  };

  InjectedFailure failure_;
  mutable std::mutex mu_;
  std::map<TenantId, StoredTenant> tenants_;
  std::map<std::string, Credential, std::less<>> credentials_;
  std::map<std::string, StoredToken, std::less<>> tokens_;  // by digest
};

}  // namespace kefu::store::fake
