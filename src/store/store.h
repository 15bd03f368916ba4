// The whole storage of one deployment: every resource store of one backend
// (store/sqlite/, store/postgres/) behind one object, as the server and the
// command line open it.
//
// Domain services take only the resource interface they use (tenant_store.h,
// agent_store.h, history_store.h, database_store.h), so each can be tested
// against its fake in store/fake/. A new resource (conversations, skill
// groups) adds its own interface header, a base here, its overrides in both
// backends, and a fake.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "common/limits.h"
#include "common/status.h"
#include "store/agent_store.h"
#include "store/channel_store.h"
#include "store/conversation_store.h"
#include "store/database_store.h"
#include "store/options_store.h"
#include "store/history_store.h"
#include "store/queue_store.h"
#include "store/tag_store.h"
#include "store/tenant_store.h"
#include "store/visitor_store.h"

namespace kefu::store {

class Store : public DatabaseStore,
              public TenantStore,
              public AgentStore,
              public HistoryStore,
              public QueueStore,
              public ChannelStore,
              public OptionsStore,
              public VisitorStore,
              public ConversationStore,
              public TagStore {
 public:
  ~Store() override = default;
};

struct StoreOptions {
  size_t pool_size = 8;  // PostgreSQL connections per process
  // A history query running longer is stopped: kQueryTimeout (HistoryStore).
  std::chrono::milliseconds query_timeout = limits::kDefaultQueryTimeout;
};

// Opens the store named by `spec`: a file path, "sqlite:PATH", or a
// "postgresql://" (or "postgres://") URL. Creates or migrates the schema.
// Fails with a message.
Result<std::unique_ptr<Store>> OpenStore(const std::string& spec, const StoreOptions& options = {});

}  // namespace kefu::store
