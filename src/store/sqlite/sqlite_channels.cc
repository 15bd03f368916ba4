// Channels (LIVE §1) on SQLite: ChannelStore's methods, over the catalog's
// `channels`.
#include "store/sqlite/sqlite_store.h"

namespace kefu::store::sqlite {
namespace {

// A literal, as Connection::Prepare caches statements by their text's address.
#define KEFU_CHANNEL_SELECT "SELECT id, name, type, origin_type, queue_id, channel_key, secret "

ChannelRecord ReadChannel(const Statement& s, TenantId tenant) {
  return ChannelRecord{s.Int(0), tenant, ChannelFields{s.Text(1), s.Text(2), s.Text(3), s.OptionalInt(4)},
                       s.Text(5), s.OptionalText(6)};
}

Status NoSuchChannel() { return Error(Code::kNoSuchResource, "no such channel"); }

// kNoSuchResource when `queue_id` is set and names none of the tenant's skill groups.
Status RequireQueueIfSet(Connection& conn, TenantId tenant, const std::optional<int64_t>& queue_id) {
  return queue_id ? SqliteStore::RequireQueue(conn, tenant, *queue_id) : Status::Ok();
}

// kInvalidParam when a channel other than the tenant's `id` has `key`.
Status RequireFreeKey(Connection& conn, TenantId tenant, int64_t id, std::string_view key) {
  KEFU_PREPARE(s, conn, "SELECT tenant_id, id FROM channels WHERE channel_key = ?1");
  s.Bind(1, key);
  const bool taken = s.Step() && (s.Int(0) != tenant || s.Int(1) != id);
  KEFU_RETURN_IF_ERROR(s.status());
  return taken ? Error(Code::kInvalidParam, "another channel has that channelKey") : Status::Ok();
}

}  // namespace

Result<std::vector<ChannelRecord>> SqliteStore::ListChannels(TenantId tenant) {
  KEFU_ACQUIRE(conn);
  KEFU_PREPARE(s, conn, KEFU_CHANNEL_SELECT "FROM channels WHERE tenant_id = ?1 ORDER BY id");
  s.Bind(1, tenant);
  std::vector<ChannelRecord> out;
  while (s.Step()) out.push_back(ReadChannel(s, tenant));
  KEFU_RETURN_IF_ERROR(s.status());
  return out;
}

Result<std::optional<ChannelRecord>> SqliteStore::FindChannel(TenantId tenant, int64_t id) {
  KEFU_ACQUIRE(conn);
  KEFU_PREPARE(s, conn, KEFU_CHANNEL_SELECT "FROM channels WHERE tenant_id = ?1 AND id = ?2");
  s.Bind(1, tenant).Bind(2, id);
  std::optional<ChannelRecord> out;
  if (s.Step()) out = ReadChannel(s, tenant);
  KEFU_RETURN_IF_ERROR(s.status());
  return out;
}

Result<std::optional<ChannelRecord>> SqliteStore::FindChannelByKey(std::string_view channel_key) {
  KEFU_ACQUIRE(conn);
  KEFU_PREPARE(s, conn, KEFU_CHANNEL_SELECT ", tenant_id FROM channels WHERE channel_key = ?1");
  s.Bind(1, channel_key);
  std::optional<ChannelRecord> out;
  if (s.Step()) out = ReadChannel(s, s.Int(7));
  KEFU_RETURN_IF_ERROR(s.status());
  return out;
}

Result<ChannelRecord> SqliteStore::CreateChannel(TenantId tenant, const ChannelFields& fields,
                                                 std::string_view channel_key, std::string_view secret) {
  KEFU_ACQUIRE(conn);
  Transaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  KEFU_RETURN_IF_ERROR(RequireQueueIfSet(conn, tenant, fields.queue_id));
  KEFU_RETURN_IF_ERROR(RequireFreeKey(conn, tenant, 0, channel_key));
  KEFU_PREPARE(ins, conn,
               "INSERT INTO channels(tenant_id, id, name, type, origin_type, queue_id, channel_key, secret) "
               "SELECT ?1, coalesce(max(id), 0) + 1, ?2, ?3, ?4, ?5, ?6, ?7 FROM channels WHERE tenant_id = ?1 "
               "RETURNING id");
  ins.Bind(1, tenant).Bind(2, fields.name).Bind(3, fields.type).Bind(4, fields.origin_type);
  ins.BindOptional(5, fields.queue_id).Bind(6, channel_key).Bind(7, secret);
  if (!ins.Step()) return ins.status().ok() ? Error(Code::kInternal, "no id returned") : ins.status();
  ChannelRecord out{ins.Int(0), tenant, fields, std::string(channel_key), std::string(secret)};
  KEFU_RETURN_IF_ERROR(ins.Run());  // steps it to its end
  KEFU_RETURN_IF_ERROR(tx.Commit());
  return out;
}

Status SqliteStore::UpdateChannel(TenantId tenant, int64_t id, const ChannelFields& fields) {
  KEFU_ACQUIRE(conn);
  Transaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  KEFU_RETURN_IF_ERROR(RequireQueueIfSet(conn, tenant, fields.queue_id));
  KEFU_PREPARE(upd, conn,
               "UPDATE channels SET name = ?3, type = ?4, origin_type = ?5, queue_id = ?6 "
               "WHERE tenant_id = ?1 AND id = ?2");
  upd.Bind(1, tenant).Bind(2, id).Bind(3, fields.name).Bind(4, fields.type).Bind(5, fields.origin_type);
  upd.BindOptional(6, fields.queue_id);
  KEFU_RETURN_IF_ERROR(upd.Run());
  if (sqlite3_changes(conn.handle()) == 0) return NoSuchChannel();
  return tx.Commit();
}

Status SqliteStore::DeleteChannel(TenantId tenant, int64_t id) {
  KEFU_ACQUIRE(conn);
  KEFU_PREPARE(del, conn, "DELETE FROM channels WHERE tenant_id = ?1 AND id = ?2");
  del.Bind(1, tenant).Bind(2, id);
  KEFU_RETURN_IF_ERROR(del.Run());
  return sqlite3_changes(conn.handle()) == 0 ? NoSuchChannel() : Status::Ok();
}

Status SqliteStore::SetChannelIdentity(TenantId tenant, int64_t id, std::string_view channel_key,
                                       std::string_view secret) {
  KEFU_ACQUIRE(conn);
  Transaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  KEFU_RETURN_IF_ERROR(RequireFreeKey(conn, tenant, id, channel_key));
  KEFU_PREPARE(upd, conn, "UPDATE channels SET channel_key = ?3, secret = ?4 WHERE tenant_id = ?1 AND id = ?2");
  upd.Bind(1, tenant).Bind(2, id).Bind(3, channel_key).Bind(4, secret);
  KEFU_RETURN_IF_ERROR(upd.Run());
  if (sqlite3_changes(conn.handle()) == 0) return NoSuchChannel();
  return tx.Commit();
}

}  // namespace kefu::store::sqlite
