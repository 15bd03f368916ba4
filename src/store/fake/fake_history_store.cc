#include "store/fake/fake_history_store.h"

#include <algorithm>

namespace kefu::store::fake {
namespace {

template <typename T>
bool Contains(const std::vector<T>& list, const T& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// An empty list is "not set" and lets every row through.
template <typename T>
bool AnyOf(const std::vector<T>& wanted, const std::optional<T>& value) {
  return wanted.empty() || (value && Contains(wanted, *value));
}

template <typename T>
bool Intersects(const std::vector<T>& wanted, const std::vector<T>& values) {
  return wanted.empty() || std::any_of(values.begin(), values.end(),
                                       [&](const T& v) { return Contains(wanted, v); });
}

bool InRange(const SecondsRange& range, const std::optional<int64_t>& at) {
  if (!range.set()) return true;
  return at && (!range.from || *at >= *range.from) && (!range.to || *at <= *range.to);
}

bool Matches(const HistoryFilter& f, const SessionRow& r) {
  // A '\n' never lies inside one name (the stored names are '\n'-joined).
  const bool name_ok = f.customer_name.empty() ||
                       (f.customer_name.find('\n') == std::string::npos &&
                        r.customer_names.find(f.customer_name) != std::string::npos);
  return Contains(f.states, r.state) && (!f.origin_mask || (r.origin_mask & f.origin_mask)) &&
         AnyOf(f.tech_channel_ids, r.tech_channel_id) &&
         AnyOf(f.tech_channel_types, r.tech_channel_type) && name_ok &&
         (!f.transfered || *f.transfered == r.transfered) &&
         (!f.from_agent_callback || *f.from_agent_callback == r.from_agent_callback) &&
         AnyOf(f.enquiry_summaries, std::optional<int64_t>(r.enquiry_summary)) &&
         AnyOf(f.queue_ids, r.queue_id) && AnyOf(f.queue_id, r.queue_id) &&
         Intersects(f.agent_ids, r.agent_ids) && Intersects(f.agent_user_ids, r.agent_ids) &&
         Intersects(f.summary_ids, r.summary_ids) &&
         Intersects(f.enquiry_tag_ids, r.enquiry_tag_ids) && InRange(f.started, r.started_at) &&
         InRange(f.stopped, r.stopped_at) && InRange(f.created, r.created_at);
}

const std::optional<int64_t>& SortKey(const SessionRow& r, SessionTimeField field) {
  return field == SessionTimeField::kStart    ? r.started_at
         : field == SessionTimeField::kCreate ? r.created_at
                                              : r.stopped_at;
}

}  // namespace

Status FakeHistoryStore::ImportSessions(TenantId tenant, const std::vector<SessionRow>& rows,
                                        size_t* failed_row) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  for (size_t i = 0; i < rows.size(); ++i) {
    auto it = sessions_.find(rows[i].session_id);
    if (it != sessions_.end() && it->second.first != tenant) {
      if (failed_row) *failed_row = i;
      return Error(Code::kInvalidParam, "serviceSessionId exists in another tenant");
    }
  }
  for (const auto& row : rows) sessions_[row.session_id] = {tenant, row};
  return Status::Ok();
}

Result<HistoryPage> FakeHistoryStore::QueryHistory(TenantId tenant, const HistoryFilter& f) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  last_filter_ = f;
  std::vector<const SessionRow*> matches;
  for (const auto& [id, stored] : sessions_) {
    if (stored.first == tenant && Matches(f, stored.second)) matches.push_back(&stored.second);
  }
  // sessions_ is in session_id order, so a stable sort leaves ties by it.
  std::stable_sort(matches.begin(), matches.end(), [&](const SessionRow* a, const SessionRow* b) {
    const auto &x = SortKey(*a, f.sort_field), &y = SortKey(*b, f.sort_field);
    if (!x || !y) return x.has_value() && !y.has_value();  // nulls last
    return f.ascending ? *x < *y : *x > *y;
  });
  HistoryPage page;
  page.total = static_cast<int64_t>(matches.size());
  for (int64_t i = f.offset; i < page.total && i < f.offset + f.limit; ++i) {
    page.values.push_back(matches[static_cast<size_t>(i)]->values);
  }
  return page;
}

Result<std::string> FakeHistoryStore::ExplainHistory(TenantId tenant, const HistoryFilter& filter) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  return std::string("fake: a linear scan of the tenant's sessions");
}

Status FakeHistoryStore::SaveCatalog(TenantId tenant, const SessionCatalog& catalog) {
  KEFU_RETURN_IF_ERROR(failure_.Get());
  std::lock_guard lock(mu_);
  auto& saved = catalogs_[tenant];
  // Adds or renames by id, as the real stores' upserts do.
  auto merge = [](auto& into, const auto& from) {
    for (const auto& item : from) {
      auto it = std::find_if(into.begin(), into.end(), [&](const auto& x) { return x.id == item.id; });
      if (it == into.end()) {
        into.push_back(item);
      } else {
        *it = item;
      }
    }
  };
  merge(saved.channels, catalog.channels);
  merge(saved.queues, catalog.queues);
  merge(saved.summary_tags, catalog.summary_tags);
  merge(saved.enquiry_tags, catalog.enquiry_tags);
  return Status::Ok();
}

bool FakeHistoryStore::NamesInProcessing(TenantId tenant, std::string_view user_id) const {
  std::lock_guard lock(mu_);
  for (const auto& [id, stored] : sessions_) {
    const SessionRow& r = stored.second;
    if (stored.first != tenant || r.state != SessionState::kProcessing) continue;
    if (r.agent_user_id == user_id || Contains(r.agent_ids, std::string(user_id))) return true;
  }
  return false;
}

HistoryFilter FakeHistoryStore::last_filter() const {
  std::lock_guard lock(mu_);
  return last_filter_;
}

SessionCatalog FakeHistoryStore::catalog(TenantId tenant) const {
  std::lock_guard lock(mu_);
  auto it = catalogs_.find(tenant);
  return it == catalogs_.end() ? SessionCatalog{} : it->second;
}

}  // namespace kefu::store::fake
