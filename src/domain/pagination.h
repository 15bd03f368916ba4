// The page arithmetic of the agent search (CONTRACT §4), kept pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "common/status.h"

namespace kefu::domain {

// A validated page request: 0-based page and a size of 1..50.
struct PageRequest {
  int64_t page = 0;
  int64_t size = 10;
  int64_t offset() const { return page * size; }
};

// Reads `page` and `size` as given in the query string (nullopt or empty = not
// given), in the contract's order: page integer (API_001), page ≥ 0 (API_111),
// size integer (API_001), size ≤ 50 (API_112), size ≥ 1 (API_001).
Result<PageRequest> ParsePageRequest(std::optional<std::string_view> page,
                                     std::optional<std::string_view> size);

// The page fields of a search answer.
struct PageInfo {
  bool first = true;
  bool last = true;
  int64_t size = 0;
  int64_t number = 0;
  int64_t number_of_elements = 0;
  int64_t total_pages = 0;
  int64_t total_elements = 0;
};

PageInfo ComputePageInfo(const PageRequest& request, int64_t total_elements,
                         int64_t number_of_elements);

}  // namespace kefu::domain
