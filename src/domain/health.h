// Readiness for /healthz: the server is ready when its database answers.
#pragma once

#include "common/status.h"
#include "store/database_store.h"

namespace kefu::domain {

class HealthCheck {
 public:
  explicit HealthCheck(store::DatabaseStore& store) : store_(store) {}
  // OK, or kStoreUnavailable while the database cannot be reached.
  Status Ready() { return store_.Ping(); }

 private:
  store::DatabaseStore& store_;
};

}  // namespace kefu::domain
