// The API's RequestHandler: matches a request against the route table
// (api/routes.cc) once, then runs the one gate every route passes (who may
// call it, the tenant's quota, the tenant's cap of heavy requests in flight,
// the text of its parameters) and its handler.
#pragma once

#include <functional>

#include "api/api_types.h"
#include "api/handlers.h"
#include "api/route_table.h"
#include "api/services.h"

namespace kefu::api {

class Router : public RequestHandler {
 public:
  explicit Router(Services services);

  // The route and where it runs; 404 and 405 match no route (route -1) and
  // are answered without the store.
  RouteMatch Match(const ApiRequest& request) override;
  // 404, 405, or the token and tenant check of a kTenant route, before the
  // body is read (Answer checks the token again: it may be revoked meanwhile).
  std::optional<ApiResponse> Admit(const ApiRequest& head, const RouteMatch& match) override;
  // Never throws (an unexpected exception is API_500).
  ApiResponse Answer(const ApiRequest& request, const RouteMatch& match) override;
  // The route's socket once the gate lets the caller in; the gate's answer
  // otherwise. Never throws (an unexpected exception is API_500).
  SocketOpening OpenSocket(const ApiRequest& request, const RouteMatch& match,
                           std::shared_ptr<SocketPeer> peer) override;

  // Match then Answer, for callers that run both in one place (tests, fuzz).
  ApiResponse Handle(const ApiRequest& request) { return Answer(request, Match(request)); }

 private:
  // The gate, then `run` (a route's handler, or its socket opener).
  using Runner = std::function<ApiResponse(const Route&, const Call&)>;
  ApiResponse Dispatch(const ApiRequest& request, const RouteMatch& match, const Runner& run);
  ApiResponse Refused(const RouteMatch& match);  // 404 or 405
  // Who calls a route that is not public: the tenant's grant, and on kAgent
  // routes the agent. From the headers alone (Admit runs it before a body).
  struct Caller {
    store::TokenGrant grant;
    store::AgentTokenGrant agent;
    store::VisitorGrant visitor;
  };
  Result<Caller> AuthenticateCaller(const Route& route, const ApiRequest& request, std::string_view path_tenant);
  // Within the tenant's cap of heavy requests in flight, for routes that count.
  ApiResponse RunCapped(const Route& route, const Call& call, const Runner& run);
  ApiResponse Run(const Route& route, const Call& call, const Runner& run);
  // Answer's and OpenSocket's guard against exceptions.
  ApiResponse Guarded(const ApiRequest& request, const std::function<ApiResponse()>& fn);

  Services services_;
  PathMatcher matcher_;
};

}  // namespace kefu::api
