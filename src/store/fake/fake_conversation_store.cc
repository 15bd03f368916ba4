#include "store/fake/fake_conversation_store.h"

#include <algorithm>
#include <tuple>

namespace kefu::store::fake {

// ThreadWork on the fake's state, under its mutex.
class FakeConversationStore::Work final : public ThreadWork {
 public:
  Work(FakeConversationStore& store, const ThreadKey& key, const SessionRenderer& render, int64_t last_seq)
      : store_(store), key_(key), render_(render), last_seq_(last_seq) {}

  int64_t last_seq() const { return last_seq_; }

  Result<std::optional<LiveSession>> OpenSession() override {
    const LiveSession* open = store_.OpenOf(key_.chat_group_id);
    return open ? std::optional<LiveSession>(*open) : std::nullopt;
  }

  Result<LiveSession> Session(const std::string& session_id) override {
    auto it = store_.state_.sessions.find(session_id);
    if (it == store_.state_.sessions.end() || it->second.chat_group_id != key_.chat_group_id) {
      return Error(Code::kNoSuchSession, "no such service session");
    }
    return it->second;
  }

  Result<std::optional<Message>> SentMessage(std::string_view sender, std::string_view msg_id) override {
    for (const auto& [key, m] : store_.state_.messages) {
      if (key.first == key_.chat_group_id && SenderKey(m.from, m.from_user_id) == sender && m.msg_id == msg_id) {
        return std::optional<Message>(m);
      }
    }
    return std::optional<Message>();
  }

  Result<Message> Append(Message m) override {
    m.chat_group_id = key_.chat_group_id;
    m.seq = ++last_seq_;
    store_.state_.messages[{m.chat_group_id, m.seq}] = m;
    return m;
  }

  Result<bool> AnyoneOnline(const std::optional<int64_t>& queue_id) override {
    auto roster = store_.agents_.ListAgents(key_.tenant_id, 1000000);
    if (!roster.ok()) return roster.status();
    std::vector<std::string> members;
    if (queue_id) {
      auto group = store_.queues_.FindQueue(key_.tenant_id, *queue_id);
      if (!group.ok()) return group.status();
      if (*group) members = (*group)->member_ids;
    }
    return std::any_of(roster->agents.begin(), roster->agents.end(), [&](const store::Agent& a) {
      return a.enabled && a.state == "Online" &&
             (!queue_id || std::find(members.begin(), members.end(), a.user_id) != members.end());
    });
  }

  Result<std::optional<AgentPresence>> Agent(std::string_view user_id) override {
    auto roster = store_.agents_.ListAgents(key_.tenant_id, 1000000);
    if (!roster.ok()) return roster.status();
    for (const store::Agent& a : roster->agents) {
      if (a.user_id == user_id) return std::optional<AgentPresence>(AgentPresence{a.enabled, a.state});
    }
    return std::optional<AgentPresence>();
  }

  Status Save(const LiveSession& session) override {
    store_.state_.sessions[session.session_id] = session;
    auto& arrival = store_.state_.arrival;
    if (!arrival.count(session.session_id)) arrival[session.session_id] = static_cast<int64_t>(arrival.size()) + 1;
    // The names the agents have now, as a real backend reads them.
    auto names = store_.AgentNamesOf(session.tenant_id, session.agent_user_set);
    if (!names.ok()) return names.status();
    store_.state_.history[session.session_id] = render_(session, *names);
    return Status::Ok();
  }

