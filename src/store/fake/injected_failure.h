// A failure a test makes a fake store answer, as a real backend answers
// kStoreUnavailable when its database is gone. Thread-safe.
#pragma once

#include <mutex>

#include "common/status.h"

namespace kefu::store::fake {

class InjectedFailure {
 public:
  // Every call of the fake fails with `status` until Set(Status::Ok()).
  void Set(Status status) {
    std::lock_guard lock(mu_);
    status_ = std::move(status);
  }
  // What a call should fail with now, or OK.
  Status Get() const {
    std::lock_guard lock(mu_);
    return status_;
  }

 private:
  mutable std::mutex mu_;
  Status status_;
};

}  // namespace kefu::store::fake
