// A tenant's tags (LIVE §1) on PostgreSQL: TagStore's methods, over the
// catalog's `summary_tags` and `enquiry_tags`.
#include "store/postgres/pg_store.h"

namespace kefu::store::postgres {

Result<std::vector<SummaryTag>> PgStore::ListSummaryTags(TenantId tenant) {
  KEFU_PG_ACQUIRE(conn);
  KEFU_PG_EXEC(r, conn, "SELECT id, parent_id, name, color FROM summary_tags WHERE tenant_id = $1 ORDER BY id",
               {P(tenant)});
  std::vector<SummaryTag> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(SummaryTag{r.Int(i, 0), r.Int(i, 1), r.Text(i, 2), r.Int(i, 3)});
  return out;
}

Result<std::vector<EnquiryTag>> PgStore::ListEnquiryTags(TenantId tenant) {
  KEFU_PG_ACQUIRE(conn);
  KEFU_PG_EXEC(r, conn, "SELECT id, name FROM enquiry_tags WHERE tenant_id = $1 ORDER BY id", {P(tenant)});
  std::vector<EnquiryTag> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(EnquiryTag{r.Int(i, 0), r.Text(i, 1)});
  return out;
}

}  // namespace kefu::store::postgres
