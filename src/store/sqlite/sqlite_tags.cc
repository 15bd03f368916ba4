// A tenant's tags (LIVE §1) on SQLite: TagStore's methods, over the
// catalog's `summary_tags` and `enquiry_tags`.
#include "store/sqlite/sqlite_store.h"

namespace kefu::store::sqlite {

Result<std::vector<SummaryTag>> SqliteStore::ListSummaryTags(TenantId tenant) {
  KEFU_ACQUIRE(conn);
  KEFU_PREPARE(s, conn, "SELECT id, parent_id, name, color FROM summary_tags WHERE tenant_id = ?1 ORDER BY id");
  s.Bind(1, tenant);
  std::vector<SummaryTag> out;
  while (s.Step()) out.push_back(SummaryTag{s.Int(0), s.Int(1), s.Text(2), s.Int(3)});
  KEFU_RETURN_IF_ERROR(s.status());
  return out;
}

Result<std::vector<EnquiryTag>> SqliteStore::ListEnquiryTags(TenantId tenant) {
  KEFU_ACQUIRE(conn);
  KEFU_PREPARE(s, conn, "SELECT id, name FROM enquiry_tags WHERE tenant_id = ?1 ORDER BY id");
  s.Bind(1, tenant);
  std::vector<EnquiryTag> out;
  while (s.Step()) out.push_back(EnquiryTag{s.Int(0), s.Text(1)});
  KEFU_RETURN_IF_ERROR(s.status());
  return out;
}

}  // namespace kefu::store::sqlite
