// Reading request bodies: a JSON object, and its members as RawFields.
#pragma once

#include <rapidjson/document.h>

#include <string_view>

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

}  // namespace kefu::api
