#include "api/error_mapping.h"
#include "api/handlers.h"
#include "api/json_body.h"
#include "api/json_writer.h"
#include "api/rate_limit_answers.h"

namespace kefu::api {
namespace {

// A failure that could be someone guessing: an unknown tenant or a wrong
// clientId/secretId pair. Malformed bodies and store faults are not.
bool IsGuessFailure(const Status& s) {
  return s.code() == Code::kBadCredential || s.code() == Code::kWrongTenant;
}

}  // namespace

ApiResponse IssueToken(Services& s, const Call& call) {
  const ApiRequest& request = call.request;
  const std::string_view path_tenant = call.Param("tenantId");
  rapidjson::Document doc;
  Status parsed = ParseJsonObject(request.body, doc);
  Result<domain::TokenRequest> body =
      parsed.ok() ? Result<domain::TokenRequest>(domain::TokenRequest{
                        FieldOf(doc, "clientId"), FieldOf(doc, "secretId"), FieldOf(doc, "tenantId")})
                  : Result<domain::TokenRequest>(parsed);
  const std::string_view client_id =
      body.ok() && body->client_id.kind == domain::RawField::Kind::kText ? std::string_view(body->client_id.text)
                                                                         : std::string_view();

  // Too many recent failures from this address, or for this clientId from
  // it: refuse before checking anything, so guessing stops paying off.
  auto& throttles = s.throttles;
  auto admitted = throttles.AdmitTokenRequest(client_id, request.client_address);
  if (!admitted.allowed) {
    return TooManyRequests(admitted.retry_after_seconds, "too many failed token requests; try again later");
  }
  // The tenant's quota, when on, is only looked at here; it is charged
  // once the credentials prove the caller belongs to the tenant, so nobody
  // can spend another tenant's quota.
  domain::RateLimiter* quota = throttles.tenant();
  auto tenant_id = domain::ParseTenantId(path_tenant);
  const std::string quota_key = tenant_id ? std::to_string(*tenant_id) : std::string();
  if (quota && tenant_id) {
    auto d = quota->Peek(quota_key);
    if (!d.allowed) {
      ApiResponse r = TooManyRequests(d.retry_after_seconds, "the tenant's request rate limit is reached");
      AddQuotaHeaders(r, d, quota->limit());
      return r;
    }
  }

  auto issued = s.tokens.Issue(path_tenant, body);
  if (!issued.ok()) {
    if (IsGuessFailure(issued.status())) {
      // An unknown tenant is a guess of the address's alone.
      const bool wrong_pair = issued.status().code() == Code::kBadCredential;
      throttles.CountTokenFailure(wrong_pair ? client_id : std::string_view(), request.client_address);
    }
    return ErrorResponse(issued.status());
  }
  JsonOut out;
  out.BeginObject().Key("status").Str("OK").Key("entity").BeginObject();
  out.Key("accessToken").Str(issued->token).Key("expireTime").Int(issued->expire_seconds);
  out.EndObject().EndObject();
  ApiResponse r = out.Ok();
  // The answer carries a credential: no cache on the way may keep it.
  r.headers.emplace_back("Cache-Control", "no-store");
  if (quota) AddQuotaHeaders(r, quota->Take(quota_key), quota->limit());
  return r;
}

}  // namespace kefu::api
