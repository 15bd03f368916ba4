// Visitors (LIVE §5): how a person on a company's page becomes a visitor
// with a token, anonymous or with an identity the company's server signed,
// and how a Visitor-Token is checked on every visitor request.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "domain/clock.h"
#include "domain/raw_field.h"
#include "store/channel_store.h"
#include "store/visitor_store.h"

namespace kefu::domain {

// A visitor's username and nicename: at most this many characters.
inline constexpr size_t kMaxVisitorNameLength = 100;

// POST /api/visitor/tenants/{tenantId}/visitors's body, as it arrived.
struct VisitorEntry {
  RawField channel_key, visitor_token, username, nicename, identity_signature;
};

struct EnteredVisitor {
  std::string token;
  int64_t expire_seconds = 0;
  store::Visitor visitor;
};

class VisitorService {
 public:
  // Visitor tokens live `ttl_seconds` from their last entry, by `clock`.
  VisitorService(store::ChannelStore& channels, store::VisitorStore& visitors, int64_t ttl_seconds,
                 const Clock& clock = SystemClock())
      : channels_(channels), visitors_(visitors), ttl_(ttl_seconds), clock_(clock) {}

  // Checks the body's fields (API_001), then the channelKey: one of the path
  // tenant's channels (else API_205). With a username: identitySignature
  // must be the hex HMAC-SHA256 of it under the channel's secret (else
  // API_002; always so on a channel without a secret), and the answer is
  // that identified visitor with a new token. Without one: a visitorToken
  // still valid on this channel keeps its visitor and is answered again,
  // its lifetime renewed; any other makes a new anonymous visitor.
  Result<EnteredVisitor> Enter(std::string_view path_tenant, const VisitorEntry& entry);

  // The visitor of a grant, as stored now.
  Result<store::Visitor> Me(const store::VisitorGrant& grant);

  // The grant of a `Visitor-Token`: API_002 if missing, malformed, unknown,
  // expired, or its channel deleted.
  Result<store::VisitorGrant> Authenticate(std::optional<std::string_view> token);

 private:
  // A new token for `fresh`, or for the identified visitor it names.
  Result<EnteredVisitor> EnterNew(store::Visitor fresh, bool set_nicename);

  store::ChannelStore& channels_;
  store::VisitorStore& visitors_;
  int64_t ttl_;
  const Clock& clock_;
};

// The identitySignature an integrator's server sends for `username` on a
// channel whose secret is `secret`: lowercase hex of HMAC-SHA256.
std::string IdentitySignature(std::string_view secret, std::string_view username);

}  // namespace kefu::domain
