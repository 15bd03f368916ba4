// A service session's life (LIVE §2), in one place: each transition is a
// function that checks the state it starts from and sets exactly the fields
// LIVE §2's row names. The services run them inside one store transaction
// (ConversationStore::WithThread) and save what they return.
#pragma once

#include <optional>
#include <string>

#include "common/status.h"
#include "store/conversation_store.h"
#include "store/visitor_store.h"

namespace kefu::domain {

// "a visitor writes while its thread has no open session" → Wait, in
// `queue_id` (LIVE §3), entering it at `now` (UTC milliseconds).
store::LiveSession OpenWaiting(const store::VisitorGrant& visitor, std::string session_id,
                               std::optional<int64_t> queue_id, int64_t now);

// "an agent calls a visitor back (回呼)" → Processing at once with that
// agent: fromAgentCallback, startDateTime, the agent fields.
store::LiveSession OpenByCallback(const store::Visitor& visitor, std::string session_id,
                                  const std::string& agent_user_id, int64_t now);

// "the visitor ends it": from Wait, Abort if it never had an agent, else
// Terminal; from Processing, Terminal; stopDateTime `now`. kSessionState
// from any other state.
Status EndByVisitor(store::LiveSession& session, int64_t now);

// "assigned: by the router, an agent's accept, an admin, or a designated
// agent": Wait → Processing; startDateTime on the first assignment only,
// the agent, agentUserSet += the agent (each once, in order). kSessionState
// from any other state.
Status Assign(store::LiveSession& session, const std::string& agent_user_id, int64_t now);

// "transfer to another agent": Processing → Processing; the agent,
// agentUserSet += it, transfered. kSessionState from another state or to
// the agent it has.
Status TransferToAgent(store::LiveSession& session, const std::string& agent_user_id);

// "transfer to a skill group": Processing → Wait in `queue_id`, entering its
// queue at `now`; no agent, transfered. kSessionState from another state.
Status TransferToQueue(store::LiveSession& session, int64_t queue_id, int64_t now);

// An admin moves a waiting session to another skill group (LIVE §3): it
// stays in Wait and enters that queue at `now`. kSessionState otherwise.
Status MoveToQueue(store::LiveSession& session, int64_t queue_id, int64_t now);

// "an admin aborts it": from Wait, Abort if it never had an agent, else
// Terminal; stopDateTime. kSessionState from any other state.
Status AbortWaiting(store::LiveSession& session, int64_t now);

// "the agent or an admin closes it": Processing → Terminal, stopDateTime.
// kSessionState from any other state.
Status EndByAgent(store::LiveSession& session, int64_t now);

// An agent's message `seq` at `now`: messageSeqId and agentLastMessageDate.
void NoteAgentMessage(store::LiveSession& session, int64_t seq, int64_t now);

}  // namespace kefu::domain
