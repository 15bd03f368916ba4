// Routing (CONTRACT §2) and the one tenancy gate: every endpoint but the
// token's checks Kefu-Token and the path's tenant before its handler runs.
#pragma once

#include <optional>
#include <string_view>

#include "api/api_types.h"
#include "api/services.h"

namespace kefu::api {

enum class Endpoint {
  kHealth,
  kAccessToken,
  kAgents,
  kAgent,
  kAgentPassword,
  kAgentDisable,
  kAgentEnable,
  kRoles,
  kHistory,
  kHistoryImport,
};

struct RouteMatch {
  Endpoint endpoint;
  std::string_view tenant;  // the raw {tenantId} segment; empty for /healthz
};

// Matches a path (no query string) on both prefixes, with a trailing slash
// ignored; nullopt if no endpoint has that path.
std::optional<RouteMatch> MatchRoute(std::string_view path);

// What a request to `route` with `method` costs (nullopt: no endpoint),
// counting every agent search as a quick read (Router::CostOf knows better).
Cost CostOfRoute(const std::optional<RouteMatch>& route, std::string_view method);

// The methods an endpoint answers, for routing and for the Allow header.
const char* AllowedMethods(Endpoint endpoint);

struct TenantRequest;  // handlers.h

class Router {
 public:
  explicit Router(Services services) : services_(services) {}

  // Answers any request; never throws (an unexpected exception is API_500).
  ApiResponse Handle(const ApiRequest& request);

  // What answering `request` costs: as CostOfRoute, except that the agent
  // search of a tenant whose roster is too large to keep in memory goes to
  // the store and is only kQuick.
  Cost CostOf(const ApiRequest& request);

 private:
  ApiResponse Dispatch(const ApiRequest& request);
  ApiResponse DispatchTenant(Endpoint endpoint, const TenantRequest& r);
  Services services_;
};

}  // namespace kefu::api
