#include "domain/agent_login_service.h"

#include "common/crypto.h"
#include "domain/agent_rules.h"
#include "domain/token_service.h"

namespace kefu::domain {
namespace {

constexpr std::string_view kSettableStates[] = {"Online", "Busy", "Leave", "Hidden"};

Status BadLogin() { return Error(Code::kBadLogin, "no enabled agent has this username and password"); }

// A hash no password matches, checked when the username is unknown so that
// an unknown username takes as long to refuse as a wrong password.
const std::string& DecoyHash() {
  static const std::string hash = HashPassword(NewToken(), PasswordHashParams{}).value_or("");
  return hash;
}

Result<std::string> StateOf(const RawField& field) {
  if (!field.given()) return std::string("Online");
  if (field.kind != RawField::Kind::kText || !IsSettableState(field.text)) {
    return Error(Code::kInvalidParam, "state must be Online, Busy, Leave or Hidden");
  }
  return field.text;
}

}  // namespace

bool IsSettableState(std::string_view state) {
  for (std::string_view s : kSettableStates) {
    if (s == state) return true;
  }
  return false;
}

Result<AgentLogin> AgentLoginService::Login(const Result<LoginRequest>& body) {
  if (!body.ok()) return body.status();
  const LoginRequest& req = body.value();
  if (req.username.kind != RawField::Kind::kText) return Error(Code::kInvalidParam, "username is required");
  if (req.password.kind != RawField::Kind::kText) return Error(Code::kInvalidParam, "password is required");
  auto state = StateOf(req.state);
  if (!state.ok()) return state.status();

  auto found = store_.FindAgentByUsername(req.username.text);
  if (!found.ok()) return found.status();
  const bool known = found->has_value();
  const bool match = VerifyPassword(req.password.text, known ? (*found)->password_hash : DecoyHash());
  if (!known || !match || !(*found)->enabled) return BadLogin();
  const store::Agent& agent = **found;

  AgentLogin login{NewToken(), ttl_, {}, {}};
  const int64_t now = clock_.NowSeconds();
  Status stored = store_.InsertAgentToken(Sha256(login.token), agent.tenant_id, agent.user_id, now + ttl_, now);
  // Disabled or deleted between the check and the insert: as if disabled.
  if (stored.code() == Code::kNoSuchAgent) return BadLogin();
  KEFU_RETURN_IF_ERROR(stored);
  auto grant = Authenticate(login.token);
  if (!grant.ok()) return grant.status().code() == Code::kBadToken ? BadLogin() : grant.status();
  login.grant = std::move(*grant);
  KEFU_RETURN_IF_ERROR(SetState(login.grant, *state));
  auto me = Me(login.grant);
  if (!me.ok()) return me.status();
  login.agent = std::move(*me);
  return login;
}

Result<store::AgentTokenGrant> AgentLoginService::Authenticate(std::optional<std::string_view> token) {
  if (!token || token->size() != 32) return Error(Code::kBadToken, "Agent-Token is missing or invalid");
  auto grant = store_.FindAgentToken(Sha256(*token), clock_.NowSeconds());
  if (!grant.ok()) return grant.status();
  if (!*grant) return Error(Code::kBadToken, "Agent-Token is unknown or expired");
  return **grant;
}

Result<store::TokenGrant> AgentLoginService::AuthenticateAdmin(std::optional<std::string_view> token,
                                                             std::string_view path_tenant) {
  auto agent = Authenticate(token);
  if (!agent.ok()) return agent.status();
  auto tenant_id = ParseTenantId(path_tenant);
  if (!tenant_id || *tenant_id != agent->tenant_id) {
    return Error(Code::kWrongTenant, "the agent belongs to another tenant");
  }
  if (agent->role_id != store::kAdminRoleId) {
    return Error(Code::kBadToken, "this endpoint takes the tenant's Kefu-Token or an admin agent's Agent-Token");
  }
  return store::TokenGrant{agent->tenant_id, agent->zone, agent->agents_version};
}

Status AgentLoginService::Logout(std::string_view token, const store::AgentTokenGrant& grant) {
  KEFU_RETURN_IF_ERROR(store_.DeleteAgentToken(Sha256(token)));
  Status offline = SetState(grant, "Offline");
  // Deleted meanwhile: its token is gone all the same.
  return offline.code() == Code::kNoSuchAgent ? Status::Ok() : offline;
}

Result<store::Agent> AgentLoginService::Me(const store::AgentTokenGrant& grant) {
  auto found = store_.FindAgentByUsername(grant.username);
  if (!found.ok()) return found.status();
  if (!*found || (*found)->user_id != grant.user_id || (*found)->tenant_id != grant.tenant_id) {
    return Error(Code::kBadToken, "Agent-Token is unknown or expired");
  }
  return **found;
}

Result<store::Agent> AgentLoginService::UpdateMe(const store::AgentTokenGrant& grant, const Result<MeUpdate>& body) {
  if (!body.ok()) return body.status();
  std::optional<std::string> state;
  if (body->state.given()) {
    auto valid = StateOf(body->state);
    if (!valid.ok()) return valid.status();
    state = *valid;
  }
  std::optional<int> capacity;
  if (body->max_service_session_count.given()) {
    auto valid = CheckMaxServiceSessions(body->max_service_session_count, 0);
    if (!valid.ok()) return valid.status();
    auto options = options_.GetOptions(grant.tenant_id);
    if (!options.ok()) return options.status();
    if (!options->agents_set_own_capacity) {
      return Error(Code::kInvalidParam,
                   "the tenant's agentsSetOwnCapacity is off: an admin sets maxServiceSessionCount");
    }
    capacity = *valid;
  }
  if (state || capacity) {
    const int64_t now = clock_.NowSeconds();
    KEFU_RETURN_IF_ERROR(store_.ModifyAgent(grant.tenant_id, grant.user_id, [&](store::Agent& a) {
      if (state) a.state = *state;
      if (capacity && a.max_service_sessions != *capacity) {
        a.max_service_sessions = *capacity;
        a.updated_at = now;
      }
    }));
  }
  return Me(grant);
}

// (A state is presence, not a change of the agent's profile: its
// lastUpdateDateTime stays.)
Status AgentLoginService::SetState(const store::AgentTokenGrant& grant, const std::string& state) {
  return store_.ModifyAgent(grant.tenant_id, grant.user_id, [&](store::Agent& a) { a.state = state; });
}

}  // namespace kefu::domain
