#include "domain/session_renderer.h"

#include "domain/live_session_item.h"

namespace kefu::domain {

Result<store::SessionRenderer> RendererFor(store::VisitorStore& visitors, store::ChannelStore& channels,
                                           store::TenantId tenant, TimeZone zone, std::string_view visitor_id,
                                           int64_t channel_id, store::ChannelRecord* channel_out) {
  auto visitor = visitors.FindVisitor(tenant, visitor_id);
  if (!visitor.ok()) return visitor.status();
  if (!*visitor) return Error(Code::kBadToken, "the visitor is gone");
  auto channel = channels.FindChannel(tenant, channel_id);
  if (!channel.ok()) return channel.status();
  if (!*channel) return Error(Code::kBadToken, "the visitor's channel is gone");
  if (channel_out) *channel_out = **channel;
  LiveItemContext context{zone, std::move(**visitor), std::move(**channel)};
  return store::SessionRenderer([context = std::move(context)](const store::LiveSession& s,
                                                               const store::AgentNameMap& agents) {
    return RenderLiveSession(s, context, agents);
  });
}

}  // namespace kefu::domain
