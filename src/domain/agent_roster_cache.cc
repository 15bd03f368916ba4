#include "domain/agent_roster_cache.h"

namespace kefu::domain {

Result<std::optional<store::AgentPage>> AgentRosterCache::Search(store::TenantId tenant,
                                                                 int64_t agents_version,
                                                                 const store::AgentSearch& search) {
  auto roster = Current(tenant, agents_version);
  if (!roster.ok()) return roster.status();
  if (!*roster) return std::optional<store::AgentPage>();
  const Roster& r = **roster;

  // The same answer as the store's search: matches in roster order, counted
  // in full, the page cut from them.
  store::AgentPage page;
  const bool all = search.key.empty();
  if (!all && search.key.find('\x1f') != std::string::npos) return std::optional(std::move(page));
  const int64_t end = search.offset + search.limit;
  for (size_t i = 0; i < r.agents.size(); ++i) {
    if (!all && r.search_text[i].find(search.key) == std::string::npos) continue;
    if (page.total >= search.offset && page.total < end) page.agents.push_back(r.agents[i]);
    ++page.total;
  }
  return std::optional(std::move(page));
}

Result<std::shared_ptr<const AgentRosterCache::Roster>> AgentRosterCache::Current(
    store::TenantId tenant, int64_t agents_version) {
  {
    std::lock_guard lock(mu_);
    auto it = rosters_.find(tenant);
    // A roster read later than the token is as good: it is what the store
    // would answer now.
    if (it != rosters_.end() && it->second->agents_version >= agents_version) return it->second;
  }
  auto listed = store_.ListAgents(tenant, max_per_tenant_);
  if (!listed.ok()) return listed.status();
  if (!*listed) return std::shared_ptr<const Roster>();
  auto roster = std::make_shared<Roster>();
  roster->agents_version = (*listed)->agents_version;
  roster->agents = std::move((*listed)->agents);
  roster->search_text.reserve(roster->agents.size());
  for (const auto& a : roster->agents) roster->search_text.push_back(store::AgentSearchText(a));
  Keep(tenant, roster);
  return std::shared_ptr<const Roster>(std::move(roster));
}

void AgentRosterCache::Keep(store::TenantId tenant, std::shared_ptr<const Roster> roster) {
  std::lock_guard lock(mu_);
  auto& slot = rosters_[tenant];
  // Two requests may read the roster at once; keep the later one.
  if (slot && slot->agents_version > roster->agents_version) return;
  if (slot) held_ -= slot->agents.size();
  if (held_ + roster->agents.size() > max_total_) {
    // Full: start over rather than track recency; rosters are cheap to read.
    rosters_.clear();
    held_ = 0;
  }
  held_ += roster->agents.size();
  rosters_[tenant] = std::move(roster);
}

}  // namespace kefu::domain
