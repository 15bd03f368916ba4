// A tenant's options for live service (LIVE §5 `options`): where sessions
// wait by default, when they time out, how long an agent without a push
// connection stays in its state, and the system messages sessions get.
//
// As every store: safe from several threads, may block, kStoreUnavailable on
// a failing database with nothing changed, one transaction per write.
// Deleting a skill group (QueueStore::DeleteQueue) clears a defaultQueueId
// that named it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "common/status.h"
#include "store/records.h"

namespace kefu::store {

// The defaults are what a tenant that never set its options has.
struct TenantOptions {
  std::optional<int64_t> default_queue_id;      // defaultQueueId
  std::optional<int64_t> wait_timeout_seconds;  // waitTimeoutSeconds: none, never
  std::optional<int64_t> idle_close_seconds;    // idleCloseSeconds: none, never
  int64_t offline_grace_seconds = 120;          // offlineGraceSeconds
  bool enquiry_invite_on_close = false;         // enquiryInviteOnClose
  bool agents_set_own_capacity = true;          // agentsSetOwnCapacity
  std::optional<std::string> greeting;          // greeting
  std::optional<std::string> off_duty_message;  // offDutyMessage

  bool operator==(const TenantOptions&) const = default;
};

class OptionsStore {
 public:
  virtual ~OptionsStore() = default;

  // The tenant's options (the defaults if it never set any).
  virtual Result<TenantOptions> GetOptions(TenantId tenant) = 0;
  // Reads the options, applies `change` and stores the result, in one
  // transaction (two updates of different options never lose one);
  // answers the options after. kNoSuchResource, with nothing changed, when
  // the result's default_queue_id names none of the tenant's skill groups.
  virtual Result<TenantOptions> UpdateOptions(TenantId tenant,
                                              const std::function<void(TenantOptions&)>& change) = 0;
};

}  // namespace kefu::store
