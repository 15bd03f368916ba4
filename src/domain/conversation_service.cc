#include "domain/conversation_service.h"

#include <fmt/format.h>

#include <limits>

#include "common/crypto.h"
#include "common/text.h"
#include "domain/live_session_item.h"

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
  KEFU_RETURN_IF_ERROR(TextField(in.msg_id, "msgId", kMaxMsgIdLength));
  if (in.type.kind != RawField::Kind::kText || in.type.text != "txt") {
    // img and file carry a mediaId of POST /api/visitor/media, which comes next.
    return Error(Code::kInvalidParam, "type must be txt");
  }
  KEFU_RETURN_IF_ERROR(TextField(in.msg, "msg", kMaxMessageLength));
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

Result<int64_t> QueryInteger(std::optional<std::string_view> text, const char* name, int64_t fallback, int64_t lowest,
                             int64_t highest) {
  if (!text) return fallback;
  auto v = ParseInteger(*text, lowest, highest);
  if (!v) return Error(Code::kInvalidParam, fmt::format("{} must be an integer from {} to {}", name, lowest, highest));
  return *v;
}

}  // namespace

Result<store::SessionRenderer> ConversationService::Renderer(const store::VisitorGrant& visitor,
                                                             store::ChannelRecord* channel_out) {
  auto me = visitors_.FindVisitor(visitor.tenant_id, visitor.user_id);
  if (!me.ok()) return me.status();
  if (!*me) return Error(Code::kBadToken, "Visitor-Token is unknown or expired");
  auto channel = channels_.FindChannel(visitor.tenant_id, visitor.channel_id);
  if (!channel.ok()) return channel.status();
  if (!*channel) return Error(Code::kBadToken, "the visitor's channel is gone");
  if (channel_out) *channel_out = **channel;
  LiveItemContext context{visitor.zone, std::move(**me), std::move(**channel), {}};
  return store::SessionRenderer(
      [context = std::move(context)](const store::LiveSession& s) { return RenderLiveSession(s, context); });
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

Result<store::AppendedMessage> ConversationService::SendFromVisitor(const store::VisitorGrant& visitor,
                                                                    const VisitorMessageInput& in) {
  KEFU_RETURN_IF_ERROR(CheckVisitorMessage(in));
  store::ChannelRecord channel;
  auto render = Renderer(visitor, &channel);
  if (!render.ok()) return render.status();
  auto options = options_.GetOptions(visitor.tenant_id);
  if (!options.ok()) return options.status();
  auto queue = ChooseQueue(visitor, in, channel, *options);
  if (!queue.ok()) return queue.status();

  store::SessionOpening opening{NewUuidV4(), *queue, options->greeting, options->off_duty_message};
  store::Message draft;
  draft.type = "txt";
  draft.msg = in.msg.text;
  draft.msg_id = in.msg_id.text;
  return conversations_.AppendVisitorMessage(visitor, draft, opening, clock_.NowMillis(), *render);
}

Result<std::vector<store::Message>> ConversationService::VisitorMessages(const store::VisitorGrant& visitor,
                                                                         std::optional<std::string_view> after_seq,
                                                                         std::optional<std::string_view> limit) {
  auto after = QueryInteger(after_seq, "afterSeq", 0, 0, std::numeric_limits<int64_t>::max());
  if (!after.ok()) return after.status();
  auto at_most = QueryInteger(limit, "limit", kMaxMessagesPerRead, 1, kMaxMessagesPerRead);
  if (!at_most.ok()) return at_most.status();
  return conversations_.ListMessages(visitor.chat_group_id, *after, *at_most);
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
  return out;
}

Result<store::LiveSession> ConversationService::CloseFromVisitor(const store::VisitorGrant& visitor) {
  auto render = Renderer(visitor);
  if (!render.ok()) return render.status();
  auto closed = conversations_.CloseByVisitor(visitor, clock_.NowMillis(), *render);
  if (!closed.ok()) return closed.status();
  if (!*closed) return Error(Code::kNoSuchSession, "the visitor has no open service session");
  return std::move(**closed);
}

}  // namespace kefu::domain
