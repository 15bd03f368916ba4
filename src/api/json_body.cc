#include "api/json_body.h"

#include <rapidjson/error/en.h>

#include <fmt/format.h>

namespace kefu::api {

Status ParseJson(std::string_view body, rapidjson::Document& doc) {
  constexpr unsigned kFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag |
                              rapidjson::kParseFullPrecisionFlag;
  doc.Parse<kFlags>(body.data(), body.size());
  if (doc.HasParseError()) {
    return Error(Code::kInvalidParam,
                 fmt::format("body is not valid JSON: {} at offset {}",
                             rapidjson::GetParseError_En(doc.GetParseError()), doc.GetErrorOffset()));
  }
  return Status::Ok();
}

Status ParseJsonObject(std::string_view body, rapidjson::Document& doc) {
  KEFU_RETURN_IF_ERROR(ParseJson(body, doc));
  if (!doc.IsObject()) return Error(Code::kInvalidParam, "body must be a JSON object");
  return Status::Ok();
}

domain::RawField FieldOf(const rapidjson::Value& object, const char* name) {
  auto it = object.FindMember(name);
  if (it == object.MemberEnd()) return {};
  const rapidjson::Value& v = it->value;
  if (v.IsNull()) return domain::RawField::Null();
  if (v.IsString()) return domain::RawField::Text(std::string(v.GetString(), v.GetStringLength()));
  if (v.IsInt64()) return domain::RawField::Integer(v.GetInt64());
  return domain::RawField::Other();
}

}  // namespace kefu::api