 private:
  FakeConversationStore& store_;
  const ThreadKey& key_;
  const SessionRenderer& render_;
  int64_t last_seq_;
};

std::pair<int64_t, int64_t> FakeConversationStore::QueueKey(const LiveSession& s) const {
  auto it = state_.arrival.find(s.session_id);
  return {s.queued_at, it == state_.arrival.end() ? 0 : it->second};
}

const LiveSession* FakeConversationStore::OpenOf(int64_t chat_group_id) const {
  for (const auto& [id, s] : state_.sessions) {
    if (s.chat_group_id == chat_group_id && s.open()) return &s;
  }
  return nullptr;
}

Status FakeConversationStore::WithThread(const ThreadKey& key, const SessionRenderer& render,
                                         const ThreadWorkFn& work) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  auto me = visitors_.FindVisitor(key.tenant_id, key.visitor_id);
  if (!me.ok()) return me.status();
  if (!*me) return Error(Code::kBadToken, "the visitor is gone");
  std::lock_guard lock(mu_);
  const State before = state_;
  Work thread(*this, key, render, (*me)->last_seq);
  Status done = work(thread);
  if (!done.ok()) {
    state_ = before;  // rolled back
    return done;
  }
  visitors_.SetLastSeq(key.visitor_id, thread.last_seq());
  return Status::Ok();
}

Result<std::vector<Message>> FakeConversationStore::ListMessages(int64_t chat_group_id, int64_t after_seq,
                                                                 int64_t before_seq, int64_t limit, bool newest) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  std::vector<Message> out;
  for (auto it = state_.messages.upper_bound({chat_group_id, after_seq});
       it != state_.messages.end() && it->first.first == chat_group_id && it->first.second < before_seq; ++it) {
    out.push_back(it->second);
  }
  const size_t keep = static_cast<size_t>(std::min<int64_t>(limit, static_cast<int64_t>(out.size())));
  if (newest) return std::vector<Message>(out.end() - static_cast<std::ptrdiff_t>(keep), out.end());
  out.resize(keep);
  return out;
}

Result<std::vector<Message>> FakeConversationStore::ListSessionMessages(int64_t chat_group_id,
                                                                        std::string_view session_id,
                                                                        int64_t after_seq, int64_t limit) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  std::vector<Message> out;
  for (auto it = state_.messages.upper_bound({chat_group_id, after_seq});
       it != state_.messages.end() && it->first.first == chat_group_id && static_cast<int64_t>(out.size()) < limit;
       ++it) {
    if (it->second.session_id == session_id) out.push_back(it->second);
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
        QueueKey(s) < QueueKey(l)) {
      ++before;
    }
  }
  return before + 1;
}

Result<std::optional<LiveSession>> FakeConversationStore::FindSession(TenantId tenant, std::string_view session_id) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  auto it = state_.sessions.find(std::string(session_id));
  if (it == state_.sessions.end() || it->second.tenant_id != tenant) return std::optional<LiveSession>();
  return std::optional<LiveSession>(it->second);
}

std::vector<LiveItem> FakeConversationStore::Items(const std::function<bool(const LiveSession&)>& keep) const {
  std::vector<LiveItem> out;
  for (const auto& [id, s] : state_.sessions) {
    if (keep(s)) out.push_back(LiveItem{s, state_.history.at(id).values});
  }
  return out;
}

Result<std::vector<AgentLoad>> FakeConversationStore::AgentLoads(TenantId tenant) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  auto roster = agents_.ListAgents(tenant, 1000000);
  if (!roster.ok()) return roster.status();
  std::lock_guard lock(mu_);
  std::vector<AgentLoad> out;
  for (const store::Agent& a : roster->agents) {
    int64_t processing = 0;
    for (const auto& [id, s] : state_.sessions) {
      processing += s.tenant_id == tenant && s.state == SessionState::kProcessing && s.agent_user_id == a.user_id;
    }
    out.push_back(AgentLoad{a.user_id, a.username, a.nicename, a.state, processing, a.max_service_sessions});
  }
  return out;
}

Result<AgentNameMap> FakeConversationStore::AgentNamesOf(TenantId tenant, const std::vector<std::string>& user_ids) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  AgentNameMap names;
  auto roster = agents_.ListAgents(tenant, 1000000);
  if (!roster.ok()) return roster.status();
  for (const Agent& a : roster->agents) {
    if (std::find(user_ids.begin(), user_ids.end(), a.user_id) != user_ids.end()) {
      names[a.user_id] = AgentNames{a.username, a.nicename, a.true_name};
    }
  }
  return names;
}

