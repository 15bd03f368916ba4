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

// Writes take the tenant's agents lock (LockTenantAgents), as skill groups'
// do: a new id (one more than the largest) and a parent's existence hold
// until commit.
namespace {

Status NoSuchTag() { return Error(Code::kNoSuchResource, "no such tag"); }

Status RequireParent(PgConnection& conn, TenantId tenant, int64_t parent) {
  if (parent == 0) return Status::Ok();
  KEFU_PG_EXEC(r, conn, "SELECT 1 FROM summary_tags WHERE tenant_id = $1 AND id = $2", {P(tenant), P(parent)});
  return r.rows() > 0 ? Status::Ok() : NoSuchTag();
}

}  // namespace

Result<SummaryTag> PgStore::CreateSummaryTag(TenantId tenant, const SummaryTag& tag) {
  KEFU_PG_ACQUIRE(conn);
  PgTransaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  KEFU_RETURN_IF_ERROR(LockTenantAgents(conn, tenant));
  KEFU_RETURN_IF_ERROR(RequireParent(conn, tenant, tag.parent_id));
  KEFU_PG_EXEC(ins, conn,
               "INSERT INTO summary_tags(tenant_id, id, parent_id, name, color) "
               "SELECT $1, coalesce(max(id), 0) + 1, $2, $3, $4 FROM summary_tags WHERE tenant_id = $1 RETURNING id",
               {P(tenant), P(tag.parent_id), P(tag.name), P(tag.color)});
  SummaryTag out{ins.Int(0, 0), tag.parent_id, tag.name, tag.color};
  KEFU_RETURN_IF_ERROR(tx.Commit());
  return out;
}

Status PgStore::UpdateSummaryTag(TenantId tenant, const SummaryTag& tag) {
  KEFU_PG_ACQUIRE(conn);
  PgTransaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  KEFU_RETURN_IF_ERROR(LockTenantAgents(conn, tenant));
  KEFU_RETURN_IF_ERROR(RequireParent(conn, tenant, tag.parent_id));
  KEFU_PG_EXEC(upd, conn, "UPDATE summary_tags SET parent_id = $3, name = $4, color = $5 WHERE tenant_id = $1 AND id = $2",
               {P(tenant), P(tag.id), P(tag.parent_id), P(tag.name), P(tag.color)});
  if (upd.affected() == 0) return NoSuchTag();
  return tx.Commit();
}

Status PgStore::DeleteSummaryTag(TenantId tenant, int64_t id) {
  KEFU_PG_ACQUIRE(conn);
  PgTransaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  KEFU_RETURN_IF_ERROR(LockTenantAgents(conn, tenant));
  KEFU_PG_EXEC(kids, conn, "SELECT 1 FROM summary_tags WHERE tenant_id = $1 AND parent_id = $2", {P(tenant), P(id)});
  if (kids.rows() > 0) return Error(Code::kInvalidParam, "the tag has children: delete them first");
  KEFU_PG_EXEC(del, conn, "DELETE FROM summary_tags WHERE tenant_id = $1 AND id = $2", {P(tenant), P(id)});
  if (del.affected() == 0) return NoSuchTag();
  return tx.Commit();
}

Result<EnquiryTag> PgStore::CreateEnquiryTag(TenantId tenant, std::string_view name) {
  KEFU_PG_ACQUIRE(conn);
  PgTransaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  KEFU_RETURN_IF_ERROR(LockTenantAgents(conn, tenant));
  KEFU_PG_EXEC(ins, conn,
               "INSERT INTO enquiry_tags(tenant_id, id, name) "
               "SELECT $1, coalesce(max(id), 0) + 1, $2 FROM enquiry_tags WHERE tenant_id = $1 RETURNING id",
               {P(tenant), P(name)});
  EnquiryTag out{ins.Int(0, 0), std::string(name)};
  KEFU_RETURN_IF_ERROR(tx.Commit());
  return out;
}

Status PgStore::RenameEnquiryTag(TenantId tenant, int64_t id, std::string_view name) {
  KEFU_PG_ACQUIRE(conn);
  KEFU_PG_EXEC(upd, conn, "UPDATE enquiry_tags SET name = $3 WHERE tenant_id = $1 AND id = $2",
               {P(tenant), P(id), P(name)});
  return upd.affected() == 0 ? NoSuchTag() : Status::Ok();
}

Status PgStore::DeleteEnquiryTag(TenantId tenant, int64_t id) {
  KEFU_PG_ACQUIRE(conn);
  KEFU_PG_EXEC(del, conn, "DELETE FROM enquiry_tags WHERE tenant_id = $1 AND id = $2", {P(tenant), P(id)});
  return del.affected() == 0 ? NoSuchTag() : Status::Ok();
}

}  // namespace kefu::store::postgres
