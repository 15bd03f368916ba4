// Token buckets by key, for the per-tenant request quota and the limits on
// failed token requests. In memory, per process: N instances of kefud give
// N times the limit (docs/decisions.md).
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace kefu::domain {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  // Each key holds up to `burst` requests and regains `per_second` of them
  // every second. At most `max_keys` keys are tracked; keys whose bucket has
  // refilled are forgotten first, and a key that finds no room is let
  // through untracked (so memory stays bounded whatever keys arrive).
  RateLimiter(double per_second, double burst, size_t max_keys = 100000);

  struct Decision {
    bool allowed = true;
    long remaining = 0;            // whole requests left after this one
    long retry_after_seconds = 0;  // when refused: until one request is back
    long reset_seconds = 0;        // until the bucket is full again
  };

  // Takes one request from `key`'s bucket if it has one.
  Decision Take(std::string_view key, Clock::time_point now = Clock::now());
  // The same answer as Take, but takes nothing.
  Decision Peek(std::string_view key, Clock::time_point now = Clock::now());

  long limit() const { return static_cast<long>(burst_); }

  // Keys longer than this are cut: the key may come from a request body.
  static constexpr size_t kMaxKeyBytes = 64;

 private:
  struct Bucket {
    double tokens;
    Clock::time_point updated;
  };
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, Bucket> buckets;
  };

  Decision Charge(std::string_view key, Clock::time_point now, bool take);
  double Refilled(const Bucket& b, Clock::time_point now) const;
  Decision Describe(double tokens, bool allowed) const;
  void ForgetFull(Shard& shard, Clock::time_point now);

  const double per_second_;
  const double burst_;
  const size_t max_keys_per_shard_;
  std::vector<Shard> shards_;
};

}  // namespace kefu::domain
