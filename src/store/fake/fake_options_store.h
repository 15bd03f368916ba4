// The OptionsStore of unit tests: options in a map, keeping
// options_store.h's contract (the defaults until set, a skill group only of
// the tenant's, and a deleted skill group no tenant's default). Thread-safe:
// one mutex.
#pragma once

#include <map>
#include <mutex>

#include "store/fake/fake_queue_store.h"
#include "store/fake/injected_failure.h"
#include "store/options_store.h"

namespace kefu::store::fake {

class FakeOptionsStore final : public OptionsStore {
 public:
  // Skill groups are checked against `queues`, which must outlive this store.
  explicit FakeOptionsStore(const FakeQueueStore& queues) : queues_(queues) {}

  Result<TenantOptions> GetOptions(TenantId tenant) override;
  Result<TenantOptions> UpdateOptions(TenantId tenant, const std::function<void(TenantOptions&)>& change) override;

  // Every call above fails with `status` until FailWith(Status::Ok()).
  void FailWith(Status status) { failure_.Set(std::move(status)); }

 private:
  // As reads return them: without a skill group deleted since.
  TenantOptions Read(TenantId tenant) const;

  const FakeQueueStore& queues_;
  InjectedFailure failure_;
  mutable std::mutex mu_;
  std::map<TenantId, TenantOptions> options_;
};

}  // namespace kefu::store::fake
