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
    : services_(services), matcher_(Patterns(Routes()), ApiPathAliases()) {}

RouteMatch Router::Match(const ApiRequest& request) {
  auto found = matcher_.Match(request.method, SplitTarget(request.target).first);
  RouteMatch match;
  if (found.route < 0) {  // refused without the store: a quick read
    match.allow = std::move(found.allow);
    return match;
  }
  const Route& route = Routes()[found.route];
  match.route = found.route;
  match.params = std::move(found.params);
  match.cost = route.refine_cost ? route.refine_cost(services_, match) : route.cost;
  match.websocket = route.open_socket != nullptr;
  return match;
}

std::optional<ApiResponse> Router::Admit(const ApiRequest& head, const RouteMatch& match) {
  std::optional<ApiResponse> refusal;
  ApiResponse answer = Guarded(head, [&] {
    if (match.route < 0) return Refused(match);
    const Route& route = Routes()[match.route];
    if (route.access == Access::kPublic) return ApiResponse{};
    auto caller = AuthenticateCaller(route, head, ParamOf(match.params, "tenantId"));
    return caller.ok() ? ApiResponse{} : ErrorResponse(caller.status());
  });
  if (answer.status != 200) refusal = std::move(answer);
  return refusal;
}

ApiResponse Router::Answer(const ApiRequest& request, const RouteMatch& match) {
  return Guarded(request, [&] {
    return Dispatch(request, match, [this](const Route& route, const Call& call) {
      // A WebSocket route answers only upgrades (the transport refuses the rest first).
      if (!route.handler) return ErrorResponse(Error(Code::kUpgradeRequired, "this path speaks WebSocket only"));
      return route.handler(services_, call);
    });
  });
}

SocketOpening Router::OpenSocket(const ApiRequest& request, const RouteMatch& match,
                                 std::shared_ptr<SocketPeer> peer) {
  SocketOpening opening;
  opening.refusal = Guarded(request, [&] {
    return Dispatch(request, match, [&](const Route& route, const Call& call) {
      if (!route.open_socket) return ErrorResponse(Error(Code::kNoSuchEndpoint, "no socket has this path"));
      opening.handler = route.open_socket(services_, call, std::move(peer));
      if (!opening.handler) return ErrorResponse(Error(Code::kInternal));
      ApiResponse switching;
      switching.status = 101;  // not sent: the transport answers the handshake
      return switching;
    });
  });
  return opening;
}

ApiResponse Router::Guarded(const ApiRequest& request, const std::function<ApiResponse()>& fn) {
  try {
    return fn();
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

ApiResponse Router::Dispatch(const ApiRequest& request, const RouteMatch& match, const Runner& run) {
  if (match.route < 0) return Refused(match);
  const Route& route = Routes()[match.route];
  QueryString query(SplitTarget(request.target).second);
  Call call{request, query, match, {}, {}, {}};
  if (route.access == Access::kPublic) return Run(route, call, run);

  auto caller = AuthenticateCaller(route, request, call.Param("tenantId"));
  if (!caller.ok()) return ErrorResponse(caller.status());
  call.grant = caller->grant;
  call.agent = std::move(caller->agent);
  call.visitor = std::move(caller->visitor);
  domain::RateLimiter* quota = services_.throttles.tenant();
  if (!quota) return RunCapped(route, call, run);
  // The tenant's quota (serve --rate-limit), charged only to requests that
  // proved they come from the tenant.
  auto d = quota->Take(std::to_string(call.grant.tenant_id));
  ApiResponse answer = d.allowed ? RunCapped(route, call, run)
                                 : TooManyRequests(d.retry_after_seconds,
                                                   "the tenant's request rate limit is reached");
  AddQuotaHeaders(answer, d, quota->limit());
  return answer;
}

Result<Router::Caller> Router::AuthenticateCaller(const Route& route, const ApiRequest& request,
                                                  std::string_view path_tenant) {
  if (route.access == Access::kAgent) {
    // The Agent-Token (API_002), which names its tenant.
    auto agent = services_.logins.Authenticate(request.Header("Agent-Token"));
    if (!agent.ok()) return agent.status();
    return Caller{store::TokenGrant{agent->tenant_id, agent->zone, agent->agents_version}, *agent, {}};
  }
  if (route.access == Access::kVisitor) {
    // The Visitor-Token (API_002), which names its tenant and thread.
    auto visitor = services_.visitors.Authenticate(request.Header("Visitor-Token"));
    if (!visitor.ok()) return visitor.status();
    return Caller{store::TokenGrant{visitor->tenant_id, visitor->zone, 0}, {}, *visitor};
  }
  // Access::kTenant: the Kefu-Token, or when there is none an admin agent's
  // Agent-Token (LIVE §5); API_002, and API_003 for another tenant's path.
  if (!request.token) {
    if (auto agent_token = request.Header("Agent-Token")) {
      auto grant = services_.logins.AuthenticateAdmin(agent_token, path_tenant);
      if (!grant.ok()) return grant.status();
      return Caller{*grant, {}, {}};
    }
  }
  auto grant = services_.tokens.Authenticate(request.token, path_tenant);
  if (!grant.ok()) return grant.status();
  return Caller{*grant, {}, {}};
}

ApiResponse Router::RunCapped(const Route& route, const Call& call, const Runner& run) {
  domain::TenantConcurrency* cap = route.heavy ? services_.throttles.heavy() : nullptr;
  if (!cap) return Run(route, call, run);
  auto slot = cap->TryEnter(call.grant.tenant_id);  // held until the answer is made
  if (!slot) {
    return TooManyRequests(limits::kHeavyQueryRetryAfter.count(),
                           "the tenant already has " + std::to_string(cap->per_tenant()) +
                               " history queries or imports in progress on this server");
  }
  return Run(route, call, run);
}

ApiResponse Router::Run(const Route& route, const Call& call, const Runner& run) {
  // Once for every route, before any handler or store reads a parameter.
  if (Status text = call.query.CheckText(); !text.ok()) return ErrorResponse(text);
  return run(route, call);
}

}  // namespace kefu::api
