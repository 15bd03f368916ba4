#include "domain/rate_limiter.h"

#include <algorithm>
#include <cmath>
#include <functional>

namespace kefu::domain {
namespace {
constexpr size_t kShards = 16;  // fewer threads waiting on one mutex
}

RateLimiter::RateLimiter(double per_second, double burst, size_t max_keys)
    : per_second_(per_second),
      burst_(std::max(1.0, burst)),
      max_keys_per_shard_(std::max<size_t>(1, max_keys / kShards)),
      shards_(kShards) {}

RateLimiter::Decision RateLimiter::Take(std::string_view key, Clock::time_point now) {
  return Charge(key, now, true);
}

RateLimiter::Decision RateLimiter::Peek(std::string_view key, Clock::time_point now) {
  return Charge(key, now, false);
}

double RateLimiter::Refilled(const Bucket& b, Clock::time_point now) const {
  double elapsed = std::chrono::duration<double>(now - b.updated).count();
  return std::min(burst_, b.tokens + std::max(0.0, elapsed) * per_second_);
}

RateLimiter::Decision RateLimiter::Describe(double tokens, bool allowed) const {
  Decision d;
  d.allowed = allowed;
  d.remaining = static_cast<long>(std::floor(tokens));
  if (!allowed) d.retry_after_seconds = std::max(1L, static_cast<long>(std::ceil((1.0 - tokens) / per_second_)));
  d.reset_seconds = static_cast<long>(std::ceil((burst_ - tokens) / per_second_));
  return d;
}

void RateLimiter::ForgetFull(Shard& shard, Clock::time_point now) {
  std::erase_if(shard.buckets, [&](const auto& kv) { return Refilled(kv.second, now) >= burst_; });
}

RateLimiter::Decision RateLimiter::Charge(std::string_view key, Clock::time_point now, bool take) {
  key = key.substr(0, kMaxKeyBytes);
  Shard& shard = shards_[std::hash<std::string_view>{}(key) % shards_.size()];
  std::lock_guard lock(shard.mu);
  auto it = shard.buckets.find(std::string(key));
  if (it == shard.buckets.end()) {
    // A fresh key has a full bucket; Peek need not remember it.
    if (!take) return Describe(burst_, true);
    if (shard.buckets.size() >= max_keys_per_shard_) ForgetFull(shard, now);
    if (shard.buckets.size() >= max_keys_per_shard_) return Describe(burst_ - 1, true);
    it = shard.buckets.emplace(std::string(key), Bucket{burst_, now}).first;
  }
  Bucket& b = it->second;
  double tokens = Refilled(b, now);
  const bool allowed = tokens >= 1.0;
  if (take) {
    if (allowed) tokens -= 1.0;
    b.tokens = tokens;
    b.updated = now;
  }
  return Describe(tokens, allowed);
}

}  // namespace kefu::domain
