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
// no other header and no CR, LF or NUL in any. The UTF-8 check is skipped
// when Skipped("utf8").
void CheckResponse(const api::ApiResponse& response, const api::ApiRequest& request);

// True if `check` is named in KEFU_FUZZ_SKIP (comma-separated), to fuzz past
// a known finding until it is fixed: "utf8" (answers and stored strings that
// are not well-formed UTF-8), "nul" (JSON accepted with bytes after a NUL),
// "bom" (JSON accepted after a stray byte of a UTF-8 byte-order mark),
// "strtod" (inputs with a number like 0e40, 184467440737095516159 or
// 4.9857322713591e-338, on which RapidJSON 1.1's full-precision parser hits
// undefined behaviour, returns garbage or reads out of bounds; see SkipInput).
bool Skipped(std::string_view check);

// True if the input should not be run at all under KEFU_FUZZ_SKIP: with
// "strtod", an input holding a number of 20 digits or more, or with an
// exponent of 10 or more in magnitude (those that can reach RapidJSON 1.1's
// full-precision path).
bool SkipInput(std::string_view input);

// A printable, truncated rendering of bytes for messages.
std::string Printable(std::string_view bytes, size_t max = 600);

}  // namespace kefu::fuzz
