// The renderer a unit of work saves a session's history row with: the
// session's visitor and channel as they are now, in the tenant's zone
// (live_session_item.h).
#pragma once

#include <string_view>

#include "common/status.h"
#include "common/time_format.h"
#include "store/channel_store.h"
#include "store/conversation_store.h"
#include "store/visitor_store.h"

namespace kefu::domain {

// kBadToken when the visitor or its channel is gone (a visitor's request
// then ends as its token would); `channel`, when given, receives the channel.
Result<store::SessionRenderer> RendererFor(store::VisitorStore& visitors, store::ChannelStore& channels,
                                           store::TenantId tenant, TimeZone zone, std::string_view visitor_id,
                                           int64_t channel_id, store::ChannelRecord* channel = nullptr);

}  // namespace kefu::domain
