#include "api/error_mapping.h"
#include "api/handlers.h"
#include "api/json_writer.h"

namespace kefu::api {

ApiResponse ListRoles(Services& s, const Call& r) {
  auto roles = s.roles.List(r.grant.tenant_id);
  if (!roles.ok()) return ErrorResponse(roles.status());
  auto timestamp = [&](const std::optional<int64_t>& millis) -> std::optional<std::string> {
    if (!millis) return std::nullopt;
    return FormatOffsetTimestamp(*millis, r.grant.zone);
  };
  JsonOut out;
  out.BeginObject().Key("status").Str("OK").Key("entities").BeginArray();
  for (const auto& role : *roles) {
    out.BeginObject();
    out.Key("role_id").Int(role.id);
    out.Key("role_name").Str(role.name);
    out.Key("role_description").OptStr(role.description);
    out.Key("role_type").Str(role.type);
    out.Key("created_at").OptStr(timestamp(role.created_at_millis));
    out.Key("updated_at").OptStr(timestamp(role.updated_at_millis));
    out.Key("status").Str(role.status);
    out.EndObject();
  }
  out.EndArray().EndObject();
  return out.Ok();
}

}  // namespace kefu::api
