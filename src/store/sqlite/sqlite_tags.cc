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

namespace {

Status NoSuchTag() { return Error(Code::kNoSuchResource, "no such tag"); }

// kNoSuchResource unless `parent` is 0 (a root) or one of the tenant's session tags.
Status RequireParent(Connection& conn, TenantId tenant, int64_t parent) {
  if (parent == 0) return Status::Ok();
  KEFU_PREPARE(s, conn, "SELECT 1 FROM summary_tags WHERE tenant_id = ?1 AND id = ?2");
  s.Bind(1, tenant).Bind(2, parent);
  const bool found = s.Step();
  KEFU_RETURN_IF_ERROR(s.status());
  return found ? Status::Ok() : NoSuchTag();
}

}  // namespace

Result<SummaryTag> SqliteStore::CreateSummaryTag(TenantId tenant, const SummaryTag& tag) {
  KEFU_ACQUIRE(conn);
  Transaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  KEFU_RETURN_IF_ERROR(RequireParent(conn, tenant, tag.parent_id));
  KEFU_PREPARE(ins, conn,
               "INSERT INTO summary_tags(tenant_id, id, parent_id, name, color) "
               "SELECT ?1, coalesce(max(id), 0) + 1, ?2, ?3, ?4 FROM summary_tags WHERE tenant_id = ?1 RETURNING id");
  ins.Bind(1, tenant).Bind(2, tag.parent_id).Bind(3, tag.name).Bind(4, tag.color);
  if (!ins.Step()) return ins.status().ok() ? Error(Code::kInternal, "no id returned") : ins.status();
  SummaryTag out{ins.Int(0), tag.parent_id, tag.name, tag.color};
  KEFU_RETURN_IF_ERROR(ins.Run());
  KEFU_RETURN_IF_ERROR(tx.Commit());
  return out;
}

Status SqliteStore::UpdateSummaryTag(TenantId tenant, const SummaryTag& tag) {
  KEFU_ACQUIRE(conn);
  Transaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  KEFU_RETURN_IF_ERROR(RequireParent(conn, tenant, tag.parent_id));
  KEFU_PREPARE(upd, conn, "UPDATE summary_tags SET parent_id = ?3, name = ?4, color = ?5 WHERE tenant_id = ?1 AND id = ?2");
  upd.Bind(1, tenant).Bind(2, tag.id).Bind(3, tag.parent_id).Bind(4, tag.name).Bind(5, tag.color);
  KEFU_RETURN_IF_ERROR(upd.Run());
  if (sqlite3_changes(conn.handle()) == 0) return NoSuchTag();
  return tx.Commit();
}

Status SqliteStore::DeleteSummaryTag(TenantId tenant, int64_t id) {
  KEFU_ACQUIRE(conn);
  Transaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  {
    KEFU_PREPARE(kids, conn, "SELECT 1 FROM summary_tags WHERE tenant_id = ?1 AND parent_id = ?2");
    kids.Bind(1, tenant).Bind(2, id);
    const bool has = kids.Step();
    KEFU_RETURN_IF_ERROR(kids.status());
    if (has) return Error(Code::kInvalidParam, "the tag has children: delete them first");
  }
  KEFU_PREPARE(del, conn, "DELETE FROM summary_tags WHERE tenant_id = ?1 AND id = ?2");
  del.Bind(1, tenant).Bind(2, id);
  KEFU_RETURN_IF_ERROR(del.Run());
  if (sqlite3_changes(conn.handle()) == 0) return NoSuchTag();
  return tx.Commit();
}

Result<EnquiryTag> SqliteStore::CreateEnquiryTag(TenantId tenant, std::string_view name) {
  KEFU_ACQUIRE(conn);
  KEFU_PREPARE(ins, conn,
               "INSERT INTO enquiry_tags(tenant_id, id, name) "
               "SELECT ?1, coalesce(max(id), 0) + 1, ?2 FROM enquiry_tags WHERE tenant_id = ?1 RETURNING id");
  ins.Bind(1, tenant).Bind(2, name);
  if (!ins.Step()) return ins.status().ok() ? Error(Code::kInternal, "no id returned") : ins.status();
  EnquiryTag out{ins.Int(0), std::string(name)};
  KEFU_RETURN_IF_ERROR(ins.Run());
  return out;
}

Status SqliteStore::RenameEnquiryTag(TenantId tenant, int64_t id, std::string_view name) {
  KEFU_ACQUIRE(conn);
  KEFU_PREPARE(upd, conn, "UPDATE enquiry_tags SET name = ?3 WHERE tenant_id = ?1 AND id = ?2");
  upd.Bind(1, tenant).Bind(2, id).Bind(3, name);
  KEFU_RETURN_IF_ERROR(upd.Run());
  return sqlite3_changes(conn.handle()) == 0 ? NoSuchTag() : Status::Ok();
}

Status SqliteStore::DeleteEnquiryTag(TenantId tenant, int64_t id) {
  KEFU_ACQUIRE(conn);
  KEFU_PREPARE(del, conn, "DELETE FROM enquiry_tags WHERE tenant_id = ?1 AND id = ?2");
  del.Bind(1, tenant).Bind(2, id);
  KEFU_RETURN_IF_ERROR(del.Run());
  return sqlite3_changes(conn.handle()) == 0 ? NoSuchTag() : Status::Ok();
}

}  // namespace kefu::store::sqlite
