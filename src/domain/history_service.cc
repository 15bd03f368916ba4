#include "domain/history_service.h"

#include <fmt/format.h>

#include "domain/session_item.h"

namespace kefu::domain {

Result<store::HistoryPage> HistoryService::Query(store::TenantId tenant, const ParamList& params) {
  auto filter = ParseHistoryQuery(params);
  if (!filter.ok()) return filter.status();
  return store_.QueryHistory(tenant, *filter);
}

Result<int64_t> HistoryService::Import(store::TenantId tenant, TimeZone zone,
                                       const std::vector<ImportItem>& items) {
  std::vector<store::SessionRow> rows;
  rows.reserve(items.size());
  for (const auto& item : items) {
    auto row = ParseSessionItem(*item.value, tenant, zone);
    if (!row.ok()) {
      return Error(Code::kInvalidParam, fmt::format("{}: {}", item.label, row.status().detail()));
    }
    rows.push_back(std::move(row).value());
  }
  size_t failed = 0;
  Status s = store_.ImportSessions(tenant, rows, &failed);
  if (s.code() == Code::kInvalidParam && failed < items.size()) {
    return Error(Code::kInvalidParam, fmt::format("{}: {}", items[failed].label, s.detail()));
  }
  KEFU_RETURN_IF_ERROR(s);
  return static_cast<int64_t>(rows.size());
}

}  // namespace kefu::domain
