// The limits on failed token requests (docs/decisions.md, "Rate limits"),
// on a clock the test moves.
#include "domain/throttles.h"

#include <gtest/gtest.h>

namespace kefu::domain {
namespace {

using std::chrono::seconds;

constexpr const char* kClient = "8340a6d8-211f-4b81-9202-63ce46f27c02";

class ThrottlesTest : public ::testing::Test {
 protected:
  Throttles throttles_{ThrottleOptions{0, 0, /*per client*/ 6, /*per address*/ 100}};
  Throttles::Clock::time_point now_ = Throttles::Clock::now();

  bool Admitted(const char* client, const char* address) {
    return throttles_.AdmitTokenRequest(client, address, now_).allowed;
  }
  void Fail(const char* client, const char* address, int times) {
    for (int i = 0; i < times; ++i) throttles_.CountTokenFailure(client, address, now_);
  }
};

TEST_F(ThrottlesTest, OneAddressGuessingIsCutOffAndTheOwnerElsewhereIsNot) {
  Fail(kClient, "203.0.113.7", 6);
  EXPECT_FALSE(Admitted(kClient, "203.0.113.7"));
  // The clientId's ceiling is reached too, but an address with no failures
  // for it is still checked: the owner gets its token.
  EXPECT_TRUE(Admitted(kClient, "198.51.100.1"));
  // Another clientId from the guessing address is checked as well.
  EXPECT_TRUE(Admitted("another-client", "203.0.113.7"));
}

TEST_F(ThrottlesTest, TheCeilingSlowsGuessesFromManyAddresses) {
  for (int i = 0; i < 6; ++i) {
    const std::string address = "203.0.113." + std::to_string(i);
    ASSERT_TRUE(Admitted(kClient, address.c_str())) << address;
    Fail(kClient, address.c_str(), 1);
  }
  // Past the ceiling, every address that has failed waits; a fresh one does not.
  EXPECT_FALSE(Admitted(kClient, "203.0.113.0"));
  EXPECT_FALSE(Admitted(kClient, "203.0.113.5"));
  EXPECT_TRUE(Admitted(kClient, "203.0.113.77"));
  auto d = throttles_.AdmitTokenRequest(kClient, "203.0.113.5", now_);
  EXPECT_GE(d.retry_after_seconds, 1);
  EXPECT_LE(d.retry_after_seconds, 10);  // 6 a minute: one back every 10 s
}

TEST_F(ThrottlesTest, FailuresRefillWithTime) {
  Fail(kClient, "203.0.113.7", 6);
  ASSERT_FALSE(Admitted(kClient, "203.0.113.7"));
  now_ += seconds(10);  // one of 6 a minute is back
  EXPECT_TRUE(Admitted(kClient, "203.0.113.7"));
}

TEST_F(ThrottlesTest, AnAddressTryingManyClientIdsIsCutOff) {
  for (int i = 0; i < 100; ++i) Fail(("client-" + std::to_string(i)).c_str(), "203.0.113.9", 1);
  EXPECT_FALSE(Admitted(kClient, "203.0.113.9"));
  EXPECT_FALSE(Admitted("", "203.0.113.9"));
  EXPECT_TRUE(Admitted(kClient, "203.0.113.10"));
}

TEST_F(ThrottlesTest, UnknownTenantsCountAgainstTheAddressOnly) {
  Fail("", "203.0.113.9", 100);
  EXPECT_FALSE(Admitted(kClient, "203.0.113.9"));
  EXPECT_TRUE(Admitted(kClient, "203.0.113.10"));
}

}  // namespace
}  // namespace kefu::domain
