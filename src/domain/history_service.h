// The history endpoints' work: the query and the import (CONTRACT §6).
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "common/status.h"
#include "domain/history_query.h"
#include "store/history_store.h"

namespace kefu::domain {

inline constexpr size_t kMaxImportItems = 1000;

// One item to import and how errors name it ("item 3", "line 4").
struct ImportItem {
  std::string label;
  const rapidjson::Value* value;
};

class HistoryService {
 public:
  explicit HistoryService(store::HistoryStore& store) : store_(store) {}

  Result<store::HistoryPage> Query(store::TenantId tenant, const ParamList& params);

  // Checks every item, then stores them all in one transaction; nothing is
  // stored if any is bad. Returns how many were imported.
  Result<int64_t> Import(store::TenantId tenant, TimeZone zone, const std::vector<ImportItem>& items);

 private:
  store::HistoryStore& store_;
};

}  // namespace kefu::domain
