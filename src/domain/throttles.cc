#include "domain/throttles.h"

#include <algorithm>

#include "common/crypto.h"

namespace kefu::domain {
namespace {

// A key of (clientId, address) within RateLimiter::kMaxKeyBytes: the
// address whole (at most 45 characters) and 64 bits of the clientId's digest.
std::string PairKey(std::string_view client_id, std::string_view address) {
  return std::string(address) + ' ' + ToHex(Sha256(client_id)).substr(0, 16);
}

RateLimiter::Decision Refused(long retry_after_seconds) {
  RateLimiter::Decision d;
  d.allowed = false;
  d.retry_after_seconds = std::max(1L, retry_after_seconds);
  return d;
}

}  // namespace

Throttles::Throttles(const ThrottleOptions& o)
    : tenant_(o.tenant_per_second > 0
                  ? std::make_unique<RateLimiter>(o.tenant_per_second,
                                                  o.tenant_burst > 0 ? o.tenant_burst : o.tenant_per_second)
                  : nullptr),
      heavy_(o.heavy_per_tenant > 0 ? std::make_unique<TenantConcurrency>(o.heavy_per_tenant) : nullptr),
      client_failures_(o.token_failures_per_client / 60.0, o.token_failures_per_client),
      client_address_failures_(o.token_failures_per_client / 60.0, o.token_failures_per_client),
      address_failures_(o.token_failures_per_address / 60.0, o.token_failures_per_address),
      visitor_entries_(o.visitor_entries_per_address / 60.0, o.visitor_entries_per_address) {}

RateLimiter::Decision Throttles::AdmitVisitorEntry(std::string_view address, Clock::time_point now) {
  return visitor_entries_.Take(address, now);
}

RateLimiter::Decision Throttles::AdmitTokenRequest(std::string_view client_id, std::string_view address,
                                                   Clock::time_point now) {
  auto by_address = address_failures_.Peek(address, now);
  if (!by_address.allowed || client_id.empty()) return by_address;
  auto by_pair = client_address_failures_.Peek(PairKey(client_id, address), now);
  if (!by_pair.allowed) return by_pair;
  auto by_client = client_failures_.Peek(client_id, now);
  const bool address_has_failures = by_pair.remaining < client_address_failures_.limit();
  if (!by_client.allowed && address_has_failures) {
    // Back when the ceiling has room again, or when this address's own
    // failures have refilled, whichever comes first.
    return Refused(std::min(by_client.retry_after_seconds, by_pair.reset_seconds));
  }
  return by_address;
}

void Throttles::CountTokenFailure(std::string_view client_id, std::string_view address, Clock::time_point now) {
  address_failures_.Take(address, now);
  if (client_id.empty()) return;
  client_failures_.Take(client_id, now);
  client_address_failures_.Take(PairKey(client_id, address), now);
}

}  // namespace kefu::domain
