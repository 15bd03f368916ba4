// Reading the body of POST …/serviceSessionHistorys/import (docs/decisions.md,
// "History import"): a JSON array of items, or NDJSON, one item a line.
#pragma once

#include <rapidjson/document.h>

#include <string_view>
#include <vector>

#include "common/status.h"
#include "domain/history_service.h"

namespace kefu::api {

// True for Content-Type application/x-ndjson (parameters ignored).
bool IsNdjson(std::string_view content_type);

struct ImportBody {
  // NDJSON needs a document per line; a JSON array is one document. The
  // items point into them, so an ImportBody is filled in place, not copied.
  std::vector<rapidjson::Document> docs;
  std::vector<domain::ImportItem> items;  // labelled "item N" or "line N"
};

// Fills `out` from `body`; kInvalidParam with the detail the API answers
// when the body is not JSON, not an array, or holds more than 1,000 items.
Status ReadImportBody(std::string_view body, bool ndjson, ImportBody& out);

}  // namespace kefu::api
