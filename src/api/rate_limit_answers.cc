#include "api/rate_limit_answers.h"

#include "api/error_mapping.h"

namespace kefu::api {

ApiResponse TooManyRequests(long retry_after_seconds, std::string detail) {
  ApiResponse r = ErrorResponse(Error(Code::kTooManyRequests, std::move(detail)));
  r.headers.emplace_back("Retry-After", std::to_string(retry_after_seconds));
  return r;
}

void AddQuotaHeaders(ApiResponse& response, const domain::RateLimiter::Decision& d, long limit) {
  response.headers.emplace_back("X-RateLimit-Limit", std::to_string(limit));
  response.headers.emplace_back("X-RateLimit-Remaining", std::to_string(d.remaining));
  response.headers.emplace_back("X-RateLimit-Reset", std::to_string(d.reset_seconds));
}

}  // namespace kefu::api
