// Skill groups (LIVE §5, admin): `{queueId, queueName, agentUserIds}`.
#include "api/error_mapping.h"
#include "api/handlers.h"
#include "api/json_body.h"
#include "api/json_writer.h"

namespace kefu::api {
namespace {

void WriteQueue(JsonOut& out, const store::SkillGroup& g) {
  out.BeginObject();
  out.Key("queueId").Int(g.id);
  out.Key("queueName").Str(g.name);
  out.Key("agentUserIds").BeginArray();
  for (const auto& id : g.member_ids) out.Str(id);
  out.EndArray();
  out.EndObject();
}

ApiResponse QueueAnswer(const Result<store::SkillGroup>& g) {
  if (!g.ok()) return ErrorResponse(g.status());
  JsonOut out;
  out.BeginObject().Key("status").Str("OK").Key("entity");
  WriteQueue(out, g.value());
  out.EndObject();
  return out.Ok();
}

// `queueName` of a JSON-object body, or the body's error.
Result<domain::RawField> QueueNameOf(const ApiRequest& request) {
  rapidjson::Document doc;
  KEFU_RETURN_IF_ERROR(ParseJsonObject(request.body, doc));
  return FieldOf(doc, "queueName");
}

// `agentUserIds`: an array of strings.
Result<std::vector<std::string>> MemberIdsOf(const ApiRequest& request) {
  rapidjson::Document doc;
  KEFU_RETURN_IF_ERROR(ParseJsonObject(request.body, doc));
  auto it = doc.FindMember("agentUserIds");
  if (it == doc.MemberEnd() || !it->value.IsArray()) {
    return Error(Code::kInvalidParam, "agentUserIds must be an array of userIds");
  }
  std::vector<std::string> ids;
  for (const auto& v : it->value.GetArray()) {
    if (!v.IsString()) return Error(Code::kInvalidParam, "agentUserIds must be an array of userIds");
    ids.emplace_back(v.GetString(), v.GetStringLength());
  }
  return ids;
}

}  // namespace

ApiResponse ListQueues(Services& s, const Call& r) {
  auto groups = s.queues.List(r.grant.tenant_id);
  if (!groups.ok()) return ErrorResponse(groups.status());
  JsonOut out;
  out.BeginObject().Key("status").Str("OK").Key("entities").BeginArray();
  for (const auto& g : *groups) WriteQueue(out, g);
  out.EndArray().EndObject();
  return out.Ok();
}

ApiResponse CreateQueue(Services& s, const Call& r) {
  auto name = QueueNameOf(r.request);
  if (!name.ok()) return ErrorResponse(name.status());
  return QueueAnswer(s.queues.Create(r.grant.tenant_id, *name));
}

ApiResponse RenameQueue(Services& s, const Call& r) {
  auto name = QueueNameOf(r.request);
  if (!name.ok()) return ErrorResponse(name.status());
  return QueueAnswer(s.queues.Rename(r.grant.tenant_id, r.Param("queueId"), *name));
}

ApiResponse DeleteQueue(Services& s, const Call& r) {
  Status done = s.queues.Delete(r.grant.tenant_id, r.Param("queueId"));
  return done.ok() ? OkResponse() : ErrorResponse(done);
}

ApiResponse SetQueueMembers(Services& s, const Call& r) {
  auto ids = MemberIdsOf(r.request);
  if (!ids.ok()) return ErrorResponse(ids.status());
  return QueueAnswer(s.queues.SetMembers(r.grant.tenant_id, r.Param("queueId"), *ids));
}

}  // namespace kefu::api
