// The history item (CONTRACT §6): its published keys, and the rules an
// imported item must satisfy (docs/decisions.md, "History import").
#pragma once

#include <rapidjson/document.h>

#include <array>
#include <string_view>

#include "common/status.h"
#include "common/time_format.h"
#include "domain/session_item_fields.h"
#include "store/session_records.h"

namespace kefu::domain {

// The keys of kItemFields in the published order; SessionRow::values
// holds one value per key, in this order.
inline constexpr std::array<std::string_view, kItemFields.size()> kSessionItemKeys = [] {
  std::array<std::string_view, kItemFields.size()> keys{};
  for (size_t i = 0; i < keys.size(); ++i) keys[i] = kItemFields[i].key;
  return keys;
}();

// Checks one imported item for `tenant` (datetimes read in `zone`) and turns
// it into the row to store. kInvalidParam naming the field otherwise.
Result<store::SessionRow> ParseSessionItem(const rapidjson::Value& item, store::TenantId tenant,
                                           TimeZone zone);

// The lowered nickname text customerName searches: customer, then visitor.
std::string CustomerNames(std::string_view customer_nice_name, std::string_view visitor_nicename);

}  // namespace kefu::domain
