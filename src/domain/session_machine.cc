#include "domain/session_machine.h"

namespace kefu::domain {

using store::SessionState;

store::LiveSession OpenWaiting(const store::VisitorGrant& visitor, std::string session_id,
                               std::optional<int64_t> queue_id, int64_t now) {
  store::LiveSession s;
  s.session_id = std::move(session_id);
  s.tenant_id = visitor.tenant_id;
  s.visitor_id = visitor.user_id;
  s.chat_group_id = visitor.chat_group_id;
  s.channel_id = visitor.channel_id;
  s.state = SessionState::kWait;
  s.queue_id = queue_id;
  s.queued_at = s.created_at = now;
  return s;
}

Status EndByVisitor(store::LiveSession& s, int64_t now) {
  if (!s.open()) return Error(Code::kSessionState, "the service session has ended");
  s.state = s.state == SessionState::kWait && s.agent_user_set.empty() ? SessionState::kAbort : SessionState::kTerminal;
  s.stopped_at = now;
  return Status::Ok();
}

}  // namespace kefu::domain
