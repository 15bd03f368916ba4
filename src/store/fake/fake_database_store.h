// The DatabaseStore of unit tests: a database that is always there, unless a
// test says it is gone.
#pragma once

#include <atomic>

#include "store/database_store.h"
#include "store/fake/injected_failure.h"

namespace kefu::store::fake {

class FakeDatabaseStore final : public DatabaseStore {
 public:
  Status Optimize() override {
    ++optimize_calls_;
    return failure_.Get();
  }
  Status Ping() override { return failure_.Get(); }
  bool ReadsAreLocal() const override { return true; }

  // Optimize and Ping fail with `status` until FailWith(Status::Ok()).
  void FailWith(Status status) { failure_.Set(std::move(status)); }
  int optimize_calls() const { return optimize_calls_; }

 private:
  InjectedFailure failure_;
  std::atomic<int> optimize_calls_{0};
};

}  // namespace kefu::store::fake
