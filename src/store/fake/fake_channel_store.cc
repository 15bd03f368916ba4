#include "store/fake/fake_channel_store.h"

#include <algorithm>

namespace kefu::store::fake {
namespace {

Status NoSuchChannel() { return Error(Code::kNoSuchResource, "no such channel"); }

}  // namespace

Status FakeChannelStore::RequireQueueIfSet(TenantId tenant, const std::optional<int64_t>& queue_id) const {
  if (queue_id && !queues_.HasQueue(tenant, *queue_id)) return Error(Code::kNoSuchResource, "no such skill group");
  return Status::Ok();
}

bool FakeChannelStore::KeyTaken(std::string_view key, TenantId tenant, int64_t id) const {
  return std::any_of(channels_.begin(), channels_.end(), [&](const auto& entry) {
    return entry.second.channel_key == key && entry.first != std::pair<TenantId, int64_t>(tenant, id);
  });
}

ChannelRecord FakeChannelStore::Read(const ChannelRecord& stored) const {
  ChannelRecord out = stored;
  if (out.fields.queue_id && !queues_.HasQueue(out.tenant_id, *out.fields.queue_id)) out.fields.queue_id.reset();
  return out;
}

Result<std::vector<ChannelRecord>> FakeChannelStore::ListChannels(TenantId tenant) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  std::vector<ChannelRecord> out;
  for (const auto& [key, c] : channels_) {
    if (key.first == tenant) out.push_back(Read(c));
  }
  return out;
}

Result<std::optional<ChannelRecord>> FakeChannelStore::FindChannel(TenantId tenant, int64_t id) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  auto it = channels_.find({tenant, id});
  return it == channels_.end() ? std::nullopt : std::optional<ChannelRecord>(Read(it->second));
}

Result<std::optional<ChannelRecord>> FakeChannelStore::FindChannelByKey(std::string_view channel_key) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  for (const auto& [key, c] : channels_) {
    if (c.channel_key == channel_key) return std::optional<ChannelRecord>(Read(c));
  }
  return std::optional<ChannelRecord>();
}

Result<ChannelRecord> FakeChannelStore::CreateChannel(TenantId tenant, const ChannelFields& fields,
                                                      std::string_view channel_key, std::string_view secret) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  KEFU_RETURN_IF_ERROR(RequireQueueIfSet(tenant, fields.queue_id));
  if (KeyTaken(channel_key, tenant, 0)) return Error(Code::kInvalidParam, "another channel has that channelKey");
  int64_t id = 1;
  for (const auto& [key, c] : channels_) {
    if (key.first == tenant) id = std::max(id, key.second + 1);
  }
  ChannelRecord c{id, tenant, fields, std::string(channel_key), std::string(secret)};
  channels_[{tenant, id}] = c;
  return c;
}

Status FakeChannelStore::UpdateChannel(TenantId tenant, int64_t id, const ChannelFields& fields) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  auto it = channels_.find({tenant, id});
  if (it == channels_.end()) return NoSuchChannel();
  KEFU_RETURN_IF_ERROR(RequireQueueIfSet(tenant, fields.queue_id));
  it->second.fields = fields;
  return Status::Ok();
}

Status FakeChannelStore::DeleteChannel(TenantId tenant, int64_t id) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  return channels_.erase({tenant, id}) == 0 ? NoSuchChannel() : Status::Ok();
}

Status FakeChannelStore::SetChannelIdentity(TenantId tenant, int64_t id, std::string_view channel_key,
                                            std::string_view secret) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  if (KeyTaken(channel_key, tenant, id)) return Error(Code::kInvalidParam, "another channel has that channelKey");
  auto it = channels_.find({tenant, id});
  if (it == channels_.end()) return NoSuchChannel();
  it->second.channel_key = std::string(channel_key);
  it->second.secret = std::string(secret);
  return Status::Ok();
}

}  // namespace kefu::store::fake
