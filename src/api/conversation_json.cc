#include "api/conversation_json.h"

namespace kefu::api {
namespace {

constexpr const char* kStateNames[] = {"Wait", "Processing", "Terminal", "Abort"};

}  // namespace

void WriteMessage(JsonOut& out, const store::Message& m, TimeZone zone, bool for_agent) {
  out.BeginObject();
  out.Key("seq").Int(m.seq);
  out.Key("serviceSessionId").Str(m.session_id);
  out.Key("from").Str(m.from);
  if (for_agent && m.from == "agent") out.Key("agentUserId").OptStr(m.from_user_id);
  out.Key("type").Str(m.type);
  out.Key("msg").OptStr(m.msg);
  out.Key("msgId").OptStr(m.msg_id);
  out.Key("createDateTime").Str(FormatLocalDateTime(m.created_at / 1000, zone));
  out.Key("timestamp").Int(m.created_at);
  out.EndObject();
}

void WriteVisitorUser(JsonOut& out, const store::Visitor& v) {
  out.BeginObject();
  out.Key("userId").Str(v.user_id);
  out.Key("nicename").Str(v.nicename);
  out.Key("username").Str(v.username);
  out.EndObject();
}

void WriteVisitorSession(JsonOut& out, const store::LiveSession& s, std::optional<int64_t> queue_position,
                         const std::optional<std::string>& agent_nicename) {
  out.BeginObject();
  out.Key("serviceSessionId").Str(s.session_id);
  out.Key("state").Str(kStateNames[static_cast<int>(s.state)]);
  out.Key("queuePosition").OptInt(queue_position);
  out.Key("agentNicename").OptStr(agent_nicename);
  out.EndObject();
}

}  // namespace kefu::api
