// One handler per endpoint: parse, call a service, render. The router's gate
// runs first (api/router.cc), so a handler of a tenant route always has the
// caller's grant for the path's tenant.
#pragma once

#include <string_view>

#include "api/api_types.h"
#include "api/query_string.h"
#include "api/route_table.h"
#include "api/services.h"
#include "store/records.h"

namespace kefu::api {

// A request as a handler sees it.
struct Call {
  const ApiRequest& request;
  const QueryString& query;
  const RouteMatch& match;
  // The caller's tenant (and, on kTenant routes, agents_version); empty on
  // kPublic routes.
  store::TokenGrant grant;
  // The calling agent on kAgent routes.
  store::AgentTokenGrant agent;
  // The calling visitor on kVisitor routes.
  store::VisitorGrant visitor;

  // A parameter of the route's path pattern ("tenantId").
  std::string_view Param(std::string_view name) const { return ParamOf(match.params, name); }
};

using Handler = ApiResponse (*)(Services&, const Call&);
// The handler of a WebSocket route's new socket (RequestHandler::OpenSocket).
using SocketOpener = std::unique_ptr<SocketHandler> (*)(Services&, const Call&, std::shared_ptr<SocketPeer>);
// Where a request runs when that depends on more than its route.
using CostRefiner = Cost (*)(Services&, const RouteMatch&);

// One endpoint: every fact about it, declared once in routes.cc.
struct Route {
  std::string_view method;   // "GET", "POST", …
  std::string_view pattern;  // "/api/tenants/{tenantId}/agent" (route_table.h)
  Access access;             // checked by the router's gate before the handler
  Cost cost;                 // where it runs (api_types.h)
  Handler handler;
  // For the API description (OpenAPI): one line, and the schema names of
  // the request body and of the answer ("" when there is none).
  std::string_view summary;
  std::string_view request_schema;
  std::string_view answer_schema;
  CostRefiner refine_cost = nullptr;  // when set, decides instead of `cost`
  // When set, a WebSocket route: an upgrade request passes the same gate,
  // then this opens the socket (`handler` answers nothing).
  SocketOpener open_socket = nullptr;
  // Counts toward the tenant's cap of heavy requests in flight (history
  // queries and imports: serve --heavy-queries-per-tenant).
  bool heavy = false;
};

// The one table of kefu's endpoints (routes.cc).
const std::vector<Route>& Routes();
// Its path aliases (CONTRACT §2).
const std::vector<PathAlias>& ApiPathAliases();

// health_handler.cc
ApiResponse CheckHealth(Services& s, const Call& r);

// token_handler.cc
ApiResponse IssueToken(Services& s, const Call& r);

// agent_handlers.cc
ApiResponse SearchAgents(Services& s, const Call& r);
// A quick read from the in-memory roster, or a store search (kQuick) for a
// tenant too large to keep in memory.
Cost SearchAgentsCost(Services& s, const RouteMatch& match);
ApiResponse AddAgent(Services& s, const Call& r);
ApiResponse UpdateAgent(Services& s, const Call& r);
ApiResponse ChangeAgentPassword(Services& s, const Call& r);
ApiResponse DeleteAgent(Services& s, const Call& r);
ApiResponse DisableAgent(Services& s, const Call& r);
ApiResponse EnableAgent(Services& s, const Call& r);

// history_handlers.cc
ApiResponse QueryHistory(Services& s, const Call& r);
ApiResponse ImportHistory(Services& s, const Call& r);

// role_handlers.cc
ApiResponse ListRoles(Services& s, const Call& r);

// queue_handlers.cc (LIVE §5: skill groups)
ApiResponse ListQueues(Services& s, const Call& r);
ApiResponse CreateQueue(Services& s, const Call& r);
ApiResponse RenameQueue(Services& s, const Call& r);
ApiResponse DeleteQueue(Services& s, const Call& r);
ApiResponse SetQueueMembers(Services& s, const Call& r);

// channel_handlers.cc (LIVE §5: channels)
ApiResponse ListChannels(Services& s, const Call& r);
ApiResponse CreateChannel(Services& s, const Call& r);
ApiResponse UpdateChannel(Services& s, const Call& r);
ApiResponse DeleteChannel(Services& s, const Call& r);
ApiResponse NewChannelSecret(Services& s, const Call& r);

// visitor_handlers.cc (LIVE §5: visitors)
ApiResponse EnterVisitor(Services& s, const Call& r);
ApiResponse GetVisitorSession(Services& s, const Call& r);
ApiResponse PostVisitorMessage(Services& s, const Call& r);
ApiResponse GetVisitorMessages(Services& s, const Call& r);
ApiResponse CloseVisitorSession(Services& s, const Call& r);
ApiResponse RateVisitorSession(Services& s, const Call& r);
ApiResponse GetVisitorEnquiryTags(Services& s, const Call& r);

// agent_desk_handlers.cc (LIVE §5: the agent's side of live conversations)
ApiResponse GetAgentWaiting(Services& s, const Call& r);
ApiResponse AcceptWaiting(Services& s, const Call& r);
ApiResponse GetAgentSessions(Services& s, const Call& r);
ApiResponse GetAgentSessionMessages(Services& s, const Call& r);
ApiResponse PostAgentMessage(Services& s, const Call& r);
ApiResponse ReadAgentSession(Services& s, const Call& r);
ApiResponse TransferAgentSession(Services& s, const Call& r);
ApiResponse SetSessionSummaries(Services& s, const Call& r);
ApiResponse SetSessionComment(Services& s, const Call& r);
ApiResponse InviteSessionEnquiry(Services& s, const Call& r);
ApiResponse CloseAgentSession(Services& s, const Call& r);
ApiResponse CallVisitorBack(Services& s, const Call& r);
ApiResponse AdminAssignSession(Services& s, const Call& r);
ApiResponse AdminAbortSession(Services& s, const Call& r);
ApiResponse GetAgentStates(Services& s, const Call& r);
ApiResponse GetOpenSessions(Services& s, const Call& r);
ApiResponse GetVisitorBindings(Services& s, const Call& r);
ApiResponse GetSessionMessages(Services& s, const Call& r);
ApiResponse AdminCloseSession(Services& s, const Call& r);

// tag_handlers.cc (LIVE §5: session tags and rating tags)
ApiResponse ListSummaryTags(Services& s, const Call& r);
ApiResponse CreateSummaryTag(Services& s, const Call& r);
ApiResponse UpdateSummaryTag(Services& s, const Call& r);
ApiResponse DeleteSummaryTag(Services& s, const Call& r);
ApiResponse ListEnquiryTags(Services& s, const Call& r);
ApiResponse CreateEnquiryTag(Services& s, const Call& r);
ApiResponse RenameEnquiryTag(Services& s, const Call& r);
ApiResponse DeleteEnquiryTag(Services& s, const Call& r);

// options_handlers.cc (LIVE §5: a tenant's options)
ApiResponse GetOptions(Services& s, const Call& r);
ApiResponse UpdateOptions(Services& s, const Call& r);

// agent_login_handlers.cc (LIVE §4, §5)
ApiResponse AgentLogin(Services& s, const Call& r);
ApiResponse AgentLogout(Services& s, const Call& r);
ApiResponse GetAgentMe(Services& s, const Call& r);
ApiResponse UpdateAgentMe(Services& s, const Call& r);

// static_files.cc: GET and HEAD /static/{path...}; API_404 without --web-root.
ApiResponse ServeStaticFile(Services& s, const Call& r);

}  // namespace kefu::api
