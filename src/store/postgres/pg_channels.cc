// Channels (LIVE §1) on PostgreSQL: ChannelStore's methods, over the
// catalog's `channels`. Writes that name a skill group take the tenant's
// agents lock (LockTenantAgents), as skill groups' writes do, so a channel
// never keeps a skill group deleted meanwhile.
#include "store/postgres/pg_store.h"

namespace kefu::store::postgres {
namespace {

const std::string kChannelSelect = "SELECT id, name, type, origin_type, queue_id, channel_key, secret, tenant_id ";

ChannelRecord ReadChannel(const PgResult& r, int row) {
  return ChannelRecord{r.Int(row, 0), r.Int(row, 7),
                       ChannelFields{r.Text(row, 1), r.Text(row, 2), r.Text(row, 3), r.OptionalInt(row, 4)},
                       r.Text(row, 5), r.OptionalText(row, 6)};
}

Status NoSuchChannel() { return Error(Code::kNoSuchResource, "no such channel"); }

Result<std::optional<ChannelRecord>> FirstChannel(const PgResult& r) {
  if (r.rows() == 0) return std::optional<ChannelRecord>();
  return std::optional<ChannelRecord>(ReadChannel(r, 0));
}

// kInvalidParam when a channel other than the tenant's `id` has `key`.
Status RequireFreeKey(PgConnection& conn, TenantId tenant, int64_t id, std::string_view key) {
  KEFU_PG_EXEC(r, conn, "SELECT 1 FROM channels WHERE channel_key = $1 AND (tenant_id <> $2 OR id <> $3)",
               {P(key), P(tenant), P(id)});
  return r.rows() > 0 ? Error(Code::kInvalidParam, "another channel has that channelKey") : Status::Ok();
}

}  // namespace

Result<std::vector<ChannelRecord>> PgStore::ListChannels(TenantId tenant) {
  KEFU_PG_ACQUIRE(conn);
  KEFU_PG_EXEC(r, conn, kChannelSelect + "FROM channels WHERE tenant_id = $1 ORDER BY id", {P(tenant)});
  std::vector<ChannelRecord> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(ReadChannel(r, i));
  return out;
}

Result<std::optional<ChannelRecord>> PgStore::FindChannel(TenantId tenant, int64_t id) {
  KEFU_PG_ACQUIRE(conn);
  KEFU_PG_EXEC(r, conn, kChannelSelect + "FROM channels WHERE tenant_id = $1 AND id = $2", {P(tenant), P(id)});
  return FirstChannel(r);
}

Result<std::optional<ChannelRecord>> PgStore::FindChannelByKey(std::string_view channel_key) {
  KEFU_PG_ACQUIRE(conn);
  KEFU_PG_EXEC(r, conn, kChannelSelect + "FROM channels WHERE channel_key = $1", {P(channel_key)});
  return FirstChannel(r);
}

Result<ChannelRecord> PgStore::CreateChannel(TenantId tenant, const ChannelFields& fields,
                                             std::string_view channel_key, std::string_view secret) {
  KEFU_PG_ACQUIRE(conn);
  PgTransaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  KEFU_RETURN_IF_ERROR(LockTenantAgents(conn, tenant));
  if (fields.queue_id) KEFU_RETURN_IF_ERROR(RequireQueue(conn, tenant, *fields.queue_id));
  KEFU_RETURN_IF_ERROR(RequireFreeKey(conn, tenant, 0, channel_key));
  KEFU_PG_EXEC(ins, conn,
               "INSERT INTO channels(tenant_id, id, name, type, origin_type, queue_id, channel_key, secret) "
               "SELECT $1, coalesce(max(id), 0) + 1, $2, $3, $4, $5, $6, $7 FROM channels WHERE tenant_id = $1 "
               "RETURNING id",
               {P(tenant), P(fields.name), P(fields.type), P(fields.origin_type), P(fields.queue_id),
                P(channel_key), P(secret)});
  ChannelRecord out{ins.Int(0, 0), tenant, fields, std::string(channel_key), std::string(secret)};
  KEFU_RETURN_IF_ERROR(tx.Commit());
  return out;
}

Status PgStore::UpdateChannel(TenantId tenant, int64_t id, const ChannelFields& fields) {
  KEFU_PG_ACQUIRE(conn);
  PgTransaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  KEFU_RETURN_IF_ERROR(LockTenantAgents(conn, tenant));
  if (fields.queue_id) KEFU_RETURN_IF_ERROR(RequireQueue(conn, tenant, *fields.queue_id));
  KEFU_PG_EXEC(upd, conn,
               "UPDATE channels SET name = $3, type = $4, origin_type = $5, queue_id = $6 "
               "WHERE tenant_id = $1 AND id = $2",
               {P(tenant), P(id), P(fields.name), P(fields.type), P(fields.origin_type), P(fields.queue_id)});
  if (upd.affected() == 0) return NoSuchChannel();
  return tx.Commit();
}

Status PgStore::DeleteChannel(TenantId tenant, int64_t id) {
  KEFU_PG_ACQUIRE(conn);
  KEFU_PG_EXEC(del, conn, "DELETE FROM channels WHERE tenant_id = $1 AND id = $2", {P(tenant), P(id)});
  return del.affected() == 0 ? NoSuchChannel() : Status::Ok();
}

Status PgStore::SetChannelIdentity(TenantId tenant, int64_t id, std::string_view channel_key,
                                   std::string_view secret) {
  KEFU_PG_ACQUIRE(conn);
  PgTransaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  KEFU_RETURN_IF_ERROR(RequireFreeKey(conn, tenant, id, channel_key));
  KEFU_PG_EXEC(upd, conn, "UPDATE channels SET channel_key = $3, secret = $4 WHERE tenant_id = $1 AND id = $2",
               {P(tenant), P(id), P(channel_key), P(secret)});
  if (upd.affected() == 0) return NoSuchChannel();
  return tx.Commit();
}

}  // namespace kefu::store::postgres
