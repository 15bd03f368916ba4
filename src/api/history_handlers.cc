#include "api/error_mapping.h"
#include "api/handlers.h"
#include "api/import_body.h"
#include "api/json_writer.h"
#include "api/session_json.h"

namespace kefu::api {

ApiResponse QueryHistory(Services& s, const Call& r) {
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

ApiResponse ImportHistory(Services& s, const Call& r) {
  ImportBody body;
  if (Status read = ReadImportBody(r.request.body, IsNdjson(r.request.content_type), body); !read.ok()) {
    return ErrorResponse(read);
  }
  auto imported = s.history.Import(r.grant.tenant_id, r.grant.zone, body.items);
  if (!imported.ok()) return ErrorResponse(imported.status());
  JsonOut out;
  out.BeginObject().Key("status").Str("OK").Key("entity").BeginObject();
  out.Key("imported").Int(*imported);
  out.EndObject().EndObject();
  return out.Ok();
}

}  // namespace kefu::api
