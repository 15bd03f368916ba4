// Lists bound as one parameter, so a list of any length keeps one statement
// shape: a JSON array that SQLite reads with json_each, or a PostgreSQL array
// literal that a `$n::type[]` cast reads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kefu::store {

// ["a","b"] and [1,2]: control characters, '"' and '\' escaped.
std::string JsonList(const std::vector<std::string>& values);
std::string JsonList(const std::vector<int64_t>& values);

// {"a","b",NULL} and {1,2,NULL}.
std::string PgTextArray(const std::vector<std::optional<std::string>>& values);
std::string PgTextArray(const std::vector<std::string>& values);
std::string PgIntArray(const std::vector<std::optional<int64_t>>& values);
std::string PgIntArray(const std::vector<int64_t>& values);

}  // namespace kefu::store
