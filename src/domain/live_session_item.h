// A live session's history item (LIVE §2): the row the published history
// query reads, rendered from the state machine's fields and the names of
// who took part, as they are when the session changes (history keeps them
// so after a rename).
#pragma once

#include <string>

#include "common/time_format.h"
#include "store/channel_store.h"
#include "store/conversation_store.h"
#include "store/visitor_store.h"

namespace kefu::domain {

// What an item names besides the session's own fields.
struct LiveItemContext {
  TimeZone zone;  // the tenant's: the item's datetimes are local
  store::Visitor visitor;
  store::ChannelRecord channel;
};

// `agents` names the agents of the session's agent_user_set (a missing one
// shows empty names).
store::SessionRow RenderLiveSession(const store::LiveSession& session, const LiveItemContext& context,
                                    const store::AgentNameMap& agents);

}  // namespace kefu::domain
