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
// are 1, 2, 3, … without gaps; a thread has at most one open session.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
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
  int64_t agent_read_seq = 0;  // its agent has read the thread up to here
  std::vector<int64_t> summary_ids;  // session tags: leaves of the tenant's tree
  // The item's summarys (a JSON array of tag paths) and summarysDetail, as
  // the tree named them when the tags were set (history survives renames).
  std::optional<std::string> summarys, summarys_detail;
  std::optional<std::string> comment;
  bool enquiry_invited = false;  // its visitor may rate it
  int enquiry_summary = 0;       // 1–5; 0: not rated
  std::optional<std::string> enquiry_detail;
  std::vector<int64_t> enquiry_tag_ids;
  std::optional<std::string> enquiry_tag_names;  // as named when rated

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

// Which thread a unit of work locks: a visitor's.
struct ThreadKey {
  TenantId tenant_id = 0;
  std::string visitor_id;
  int64_t chat_group_id = 0;
};
inline ThreadKey ThreadOf(const VisitorGrant& v) { return ThreadKey{v.tenant_id, v.user_id, v.chat_group_id}; }
inline ThreadKey ThreadOf(const LiveSession& s) { return ThreadKey{s.tenant_id, s.visitor_id, s.chat_group_id}; }

// An agent as a session's history item names it, read when the item is.
struct AgentNames {
  std::string username, nicename, true_name;
};
using AgentNameMap = std::map<std::string, AgentNames>;  // by userId

// The history row of a session as it is now, given the names of the agents
// of its agent_user_set (those still there).
using SessionRenderer = std::function<SessionRow(const LiveSession&, const AgentNameMap&)>;

// The sender a msgId belongs to: "visitor", or "agent:" + userId.
inline std::string SenderKey(const std::string& from, const std::optional<std::string>& from_user_id) {
  return from == "agent" ? "agent:" + from_user_id.value_or("") : from;
}

// What a transfer or an assignment needs to know of an agent (LIVE §3).
struct AgentPresence {
  bool enabled = false;
  std::string state;  // Online, Busy, Leave, Hidden or Offline
};

// An agent at work as the admin console shows it (LIVE §5 agents/states).
struct AgentLoad {
  std::string user_id, username, nicename, state;
  int64_t processing = 0;  // its sessions in progress now
  int64_t max_service_sessions = 0;
};

// Which open sessions an admin lists (LIVE §5 serviceSessionCurrents); an
// empty list takes any.
struct OpenFilter {
  bool wait = true, processing = true;
  std::vector<std::string> agent_ids;  // the current agent's
  std::vector<int64_t> queue_ids;
};

// A live session with its history item's stored values (SessionRow::values).
struct LiveItem {
  LiveSession session;
  std::string values;
};

// What may be done to one thread inside one transaction, the thread locked
// (ConversationStore::WithThread). The state machine (domain/) decides; this
// only reads and writes.
class ThreadWork {
 public:
  virtual ~ThreadWork() = default;

  // The thread's open session, or nullopt.
  virtual Result<std::optional<LiveSession>> OpenSession() = 0;
  // A session of the thread by serviceSessionId (kNoSuchSession if none).
  virtual Result<LiveSession> Session(const std::string& session_id) = 0;
  // The message `sender` (SenderKey) sent with this msgId, or nullopt.
  virtual Result<std::optional<Message>> SentMessage(std::string_view sender, std::string_view msg_id) = 0;
  // Stores `m` as the thread's next message (its chat_group_id and seq are
  // set here) and answers it as stored.
  virtual Result<Message> Append(Message m) = 0;
  // Whether an enabled Online agent of the tenant may serve `queue_id` (a
  // member of it; any agent when it is none).
  virtual Result<bool> AnyoneOnline(const std::optional<int64_t>& queue_id) = 0;
  // One of the tenant's agents as it is now, or nullopt.
  virtual Result<std::optional<AgentPresence>> Agent(std::string_view user_id) = 0;
  // Writes the session's live row and its history row (by the renderer,
  // with the names its agents have now).
  virtual Status Save(const LiveSession& session) = 0;
};

using ThreadWorkFn = std::function<Status(ThreadWork&)>;

class ConversationStore {
 public:
  virtual ~ConversationStore() = default;

  // Runs `work` on `visitor`'s thread in one transaction, the thread locked
  // (writes to one thread take turns on every instance): committed when it
  // answers OK, rolled back otherwise; answers what `work` answered.
  // kBadToken if the visitor is gone.
  virtual Status WithThread(const ThreadKey& thread, const SessionRenderer& render, const ThreadWorkFn& work) = 0;
  // The thread's messages with a seq above `after_seq` and below
  // `before_seq`, oldest first: the first `limit` of them, or with
  // `newest` the last `limit`.
  virtual Result<std::vector<Message>> ListMessages(int64_t chat_group_id, int64_t after_seq, int64_t before_seq,
                                                    int64_t limit, bool newest = false) = 0;
  // One session's messages with a seq above `after_seq`, oldest first, at
  // most `limit`.
  virtual Result<std::vector<Message>> ListSessionMessages(int64_t chat_group_id, std::string_view session_id,
                                                           int64_t after_seq, int64_t limit) = 0;
  // A session of the tenant, whatever its state, or nullopt.
  virtual Result<std::optional<LiveSession>> FindSession(TenantId tenant, std::string_view session_id) = 0;
  // The tenant's waiting sessions, first in first, from `offset`, at most
  // `limit`, and how many there are: with `member` those of the skill
  // groups that agent is in and those of none; without, all; with `queue`
  // only that skill group's.
  virtual Result<std::pair<int64_t, std::vector<LiveItem>>> ListWaiting(TenantId tenant,
                                                                        std::optional<std::string_view> member,
                                                                        std::optional<int64_t> queue, int64_t offset,
                                                                        int64_t limit) = 0;
  // Every agent of the tenant with its sessions in progress, in the order
  // of the published agent search (created, then username).
  virtual Result<std::vector<AgentLoad>> AgentLoads(TenantId tenant) = 0;
  // The names of the tenant's agents among `user_ids` (those that exist).
  virtual Result<AgentNameMap> AgentNamesOf(TenantId tenant, const std::vector<std::string>& user_ids) = 0;
  // The tenant's open sessions that `filter` takes, first in first, from
  // `offset`, at most `limit`, and how many there are.
  virtual Result<std::pair<int64_t, std::vector<LiveItem>>> ListOpen(TenantId tenant, const OpenFilter& filter,
                                                                     int64_t offset, int64_t limit) = 0;
  // An agent's Processing sessions, oldest first.
  virtual Result<std::vector<LiveItem>> ListProcessing(TenantId tenant, std::string_view agent_user_id) = 0;
  // How many messages of `from` ("visitor") a session has above `after_seq`.
  virtual Result<int64_t> CountMessages(int64_t chat_group_id, std::string_view session_id, std::string_view from,
                                        int64_t after_seq) = 0;
  // The thread's open session, or nullopt.
  virtual Result<std::optional<LiveSession>> FindOpenSession(int64_t chat_group_id) = 0;
  // 1 + the sessions waiting in `session`'s skill group (or with none, when
  // it has none) of its tenant that entered before it.
  virtual Result<int64_t> QueuePosition(const LiveSession& session) = 0;
};

}  // namespace kefu::store
