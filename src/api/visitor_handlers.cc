// Visitors (LIVE §5): a visitor's entry, and its thread as it is now.
#include "api/conversation_json.h"
#include "api/error_mapping.h"
#include "api/handlers.h"
#include "api/json_body.h"
#include "api/json_writer.h"
#include "api/rate_limit_answers.h"

namespace kefu::api {
namespace {

}  // namespace

ApiResponse EnterVisitor(Services& s, const Call& call) {
  auto admitted = s.throttles.AdmitVisitorEntry(call.request.client_address);
  if (!admitted.allowed) {
    return TooManyRequests(admitted.retry_after_seconds, "too many visitor entries from this address; try again later");
  }
  rapidjson::Document doc;
  Status parsed = ParseJsonObject(call.request.body, doc);
  if (!parsed.ok()) return ErrorResponse(parsed);
  const domain::VisitorEntry entry{FieldOf(doc, "channelKey"), FieldOf(doc, "visitorToken"), FieldOf(doc, "username"),
                                   FieldOf(doc, "nicename"), FieldOf(doc, "identitySignature")};
  auto entered = s.visitors.Enter(call.Param("tenantId"), entry);
  if (!entered.ok()) return ErrorResponse(entered.status());
  JsonOut out;
  out.BeginObject().Key("status").Str("OK").Key("entity").BeginObject();
  out.Key("visitorToken").Str(entered->token).Key("expireTime").Int(entered->expire_seconds);
  out.Key("visitor");
  WriteVisitorUser(out, entered->visitor);
  out.Key("chatGroupId").Int(entered->visitor.chat_group_id);
  out.EndObject().EndObject();
  ApiResponse r = out.Ok();
  // The answer carries a credential: no cache on the way may keep it.
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

// The thread now: its open session (with its queue position while it waits).
ApiResponse GetVisitorSession(Services& s, const Call& call) {
  auto thread = s.conversations.Thread(call.visitor);
  if (!thread.ok()) return ErrorResponse(thread.status());
  JsonOut out;
  out.BeginObject().Key("status").Str("OK").Key("entity").BeginObject();
  out.Key("visitor");
  WriteVisitorUser(out, thread->visitor);
  out.Key("chatGroupId").Int(thread->visitor.chat_group_id);
  out.Key("lastSeq").Int(thread->visitor.last_seq);
  out.Key("session");
  if (thread->session) {
    WriteVisitorSession(out, *thread->session, thread->queue_position, thread->agent_nicename);
  } else {
    out.Null();
  }
  out.EndObject().EndObject();
  return out.Ok();
}

ApiResponse PostVisitorMessage(Services& s, const Call& call) {
  rapidjson::Document doc;
  Status parsed = ParseJsonObject(call.request.body, doc);
  if (!parsed.ok()) return ErrorResponse(parsed);
  const domain::VisitorMessageInput in{FieldOf(doc, "msgId"),   FieldOf(doc, "type"),      FieldOf(doc, "msg"),
                                       FieldOf(doc, "mediaId"), FieldOf(doc, "queueId"),   FieldOf(doc, "queueName"),
                                       FieldOf(doc, "agentUsername")};
  auto sent = s.conversations.SendFromVisitor(call.visitor, in);
  if (!sent.ok()) return ErrorResponse(sent.status());
  JsonOut out;
  out.BeginObject().Key("status").Str("OK").Key("entity");
  WriteMessage(out, sent->message, call.visitor.zone);
  out.EndObject();
  return out.Ok();
}

ApiResponse GetVisitorMessages(Services& s, const Call& call) {
  auto messages = s.conversations.VisitorMessages(call.visitor, call.query.Get("afterSeq"), call.query.Get("limit"));
  if (!messages.ok()) return ErrorResponse(messages.status());
  JsonOut out;
  out.BeginObject().Key("status").Str("OK").Key("entities").BeginArray();
  for (const auto& m : *messages) WriteMessage(out, m, call.visitor.zone);
  out.EndArray().EndObject();
  return out.Ok();
}

ApiResponse CloseVisitorSession(Services& s, const Call& call) {
  auto closed = s.conversations.CloseFromVisitor(call.visitor);
  if (!closed.ok()) return ErrorResponse(closed.status());
  JsonOut out;
  out.BeginObject().Key("status").Str("OK").Key("entity");
  WriteVisitorSession(out, *closed, std::nullopt, std::nullopt);
  out.EndObject();
  return out.Ok();
}

ApiResponse RateVisitorSession(Services& s, const Call& call) {
  rapidjson::Document doc;
  Status parsed = ParseJsonObject(call.request.body, doc);
  if (!parsed.ok()) return ErrorResponse(parsed);
  auto tag_ids = IntegersOf(doc, "enquiryTagIds");
  if (!tag_ids.ok()) return ErrorResponse(tag_ids.status());
  const domain::RateInput in{FieldOf(doc, "serviceSessionId"), FieldOf(doc, "summary"), FieldOf(doc, "detail"),
                             *tag_ids};
  auto rated = s.conversations.Rate(call.visitor, in);
  if (!rated.ok()) return ErrorResponse(rated.status());
  JsonOut out;
  out.BeginObject().Key("status").Str("OK").Key("entity");
  WriteVisitorSession(out, *rated, std::nullopt, std::nullopt);
  out.EndObject();
  return out.Ok();
}

ApiResponse GetVisitorEnquiryTags(Services& s, const Call& call) {
  auto tags = s.conversations.EnquiryTags(call.visitor);
  if (!tags.ok()) return ErrorResponse(tags.status());
  JsonOut out;
  out.BeginObject().Key("status").Str("OK").Key("entities").BeginArray();
  for (const auto& t : *tags) out.BeginObject().Key("id").Int(t.id).Key("name").Str(t.name).EndObject();
  out.EndArray().EndObject();
  return out.Ok();
}

}  // namespace kefu::api
