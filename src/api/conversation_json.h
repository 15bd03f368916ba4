// Messages and sessions as the live endpoints answer them (LIVE §1, §5).
#pragma once

#include "api/json_writer.h"
#include "common/time_format.h"
#include "store/conversation_store.h"
#include "store/visitor_store.h"

namespace kefu::api {

// {seq, serviceSessionId, from, type, msg, msgId, createDateTime (local, as
// the history's datetimes), timestamp (UTC milliseconds)}; for an agent's
// reader, an agent's message also names it (agentUserId), which a visitor
// never sees.
void WriteMessage(JsonOut& out, const store::Message& m, TimeZone zone, bool for_agent = false);

// The history item's visitorUser: {userId, nicename, username}.
void WriteVisitorUser(JsonOut& out, const store::Visitor& v);

// A session as its visitor may see it: {serviceSessionId, state,
// queuePosition (while it waits, else null), agentNicename (its agent's,
// while it has one, else null)}.
void WriteVisitorSession(JsonOut& out, const store::LiveSession& s, std::optional<int64_t> queue_position,
                         const std::optional<std::string>& agent_nicename);

}  // namespace kefu::api
