// Live conversations from the visitor's side (LIVE §2, §5): a visitor's
// messages, the session the first of them opens (in Wait, in the skill
// group LIVE §3 chooses), the thread as it is now, and the visitor ending
// its session. Every transition is one store transaction that also
// rewrites the session's history item (live_session_item.h).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "domain/clock.h"
#include "domain/raw_field.h"
#include "store/channel_store.h"
#include "store/conversation_store.h"
#include "store/options_store.h"
#include "store/queue_store.h"
#include "store/tag_store.h"
#include "store/visitor_store.h"

namespace kefu::domain {

// A message's text: at most this many characters (LIVE §8).
inline constexpr size_t kMaxMessageLength = 5000;
// A sender's msgId: at most this many characters.
inline constexpr size_t kMaxMsgIdLength = 128;
// Messages one read answers at most.
inline constexpr int64_t kMaxMessagesPerRead = 100;

// POST /api/visitor/messages's body, as it arrived.
struct VisitorMessageInput {
  RawField msg_id, type, msg, media_id, queue_id, queue_name, agent_username;
};

struct SentMessage {
  store::Message message;
  store::LiveSession session;             // as it is after
  bool opened = false;                    // the message opened the session
  bool repeated = false;                  // its msgId was stored before: nothing was stored now
  std::vector<store::Message> system_messages;  // stored after it
};

// The checks a message's msgId, type and msg get, from a visitor or an
// agent, in that order (API_001).
Status CheckMessageBody(const RawField& msg_id, const RawField& type, const RawField& msg);

// A query parameter read as an integer from `lowest` to `highest`
// (`fallback` when absent; API_001 naming it otherwise).
Result<int64_t> QueryInteger(std::optional<std::string_view> text, const char* name, int64_t fallback, int64_t lowest,
                             int64_t highest);

// A rating's detail: at most this many characters (LIVE §2).
inline constexpr size_t kMaxEnquiryDetailLength = 500;
// How long after its end a session may be rated (LIVE §2).
inline constexpr int64_t kRatingWindowMillis = 24 * 3600 * 1000;

// POST /api/visitor/session/enquiry's body, as it arrived (the tag ids read
// from their JSON array by the API).
struct RateInput {
  RawField session_id, summary, detail;
  std::optional<std::vector<int64_t>> enquiry_tag_ids;
};

// The thread as its visitor sees it.
struct VisitorThread {
  store::Visitor visitor;
  std::optional<store::LiveSession> session;  // the open one
  std::optional<int64_t> queue_position;      // while it waits
  std::optional<std::string> agent_nicename;  // its agent's, while it has one
};

class ConversationService {
 public:
  ConversationService(store::ConversationStore& conversations, store::VisitorStore& visitors,
                      store::ChannelStore& channels, store::QueueStore& queues, store::OptionsStore& options,
                      store::TagStore& tags, const Clock& clock = SystemClock())
      : conversations_(conversations),
        visitors_(visitors),
        channels_(channels),
        queues_(queues),
        options_(options),
        tags_(tags),
        clock_(clock) {}

  // Checks, in order: msgId (a string of 1 to 128 characters), type (txt),
  // msg (1 to 5,000 characters), queueId or queueName (one of the
  // tenant's skill groups: API_205), agentUsername (a string); all API_001
  // otherwise. Then stores the message, opening a session in Wait when the
  // thread has none (then the greeting, and the off-duty message when no
  // agent that may serve it is Online). The same msgId again answers the
  // stored message and stores nothing.
  Result<SentMessage> SendFromVisitor(const store::VisitorGrant& visitor, const VisitorMessageInput& in);

  // The thread's messages after `after_seq` (default 0), at most `limit`
  // (1 to 100, default 100), oldest first; API_001 for other values.
  Result<std::vector<store::Message>> VisitorMessages(const store::VisitorGrant& visitor,
                                                      std::optional<std::string_view> after_seq,
                                                      std::optional<std::string_view> limit);

  Result<VisitorThread> Thread(const store::VisitorGrant& visitor);

  // The visitor ends its open session (API_201 when none is open).
  Result<store::LiveSession> CloseFromVisitor(const store::VisitorGrant& visitor);

  // The visitor rates one of its sessions (LIVE §2), once: checks summary
  // (1–5), detail (up to 500 characters) and enquiryTagIds (API_001), then
  // the session (one of its thread's, else API_201), the tags (the
  // tenant's, else API_205), whether it may (invited by an agent, or ended
  // with an agent while the tenant's enquiryInviteOnClose is on; within
  // 24 h of its end: else API_202) and whether it was (API_206).
  Result<store::LiveSession> Rate(const store::VisitorGrant& visitor, const RateInput& in);

  // The tags a rating may carry.
  Result<std::vector<store::EnquiryTag>> EnquiryTags(const store::VisitorGrant& visitor);

 private:
  // The skill group a new session waits in (LIVE §3): the one the visitor
  // named, the channel's, the tenant's default, or none.
  Result<std::optional<int64_t>> ChooseQueue(const store::VisitorGrant& visitor, const VisitorMessageInput& in,
                                             const store::ChannelRecord& channel,
                                             const store::TenantOptions& options);
  store::ConversationStore& conversations_;
  store::VisitorStore& visitors_;
  store::ChannelStore& channels_;
  store::QueueStore& queues_;
  store::OptionsStore& options_;
  store::TagStore& tags_;
  const Clock& clock_;
};

}  // namespace kefu::domain
