// Agents at work (LIVE §4): login with their own username and password,
// agent tokens checked on every agent request, logout, and the state the
// agent sets for itself.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "domain/clock.h"
#include "domain/raw_field.h"
#include "store/records.h"
#include "store/agent_store.h"
#include "store/options_store.h"

namespace kefu::domain {

struct LoginRequest {
  RawField username;
  RawField password;
  RawField state;  // optional; Online when not given
};

struct AgentLogin {
  std::string token;
  int64_t expire_seconds = 0;
  store::AgentTokenGrant grant;  // what the token grants (the tenant's zone too)
  store::Agent agent;            // as stored after the login (its state set)
};

// What an agent may change of itself with PUT /api/agent/me.
struct MeUpdate {
  RawField state;
  RawField max_service_session_count;  // where the tenant's agentsSetOwnCapacity allows
};

// The states an agent sets for itself; Offline comes only from logout (or,
// with the push, from having no connection for the tenant's grace period).
bool IsSettableState(std::string_view state);

class AgentLoginService {
 public:
  // Agent tokens live `ttl_seconds` by `clock`.
  // The tenant's options say whether agents set their own capacity.
  AgentLoginService(store::AgentStore& store, store::OptionsStore& options, int64_t ttl_seconds,
                    const Clock& clock = SystemClock())
      : store_(store), options_(options), ttl_(ttl_seconds), clock_(clock) {}

  // Checks, in order: the body (API_001: username and password strings,
  // state one of IsSettableState), then the pair: an unknown username, a
  // wrong password and a disabled agent all answer API_204 alike, and take
  // as long (a password check runs in every case). Sets the agent's state
  // and stores the token as a digest. Blocks for an Argon2id check.
  Result<AgentLogin> Login(const Result<LoginRequest>& body);

  // The grant of an `Agent-Token`: API_002 if missing, malformed, unknown,
  // expired, logged out, or its agent disabled, deleted or given a new
  // password since.
  Result<store::AgentTokenGrant> Authenticate(std::optional<std::string_view> token);

  // An admin agent's `Agent-Token` in place of a tenant's `Kefu-Token`
  // (LIVE §5), for a path tenant: the grant a Kefu-Token of that tenant
  // would give. API_002 as Authenticate, and for an agent that is not an
  // admin (now: a demoted admin's token stops at once); API_003 if the agent
  // belongs to another tenant.
  Result<store::TokenGrant> AuthenticateAdmin(std::optional<std::string_view> token, std::string_view path_tenant);

  // Forgets the token and sets the agent Offline.
  Status Logout(std::string_view token, const store::AgentTokenGrant& grant);

  // The agent of a grant, as stored now (API_002 if it is gone).
  Result<store::Agent> Me(const store::AgentTokenGrant& grant);

  // Applies `body` and answers the agent as stored after it. API_001 for a
  // state the agent may not set, a maxServiceSessionCount the published
  // update would refuse, or one given while the tenant's
  // agentsSetOwnCapacity is off; nothing changes unless all is well. A new
  // capacity is a change of the agent's profile (lastUpdateDateTime moves);
  // a state is presence, and does not move it.
  Result<store::Agent> UpdateMe(const store::AgentTokenGrant& grant, const Result<MeUpdate>& body);

 private:
  Status SetState(const store::AgentTokenGrant& grant, const std::string& state);

  store::AgentStore& store_;
  store::OptionsStore& options_;
  int64_t ttl_;
  const Clock& clock_;
};

}  // namespace kefu::domain
