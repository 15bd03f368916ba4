// A tenant's tags (LIVE §1, §5): the session-tag tree (summaries) agents put
// on sessions, and the tags a visitor's rating may carry (enquiry tags).
// They are the catalog's rows (HistoryStore::SaveCatalog, which the demo
// fills), so history items and live sessions name the same tags.
//
// As every store: safe from several threads, may block, kStoreUnavailable on
// a failing database, and tenant-scoped.
#pragma once

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
};

}  // namespace kefu::store
