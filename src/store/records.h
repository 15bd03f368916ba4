// The rows the store keeps, as plain values. Times are UTC: seconds since the
// epoch unless the name says millis.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/text.h"
#include "common/time_format.h"

namespace kefu::store {

using TenantId = int64_t;

// The two system roles every tenant has (CONTRACT §1); custom roles are 3 and up.
inline constexpr int64_t kAdminRoleId = 1;
inline constexpr int64_t kAgentRoleId = 2;
inline constexpr int64_t kFirstCustomRoleId = 3;

struct Tenant {
  TenantId id = 0;
  std::string name;
  TimeZone zone;
  std::string status = "Enable";
  int64_t created_at = 0;
};

struct Credential {
  std::string client_id;
  TenantId tenant_id = 0;
  std::string secret_hash;  // SHA-256 of the secretId, raw bytes
  int64_t created_at = 0;
  bool revoked = false;
};

// What a valid token grants: its tenant, and that tenant's zone for rendering.
struct TokenGrant {
  TenantId tenant_id = 0;
  TimeZone zone;
  int64_t agents_version = 0;  // the tenant's, when the token was checked
};

// What an agent token (LIVE §4) grants: its agent, as stored now.
struct AgentTokenGrant {
  TenantId tenant_id = 0;
  TimeZone zone;  // the tenant's
  std::string user_id;
  std::string username;
  int64_t expires_at = 0;
  int64_t role_id = 0;         // the agent's, now (kAdminRoleId: an admin)
  int64_t agents_version = 0;  // the tenant's, when the token was checked
};

// A custom role (system roles are not stored; domain/roles.h describes them).
struct CustomRole {
  int64_t id = 0;
  TenantId tenant_id = 0;
  std::string name;
  std::optional<std::string> description;
  int64_t created_at_millis = 0;
  int64_t updated_at_millis = 0;
  std::string status = "ENABLE";
};

struct Agent {
  std::string user_id;  // UUIDv4
  TenantId tenant_id = 0;
  std::string username;  // as given; unique across tenants without case
  std::string nicename;
  std::string password_hash;  // Argon2id string
  std::string true_name;
  std::string mobile_phone;
  std::string agent_number;
  int64_t role_id = kAgentRoleId;
  std::optional<std::string> custom_role_name;  // filled by reads when role_id >= 3
  int max_service_sessions = 10;
  bool enabled = true;
  std::string state = "Offline";
  int64_t created_at = 0;
  int64_t updated_at = 0;

  bool IsEnabledAdmin() const { return enabled && role_id == kAdminRoleId; }
};

// A page of the agent search: `key` empty matches all, else an ASCII-lowered
// literal substring of username, trueName, mobilePhone or agentNumber.
struct AgentSearch {
  std::string key;
  int64_t offset = 0;
  int64_t limit = 10;
};

struct AgentPage {
  std::vector<Agent> agents;
  int64_t total = 0;
};

// What the agent search's keyValue matches: username, trueName, mobilePhone
// and agentNumber, ASCII-lowered and joined by U+001F (a key holding U+001F
// matches nothing).
inline std::string AgentSearchText(const Agent& a) {
  return AsciiLower(a.username + '\x1f' + a.true_name + '\x1f' + a.mobile_phone + '\x1f' +
                    a.agent_number);
}

// All of a tenant's agents in search order (created_at, then username
// without case), as of `agents_version`; password hashes left out. When the
// tenant has more agents than asked for, `too_large` and no agents.
struct AgentRoster {
  int64_t agents_version = 0;
  bool too_large = false;
  std::vector<Agent> agents;
};

}  // namespace kefu::store
