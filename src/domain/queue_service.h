// A tenant's skill groups (LIVE §1, §5): made, renamed, deleted and given
// their member agents by an admin (the tenant's token or an admin agent).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "domain/raw_field.h"
#include "store/queue_store.h"

namespace kefu::domain {

// A skill group's name: 1 to kMaxQueueNameLength characters, not only spaces.
inline constexpr size_t kMaxQueueNameLength = 100;
// Members one PUT may name.
inline constexpr size_t kMaxQueueMembers = 10000;

class QueueService {
 public:
  explicit QueueService(store::QueueStore& store) : store_(store) {}

  Result<std::vector<store::SkillGroup>> List(store::TenantId tenant);
  // `queueName` (API_001; API_001 too when the tenant has one of that name).
  Result<store::SkillGroup> Create(store::TenantId tenant, const RawField& name);
  // The path's queueId (API_205 when it names none of the tenant's), then
  // `queueName`; answers the skill group as it is after.
  Result<store::SkillGroup> Rename(store::TenantId tenant, std::string_view path_id, const RawField& name);
  Status Delete(store::TenantId tenant, std::string_view path_id);
  // Replaces the members with the tenant's agents `user_ids` (API_104 when
  // one is not; at most kMaxQueueMembers, else API_001).
  Result<store::SkillGroup> SetMembers(store::TenantId tenant, std::string_view path_id,
                                       const std::vector<std::string>& user_ids);

 private:
  Result<store::SkillGroup> Find(store::TenantId tenant, int64_t id);

  store::QueueStore& store_;
};

}  // namespace kefu::domain
