// A tenant's options (LIVE §5) on PostgreSQL: OptionsStore's methods, over
// `tenant_options` (no row: the defaults). An update takes the tenant's
// agents lock (LockTenantAgents): a row that does not exist yet cannot be
// locked, and skill groups' deletions take the same lock.
#include "store/postgres/pg_store.h"

namespace kefu::store::postgres {
namespace {

Result<TenantOptions> ReadOptions(PgConnection& conn, TenantId tenant) {
  KEFU_PG_EXEC(r, conn,
               "SELECT default_queue_id, wait_timeout_seconds, idle_close_seconds, offline_grace_seconds, "
               "enquiry_invite_on_close, agents_set_own_capacity, greeting, off_duty_message "
               "FROM tenant_options WHERE tenant_id = $1",
               {P(tenant)});
  if (r.rows() == 0) return TenantOptions{};
  return TenantOptions{r.OptionalInt(0, 0), r.OptionalInt(0, 1), r.OptionalInt(0, 2), r.Int(0, 3),
                       r.Bool(0, 4),        r.Bool(0, 5),        r.OptionalText(0, 6), r.OptionalText(0, 7)};
}

}  // namespace

Result<TenantOptions> PgStore::GetOptions(TenantId tenant) {
  KEFU_PG_ACQUIRE(conn);
  return ReadOptions(conn, tenant);
}

Result<TenantOptions> PgStore::UpdateOptions(TenantId tenant, const std::function<void(TenantOptions&)>& change) {
  KEFU_PG_ACQUIRE(conn);
  PgTransaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  KEFU_RETURN_IF_ERROR(LockTenantAgents(conn, tenant));
  auto options = ReadOptions(conn, tenant);
  if (!options.ok()) return options.status();
  TenantOptions& o = *options;
  change(o);
  if (o.default_queue_id) KEFU_RETURN_IF_ERROR(RequireQueue(conn, tenant, *o.default_queue_id));
  KEFU_PG_EXEC(put, conn,
               "INSERT INTO tenant_options(tenant_id, default_queue_id, wait_timeout_seconds, idle_close_seconds, "
               "offline_grace_seconds, enquiry_invite_on_close, agents_set_own_capacity, greeting, off_duty_message) "
               "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (tenant_id) DO UPDATE SET "
               "default_queue_id = excluded.default_queue_id, wait_timeout_seconds = excluded.wait_timeout_seconds, "
               "idle_close_seconds = excluded.idle_close_seconds, "
               "offline_grace_seconds = excluded.offline_grace_seconds, "
               "enquiry_invite_on_close = excluded.enquiry_invite_on_close, "
               "agents_set_own_capacity = excluded.agents_set_own_capacity, greeting = excluded.greeting, "
               "off_duty_message = excluded.off_duty_message",
               {P(tenant), P(o.default_queue_id), P(o.wait_timeout_seconds), P(o.idle_close_seconds),
                P(o.offline_grace_seconds), P(o.enquiry_invite_on_close ? "true" : "false"),
                P(o.agents_set_own_capacity ? "true" : "false"), P(o.greeting), P(o.off_duty_message)});
  KEFU_RETURN_IF_ERROR(tx.Commit());
  return options;
}

}  // namespace kefu::store::postgres
