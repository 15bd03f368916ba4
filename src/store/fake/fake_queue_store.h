// The QueueStore of unit tests: skill groups in a map, keeping
// queue_store.h's contract (names unique within a tenant, ids one more than
// the tenant's largest, members only the tenant's agents, all or nothing, a
// deleted agent in no skill group). Thread-safe: one mutex.
#pragma once

#include <map>
#include <mutex>

#include "store/fake/fake_agent_store.h"
#include "store/fake/injected_failure.h"
#include "store/queue_store.h"

namespace kefu::store::fake {

class FakeQueueStore final : public QueueStore {
 public:
  // Members are checked against `agents`, which must outlive this store.
  explicit FakeQueueStore(const FakeAgentStore& agents) : agents_(agents) {}

  Result<std::vector<SkillGroup>> ListQueues(TenantId tenant) override;
  Result<std::optional<SkillGroup>> FindQueue(TenantId tenant, int64_t id) override;
  Result<SkillGroup> CreateQueue(TenantId tenant, std::string_view name) override;
  Status RenameQueue(TenantId tenant, int64_t id, std::string_view name) override;
  Status DeleteQueue(TenantId tenant, int64_t id) override;
  Status SetQueueMembers(TenantId tenant, int64_t id, const std::vector<std::string>& user_ids) override;

  // Whether the tenant has skill group `id` (for the other fakes).
  bool HasQueue(TenantId tenant, int64_t id) const;

  // Every call above fails with `status` until FailWith(Status::Ok()).
  void FailWith(Status status) { failure_.Set(std::move(status)); }

 private:
  SkillGroup* Find(TenantId tenant, int64_t id);
  bool NameTaken(TenantId tenant, std::string_view name, int64_t except_id) const;
  // As reads return it: members that are still the tenant's agents.
  SkillGroup Read(const SkillGroup& stored) const;

  const FakeAgentStore& agents_;
  InjectedFailure failure_;
  mutable std::mutex mu_;
  std::map<std::pair<TenantId, int64_t>, SkillGroup> queues_;  // by tenant and id
};

}  // namespace kefu::store::fake
