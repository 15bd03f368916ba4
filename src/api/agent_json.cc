#include "api/agent_json.h"

#include "domain/roles.h"

namespace kefu::api {

void WriteAgent(JsonOut& out, const store::Agent& a, TimeZone zone) {
  const std::string tenant_text = std::to_string(a.tenant_id);
  out.BeginObject();
  out.Key("tenantId").Int(a.tenant_id);
  out.Key("userId").Str(a.user_id);
  out.Key("userType").Str("Agent");
  out.Key("userScope").Str("Tenant");
  out.Key("nicename").Str(a.nicename);
  out.Key("password").Str("");
  out.Key("username").Str(a.username);
  out.Key("roles").Str(domain::RolesTextOf(a));
  out.Key("createDateTime").Str(FormatLocalDateTime(a.created_at, zone));
  out.Key("lastUpdateDateTime").Str(FormatLocalDateTime(a.updated_at, zone));
  out.Key("status").Str(a.enabled ? "Enable" : "Disable");
  out.Key("state").Str(a.state);
  out.Key("maxServiceSessionCount").Int(a.max_service_sessions);
  out.Key("trueName").Str(a.true_name);
  out.Key("mobilePhone").Str(a.mobile_phone);
  out.Key("agentNumber").Str(a.agent_number);
  out.Key("agentType").Str("Message");
  out.Key("language").Str("zh_CN");
  out.Key("timeZone").Str(TimeZoneName(zone));
  out.Key("roleList").BeginArray();
  out.BeginObject().Key("role_id").Int(a.role_id).Key("role_name").Str(domain::RoleNameOf(a)).EndObject();
  out.EndArray();
  out.Key("scope").Str("Tenant");
  out.Key("bizId").Str(tenant_text);
  out.Key("onLineState").Str(a.state);
  out.Key("currentOnLineState").Str(a.state);
  out.EndObject();
}

}  // namespace kefu::api
