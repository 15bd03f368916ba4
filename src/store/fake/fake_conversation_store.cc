#include "store/fake/fake_conversation_store.h"

#include <algorithm>

namespace kefu::store::fake {

// ThreadWork on the fake's state, under its mutex.
class FakeConversationStore::Work final : public ThreadWork {
 public:
  Work(FakeConversationStore& store, const VisitorGrant& visitor, const SessionRenderer& render, int64_t last_seq)
      : store_(store), visitor_(visitor), render_(render), last_seq_(last_seq) {}

  int64_t last_seq() const { return last_seq_; }

  Result<std::optional<LiveSession>> OpenSession() override {
    const LiveSession* open = store_.OpenOf(visitor_.chat_group_id);
    return open ? std::optional<LiveSession>(*open) : std::nullopt;
  }

  Result<LiveSession> Session(const std::string& session_id) override {
    auto it = store_.state_.sessions.find(session_id);
    if (it == store_.state_.sessions.end() || it->second.chat_group_id != visitor_.chat_group_id) {
      return Error(Code::kNoSuchSession, "no such service session");
    }
    return it->second;
  }

  Result<std::optional<Message>> VisitorMessage(std::string_view msg_id) override {
    for (const auto& [key, m] : store_.state_.messages) {
      if (key.first == visitor_.chat_group_id && m.from == "visitor" && m.msg_id == msg_id) {
        return std::optional<Message>(m);
      }
    }
    return std::optional<Message>();
  }

  Result<Message> Append(Message m) override {
    m.chat_group_id = visitor_.chat_group_id;
    m.seq = ++last_seq_;
    store_.state_.messages[{m.chat_group_id, m.seq}] = m;
    return m;
  }

  Result<bool> AnyoneOnline(const std::optional<int64_t>& queue_id) override {
    auto roster = store_.agents_.ListAgents(visitor_.tenant_id, 1000000);
    if (!roster.ok()) return roster.status();
    std::vector<std::string> members;
    if (queue_id) {
      auto group = store_.queues_.FindQueue(visitor_.tenant_id, *queue_id);
      if (!group.ok()) return group.status();
      if (*group) members = (*group)->member_ids;
    }
    return std::any_of(roster->agents.begin(), roster->agents.end(), [&](const Agent& a) {
      return a.enabled && a.state == "Online" &&
             (!queue_id || std::find(members.begin(), members.end(), a.user_id) != members.end());
    });
  }

  Status Save(const LiveSession& session) override {
    store_.state_.sessions[session.session_id] = session;
    store_.state_.history[session.session_id] = render_(session);
    return Status::Ok();
  }

 private:
  FakeConversationStore& store_;
  const VisitorGrant& visitor_;
  const SessionRenderer& render_;
  int64_t last_seq_;
};

const LiveSession* FakeConversationStore::OpenOf(int64_t chat_group_id) const {
  for (const auto& [id, s] : state_.sessions) {
    if (s.chat_group_id == chat_group_id && s.open()) return &s;
  }
  return nullptr;
}

Status FakeConversationStore::WithThread(const VisitorGrant& visitor, const SessionRenderer& render,
                                         const ThreadWorkFn& work) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  auto me = visitors_.FindVisitor(visitor.tenant_id, visitor.user_id);
  if (!me.ok()) return me.status();
  if (!*me) return Error(Code::kBadToken, "the visitor is gone");
  std::lock_guard lock(mu_);
  const State before = state_;
  Work thread(*this, visitor, render, (*me)->last_seq);
  Status done = work(thread);
  if (!done.ok()) {
    state_ = before;  // rolled back
    return done;
  }
  visitors_.SetLastSeq(visitor.user_id, thread.last_seq());
  return Status::Ok();
}

Result<std::vector<Message>> FakeConversationStore::ListMessages(int64_t chat_group_id, int64_t after_seq,
                                                                 int64_t limit) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  std::vector<Message> out;
  for (auto it = state_.messages.upper_bound({chat_group_id, after_seq});
       it != state_.messages.end() && it->first.first == chat_group_id && static_cast<int64_t>(out.size()) < limit;
       ++it) {
    out.push_back(it->second);
  }
  return out;
}

Result<std::optional<LiveSession>> FakeConversationStore::FindOpenSession(int64_t chat_group_id) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  const LiveSession* open = OpenOf(chat_group_id);
  return open ? std::optional<LiveSession>(*open) : std::nullopt;
}

Result<int64_t> FakeConversationStore::QueuePosition(const LiveSession& l) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  int64_t before = 0;
  for (const auto& [id, s] : state_.sessions) {
    if (s.tenant_id == l.tenant_id && s.state == SessionState::kWait && s.queue_id == l.queue_id &&
        std::make_pair(s.queued_at, s.session_id) < std::make_pair(l.queued_at, l.session_id)) {
      ++before;
    }
  }
  return before + 1;
}

SessionRow FakeConversationStore::HistoryRow(const std::string& session_id) const {
  std::lock_guard lock(mu_);
  auto it = state_.history.find(session_id);
  return it == state_.history.end() ? SessionRow{} : it->second;
}

}  // namespace kefu::store::fake
