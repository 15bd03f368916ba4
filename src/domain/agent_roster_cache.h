// Tenants' agent rosters kept in memory, so an agent search is a scan of a
// few thousand strings rather than a database query.
//
// Correct under writes from anywhere: every change to a tenant's agents moves
// its agents_version in the same transaction (a trigger, on either store), and
// each request reads the current version with its token. A roster is used
// only when it was read at that version; otherwise it is read again. Another
// kefud on the same PostgreSQL, or the CLI on the same SQLite file, is seen on
// the next request.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "store/agent_store.h"

namespace kefu::domain {

class AgentRosterCache {
 public:
  // A tenant with more than `max_per_tenant` agents is searched in the store;
  // at most `max_total` agents are held in all.
  AgentRosterCache(store::AgentStore& store, size_t max_per_tenant, size_t max_total)
      : store_(store), max_per_tenant_(max_per_tenant), max_total_(max_total) {}

  // The search of the store's SearchAgents, from the roster at
  // `agents_version` (the one read with the request's token); nullopt when
  // the tenant's roster is too large to hold.
  Result<std::optional<store::AgentPage>> Search(store::TenantId tenant, int64_t agents_version,
                                                 const store::AgentSearch& search);

  // False once the tenant's roster was found too large to hold (its searches
  // then go to the store); true otherwise, also before its first search.
  bool SearchesInMemory(store::TenantId tenant);

 private:
  struct Roster {
    int64_t agents_version = 0;
    bool too_large = false;  // a marker: the tenant is searched in the store
    std::vector<store::Agent> agents;
    // What keyValue matches (store::AgentSearchText) of every agent, joined by
    // U+001F, which no key holds, so one memmem finds the next matching agent;
    // starts[i] is where agent i's text begins.
    std::string search_text;
    std::vector<size_t> starts;
  };

  // The cached roster if current, else a fresh one.
  Result<std::shared_ptr<const Roster>> Current(store::TenantId tenant, int64_t agents_version);
  void Keep(store::TenantId tenant, std::shared_ptr<const Roster> roster);

  store::AgentStore& store_;
  const size_t max_per_tenant_;
  const size_t max_total_;
  std::mutex mu_;
  std::unordered_map<store::TenantId, std::shared_ptr<const Roster>> rosters_;
  size_t held_ = 0;  // agents in rosters_
};

}  // namespace kefu::domain
