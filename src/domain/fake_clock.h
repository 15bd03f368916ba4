// A clock that stands still until a test moves it, for unit tests of
// services that read the time (token expiry, updated_at).
#pragma once

#include <atomic>
#include <cstdint>

#include "domain/clock.h"

namespace kefu::domain {

class FakeClock final : public Clock {
 public:
  // Starts at `millis` since the epoch (2024-01-01T00:00:00Z by default).
  explicit FakeClock(int64_t millis = 1704067200000) : millis_(millis) {}

  int64_t NowSeconds() const override { return millis_.load() / 1000; }
  int64_t NowMillis() const override { return millis_.load(); }

  void AdvanceSeconds(int64_t seconds) { millis_ += seconds * 1000; }
  void AdvanceMillis(int64_t millis) { millis_ += millis; }

 private:
  std::atomic<int64_t> millis_;
};

}  // namespace kefu::domain
