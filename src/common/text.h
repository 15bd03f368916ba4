// Small text helpers shared by the layers: UTF-8 length, ASCII case folding,
// strict decimal integers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kefu {

// Number of Unicode code points in `s`, or nullopt if `s` is not valid UTF-8
// (overlong forms, surrogates and values past U+10FFFF are invalid).
std::optional<size_t> Utf8Length(std::string_view s);

// `s` with every byte that is not part of a valid UTF-8 sequence replaced
// by U+FFFD, for echoing untrusted text into a JSON answer.
std::string ValidUtf8(std::string_view s);

// `s` with ASCII letters lowered; other bytes unchanged.
std::string AsciiLower(std::string_view s);

// A decimal integer with an optional leading '-', nothing else (no spaces, no
// '+', no fraction), within [min, max]; nullopt otherwise.
std::optional<int64_t> ParseInteger(std::string_view s, int64_t min, int64_t max);

}  // namespace kefu
