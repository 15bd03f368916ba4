// The AgentStore of unit tests: agents and custom roles in maps, keeping
// agent_store.h's contract (usernames unique without case across tenants,
// tenant scoping, the last-enabled-admin rule, search order, agents_version
// moving on every change, agent tokens dying with a password change, a
// disable or a delete). Thread-safe: one mutex, held through ModifyAgent's
// change, so every write is atomic as a transaction is.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "store/agent_store.h"
#include "store/fake/fake_history_store.h"
#include "store/fake/fake_tenant_store.h"
#include "store/fake/injected_failure.h"

namespace kefu::store::fake {

class FakeAgentStore final : public AgentStore {
 public:
  // Tenants and their agents_version live in `tenants`; DeleteAgent asks
  // `history` (if given) whether a session in Processing names the agent.
  // Both must outlive this store.
  explicit FakeAgentStore(FakeTenantStore& tenants, const FakeHistoryStore* history = nullptr)
      : tenants_(tenants), history_(history) {}

  Result<std::vector<CustomRole>> ListCustomRoles(TenantId tenant) override;
  Result<std::optional<CustomRole>> FindCustomRole(TenantId tenant, int64_t role_id) override;
  Result<CustomRole> CreateCustomRole(TenantId tenant, const CustomRole& role) override;

  Result<AgentPage> SearchAgents(TenantId tenant, const AgentSearch& search) override;
  Result<AgentRoster> ListAgents(TenantId tenant, size_t at_most) override;
  Result<std::optional<Agent>> FindAgentByUsername(std::string_view username) override;
  Status InsertAgent(const Agent& agent) override;
  Status ModifyAgent(TenantId tenant, std::string_view user_id,
                     const std::function<void(Agent&)>& change) override;
  Status DeleteAgent(TenantId tenant, std::string_view user_id) override;

  Status InsertAgentToken(std::string_view token_hash, TenantId tenant, std::string_view user_id,
                          int64_t expires_at, int64_t now) override;
  Result<std::optional<AgentTokenGrant>> FindAgentToken(std::string_view token_hash, int64_t now) override;
  Status DeleteAgentToken(std::string_view token_hash) override;

  // Every call above fails with `status` until FailWith(Status::Ok()).
  void FailWith(Status status) { failure_.Set(std::move(status)); }
  // For the other fakes: whether the tenant has this agent now.
  bool HasAgent(TenantId tenant, std::string_view user_id) const;

 private:
  // The tenant's agents in search order (created_at, then username without
  // case), as reads return them.
  std::vector<Agent> AgentsOf(TenantId tenant) const;
  // The agent as reads return it: custom_role_name filled for custom roles.
  Agent Read(const Agent& stored) const;
  Agent* Find(TenantId tenant, std::string_view user_id);
  Status RequireAnotherEnabledAdmin(TenantId tenant, std::string_view user_id) const;
  void DeleteTokensOf(std::string_view user_id);

  FakeTenantStore& tenants_;
  const FakeHistoryStore* history_;
  InjectedFailure failure_;
  mutable std::mutex mu_;
  std::map<int64_t, CustomRole> roles_;  // by id, unique in the deployment
  int64_t next_role_id_ = kFirstCustomRoleId;
  std::map<std::string, Agent, std::less<>> agents_;  // by ASCII-lowered username
  struct AgentToken {
    TenantId tenant_id;
    std::string user_id;
    int64_t expires_at;
  };
  std::map<std::string, AgentToken, std::less<>> agent_tokens_;  // by digest
};

}  // namespace kefu::store::fake
