// Tenants, their credential pairs and the access tokens issued from them
// (CONTRACT §1).
//
// Every method is safe to call from several threads at once and may block.
// A failure of the database itself (locked too long, I/O error, unreachable)
// returns kStoreUnavailable and changes nothing; every write is one
// transaction. Token digests and secret digests are raw SHA-256 bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "store/records.h"

namespace kefu::store {

class TenantStore {
 public:
  virtual ~TenantStore() = default;

  // ---- tenants ----
  // Creates an enabled tenant created at `now`; with no id, the next after the
  // largest (1 for the first). kInvalidParam if the id is taken.
  virtual Result<Tenant> CreateTenant(std::optional<TenantId> id, const std::string& name,
                                      TimeZone zone, int64_t now) = 0;
  // The tenant, or nullopt if there is none with this id.
  virtual Result<std::optional<Tenant>> FindTenant(TenantId id) = 0;
  // Every tenant, by id.
  virtual Result<std::vector<Tenant>> ListTenants() = 0;

  // ---- credentials and tokens ----
  // Stores the pair as given. kInvalidParam if the tenant does not exist or
  // the clientId is taken.
  virtual Status AddCredential(const Credential& credential) = 0;
  // A credential by clientId, revoked or not; nullopt if unknown.
  virtual Result<std::optional<Credential>> FindCredential(std::string_view client_id) = 0;
  // Marks the credential revoked (at the first revocation's `now`) and
  // deletes every token issued from it, in one transaction. kInvalidParam if
  // no such clientId. Revoking twice is not an error.
  virtual Status RevokeCredential(std::string_view client_id, int64_t now) = 0;
  // Stores a token digest issued from a live credential, valid while
  // now < expires_at; fails with kBadCredential if the credential is unknown
  // or was revoked meanwhile. Expired tokens of the same credential are swept
  // in the same transaction.
  virtual Status InsertToken(std::string_view token_hash, std::string_view client_id,
                             TenantId tenant_id, int64_t expires_at, int64_t now) = 0;
  // The grant of a token digest with expires_at > now (its tenant, the
  // tenant's zone and current agents_version), or nullopt if unknown,
  // expired or revoked.
  virtual Result<std::optional<TokenGrant>> FindToken(std::string_view token_hash,
                                                      int64_t now) = 0;
};

}  // namespace kefu::store
