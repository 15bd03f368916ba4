// The HistoryStore of unit tests: a tenant's sessions in a map, queried by a
// linear scan that applies history_store.h's contract (every set filter must
// hold, nulls last in both orders, ties by session_id, paging past the end).
// Thread-safe: one mutex.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "store/fake/injected_failure.h"
#include "store/history_store.h"

namespace kefu::store::fake {

class FakeHistoryStore final : public HistoryStore {
 public:
  Status ImportSessions(TenantId tenant, const std::vector<SessionRow>& rows,
                        size_t* failed_row) override;
  Result<HistoryPage> QueryHistory(TenantId tenant, const HistoryFilter& filter) override;
  Result<std::string> ExplainHistory(TenantId tenant, const HistoryFilter& filter) override;
  Status SaveCatalog(TenantId tenant, const SessionCatalog& catalog) override;

  // ---- for tests and the other fakes ----
  // Every call above fails with `status` until FailWith(Status::Ok()).
  void FailWith(Status status) { failure_.Set(std::move(status)); }
  // True if a session of `tenant` in Processing names the agent (agentUserId
  // or agentUserSet): the agent cannot be deleted then.
  bool NamesInProcessing(TenantId tenant, std::string_view user_id) const;
  // The filter QueryHistory was last called with (the default one before).
  HistoryFilter last_filter() const;
  // The catalog saved for `tenant` (empty if none).
  SessionCatalog catalog(TenantId tenant) const;

 private:
  InjectedFailure failure_;
  mutable std::mutex mu_;
  // By serviceSessionId, which is unique in the deployment.
  std::map<std::string, std::pair<TenantId, SessionRow>, std::less<>> sessions_;
  std::map<TenantId, SessionCatalog> catalogs_;
  HistoryFilter last_filter_;
};

}  // namespace kefu::store::fake
