// Writes a stored session (its JSON array of values) as the published item.
#pragma once

#include <string_view>

#include "api/json_writer.h"

namespace kefu::api {

// Streams `values` into `out` as {"serviceSessionId":…,…}; numbers pass
// through as their stored text, so a chatGroupId above 2^53 stays exact.
// Returns false if `values` is not a stored item array.
bool WriteSessionItem(JsonOut& out, std::string_view values);

}  // namespace kefu::api
