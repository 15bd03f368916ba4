// Agents at work (LIVE §4, §5): login, logout, and the agent's own object.
#include "api/agent_json.h"
#include "api/error_mapping.h"
#include "api/handlers.h"
#include "api/json_body.h"
#include "api/json_writer.h"
#include "api/rate_limit_answers.h"
#include "common/text.h"

namespace kefu::api {
namespace {

// {"status":"OK","entity":<the agent object>}
ApiResponse AgentAnswer(const store::Agent& agent, TimeZone zone) {
  JsonOut out;
  out.BeginObject().Key("status").Str("OK").Key("entity");
  WriteAgent(out, agent, zone);
  out.EndObject();
  return out.Ok();
}

// Failed logins are counted as failed token requests are, under a key of
// their own per username (docs/decisions.md, "Agents at work").
std::string LoginThrottleKey(const domain::RawField& username) {
  return username.kind == domain::RawField::Kind::kText ? "agent:" + AsciiLower(username.text) : std::string();
}

}  // namespace

ApiResponse AgentLogin(Services& s, const Call& call) {
  rapidjson::Document doc;
  Status parsed = ParseJsonObject(call.request.body, doc);
  Result<domain::LoginRequest> body =
      parsed.ok() ? Result<domain::LoginRequest>(domain::LoginRequest{
                        FieldOf(doc, "username"), FieldOf(doc, "password"), FieldOf(doc, "state")})
                  : Result<domain::LoginRequest>(parsed);
  const std::string key = body.ok() ? LoginThrottleKey(body->username) : std::string();
  const std::string& address = call.request.client_address;
  auto admitted = s.throttles.AdmitTokenRequest(key, address);
  if (!admitted.allowed) {
    return TooManyRequests(admitted.retry_after_seconds, "too many failed logins; try again later");
  }
  auto login = s.logins.Login(body);
  if (!login.ok()) {
    if (login.status().code() == Code::kBadLogin) s.throttles.CountTokenFailure(key, address);
    return ErrorResponse(login.status());
  }
  JsonOut out;
  out.BeginObject().Key("status").Str("OK").Key("entity").BeginObject();
  out.Key("agentToken").Str(login->token).Key("expireTime").Int(login->expire_seconds);
  out.Key("agent");
  WriteAgent(out, login->agent, login->grant.zone);
  out.EndObject().EndObject();
  ApiResponse r = out.Ok();
  // The answer carries a credential: no cache on the way may keep it.
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

ApiResponse AgentLogout(Services& s, const Call& call) {
  Status done = s.logins.Logout(call.request.Header("Agent-Token").value_or(""), call.agent);
  return done.ok() ? OkResponse() : ErrorResponse(done);
}

ApiResponse GetAgentMe(Services& s, const Call& call) {
  auto me = s.logins.Me(call.agent);
  return me.ok() ? AgentAnswer(*me, call.grant.zone) : ErrorResponse(me.status());
}

ApiResponse UpdateAgentMe(Services& s, const Call& call) {
  rapidjson::Document doc;
  Status parsed = ParseJsonObject(call.request.body, doc);
  Result<domain::MeUpdate> body = parsed.ok() ? Result<domain::MeUpdate>(domain::MeUpdate{FieldOf(doc, "state"), FieldOf(doc, "maxServiceSessionCount")})
                                              : Result<domain::MeUpdate>(parsed);
  auto me = s.logins.UpdateMe(call.agent, body);
  return me.ok() ? AgentAnswer(*me, call.grant.zone) : ErrorResponse(me.status());
}

}  // namespace kefu::api
