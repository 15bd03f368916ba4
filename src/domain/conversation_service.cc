#include "domain/conversation_service.h"

#include <fmt/format.h>

#include <limits>

#include "common/crypto.h"
#include "common/text.h"
#include "domain/session_renderer.h"
#include "domain/session_tags.h"
#include "domain/session_machine.h"

namespace kefu::domain {
namespace {

Status TextField(const RawField& f, const char* name, size_t max_length) {
  auto length = f.kind == RawField::Kind::kText ? Utf8Length(f.text) : std::nullopt;
  if (!length || *length < 1 || *length > max_length) {
    return Error(Code::kInvalidParam, fmt::format("{} must be a string of 1 to {} characters", name, max_length));
  }
  return Status::Ok();
}

Status CheckVisitorMessage(const VisitorMessageInput& in) {
  KEFU_RETURN_IF_ERROR(CheckMessageBody(in.msg_id, in.type, in.msg));
  if (in.queue_id.given() && in.queue_id.kind != RawField::Kind::kInteger) {
    return Error(Code::kInvalidParam, "queueId must be a skill group's id");
  }
  if (in.queue_name.given() && in.queue_name.kind != RawField::Kind::kText) {
    return Error(Code::kInvalidParam, "queueName must be a skill group's name");
  }
  if (in.agent_username.given() && in.agent_username.kind != RawField::Kind::kText) {
    return Error(Code::kInvalidParam, "agentUsername must be a string");
  }
  return Status::Ok();
}

}  // namespace

Result<int64_t> QueryInteger(std::optional<std::string_view> text, const char* name, int64_t fallback, int64_t lowest,
                             int64_t highest) {
  if (!text) return fallback;
  auto v = ParseInteger(*text, lowest, highest);
  if (!v) return Error(Code::kInvalidParam, fmt::format("{} must be an integer from {} to {}", name, lowest, highest));
  return *v;
}

Status CheckMessageBody(const RawField& msg_id, const RawField& type, const RawField& msg) {
  KEFU_RETURN_IF_ERROR(TextField(msg_id, "msgId", kMaxMsgIdLength));
  if (type.kind != RawField::Kind::kText || type.text != "txt") {
    // img and file carry a mediaId of the media uploads, which come next.
    return Error(Code::kInvalidParam, "type must be txt");
  }
  return TextField(msg, "msg", kMaxMessageLength);
}

Result<std::optional<int64_t>> ConversationService::ChooseQueue(const store::VisitorGrant& visitor,
                                                                 const VisitorMessageInput& in,
                                                                 const store::ChannelRecord& channel,
                                                                 const store::TenantOptions& options) {
  if (in.queue_id.given()) {
    auto found = queues_.FindQueue(visitor.tenant_id, in.queue_id.integer);
    if (!found.ok()) return found.status();
    if (!*found) return Error(Code::kNoSuchResource, "no such skill group");
    return std::optional<int64_t>(in.queue_id.integer);
  }
  if (in.queue_name.given()) {
    auto all = queues_.ListQueues(visitor.tenant_id);
    if (!all.ok()) return all.status();
    for (const auto& q : *all) {
      if (q.name == in.queue_name.text) return std::optional<int64_t>(q.id);
    }
    return Error(Code::kNoSuchResource, "no skill group has that name");
  }
  if (channel.fields.queue_id) return channel.fields.queue_id;
  return options.default_queue_id;
}

Result<SentMessage> ConversationService::SendFromVisitor(const store::VisitorGrant& visitor,
                                                        const VisitorMessageInput& in) {
  KEFU_RETURN_IF_ERROR(CheckVisitorMessage(in));
  store::ChannelRecord channel;
  auto render = RendererFor(visitors_, channels_, visitor.tenant_id, visitor.zone, visitor.user_id,
                            visitor.channel_id, &channel);
  if (!render.ok()) return render.status();
  auto options = options_.GetOptions(visitor.tenant_id);
  if (!options.ok()) return options.status();
  auto queue = ChooseQueue(visitor, in, channel, *options);
  if (!queue.ok()) return queue.status();

  SentMessage out;
  Status done = conversations_.WithThread(store::ThreadOf(visitor), *render, [&](store::ThreadWork& thread) -> Status {
    const int64_t now = clock_.NowMillis();  // under the thread's lock: times follow seqs
    auto seen = thread.SentMessage("visitor", in.msg_id.text);
    if (!seen.ok()) return seen.status();
    if (*seen) {
      out.repeated = true;
      out.message = std::move(**seen);
      auto session = thread.Session(out.message.session_id);
      if (!session.ok()) return session.status();
      out.session = std::move(*session);
      return Status::Ok();
    }
    auto open = thread.OpenSession();
    if (!open.ok()) return open.status();
    out.opened = !*open;
    out.session = out.opened ? OpenWaiting(visitor, NewUuidV4(), *queue, now) : std::move(**open);

    store::Message draft;
    draft.session_id = out.session.session_id;
    draft.from = "visitor";
    draft.type = "txt";
    draft.msg = in.msg.text;
    draft.msg_id = in.msg_id.text;
    draft.created_at = now;
    auto stored = thread.Append(draft);
    if (!stored.ok()) return stored.status();
    out.message = std::move(*stored);
    out.session.last_seq = out.message.seq;
    if (out.opened) {
      std::vector<std::string> notes;
      if (options->greeting) notes.push_back(*options->greeting);
      if (options->off_duty_message) {
        auto online = thread.AnyoneOnline(out.session.queue_id);
        if (!online.ok()) return online.status();
        if (!*online) notes.push_back(*options->off_duty_message);
      }
      for (auto& text : notes) {
        store::Message note;
        note.session_id = out.session.session_id;
        note.from = "system";
        note.type = "txt";
        note.msg = std::move(text);
        note.created_at = now;
        auto kept = thread.Append(note);
        if (!kept.ok()) return kept.status();
        out.session.last_seq = kept->seq;
        out.system_messages.push_back(std::move(*kept));
      }
    }
    return thread.Save(out.session);
  });
  if (!done.ok()) return done;
  return out;
}

Result<std::vector<store::Message>> ConversationService::VisitorMessages(const store::VisitorGrant& visitor,
                                                                         std::optional<std::string_view> after_seq,
                                                                         std::optional<std::string_view> limit) {
  auto after = QueryInteger(after_seq, "afterSeq", 0, 0, std::numeric_limits<int64_t>::max());
  if (!after.ok()) return after.status();
  auto at_most = QueryInteger(limit, "limit", kMaxMessagesPerRead, 1, kMaxMessagesPerRead);
  if (!at_most.ok()) return at_most.status();
  return conversations_.ListMessages(visitor.chat_group_id, *after, std::numeric_limits<int64_t>::max(), *at_most);
}

Result<VisitorThread> ConversationService::Thread(const store::VisitorGrant& visitor) {
  auto me = visitors_.FindVisitor(visitor.tenant_id, visitor.user_id);
  if (!me.ok()) return me.status();
  if (!*me) return Error(Code::kBadToken, "Visitor-Token is unknown or expired");
  auto open = conversations_.FindOpenSession(visitor.chat_group_id);
  if (!open.ok()) return open.status();
  VisitorThread out{std::move(**me), std::move(*open), std::nullopt};
  if (out.session && out.session->state == store::SessionState::kWait) {
    auto position = conversations_.QueuePosition(*out.session);
    if (!position.ok()) return position.status();
    out.queue_position = *position;
  }
  if (out.session && out.session->agent_user_id) {
    auto names = conversations_.AgentNamesOf(visitor.tenant_id, {*out.session->agent_user_id});
    if (!names.ok()) return names.status();
    auto it = names->find(*out.session->agent_user_id);
    if (it != names->end()) out.agent_nicename = it->second.nicename;
  }
  return out;
}

Result<store::LiveSession> ConversationService::CloseFromVisitor(const store::VisitorGrant& visitor) {
  auto render = RendererFor(visitors_, channels_, visitor.tenant_id, visitor.zone, visitor.user_id, visitor.channel_id);
  if (!render.ok()) return render.status();
  store::LiveSession closed;
  Status done = conversations_.WithThread(store::ThreadOf(visitor), *render, [&](store::ThreadWork& thread) -> Status {
    const int64_t now = clock_.NowMillis();
    auto open = thread.OpenSession();
    if (!open.ok()) return open.status();
    if (!*open) return Error(Code::kNoSuchSession, "the visitor has no open service session");
    closed = std::move(**open);
    KEFU_RETURN_IF_ERROR(EndByVisitor(closed, now));
    return thread.Save(closed);
  });
  if (!done.ok()) return done;
  return closed;
}

Result<store::LiveSession> ConversationService::Rate(const store::VisitorGrant& visitor, const RateInput& in) {
  if (in.session_id.kind != RawField::Kind::kText || in.session_id.text.empty()) {
    return Error(Code::kInvalidParam, "serviceSessionId must be one of the visitor's sessions");
  }
  if (in.summary.kind != RawField::Kind::kInteger || in.summary.integer < 1 || in.summary.integer > 5) {
    return Error(Code::kInvalidParam, "summary must be an integer from 1 to 5");
  }
  std::optional<std::string> detail;
  if (in.detail.kind == RawField::Kind::kText && !in.detail.text.empty()) {
    auto length = Utf8Length(in.detail.text);
    if (!length || *length > kMaxEnquiryDetailLength) {
      return Error(Code::kInvalidParam, "detail must be a string of at most 500 characters");
    }
    detail = in.detail.text;
  } else if (in.detail.given() && in.detail.kind != RawField::Kind::kText) {
    return Error(Code::kInvalidParam, "detail must be a string of at most 500 characters");
  }
  std::vector<int64_t> tag_ids = in.enquiry_tag_ids.value_or(std::vector<int64_t>{});
  auto tags = tags_.ListEnquiryTags(visitor.tenant_id);
  if (!tags.ok()) return tags.status();
  auto options = options_.GetOptions(visitor.tenant_id);
  if (!options.ok()) return options.status();
  auto render = RendererFor(visitors_, channels_, visitor.tenant_id, visitor.zone, visitor.user_id, visitor.channel_id);
  if (!render.ok()) return render.status();
  store::LiveSession rated;
  Status done = conversations_.WithThread(store::ThreadOf(visitor), *render, [&](store::ThreadWork& thread) -> Status {
    auto session = thread.Session(in.session_id.text);
    if (!session.ok()) return session.status();
    rated = std::move(*session);
    auto names = EnquiryTagNames(*tags, tag_ids);
    if (!names.ok()) return names.status();
    if (rated.enquiry_summary > 0) return Error(Code::kAlreadyRated, "the service session is rated already");
    const bool ended_with_agent = rated.state == store::SessionState::kTerminal;
    const bool invited = rated.enquiry_invited || (ended_with_agent && options->enquiry_invite_on_close);
    const int64_t now = clock_.NowMillis();
    if (!invited || rated.state == store::SessionState::kWait || rated.state == store::SessionState::kAbort ||
        (rated.stopped_at && now - *rated.stopped_at > kRatingWindowMillis)) {
      return Error(Code::kSessionState, "the service session may not be rated now");
    }
    rated.enquiry_summary = static_cast<int>(in.summary.integer);
    rated.enquiry_detail = detail;
    rated.enquiry_tag_ids = tag_ids;
    rated.enquiry_tag_names = *names;
    return thread.Save(rated);
  });
  if (!done.ok()) return done;
  return rated;
}

Result<std::vector<store::EnquiryTag>> ConversationService::EnquiryTags(const store::VisitorGrant& visitor) {
  return tags_.ListEnquiryTags(visitor.tenant_id);
}

}  // namespace kefu::domain
