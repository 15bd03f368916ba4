// The history query (CONTRACT §6, docs/decisions.md): built from the request's
// parameters once, validated in the documented order, handed to the store as
// a typed filter.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "store/session_records.h"

namespace kefu::domain {

// Every non-empty value of a query parameter, comma-separated or repeated.
using ParamList = std::function<std::vector<std::string>(std::string_view name)>;

Result<store::HistoryFilter> ParseHistoryQuery(const ParamList& param);

// The bit of an originType value (kOriginOther for unpublished ones).
uint32_t OriginBit(std::string_view origin);

}  // namespace kefu::domain
