// A tenant's channels (关联, LIVE §1, §5): made, changed and deleted by an
// admin (the tenant's token or an admin agent). Each gets a public
// channelKey and an identity secret, which only the answer that makes it
// shows; an admin may make a new secret, which ends the old one.
#pragma once

#include <string_view>
#include <vector>

#include "common/status.h"
#include "domain/raw_field.h"
#include "store/channel_store.h"

namespace kefu::domain {

// A channel's name: 1 to kMaxChannelNameLength characters, not only spaces.
inline constexpr size_t kMaxChannelNameLength = 100;

// What a POST or PUT body gives, as it arrived.
struct ChannelInput {
  RawField name, type, origin_type, queue_id;  // techChannelName, techChannelType, originType, queueId
};

class ChannelService {
 public:
  explicit ChannelService(store::ChannelStore& store) : store_(store) {}

  Result<std::vector<store::ChannelRecord>> List(store::TenantId tenant);
  // Checks techChannelName, techChannelType, originType (one the type may
  // give) and queueId (null or one of the tenant's skill groups: API_205),
  // in that order. The answer carries the new secret.
  Result<store::ChannelRecord> Create(store::TenantId tenant, const ChannelInput& input);
  // The path's channelId (API_205 when it names none of the tenant's), then
  // the body as Create; answers the channel as it is after.
  Result<store::ChannelRecord> Update(store::TenantId tenant, std::string_view path_id, const ChannelInput& input);
  Status Delete(store::TenantId tenant, std::string_view path_id);
  // A new secret for the channel, which the answer carries; the old one no
  // longer signs.
  Result<store::ChannelRecord> NewSecret(store::TenantId tenant, std::string_view path_id);

 private:
  Result<store::ChannelRecord> Find(store::TenantId tenant, int64_t id);

  store::ChannelStore& store_;
};

// Whether a techChannelType may give an originType (LIVE §1): easemob gives
// webim or app, weixin, weibo and phone give their own, api any of the five.
bool ChannelMayGive(std::string_view type, std::string_view origin_type);

}  // namespace kefu::domain
