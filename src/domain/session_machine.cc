#include "domain/session_machine.h"

#include <algorithm>

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

store::LiveSession OpenByCallback(const store::Visitor& visitor, std::string session_id,
                                  const std::string& agent_user_id, int64_t now) {
  store::LiveSession s;
  s.session_id = std::move(session_id);
  s.tenant_id = visitor.tenant_id;
  s.visitor_id = visitor.user_id;
  s.chat_group_id = visitor.chat_group_id;
  s.channel_id = visitor.channel_id;
  s.state = SessionState::kProcessing;
  s.queued_at = s.created_at = now;
  s.started_at = now;
  s.agent_user_id = agent_user_id;
  s.agent_user_set = {agent_user_id};
  s.from_agent_callback = true;
  return s;
}

Status EndByVisitor(store::LiveSession& s, int64_t now) {
  if (!s.open()) return Error(Code::kSessionState, "the service session has ended");
  s.state = s.state == SessionState::kWait && s.agent_user_set.empty() ? SessionState::kAbort : SessionState::kTerminal;
  s.stopped_at = now;
  return Status::Ok();
}

Status Assign(store::LiveSession& s, const std::string& agent_user_id, int64_t now) {
  if (s.state != SessionState::kWait) return Error(Code::kSessionState, "the service session is not waiting");
  s.state = SessionState::kProcessing;
  if (!s.started_at) s.started_at = now;
  s.agent_user_id = agent_user_id;
  if (std::find(s.agent_user_set.begin(), s.agent_user_set.end(), agent_user_id) == s.agent_user_set.end()) {
    s.agent_user_set.push_back(agent_user_id);
  }
  return Status::Ok();
}

Status TransferToAgent(store::LiveSession& s, const std::string& agent_user_id) {
  if (s.state != SessionState::kProcessing) return Error(Code::kSessionState, "the service session is not in progress");
  if (s.agent_user_id == agent_user_id) return Error(Code::kSessionState, "the service session is that agent's already");
  s.agent_user_id = agent_user_id;
  if (std::find(s.agent_user_set.begin(), s.agent_user_set.end(), agent_user_id) == s.agent_user_set.end()) {
    s.agent_user_set.push_back(agent_user_id);
  }
  s.transfered = true;
  return Status::Ok();
}

Status TransferToQueue(store::LiveSession& s, int64_t queue_id, int64_t now) {
  if (s.state != SessionState::kProcessing) return Error(Code::kSessionState, "the service session is not in progress");
  s.state = SessionState::kWait;
  s.queue_id = queue_id;
  s.agent_user_id.reset();
  s.queued_at = now;
  s.transfered = true;
  return Status::Ok();
}

Status MoveToQueue(store::LiveSession& s, int64_t queue_id, int64_t now) {
  if (s.state != SessionState::kWait) return Error(Code::kSessionState, "the service session is not waiting");
  s.queue_id = queue_id;
  s.queued_at = now;
  return Status::Ok();
}

Status AbortWaiting(store::LiveSession& s, int64_t now) {
  if (s.state != SessionState::kWait) return Error(Code::kSessionState, "the service session is not waiting");
  return EndByVisitor(s, now);
}

Status EndByAgent(store::LiveSession& s, int64_t now) {
  if (s.state != SessionState::kProcessing) return Error(Code::kSessionState, "the service session is not in progress");
  s.state = SessionState::kTerminal;
  s.stopped_at = now;
  return Status::Ok();
}

void NoteAgentMessage(store::LiveSession& s, int64_t seq, int64_t now) {
  s.last_seq = seq;
  s.agent_last_message_at = now;
}

}  // namespace kefu::domain
