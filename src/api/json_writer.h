// Writing answers straight into a buffer with RapidJSON's SAX writer (no
// intermediate tree).
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "api/api_types.h"

namespace kefu::api {

class JsonOut {
 public:
  JsonOut() : w_(buf_) {}

  JsonOut& Key(const char* k) {
    w_.Key(k);
    return *this;
  }
  JsonOut& Str(std::string_view s) {
    w_.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
    return *this;
  }
  JsonOut& OptStr(const std::optional<std::string>& s) {
    if (s) return Str(*s);
    w_.Null();
    return *this;
  }
  JsonOut& Int(int64_t v) {
    w_.Int64(v);
    return *this;
  }
  JsonOut& OptInt(const std::optional<int64_t>& v) {
    if (v) return Int(*v);
    w_.Null();
    return *this;
  }
  JsonOut& Bool(bool v) {
    w_.Bool(v);
    return *this;
  }
  JsonOut& Null() {
    w_.Null();
    return *this;
  }
  JsonOut& BeginObject() {
    w_.StartObject();
    return *this;
  }
  JsonOut& EndObject() {
    w_.EndObject();
    return *this;
  }
  JsonOut& BeginArray() {
    w_.StartArray();
    return *this;
  }
  JsonOut& EndArray() {
    w_.EndArray();
    return *this;
  }

  // Starts a value whose bytes the caller then appends as they are with
  // Append (the writer adds the separator before it): for stored JSON that
  // is already in its final form, so it need not be parsed and escaped again.
  JsonOut& BeginRawValue() {
    w_.RawValue("", 0, rapidjson::kObjectType);
    return *this;
  }
  JsonOut& Append(std::string_view bytes) {
    std::memcpy(buf_.Push(bytes.size()), bytes.data(), bytes.size());
    return *this;
  }

  // A 200 answer carrying what was written.
  ApiResponse Ok() const { return ApiResponse{200, std::string(buf_.GetString(), buf_.GetSize()), kJsonContentType, {}}; }

 private:
  rapidjson::StringBuffer buf_;
  rapidjson::Writer<rapidjson::StringBuffer> w_;
};

// {"status":"OK"}
inline ApiResponse OkResponse() { return ApiResponse{200, R"({"status":"OK"})", kJsonContentType, {}}; }

}  // namespace kefu::api
