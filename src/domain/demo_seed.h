// `kefud demo` (CONTRACT §9): tenant 1 with the published example data and
// deterministic generated agents, made live (LIVE §5): channel 1 has a fixed
// key and secret, and every generated agent serves skill groups 售前咨询 and
// 售后服务. A database that already has tenant 1 is left as it is.
#pragma once

#include <functional>

#include "common/crypto.h"
#include "common/status.h"
#include "store/store.h"

namespace kefu::domain {

inline constexpr const char* kDemoClientId = "8340a6d8-211f-4b81-9202-63ce46f27c02";
inline constexpr const char* kDemoSecretId = "ca906984-80f1-41b0-a272-6000df3f76c4";
inline constexpr const char* kDemoAgentUsername = "32273591@qq.com";
inline constexpr const char* kDemoAgentPassword = "qwe12345";
inline constexpr const char* kDemoGeneratedPassword = "demo12345";
// Channel 1's identity (LIVE §5), fixed so that a demo page and the README
// work without looking them up. Demo data: a real channel gets random ones.
inline constexpr const char* kDemoChannelKey = "0d3c7a2e-5b61-4f0e-9c8d-1a2b3c4d5e6f";
inline constexpr const char* kDemoChannelSecret =
    "6b6566752d64656d6f2d6368616e6e656c2d7365637265742d6e6f742d7265616c";
// The two skill groups every generated agent serves (catalog queues 1 and 2).
inline constexpr int64_t kDemoPreSalesQueue = 1, kDemoAfterSalesQueue = 2;

struct DemoOptions {
  int agents = 40;          // generated agents besides the published one
  int64_t sessions = 10000;  // generated history sessions
  PasswordHashParams hash;
  std::function<void(int64_t)> session_progress;  // sessions made so far
};

struct DemoReport {
  bool created = false;  // false: tenant 1 was there already
  int agents = 0;        // agents made, the published one included
  int64_t sessions = 0;
};

Result<DemoReport> SeedDemo(store::Store& store, const DemoOptions& options);

}  // namespace kefu::domain
