#include "http/connection_limits.h"

#include <gtest/gtest.h>

namespace kefu::http {
namespace {

TEST(ConnectionLimitsTest, AnAddressHoldsAtMostItsCap) {
  ConnectionLimits limits(2, 100, {"10.0.0.1"});
  auto a = limits.EnterAddress("192.0.2.1");
  auto b = limits.EnterAddress("192.0.2.1");
  EXPECT_TRUE(a.ok() && b.ok());
  EXPECT_FALSE(limits.EnterAddress("192.0.2.1").ok());
  EXPECT_TRUE(limits.EnterAddress("192.0.2.2").ok());
  EXPECT_EQ(limits.connections_of("192.0.2.1"), 2u);
  {
    auto moved = std::move(a);  // a slot moves, and is left once
  }
  EXPECT_EQ(limits.connections_of("192.0.2.1"), 1u);
  EXPECT_TRUE(limits.EnterAddress("192.0.2.1").ok());
}

TEST(ConnectionLimitsTest, TrustedProxiesAndAZeroCapAreNotCounted) {
  ConnectionLimits limits(1, 100, {"10.0.0.1"});
  auto a = limits.EnterAddress("10.0.0.1");
  EXPECT_TRUE(limits.EnterAddress("10.0.0.1").ok());
  ConnectionLimits uncapped(0, 100, {});
  auto b = uncapped.EnterAddress("192.0.2.1");
  EXPECT_TRUE(uncapped.EnterAddress("192.0.2.1").ok());
}

TEST(ConnectionLimitsTest, BodiesStayWithinTheBudgetAndGiveItBack) {
  ConnectionLimits limits(0, 100, {});
  auto a = limits.ReserveBody(60);
  EXPECT_TRUE(a.ok());
  EXPECT_FALSE(limits.ReserveBody(41).ok());
  auto b = limits.ReserveBody(40);
  EXPECT_TRUE(b.ok());
  EXPECT_EQ(limits.body_bytes_in_flight(), 100u);
  a = ConnectionLimits::BodyBytes();  // released by assignment
  EXPECT_EQ(limits.body_bytes_in_flight(), 40u);
  EXPECT_TRUE(limits.ReserveBody(60).ok());
  EXPECT_EQ(limits.body_bytes_in_flight(), 40u);  // that one was a temporary
}

}  // namespace
}  // namespace kefu::http
