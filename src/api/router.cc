#include "api/router.h"

#include <spdlog/spdlog.h>

#include <exception>

#include "api/error_mapping.h"
#include "api/query_string.h"
#include "api/rate_limit_answers.h"
#include "common/limits.h"

namespace kefu::api {
namespace {

std::vector<std::pair<std::string_view, std::string_view>> Patterns(const std::vector<Route>& routes) {
  std::vector<std::pair<std::string_view, std::string_view>> out;
  for (const auto& r : routes) out.emplace_back(r.method, r.pattern);
  return out;
}

}  // namespace

Router::Router(Services services)
    : services_(services), matcher_(Patterns(ApiRoutes()), ApiPathAliases()) {}

RouteMatch Router::Match(const ApiRequest& request) {
  auto found = matcher_.Match(request.method, SplitTarget(request.target).first);
  RouteMatch match;
  if (found.route < 0) {  // refused without the store: a quick read
    match.allow = std::move(found.allow);
    return match;
  }
  const Route& route = ApiRoutes()[found.route];
  match.route = found.route;
  match.params = std::move(found.params);
  match.cost = route.refine_cost ? route.refine_cost(services_, match) : route.cost;
  return match;
}

ApiResponse Router::Answer(const ApiRequest& request, const RouteMatch& match) {
  try {
    return Dispatch(request, match);
  } catch (const std::exception& e) {
    spdlog::error("unexpected exception on {} {}: {}", request.method, SplitTarget(request.target).first, e.what());
  } catch (...) {
    spdlog::error("unexpected exception on {} {}", request.method, SplitTarget(request.target).first);
  }
  return ErrorResponse(Error(Code::kInternal));
}

ApiResponse Router::Refused(const RouteMatch& match) {
  if (match.allow.empty()) return ErrorResponse(Error(Code::kNoSuchEndpoint, "no endpoint has this path"));
  ApiResponse r = ErrorResponse(Error(Code::kMethodNotAllowed, "this path answers " + match.allow));
  r.headers.emplace_back("Allow", match.allow);
  return r;
}

ApiResponse Router::Dispatch(const ApiRequest& request, const RouteMatch& match) {
  if (match.route < 0) return Refused(match);
  const Route& route = ApiRoutes()[match.route];
  QueryString query(SplitTarget(request.target).second);
  Call call{request, query, match, {}};
  if (route.access == Access::kPublic) return Run(route, call);

  // Access::kTenant: the Kefu-Token (API_002), for the path's tenant (API_003).
  auto grant = services_.tokens.Authenticate(request.token, call.Param("tenantId"));
  if (!grant.ok()) return ErrorResponse(grant.status());
  call.grant = *grant;
  domain::RateLimiter* quota = services_.throttles.tenant();
  if (!quota) return RunCapped(route, call);
  // The tenant's quota (serve --rate-limit), charged only to requests that
  // proved they come from the tenant.
  auto d = quota->Take(std::to_string(grant->tenant_id));
  ApiResponse answer = d.allowed ? RunCapped(route, call)
                                 : TooManyRequests(d.retry_after_seconds,
                                                   "the tenant's request rate limit is reached");
  AddQuotaHeaders(answer, d, quota->limit());
  return answer;
}

ApiResponse Router::RunCapped(const Route& route, const Call& call) {
  domain::TenantConcurrency* cap = route.heavy ? services_.throttles.heavy() : nullptr;
  if (!cap) return Run(route, call);
  auto slot = cap->TryEnter(call.grant.tenant_id);  // held until the answer is made
  if (!slot) {
    return TooManyRequests(limits::kHeavyQueryRetryAfter.count(),
                           "the tenant already has " + std::to_string(cap->per_tenant()) +
                               " history queries or imports in progress on this server");
  }
  return Run(route, call);
}

ApiResponse Router::Run(const Route& route, const Call& call) {
  // Once for every route, before any handler or store reads a parameter.
  if (Status text = call.query.CheckText(); !text.ok()) return ErrorResponse(text);
  return route.handler(services_, call);
}

}  // namespace kefu::api
