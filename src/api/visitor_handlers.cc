// Visitors (LIVE §5): a visitor's entry, and its thread as it is now.
#include "api/error_mapping.h"
#include "api/handlers.h"
#include "api/json_body.h"
#include "api/json_writer.h"
#include "api/rate_limit_answers.h"

namespace kefu::api {
namespace {

// The history item's visitorUser: {userId, nicename, username}.
void WriteVisitor(JsonOut& out, const store::Visitor& v) {
  out.BeginObject();
  out.Key("userId").Str(v.user_id);
  out.Key("nicename").Str(v.nicename);
  out.Key("username").Str(v.username);
  out.EndObject();
}

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
  WriteVisitor(out, entered->visitor);
  out.Key("chatGroupId").Int(entered->visitor.chat_group_id);
  out.EndObject().EndObject();
  ApiResponse r = out.Ok();
  // The answer carries a credential: no cache on the way may keep it.
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

// The thread now. Sessions come with the messages (LIVE §2): until then no
// session is open.
ApiResponse GetVisitorSession(Services& s, const Call& call) {
  auto me = s.visitors.Me(call.visitor);
  if (!me.ok()) return ErrorResponse(me.status());
  JsonOut out;
  out.BeginObject().Key("status").Str("OK").Key("entity").BeginObject();
  out.Key("visitor");
  WriteVisitor(out, *me);
  out.Key("chatGroupId").Int(me->chat_group_id);
  out.Key("lastSeq").Int(me->last_seq);
  out.Key("session").Null();
  out.EndObject().EndObject();
  return out.Ok();
}

}  // namespace kefu::api
