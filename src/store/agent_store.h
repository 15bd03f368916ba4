// A tenant's agents and custom roles (CONTRACT §4, §5).
//
// Every method is safe to call from several threads at once and may block
// (it is called off the I/O threads, except the reads ReadsAreLocal()
// allows). A failure of the database itself returns kStoreUnavailable and
// changes nothing; every write is one transaction. Tenant-scoped methods take
// the tenant id first and never read or write another tenant's rows.
//
// Every change to a tenant's agents moves its agents_version (read back by
// ListAgents and TenantStore::FindToken) in the same transaction.
//
// An agent's tokens (LIVE §4; digests, raw SHA-256 bytes) die with the
// agent, and in the same transaction as a ModifyAgent that changes its
// password hash or disables it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "store/records.h"

namespace kefu::store {

class AgentStore {
 public:
  virtual ~AgentStore() = default;

  // ---- roles ----
  // The tenant's custom roles by id (system roles are not stored).
  virtual Result<std::vector<CustomRole>> ListCustomRoles(TenantId tenant) = 0;
  // The tenant's custom role `role_id`, or nullopt (also for another
  // tenant's role).
  virtual Result<std::optional<CustomRole>> FindCustomRole(TenantId tenant, int64_t role_id) = 0;
  // Stores the role and returns it with its id and tenant. Ids are unique in
  // the deployment, from kFirstCustomRoleId up (role.id if set to one of
  // those). kInvalidParam if the tenant already has a role of that name.
  virtual Result<CustomRole> CreateCustomRole(TenantId tenant, const CustomRole& role) = 0;

  // ---- agents ----
  // The count of the tenant's agents matching `search` (store::AgentSearch)
  // and the page of them at its offset and limit, in search order (created_at,
  // then username without case); custom_role_name filled in.
  virtual Result<AgentPage> SearchAgents(TenantId tenant, const AgentSearch& search) = 0;
  // The tenant's whole roster, read in one snapshot with its agents_version
  // (too_large if it has more than `at_most` agents). kWrongTenant if there
  // is no such tenant.
  virtual Result<AgentRoster> ListAgents(TenantId tenant, size_t at_most) = 0;
  // The agent with this username (compared without ASCII case) in ANY
  // tenant, so the caller can tell "no such agent" from "another tenant's
  // agent"; nullopt if none.
  virtual Result<std::optional<Agent>> FindAgentByUsername(std::string_view username) = 0;
  // Stores a new agent. kUsernameTaken if the username (without case) exists
  // in any tenant; nothing is stored then.
  virtual Status InsertAgent(const Agent& agent) = 0;
  // Reads agent `user_id` of `tenant`, applies `change` to it and writes it
  // back, all in one write transaction (so concurrent changes never overwrite
  // each other). `change` must not block, nor change user_id, tenant_id or
  // username. kNoSuchAgent if the agent is gone; kLastAdmin if the tenant
  // would be left without an enabled admin (nothing is written then).
  virtual Status ModifyAgent(TenantId tenant, std::string_view user_id,
                             const std::function<void(Agent&)>& change) = 0;
  // Deletes the agent; kNoSuchAgent if gone; kLastAdmin if it is the
  // tenant's only enabled admin; kAgentBusy if a history session in
  // Processing names it (agentUserId or agentUserSet).
  virtual Status DeleteAgent(TenantId tenant, std::string_view user_id) = 0;

  // ---- agent tokens ----
  // Stores a token digest for an enabled agent, valid while now <
  // expires_at, and sweeps the agent's expired ones; kNoSuchAgent if the
  // agent is gone or disabled meanwhile (nothing stored).
  virtual Status InsertAgentToken(std::string_view token_hash, TenantId tenant, std::string_view user_id,
                                  int64_t expires_at, int64_t now) = 0;
  // The grant of a token digest with expires_at > now whose agent is
  // enabled; nullopt otherwise.
  virtual Result<std::optional<AgentTokenGrant>> FindAgentToken(std::string_view token_hash, int64_t now) = 0;
  // Forgets a token digest (logout); not an error when unknown.
  virtual Status DeleteAgentToken(std::string_view token_hash) = 0;
};

}  // namespace kefu::store
