// How the limits of domain::Throttles show on the wire: API_429 with
// Retry-After, and the X-RateLimit-* headers of the per-tenant quota.
#pragma once

#include <string>

#include "api/api_types.h"
#include "domain/rate_limiter.h"

namespace kefu::api {

// API_429 (429) with `Retry-After: seconds`.
ApiResponse TooManyRequests(long retry_after_seconds, std::string detail);

// X-RateLimit-Limit (the burst), X-RateLimit-Remaining (requests left now)
// and X-RateLimit-Reset (seconds until the bucket is full again).
void AddQuotaHeaders(ApiResponse& response, const domain::RateLimiter::Decision& d, long limit);

}  // namespace kefu::api
