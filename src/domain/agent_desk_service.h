// Live conversations from the agent's side (LIVE §3 by hand, §5, §7): the
// wait list of its skill groups, accepting a waiting session (even past its
// capacity), its sessions in progress with their unread counts, reading and
// writing their threads, and closing them. An agent acts only on its own
// sessions (API_203); an admin agent sees and acts on the whole tenant.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "domain/clock.h"
#include "domain/conversation_service.h"
#include "domain/raw_field.h"
#include "store/channel_store.h"
#include "store/conversation_store.h"
#include "store/queue_store.h"
#include "store/records.h"
#include "store/tag_store.h"
#include "store/visitor_store.h"

namespace kefu::domain {

struct SessionPage {
  int64_t total = 0;
  std::vector<store::LiveItem> items;
};

// One of an agent's sessions in progress, as its workbench lists it.
struct AgentSessionView {
  store::LiveItem item;
  int64_t unread = 0;  // the visitor's messages after the agent's read mark
  std::optional<store::Message> last_message;
};

// A session's comment: at most this many characters.
inline constexpr size_t kMaxCommentLength = 1000;

// A visitor and its open session, if any (visitors/sessions).
struct VisitorBinding {
  std::string username;
  std::optional<store::Visitor> visitor;      // none: no visitor has the username
  std::optional<store::LiveSession> session;  // its open one
};

// POST …/messages's body, as it arrived.
struct AgentMessageInput {
  RawField msg_id, type, msg, media_id;
};

class AgentDeskService {
 public:
  AgentDeskService(store::ConversationStore& conversations, store::VisitorStore& visitors,
                   store::ChannelStore& channels, store::QueueStore& queues, store::TagStore& tags,
                   const Clock& clock = SystemClock())
      : conversations_(conversations),
        visitors_(visitors),
        channels_(channels),
        queues_(queues),
        tags_(tags),
        clock_(clock) {}

