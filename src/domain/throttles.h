// The request limits kefud applies (docs/decisions.md, "Rate limits"): an
// optional quota per tenant, a cap on each tenant's heavy requests in flight,
// and always-on limits on failed token requests
// against guessing secrets, built so that a stranger who knows a clientId
// (it is not secret) can never lock its owner out.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "domain/rate_limiter.h"
#include "domain/tenant_concurrency.h"

namespace kefu::domain {

struct ThrottleOptions {
  double tenant_per_second = 0;  // 0: no per-tenant quota (the default)
  double tenant_burst = 0;       // 0: as many as per second
  // Failed token requests a minute: per clientId from one address, and the
  // ceiling for a clientId from every address together.
  double token_failures_per_client = 30;
  double token_failures_per_address = 300;  // a minute, whatever the clientId
  // History queries and imports of one tenant in flight at once (0: no cap).
  int heavy_per_tenant = 0;
  // Visitor entries (POST …/visitors) a minute from one address: each may
  // make a visitor, so a stranger cannot fill the store.
  double visitor_entries_per_address = 120;
};

class Throttles {
 public:
  using Clock = RateLimiter::Clock;

  explicit Throttles(const ThrottleOptions& o);

  // Null when the per-tenant quota is off.
  RateLimiter* tenant() { return tenant_.get(); }
  // Null when there is no cap on a tenant's heavy requests in flight.
  TenantConcurrency* heavy() { return heavy_.get(); }

  // Whether a token request for `client_id` ("" when the body names none)
  // from `address` may be checked at all. Refused (API_429, before anything
  // else, even with the right secret) when the address has failed too often
  // for any clientId, or for this clientId; and, while the clientId's
  // ceiling is reached, when this address has recent failures for it. An
  // address with no failures for the clientId is always checked, so its
  // owner still gets tokens while strangers guess from elsewhere.
  RateLimiter::Decision AdmitTokenRequest(std::string_view client_id, std::string_view address,
                                          Clock::time_point now = Clock::now());

  // Counts a failed guess: an unknown tenant (no clientId) or a wrong pair.
  void CountTokenFailure(std::string_view client_id, std::string_view address,
                         Clock::time_point now = Clock::now());

  // Takes one visitor entry from `address`'s minute, if it has one left.
  RateLimiter::Decision AdmitVisitorEntry(std::string_view address, Clock::time_point now = Clock::now());

 private:
  std::unique_ptr<RateLimiter> tenant_;
  std::unique_ptr<TenantConcurrency> heavy_;
  RateLimiter client_failures_;          // by clientId: the ceiling
  RateLimiter client_address_failures_;  // by (clientId, address)
  RateLimiter address_failures_;         // by address
  RateLimiter visitor_entries_;          // by address
};

}  // namespace kefu::domain
