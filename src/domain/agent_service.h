// The agent endpoints' rules (CONTRACT §4, docs/decisions.md): validation in
// the published order, then one store call that applies the change atomically.
#pragma once

#include <optional>
#include <semaphore>
#include <string_view>
#include <vector>

#include "common/crypto.h"
#include "common/status.h"
#include "domain/agent_roster_cache.h"
#include "domain/clock.h"
#include "domain/pagination.h"
#include "domain/raw_field.h"
#include "domain/roles.h"
#include "store/agent_store.h"

namespace kefu::domain {

// The fields an agent request body may carry.
struct AgentFields {
  RawField nicename;
  RawField username;
  RawField password;
  RawField true_name;
  RawField mobile_phone;
  RawField agent_number;
  RawField role_id;
  RawField max_service_session_count;
};

struct AgentSearchResult {
  std::vector<store::Agent> agents;
  PageInfo page;
};

class AgentService {
 public:
  // At most `hash_concurrency` Argon2id hashes run at once, bounding memory.
  // created_at and updated_at come from `clock`.
  AgentService(store::AgentStore& store, RoleService& roles, PasswordHashParams hash_params,
               unsigned hash_concurrency, const Clock& clock = SystemClock());

  // page/size/keyValue as given in the query string (nullopt = absent);
  // `agents_version` is the tenant's, read with the request's token.
  Result<AgentSearchResult> Search(store::TenantId tenant, int64_t agents_version,
                                   std::optional<std::string_view> page,
                                   std::optional<std::string_view> size,
                                   std::optional<std::string_view> key_value);
  // False for a tenant whose roster is too large to search in memory.
  bool SearchesInMemory(store::TenantId tenant) { return rosters_.SearchesInMemory(tenant); }
  // Returns the new agent.
  Result<store::Agent> Add(store::TenantId tenant, const AgentFields& fields);
  Status Update(store::TenantId tenant, const AgentFields& fields);
  Status ChangePassword(store::TenantId tenant, const AgentFields& fields);
  Status Delete(store::TenantId tenant, const RawField& username);
  // Disable (enabled=false) or enable; repeating either is not an error.
  Status SetEnabled(store::TenantId tenant, const RawField& username, bool enabled);

 private:
  // The agent named by `username` if it is this tenant's: API_001 if not
  // given, API_104 if unknown, API_105 if another tenant's.
  Result<store::Agent> FindOwn(store::TenantId tenant, const RawField& username);
  Result<std::string> Hash(const std::string& password);

  store::AgentStore& store_;
  RoleService& roles_;
  const Clock& clock_;
  AgentRosterCache rosters_;
  PasswordHashParams hash_params_;
  std::counting_semaphore<1024> hash_slots_;
};

}  // namespace kefu::domain
