// A tenant's channels (关联, LIVE §1, §5): the entry points visitors write in
// through. They are the channels of the history catalog (SaveCatalog, which
// the demo fills): one table, so a history item's techChannelId names a
// channel.
//
// A channel has a public channelKey (a UUID a page embeds to name it) and an
// identity secret, the key of the HMAC an integrator's server signs a
// visitor's username with (LIVE §5). The secret is kept as it was made:
// checking a signature needs the key itself, as a webhook secret does
// (docs/decisions.md "Channels"). A channel of the catalog has a key but no
// secret until an admin makes one.
//
// As every store: safe from several threads, may block, kStoreUnavailable on
// a failing database with nothing changed, one transaction per write, and
// tenant-scoped methods never touch another tenant's rows (another tenant's
// channel id is kNoSuchResource, as if it did not exist). Deleting a skill
// group (QueueStore::DeleteQueue) takes it off every channel that named it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "store/records.h"

namespace kefu::store {

// What an admin sets.
struct ChannelFields {
  std::string name;                // techChannelName
  std::string type;                // techChannelType: easemob, weixin, weibo, phone, api
  std::string origin_type;         // originType: webim, app, weixin, weibo, phone
  std::optional<int64_t> queue_id; // the skill group its sessions wait in, if any
};

struct ChannelRecord {
  int64_t id = 0;  // unique within the tenant: one more than its largest
  TenantId tenant_id = 0;
  ChannelFields fields;
  std::string channel_key;            // UUID, unique across tenants
  std::optional<std::string> secret;  // none: identity signatures are refused
};

class ChannelStore {
 public:
  virtual ~ChannelStore() = default;

  // The tenant's channels by id.
  virtual Result<std::vector<ChannelRecord>> ListChannels(TenantId tenant) = 0;
  // One of them, or nullopt.
  virtual Result<std::optional<ChannelRecord>> FindChannel(TenantId tenant, int64_t id) = 0;
  // The channel of a channelKey, whichever tenant's, or nullopt.
  virtual Result<std::optional<ChannelRecord>> FindChannelByKey(std::string_view channel_key) = 0;
  // A new channel; kNoSuchResource if fields.queue_id names none of the
  // tenant's skill groups, kInvalidParam if the key is taken.
  virtual Result<ChannelRecord> CreateChannel(TenantId tenant, const ChannelFields& fields,
                                              std::string_view channel_key, std::string_view secret) = 0;
  // Replaces what an admin sets; kNoSuchResource if there is no such channel
  // or fields.queue_id names none of the tenant's skill groups.
  virtual Status UpdateChannel(TenantId tenant, int64_t id, const ChannelFields& fields) = 0;
  // kNoSuchResource if there is no such channel.
  virtual Status DeleteChannel(TenantId tenant, int64_t id) = 0;
  // Sets the key and the secret; kNoSuchResource if there is no such
  // channel, kInvalidParam if another channel has the key.
  virtual Status SetChannelIdentity(TenantId tenant, int64_t id, std::string_view channel_key,
                                    std::string_view secret) = 0;
};

}  // namespace kefu::store
