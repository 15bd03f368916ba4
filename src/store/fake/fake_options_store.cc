#include "store/fake/fake_options_store.h"

namespace kefu::store::fake {

TenantOptions FakeOptionsStore::Read(TenantId tenant) const {
  auto it = options_.find(tenant);
  TenantOptions out = it == options_.end() ? TenantOptions{} : it->second;
  if (out.default_queue_id && !queues_.HasQueue(tenant, *out.default_queue_id)) out.default_queue_id.reset();
  return out;
}

Result<TenantOptions> FakeOptionsStore::GetOptions(TenantId tenant) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  return Read(tenant);
}

Result<TenantOptions> FakeOptionsStore::UpdateOptions(TenantId tenant,
                                                      const std::function<void(TenantOptions&)>& change) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  TenantOptions o = Read(tenant);
  change(o);
  if (o.default_queue_id && !queues_.HasQueue(tenant, *o.default_queue_id)) {
    return Error(Code::kNoSuchResource, "no such skill group");
  }
  options_[tenant] = o;
  return o;
}

}  // namespace kefu::store::fake
