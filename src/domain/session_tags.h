// Tags on a session (LIVE §2): the session-tag leaves an agent puts on it,
// rendered as the history item shows them (summarys: each leaf's path from
// the root; summarysDetail: the leaves' names), and the rating tags a
// visitor gives (enquiryTagNames).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/session_records.h"

namespace kefu::domain {

struct SummarySelection {
  std::vector<int64_t> ids;                // each once, as given
  std::optional<std::string> summarys;     // JSON; nullopt when no tag
  std::optional<std::string> detail;       // names joined with ','
};

// API_205 for an id that is no tag of `tree`, API_001 for one that has
// children (only leaves go on sessions).
Result<SummarySelection> SelectSummaries(const std::vector<store::SummaryTag>& tree, const std::vector<int64_t>& ids);

// The names of `ids` joined with ',' (nullopt when none); API_205 for an id
// that is none of `tags`. `ids` loses its repeats.
Result<std::optional<std::string>> EnquiryTagNames(const std::vector<store::EnquiryTag>& tags,
                                                   std::vector<int64_t>& ids);

}  // namespace kefu::domain
