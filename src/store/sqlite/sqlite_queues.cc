// Skill groups (LIVE §1) on SQLite: QueueStore's methods, over the catalog's
// `queues` and `queue_members`.
#include <set>

#include "store/sqlite/sqlite_store.h"

namespace kefu::store::sqlite {
namespace {

Status NoSuchQueue() { return Error(Code::kNoSuchResource, "no such skill group"); }

// kInvalidParam when another of the tenant's skill groups than `id` is named `name`.
Status RequireFreeName(Connection& conn, TenantId tenant, std::string_view name, int64_t id) {
  KEFU_PREPARE(s, conn, "SELECT 1 FROM queues WHERE tenant_id = ?1 AND name = ?2 AND id <> ?3");
  s.Bind(1, tenant).Bind(2, name).Bind(3, id);
  const bool taken = s.Step();
  KEFU_RETURN_IF_ERROR(s.status());
  return taken ? Error(Code::kInvalidParam, "the tenant already has a skill group of that name") : Status::Ok();
}

// The members of the tenant's skill groups, into `groups` (sorted by id).
Status ReadMembers(Connection& conn, TenantId tenant, std::vector<SkillGroup>& groups) {
  KEFU_PREPARE(m, conn,
               "SELECT queue_id, user_id FROM queue_members WHERE tenant_id = ?1 ORDER BY queue_id, user_id");
  m.Bind(1, tenant);
  auto group = groups.begin();
  while (m.Step()) {
    while (group != groups.end() && group->id < m.Int(0)) ++group;
    if (group != groups.end() && group->id == m.Int(0)) group->member_ids.push_back(m.Text(1));
  }
  return m.status();
}

}  // namespace

Status SqliteStore::RequireQueue(Connection& conn, TenantId tenant, int64_t id) {
  KEFU_PREPARE(s, conn, "SELECT 1 FROM queues WHERE tenant_id = ?1 AND id = ?2");
  s.Bind(1, tenant).Bind(2, id);
  const bool found = s.Step();
  KEFU_RETURN_IF_ERROR(s.status());
  return found ? Status::Ok() : NoSuchQueue();
}

Result<std::vector<SkillGroup>> SqliteStore::ListQueues(TenantId tenant) {
  KEFU_ACQUIRE(conn);
  ReadTransaction read(conn);  // one snapshot for the groups and their members
  KEFU_RETURN_IF_ERROR(read.Begin());
  std::vector<SkillGroup> out;
  {
    KEFU_PREPARE(s, conn, "SELECT id, name FROM queues WHERE tenant_id = ?1 ORDER BY id");
    s.Bind(1, tenant);
    while (s.Step()) out.push_back(SkillGroup{s.Int(0), tenant, s.Text(1), {}});
    KEFU_RETURN_IF_ERROR(s.status());
  }
  KEFU_RETURN_IF_ERROR(ReadMembers(conn, tenant, out));
  return out;
}

Result<std::optional<SkillGroup>> SqliteStore::FindQueue(TenantId tenant, int64_t id) {
  KEFU_ACQUIRE(conn);
  ReadTransaction read(conn);
  KEFU_RETURN_IF_ERROR(read.Begin());
  std::optional<SkillGroup> out;
  {
    KEFU_PREPARE(s, conn, "SELECT name FROM queues WHERE tenant_id = ?1 AND id = ?2");
    s.Bind(1, tenant).Bind(2, id);
    if (s.Step()) out = SkillGroup{id, tenant, s.Text(0), {}};
    KEFU_RETURN_IF_ERROR(s.status());
  }
  if (!out) return out;
  KEFU_PREPARE(m, conn, "SELECT user_id FROM queue_members WHERE tenant_id = ?1 AND queue_id = ?2 ORDER BY user_id");
  m.Bind(1, tenant).Bind(2, id);
  while (m.Step()) out->member_ids.push_back(m.Text(0));
  KEFU_RETURN_IF_ERROR(m.status());
  return out;
}

Result<SkillGroup> SqliteStore::CreateQueue(TenantId tenant, std::string_view name) {
  KEFU_ACQUIRE(conn);
  Transaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  KEFU_RETURN_IF_ERROR(RequireFreeName(conn, tenant, name, 0));
  KEFU_PREPARE(ins, conn,
               "INSERT INTO queues(tenant_id, id, name) "
               "SELECT ?1, coalesce(max(id), 0) + 1, ?2 FROM queues WHERE tenant_id = ?1 RETURNING id");
  ins.Bind(1, tenant).Bind(2, name);
  if (!ins.Step()) return ins.status().ok() ? Error(Code::kInternal, "no id returned") : ins.status();
  SkillGroup out{ins.Int(0), tenant, std::string(name), {}};
  KEFU_RETURN_IF_ERROR(ins.Run());  // steps it to its end
  KEFU_RETURN_IF_ERROR(tx.Commit());
  return out;
}

Status SqliteStore::RenameQueue(TenantId tenant, int64_t id, std::string_view name) {
  KEFU_ACQUIRE(conn);
  Transaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  KEFU_RETURN_IF_ERROR(RequireQueue(conn, tenant, id));
  KEFU_RETURN_IF_ERROR(RequireFreeName(conn, tenant, name, id));
  KEFU_PREPARE(upd, conn, "UPDATE queues SET name = ?3 WHERE tenant_id = ?1 AND id = ?2");
  upd.Bind(1, tenant).Bind(2, id).Bind(3, name);
  KEFU_RETURN_IF_ERROR(upd.Run());
  return tx.Commit();
}

Status SqliteStore::DeleteQueue(TenantId tenant, int64_t id) {
  KEFU_ACQUIRE(conn);
  Transaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  KEFU_RETURN_IF_ERROR(RequireQueue(conn, tenant, id));
  for (const char* sql : {"DELETE FROM queue_members WHERE tenant_id = ?1 AND queue_id = ?2",
                          "UPDATE channels SET queue_id = NULL WHERE tenant_id = ?1 AND queue_id = ?2",
                          "UPDATE tenant_options SET default_queue_id = NULL "
                          "WHERE tenant_id = ?1 AND default_queue_id = ?2",
                          "DELETE FROM queues WHERE tenant_id = ?1 AND id = ?2"}) {
    KEFU_PREPARE(del, conn, sql);
    del.Bind(1, tenant).Bind(2, id);
    KEFU_RETURN_IF_ERROR(del.Run());
  }
  return tx.Commit();
}

Status SqliteStore::SetQueueMembers(TenantId tenant, int64_t id, const std::vector<std::string>& user_ids) {
  const std::set<std::string> members(user_ids.begin(), user_ids.end());
  KEFU_ACQUIRE(conn);
  Transaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  KEFU_RETURN_IF_ERROR(RequireQueue(conn, tenant, id));
  {
    KEFU_PREPARE(del, conn, "DELETE FROM queue_members WHERE tenant_id = ?1 AND queue_id = ?2");
    del.Bind(1, tenant).Bind(2, id);
    KEFU_RETURN_IF_ERROR(del.Run());
  }
  for (const std::string& user_id : members) {
    KEFU_PREPARE(agent, conn, "SELECT 1 FROM agents WHERE tenant_id = ?1 AND user_id = ?2");
    agent.Bind(1, tenant).Bind(2, user_id);
    const bool found = agent.Step();
    KEFU_RETURN_IF_ERROR(agent.status());
    if (!found) return Error(Code::kNoSuchAgent, "no agent of the tenant has the userId " + user_id);
    KEFU_PREPARE(ins, conn, "INSERT INTO queue_members(tenant_id, queue_id, user_id) VALUES (?1, ?2, ?3)");
    ins.Bind(1, tenant).Bind(2, id).Bind(3, user_id);
    KEFU_RETURN_IF_ERROR(ins.Run());
  }
  return tx.Commit();  // (a return above rolls back: all or nothing)
}

Status SqliteStore::DeleteQueueMemberships(Connection& conn, std::string_view user_id) {
  KEFU_PREPARE(del, conn, "DELETE FROM queue_members WHERE user_id = ?1");
  del.Bind(1, user_id);
  return del.Run();
}

}  // namespace kefu::store::sqlite
