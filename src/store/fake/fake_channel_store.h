// The ChannelStore of unit tests: channels in a map, keeping
// channel_store.h's contract (ids one more than the tenant's largest, keys
// unique across tenants, a skill group only of the tenant's, and a deleted
// skill group on no channel). Thread-safe: one mutex.
#pragma once

#include <map>
#include <mutex>

#include "store/channel_store.h"
#include "store/fake/fake_queue_store.h"
#include "store/fake/injected_failure.h"

namespace kefu::store::fake {

class FakeChannelStore final : public ChannelStore {
 public:
  // Skill groups are checked against `queues`, which must outlive this store.
  explicit FakeChannelStore(const FakeQueueStore& queues) : queues_(queues) {}

  Result<std::vector<ChannelRecord>> ListChannels(TenantId tenant) override;
  Result<std::optional<ChannelRecord>> FindChannel(TenantId tenant, int64_t id) override;
  Result<std::optional<ChannelRecord>> FindChannelByKey(std::string_view channel_key) override;
  Result<ChannelRecord> CreateChannel(TenantId tenant, const ChannelFields& fields, std::string_view channel_key,
                                      std::string_view secret) override;
  Status UpdateChannel(TenantId tenant, int64_t id, const ChannelFields& fields) override;
  Status DeleteChannel(TenantId tenant, int64_t id) override;
  Status SetChannelIdentity(TenantId tenant, int64_t id, std::string_view channel_key,
                            std::string_view secret) override;

  // Every call above fails with `status` until FailWith(Status::Ok()).
  void FailWith(Status status) { failure_.Set(std::move(status)); }

 private:
  Status RequireQueueIfSet(TenantId tenant, const std::optional<int64_t>& queue_id) const;
  bool KeyTaken(std::string_view key, TenantId tenant, int64_t id) const;
  // As reads return it: without a skill group deleted since.
  ChannelRecord Read(const ChannelRecord& stored) const;

  const FakeQueueStore& queues_;
  InjectedFailure failure_;
  mutable std::mutex mu_;
  std::map<std::pair<TenantId, int64_t>, ChannelRecord> channels_;  // by tenant and id
};

}  // namespace kefu::store::fake
