// How many slow requests (history queries and imports) each tenant has in
// flight on this instance, and the cap on them (serve
// --heavy-queries-per-tenant, docs/decisions.md "Heavy queries"), so one
// tenant cannot take every slow worker while others wait. In memory, per
// process, like the rate limits.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <unordered_map>

namespace kefu::domain {

class TenantConcurrency {
 public:
  // At most `per_tenant` (at least 1) requests of one tenant at once.
  explicit TenantConcurrency(int per_tenant);

  // A place taken by one request, given back when destroyed.
  class Slot {
   public:
    Slot(TenantConcurrency* owner, int64_t tenant) : owner_(owner), tenant_(tenant) {}
    Slot(Slot&& other) noexcept : owner_(other.owner_), tenant_(other.tenant_) { other.owner_ = nullptr; }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    Slot& operator=(Slot&&) = delete;
    ~Slot();

   private:
    TenantConcurrency* owner_;
    int64_t tenant_;
  };

  // A slot for one more request of `tenant`, or nullopt when the tenant
  // already has `per_tenant` in flight (nothing is taken then). Thread-safe.
  std::optional<Slot> TryEnter(int64_t tenant);
  // Requests of `tenant` in flight now.
  int InFlight(int64_t tenant) const;
  int per_tenant() const { return per_tenant_; }

 private:
  void Leave(int64_t tenant);

  const int per_tenant_;
  mutable std::mutex mu_;
  std::unordered_map<int64_t, int> in_flight_;  // only tenants with requests in flight
};

}  // namespace kefu::domain
