// The storage interface. The API and domain layers see only this; backends
// (store/sqlite/, later store/postgres/) implement it.
//
// Every method is safe to call from several threads at once and may block (it
// is called off the I/O threads, except the reads ReadsAreLocal() allows). A failure of the database itself (locked too
// long, I/O error, unreachable) returns Code::kStoreUnavailable and changes
// nothing; every write is one transaction. Tenant-scoped methods take the
// tenant id first and never read or write another tenant's rows.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "store/records.h"
#include "store/session_records.h"

namespace kefu::store {

class Store {
 public:
  virtual ~Store() = default;

  // Refreshes the statistics the database plans queries with (cheap: it
  // samples). Called at server start and after bulk loads.
  virtual Status Optimize() = 0;
  // OK if the database answers now (for /healthz).
  virtual Status Ping() = 0;
  // True if a read by index runs in this process and never waits for a lock
  // (embedded SQLite in WAL mode): cheap enough to run on an I/O thread.
  // False when every read is a round trip to a server.
  virtual bool ReadsAreLocal() const = 0;

  // ---- tenants ----
  // Creates a tenant; with no id, the next after the largest. kInvalidParam if
  // the id is taken.
  virtual Result<Tenant> CreateTenant(std::optional<TenantId> id, const std::string& name,
                                      TimeZone zone, int64_t now) = 0;
  virtual Result<std::optional<Tenant>> FindTenant(TenantId id) = 0;
  virtual Result<std::vector<Tenant>> ListTenants() = 0;

  // ---- credentials and tokens ----
  // kInvalidParam if the tenant does not exist.
  virtual Status AddCredential(const Credential& credential) = 0;
  // A credential by clientId, revoked or not.
  virtual Result<std::optional<Credential>> FindCredential(std::string_view client_id) = 0;
  // Marks the credential revoked and deletes every token issued from it, in
  // one transaction. kInvalidParam if no such clientId.
  virtual Status RevokeCredential(std::string_view client_id, int64_t now) = 0;
  // Stores a token digest issued from a live credential; fails with
  // kBadCredential if the credential was revoked meanwhile. Expired tokens of
  // the same credential are swept in the same transaction.
  virtual Status InsertToken(std::string_view token_hash, std::string_view client_id,
                             TenantId tenant_id, int64_t expires_at, int64_t now) = 0;
  // The grant of an unexpired token digest, or nullopt.
  virtual Result<std::optional<TokenGrant>> FindToken(std::string_view token_hash,
                                                      int64_t now) = 0;

  // ---- roles ----
  // The tenant's custom roles by id.
  virtual Result<std::vector<CustomRole>> ListCustomRoles(TenantId tenant) = 0;
  virtual Result<std::optional<CustomRole>> FindCustomRole(TenantId tenant, int64_t role_id) = 0;
  // Ids are unique in the deployment, from kFirstCustomRoleId up. kInvalidParam
  // if the tenant already has a role of that name.
  virtual Result<CustomRole> CreateCustomRole(TenantId tenant, const CustomRole& role) = 0;

  // ---- agents ----
  virtual Result<AgentPage> SearchAgents(TenantId tenant, const AgentSearch& search) = 0;
  // The tenant's whole roster, read in one snapshot with its agents_version
  // (too_large if it has more than `at_most` agents).
  virtual Result<AgentRoster> ListAgents(TenantId tenant, size_t at_most) = 0;
  // The agent with this username (compared without case) in ANY tenant, so
  // the caller can tell "no such agent" from "another tenant's agent".
  virtual Result<std::optional<Agent>> FindAgentByUsername(std::string_view username) = 0;
  // kUsernameTaken if the username (without case) exists in any tenant.
  virtual Status InsertAgent(const Agent& agent) = 0;
  // Reads agent `user_id` of `tenant`, applies `change` to it and writes it
  // back, all in one write transaction (so concurrent changes never overwrite
  // each other). `change` must not block. kNoSuchAgent if the agent is gone;
  // kLastAdmin if the tenant would be left without an enabled admin.
  virtual Status ModifyAgent(TenantId tenant, std::string_view user_id,
                             const std::function<void(Agent&)>& change) = 0;
  // Deletes the agent; kNoSuchAgent if gone; kLastAdmin as above; kAgentBusy
  // if a session in Processing names it (agentUserId or agentUserSet).
  virtual Status DeleteAgent(TenantId tenant, std::string_view user_id) = 0;

  // ---- history sessions ----
  // Stores the rows in one transaction; a row whose session_id exists in this
  // tenant replaces it. kInvalidParam, with the row's index in *failed_row, if
  // the id exists in another tenant (nothing is stored then).
  virtual Status ImportSessions(TenantId tenant, const std::vector<SessionRow>& rows,
                                size_t* failed_row) = 0;
  // The matching count and one page, ordered by the sort field (nulls last in
  // both orders), ties by session_id ascending.
  virtual Result<HistoryPage> QueryHistory(TenantId tenant, const HistoryFilter& filter) = 0;
  // How the backend runs QueryHistory for this filter (its query plans), for
  // operators and the benchmarks.
  virtual Result<std::string> ExplainHistory(TenantId tenant, const HistoryFilter& filter) = 0;
  // Adds or renames the tenant's channels, queues and tags.
  virtual Status SaveCatalog(TenantId tenant, const SessionCatalog& catalog) = 0;
};

struct StoreOptions {
  size_t pool_size = 8;  // PostgreSQL connections per process
};

// Opens the store named by `spec`: a file path, "sqlite:PATH", or a
// "postgresql://" (or "postgres://") URL. Creates or migrates the schema.
// Fails with a message.
Result<std::unique_ptr<Store>> OpenStore(const std::string& spec, const StoreOptions& options = {});

}  // namespace kefu::store
