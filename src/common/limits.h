// Every named limit and default of the deployment, in one place (CONTRACT §4, §6, §8).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace kefu::limits {

// HTTP (CONTRACT §8).
inline constexpr std::size_t kMaxBodyBytes = 1024 * 1024;
inline constexpr std::size_t kMaxHeaderBytes = 8 * 1024;
inline constexpr std::chrono::seconds kSlowClientTimeout{30};
inline constexpr std::chrono::seconds kIdleKeepAliveTimeout{60};
// A request body must arrive within this many slow-client timeouts in all
// (2 min by default: a 1 MiB body needs about 9 KB/s).
inline constexpr int kBodyDeadlineFactor = 4;
// Connections open at once; beyond this kefud stops accepting for a moment.
inline constexpr std::size_t kDefaultMaxConnections = 10000;
// Connections one client address may hold at once (a trusted proxy's are
// not counted: they carry many clients); past it a new one is answered
// API_429 and closed.
inline constexpr std::size_t kDefaultMaxConnectionsPerAddress = 1000;
// Bytes of request bodies being read at once, across every connection: a
// body is counted at its Content-Length (or the body limit when chunked)
// from its first byte to its last. Past it a request is answered API_429
// before its body is read.
inline constexpr std::size_t kDefaultMaxBodyBytesInFlight = 64 * 1024 * 1024;
// The nice value of the threads that run history queries and password hashes
// (the normal one is 0): on busy cores quick requests go first.
inline constexpr int kSlowPoolNice = 15;
// After refusing a request, how long to read and discard what the client still sends.
inline constexpr std::chrono::seconds kLingerTimeout{1};
// How long SIGTERM waits for requests in flight before giving up on them.
inline constexpr std::chrono::seconds kShutdownGrace{30};

// WebSocket (docs/decisions.md "WebSocket"). The handshake and the close
// handshake must finish within the slow-client timeout, and a socket that
// receives nothing for half the idle timeout is pinged, then closed at the
// full idle timeout. A message from the client larger than this is closed
// with 1009.
inline constexpr std::size_t kWebSocketMaxMessageBytes = 64 * 1024;
// Bytes queued for one socket and not yet written; past it the client is
// dropped as one that does not read.
inline constexpr std::size_t kWebSocketMaxQueuedBytes = 1024 * 1024;

// Static files (--web-root) are read whole into the answer; larger ones are not served.
inline constexpr std::size_t kMaxStaticFileBytes = 32 * 1024 * 1024;

// Tokens (CONTRACT §1).
inline constexpr int64_t kDefaultTokenTtlSeconds = 7200;
// An agent's login (LIVE §4: 12 h unless serve --agent-session-ttl says).
inline constexpr int64_t kDefaultAgentSessionTtlSeconds = 12 * 3600;
// A visitor token's lifetime from its last entry (serve --visitor-session-ttl):
// a visitor who comes back within a month finds its thread again.
inline constexpr int64_t kDefaultVisitorSessionTtlSeconds = 30 * 24 * 3600;

// Agent search (CONTRACT §4).
inline constexpr int kAgentPageDefault = 0;
inline constexpr int kAgentSizeDefault = 10;
inline constexpr int kAgentSizeMax = 50;

// Agents (CONTRACT §4).
inline constexpr int kPasswordMinChars = 8;
inline constexpr int kPasswordMaxChars = 64;
inline constexpr int kMaxServiceSessionDefault = 10;
inline constexpr int kMaxServiceSessionMax = 100;
inline constexpr std::size_t kUsernameMaxChars = 254;
// Free-text agent fields (nicename, trueName, mobilePhone, agentNumber).
inline constexpr std::size_t kTextFieldMaxChars = 255;

// Argon2id floor: OWASP's minimum (19 MiB, 2 passes, 1 lane).
inline constexpr uint32_t kArgon2MinMemoryKib = 19 * 1024;
inline constexpr uint32_t kArgon2MinPasses = 2;

// Tenants (CONTRACT §1).
inline constexpr int64_t kMaxTenantId = 2147483647;

// History queries (docs/decisions.md, "Heavy queries"): each is stopped after
// this long (serve --query-timeout) and answered API_408 with this Retry-After.
inline constexpr std::chrono::milliseconds kDefaultQueryTimeout{15000};
inline constexpr std::chrono::seconds kQueryTimeoutRetryAfter{10};
// SQLite looks at a query's deadline every this many virtual-machine steps
// (microseconds of work).
inline constexpr int kSqliteDeadlineCheckSteps = 1000;
// A tenant past its cap of history queries and imports in flight
// (serve --heavy-queries-per-tenant) is told to come back after this long.
inline constexpr std::chrono::seconds kHeavyQueryRetryAfter{1};

// SQLite waits this long for a competing writer before failing with API_400.
inline constexpr int kSqliteBusyTimeoutMs = 5000;
// Agent rosters held in memory for the search (domain/agent_roster_cache.h):
// tenants with more agents are searched in the store. About 0.5 KB an agent.
inline constexpr std::size_t kRosterCacheMaxPerTenant = 5000;
inline constexpr std::size_t kRosterCacheMaxAgents = 20000;
// The WAL is started over once it holds this many frames (4 MiB at 4 KiB
// pages) and no reader needs it (store/sqlite/wal_checkpointer.h); checked
// every kWalCheckInterval, waiting at most kWalCheckpointBusyMs for readers.
inline constexpr int kWalRestartFrames = 1024;
inline constexpr std::chrono::milliseconds kWalCheckInterval{100};
inline constexpr int kWalCheckpointBusyMs = 200;

}  // namespace kefu::limits
