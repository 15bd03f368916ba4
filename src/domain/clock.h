// Wall-clock time for the services; stored instants are UTC.
//
// Services that read the time take a Clock (the system one by default), so
// unit tests can move time with FakeClock (domain/fake_clock.h).
#pragma once

#include <chrono>
#include <cstdint>

namespace kefu::domain {

inline int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

inline int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The time as a service sees it. Implementations are safe to call from
// several threads at once and never block.
class Clock {
 public:
  virtual ~Clock() = default;
  // UTC seconds since the epoch.
  virtual int64_t NowSeconds() const = 0;
  // UTC milliseconds since the epoch.
  virtual int64_t NowMillis() const = 0;
};

// The system's wall clock; lives as long as the program.
inline const Clock& SystemClock() {
  struct Wall final : Clock {
    int64_t NowSeconds() const override { return domain::NowSeconds(); }
    int64_t NowMillis() const override { return domain::NowMillis(); }
  };
  static const Wall kWall;
  return kWall;
}

}  // namespace kefu::domain