Result<std::pair<int64_t, std::vector<LiveItem>>> FakeConversationStore::ListWaiting(
    TenantId tenant, std::optional<std::string_view> member, std::optional<int64_t> queue, int64_t offset,
    int64_t limit) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::vector<int64_t> groups;
  if (member) {
    auto all = queues_.ListQueues(tenant);
    if (!all.ok()) return all.status();
    for (const auto& g : *all) {
      if (std::find(g.member_ids.begin(), g.member_ids.end(), *member) != g.member_ids.end()) groups.push_back(g.id);
    }
  }
  std::lock_guard lock(mu_);
  auto items = Items([&](const LiveSession& s) {
    return s.tenant_id == tenant && s.state == SessionState::kWait &&
           (!member || !s.queue_id || std::find(groups.begin(), groups.end(), *s.queue_id) != groups.end()) &&
           (!queue || s.queue_id == queue);
  });
  std::sort(items.begin(), items.end(), [this](const LiveItem& a, const LiveItem& b) {
    return QueueKey(a.session) < QueueKey(b.session);
  });
  const int64_t total = static_cast<int64_t>(items.size());
  std::vector<LiveItem> page;
  for (int64_t i = offset; i < total && i < offset + limit; ++i) page.push_back(items[static_cast<size_t>(i)]);
  return std::make_pair(total, page);
}

Result<std::pair<int64_t, std::vector<LiveItem>>> FakeConversationStore::ListOpen(TenantId tenant,
                                                                                  const OpenFilter& f,
                                                                                  int64_t offset, int64_t limit) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  auto items = Items([&](const LiveSession& s) {
    const bool state = (f.wait && s.state == SessionState::kWait) || (f.processing && s.state == SessionState::kProcessing);
    const bool agent = f.agent_ids.empty() || (s.agent_user_id && std::find(f.agent_ids.begin(), f.agent_ids.end(),
                                                                             *s.agent_user_id) != f.agent_ids.end());
    const bool queue = f.queue_ids.empty() ||
                       (s.queue_id && std::find(f.queue_ids.begin(), f.queue_ids.end(), *s.queue_id) != f.queue_ids.end());
    return s.tenant_id == tenant && state && agent && queue;
  });
  std::sort(items.begin(), items.end(), [this](const LiveItem& a, const LiveItem& b) {
    return std::make_pair(a.session.created_at, QueueKey(a.session).second) <
           std::make_pair(b.session.created_at, QueueKey(b.session).second);
  });
  const int64_t total = static_cast<int64_t>(items.size());
  std::vector<LiveItem> page;
  for (int64_t i = offset; i < total && i < offset + limit; ++i) page.push_back(items[static_cast<size_t>(i)]);
  return std::make_pair(total, page);
}

Result<std::vector<LiveItem>> FakeConversationStore::ListProcessing(TenantId tenant, std::string_view agent_user_id) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  auto items = Items([&](const LiveSession& s) {
    return s.tenant_id == tenant && s.state == SessionState::kProcessing && s.agent_user_id == agent_user_id;
  });
  std::sort(items.begin(), items.end(), [](const LiveItem& a, const LiveItem& b) {
    return std::tie(a.session.started_at, a.session.session_id) < std::tie(b.session.started_at, b.session.session_id);
  });
  return items;
}

Result<int64_t> FakeConversationStore::CountMessages(int64_t chat_group_id, std::string_view session_id,
                                                     std::string_view from, int64_t after_seq) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  int64_t n = 0;
  for (auto it = state_.messages.upper_bound({chat_group_id, after_seq});
       it != state_.messages.end() && it->first.first == chat_group_id; ++it) {
    if (it->second.session_id == session_id && SenderKey(it->second.from, it->second.from_user_id) == from) ++n;
  }
  return n;
}

SessionRow FakeConversationStore::HistoryRow(const std::string& session_id) const {
  std::lock_guard lock(mu_);
  auto it = state_.history.find(session_id);
  return it == state_.history.end() ? SessionRow{} : it->second;
}

}  // namespace kefu::store::fake
