// The cap on one tenant's slow requests in flight (docs/decisions.md, "Heavy queries").
#include "domain/tenant_concurrency.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace kefu::domain {
namespace {

TEST(TenantConcurrencyTest, RefusesPastTheCapAndNothingIsTakenByARefusal) {
  TenantConcurrency cap(2);
  auto a = cap.TryEnter(7);
  auto b = cap.TryEnter(7);
  ASSERT_TRUE(a && b);
  EXPECT_FALSE(cap.TryEnter(7));
  EXPECT_FALSE(cap.TryEnter(7));
  EXPECT_EQ(cap.InFlight(7), 2);
}

TEST(TenantConcurrencyTest, AnotherTenantIsNotHeldByOneAtItsCap) {
  TenantConcurrency cap(1);
  auto a = cap.TryEnter(7);
  ASSERT_TRUE(a);
  EXPECT_FALSE(cap.TryEnter(7));
  auto other = cap.TryEnter(8);
  EXPECT_TRUE(other);
  EXPECT_EQ(cap.InFlight(8), 1);
}

TEST(TenantConcurrencyTest, AFinishedRequestGivesItsSlotBack) {
  TenantConcurrency cap(1);
  {
    auto a = cap.TryEnter(7);
    ASSERT_TRUE(a);
    EXPECT_FALSE(cap.TryEnter(7));
  }
  EXPECT_EQ(cap.InFlight(7), 0);
  EXPECT_TRUE(cap.TryEnter(7));
}

TEST(TenantConcurrencyTest, AMovedSlotIsGivenBackOnce) {
  TenantConcurrency cap(2);
  {
    auto a = cap.TryEnter(7);
    ASSERT_TRUE(a);
    TenantConcurrency::Slot moved = std::move(*a);
    a.reset();  // the moved-from slot gives nothing back
    EXPECT_EQ(cap.InFlight(7), 1);
  }
  EXPECT_EQ(cap.InFlight(7), 0);
}

TEST(TenantConcurrencyTest, ACapBelowOneIsOne) {
  TenantConcurrency cap(0);
  EXPECT_EQ(cap.per_tenant(), 1);
  auto a = cap.TryEnter(7);
  EXPECT_TRUE(a);
  EXPECT_FALSE(cap.TryEnter(7));
}

TEST(TenantConcurrencyTest, ManyThreadsNeverHoldMoreThanTheCap) {
  constexpr int kCap = 3;
  TenantConcurrency cap(kCap);
  std::atomic<int> held{0}, most{0}, refused{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        auto slot = cap.TryEnter(7);
        if (!slot) {
          ++refused;
          continue;
        }
        int now = ++held;
        for (int m = most.load(); now > m && !most.compare_exchange_weak(m, now);) {
        }
        --held;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_LE(most.load(), kCap);
  EXPECT_EQ(cap.InFlight(7), 0);
}

}  // namespace
}  // namespace kefu::domain
