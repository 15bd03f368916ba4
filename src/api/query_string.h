// Request targets: the path, and the query string's parameters
// percent-decoded with '+' as a space (CONTRACT §2).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace kefu::api {

// Percent-decodes `s`; with `plus_is_space`, '+' becomes ' '. A '%' not
// followed by two hex digits is kept as it is.
std::string PercentDecode(std::string_view s, bool plus_is_space);

class QueryString {
 public:
  // Parses "a=1&b=x%20y&a=2" (the part after '?').
  explicit QueryString(std::string_view query);

  // The first value of `name`, nullopt if absent. An empty value is returned
  // as "" (callers treat it as not set).
  std::optional<std::string_view> Get(std::string_view name) const;
  // Every value of `name`, repeated or comma-separated, without empty ones.
  std::vector<std::string> GetList(std::string_view name) const;

  // kInvalidParam naming the first parameter whose name or value, decoded,
  // is not UTF-8 text or holds a NUL; Ok otherwise. Checked once for every
  // endpoint, before any store sees a value (docs/decisions.md, "Text").
  Status CheckText() const;

 private:
  std::vector<std::pair<std::string, std::string>> params_;
};

// Splits a request target into its path and its query (without '?').
std::pair<std::string_view, std::string_view> SplitTarget(std::string_view target);

}  // namespace kefu::api
