// A tenant's skill groups (技能组, LIVE §1, §5): queues with member agents.
// They are the queues of the history catalog (HistoryStore::SaveCatalog,
// which the demo and imports fill): one table, so a history item's queueId
// names a skill group.
//
// As every store: safe from several threads, may block, kStoreUnavailable on
// a failing database with nothing changed, one transaction per write, and
// tenant-scoped methods never touch another tenant's rows (another tenant's
// queue id is kNoSuchResource, as if it did not exist). Deleting an agent
// (AgentStore::DeleteAgent) takes it out of every skill group.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "store/records.h"

namespace kefu::store {

struct SkillGroup {
  int64_t id = 0;  // unique within the tenant: one more than its largest
  TenantId tenant_id = 0;
  std::string name;                     // unique within the tenant when made or renamed here
  std::vector<std::string> member_ids;  // agents' userIds, sorted
};

class QueueStore {
 public:
  virtual ~QueueStore() = default;

  // The tenant's skill groups by id, each with its members.
  virtual Result<std::vector<SkillGroup>> ListQueues(TenantId tenant) = 0;
  // One of them, or nullopt.
  virtual Result<std::optional<SkillGroup>> FindQueue(TenantId tenant, int64_t id) = 0;
  // A new skill group without members; kInvalidParam if the tenant has one
  // of that name.
  virtual Result<SkillGroup> CreateQueue(TenantId tenant, std::string_view name) = 0;
  // kNoSuchResource if there is no such skill group; kInvalidParam if
  // another of the tenant's has that name.
  virtual Status RenameQueue(TenantId tenant, int64_t id, std::string_view name) = 0;
  // kNoSuchResource if there is no such skill group.
  virtual Status DeleteQueue(TenantId tenant, int64_t id) = 0;
  // Replaces the members, all or nothing: kNoSuchResource if there is no
  // such skill group, kNoSuchAgent if a userId is not one of the tenant's
  // agents. Duplicates count once.
  virtual Status SetQueueMembers(TenantId tenant, int64_t id, const std::vector<std::string>& user_ids) = 0;
};

}  // namespace kefu::store
