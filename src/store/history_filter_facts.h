// Facts about a history filter and a session row that every backend's
// query and counters use in the same way (both schemas name the columns alike).
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/session_records.h"

namespace kefu::store {

// The sessions column a time field sorts and bounds on ("s" is the table alias).
inline const char* SortColumn(SessionTimeField f) {
  switch (f) {
    case SessionTimeField::kStart:
      return "s.started_at";
    case SessionTimeField::kCreate:
      return "s.created_at";
    case SessionTimeField::kStop:
      break;
  }
  return "s.stopped_at";
}

// True if only the state narrows the query, so session_counts has the count.
inline bool OnlyStateFiltered(const HistoryFilter& f) {
  return !f.origin_mask && f.tech_channel_ids.empty() && f.tech_channel_types.empty() &&
         f.customer_name.empty() && !f.transfered && !f.from_agent_callback &&
         f.enquiry_summaries.empty() && f.queue_ids.empty() && f.queue_id.empty() &&
         f.agent_ids.empty() && f.agent_user_ids.empty() && f.summary_ids.empty() &&
         f.enquiry_tag_ids.empty() &&
         !f.started.set() && !f.stopped.set() && !f.created.set();
}

// The agent that a list names if all its elements are that one agent.
inline std::optional<std::string> OnlyElement(const std::vector<std::string>& list) {
  if (list.empty()) return std::nullopt;
  for (const auto& a : list) {
    if (a != list.front()) return std::nullopt;
  }
  return list.front();
}

// The one agent the two agent filters together come to, if they come to
// one: agentIds=A; agentUserId=A; or one of them naming only A and the other
// naming A among others (served by A, and by A or B, is served by A). On
// SQLite such a query reads that agent's own index and counters.
inline std::optional<std::string> SingleAgent(const HistoryFilter& f) {
  const auto& ids = f.agent_ids;
  const auto& user_ids = f.agent_user_ids;
  if (ids.empty() || user_ids.empty()) return OnlyElement(ids.empty() ? user_ids : ids);
  auto contains = [](const std::vector<std::string>& list, const std::string& a) {
    return std::find(list.begin(), list.end(), a) != list.end();
  };
  if (auto a = OnlyElement(ids); a && contains(user_ids, *a)) return a;
  if (auto a = OnlyElement(user_ids); a && contains(ids, *a)) return a;
  return std::nullopt;
}

// True if one agent and the state are all that narrow the query.
inline bool OnlyOneAgentFiltered(const HistoryFilter& f) {
  if (!SingleAgent(f)) return false;
  HistoryFilter rest = f;
  rest.agent_ids.clear();
  rest.agent_user_ids.clear();
  return OnlyStateFiltered(rest);
}

// session_counts.nulls: bit 1 created, 2 started, 4 stopped is null.
inline int NullBit(SessionTimeField f) {
  return f == SessionTimeField::kCreate ? 1 : f == SessionTimeField::kStart ? 2 : 4;
}

inline int NullsOf(bool created_null, bool started_null, bool stopped_null) {
  return (created_null ? 1 : 0) | (started_null ? 2 : 0) | (stopped_null ? 4 : 0);
}

inline int NullsOf(const SessionRow& r) { return NullsOf(!r.created_at, !r.started_at, !r.stopped_at); }

inline std::vector<int64_t> StateList(const HistoryFilter& f) {
  std::vector<int64_t> states;
  for (auto s : f.states) states.push_back(static_cast<int64_t>(s));
  return states;
}

}  // namespace kefu::store
