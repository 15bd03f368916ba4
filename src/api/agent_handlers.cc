#include "api/agent_json.h"
#include "api/error_mapping.h"
#include "api/handlers.h"
#include "api/json_body.h"
#include "api/json_writer.h"

namespace kefu::api {
namespace {

// The agent fields of a JSON object body (absent ones stay absent).
domain::AgentFields FieldsOf(const rapidjson::Document& doc) {
  domain::AgentFields f;
  f.nicename = FieldOf(doc, "nicename");
  f.username = FieldOf(doc, "username");
  f.password = FieldOf(doc, "password");
  f.true_name = FieldOf(doc, "trueName");
  f.mobile_phone = FieldOf(doc, "mobilePhone");
  f.agent_number = FieldOf(doc, "agentNumber");
  f.role_id = FieldOf(doc, "roleId");
  f.max_service_session_count = FieldOf(doc, "maxServiceSessionCount");
  return f;
}

// Parses the body as a JSON object and runs `action` on its fields.
template <typename Action>
ApiResponse WithFields(const Call& r, Action action) {
  rapidjson::Document doc;
  Status parsed = ParseJsonObject(r.request.body, doc);
  if (!parsed.ok()) return ErrorResponse(parsed);
  Status done = action(FieldsOf(doc));
  return done.ok() ? OkResponse() : ErrorResponse(done);
}

}  // namespace

ApiResponse SearchAgents(Services& s, const Call& r) {
  auto found = s.agents.Search(r.grant.tenant_id, r.grant.agents_version, r.query.Get("page"), r.query.Get("size"),
                               r.query.Get("keyValue"));
  if (!found.ok()) return ErrorResponse(found.status());
  const domain::PageInfo& p = found->page;
  JsonOut out;
  out.BeginObject().Key("status").Str("OK").Key("entities").BeginArray();
  for (const auto& agent : found->agents) WriteAgent(out, agent, r.grant.zone);
  out.EndArray();
  out.Key("first").Bool(p.first);
  out.Key("last").Bool(p.last);
  out.Key("size").Int(p.size);
  out.Key("number").Int(p.number);
  out.Key("numberOfElements").Int(p.number_of_elements);
  out.Key("totalPages").Int(p.total_pages);
  out.Key("totalElements").Int(p.total_elements);
  out.EndObject();
  return out.Ok();
}

Cost SearchAgentsCost(Services& s, const RouteMatch& match) {
  auto tenant = domain::ParseTenantId(ParamOf(match.params, "tenantId"));
  return tenant && !s.agents.SearchesInMemory(*tenant) ? Cost::kQuick : Cost::kQuickRead;
}

ApiResponse AddAgent(Services& s, const Call& r) {
  rapidjson::Document doc;
  Status parsed = ParseJsonObject(r.request.body, doc);
  if (!parsed.ok()) return ErrorResponse(parsed);
  auto agent = s.agents.Add(r.grant.tenant_id, FieldsOf(doc));
  if (!agent.ok()) return ErrorResponse(agent.status());
  JsonOut out;
  out.BeginObject().Key("status").Str("OK").Key("entity");
  WriteAgent(out, *agent, r.grant.zone);
  out.EndObject();
  return out.Ok();
}

ApiResponse UpdateAgent(Services& s, const Call& r) {
  return WithFields(r, [&](const domain::AgentFields& f) { return s.agents.Update(r.grant.tenant_id, f); });
}

ApiResponse ChangeAgentPassword(Services& s, const Call& r) {
  return WithFields(r, [&](const domain::AgentFields& f) {
    return s.agents.ChangePassword(r.grant.tenant_id, f);
  });
}

ApiResponse DeleteAgent(Services& s, const Call& r) {
  return WithFields(r, [&](const domain::AgentFields& f) {
    return s.agents.Delete(r.grant.tenant_id, f.username);
  });
}

ApiResponse DisableAgent(Services& s, const Call& r) {
  return WithFields(r, [&](const domain::AgentFields& f) {
    return s.agents.SetEnabled(r.grant.tenant_id, f.username, false);
  });
}

ApiResponse EnableAgent(Services& s, const Call& r) {
  return WithFields(r, [&](const domain::AgentFields& f) {
    return s.agents.SetEnabled(r.grant.tenant_id, f.username, true);
  });
}

}  // namespace kefu::api
