// The TagStore of unit tests: tags in maps, keeping tag_store.h's contract
// (ids one more than the tenant's largest, parents of the tenant's, no
// deleting a tag with children). Thread-safe: one mutex.
#pragma once

#include <map>
#include <mutex>

#include "store/tag_store.h"

namespace kefu::store::fake {

class FakeTagStore final : public TagStore {
 public:
  Result<std::vector<SummaryTag>> ListSummaryTags(TenantId tenant) override;
  Result<std::vector<EnquiryTag>> ListEnquiryTags(TenantId tenant) override;
  Result<SummaryTag> CreateSummaryTag(TenantId tenant, const SummaryTag& tag) override;
  Status UpdateSummaryTag(TenantId tenant, const SummaryTag& tag) override;
  Status DeleteSummaryTag(TenantId tenant, int64_t id) override;
  Result<EnquiryTag> CreateEnquiryTag(TenantId tenant, std::string_view name) override;
  Status RenameEnquiryTag(TenantId tenant, int64_t id, std::string_view name) override;
  Status DeleteEnquiryTag(TenantId tenant, int64_t id) override;

  // Replaces a tenant's tags (a test's catalog).
  void Put(TenantId tenant, std::vector<SummaryTag> summary, std::vector<EnquiryTag> enquiry);

 private:
  std::mutex mu_;
  std::map<TenantId, std::map<int64_t, SummaryTag>> summary_;
  std::map<TenantId, std::map<int64_t, EnquiryTag>> enquiry_;
};

}  // namespace kefu::store::fake
