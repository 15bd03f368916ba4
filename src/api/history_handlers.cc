#include <rapidjson/document.h>
#include <rapidjson/memorystream.h>

#include <fmt/format.h>

#include "api/error_mapping.h"
#include "api/handlers.h"
#include "api/json_body.h"
#include "api/json_writer.h"
#include "api/session_json.h"

namespace kefu::api {

ApiResponse QueryHistory(Services& s, const TenantRequest& r) {
  auto page = s.history.Query(r.grant.tenant_id,
                              [&](std::string_view name) { return r.query.GetList(name); });
  if (!page.ok()) return ErrorResponse(page.status());
  JsonOut out;
  out.BeginObject().Key("status").Str("OK").Key("entity").BeginObject();
  out.Key("total_entries").Int(page->total);
  out.Key("items").BeginArray();
  for (const auto& values : page->values) {
    if (!WriteSessionItem(out, values)) return ErrorResponse(Error(Code::kInternal, "corrupt stored session"));
  }
  out.EndArray().EndObject().EndObject();
  return out.Ok();
}

namespace {

bool IsNdjson(std::string_view content_type) {
  return content_type.substr(0, content_type.find(';')).find("application/x-ndjson") !=
         std::string_view::npos;
}

bool IsBlank(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

}  // namespace

ApiResponse ImportHistory(Services& s, const TenantRequest& r) {
  std::vector<domain::ImportItem> items;
  // NDJSON needs a document per line; a JSON array is one document.
  std::vector<rapidjson::Document> docs;
  if (IsNdjson(r.request.content_type)) {
    std::string_view body = r.request.body;
    std::vector<std::pair<size_t, std::string_view>> lines;
    size_t number = 0, start = 0;
    while (start < body.size()) {
      size_t end = body.find('\n', start);
      if (end == std::string_view::npos) end = body.size();
      ++number;
      std::string_view line = body.substr(start, end - start);
      if (!IsBlank(line)) lines.emplace_back(number, line);
      start = end + 1;
    }
    if (lines.size() > domain::kMaxImportItems) {
      return ErrorResponse(Error(Code::kInvalidParam, "at most 1000 items per request"));
    }
    docs.resize(lines.size());
    for (size_t i = 0; i < lines.size(); ++i) {
      Status parsed = ParseJson(lines[i].second, docs[i]);
      if (!parsed.ok()) {
        return ErrorResponse(
            Error(Code::kInvalidParam, fmt::format("line {}: {}", lines[i].first, parsed.detail())));
      }
      items.push_back({fmt::format("line {}", lines[i].first), &docs[i]});
    }
  } else {
    docs.resize(1);
    Status parsed = ParseJson(r.request.body, docs[0]);
    if (!parsed.ok()) return ErrorResponse(parsed);
    if (!docs[0].IsArray()) {
      return ErrorResponse(Error(Code::kInvalidParam, "body must be a JSON array of items"));
    }
    if (docs[0].Size() > domain::kMaxImportItems) {
      return ErrorResponse(Error(Code::kInvalidParam, "at most 1000 items per request"));
    }
    for (rapidjson::SizeType i = 0; i < docs[0].Size(); ++i) {
      items.push_back({fmt::format("item {}", i), &docs[0][i]});
    }
  }
  auto imported = s.history.Import(r.grant.tenant_id, r.grant.zone, items);
  if (!imported.ok()) return ErrorResponse(imported.status());
  JsonOut out;
  out.BeginObject().Key("status").Str("OK").Key("entity").BeginObject();
  out.Key("imported").Int(*imported);
  out.EndObject().EndObject();
  return out.Ok();
}

}  // namespace kefu::api
