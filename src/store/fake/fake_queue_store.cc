#include "store/fake/fake_queue_store.h"

#include <algorithm>
#include <set>

namespace kefu::store::fake {

SkillGroup* FakeQueueStore::Find(TenantId tenant, int64_t id) {
  auto it = queues_.find({tenant, id});
  return it == queues_.end() ? nullptr : &it->second;
}

bool FakeQueueStore::NameTaken(TenantId tenant, std::string_view name, int64_t except_id) const {
  return std::any_of(queues_.begin(), queues_.end(), [&](const auto& entry) {
    return entry.second.tenant_id == tenant && entry.second.name == name && entry.second.id != except_id;
  });
}

SkillGroup FakeQueueStore::Read(const SkillGroup& stored) const {
  SkillGroup out = stored;
  std::erase_if(out.member_ids, [&](const std::string& id) { return !agents_.HasAgent(stored.tenant_id, id); });
  return out;
}

bool FakeQueueStore::HasQueue(TenantId tenant, int64_t id) const {
  std::lock_guard lock(mu_);
  return queues_.count({tenant, id}) > 0;
}

Result<std::vector<SkillGroup>> FakeQueueStore::ListQueues(TenantId tenant) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  std::vector<SkillGroup> out;
  for (const auto& [id, g] : queues_) {
    if (g.tenant_id == tenant) out.push_back(Read(g));
  }
  return out;
}

Result<std::optional<SkillGroup>> FakeQueueStore::FindQueue(TenantId tenant, int64_t id) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  const SkillGroup* g = Find(tenant, id);
  return g ? std::optional<SkillGroup>(Read(*g)) : std::nullopt;
}

Result<SkillGroup> FakeQueueStore::CreateQueue(TenantId tenant, std::string_view name) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  if (NameTaken(tenant, name, 0)) return Error(Code::kInvalidParam, "the tenant already has a skill group of that name");
  int64_t id = 1;
  for (const auto& [key, g] : queues_) {
    if (key.first == tenant) id = std::max(id, key.second + 1);
  }
  SkillGroup g{id, tenant, std::string(name), {}};
  queues_[{tenant, id}] = g;
  return g;
}

Status FakeQueueStore::RenameQueue(TenantId tenant, int64_t id, std::string_view name) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  SkillGroup* g = Find(tenant, id);
  if (!g) return Error(Code::kNoSuchResource, "no such skill group");
  if (NameTaken(tenant, name, id)) return Error(Code::kInvalidParam, "the tenant already has a skill group of that name");
  g->name = std::string(name);
  return Status::Ok();
}

Status FakeQueueStore::DeleteQueue(TenantId tenant, int64_t id) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  if (!Find(tenant, id)) return Error(Code::kNoSuchResource, "no such skill group");
  queues_.erase({tenant, id});
  return Status::Ok();
}

Status FakeQueueStore::SetQueueMembers(TenantId tenant, int64_t id, const std::vector<std::string>& user_ids) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  SkillGroup* g = Find(tenant, id);
  if (!g) return Error(Code::kNoSuchResource, "no such skill group");
  const std::set<std::string> members(user_ids.begin(), user_ids.end());
  for (const std::string& user_id : members) {
    if (!agents_.HasAgent(tenant, user_id)) {
      return Error(Code::kNoSuchAgent, "no agent of the tenant has the userId " + user_id);
    }
  }
  g->member_ids.assign(members.begin(), members.end());
  return Status::Ok();
}

}  // namespace kefu::store::fake
