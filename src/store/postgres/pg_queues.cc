// Skill groups (LIVE §1) on PostgreSQL: QueueStore's methods, over the
// catalog's `queues` and `queue_members`. Writes take
// the tenant's agents lock (LockTenantAgents), so a name check and its
// insert, or members and an agent's deletion, never interleave.
#include <set>

#include "store/joined_ids.h"
#include "store/postgres/pg_store.h"

namespace kefu::store::postgres {
namespace {

// id, name and the members joined by ',' (userIds are UUIDs), in one
// statement: one snapshot.
const std::string kQueueSelect =
    "SELECT q.id, q.name, coalesce(string_agg(m.user_id, ',' ORDER BY m.user_id), '') "
    "FROM queues q LEFT JOIN queue_members m ON m.tenant_id = q.tenant_id AND m.queue_id = q.id ";

SkillGroup ReadQueue(const PgResult& r, int row, TenantId tenant) {
  return SkillGroup{r.Int(row, 0), tenant, r.Text(row, 1), SplitIds(r.Text(row, 2))};
}

Status NameTakenError() { return Error(Code::kInvalidParam, "the tenant already has a skill group of that name"); }

}  // namespace

Status PgStore::RequireQueue(PgConnection& conn, TenantId tenant, int64_t id) {
  KEFU_PG_EXEC(found, conn, "SELECT 1 FROM queues WHERE tenant_id = $1 AND id = $2", {P(tenant), P(id)});
  return found.rows() > 0 ? Status::Ok() : Error(Code::kNoSuchResource, "no such skill group");
}

Result<std::vector<SkillGroup>> PgStore::ListQueues(TenantId tenant) {
  KEFU_PG_ACQUIRE(conn);
  KEFU_PG_EXEC(r, conn, kQueueSelect + "WHERE q.tenant_id = $1 GROUP BY q.tenant_id, q.id ORDER BY q.id", {P(tenant)});
  std::vector<SkillGroup> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(ReadQueue(r, i, tenant));
  return out;
}

Result<std::optional<SkillGroup>> PgStore::FindQueue(TenantId tenant, int64_t id) {
  KEFU_PG_ACQUIRE(conn);
  KEFU_PG_EXEC(r, conn, kQueueSelect + "WHERE q.tenant_id = $1 AND q.id = $2 GROUP BY q.tenant_id, q.id", {P(tenant), P(id)});
  if (r.rows() == 0) return std::optional<SkillGroup>();
  return std::optional<SkillGroup>(ReadQueue(r, 0, tenant));
}

Result<SkillGroup> PgStore::CreateQueue(TenantId tenant, std::string_view name) {
  KEFU_PG_ACQUIRE(conn);
  PgTransaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  KEFU_RETURN_IF_ERROR(LockTenantAgents(conn, tenant));
  KEFU_PG_EXEC(dup, conn, "SELECT 1 FROM queues WHERE tenant_id = $1 AND name = $2", {P(tenant), P(name)});
  if (dup.rows() > 0) return NameTakenError();
  KEFU_PG_EXEC(ins, conn,
               "INSERT INTO queues(tenant_id, id, name) "
               "SELECT $1, coalesce(max(id), 0) + 1, $2 FROM queues WHERE tenant_id = $1 RETURNING id",
               {P(tenant), P(name)});
  SkillGroup out{ins.Int(0, 0), tenant, std::string(name), {}};
  KEFU_RETURN_IF_ERROR(tx.Commit());
  return out;
}

Status PgStore::RenameQueue(TenantId tenant, int64_t id, std::string_view name) {
  KEFU_PG_ACQUIRE(conn);
  PgTransaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  KEFU_RETURN_IF_ERROR(LockTenantAgents(conn, tenant));
  KEFU_RETURN_IF_ERROR(RequireQueue(conn, tenant, id));
  KEFU_PG_EXEC(dup, conn, "SELECT 1 FROM queues WHERE tenant_id = $1 AND name = $2 AND id <> $3",
               {P(tenant), P(name), P(id)});
  if (dup.rows() > 0) return NameTakenError();
  KEFU_PG_EXEC(upd, conn, "UPDATE queues SET name = $3 WHERE tenant_id = $1 AND id = $2", {P(tenant), P(id), P(name)});
  return tx.Commit();
}

Status PgStore::DeleteQueue(TenantId tenant, int64_t id) {
  KEFU_PG_ACQUIRE(conn);
  PgTransaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  KEFU_RETURN_IF_ERROR(LockTenantAgents(conn, tenant));
  KEFU_PG_EXEC(del, conn, "DELETE FROM queues WHERE tenant_id = $1 AND id = $2 RETURNING id", {P(tenant), P(id)});
  if (del.rows() == 0) return Error(Code::kNoSuchResource, "no such skill group");
  KEFU_PG_EXEC(members, conn, "DELETE FROM queue_members WHERE tenant_id = $1 AND queue_id = $2", {P(tenant), P(id)});
  KEFU_PG_EXEC(channels, conn, "UPDATE channels SET queue_id = NULL WHERE tenant_id = $1 AND queue_id = $2",
               {P(tenant), P(id)});
  KEFU_PG_EXEC(options, conn,
               "UPDATE tenant_options SET default_queue_id = NULL WHERE tenant_id = $1 AND default_queue_id = $2",
               {P(tenant), P(id)});
  return tx.Commit();
}

Status PgStore::SetQueueMembers(TenantId tenant, int64_t id, const std::vector<std::string>& user_ids) {
  const std::set<std::string> members(user_ids.begin(), user_ids.end());
  KEFU_PG_ACQUIRE(conn);
  PgTransaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  KEFU_RETURN_IF_ERROR(LockTenantAgents(conn, tenant));
  KEFU_RETURN_IF_ERROR(RequireQueue(conn, tenant, id));
  KEFU_PG_EXEC(del, conn, "DELETE FROM queue_members WHERE tenant_id = $1 AND queue_id = $2", {P(tenant), P(id)});
  for (const std::string& user_id : members) {
    KEFU_PG_EXEC(agent, conn, "SELECT 1 FROM agents WHERE tenant_id = $1 AND user_id = $2", {P(tenant), P(user_id)});
    if (agent.rows() == 0) return Error(Code::kNoSuchAgent, "no agent of the tenant has the userId " + user_id);
    KEFU_PG_EXEC(ins, conn, "INSERT INTO queue_members(tenant_id, queue_id, user_id) VALUES ($1, $2, $3)",
                 {P(tenant), P(id), P(user_id)});
  }
  return tx.Commit();  // (a return above rolls back: all or nothing)
}

Status PgStore::DeleteQueueMemberships(PgConnection& conn, std::string_view user_id) {
  KEFU_PG_EXEC(del, conn, "DELETE FROM queue_members WHERE user_id = $1", {P(user_id)});
  return Status::Ok();
}

}  // namespace kefu::store::postgres
