// The TagStore of unit tests: tags a test puts, per tenant.
#pragma once

#include <map>
#include <mutex>

#include "store/tag_store.h"

namespace kefu::store::fake {

class FakeTagStore final : public TagStore {
 public:
  Result<std::vector<SummaryTag>> ListSummaryTags(TenantId tenant) override {
    std::lock_guard lock(mu_);
    return summary_[tenant];
  }
  Result<std::vector<EnquiryTag>> ListEnquiryTags(TenantId tenant) override {
    std::lock_guard lock(mu_);
    return enquiry_[tenant];
  }

  void Put(TenantId tenant, std::vector<SummaryTag> summary, std::vector<EnquiryTag> enquiry) {
    std::lock_guard lock(mu_);
    summary_[tenant] = std::move(summary);
    enquiry_[tenant] = std::move(enquiry);
  }

 private:
  std::mutex mu_;
  std::map<TenantId, std::vector<SummaryTag>> summary_;
  std::map<TenantId, std::vector<EnquiryTag>> enquiry_;
};

}  // namespace kefu::store::fake
