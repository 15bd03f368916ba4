#include "api/error_mapping.h"
#include "api/handlers.h"
#include "api/json_body.h"
#include "api/json_writer.h"

namespace kefu::api {

ApiResponse IssueToken(Services& s, const ApiRequest& request, std::string_view path_tenant) {
  rapidjson::Document doc;
  Status parsed = ParseJsonObject(request.body, doc);
  Result<domain::TokenRequest> body =
      parsed.ok() ? Result<domain::TokenRequest>(domain::TokenRequest{
                        FieldOf(doc, "clientId"), FieldOf(doc, "secretId"), FieldOf(doc, "tenantId")})
                  : Result<domain::TokenRequest>(parsed);
  auto issued = s.tokens.Issue(path_tenant, body);
  if (!issued.ok()) return ErrorResponse(issued.status());
  JsonOut out;
  out.BeginObject().Key("status").Str("OK").Key("entity").BeginObject();
  out.Key("accessToken").Str(issued->token).Key("expireTime").Int(issued->expire_seconds);
  out.EndObject().EndObject();
  return out.Ok();
}

}  // namespace kefu::api