  // Waiting sessions the agent may accept (an admin: all), first in first;
  // `page` ≥ 1 (default 1), `per_page` 1 to 50 (default 50), `queueId` one
  // skill group's only. API_111/API_112/API_001 as the history query.
  Result<SessionPage> Waiting(const store::AgentTokenGrant& agent, std::optional<std::string_view> queue_id,
                              std::optional<std::string_view> page, std::optional<std::string_view> per_page);
  // Assigns a waiting session to the calling agent, whatever its capacity:
  // API_201 if the tenant has no such session, API_202 if it is not
  // waiting, API_203 if it waits in a skill group the agent is not in.
  Result<store::LiveItem> Accept(const store::AgentTokenGrant& agent, std::string_view session_id);
  // The agent's sessions in progress, oldest first.
  Result<std::vector<AgentSessionView>> MySessions(const store::AgentTokenGrant& agent);
  // Sends a message in the agent's own session in progress (API_203 for
  // another's, API_202 when it is not in progress); checks as the
  // visitor's. The same msgId again answers the stored message.
  Result<SentMessage> Send(const store::AgentTokenGrant& agent, std::string_view session_id,
                           const AgentMessageInput& in);
  // The session's thread, earlier sessions included: after `afterSeq`,
  // before `beforeSeq` (the newest `limit` of them), oldest first. An
  // agent reads its sessions in progress and the wait list it may accept.
  Result<std::vector<store::Message>> Messages(const store::AgentTokenGrant& agent, std::string_view session_id,
                                               std::optional<std::string_view> after_seq,
                                               std::optional<std::string_view> before_seq,
                                               std::optional<std::string_view> limit);
  // Marks the agent's own session read up to `seq` (API_001 unless an
  // integer ≥ 0); a mark never moves back nor past the last message.
  Result<store::LiveItem> Read(const store::AgentTokenGrant& agent, std::string_view session_id, const RawField& seq);
  // Hands the agent's own session in progress (an admin: any) to another
  // agent (`agentUserId`: API_104 if none of the tenant's, API_202 if it
  // is disabled or Offline; its capacity does not matter: whoever names it
  // has chosen) or back to a skill group's queue (`queueId`: API_205 if
  // none of the tenant's). Exactly one of the two (API_001).
  Result<store::LiveItem> Transfer(const store::AgentTokenGrant& agent, std::string_view session_id,
                                   const RawField& agent_user_id, const RawField& queue_id);
  // Session tags and comment (LIVE §2), by the session's agents (any of its
  // agentUserSet) or an admin, open or closed. Tags: leaves of the tenant's
  // tree (API_205 for none of its tags, API_001 for a tag with children);
  // an empty list clears them. Comment: up to kMaxCommentLength
  // characters; null or "" clears it.
  Result<store::LiveItem> SetSummaries(const store::AgentTokenGrant& agent, std::string_view session_id,
                                       const std::vector<int64_t>& summary_ids);
  Result<store::LiveItem> SetComment(const store::AgentTokenGrant& agent, std::string_view session_id,
                                     const RawField& comment);
  // Invites the visitor to rate the session (LIVE §2): by its agents or an
  // admin, while it is in progress or after it ended with an agent; API_206
  // once rated.
  Result<store::LiveItem> InviteEnquiry(const store::AgentTokenGrant& agent, std::string_view session_id);
  // An admin's hand on a waiting session (LIVE §3, §5 serviceSessionCurrents):
  // assign it to a named agent (enabled and not Offline, else API_202;
  // none of the tenant's: API_104; whatever its room) or move it to another
  // skill group's queue (API_205 for none of the tenant's); exactly one of
  // the two (API_001).
  Result<store::LiveItem> AdminAssign(const store::TokenGrant& admin, std::string_view session_id,
                                      const RawField& agent_user_id, const RawField& queue_id);
  // The tenant's open sessions (LIVE §5 serviceSessionCurrents), oldest
  // first: `state` Wait and/or Processing (default both), `agentIds` the
  // current agents', `queueIds` skill groups (lists repeated or
  // comma-separated; API_001 for other values), paged as the history query.
  Result<SessionPage> OpenSessions(const store::TokenGrant& admin, const std::vector<std::string>& states,
                                   const std::vector<std::string>& agent_ids,
                                   const std::vector<std::string>& queue_ids, std::optional<std::string_view> page,
                                   std::optional<std::string_view> per_page);
  // Each visitor's binding (绑定关系, LIVE §5 visitors/sessions): for every
  // username, each of the tenant's visitors of it (one per channel) with its
  // open session, or none. More than 10 usernames: API_020.
  Result<std::vector<VisitorBinding>> Bindings(const store::TokenGrant& admin, const std::vector<std::string>& usernames);
  // Every agent of the tenant with its state and load (LIVE §5 agents/states).
  Result<std::vector<store::AgentLoad>> AgentStates(const store::TokenGrant& admin);
  // Any session's own messages, for CRMs (LIVE §5 serviceSessionHistorys/
  // {id}/messages): after `afterSeq`, at most `limit` (1 to 100), oldest
  // first; API_201 for none of the tenant's live sessions.
  Result<std::vector<store::Message>> SessionMessages(const store::TokenGrant& admin, std::string_view session_id,
                                                      std::optional<std::string_view> after_seq,
                                                      std::optional<std::string_view> limit);
  // An admin aborts a waiting session (API_202 when it is not waiting).
  Result<store::LiveItem> AdminAbort(const store::TokenGrant& admin, std::string_view session_id);
  // An admin closes a session in progress.
  Result<store::LiveItem> AdminClose(const store::TokenGrant& admin, std::string_view session_id);
  // Calls a visitor of the tenant back (LIVE §2 回呼): a new session in
  // progress with the calling agent. API_205 for none of the tenant's
  // visitors, API_202 when its thread has an open session.
  Result<store::LiveItem> Callback(const store::AgentTokenGrant& agent, const RawField& visitor_user_id);
  // Closes the agent's own session in progress (an admin: any).
  Result<store::LiveItem> Close(const store::AgentTokenGrant& agent, std::string_view session_id);

 private:
  // Checks a named agent's presence inside a unit of work: API_104 when it
  // is none of the tenant's, API_202 when disabled or Offline.
  static Status RequireAvailable(store::ThreadWork& thread, const std::string& user_id);
  // The tenant's session (API_201 otherwise).
  Result<store::LiveSession> Find(const store::AgentTokenGrant& agent, std::string_view session_id);
  // Whether the agent may take `session` from the wait list: an admin, a
  // member of its skill group, or any agent when it has none.
  Result<bool> MayAccept(const store::AgentTokenGrant& agent, const store::LiveSession& session);
  // The history renderer of a session of `visitor_id` on `channel_id`, which
  // also keeps the values it renders in `*values` (for the answer);
  // kSessionState when the visitor or its channel is gone.
  Result<store::SessionRenderer> ItemRenderer(const store::AgentTokenGrant& agent, const std::string& visitor_id,
                                              int64_t channel_id, std::string* values);
  // Runs `change` on the session inside its thread's unit of work, saving
  // the session it leaves when it answers true (it changed); answers the
  // session with its history item's values when saved.
  Result<store::LiveItem> Change(const store::AgentTokenGrant& agent, const store::LiveSession& found,
                                 const std::function<Result<bool>(store::ThreadWork&, store::LiveSession&)>& change);

  store::ConversationStore& conversations_;
  store::VisitorStore& visitors_;
  store::ChannelStore& channels_;
  store::QueueStore& queues_;
  store::TagStore& tags_;
  const Clock& clock_;
};

}  // namespace kefu::domain
