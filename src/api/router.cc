#include "api/router.h"

#include <spdlog/spdlog.h>

#include <cstring>
#include <exception>

#include "api/error_mapping.h"
#include "api/handlers.h"
#include "api/json_writer.h"
#include "api/query_string.h"
#include "api/rate_limit_answers.h"

namespace kefu::api {
namespace {

struct SubPath {
  std::string_view path;
  Endpoint endpoint;
};

constexpr SubPath kTenantPaths[] = {
    {"accessToken", Endpoint::kAccessToken},  {"agents", Endpoint::kAgents},
    {"agent", Endpoint::kAgent},              {"agent/password", Endpoint::kAgentPassword},
    {"agent/disable", Endpoint::kAgentDisable}, {"agent/enable", Endpoint::kAgentEnable},
    {"roles", Endpoint::kRoles},
    {"serviceSessionHistorys", Endpoint::kHistory},
    {"serviceSessionHistorys/import", Endpoint::kHistoryImport},
};

bool MethodAllowed(Endpoint endpoint, std::string_view method) {
  const char* allowed = AllowedMethods(endpoint);
  // `allowed` is a ", "-separated list of upper-case methods.
  std::string_view list(allowed);
  size_t start = 0;
  while (start < list.size()) {
    size_t comma = list.find(", ", start);
    if (list.substr(start, comma - start) == method) return true;
    if (comma == std::string_view::npos) break;
    start = comma + 2;
  }
  return false;
}

}  // namespace

std::optional<RouteMatch> MatchRoute(std::string_view path) {
  if (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  if (path == "/healthz") return RouteMatch{Endpoint::kHealth, {}};

  bool token_only = false;
  if (path.starts_with("/api/tenants/")) {
    path.remove_prefix(std::strlen("/api/tenants/"));
  } else if (path.starts_with("/api/platform/tenants/")) {
    path.remove_prefix(std::strlen("/api/platform/tenants/"));
  } else if (path.starts_with("/api/tenant/")) {
    path.remove_prefix(std::strlen("/api/tenant/"));
    token_only = true;  // the curl example's singular form, for the token only
  } else {
    return std::nullopt;
  }
  size_t slash = path.find('/');
  if (slash == 0 || slash == std::string_view::npos) return std::nullopt;
  std::string_view tenant = path.substr(0, slash);
  std::string_view rest = path.substr(slash + 1);
  for (const auto& sub : kTenantPaths) {
    if (rest != sub.path) continue;
    if (token_only && sub.endpoint != Endpoint::kAccessToken) return std::nullopt;
    return RouteMatch{sub.endpoint, tenant};
  }
  return std::nullopt;
}

Cost CostOfRoute(const std::optional<RouteMatch>& route, std::string_view method) {
  // Refused without the store: 404, 405.
  if (!route || !MethodAllowed(route->endpoint, method)) return Cost::kQuickRead;
  switch (route->endpoint) {
    case Endpoint::kHealth:
    case Endpoint::kAgents:
    case Endpoint::kRoles:
      return Cost::kQuickRead;
    case Endpoint::kHistory:
    case Endpoint::kHistoryImport:
    case Endpoint::kAgentPassword:
      return Cost::kSlow;
    case Endpoint::kAgent:
      return method == "POST" ? Cost::kSlow : Cost::kQuick;
    default:
      return Cost::kQuick;
  }
}

const char* AllowedMethods(Endpoint endpoint) {
  switch (endpoint) {
    case Endpoint::kAccessToken:
      return "POST";
    case Endpoint::kAgent:
      return "POST, PUT, DELETE";
    case Endpoint::kAgentPassword:
    case Endpoint::kAgentDisable:
    case Endpoint::kAgentEnable:
      return "PUT";
    case Endpoint::kHistoryImport:
      return "POST";
    case Endpoint::kHealth:
    case Endpoint::kAgents:
    case Endpoint::kRoles:
    case Endpoint::kHistory:
      return "GET";
  }
  return "GET";
}

ApiResponse Router::Handle(const ApiRequest& request) {
  try {
    return Dispatch(request);
  } catch (const std::exception& e) {
    spdlog::error("unexpected exception on {} {}: {}", request.method, SplitTarget(request.target).first, e.what());
  } catch (...) {
    spdlog::error("unexpected exception on {} {}", request.method, SplitTarget(request.target).first);
  }
  return ErrorResponse(Error(Code::kInternal));
}

Cost Router::CostOf(const ApiRequest& request) {
  auto route = MatchRoute(SplitTarget(request.target).first);
  const Cost cost = CostOfRoute(route, request.method);
  if (cost == Cost::kQuickRead && route && route->endpoint == Endpoint::kAgents) {
    auto tenant = domain::ParseTenantId(route->tenant);
    if (tenant && !services_.agents.SearchesInMemory(*tenant)) return Cost::kQuick;
  }
  return cost;
}

ApiResponse Router::Dispatch(const ApiRequest& request) {
  auto [path, query_text] = SplitTarget(request.target);
  auto route = MatchRoute(path);
  if (!route) return ErrorResponse(Error(Code::kNoSuchEndpoint, "no endpoint has this path"));
  if (!MethodAllowed(route->endpoint, request.method)) {
    ApiResponse r = ErrorResponse(Error(Code::kMethodNotAllowed,
                                        std::string("this path answers ") + AllowedMethods(route->endpoint)));
    r.headers.emplace_back("Allow", AllowedMethods(route->endpoint));
    return r;
  }
  if (route->endpoint == Endpoint::kHealth) {
    Status ready = services_.health.Ready();
    return ready.ok() ? OkResponse() : ErrorResponse(ready);
  }
  if (route->endpoint == Endpoint::kAccessToken) return IssueToken(services_, request, route->tenant);

  auto grant = services_.tokens.Authenticate(request.token, route->tenant);
  if (!grant.ok()) return ErrorResponse(grant.status());
  QueryString query(query_text);
  TenantRequest r{request, query, *grant};
  domain::RateLimiter* quota = services_.throttles.tenant();
  if (!quota) return DispatchTenant(route->endpoint, r);
  // The tenant's quota (serve --rate-limit), charged only to requests that
  // proved they come from the tenant.
  auto d = quota->Take(std::to_string(grant->tenant_id));
  ApiResponse answer = d.allowed ? DispatchTenant(route->endpoint, r)
                                 : TooManyRequests(d.retry_after_seconds,
                                                   "the tenant's request rate limit is reached");
  AddQuotaHeaders(answer, d, quota->limit());
  return answer;
}

ApiResponse Router::DispatchTenant(Endpoint endpoint, const TenantRequest& r) {
  const ApiRequest& request = r.request;
  // Once for every endpoint, before any handler or store reads a parameter.
  if (Status text = r.query.CheckText(); !text.ok()) return ErrorResponse(text);
  switch (endpoint) {
    case Endpoint::kAgents:
      return SearchAgents(services_, r);
    case Endpoint::kAgent:
      if (request.method == "POST") return AddAgent(services_, r);
      if (request.method == "PUT") return UpdateAgent(services_, r);
      return DeleteAgent(services_, r);
    case Endpoint::kAgentPassword:
      return ChangeAgentPassword(services_, r);
    case Endpoint::kAgentDisable:
      return DisableAgent(services_, r);
    case Endpoint::kAgentEnable:
      return EnableAgent(services_, r);
    case Endpoint::kRoles:
      return ListRoles(services_, r);
    case Endpoint::kHistory:
      return QueryHistory(services_, r);
    case Endpoint::kHistoryImport:
      return ImportHistory(services_, r);
    case Endpoint::kHealth:
    case Endpoint::kAccessToken:
      break;
  }
  return ErrorResponse(Error(Code::kInternal));
}

}  // namespace kefu::api
