// Channels (LIVE §5, admin): `{techChannelId, techChannelName,
// techChannelType, originType, queueId, channelKey}`, and `secret` only in
// the answers that make one.
#include "api/error_mapping.h"
#include "api/handlers.h"
#include "api/json_body.h"
#include "api/json_writer.h"

namespace kefu::api {
namespace {

void WriteChannel(JsonOut& out, const store::ChannelRecord& c, bool with_secret) {
  out.BeginObject();
  out.Key("techChannelId").Int(c.id);
  out.Key("techChannelName").Str(c.fields.name);
  out.Key("techChannelType").Str(c.fields.type);
  out.Key("originType").Str(c.fields.origin_type);
  out.Key("queueId").OptInt(c.fields.queue_id);
  out.Key("channelKey").Str(c.channel_key);
  if (with_secret) out.Key("secret").OptStr(c.secret);
  out.EndObject();
}

ApiResponse ChannelAnswer(const Result<store::ChannelRecord>& c, bool with_secret) {
  if (!c.ok()) return ErrorResponse(c.status());
  JsonOut out;
  out.BeginObject().Key("status").Str("OK").Key("entity");
  WriteChannel(out, c.value(), with_secret);
  out.EndObject();
  return out.Ok();
}

Result<domain::ChannelInput> ChannelInputOf(const ApiRequest& request) {
  rapidjson::Document doc;
  KEFU_RETURN_IF_ERROR(ParseJsonObject(request.body, doc));
  return domain::ChannelInput{FieldOf(doc, "techChannelName"), FieldOf(doc, "techChannelType"),
                              FieldOf(doc, "originType"), FieldOf(doc, "queueId")};
}

}  // namespace

ApiResponse ListChannels(Services& s, const Call& r) {
  auto channels = s.channels.List(r.grant.tenant_id);
  if (!channels.ok()) return ErrorResponse(channels.status());
  JsonOut out;
  out.BeginObject().Key("status").Str("OK").Key("entities").BeginArray();
  for (const auto& c : *channels) WriteChannel(out, c, false);
  out.EndArray().EndObject();
  return out.Ok();
}

ApiResponse CreateChannel(Services& s, const Call& r) {
  auto input = ChannelInputOf(r.request);
  if (!input.ok()) return ErrorResponse(input.status());
  return ChannelAnswer(s.channels.Create(r.grant.tenant_id, *input), true);
}

ApiResponse UpdateChannel(Services& s, const Call& r) {
  auto input = ChannelInputOf(r.request);
  if (!input.ok()) return ErrorResponse(input.status());
  return ChannelAnswer(s.channels.Update(r.grant.tenant_id, r.Param("channelId"), *input), false);
}

ApiResponse DeleteChannel(Services& s, const Call& r) {
  Status done = s.channels.Delete(r.grant.tenant_id, r.Param("channelId"));
  return done.ok() ? OkResponse() : ErrorResponse(done);
}

ApiResponse NewChannelSecret(Services& s, const Call& r) {
  return ChannelAnswer(s.channels.NewSecret(r.grant.tenant_id, r.Param("channelId")), true);
}

}  // namespace kefu::api
