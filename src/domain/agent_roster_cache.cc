#include "domain/agent_roster_cache.h"

#include <algorithm>
#include <cstring>

namespace kefu::domain {

Result<std::optional<store::AgentPage>> AgentRosterCache::Search(store::TenantId tenant,
                                                                 int64_t agents_version,
                                                                 const store::AgentSearch& search) {
  auto roster = Current(tenant, agents_version);
  if (!roster.ok()) return roster.status();
  const Roster& r = **roster;
  if (r.too_large) return std::optional<store::AgentPage>();

  // The same answer as the store's search: matches in roster order, counted
  // in full, the page cut from them.
  store::AgentPage page;
  const int64_t end = search.offset + search.limit;
  if (search.key.empty()) {
    page.total = static_cast<int64_t>(r.agents.size());
    for (int64_t i = search.offset; i < std::min(end, page.total); ++i) {
      page.agents.push_back(r.agents[static_cast<size_t>(i)]);
    }
    return std::optional(std::move(page));
  }
  if (search.key.find('\x1f') != std::string::npos) return std::optional(std::move(page));
  auto take = [&](size_t i) {
    if (page.total >= search.offset && page.total < end) page.agents.push_back(r.agents[i]);
    ++page.total;
  };
  const std::string& text = r.search_text;
  for (size_t pos = 0; pos < text.size();) {
    const void* hit = memmem(text.data() + pos, text.size() - pos, search.key.data(), search.key.size());
    if (!hit) break;
    const size_t at = static_cast<size_t>(static_cast<const char*>(hit) - text.data());
    // The agent whose text holds the match; the search goes on after it.
    const size_t i = static_cast<size_t>(std::upper_bound(r.starts.begin(), r.starts.end(), at) -
                                         r.starts.begin()) - 1;
    take(i);
    pos = i + 1 < r.starts.size() ? r.starts[i + 1] : text.size();
  }
  return std::optional(std::move(page));
}

Result<std::shared_ptr<const AgentRosterCache::Roster>> AgentRosterCache::Current(
    store::TenantId tenant, int64_t agents_version) {
  {
    std::lock_guard lock(mu_);
    auto it = rosters_.find(tenant);
    // Only the version the request read: a roster read at another one is
    // read again (also if the number went down, as after a restore).
    if (it != rosters_.end() && it->second->agents_version == agents_version) return it->second;
  }
  auto listed = store_.ListAgents(tenant, max_per_tenant_);
  if (!listed.ok()) return listed.status();
  auto roster = std::make_shared<Roster>();
  roster->agents_version = listed->agents_version;
  roster->too_large = listed->too_large;
  roster->agents = std::move(listed->agents);
  roster->starts.reserve(roster->agents.size());
  for (const auto& a : roster->agents) {
    if (!roster->starts.empty()) roster->search_text += '\x1f';
    roster->starts.push_back(roster->search_text.size());
    roster->search_text += store::AgentSearchText(a);
  }
  Keep(tenant, roster);
  return std::shared_ptr<const Roster>(std::move(roster));
}

bool AgentRosterCache::SearchesInMemory(store::TenantId tenant) {
  std::lock_guard lock(mu_);
  auto it = rosters_.find(tenant);
  return it == rosters_.end() || !it->second->too_large;
}

void AgentRosterCache::Keep(store::TenantId tenant, std::shared_ptr<const Roster> roster) {
  std::lock_guard lock(mu_);
  auto& slot = rosters_[tenant];
  // Of rosters read at once, the last to arrive stays: correct either way, as
  // a request at another version reads again.
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
