// A tenant's options (LIVE §5, admin), every one in each answer.
#include "api/error_mapping.h"
#include "api/handlers.h"
#include "api/json_body.h"
#include "api/json_writer.h"

namespace kefu::api {
namespace {

ApiResponse OptionsAnswer(const Result<store::TenantOptions>& options) {
  if (!options.ok()) return ErrorResponse(options.status());
  const store::TenantOptions& o = options.value();
  JsonOut out;
  out.BeginObject().Key("status").Str("OK").Key("entity").BeginObject();
  out.Key("defaultQueueId").OptInt(o.default_queue_id);
  out.Key("waitTimeoutSeconds").OptInt(o.wait_timeout_seconds);
  out.Key("idleCloseSeconds").OptInt(o.idle_close_seconds);
  out.Key("offlineGraceSeconds").Int(o.offline_grace_seconds);
  out.Key("enquiryInviteOnClose").Bool(o.enquiry_invite_on_close);
  out.Key("agentsSetOwnCapacity").Bool(o.agents_set_own_capacity);
  out.Key("greeting").OptStr(o.greeting);
  out.Key("offDutyMessage").OptStr(o.off_duty_message);
  out.EndObject().EndObject();
  return out.Ok();
}

}  // namespace

ApiResponse GetOptions(Services& s, const Call& r) { return OptionsAnswer(s.options.Get(r.grant.tenant_id)); }

ApiResponse UpdateOptions(Services& s, const Call& r) {
  rapidjson::Document doc;
  Status parsed = ParseJsonObject(r.request.body, doc);
  if (!parsed.ok()) return ErrorResponse(parsed);
  const domain::OptionsInput input{FieldOf(doc, "defaultQueueId"),       FieldOf(doc, "waitTimeoutSeconds"),
                                   FieldOf(doc, "idleCloseSeconds"),     FieldOf(doc, "offlineGraceSeconds"),
                                   FieldOf(doc, "enquiryInviteOnClose"), FieldOf(doc, "agentsSetOwnCapacity"),
                                   FieldOf(doc, "greeting"),             FieldOf(doc, "offDutyMessage")};
  return OptionsAnswer(s.options.Update(r.grant.tenant_id, input));
}

}  // namespace kefu::api
