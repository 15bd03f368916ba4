// A tenant's options for live service (LIVE §5 `options`), read and changed
// by an admin (the tenant's token or an admin agent).
#pragma once

#include "common/status.h"
#include "domain/raw_field.h"
#include "store/options_store.h"

namespace kefu::domain {

// waitTimeoutSeconds and idleCloseSeconds: null, or 1 to this (a week).
inline constexpr int64_t kMaxSessionTimeoutSeconds = 7 * 24 * 3600;
// offlineGraceSeconds: 0 (Offline as the last connection closes) to a day.
inline constexpr int64_t kMaxOfflineGraceSeconds = 24 * 3600;
// greeting and offDutyMessage: at most this many characters.
inline constexpr size_t kMaxSystemMessageLength = 1000;

// A PUT body as it arrived; absent fields stay as they are.
struct OptionsInput {
  RawField default_queue_id, wait_timeout_seconds, idle_close_seconds, offline_grace_seconds,
      enquiry_invite_on_close, agents_set_own_capacity, greeting, off_duty_message;
};

class OptionsService {
 public:
  explicit OptionsService(store::OptionsStore& store) : store_(store) {}

  Result<store::TenantOptions> Get(store::TenantId tenant);
  // Checks every given field in the order of the struct (API_001, and
  // API_205 when defaultQueueId names none of the tenant's skill groups),
  // then changes them all at once; answers the options after.
  Result<store::TenantOptions> Update(store::TenantId tenant, const OptionsInput& input);

 private:
  store::OptionsStore& store_;
};

}  // namespace kefu::domain
