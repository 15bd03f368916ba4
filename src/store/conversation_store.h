// Live conversations (LIVE §1, §2): the messages of a visitor's thread and
// the service sessions they make. A live session is a row of its own
// (`live_sessions`: the state machine's fields) and, in the same
// transaction as every change to it, a history row that the published
// history query reads (HistoryStore's `sessions`): the caller renders that
// row from the session (a Renderer), so the store never formats an item.
//
// As every store: safe from several threads, may block, kStoreUnavailable on
// a failing database with nothing changed, one transaction per write.
// Writes to one thread take turns (its visitor's row is locked), so seqs
// are 1, 2, 3, … without gaps and a thread has at most one open session.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "store/records.h"
#include "store/session_records.h"
#include "store/visitor_store.h"

namespace kefu::store {

// One episode of a thread (LIVE §1): the fields its transitions set. Times
// are UTC milliseconds.
struct LiveSession {
  std::string session_id;  // serviceSessionId
  TenantId tenant_id = 0;
  std::string visitor_id;  // the visitor's userId
  int64_t chat_group_id = 0;
  int64_t channel_id = 0;
  SessionState state = SessionState::kWait;
  std::optional<int64_t> queue_id;
  std::optional<std::string> agent_user_id;
  int64_t queued_at = 0;  // when it entered its queue: first in, first out
  int64_t created_at = 0;
  std::optional<int64_t> started_at, stopped_at;
  std::vector<std::string> agent_user_set;  // each agent once, in order
  bool transfered = false;
  bool from_agent_callback = false;
  int64_t last_seq = 0;  // its last message's seq (messageSeqId)
  std::optional<int64_t> agent_last_message_at;

  bool open() const { return state == SessionState::kWait || state == SessionState::kProcessing; }
};

// A message of a thread (LIVE §1).
struct Message {
  int64_t chat_group_id = 0;
  int64_t seq = 0;
  std::string session_id;
  std::string from;                          // visitor, agent or system
  std::optional<std::string> from_user_id;   // an agent's userId
  std::string type;                          // txt, img or file
  std::optional<std::string> msg;            // txt
  std::optional<std::string> media_id, filename;
  std::optional<int64_t> size;
  std::optional<std::string> msg_id;         // the sender's own id
  int64_t created_at = 0;                    // UTC milliseconds
};

// What a visitor's message may open, decided before it is stored.
struct SessionOpening {
  std::string session_id;                    // a new serviceSessionId
  std::optional<int64_t> queue_id;           // the skill group it waits in (LIVE §3)
  std::optional<std::string> greeting;       // a system message after the first one
  std::optional<std::string> off_duty_message;  // … when no agent that may serve it is Online
};

// The history row of a session as it is now.
using SessionRenderer = std::function<SessionRow(const LiveSession&)>;

struct AppendedMessage {
  Message message;
  LiveSession session;  // as it is after
  bool opened = false;  // the message opened the session
  bool repeated = false;  // the msgId was stored before: nothing was stored now
  std::vector<Message> system_messages;  // greeting and off-duty message, stored after it
};

class ConversationStore {
 public:
  virtual ~ConversationStore() = default;

  // Appends a visitor's message (`draft`'s seq, session_id and created_at
  // are set here) to `visitor`'s thread at `now`. When the thread has no
  // open session, one opens in Wait per `opening`, and its system messages
  // follow. A msgId the visitor sent before stores nothing and answers that
  // message (repeated). The session's history row is rendered anew.
  virtual Result<AppendedMessage> AppendVisitorMessage(const VisitorGrant& visitor, const Message& draft,
                                                       const SessionOpening& opening, int64_t now,
                                                       const SessionRenderer& render) = 0;
  // The thread's messages with a seq above `after_seq`, oldest first, at
  // most `limit`.
  virtual Result<std::vector<Message>> ListMessages(int64_t chat_group_id, int64_t after_seq, int64_t limit) = 0;
  // The thread's open session, or nullopt.
  virtual Result<std::optional<LiveSession>> FindOpenSession(int64_t chat_group_id) = 0;
  // 1 + the sessions waiting in `session`'s skill group (or with none, when
  // it has none) of its tenant that entered before it.
  virtual Result<int64_t> QueuePosition(const LiveSession& session) = 0;
  // The visitor ends its thread's open session at `now` (LIVE §2): Abort
  // if it never had an agent, else Terminal. nullopt when none is open.
  virtual Result<std::optional<LiveSession>> CloseByVisitor(const VisitorGrant& visitor, int64_t now,
                                                            const SessionRenderer& render) = 0;
};

}  // namespace kefu::store
