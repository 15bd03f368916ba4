// Reading request bodies: a JSON object, and its members as RawFields.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "domain/raw_field.h"

namespace kefu::api {

// Parses `body` as one JSON object (strict UTF-8, no trailing bytes, no
// recursion limit issues: the parser is iterative). kInvalidParam otherwise.
Status ParseJsonObject(std::string_view body, rapidjson::Document& doc);

// Parses `body` as any one JSON value, with the same strictness.
Status ParseJson(std::string_view body, rapidjson::Document& doc);

// The member `name` of an object as a RawField (absent if missing).
domain::RawField FieldOf(const rapidjson::Value& object, const char* name);

// An array of integers: nullopt when absent or null; API_001 naming it when
// it is anything else than an array of (64-bit) integers.
Result<std::optional<std::vector<int64_t>>> IntegersOf(const rapidjson::Value& object, const char* name);

}  // namespace kefu::api
