// A tenant's options (LIVE §5) on SQLite: OptionsStore's methods, over
// `tenant_options` (no row: the defaults).
#include "store/sqlite/sqlite_store.h"

namespace kefu::store::sqlite {
namespace {

Result<TenantOptions> ReadOptions(Connection& conn, TenantId tenant) {
  KEFU_PREPARE(s, conn,
               "SELECT default_queue_id, wait_timeout_seconds, idle_close_seconds, offline_grace_seconds, "
               "enquiry_invite_on_close, agents_set_own_capacity, greeting, off_duty_message "
               "FROM tenant_options WHERE tenant_id = ?1");
  s.Bind(1, tenant);
  TenantOptions o;
  if (s.Step()) {
    o = TenantOptions{s.OptionalInt(0), s.OptionalInt(1), s.OptionalInt(2), s.Int(3),
                      s.Int(4) != 0,    s.Int(5) != 0,    s.OptionalText(6), s.OptionalText(7)};
  }
  KEFU_RETURN_IF_ERROR(s.status());
  return o;
}

}  // namespace

Result<TenantOptions> SqliteStore::GetOptions(TenantId tenant) {
  KEFU_ACQUIRE(conn);
  return ReadOptions(conn, tenant);
}

Result<TenantOptions> SqliteStore::UpdateOptions(TenantId tenant, const std::function<void(TenantOptions&)>& change) {
  KEFU_ACQUIRE(conn);
  Transaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  auto options = ReadOptions(conn, tenant);
  if (!options.ok()) return options.status();
  TenantOptions& o = *options;
  change(o);
  if (o.default_queue_id) KEFU_RETURN_IF_ERROR(RequireQueue(conn, tenant, *o.default_queue_id));
  KEFU_PREPARE(put, conn,
               "INSERT OR REPLACE INTO tenant_options(tenant_id, default_queue_id, wait_timeout_seconds, "
               "idle_close_seconds, offline_grace_seconds, enquiry_invite_on_close, agents_set_own_capacity, "
               "greeting, off_duty_message) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  put.Bind(1, tenant).BindOptional(2, o.default_queue_id).BindOptional(3, o.wait_timeout_seconds);
  put.BindOptional(4, o.idle_close_seconds).Bind(5, o.offline_grace_seconds);
  put.Bind(6, int64_t{o.enquiry_invite_on_close}).Bind(7, int64_t{o.agents_set_own_capacity});
  put.BindOptional(8, o.greeting).BindOptional(9, o.off_duty_message);
  KEFU_RETURN_IF_ERROR(put.Run());
  KEFU_RETURN_IF_ERROR(tx.Commit());
  return options;
}

}  // namespace kefu::store::sqlite
