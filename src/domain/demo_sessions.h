// Generated history for the demo tenant: channels, queues, states, ratings,
// transfers, callbacks, tags and several months of times, deterministic and
// fast enough for millions of sessions.
#pragma once

#include <functional>
#include <vector>

#include "common/status.h"
#include "store/store.h"

namespace kefu::domain {

// The agents sessions may name: id and names, as agentUserSet shows them.
struct DemoAgentRef {
  std::string user_id, username, nicename, true_name;
  bool may_be_processing = true;  // false keeps it deletable (no API_110)
};

struct DemoSessionOptions {
  int64_t count = 0;
  int64_t batch = 20000;  // sessions per transaction
  // Called after each batch with the number made so far.
  std::function<void(int64_t)> progress;
};

// The demo window: sessions start between these instants (UTC seconds).
inline constexpr int64_t kDemoHistoryFrom = 1777593600;  // 2026-05-01T00:00:00Z
inline constexpr int64_t kDemoHistoryTo = 1793491200;    // 2026-11-01T00:00:00Z

Status GenerateDemoSessions(store::Store& store, store::TenantId tenant, TimeZone zone,
                            const std::vector<DemoAgentRef>& agents,
                            const DemoSessionOptions& options);

}  // namespace kefu::domain
