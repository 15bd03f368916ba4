#include "api/import_body.h"

#include <fmt/format.h>

#include <utility>

#include "api/json_body.h"

namespace kefu::api {
namespace {

bool IsBlank(std::string_view line) { return line.find_first_not_of(" \t\r") == std::string_view::npos; }

Status TooManyItems() {
  return Error(Code::kInvalidParam, fmt::format("at most {} items per request", domain::kMaxImportItems));
}

Status ReadNdjson(std::string_view body, ImportBody& out) {
  std::vector<std::pair<size_t, std::string_view>> lines;  // 1-based number, text
  size_t number = 0, start = 0;
  while (start < body.size()) {
    size_t end = body.find('\n', start);
    if (end == std::string_view::npos) end = body.size();
    ++number;
    std::string_view line = body.substr(start, end - start);
    if (!IsBlank(line)) lines.emplace_back(number, line);
    start = end + 1;
  }
  if (lines.size() > domain::kMaxImportItems) return TooManyItems();
  out.docs.resize(lines.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    Status parsed = ParseJson(lines[i].second, out.docs[i]);
    if (!parsed.ok()) {
      return Error(Code::kInvalidParam, fmt::format("line {}: {}", lines[i].first, parsed.detail()));
    }
    out.items.push_back({fmt::format("line {}", lines[i].first), &out.docs[i]});
  }
  return Status::Ok();
}

Status ReadArray(std::string_view body, ImportBody& out) {
  out.docs.resize(1);
  rapidjson::Document& doc = out.docs[0];
  KEFU_RETURN_IF_ERROR(ParseJson(body, doc));
  if (!doc.IsArray()) return Error(Code::kInvalidParam, "body must be a JSON array of items");
  if (doc.Size() > domain::kMaxImportItems) return TooManyItems();
  for (rapidjson::SizeType i = 0; i < doc.Size(); ++i) {
    out.items.push_back({fmt::format("item {}", i), &doc[i]});
  }
  return Status::Ok();
}

}  // namespace

bool IsNdjson(std::string_view content_type) {
  return content_type.substr(0, content_type.find(';')).find("application/x-ndjson") !=
         std::string_view::npos;
}

Status ReadImportBody(std::string_view body, bool ndjson, ImportBody& out) {
  out.docs.clear();
  out.items.clear();
  return ndjson ? ReadNdjson(body, out) : ReadArray(body, out);
}

}  // namespace kefu::api
