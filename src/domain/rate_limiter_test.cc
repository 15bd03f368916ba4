#include "domain/rate_limiter.h"

#include <gtest/gtest.h>

namespace kefu::domain {
namespace {

using std::chrono::milliseconds;
using Clock = RateLimiter::Clock;

TEST(RateLimiter, AllowsTheBurstThenRefuses) {
  RateLimiter limiter(/*per_second=*/1, /*burst=*/3);
  auto t = Clock::now();
  EXPECT_EQ(limiter.Take("a", t).remaining, 2);
  EXPECT_EQ(limiter.Take("a", t).remaining, 1);
  auto last = limiter.Take("a", t);
  EXPECT_TRUE(last.allowed);
  EXPECT_EQ(last.remaining, 0);
  EXPECT_EQ(last.reset_seconds, 3);
  auto refused = limiter.Take("a", t);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_seconds, 1);
}

TEST(RateLimiter, RefillsAtTheRate) {
  RateLimiter limiter(2, 2);
  auto t = Clock::now();
  limiter.Take("a", t);
  limiter.Take("a", t);
  EXPECT_FALSE(limiter.Take("a", t).allowed);
  EXPECT_TRUE(limiter.Take("a", t + milliseconds(500)).allowed);
  EXPECT_FALSE(limiter.Take("a", t + milliseconds(500)).allowed);
}

TEST(RateLimiter, KeysAreIndependent) {
  RateLimiter limiter(1, 1);
  auto t = Clock::now();
  EXPECT_TRUE(limiter.Take("a", t).allowed);
  EXPECT_FALSE(limiter.Take("a", t).allowed);
  EXPECT_TRUE(limiter.Take("b", t).allowed);
}

TEST(RateLimiter, PeekTakesNothing) {
  RateLimiter limiter(1, 1);
  auto t = Clock::now();
  EXPECT_TRUE(limiter.Peek("a", t).allowed);
  EXPECT_TRUE(limiter.Peek("a", t).allowed);
  EXPECT_TRUE(limiter.Take("a", t).allowed);
  auto peek = limiter.Peek("a", t);
  EXPECT_FALSE(peek.allowed);
  EXPECT_EQ(peek.retry_after_seconds, 1);
}

TEST(RateLimiter, SlowRefillGivesRetryAfterInWholeSeconds) {
  RateLimiter limiter(30.0 / 60, 30);  // 30 a minute
  auto t = Clock::now();
  for (int i = 0; i < 30; ++i) ASSERT_TRUE(limiter.Take("c", t).allowed);
  auto refused = limiter.Take("c", t);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_seconds, 2);
  EXPECT_EQ(refused.reset_seconds, 60);
}

TEST(RateLimiter, LongKeysShareTheirFirstBytes) {
  RateLimiter limiter(1, 1);
  auto t = Clock::now();
  std::string base(RateLimiter::kMaxKeyBytes, 'k');
  EXPECT_TRUE(limiter.Take(base + "one", t).allowed);
  EXPECT_FALSE(limiter.Take(base + "two", t).allowed);
}

TEST(RateLimiter, MemoryStaysBoundedUnderManyKeys) {
  RateLimiter limiter(1, 1, /*max_keys=*/160);
  auto t = Clock::now();
  // Far more keys than it may track: the surplus is let through untracked.
  for (int i = 0; i < 10000; ++i) EXPECT_TRUE(limiter.Take("key" + std::to_string(i), t).allowed);
  // Once their buckets have refilled, old keys make room for new ones.
  auto later = t + std::chrono::seconds(2);
  EXPECT_TRUE(limiter.Take("fresh", later).allowed);
  EXPECT_FALSE(limiter.Take("fresh", later).allowed);
}

}  // namespace
}  // namespace kefu::domain
