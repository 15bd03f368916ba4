// Visitors (LIVE §1, §5): one person on one channel, with its customer and
// its thread. A visitor has exactly one thread (its conversation on its
// channel, across all its sessions), so the thread's id (chatGroupId) and
// its last message's seq live on the visitor's row: one row for a message
// to lock when it takes the next seq.
//
// A visitor comes anonymous (a fresh userId, nothing to find it by but its
// token) or identified: the username an integrator's server signed, found
// again by (tenant, channel, username) from any device.
//
// As every store: safe from several threads, may block, kStoreUnavailable on
// a failing database with nothing changed, one transaction per write.
// Visitor tokens are stored as digests (SHA-256), as every token is.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "store/records.h"

namespace kefu::store {

struct Visitor {
  std::string user_id;  // UUID
  TenantId tenant_id = 0;
  int64_t channel_id = 0;
  std::string username;
  std::string nicename;
  bool identified = false;   // username signed by the integrator
  std::string customer_id;   // UUID: the customer (客户) it is
  int64_t chat_group_id = 0; // its thread, unique across tenants
  int64_t last_seq = 0;      // its thread's last message (0: none yet)
  int64_t created_at = 0;    // UTC seconds
};

// What a visitor token grants.
struct VisitorGrant {
  TenantId tenant_id = 0;
  TimeZone zone;  // the tenant's
  std::string user_id;
  int64_t channel_id = 0;
  int64_t chat_group_id = 0;
  int64_t expires_at = 0;
};

class VisitorStore {
 public:
  virtual ~VisitorStore() = default;

  // Stores a token (its digest) for a visitor, making the visitor when it
  // is new, in one transaction; answers the visitor as stored. An
  // identified `fresh` that the tenant's channel already has by username
  // is that visitor (its nicename set to fresh's when `set_nicename`);
  // any other `fresh` is inserted as it is (kInvalidParam if its user_id or
  // chat_group_id is taken). Expired tokens of the visitor are swept.
  virtual Result<Visitor> EnterVisitor(const Visitor& fresh, bool set_nicename, std::string_view token_hash,
                                       int64_t expires_at, int64_t now) = 0;
  // A token still valid at `now` for a visitor of `tenant`'s `channel_id`:
  // moves its expiry to `expires_at` and answers the visitor; nullopt (and
  // nothing changed) for any other token.
  virtual Result<std::optional<Visitor>> RenewVisitorToken(std::string_view token_hash, TenantId tenant,
                                                           int64_t channel_id, int64_t expires_at, int64_t now) = 0;
  // What a token grants at `now`, or nullopt: unknown, expired, or its
  // channel deleted since.
  virtual Result<std::optional<VisitorGrant>> FindVisitorToken(std::string_view token_hash, int64_t now) = 0;
  // One of the tenant's visitors, or nullopt.
  virtual Result<std::optional<Visitor>> FindVisitor(TenantId tenant, std::string_view user_id) = 0;
  // The tenant's visitors of that username, on any channel, oldest first.
  virtual Result<std::vector<Visitor>> FindVisitorsByUsername(TenantId tenant, std::string_view username) = 0;
};

}  // namespace kefu::store
