// Status and Result<T>: errors as values, as in LevelDB. Every failure the API
// can answer has one Code; api/error_mapping.cc alone turns a Code into an
// HTTP status and the published API_xxx envelope.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace kefu {

enum class Code {
  kOk,
  kInvalidParam,       // API_001
  kBadToken,           // API_002
  kWrongTenant,        // API_003
  kBadCredential,      // API_004
  kTooManyVisitors,    // API_020
  kCreateAgentFailed,  // API_101
  kEmptyNicename,      // API_102
  kUsernameTaken,      // API_103
  kNoSuchAgent,        // API_104
  kForeignAgent,       // API_105
  kRoleMissing,        // API_106
  kBadRole,            // API_107
  kBadPassword,        // API_108
  kLastAdmin,          // API_109
  kAgentBusy,          // API_110
  kPageIndex,          // API_111
  kPageSize,           // API_112
  kNoSuchSession,      // API_201 (LIVE §8): service session not found
  kSessionState,       // API_202 (LIVE §8): the session's state does not allow this
  kNotYourSession,     // API_203 (LIVE §8)
  kBadLogin,           // API_204 (LIVE §8): an agent's username or password
  kNoSuchResource,     // API_205 (LIVE §8): skill group, channel, tag or visitor
  kAlreadyRated,       // API_206 (LIVE §8)
  kStoreUnavailable,   // API_400
  kNoSuchEndpoint,     // API_404 (extension)
  kMethodNotAllowed,   // API_405 (extension)
  kUpgradeRequired,    // API_426 (extension): a WebSocket path asked without an upgrade
  kBodyTooLarge,       // API_413 (extension)
  kHeadersTooLarge,    // API_431 (extension)
  kTooManyRequests,    // API_429 (extension)
  kQueryTimeout,       // API_408 (extension): a history query passed its time limit
  kInternal,           // API_500 (extension)
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Code code, std::string detail) : code_(code), detail_(std::move(detail)) {}
  static Status Ok() { return {}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  // Plain-English words naming what was wrong (the optional errorDetail).
  const std::string& detail() const { return detail_; }

 private:
  Code code_ = Code::kOk;
  std::string detail_;
};

inline Status Error(Code code, std::string detail = {}) { return Status(code, std::move(detail)); }

// Either a value or a failed Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Status status) : v_(std::move(status)) { assert(!std::get<Status>(v_).ok()); }

  bool ok() const { return v_.index() == 0; }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace kefu

// Returns early with the failed Status of an expression yielding Status.
#define KEFU_RETURN_IF_ERROR(expr)        \
  do {                                    \
    ::kefu::Status kefu_s_ = (expr);      \
    if (!kefu_s_.ok()) return kefu_s_;    \
  } while (0)
