// A tenant's history sessions and the catalog that names their channels,
// queues and tags (CONTRACT §6, docs/decisions.md "History query").
//
// Every method is safe to call from several threads at once and may block.
// A failure of the database itself returns kStoreUnavailable and changes
// nothing; every write is one transaction. Every method takes the tenant id
// first and never reads or writes another tenant's rows.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/records.h"
#include "store/session_records.h"

namespace kefu::store {

class HistoryStore {
 public:
  virtual ~HistoryStore() = default;

  // Stores the rows in one transaction; a row whose session_id exists in this
  // tenant replaces it. kInvalidParam, with the row's index in *failed_row
  // (if not null), if the id exists in another tenant (nothing is stored then).
  virtual Status ImportSessions(TenantId tenant, const std::vector<SessionRow>& rows,
                                size_t* failed_row) = 0;
  // The count of the tenant's sessions matching every filter that is set,
  // and the page of them at filter.offset and filter.limit, ordered by the
  // sort field (nulls last in both orders), ties by session_id ascending.
  // A page past the end is empty with the true total. A query that runs past
  // the store's time limit (StoreOptions::query_timeout) is stopped and
  // returns kQueryTimeout; it holds nothing afterwards (its read transaction
  // ended, its connection ready for the next caller).
  virtual Result<HistoryPage> QueryHistory(TenantId tenant, const HistoryFilter& filter) = 0;
  // How the backend runs QueryHistory for this filter (its query plans), for
  // operators and the benchmarks. Free text; changes nothing.
  virtual Result<std::string> ExplainHistory(TenantId tenant, const HistoryFilter& filter) = 0;
  // Adds or renames the tenant's channels, queues and tags.
  virtual Status SaveCatalog(TenantId tenant, const SessionCatalog& catalog) = 0;
};

}  // namespace kefu::store
