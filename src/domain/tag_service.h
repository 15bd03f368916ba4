// A tenant's tags (LIVE §5, admin): the session-tag tree (summaries) and
// the rating tags (enquiryTags), made, changed and deleted by an admin.
// Sessions keep the names their tags had when set (session_tags.h).
#pragma once

#include <string_view>
#include <vector>

#include "common/status.h"
#include "domain/raw_field.h"
#include "store/tag_store.h"

namespace kefu::domain {

// A tag's name: 1 to kMaxTagNameLength characters, not only spaces.
inline constexpr size_t kMaxTagNameLength = 100;

// A session tag's POST or PUT body: name, then color and parentId
// (integers; absent: 0, and parentId 0 is a root).
struct SummaryTagInput {
  RawField name, color, parent_id;
};

class TagService {
 public:
  explicit TagService(store::TagStore& store) : store_(store) {}

  Result<std::vector<store::SummaryTag>> ListSummaries(store::TenantId tenant);
  // API_001 for a bad field, API_205 for a parent that is none of the tenant's.
  Result<store::SummaryTag> CreateSummary(store::TenantId tenant, const SummaryTagInput& in);
  // The path's id (API_205 when none), then the body as Create; a tag may not
  // go below itself (API_001).
  Result<store::SummaryTag> UpdateSummary(store::TenantId tenant, std::string_view path_id, const SummaryTagInput& in);
  // API_205 when none; API_001 when it has children.
  Status DeleteSummary(store::TenantId tenant, std::string_view path_id);

  Result<std::vector<store::EnquiryTag>> ListEnquiryTags(store::TenantId tenant);
  Result<store::EnquiryTag> CreateEnquiryTag(store::TenantId tenant, const RawField& name);
  Result<store::EnquiryTag> RenameEnquiryTag(store::TenantId tenant, std::string_view path_id, const RawField& name);
  Status DeleteEnquiryTag(store::TenantId tenant, std::string_view path_id);

 private:
  store::TagStore& store_;
};

}  // namespace kefu::domain
