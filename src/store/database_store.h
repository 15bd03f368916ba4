// What every backend offers about the database as a whole, apart from any
// resource: statistics, reachability, and whether reads are cheap enough for
// an I/O thread. Small on purpose; the resource stores (tenant_store.h,
// agent_store.h, history_store.h) hold the data.
//
// Thread safety: every method may be called from several threads at once.
#pragma once

#include "common/status.h"

namespace kefu::store {

class DatabaseStore {
 public:
  virtual ~DatabaseStore() = default;

  // Refreshes the statistics the database plans queries with (cheap: it
  // samples). Called at server start and after bulk loads. Fails with
  // kStoreUnavailable if the database cannot be reached; nothing changes then.
  virtual Status Optimize() = 0;
  // OK if the database answers now (for /healthz); kStoreUnavailable if not.
  virtual Status Ping() = 0;
  // True if a read by index runs in this process and never waits for a lock
  // (embedded SQLite in WAL mode): cheap enough to run on an I/O thread.
  // False when every read is a round trip to a server. Never blocks.
  virtual bool ReadsAreLocal() const = 0;
};

}  // namespace kefu::store
