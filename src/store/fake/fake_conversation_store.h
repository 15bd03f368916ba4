// The ConversationStore of unit tests: live sessions and messages in maps,
// keeping conversation_store.h's contract (a thread's seqs without gaps, at
// most one open session per thread, a msgId stored once, first in first out,
// the history row rendered on every change, which it keeps for tests to
// read). Thread-safe: one mutex, held through a WithThread's work, so
// writes take turns; a work that fails leaves everything as it was.
#pragma once

#include <map>
#include <mutex>

#include "store/conversation_store.h"
#include "store/fake/fake_agent_store.h"
#include "store/fake/fake_queue_store.h"
#include "store/fake/fake_visitor_store.h"
#include "store/fake/injected_failure.h"

namespace kefu::store::fake {

class FakeConversationStore final : public ConversationStore {
 public:
  // The other fakes must outlive this store: visitors keep their thread's
  // last seq, and agents and skill groups tell who is Online to serve.
  FakeConversationStore(FakeVisitorStore& visitors, FakeAgentStore& agents, FakeQueueStore& queues)
      : visitors_(visitors), agents_(agents), queues_(queues) {}

  Status WithThread(const ThreadKey& thread, const SessionRenderer& render, const ThreadWorkFn& work) override;
  Result<std::vector<Message>> ListMessages(int64_t chat_group_id, int64_t after_seq, int64_t before_seq,
                                            int64_t limit, bool newest) override;
  Result<std::optional<LiveSession>> FindOpenSession(int64_t chat_group_id) override;
  Result<std::vector<Message>> ListSessionMessages(int64_t chat_group_id, std::string_view session_id,
                                                   int64_t after_seq, int64_t limit) override;
  Result<int64_t> QueuePosition(const LiveSession& session) override;
  Result<std::optional<LiveSession>> FindSession(TenantId tenant, std::string_view session_id) override;
  Result<std::pair<int64_t, std::vector<LiveItem>>> ListWaiting(TenantId tenant, std::optional<std::string_view> member,
                                                                std::optional<int64_t> queue, int64_t offset,
                                                                int64_t limit) override;
  Result<AgentNameMap> AgentNamesOf(TenantId tenant, const std::vector<std::string>& user_ids) override;
  Result<std::vector<AgentLoad>> AgentLoads(TenantId tenant) override;
  Result<std::vector<LiveItem>> ListProcessing(TenantId tenant, std::string_view agent_user_id) override;
  Result<std::pair<int64_t, std::vector<LiveItem>>> ListOpen(TenantId tenant, const OpenFilter& filter, int64_t offset,
                                                             int64_t limit) override;
  Result<int64_t> CountMessages(int64_t chat_group_id, std::string_view session_id, std::string_view from,
                                int64_t after_seq) override;

  // The history row last rendered for a session (empty values if none).
  SessionRow HistoryRow(const std::string& session_id) const;

  // Every call above fails with `status` until FailWith(Status::Ok()).
  void FailWith(Status status) { failure_.Set(std::move(status)); }

 private:
  class Work;
  struct State {
    std::map<std::string, LiveSession> sessions;              // by serviceSessionId
    std::map<std::string, SessionRow> history;                // by serviceSessionId
    std::map<std::pair<int64_t, int64_t>, Message> messages;  // by (chat_group_id, seq)
    std::map<std::string, int64_t> arrival;                   // order of first save: ties of queued_at
  };

  // (queued_at, arrival): the order of a wait list.
  std::pair<int64_t, int64_t> QueueKey(const LiveSession& s) const;

  const LiveSession* OpenOf(int64_t chat_group_id) const;
  // Every session `keep` takes, with its history row's values (mu_ held).
  std::vector<LiveItem> Items(const std::function<bool(const LiveSession&)>& keep) const;

  FakeVisitorStore& visitors_;
  FakeAgentStore& agents_;
  FakeQueueStore& queues_;
  InjectedFailure failure_;
  mutable std::mutex mu_;
  State state_;
};

}  // namespace kefu::store::fake
