#include "api/json_body.h"

#include <rapidjson/error/en.h>

#include <fmt/format.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "common/text.h"

namespace kefu::api {
namespace {

// Full precision is deliberately off: RapidJSON 1.1's full-precision path
// reads past a table and overflows on numbers such as 4.9857322713591e-338
// (fuzz/regressions). The default path parses integers exactly and other
// numbers to within a few units in the last place.
constexpr unsigned kFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag;

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// What RapidJSON 1.1 lets through that must not be stored: a lone
// "\udc00" escape decodes to bytes that are not UTF-8, and a number such as
// 1844674407370951e308 parses to infinity, which its writer cannot write
// back (the stored JSON would be cut short). And "\u0000" decodes to a NUL,
// which libpq would cut a string at, so no text holds one on any backend.
// Checked on every string, key and number, iteratively as the parse is.
Status CheckText(std::string_view text, const char* what) {
  if (!Utf8Length(text)) {
    return Error(Code::kInvalidParam, fmt::format("body is not valid JSON: a {} escapes a lone surrogate", what));
  }
  if (text.find('\0') != std::string_view::npos) {
    return Error(Code::kInvalidParam, fmt::format("body holds a NUL character (\\u0000) in a {}", what));
  }
  return Status::Ok();
}

Status CheckValues(const rapidjson::Value& root) {
  std::vector<const rapidjson::Value*> pending{&root};
  while (!pending.empty()) {
    const rapidjson::Value* v = pending.back();
    pending.pop_back();
    if (v->IsString()) {
      KEFU_RETURN_IF_ERROR(CheckText({v->GetString(), v->GetStringLength()}, "string"));
    } else if (v->IsDouble()) {
      if (!std::isfinite(v->GetDouble())) {
        return Error(Code::kInvalidParam, "body is not valid JSON: a number is out of range");
      }
    } else if (v->IsArray()) {
      for (const auto& item : v->GetArray()) pending.push_back(&item);
    } else if (v->IsObject()) {
      for (const auto& m : v->GetObject()) {
        KEFU_RETURN_IF_ERROR(CheckText({m.name.GetString(), m.name.GetStringLength()}, "key"));
        pending.push_back(&m.value);
      }
    }
  }
  return Status::Ok();
}

}  // namespace

Status ParseJson(std::string_view body, rapidjson::Document& doc) {
  // One UTF-8 byte-order mark may lead (RFC 8259 lets a reader ignore it);
  // any other byte outside ASCII before the value is refused here, since
  // RapidJSON would skip a partial mark silently.
  if (body.starts_with(kBom)) body.remove_prefix(kBom.size());
  if (!body.empty() && static_cast<unsigned char>(body.front()) >= 0x80) {
    return Error(Code::kInvalidParam, "body is not valid JSON: it does not start with a JSON value");
  }
  // RapidJSON stops at a NUL byte and ignores what follows; JSON text never
  // holds a raw NUL (inside strings it must be escaped).
  if (std::memchr(body.data(), '\0', body.size()) != nullptr) {
    return Error(Code::kInvalidParam, "body is not valid JSON: it contains a NUL byte");
  }
  doc.Parse<kFlags>(body.data(), body.size());
  if (doc.HasParseError()) {
    return Error(Code::kInvalidParam,
                 fmt::format("body is not valid JSON: {} at offset {}",
                             rapidjson::GetParseError_En(doc.GetParseError()), doc.GetErrorOffset()));
  }
  return CheckValues(doc);
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
  if (v.IsBool()) return domain::RawField::Boolean(v.GetBool());
  return domain::RawField::Other();
}

Result<std::optional<std::vector<int64_t>>> IntegersOf(const rapidjson::Value& object, const char* name) {
  auto it = object.FindMember(name);
  if (it == object.MemberEnd() || it->value.IsNull()) return std::optional<std::vector<int64_t>>();
  const Status bad = Error(Code::kInvalidParam, fmt::format("{} must be an array of integers", name));
  if (!it->value.IsArray()) return bad;
  std::vector<int64_t> out;
  for (const auto& v : it->value.GetArray()) {
    if (!v.IsInt64()) return bad;
    out.push_back(v.GetInt64());
  }
  return std::optional<std::vector<int64_t>>(std::move(out));
}

}  // namespace kefu::api
