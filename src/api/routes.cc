// Every endpoint of kefud, one entry each (api/route_table.h says what an
// entry holds). Adding an endpoint is one line here, one handler and its tests.
#include "api/handlers.h"

namespace kefu::api {

const std::vector<Route>& Routes() {
  using enum Access;
  using enum Cost;
  constexpr CostRefiner kFixedCost = nullptr;
  constexpr SocketOpener kNoSocket = nullptr;
  constexpr bool kHeavy = true;  // Route::heavy
  static const std::vector<Route> routes = {
      {"GET", "/healthz", kPublic, kQuickRead, CheckHealth,
       "Readiness: OK while the database answers", "", "Ok"},

      // CONTRACT §2: the token, on both prefixes and the curl example's singular form.
      {"POST", "/api/tenants/{tenantId}/accessToken", kPublic, kQuick, IssueToken,
       "Issue an access token for a clientId/secretId pair", "TokenRequest", "TokenAnswer"},
      {"POST", "/api/tenant/{tenantId}/accessToken", kPublic, kQuick, IssueToken,
       "Issue an access token (the published curl example's path)", "TokenRequest", "TokenAnswer"},

      // CONTRACT §4: agents. A search is a quick read of the in-memory roster
      // (SearchAgentsCost moves a roster too large to keep to the store).
      {"GET", "/api/tenants/{tenantId}/agents", kTenant, kQuickRead, SearchAgents,
       "Search agents by username, trueName, mobilePhone or agentNumber", "", "AgentPage",
       SearchAgentsCost},
      // Adding hashes the password (Argon2id): slow.
      {"POST", "/api/tenants/{tenantId}/agent", kTenant, kSlow, AddAgent,
       "Add an agent", "AgentFields", "AgentAnswer"},
      {"PUT", "/api/tenants/{tenantId}/agent", kTenant, kQuick, UpdateAgent,
       "Update an agent; absent or null fields stay as they were", "AgentFields", "Ok"},
      {"DELETE", "/api/tenants/{tenantId}/agent", kTenant, kQuick, DeleteAgent,
       "Delete an agent", "AgentUsername", "Ok"},
      {"PUT", "/api/tenants/{tenantId}/agent/password", kTenant, kSlow, ChangeAgentPassword,
       "Change an agent's password", "AgentPassword", "Ok"},
      {"PUT", "/api/tenants/{tenantId}/agent/disable", kTenant, kQuick, DisableAgent,
       "Disable an agent", "AgentUsername", "Ok"},
      {"PUT", "/api/tenants/{tenantId}/agent/enable", kTenant, kQuick, EnableAgent,
       "Enable an agent", "AgentUsername", "Ok"},

      // CONTRACT §5: roles.
      {"GET", "/api/tenants/{tenantId}/roles", kTenant, kQuickRead, ListRoles,
       "List the tenant's roles", "", "RoleList"},

      // CONTRACT §6: history sessions, and their import (an extension); both
      // count toward the tenant's cap of heavy requests in flight.
      {"GET", "/api/tenants/{tenantId}/serviceSessionHistorys", kTenant, kSlow, QueryHistory,
       "Query history service sessions", "", "HistoryPage", kFixedCost, kNoSocket, kHeavy},
      {"POST", "/api/tenants/{tenantId}/serviceSessionHistorys/import", kTenant, kSlow, ImportHistory,
       "Load history sessions (a JSON array or NDJSON, up to 1,000 items)", "HistoryItems",
       "ImportAnswer", kFixedCost, kNoSocket, kHeavy},

      // What browsers load: the files of serve --web-root. They come from the
      // disk (or the page cache): kQuick, off the I/O thread.
      {"GET", "/static/{path...}", kPublic, kQuick, ServeStaticFile,
       "A static file of serve --web-root", "", "File"},
      {"HEAD", "/static/{path...}", kPublic, kQuick, ServeStaticFile,
       "A static file's headers", "", "File"},

      // LIVE §5, admin: skill groups.
      {"GET", "/api/tenants/{tenantId}/queues", kTenant, kQuickRead, ListQueues,
       "The tenant's skill groups and their member agents", "", "QueueList"},
      {"POST", "/api/tenants/{tenantId}/queues", kTenant, kQuick, CreateQueue,
       "Make a skill group", "QueueName", "QueueAnswer"},
      {"PUT", "/api/tenants/{tenantId}/queues/{queueId}", kTenant, kQuick, RenameQueue,
       "Rename a skill group", "QueueName", "QueueAnswer"},
      {"DELETE", "/api/tenants/{tenantId}/queues/{queueId}", kTenant, kQuick, DeleteQueue,
       "Delete a skill group", "", "Ok"},
      {"PUT", "/api/tenants/{tenantId}/queues/{queueId}/members", kTenant, kQuick, SetQueueMembers,
       "Replace a skill group's member agents", "QueueMembers", "QueueAnswer"},

      // LIVE §5, admin: channels. Making one makes its key and secret.
      {"GET", "/api/tenants/{tenantId}/channels", kTenant, kQuickRead, ListChannels,
       "The tenant's channels", "", "ChannelList"},
      {"POST", "/api/tenants/{tenantId}/channels", kTenant, kQuick, CreateChannel,
       "Make a channel; the answer shows its identity secret, once", "ChannelInput", "ChannelAnswer"},
      {"PUT", "/api/tenants/{tenantId}/channels/{channelId}", kTenant, kQuick, UpdateChannel,
       "Change a channel", "ChannelInput", "ChannelAnswer"},
      {"DELETE", "/api/tenants/{tenantId}/channels/{channelId}", kTenant, kQuick, DeleteChannel,
       "Delete a channel", "", "Ok"},
      {"POST", "/api/tenants/{tenantId}/channels/{channelId}/secret", kTenant, kQuick, NewChannelSecret,
       "Make a new identity secret for a channel, shown once; the old one stops signing", "", "ChannelAnswer"},

      // LIVE §5: the agent's side of live conversations.
      {"GET", "/api/agent/waiting", kAgent, kQuickRead, GetAgentWaiting,
       "Waiting sessions the agent may accept (an admin: all), first in first", "", "HistoryPage"},
      {"POST", "/api/agent/waiting/{serviceSessionId}/accept", kAgent, kQuick, AcceptWaiting,
       "Take a waiting session, whatever the agent's capacity", "", "SessionItemAnswer"},
      {"GET", "/api/agent/sessions", kAgent, kQuickRead, GetAgentSessions,
       "The agent's sessions in progress, with unread counts and last messages", "", "AgentSessionList"},
      {"GET", "/api/agent/sessions/{serviceSessionId}/messages", kAgent, kQuickRead, GetAgentSessionMessages,
       "The session's thread, earlier sessions included", "", "MessageList"},
      {"POST", "/api/agent/sessions/{serviceSessionId}/messages", kAgent, kQuick, PostAgentMessage,
       "Send a message in the agent's session", "AgentMessage", "MessageAnswer"},
      {"POST", "/api/agent/sessions/{serviceSessionId}/read", kAgent, kQuick, ReadAgentSession,
       "Mark the session read up to a seq", "ReadMark", "Ok"},
      {"POST", "/api/agent/sessions/{serviceSessionId}/transfer", kAgent, kQuick, TransferAgentSession,
       "Hand the session to another agent, or back to a skill group's queue", "Transfer", "SessionItemAnswer"},
      {"PUT", "/api/agent/sessions/{serviceSessionId}/summaries", kAgent, kQuick, SetSessionSummaries,
       "Put session tags (leaves of the tenant's tree) on a session", "SummaryIds", "SessionItemAnswer"},
      {"PUT", "/api/agent/sessions/{serviceSessionId}/comment", kAgent, kQuick, SetSessionComment,
       "Set a session's comment", "Comment", "SessionItemAnswer"},
      {"POST", "/api/agent/sessions/{serviceSessionId}/enquiryInvite", kAgent, kQuick, InviteSessionEnquiry,
       "Invite the visitor to rate the session", "", "SessionItemAnswer"},
      {"POST", "/api/agent/callbacks", kAgent, kQuick, CallVisitorBack,
       "Call a visitor back: a new session in progress with the calling agent", "Callback", "SessionItemAnswer"},
      {"POST", "/api/agent/sessions/{serviceSessionId}/close", kAgent, kQuick, CloseAgentSession,
       "Close the agent's session in progress (an admin: any)", "", "SessionItemAnswer"},

      // LIVE §5: visitors. An entry may make a visitor: throttled per address.
      {"POST", "/api/visitor/tenants/{tenantId}/visitors", kPublic, kQuick, EnterVisitor,
       "A visitor's entry on a channel: anonymous, the one of a still valid visitorToken, or a signed identity",
       "VisitorEntry", "VisitorEntryAnswer"},
      {"GET", "/api/visitor/session", kVisitor, kQuickRead, GetVisitorSession,
       "The visitor's thread now: its open session (or null) and its last seq", "", "VisitorSessionAnswer"},
      {"POST", "/api/visitor/messages", kVisitor, kQuick, PostVisitorMessage,
       "Send a message; the first one after a session ended opens one, waiting in its skill group",
       "VisitorMessage", "MessageAnswer"},
      {"GET", "/api/visitor/messages", kVisitor, kQuickRead, GetVisitorMessages,
       "The thread's messages after a seq, oldest first, at most 100", "", "MessageList"},
      {"POST", "/api/visitor/session/close", kVisitor, kQuick, CloseVisitorSession,
       "End the thread's open session", "", "VisitorSessionEntity"},
      {"POST", "/api/visitor/session/enquiry", kVisitor, kQuick, RateVisitorSession,
       "Rate one of the visitor's sessions, once", "Enquiry", "VisitorSessionEntity"},
      {"GET", "/api/visitor/enquiryTags", kVisitor, kQuickRead, GetVisitorEnquiryTags,
       "The tags a rating may carry", "", "EnquiryTagList"},

      // LIVE §5, admin: a hand on the tenant's open sessions, and its agents' load.
      {"GET", "/api/tenants/{tenantId}/agents/states", kTenant, kQuickRead, GetAgentStates,
       "Every agent's state and sessions in progress", "", "AgentStateList"},
      {"GET", "/api/tenants/{tenantId}/serviceSessionHistorys/{serviceSessionId}/messages", kTenant, kQuickRead,
       GetSessionMessages, "A live session's own messages, oldest first, for CRMs", "", "MessageList"},
      {"POST", "/api/tenants/{tenantId}/visitors/sessions", kTenant, kQuick, GetVisitorBindings,
       "Each named visitor's open session and agent (at most 10 usernames)", "VisitorUsernames", "BindingList"},
      {"GET", "/api/tenants/{tenantId}/serviceSessionCurrents", kTenant, kQuickRead, GetOpenSessions,
       "The tenant's open sessions, oldest first, as history items", "", "HistoryPage"},
      {"POST", "/api/tenants/{tenantId}/serviceSessionCurrents/{serviceSessionId}/assign", kTenant, kQuick,
       AdminAssignSession, "Assign a waiting session to a named agent, or move it to another skill group",
       "Transfer", "SessionItemAnswer"},
      {"POST", "/api/tenants/{tenantId}/serviceSessionCurrents/{serviceSessionId}/abort", kTenant, kQuick,
       AdminAbortSession, "Abort a waiting session", "", "SessionItemAnswer"},
      {"POST", "/api/tenants/{tenantId}/serviceSessionCurrents/{serviceSessionId}/close", kTenant, kQuick,
       AdminCloseSession, "Close a session in progress", "", "SessionItemAnswer"},

      // LIVE §5, admin: the session-tag tree and the rating tags.
      {"GET", "/api/tenants/{tenantId}/summaries", kTenant, kQuickRead, ListSummaryTags,
       "The tenant's session-tag tree", "", "SummaryTagList"},
      {"POST", "/api/tenants/{tenantId}/summaries", kTenant, kQuick, CreateSummaryTag,
       "Make a session tag", "SummaryTagInput", "SummaryTagAnswer"},
      {"PUT", "/api/tenants/{tenantId}/summaries/{id}", kTenant, kQuick, UpdateSummaryTag,
       "Change a session tag's name, color or parent", "SummaryTagInput", "SummaryTagAnswer"},
      {"DELETE", "/api/tenants/{tenantId}/summaries/{id}", kTenant, kQuick, DeleteSummaryTag,
       "Delete a session tag without children", "", "Ok"},
      {"GET", "/api/tenants/{tenantId}/enquiryTags", kTenant, kQuickRead, ListEnquiryTags,
       "The tenant's rating tags", "", "EnquiryTagList"},
      {"POST", "/api/tenants/{tenantId}/enquiryTags", kTenant, kQuick, CreateEnquiryTag,
       "Make a rating tag", "TagName", "EnquiryTagAnswer"},
      {"PUT", "/api/tenants/{tenantId}/enquiryTags/{id}", kTenant, kQuick, RenameEnquiryTag,
       "Rename a rating tag", "TagName", "EnquiryTagAnswer"},
      {"DELETE", "/api/tenants/{tenantId}/enquiryTags/{id}", kTenant, kQuick, DeleteEnquiryTag,
       "Delete a rating tag", "", "Ok"},

      // LIVE §5, admin: the tenant's options for live service.
      {"GET", "/api/tenants/{tenantId}/options", kTenant, kQuickRead, GetOptions,
       "The tenant's options for live service", "", "OptionsAnswer"},
      {"PUT", "/api/tenants/{tenantId}/options", kTenant, kQuick, UpdateOptions,
       "Change some of the tenant's options; absent ones stay", "OptionsInput", "OptionsAnswer"},

      // LIVE §4, §5: agents at work. Login checks an Argon2id hash: slow.
      {"POST", "/api/agent/login", kPublic, kSlow, AgentLogin,
       "Log an agent in with its username and password", "AgentLogin", "AgentLoginAnswer"},
      {"POST", "/api/agent/logout", kAgent, kQuick, AgentLogout,
       "Log the agent out: its token ends and it is Offline", "", "Ok"},
      {"GET", "/api/agent/me", kAgent, kQuickRead, GetAgentMe,
       "The calling agent", "", "AgentAnswer"},
      {"PUT", "/api/agent/me", kAgent, kQuick, UpdateAgentMe,
       "Set the calling agent's state", "AgentMe", "AgentAnswer"},
  };
  return routes;
}

const std::vector<PathAlias>& ApiPathAliases() {
  static const std::vector<PathAlias> aliases = {{"/api/platform/tenants/", "/api/tenants/"}};
  return aliases;
}

}  // namespace kefu::api
