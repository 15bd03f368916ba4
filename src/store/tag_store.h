// A tenant's tags (LIVE §1, §5): the session-tag tree (summaries) agents put
// on sessions, and the tags a visitor's rating may carry (enquiry tags).
// They are the catalog's rows (HistoryStore::SaveCatalog, which the demo
// fills), so history items and live sessions name the same tags.
//
// As every store: safe from several threads, may block, kStoreUnavailable on
// a failing database, and tenant-scoped.
#pragma once

#include <string_view>
#include <vector>

#include "common/status.h"
#include "store/records.h"
#include "store/session_records.h"

namespace kefu::store {

class TagStore {
 public:
  virtual ~TagStore() = default;

  // The tenant's session-tag tree, by id.
  virtual Result<std::vector<SummaryTag>> ListSummaryTags(TenantId tenant) = 0;
  // The tenant's rating tags, by id.
  virtual Result<std::vector<EnquiryTag>> ListEnquiryTags(TenantId tenant) = 0;

  // A new session tag (its id one more than the tenant's largest; `tag.id`
  // is ignored); kNoSuchResource when parent_id (0: a root) is none of the
  // tenant's tags.
  virtual Result<SummaryTag> CreateSummaryTag(TenantId tenant, const SummaryTag& tag) = 0;
  // Replaces a tag's name, color and parent; kNoSuchResource when the tag
  // or its new parent is none of the tenant's. (Its caller keeps the tree a
  // tree: a tag is never its own ancestor.)
  virtual Status UpdateSummaryTag(TenantId tenant, const SummaryTag& tag) = 0;
  // kNoSuchResource when there is no such tag; kInvalidParam when it has
  // children (delete them first).
  virtual Status DeleteSummaryTag(TenantId tenant, int64_t id) = 0;
  // A new rating tag (id one more than the tenant's largest).
  virtual Result<EnquiryTag> CreateEnquiryTag(TenantId tenant, std::string_view name) = 0;
  // kNoSuchResource when there is no such tag.
  virtual Status RenameEnquiryTag(TenantId tenant, int64_t id, std::string_view name) = 0;
  virtual Status DeleteEnquiryTag(TenantId tenant, int64_t id) = 0;
};

}  // namespace kefu::store
