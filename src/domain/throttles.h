// The request limits kefud applies (docs/decisions.md, "Rate limits"): an
// optional quota per tenant, and always-on limits on failed token requests
// per clientId and per client address, against guessing secrets.
#pragma once

#include <memory>

#include "domain/rate_limiter.h"

namespace kefu::domain {

struct ThrottleOptions {
  double tenant_per_second = 0;  // 0: no per-tenant quota (the default)
  double tenant_burst = 0;       // 0: as many as per second
  double token_failures_per_client = 30;    // a minute
  double token_failures_per_address = 300;  // a minute
};

class Throttles {
 public:
  explicit Throttles(const ThrottleOptions& o)
      : tenant_(o.tenant_per_second > 0
                    ? std::make_unique<RateLimiter>(o.tenant_per_second,
                                                    o.tenant_burst > 0 ? o.tenant_burst : o.tenant_per_second)
                    : nullptr),
        client_failures_(o.token_failures_per_client / 60.0, o.token_failures_per_client),
        address_failures_(o.token_failures_per_address / 60.0, o.token_failures_per_address) {}

  // Null when the per-tenant quota is off.
  RateLimiter* tenant() { return tenant_.get(); }
  RateLimiter& client_failures() { return client_failures_; }
  RateLimiter& address_failures() { return address_failures_; }

 private:
  std::unique_ptr<RateLimiter> tenant_;
  RateLimiter client_failures_;
  RateLimiter address_failures_;
};

}  // namespace kefu::domain
