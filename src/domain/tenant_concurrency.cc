#include "domain/tenant_concurrency.h"

#include <algorithm>

namespace kefu::domain {

TenantConcurrency::TenantConcurrency(int per_tenant) : per_tenant_(std::max(1, per_tenant)) {}

TenantConcurrency::Slot::~Slot() {
  if (owner_) owner_->Leave(tenant_);
}

std::optional<TenantConcurrency::Slot> TenantConcurrency::TryEnter(int64_t tenant) {
  std::lock_guard lock(mu_);
  int& n = in_flight_[tenant];
  if (n >= per_tenant_) return std::nullopt;
  ++n;
  return Slot(this, tenant);
}

int TenantConcurrency::InFlight(int64_t tenant) const {
  std::lock_guard lock(mu_);
  auto it = in_flight_.find(tenant);
  return it == in_flight_.end() ? 0 : it->second;
}

void TenantConcurrency::Leave(int64_t tenant) {
  std::lock_guard lock(mu_);
  auto it = in_flight_.find(tenant);
  if (it != in_flight_.end() && --it->second <= 0) in_flight_.erase(it);  // memory: tenants busy now
}

}  // namespace kefu::domain
