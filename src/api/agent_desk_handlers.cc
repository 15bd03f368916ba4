// Live conversations from the agent's side (LIVE §5): the wait list, accept,
// the agent's sessions, their messages, read marks and close.
#include "api/conversation_json.h"
#include "api/error_mapping.h"
#include "api/handlers.h"
#include "api/json_body.h"
#include "api/json_writer.h"
#include "api/session_json.h"

namespace kefu::api {
namespace {

// {"status":"OK","entity":<the session's history item>} as stored after a change.
ApiResponse SessionItemAnswer(const Result<store::LiveItem>& item) {
  if (!item.ok()) return ErrorResponse(item.status());
  JsonOut out;
  out.BeginObject().Key("status").Str("OK").Key("entity");
  if (!WriteSessionItem(out, item->values)) return ErrorResponse(Error(Code::kInternal, "a stored item is damaged"));
  out.EndObject();
  return out.Ok();
}

// {"status":"OK","entity":{"total_entries":…,"items":[history items]}}, as the history query.
ApiResponse ItemPageAnswer(const Result<domain::SessionPage>& page) {
  if (!page.ok()) return ErrorResponse(page.status());
  JsonOut out;
  out.BeginObject().Key("status").Str("OK").Key("entity").BeginObject();
  out.Key("total_entries").Int(page->total).Key("items").BeginArray();
  for (const auto& item : page->items) {
    if (!WriteSessionItem(out, item.values)) return ErrorResponse(Error(Code::kInternal, "a stored item is damaged"));
  }
  out.EndArray().EndObject().EndObject();
  return out.Ok();
}

}  // namespace

ApiResponse GetAgentWaiting(Services& s, const Call& call) {
  return ItemPageAnswer(
      s.desk.Waiting(call.agent, call.query.Get("queueId"), call.query.Get("page"), call.query.Get("per_page")));
}

ApiResponse GetOpenSessions(Services& s, const Call& call) {
  return ItemPageAnswer(s.desk.OpenSessions(call.grant, call.query.GetList("state"), call.query.GetList("agentIds"),
                                            call.query.GetList("queueIds"), call.query.Get("page"),
                                            call.query.Get("per_page")));
}

ApiResponse AcceptWaiting(Services& s, const Call& call) {
  return SessionItemAnswer(s.desk.Accept(call.agent, call.Param("serviceSessionId")));
}

ApiResponse GetAgentSessions(Services& s, const Call& call) {
  auto sessions = s.desk.MySessions(call.agent);
  if (!sessions.ok()) return ErrorResponse(sessions.status());
  JsonOut out;
  out.BeginObject().Key("status").Str("OK").Key("entities").BeginArray();
  for (const auto& view : *sessions) {
    out.BeginObject();
    out.Key("session");
    if (!WriteSessionItem(out, view.item.values)) return ErrorResponse(Error(Code::kInternal, "a stored item is damaged"));
    out.Key("unread").Int(view.unread);
    out.Key("lastMessage");
    if (view.last_message) {
      WriteMessage(out, *view.last_message, call.grant.zone, true);
    } else {
      out.Null();
    }
    out.EndObject();
  }
  out.EndArray().EndObject();
  return out.Ok();
}

ApiResponse GetAgentSessionMessages(Services& s, const Call& call) {
  auto messages = s.desk.Messages(call.agent, call.Param("serviceSessionId"), call.query.Get("afterSeq"),
                                  call.query.Get("beforeSeq"), call.query.Get("limit"));
  if (!messages.ok()) return ErrorResponse(messages.status());
  JsonOut out;
  out.BeginObject().Key("status").Str("OK").Key("entities").BeginArray();
  for (const auto& m : *messages) WriteMessage(out, m, call.grant.zone, true);
  out.EndArray().EndObject();
  return out.Ok();
}

ApiResponse PostAgentMessage(Services& s, const Call& call) {
  rapidjson::Document doc;
  Status parsed = ParseJsonObject(call.request.body, doc);
  if (!parsed.ok()) return ErrorResponse(parsed);
  const domain::AgentMessageInput in{FieldOf(doc, "msgId"), FieldOf(doc, "type"), FieldOf(doc, "msg"),
                                     FieldOf(doc, "mediaId")};
  auto sent = s.desk.Send(call.agent, call.Param("serviceSessionId"), in);
  if (!sent.ok()) return ErrorResponse(sent.status());
  JsonOut out;
  out.BeginObject().Key("status").Str("OK").Key("entity");
  WriteMessage(out, sent->message, call.grant.zone, true);
  out.EndObject();
  return out.Ok();
}

ApiResponse ReadAgentSession(Services& s, const Call& call) {
  rapidjson::Document doc;
  Status parsed = ParseJsonObject(call.request.body, doc);
  if (!parsed.ok()) return ErrorResponse(parsed);
  auto read = s.desk.Read(call.agent, call.Param("serviceSessionId"), FieldOf(doc, "seq"));
  return read.ok() ? OkResponse() : ErrorResponse(read.status());
}

ApiResponse TransferAgentSession(Services& s, const Call& call) {
  rapidjson::Document doc;
  Status parsed = ParseJsonObject(call.request.body, doc);
  if (!parsed.ok()) return ErrorResponse(parsed);
  return SessionItemAnswer(s.desk.Transfer(call.agent, call.Param("serviceSessionId"), FieldOf(doc, "agentUserId"),
                                           FieldOf(doc, "queueId")));
}

ApiResponse SetSessionSummaries(Services& s, const Call& call) {
  rapidjson::Document doc;
  Status parsed = ParseJsonObject(call.request.body, doc);
  if (!parsed.ok()) return ErrorResponse(parsed);
  auto ids = IntegersOf(doc, "summaryIds");
  if (!ids.ok()) return ErrorResponse(ids.status());
  if (!*ids) return ErrorResponse(Error(Code::kInvalidParam, "summaryIds must be an array of integers"));
  return SessionItemAnswer(s.desk.SetSummaries(call.agent, call.Param("serviceSessionId"), **ids));
}

ApiResponse SetSessionComment(Services& s, const Call& call) {
  rapidjson::Document doc;
  Status parsed = ParseJsonObject(call.request.body, doc);
  if (!parsed.ok()) return ErrorResponse(parsed);
  auto comment = FieldOf(doc, "comment");
  if (comment.kind == domain::RawField::Kind::kAbsent) {
    return ErrorResponse(Error(Code::kInvalidParam, "comment must be a string of at most 1000 characters, or null"));
  }
  return SessionItemAnswer(s.desk.SetComment(call.agent, call.Param("serviceSessionId"), comment));
}

ApiResponse InviteSessionEnquiry(Services& s, const Call& call) {
  return SessionItemAnswer(s.desk.InviteEnquiry(call.agent, call.Param("serviceSessionId")));
}

ApiResponse CallVisitorBack(Services& s, const Call& call) {
  rapidjson::Document doc;
  Status parsed = ParseJsonObject(call.request.body, doc);
  if (!parsed.ok()) return ErrorResponse(parsed);
  return SessionItemAnswer(s.desk.Callback(call.agent, FieldOf(doc, "visitorUserId")));
}

ApiResponse CloseAgentSession(Services& s, const Call& call) {
  return SessionItemAnswer(s.desk.Close(call.agent, call.Param("serviceSessionId")));
}

// serviceSessionCurrents/{id}/… (LIVE §5, admin: the tenant's token or an admin agent's).
ApiResponse AdminAssignSession(Services& s, const Call& call) {
  rapidjson::Document doc;
  Status parsed = ParseJsonObject(call.request.body, doc);
  if (!parsed.ok()) return ErrorResponse(parsed);
  return SessionItemAnswer(s.desk.AdminAssign(call.grant, call.Param("serviceSessionId"), FieldOf(doc, "agentUserId"),
                                              FieldOf(doc, "queueId")));
}

ApiResponse GetAgentStates(Services& s, const Call& call) {
  auto loads = s.desk.AgentStates(call.grant);
  if (!loads.ok()) return ErrorResponse(loads.status());
  JsonOut out;
  out.BeginObject().Key("status").Str("OK").Key("entities").BeginArray();
  for (const auto& a : *loads) {
    out.BeginObject();
    out.Key("userId").Str(a.user_id).Key("username").Str(a.username).Key("nicename").Str(a.nicename);
    out.Key("state").Str(a.state).Key("processing").Int(a.processing);
    out.Key("maxServiceSessionCount").Int(a.max_service_sessions);
    out.EndObject();
  }
  out.EndArray().EndObject();
  return out.Ok();
}

ApiResponse GetSessionMessages(Services& s, const Call& call) {
  auto messages = s.desk.SessionMessages(call.grant, call.Param("serviceSessionId"), call.query.Get("afterSeq"),
                                         call.query.Get("limit"));
  if (!messages.ok()) return ErrorResponse(messages.status());
  JsonOut out;
  out.BeginObject().Key("status").Str("OK").Key("entities").BeginArray();
  for (const auto& m : *messages) WriteMessage(out, m, call.grant.zone, true);
  out.EndArray().EndObject();
  return out.Ok();
}

ApiResponse GetVisitorBindings(Services& s, const Call& call) {
  rapidjson::Document doc;
  Status parsed = ParseJsonObject(call.request.body, doc);
  if (!parsed.ok()) return ErrorResponse(parsed);
  auto it = doc.FindMember("visitorUsernames");
  const Status bad = Error(Code::kInvalidParam, "visitorUsernames must be an array of strings");
  if (it == doc.MemberEnd() || !it->value.IsArray()) return ErrorResponse(bad);
  std::vector<std::string> usernames;
  for (const auto& v : it->value.GetArray()) {
    if (!v.IsString()) return ErrorResponse(bad);
    usernames.emplace_back(v.GetString(), v.GetStringLength());
  }
  auto bindings = s.desk.Bindings(call.grant, usernames);
  if (!bindings.ok()) return ErrorResponse(bindings.status());
  JsonOut out;
  out.BeginObject().Key("status").Str("OK").Key("entities").BeginArray();
  for (const auto& b : *bindings) {
    out.BeginObject();
    out.Key("visitorUsername").Str(b.username);
    out.Key("visitor");
    if (b.visitor) {
      WriteVisitorUser(out, *b.visitor);
    } else {
      out.Null();
    }
    out.Key("techChannelId").OptInt(b.visitor ? std::optional<int64_t>(b.visitor->channel_id) : std::nullopt);
    const store::LiveSession* s = b.session ? &*b.session : nullptr;
    out.Key("serviceSessionId").OptStr(s ? std::optional<std::string>(s->session_id) : std::nullopt);
    out.Key("state").OptStr(s ? std::optional<std::string>(s->state == store::SessionState::kWait ? "Wait" : "Processing")
                              : std::nullopt);
    out.Key("agentUserId").OptStr(s ? s->agent_user_id : std::nullopt);
    out.EndObject();
  }
  out.EndArray().EndObject();
  return out.Ok();
}

ApiResponse AdminAbortSession(Services& s, const Call& call) {
  return SessionItemAnswer(s.desk.AdminAbort(call.grant, call.Param("serviceSessionId")));
}

ApiResponse AdminCloseSession(Services& s, const Call& call) {
  return SessionItemAnswer(s.desk.AdminClose(call.grant, call.Param("serviceSessionId")));
}

}  // namespace kefu::api
