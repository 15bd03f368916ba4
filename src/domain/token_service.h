// Issuing access tokens and checking them on every request (CONTRACT §1).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "domain/clock.h"
#include "domain/raw_field.h"
#include "store/tenant_store.h"

namespace kefu::domain {

// The path's {tenantId}: a decimal 1..2^31-1, else nullopt (names no tenant).
std::optional<store::TenantId> ParseTenantId(std::string_view text);

struct TokenRequest {
  RawField client_id;
  RawField secret_id;
  RawField tenant_id;
};

struct IssuedToken {
  std::string token;
  int64_t expire_seconds = 0;
};

class TokenService {
 public:
  // Tokens live `ttl_seconds` by `clock`.
  TokenService(store::TenantStore& store, int64_t ttl_seconds, const Clock& clock = SystemClock())
      : store_(store), ttl_(ttl_seconds), clock_(clock) {}

  // Checks, in order: the path tenant exists (API_003), the body (API_001,
  // already failed when the body was not a JSON object), clientId/secretId
  // present, a body tenantId equal to the path's (API_001), then the pair
  // (API_004). The token is stored only as a digest.
  Result<IssuedToken> Issue(std::string_view path_tenant, const Result<TokenRequest>& body);

  // The grant of a `Kefu-Token` for a path tenant: API_002 if missing,
  // unknown or expired; API_003 if it belongs to another tenant.
  Result<store::TokenGrant> Authenticate(std::optional<std::string_view> token,
                                         std::string_view path_tenant);

 private:
  store::TenantStore& store_;
  int64_t ttl_;
  const Clock& clock_;
};

}  // namespace kefu::domain
