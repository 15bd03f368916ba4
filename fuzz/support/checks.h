// The invariants every answer of the API must hold, and how a harness reports
// a broken one: a message on stderr, then abort(), which libFuzzer records as
// a crash and saves the input of.
#pragma once

#include <string>
#include <string_view>

#include "api/api_types.h"

namespace kefu::fuzz {

// Prints "invariant broken: <what>" with `context` and aborts.
[[noreturn]] void Fail(std::string_view what, std::string_view context = {});

// True if `s` is well-formed UTF-8 (RFC 3629: no overlong forms, surrogates or
// values past U+10FFFF). Written here independently of common/text.cc so the
// two can be checked against each other.
bool IsWellFormedUtf8(std::string_view s);

// Checks an answer: an HTTP status the API documents (never 500 or 503: the
// store is a healthy local file, so either is a bug), a body that is one JSON
// object in well-formed UTF-8 with "status" "OK" (200 only) or "FAIL" with an
// errorCode and errorDescription that DescribeError gives for that status, an
// optional string errorDetail and nothing else; Allow exactly on 405,
// Retry-After exactly on 429, the three X-RateLimit-* together or not at all,
// no other header and no CR, LF or NUL in any.
void CheckResponse(const api::ApiResponse& response, const api::ApiRequest& request);

// A printable, truncated rendering of bytes for messages.
std::string Printable(std::string_view bytes, size_t max = 600);

}  // namespace kefu::fuzz
