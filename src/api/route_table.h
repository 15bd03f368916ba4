// Routing derived from a route table (api/handlers.h's Route, api/routes.cc):
// 404, 405 with Allow, the trailing slash and the path aliases of CONTRACT §2,
// matched once per request.
//
// A pattern is a path of literal segments and named parameters:
// "/api/tenants/{tenantId}/agent" matches "/api/tenants/42/agent" with
// tenantId = "42". A last segment "{name...}" takes the rest of the path
// (one segment or more, slashes included).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "api/api_types.h"

namespace kefu::api {

// Who may call a route. The gate (api/router.cc) checks it before the
// handler runs, so a handler never sees an unauthenticated caller. (The live
// endpoints add agent, visitor and admin tokens here, LIVE §4, §5, §7.)
enum class Access {
  kPublic,  // nobody needed: /healthz, the token endpoint
  kTenant,  // the tenant's Kefu-Token, for the {tenantId} of the path
  kAgent,   // an agent's Agent-Token (LIVE §4), for the agent's own tenant
  kVisitor, // a visitor's Visitor-Token (LIVE §5), for its own thread
};

// A path prefix that answers as another (CONTRACT §2: every /api/tenants/…
// path also answers under /api/platform/tenants/…).
struct PathAlias {
  std::string_view prefix;
  std::string_view same_as;
};

// Matching paths against a table's patterns; knows nothing of the handlers.
class PathMatcher {
 public:
  PathMatcher(std::vector<std::pair<std::string_view, std::string_view>> method_and_pattern,
              std::vector<PathAlias> aliases);

  struct Found {
    int route = -1;  // the route of this method and path, -1 if none
    // The methods of every route whose pattern matches the path, ", "-joined
    // in table order: empty means no route has the path (404); otherwise a
    // request with another method is 405 and this is its Allow header.
    std::string allow;
    std::vector<std::pair<std::string_view, std::string>> params;
  };
  // `path` without its query; a trailing slash is ignored.
  Found Match(std::string_view method, std::string_view path) const;

 private:
  struct Compiled {
    std::string_view method;
    std::vector<std::string_view> segments;  // "{name}" for parameters
  };
  bool MatchSegments(const Compiled& route, const std::vector<std::string_view>& path,
                     std::vector<std::pair<std::string_view, std::string>>* params) const;

  std::vector<Compiled> routes_;
  std::vector<PathAlias> aliases_;
};

// The value of parameter `name` in a match ("" if the pattern has none).
std::string_view ParamOf(const std::vector<std::pair<std::string_view, std::string>>& params,
                         std::string_view name);

}  // namespace kefu::api
