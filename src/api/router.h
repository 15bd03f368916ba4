// The API's RequestHandler: matches a request against the route table
// (api/routes.cc) once, then runs the one gate every route passes (who may
// call it, the tenant's quota, the tenant's cap of heavy requests in flight,
// the text of its parameters) and its handler.
#pragma once

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
  // Never throws (an unexpected exception is API_500).
  ApiResponse Answer(const ApiRequest& request, const RouteMatch& match) override;

  // Match then Answer, for callers that run both in one place (tests, fuzz).
  ApiResponse Handle(const ApiRequest& request) { return Answer(request, Match(request)); }

 private:
  ApiResponse Dispatch(const ApiRequest& request, const RouteMatch& match);
  ApiResponse Refused(const RouteMatch& match);  // 404 or 405
  // Within the tenant's cap of heavy requests in flight, for routes that count.
  ApiResponse RunCapped(const Route& route, const Call& call);
  ApiResponse Run(const Route& route, const Call& call);

  Services services_;
  PathMatcher matcher_;
};

}  // namespace kefu::api
