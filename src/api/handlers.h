// One handler per endpoint: parse, call a service, render. Every handler but
// the token's runs after the router's tenancy gate, with the caller's grant.
#pragma once

#include <string_view>

#include "api/api_types.h"
#include "api/query_string.h"
#include "api/services.h"
#include "store/records.h"

namespace kefu::api {

// An authenticated request: the tenant is the token's and the path's.
struct TenantRequest {
  const ApiRequest& request;
  const QueryString& query;
  store::TokenGrant grant;
};

// token_handler.cc
ApiResponse IssueToken(Services& s, const ApiRequest& request, std::string_view path_tenant);

// agent_handlers.cc
ApiResponse SearchAgents(Services& s, const TenantRequest& r);
ApiResponse AddAgent(Services& s, const TenantRequest& r);
ApiResponse UpdateAgent(Services& s, const TenantRequest& r);
ApiResponse ChangeAgentPassword(Services& s, const TenantRequest& r);
ApiResponse DeleteAgent(Services& s, const TenantRequest& r);
ApiResponse DisableAgent(Services& s, const TenantRequest& r);
ApiResponse EnableAgent(Services& s, const TenantRequest& r);

// history_handlers.cc
ApiResponse QueryHistory(Services& s, const TenantRequest& r);
ApiResponse ImportHistory(Services& s, const TenantRequest& r);

// role_handlers.cc
ApiResponse ListRoles(Services& s, const TenantRequest& r);

}  // namespace kefu::api
