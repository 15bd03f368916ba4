// Facts about a history filter and a session row that every backend's
// query and counters use in the same way (both schemas name the columns alike).
#pragma once

#include <cstdint>
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
         f.agent_ids.empty() && f.summary_ids.empty() && f.enquiry_tag_ids.empty() &&
         !f.started.set() && !f.stopped.set() && !f.created.set();
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
