// History sessions as the store keeps and finds them (CONTRACT §6).
//
// A session is stored as the columns its filters and sorts need, plus the
// whole item as a JSON array of its values in the published key order (no
// keys, so it costs about half the keyed form). The API renders that array
// back into the item; what was imported comes back unchanged.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/records.h"

namespace kefu::store {

enum class SessionState { kWait = 0, kProcessing = 1, kTerminal = 2, kAbort = 3 };

// originType values as bits; anything unpublished shares kOriginOther.
inline constexpr uint32_t kOriginWebim = 1, kOriginApp = 2, kOriginWeixin = 4, kOriginWeibo = 8,
                          kOriginPhone = 16, kOriginOther = 32;

// One session to store.
struct SessionRow {
  std::string session_id;  // serviceSessionId
  SessionState state = SessionState::kTerminal;
  uint32_t origin_mask = 0;
  std::optional<int64_t> tech_channel_id;
  std::optional<std::string> tech_channel_type;
  std::optional<int64_t> queue_id;
  std::optional<std::string> agent_user_id;
  bool transfered = false;
  bool from_agent_callback = false;
  int enquiry_summary = 0;  // 0: not rated
  std::optional<int64_t> created_at, started_at, stopped_at;  // UTC seconds
  std::string customer_names;  // customer and visitor nicknames, ASCII-lowered, '\n'-joined
  std::vector<std::string> agent_ids;         // agentUserSet userIds
  std::vector<int64_t> summary_ids;           // leaf tag of each summarys path
  std::vector<int64_t> enquiry_tag_ids;
  std::string values;  // the item as a JSON array of values in published key order
};

enum class SessionTimeField { kStop, kStart, kCreate };

// An inclusive range of UTC seconds; nullopt ends are open.
struct SecondsRange {
  std::optional<int64_t> from, to;
  bool set() const { return from || to; }
};

// The validated history query (domain/history_query.h builds it). Empty
// lists mean "not set".
struct HistoryFilter {
  std::vector<SessionState> states;  // never empty
  uint32_t origin_mask = 0;
  std::vector<int64_t> tech_channel_ids;
  std::vector<std::string> tech_channel_types;
  std::string customer_name;  // ASCII-lowered; empty: not set
  std::optional<bool> transfered;
  std::optional<bool> from_agent_callback;
  std::vector<int64_t> enquiry_summaries;
  std::vector<int64_t> queue_ids;  // queueIds
  std::vector<int64_t> queue_id;   // queueId, 0 removed
  // Two filters, each on agentUserSet: given both, a session must have been
  // served by one of agentIds and by one of agentUserId.
  std::vector<std::string> agent_ids;       // agentIds
  std::vector<std::string> agent_user_ids;  // agentUserId
  std::vector<int64_t> summary_ids;
  std::vector<int64_t> enquiry_tag_ids;
  SecondsRange started, stopped, created;
  SessionTimeField sort_field = SessionTimeField::kStop;
  bool ascending = false;
  int64_t offset = 0;
  int64_t limit = 50;
};

struct HistoryPage {
  int64_t total = 0;
  std::vector<std::string> values;  // SessionRow::values of each item, in order
};

// Names the demo generator and future APIs share: a tenant's channels,
// queues (skill groups), session tags (a tree) and satisfaction tags.
struct Channel {
  int64_t id;
  std::string type, name;
  std::string origin_type;  // the originType its sessions have
};
struct Queue {
  int64_t id;
  std::string name;
};
struct SummaryTag {
  int64_t id, parent_id;  // parent 0: a root
  std::string name;
  int64_t color;
};
struct EnquiryTag {
  int64_t id;
  std::string name;
};
struct SessionCatalog {
  std::vector<Channel> channels;
  std::vector<Queue> queues;
  std::vector<SummaryTag> summary_tags;
  std::vector<EnquiryTag> enquiry_tags;
};

}  // namespace kefu::store
