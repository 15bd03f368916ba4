#include "domain/agent_desk_service.h"

#include <algorithm>
#include <limits>

#include "common/crypto.h"
#include "domain/session_machine.h"
#include "common/text.h"
#include "domain/session_renderer.h"
#include "domain/session_tags.h"

namespace kefu::domain {
namespace {

using store::SessionState;

constexpr int64_t kNoEnd = std::numeric_limits<int64_t>::max();

bool IsAdmin(const store::AgentTokenGrant& agent) { return agent.role_id == store::kAdminRoleId; }

// The tenant's token or an admin agent's, acting on the whole tenant.
store::AgentTokenGrant AsAdmin(const store::TokenGrant& grant) {
  store::AgentTokenGrant admin;
  admin.tenant_id = grant.tenant_id;
  admin.zone = grant.zone;
  admin.role_id = store::kAdminRoleId;
  return admin;
}

Status NotYours() { return Error(Code::kNotYourSession, "the service session is another agent's"); }

// An agent acts on its own session in progress; an admin on any.
Status RequireOwn(const store::AgentTokenGrant& agent, const store::LiveSession& s, bool admin_may) {
  if (s.state != SessionState::kProcessing) return Error(Code::kSessionState, "the service session is not in progress");
  if (s.agent_user_id == agent.user_id || (admin_may && IsAdmin(agent))) return Status::Ok();
  return NotYours();
}

// `page` (≥ 1, default 1) and `per_page` (1 to 50, default 50) as the
// history query reads them: the offset and the limit.
Result<std::pair<int64_t, int64_t>> Paging(std::optional<std::string_view> page,
                                           std::optional<std::string_view> per_page) {
  auto number = QueryInteger(page, "page", 1, std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max());
  if (!number.ok()) return number.status();
  if (*number < 1) return Error(Code::kPageIndex, "page must be 1 or more");
  auto size = QueryInteger(per_page, "per_page", 50, std::numeric_limits<int32_t>::min(),
                           std::numeric_limits<int32_t>::max());
  if (!size.ok()) return size.status();
  if (*size > 50) return Error(Code::kPageSize, "per_page must be at most 50");
  if (*size < 1) return Error(Code::kInvalidParam, "per_page must be at least 1");
  return std::make_pair((*number - 1) * *size, *size);
}

// The session's agents (any of its agentUserSet) and admins.
Status RequireServed(const store::AgentTokenGrant& agent, const store::LiveSession& s) {
  if (IsAdmin(agent)) return Status::Ok();
  if (std::find(s.agent_user_set.begin(), s.agent_user_set.end(), agent.user_id) != s.agent_user_set.end()) {
    return Status::Ok();
  }
  return NotYours();
}

}  // namespace

Result<store::LiveSession> AgentDeskService::Find(const store::AgentTokenGrant& agent, std::string_view session_id) {
  auto found = conversations_.FindSession(agent.tenant_id, session_id);
  if (!found.ok()) return found.status();
  if (!*found) return Error(Code::kNoSuchSession, "no such service session");
  return std::move(**found);
}

Result<bool> AgentDeskService::MayAccept(const store::AgentTokenGrant& agent, const store::LiveSession& s) {
  if (IsAdmin(agent) || !s.queue_id) return true;
  auto group = queues_.FindQueue(agent.tenant_id, *s.queue_id);
  if (!group.ok()) return group.status();
  if (!*group) return false;
  const auto& members = (*group)->member_ids;
  return std::find(members.begin(), members.end(), agent.user_id) != members.end();
}

Result<store::SessionRenderer> AgentDeskService::ItemRenderer(const store::AgentTokenGrant& agent,
                                                             const std::string& visitor_id, int64_t channel_id,
                                                             std::string* values) {
  auto render = RendererFor(visitors_, channels_, agent.tenant_id, agent.zone, visitor_id, channel_id);
  if (!render.ok()) {
    // A session whose visitor or channel is gone can no longer change.
    return render.status().code() == Code::kBadToken ? Error(Code::kSessionState, render.status().detail())
                                                      : render.status();
  }
  return store::SessionRenderer(
      [render = std::move(*render), values](const store::LiveSession& s, const store::AgentNameMap& agents) {
        store::SessionRow row = render(s, agents);
        *values = row.values;
        return row;
      });
}

Result<store::LiveItem> AgentDeskService::Change(
    const store::AgentTokenGrant& agent, const store::LiveSession& found,
    const std::function<Result<bool>(store::ThreadWork&, store::LiveSession&)>& change) {
  store::LiveItem after;
  auto keep = ItemRenderer(agent, found.visitor_id, found.channel_id, &after.values);
  if (!keep.ok()) return keep.status();
  Status done = conversations_.WithThread(store::ThreadOf(found), *keep, [&](store::ThreadWork& thread) -> Status {
    auto now = thread.Session(found.session_id);  // as it is under the lock
    if (!now.ok()) return now.status();
    after.session = std::move(*now);
    auto changed = change(thread, after.session);
    if (!changed.ok()) return changed.status();
    return *changed ? thread.Save(after.session) : Status::Ok();
  });
  if (!done.ok()) return done;
  return after;
}

Result<SessionPage> AgentDeskService::Waiting(const store::AgentTokenGrant& agent,
                                              std::optional<std::string_view> queue_id,
                                              std::optional<std::string_view> page,
                                              std::optional<std::string_view> per_page) {
  std::optional<int64_t> queue;
  if (queue_id) {
    auto id = QueryInteger(queue_id, "queueId", 0, 1, kNoEnd);
    if (!id.ok()) return id.status();
    queue = *id;
  }
  auto paging = Paging(page, per_page);
  if (!paging.ok()) return paging.status();
  const std::optional<std::string_view> member =
      IsAdmin(agent) ? std::nullopt : std::optional<std::string_view>(agent.user_id);
  auto listed = conversations_.ListWaiting(agent.tenant_id, member, queue, paging->first, paging->second);
  if (!listed.ok()) return listed.status();
  return SessionPage{listed->first, std::move(listed->second)};
}

Result<store::LiveItem> AgentDeskService::Accept(const store::AgentTokenGrant& agent, std::string_view session_id) {
  auto found = Find(agent, session_id);
  if (!found.ok()) return found.status();
  if (found->state != SessionState::kWait) return Error(Code::kSessionState, "the service session is not waiting");
  auto may = MayAccept(agent, *found);
  if (!may.ok()) return may.status();
  if (!*may) return Error(Code::kNotYourSession, "the service session waits in a skill group the agent is not in");
  return Change(agent, *found, [&](store::ThreadWork&, store::LiveSession& s) -> Result<bool> {
    KEFU_RETURN_IF_ERROR(Assign(s, agent.user_id, clock_.NowMillis()));
    return true;
  });
}

Result<std::vector<AgentSessionView>> AgentDeskService::MySessions(const store::AgentTokenGrant& agent) {
  auto items = conversations_.ListProcessing(agent.tenant_id, agent.user_id);
  if (!items.ok()) return items.status();
  std::vector<AgentSessionView> out;
  for (auto& item : *items) {
    const store::LiveSession& s = item.session;
    auto unread = conversations_.CountMessages(s.chat_group_id, s.session_id, "visitor", s.agent_read_seq);
    if (!unread.ok()) return unread.status();
    auto last = conversations_.ListMessages(s.chat_group_id, 0, kNoEnd, 1, true);
    if (!last.ok()) return last.status();
    AgentSessionView view{std::move(item), *unread, std::nullopt};
    if (!last->empty()) view.last_message = std::move(last->front());
    out.push_back(std::move(view));
  }
  return out;
}

Result<SentMessage> AgentDeskService::Send(const store::AgentTokenGrant& agent, std::string_view session_id,
                                           const AgentMessageInput& in) {
  KEFU_RETURN_IF_ERROR(CheckMessageBody(in.msg_id, in.type, in.msg));
  auto found = Find(agent, session_id);
  if (!found.ok()) return found.status();
  KEFU_RETURN_IF_ERROR(RequireOwn(agent, *found, false));
  const std::string sender = store::SenderKey("agent", agent.user_id);
  SentMessage out;
  auto after = Change(agent, *found, [&](store::ThreadWork& thread, store::LiveSession& s) -> Result<bool> {
    const int64_t now = clock_.NowMillis();  // under the thread's lock: times follow seqs
    auto seen = thread.SentMessage(sender, in.msg_id.text);
    if (!seen.ok()) return seen.status();
    if (*seen) {
      out.repeated = true;
      out.message = std::move(**seen);
      return false;  // stored before: nothing changes
    }
    KEFU_RETURN_IF_ERROR(RequireOwn(agent, s, false));  // again, under the lock
    store::Message m;
    m.session_id = s.session_id;
    m.from = "agent";
    m.from_user_id = agent.user_id;
    m.type = "txt";
    m.msg = in.msg.text;
    m.msg_id = in.msg_id.text;
    m.created_at = now;
    auto stored = thread.Append(m);
    if (!stored.ok()) return stored.status();
    out.message = std::move(*stored);
    NoteAgentMessage(s, out.message.seq, now);
    return true;
  });
  if (!after.ok()) return after.status();
  out.session = std::move(after->session);
  return out;
}

Result<std::vector<store::Message>> AgentDeskService::Messages(const store::AgentTokenGrant& agent,
                                                               std::string_view session_id,
                                                               std::optional<std::string_view> after_seq,
                                                               std::optional<std::string_view> before_seq,
                                                               std::optional<std::string_view> limit) {
  auto after = QueryInteger(after_seq, "afterSeq", 0, 0, kNoEnd);
  if (!after.ok()) return after.status();
  auto before = QueryInteger(before_seq, "beforeSeq", kNoEnd, 1, kNoEnd);
  if (!before.ok()) return before.status();
  auto at_most = QueryInteger(limit, "limit", kMaxMessagesPerRead, 1, kMaxMessagesPerRead);
  if (!at_most.ok()) return at_most.status();
  auto found = Find(agent, session_id);
  if (!found.ok()) return found.status();
  bool may = IsAdmin(agent) || (found->state == SessionState::kProcessing && found->agent_user_id == agent.user_id);
  if (!may && found->state == SessionState::kWait) {
    auto accept = MayAccept(agent, *found);
    if (!accept.ok()) return accept.status();
    may = *accept;
  }
  if (!may) return NotYours();
  return conversations_.ListMessages(found->chat_group_id, *after, *before, *at_most, before_seq.has_value());
}

Result<store::LiveItem> AgentDeskService::Read(const store::AgentTokenGrant& agent, std::string_view session_id,
                                                  const RawField& seq) {
  if (seq.kind != RawField::Kind::kInteger || seq.integer < 0) {
    return Error(Code::kInvalidParam, "seq must be an integer of 0 or more");
  }
  auto found = Find(agent, session_id);
  if (!found.ok()) return found.status();
  KEFU_RETURN_IF_ERROR(RequireOwn(agent, *found, false));
  return Change(agent, *found, [&](store::ThreadWork&, store::LiveSession& s) -> Result<bool> {
    KEFU_RETURN_IF_ERROR(RequireOwn(agent, s, false));
    const int64_t mark = std::max(s.agent_read_seq, std::min(seq.integer, s.last_seq));
    if (mark == s.agent_read_seq) return false;
    s.agent_read_seq = mark;
    return true;
  });
}

Result<store::LiveItem> AgentDeskService::Transfer(const store::AgentTokenGrant& agent, std::string_view session_id,
                                                  const RawField& agent_user_id, const RawField& queue_id) {
  const bool to_agent = agent_user_id.given(), to_queue = queue_id.given();
  if (to_agent == to_queue) return Error(Code::kInvalidParam, "give agentUserId or queueId, one of them");
  if (to_agent && agent_user_id.kind != RawField::Kind::kText) {
    return Error(Code::kInvalidParam, "agentUserId must be an agent's userId");
  }
  if (to_queue && queue_id.kind != RawField::Kind::kInteger) {
    return Error(Code::kInvalidParam, "queueId must be a skill group's id");
  }
  auto found = Find(agent, session_id);
  if (!found.ok()) return found.status();
  KEFU_RETURN_IF_ERROR(RequireOwn(agent, *found, true));
  if (to_queue) {
    auto group = queues_.FindQueue(agent.tenant_id, queue_id.integer);
    if (!group.ok()) return group.status();
    if (!*group) return Error(Code::kNoSuchResource, "no such skill group");
  }
  return Change(agent, *found, [&](store::ThreadWork& thread, store::LiveSession& s) -> Result<bool> {
    KEFU_RETURN_IF_ERROR(RequireOwn(agent, s, true));
    if (to_queue) {
      KEFU_RETURN_IF_ERROR(TransferToQueue(s, queue_id.integer, clock_.NowMillis()));
      return true;
    }
    KEFU_RETURN_IF_ERROR(RequireAvailable(thread, agent_user_id.text));
    KEFU_RETURN_IF_ERROR(TransferToAgent(s, agent_user_id.text));
    return true;
  });
}

Result<store::LiveItem> AgentDeskService::SetSummaries(const store::AgentTokenGrant& agent,
                                                      std::string_view session_id,
                                                      const std::vector<int64_t>& summary_ids) {
  auto tree = tags_.ListSummaryTags(agent.tenant_id);
  if (!tree.ok()) return tree.status();
  auto chosen = SelectSummaries(*tree, summary_ids);
  if (!chosen.ok()) return chosen.status();
  auto found = Find(agent, session_id);
  if (!found.ok()) return found.status();
  KEFU_RETURN_IF_ERROR(RequireServed(agent, *found));
  return Change(agent, *found, [&](store::ThreadWork&, store::LiveSession& s) -> Result<bool> {
    s.summary_ids = chosen->ids;
    s.summarys = chosen->summarys;
    s.summarys_detail = chosen->detail;
    return true;
  });
}

Result<store::LiveItem> AgentDeskService::SetComment(const store::AgentTokenGrant& agent, std::string_view session_id,
                                                    const RawField& comment) {
  std::optional<std::string> text;
  if (comment.kind == RawField::Kind::kText && !comment.text.empty()) {
    auto length = Utf8Length(comment.text);
    if (!length || *length > kMaxCommentLength) {
      return Error(Code::kInvalidParam, "comment must be a string of at most 1000 characters, or null");
    }
    text = comment.text;
  } else if (comment.kind != RawField::Kind::kNull && comment.kind != RawField::Kind::kText) {
    return Error(Code::kInvalidParam, "comment must be a string of at most 1000 characters, or null");
  }
  auto found = Find(agent, session_id);
  if (!found.ok()) return found.status();
  KEFU_RETURN_IF_ERROR(RequireServed(agent, *found));
  return Change(agent, *found, [&](store::ThreadWork&, store::LiveSession& s) -> Result<bool> {
    s.comment = text;
    return true;
  });
}

Result<store::LiveItem> AgentDeskService::InviteEnquiry(const store::AgentTokenGrant& agent,
                                                       std::string_view session_id) {
  auto found = Find(agent, session_id);
  if (!found.ok()) return found.status();
  KEFU_RETURN_IF_ERROR(RequireServed(agent, *found));
  return Change(agent, *found, [&](store::ThreadWork&, store::LiveSession& s) -> Result<bool> {
    if (s.enquiry_summary > 0) return Error(Code::kAlreadyRated, "the service session is rated already");
    if (s.state != SessionState::kProcessing && s.state != SessionState::kTerminal) {
      return Error(Code::kSessionState, "only a session in progress or ended with an agent is rated");
    }
    s.enquiry_invited = true;
    return true;
  });
}

Status AgentDeskService::RequireAvailable(store::ThreadWork& thread, const std::string& user_id) {
  auto target = thread.Agent(user_id);
  if (!target.ok()) return target.status();
  if (!*target) return Error(Code::kNoSuchAgent, "no agent of the tenant has that userId");
  if (!(*target)->enabled || (*target)->state == "Offline") {
    return Error(Code::kSessionState, "the agent is disabled or Offline");
  }
  return Status::Ok();
}

Result<store::LiveItem> AgentDeskService::AdminAssign(const store::TokenGrant& grant, std::string_view session_id,
                                                      const RawField& agent_user_id, const RawField& queue_id) {
  const store::AgentTokenGrant admin = AsAdmin(grant);
  const bool to_agent = agent_user_id.given(), to_queue = queue_id.given();
  if (to_agent == to_queue) return Error(Code::kInvalidParam, "give agentUserId or queueId, one of them");
  if (to_agent && agent_user_id.kind != RawField::Kind::kText) {
    return Error(Code::kInvalidParam, "agentUserId must be an agent's userId");
  }
  if (to_queue && queue_id.kind != RawField::Kind::kInteger) {
    return Error(Code::kInvalidParam, "queueId must be a skill group's id");
  }
  auto found = Find(admin, session_id);
  if (!found.ok()) return found.status();
  if (to_queue) {
    auto group = queues_.FindQueue(admin.tenant_id, queue_id.integer);
    if (!group.ok()) return group.status();
    if (!*group) return Error(Code::kNoSuchResource, "no such skill group");
  }
  return Change(admin, *found, [&](store::ThreadWork& thread, store::LiveSession& s) -> Result<bool> {
    if (to_queue) {
      KEFU_RETURN_IF_ERROR(MoveToQueue(s, queue_id.integer, clock_.NowMillis()));
      return true;
    }
    if (s.state != SessionState::kWait) return Error(Code::kSessionState, "the service session is not waiting");
    KEFU_RETURN_IF_ERROR(RequireAvailable(thread, agent_user_id.text));
    KEFU_RETURN_IF_ERROR(Assign(s, agent_user_id.text, clock_.NowMillis()));
    return true;
  });
}

Result<SessionPage> AgentDeskService::OpenSessions(const store::TokenGrant& admin,
                                                  const std::vector<std::string>& states,
                                                  const std::vector<std::string>& agent_ids,
                                                  const std::vector<std::string>& queue_ids,
                                                  std::optional<std::string_view> page,
                                                  std::optional<std::string_view> per_page) {
  store::OpenFilter filter;
  if (!states.empty()) {
    filter.wait = filter.processing = false;
    for (const auto& s : states) {
      if (s == "Wait") {
        filter.wait = true;
      } else if (s == "Processing") {
        filter.processing = true;
      } else {
        return Error(Code::kInvalidParam, "state must be Wait or Processing (open sessions)");
      }
    }
  }
  filter.agent_ids = agent_ids;
  for (const auto& q : queue_ids) {
    auto id = ParseInteger(q, 1, kNoEnd);
    if (!id) return Error(Code::kInvalidParam, "queueIds must be skill groups' ids");
    filter.queue_ids.push_back(*id);
  }
  auto paging = Paging(page, per_page);
  if (!paging.ok()) return paging.status();
  auto listed = conversations_.ListOpen(admin.tenant_id, filter, paging->first, paging->second);
  if (!listed.ok()) return listed.status();
  return SessionPage{listed->first, std::move(listed->second)};
}

Result<std::vector<VisitorBinding>> AgentDeskService::Bindings(const store::TokenGrant& admin,
                                                              const std::vector<std::string>& usernames) {
  if (usernames.size() > 10) return Error(Code::kTooManyVisitors, "at most 10 visitorUsernames");
  std::vector<VisitorBinding> out;
  for (const auto& username : usernames) {
    auto visitors = visitors_.FindVisitorsByUsername(admin.tenant_id, username);
    if (!visitors.ok()) return visitors.status();
    if (visitors->empty()) out.push_back(VisitorBinding{username, std::nullopt, std::nullopt});
    for (auto& v : *visitors) {
      auto open = conversations_.FindOpenSession(v.chat_group_id);
      if (!open.ok()) return open.status();
      out.push_back(VisitorBinding{username, std::move(v), std::move(*open)});
    }
  }
  return out;
}

Result<std::vector<store::AgentLoad>> AgentDeskService::AgentStates(const store::TokenGrant& admin) {
  return conversations_.AgentLoads(admin.tenant_id);
}

Result<std::vector<store::Message>> AgentDeskService::SessionMessages(const store::TokenGrant& grant,
                                                                      std::string_view session_id,
                                                                      std::optional<std::string_view> after_seq,
                                                                      std::optional<std::string_view> limit) {
  auto after = QueryInteger(after_seq, "afterSeq", 0, 0, kNoEnd);
  if (!after.ok()) return after.status();
  auto at_most = QueryInteger(limit, "limit", kMaxMessagesPerRead, 1, kMaxMessagesPerRead);
  if (!at_most.ok()) return at_most.status();
  auto found = Find(AsAdmin(grant), session_id);
  if (!found.ok()) return found.status();
  return conversations_.ListSessionMessages(found->chat_group_id, found->session_id, *after, *at_most);
}

Result<store::LiveItem> AgentDeskService::AdminAbort(const store::TokenGrant& grant, std::string_view session_id) {
  const store::AgentTokenGrant admin = AsAdmin(grant);
  auto found = Find(admin, session_id);
  if (!found.ok()) return found.status();
  return Change(admin, *found, [&](store::ThreadWork&, store::LiveSession& s) -> Result<bool> {
    KEFU_RETURN_IF_ERROR(AbortWaiting(s, clock_.NowMillis()));
    return true;
  });
}

Result<store::LiveItem> AgentDeskService::AdminClose(const store::TokenGrant& grant, std::string_view session_id) {
  const store::AgentTokenGrant admin = AsAdmin(grant);
  auto found = Find(admin, session_id);
  if (!found.ok()) return found.status();
  return Change(admin, *found, [&](store::ThreadWork&, store::LiveSession& s) -> Result<bool> {
    KEFU_RETURN_IF_ERROR(EndByAgent(s, clock_.NowMillis()));
    return true;
  });
}

Result<store::LiveItem> AgentDeskService::Callback(const store::AgentTokenGrant& agent,
                                                  const RawField& visitor_user_id) {
  if (visitor_user_id.kind != RawField::Kind::kText || visitor_user_id.text.empty()) {
    return Error(Code::kInvalidParam, "visitorUserId must be a visitor's userId");
  }
  auto visitor = visitors_.FindVisitor(agent.tenant_id, visitor_user_id.text);
  if (!visitor.ok()) return visitor.status();
  if (!*visitor) return Error(Code::kNoSuchResource, "no such visitor");
  store::LiveItem made;
  auto keep = ItemRenderer(agent, (*visitor)->user_id, (*visitor)->channel_id, &made.values);
  if (!keep.ok()) return keep.status();
  const store::ThreadKey key{agent.tenant_id, (*visitor)->user_id, (*visitor)->chat_group_id};
  Status done = conversations_.WithThread(key, *keep, [&](store::ThreadWork& thread) -> Status {
    auto open = thread.OpenSession();
    if (!open.ok()) return open.status();
    if (*open) return Error(Code::kSessionState, "the visitor's thread has an open service session");
    made.session = OpenByCallback(**visitor, NewUuidV4(), agent.user_id, clock_.NowMillis());
    return thread.Save(made.session);
  });
  if (!done.ok()) return done;
  return made;
}

Result<store::LiveItem> AgentDeskService::Close(const store::AgentTokenGrant& agent, std::string_view session_id) {
  auto found = Find(agent, session_id);
  if (!found.ok()) return found.status();
  KEFU_RETURN_IF_ERROR(RequireOwn(agent, *found, true));
  return Change(agent, *found, [&](store::ThreadWork&, store::LiveSession& s) -> Result<bool> {
    KEFU_RETURN_IF_ERROR(RequireOwn(agent, s, true));
    KEFU_RETURN_IF_ERROR(EndByAgent(s, clock_.NowMillis()));
    return true;
  });
}

}  // namespace kefu::domain
