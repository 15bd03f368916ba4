#include "domain/queue_service.h"

#include <limits>

#include "common/text.h"

namespace kefu::domain {
namespace {

Status NoSuchQueue() { return Error(Code::kNoSuchResource, "no such skill group"); }

// A queueId of the path: a positive decimal, else it names nothing.
Result<int64_t> QueueIdOf(std::string_view path_id) {
  auto id = ParseInteger(path_id, 1, std::numeric_limits<int64_t>::max());
  if (!id) return NoSuchQueue();
  return *id;
}

Result<std::string> NameOf(const RawField& name) {
  if (name.kind != RawField::Kind::kText) return Error(Code::kInvalidParam, "queueName must be a string");
  auto length = Utf8Length(name.text);
  if (name.text.find_first_not_of(' ') == std::string::npos || !length || *length > kMaxQueueNameLength) {
    return Error(Code::kInvalidParam, "queueName must be 1 to 100 characters, not only spaces");
  }
  return name.text;
}

}  // namespace

Result<std::vector<store::SkillGroup>> QueueService::List(store::TenantId tenant) { return store_.ListQueues(tenant); }

Result<store::SkillGroup> QueueService::Create(store::TenantId tenant, const RawField& name) {
  auto valid = NameOf(name);
  if (!valid.ok()) return valid.status();
  return store_.CreateQueue(tenant, *valid);
}

Result<store::SkillGroup> QueueService::Rename(store::TenantId tenant, std::string_view path_id, const RawField& name) {
  auto id = QueueIdOf(path_id);
  if (!id.ok()) return id.status();
  auto valid = NameOf(name);
  if (!valid.ok()) return valid.status();
  KEFU_RETURN_IF_ERROR(store_.RenameQueue(tenant, *id, *valid));
  return Find(tenant, *id);
}

Status QueueService::Delete(store::TenantId tenant, std::string_view path_id) {
  auto id = QueueIdOf(path_id);
  if (!id.ok()) return id.status();
  return store_.DeleteQueue(tenant, *id);
}

Result<store::SkillGroup> QueueService::SetMembers(store::TenantId tenant, std::string_view path_id,
                                                   const std::vector<std::string>& user_ids) {
  auto id = QueueIdOf(path_id);
  if (!id.ok()) return id.status();
  if (user_ids.size() > kMaxQueueMembers) {
    return Error(Code::kInvalidParam, "agentUserIds may name at most 10000 agents");
  }
  KEFU_RETURN_IF_ERROR(store_.SetQueueMembers(tenant, *id, user_ids));
  return Find(tenant, *id);
}

Result<store::SkillGroup> QueueService::Find(store::TenantId tenant, int64_t id) {
  auto found = store_.FindQueue(tenant, id);
  if (!found.ok()) return found.status();
  if (!*found) return NoSuchQueue();  // deleted meanwhile
  return **found;
}

}  // namespace kefu::domain
