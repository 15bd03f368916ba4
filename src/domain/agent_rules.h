// The validation rules of agent fields (CONTRACT §4, docs/decisions.md), as
// pure functions: each takes a RawField and returns the value or the API code.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "domain/raw_field.h"

namespace kefu::domain {

// A text field as text: a string as is, an integer in decimal; nullopt otherwise.
std::optional<std::string> CoerceText(const RawField& f);
// An integer field: an integer, or a string of decimal digits; nullopt otherwise.
std::optional<int64_t> CoerceInteger(const RawField& f);

bool IsValidEmail(std::string_view s);

// kEmptyNicename if not given or empty; kInvalidParam if ill-typed or too long.
Result<std::string> CheckNicename(const RawField& f);
// kInvalidParam unless a valid e-mail address.
Result<std::string> CheckUsername(const RawField& f);
// kBadPassword unless text of 8..64 code points of valid UTF-8.
Result<std::string> CheckPassword(const RawField& f);
// kRoleMissing if not given; kBadRole if it cannot name a role.
Result<int64_t> CheckRoleId(const RawField& f);
// `fallback` if not given; kInvalidParam unless an integer 0..100.
Result<int> CheckMaxServiceSessions(const RawField& f, int fallback);
// `fallback` if not given; kInvalidParam if ill-typed or too long. `name`
// names the field in the error detail.
Result<std::string> CheckOptionalText(const RawField& f, std::string_view name,
                                      const std::string& fallback);

}  // namespace kefu::domain
