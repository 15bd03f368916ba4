// A list of ids (userIds are UUIDs: no commas) kept in one text column,
// ','-joined, where its order matters and nothing queries inside it.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

namespace kefu::store {

inline std::string JoinIds(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) {
    if (!out.empty()) out += ',';
    out += id;
  }
  return out;
}

inline std::vector<std::string> SplitIds(const std::string& joined) {
  std::vector<std::string> out;
  for (size_t start = 0; start < joined.size();) {
    size_t comma = joined.find(',', start);
    if (comma == std::string::npos) comma = joined.size();
    out.push_back(joined.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

inline std::string JoinNumbers(const std::vector<int64_t>& ids) {
  std::string out;
  for (int64_t id : ids) {
    if (!out.empty()) out += ',';
    out += std::to_string(id);
  }
  return out;
}

inline std::vector<int64_t> SplitNumbers(const std::string& joined) {
  std::vector<int64_t> out;
  for (const auto& part : SplitIds(joined)) out.push_back(std::strtoll(part.c_str(), nullptr, 10));
  return out;
}

}  // namespace kefu::store
