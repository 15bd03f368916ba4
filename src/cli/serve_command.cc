// kefud serve: open the store, wire the services, serve HTTP until signalled.
#include <boost/asio/thread_pool.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <sys/resource.h>

#include <thread>
#include <vector>

#include "api/router.h"
#include "cli/commands.h"
#include "common/limits.h"
#include "domain/agent_login_service.h"
#include "domain/agent_desk_service.h"
#include "domain/agent_service.h"
#include "domain/history_service.h"
#include "domain/channel_service.h"
#include "domain/conversation_service.h"
#include "domain/options_service.h"
#include "domain/tag_service.h"
#include "domain/visitor_service.h"
#include "domain/queue_service.h"
#include "domain/roles.h"
#include "domain/token_service.h"
#include "http/server.h"
#include "http/thread_priority.h"
#include "store/store.h"
#include "web/directory_source.h"

namespace kefu::cli {
namespace {

struct ServeArgs {
  std::string listen = "127.0.0.1:8080";
  std::string db = "var/kefu.db";
  int64_t token_ttl = limits::kDefaultTokenTtlSeconds;
  int64_t agent_session_ttl = limits::kDefaultAgentSessionTtlSeconds;
  int64_t visitor_session_ttl = limits::kDefaultVisitorSessionTtlSeconds;
  unsigned workers = 0;
  unsigned io_threads = 0;
  size_t db_pool = 0;
  uint32_t argon2_memory_kib = limits::kArgon2MinMemoryKib;
  uint32_t argon2_passes = limits::kArgon2MinPasses;
  std::string log_level = "info";
  double rate_limit = 0;
  double rate_burst = 0;
  double token_failures_per_client = 30;
  double token_failures_per_address = 300;
  double visitor_entries_per_address = 120;
  std::vector<std::string> trusted_proxies;
  int client_timeout = static_cast<int>(limits::kSlowClientTimeout.count());
  int idle_timeout = static_cast<int>(limits::kIdleKeepAliveTimeout.count());
  size_t max_connections = limits::kDefaultMaxConnections;
  size_t max_connections_per_address = limits::kDefaultMaxConnectionsPerAddress;
  size_t max_body_bytes_in_flight = limits::kDefaultMaxBodyBytesInFlight;
  std::string web_root;  // empty: no static files
  std::string tls_cert;  // both empty: plain HTTP
  std::string tls_key;
  double query_timeout = std::chrono::duration<double>(limits::kDefaultQueryTimeout).count();
  int heavy_per_tenant = 0;  // 0: one fewer than the slow workers
};

// Every connection is a descriptor; lift the soft limit to the hard one so
// --max-connections, not the shell's default of 1,024, is what bounds them.
void RaiseDescriptorLimit(size_t max_connections) {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0) return;
  if (lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
  }
  // Room for the database files, the pools and the listening socket.
  if (lim.rlim_cur != RLIM_INFINITY && lim.rlim_cur < max_connections + 256) {
    spdlog::warn("at most {} open files allowed (ulimit -n); fewer than --max-connections {} can be served",
                 lim.rlim_cur, max_connections);
  }
}

// Splits "HOST:PORT" or "[V6]:PORT".
bool SplitListen(const std::string& listen, std::string& host, std::string& port) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == listen.size()) return false;
  host = listen.substr(0, colon);
  port = listen.substr(colon + 1);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  return port.find_first_not_of("0123456789") == std::string::npos;
}

int Serve(const ServeArgs& args) {
  auto level = spdlog::level::from_str(args.log_level);
  spdlog::set_level(level);
  std::string host, port;
  if (!SplitListen(args.listen, host, port)) {
    return Fail(fmt::format("--listen must be HOST:PORT, not '{}'", args.listen));
  }
  if (args.token_ttl < 1) return Fail("--token-ttl must be at least 1 second");
  if (args.agent_session_ttl < 1) return Fail("--agent-session-ttl must be at least 1 second");
  if (args.visitor_session_ttl < 1) return Fail("--visitor-session-ttl must be at least 1 second");
  RaiseDescriptorLimit(args.max_connections);

  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  // Enough workers that a few slow password hashes never starve quick reads.
  const unsigned workers = args.workers ? args.workers : std::max(4u, 2 * cores);
  // A worker holds at most one connection (two pools of `workers` threads),
  // so more would sit idle.
  const size_t pool = args.db_pool ? args.db_pool : 2 * workers;
  const auto query_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::duration<double>(args.query_timeout));
  auto store = store::OpenStore(args.db, store::StoreOptions{pool, query_timeout});
  if (!store.ok()) return Fail(store.status().detail());
  if (Status s = (*store)->Optimize(); !s.ok()) spdlog::warn("could not refresh statistics: {}", s.detail());

  // Quick requests get `workers` threads; history queries and password
  // hashing get as many again of their own, so they never hold quick ones up.
  boost::asio::thread_pool quick_pool(workers);
  boost::asio::thread_pool slow_pool(workers);
  // ... and a lower priority, so that on busy cores the kernel runs I/O
  // threads and quick requests before them.
  if (!http::SetPoolNice(slow_pool, workers, limits::kSlowPoolNice)) {
    spdlog::warn("could not lower the priority of the history workers; they share the cores equally");
  }

  domain::RoleService roles(**store);
  domain::TokenService tokens(**store, args.token_ttl);
  domain::AgentService agents(**store, roles,
                              PasswordHashParams{args.argon2_memory_kib, args.argon2_passes}, cores);
  domain::HistoryService history(**store);
  domain::HealthCheck health(**store);
  domain::AgentLoginService logins(**store, **store, args.agent_session_ttl);
  domain::QueueService queues(**store);
  domain::ChannelService channels(**store);
  domain::OptionsService tenant_options(**store);
  domain::VisitorService visitors(**store, **store, args.visitor_session_ttl);
  domain::ConversationService conversations(**store, **store, **store, **store, **store, **store);
  domain::AgentDeskService desk(**store, **store, **store, **store, **store);
  domain::TagService tags(**store);
  // One tenant's history queries and imports never take every slow worker.
  const int heavy_per_tenant =
      args.heavy_per_tenant ? args.heavy_per_tenant : std::max(1, static_cast<int>(workers) - 1);
  domain::Throttles throttles(domain::ThrottleOptions{args.rate_limit, args.rate_burst,
                                                      args.token_failures_per_client,
                                                      args.token_failures_per_address, heavy_per_tenant,
                                                      args.visitor_entries_per_address});
  std::unique_ptr<web::DirectorySource> web_root;
  if (!args.web_root.empty()) {
    auto opened = web::DirectorySource::Open(args.web_root);
    if (!opened.ok()) return Fail(opened.status().detail());
    web_root = std::move(*opened);
    spdlog::info("serving the files of {} under /static/", web_root->root());
  }
  api::Router router(api::Services{tokens, agents, roles, history, health, throttles, logins, queues, channels,
                                   tenant_options, visitors, conversations, desk, tags, web_root.get()});

  http::ServerOptions options;
  options.host = host;
  options.port = port;
  options.io_threads = args.io_threads;
  options.timeouts = {std::chrono::seconds(args.client_timeout), std::chrono::seconds(args.idle_timeout)};
  options.max_connections = args.max_connections;
  options.max_connections_per_address = args.max_connections_per_address;
  options.max_body_bytes_in_flight = args.max_body_bytes_in_flight;
  options.trusted_proxies = args.trusted_proxies;
  if (!args.tls_cert.empty()) options.tls = http::TlsFiles{args.tls_cert, args.tls_key};
  http::Server server(std::move(options), router,
                      http::WorkerPools{quick_pool, slow_pool, (*store)->ReadsAreLocal()});
  Status listening = server.Listen();
  if (!listening.ok()) return Fail(listening.detail());
  spdlog::info("kefud listening on {} ({} database, {} workers, token ttl {} s)",
               server.LocalAddress(), args.db.find("://") == std::string::npos ? "SQLite" : "PostgreSQL",
               workers, args.token_ttl);
  if (!args.tls_cert.empty()) {
    spdlog::info("HTTPS and WSS only (TLS 1.2 and up), certificate {}, key {}; SIGHUP reloads them",
                 args.tls_cert, args.tls_key);
  }
  spdlog::info("history queries stop after {} s; at most {} history queries and imports per tenant at once",
               args.query_timeout, heavy_per_tenant);
  if (args.rate_limit > 0) {
    spdlog::info("rate limit: {} requests/s per tenant, burst {}", args.rate_limit,
                 args.rate_burst > 0 ? args.rate_burst : args.rate_limit);
  }
  server.Run();
  quick_pool.join();
  slow_pool.join();
  spdlog::info("kefud stopped");
  return 0;
}

}  // namespace

void AddServeCommand(CLI::App& app, Runner& run) {
  auto args = std::make_shared<ServeArgs>();
  auto* cmd = app.add_subcommand("serve", "Serve the Kefu open-platform API over HTTP");
  cmd->add_option("--listen", args->listen, "HOST:PORT to listen on (port 0: any free port)")
      ->envname("KEFU_LISTEN")
      ->capture_default_str();
  AddDbOption(*cmd, args->db);
  cmd->add_option("--token-ttl", args->token_ttl, "access token lifetime in seconds")
      ->envname("KEFU_TOKEN_TTL")
      ->capture_default_str();
  cmd->add_option("--agent-session-ttl", args->agent_session_ttl,
                  "seconds an agent's login (its Agent-Token) lasts")
      ->envname("KEFU_AGENT_SESSION_TTL")
      ->capture_default_str();
  cmd->add_option("--visitor-session-ttl", args->visitor_session_ttl,
                  "seconds a visitor's token lasts from its last entry (its thread is found again within it)")
      ->envname("KEFU_VISITOR_SESSION_TTL")
      ->capture_default_str();
  cmd->add_option("--workers", args->workers,
                  "threads for quick requests, and as many again for history queries and "
                  "password hashing (default: max(4, 2 x cores))");
  cmd->add_option("--db-pool", args->db_pool,
                  "PostgreSQL connections of this process (default: one per worker)");
  cmd->add_option("--io-threads", args->io_threads, "HTTP I/O threads (default: one per core)");
  cmd->add_option("--argon2-memory-kib", args->argon2_memory_kib, "Argon2id memory per hash, KiB")
      ->check(CLI::Range(limits::kArgon2MinMemoryKib, 4u * 1024 * 1024))
      ->capture_default_str();
  cmd->add_option("--argon2-passes", args->argon2_passes, "Argon2id passes")
      ->check(CLI::Range(limits::kArgon2MinPasses, 64u))
      ->capture_default_str();
  cmd->add_option("--rate-limit", args->rate_limit,
                  "requests per second per tenant; past it API_429 (default 0: no limit)")
      ->envname("KEFU_RATE_LIMIT")
      ->check(CLI::Range(0.0, 1e9));
  cmd->add_option("--rate-burst", args->rate_burst,
                  "requests a tenant may make at once before --rate-limit applies "
                  "(default: the --rate-limit value)")
      ->check(CLI::Range(0.0, 1e9));
  cmd->add_option("--token-failures-per-client", args->token_failures_per_client,
                  "failed token requests a minute per clientId from one address before API_429 "
                  "(and the ceiling per clientId from all addresses that have failed)")
      ->check(CLI::Range(1.0, 1e9))
      ->capture_default_str();
  cmd->add_option("--token-failures-per-address", args->token_failures_per_address,
                  "failed token requests a minute per client address before API_429")
      ->check(CLI::Range(1.0, 1e9))
      ->capture_default_str();
  cmd->add_option("--visitor-entries-per-address", args->visitor_entries_per_address,
                  "visitor entries (POST /api/visitor/tenants/N/visitors) a minute per client address "
                  "before API_429")
      ->check(CLI::Range(1.0, 1e9))
      ->capture_default_str();
  cmd->add_option("--trusted-proxy", args->trusted_proxies,
                  "address of a reverse proxy whose X-Forwarded-For names the client "
                  "(repeatable; e.g. 127.0.0.1 behind deploy/nginx.conf)");
  cmd->add_option("--client-timeout", args->client_timeout,
                  "seconds a client has to send its headers, for each read of a body (and 4 times "
                  "that for the whole body), and to take an answer")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  cmd->add_option("--idle-timeout", args->idle_timeout,
                  "seconds a keep-alive connection may wait for its next request")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  cmd->add_option("--max-connections-per-address", args->max_connections_per_address,
                  "open connections one client address may hold (0: no cap; a --trusted-proxy's "
                  "are not counted); past it API_429")
      ->check(CLI::Range(size_t{0}, size_t{1000000}))
      ->capture_default_str();
  cmd->add_option("--max-body-bytes-in-flight", args->max_body_bytes_in_flight,
                  "bytes of request bodies read at once across all connections; past it API_429 "
                  "before a body is read")
      ->check(CLI::Range(limits::kMaxBodyBytes, size_t{1} << 40))
      ->capture_default_str();
  cmd->add_option("--max-connections", args->max_connections,
                  "open connections at most; further clients wait to be accepted")
      ->check(CLI::Range(size_t{1}, size_t{1000000}))
      ->capture_default_str();
  cmd->add_option("--web-root", args->web_root,
                  "directory whose files GET /static/PATH serves (default: none)")
      ->envname("KEFU_WEB_ROOT");
  auto* tls_cert = cmd->add_option("--tls-cert", args->tls_cert,
                                   "PEM certificate (and intermediates) to serve HTTPS and WSS with, "
                                   "instead of plain HTTP; reloaded on SIGHUP")
                       ->envname("KEFU_TLS_CERT")
                       ->check(CLI::ExistingFile);
  auto* tls_key = cmd->add_option("--tls-key", args->tls_key, "PEM private key of --tls-cert")
                      ->envname("KEFU_TLS_KEY")
                      ->check(CLI::ExistingFile);
  tls_cert->needs(tls_key);
  tls_key->needs(tls_cert);
  cmd->add_option("--query-timeout", args->query_timeout,
                  "seconds a history query may run before it is stopped and answered API_408 "
                  "(fractions allowed, at least 0.001)")
      ->check(CLI::Range(0.001, 3600.0))
      ->capture_default_str();
  cmd->add_option("--heavy-queries-per-tenant", args->heavy_per_tenant,
                  "history queries and imports one tenant may have in progress at once; past it "
                  "API_429 (default: one fewer than --workers, at least 1)")
      ->check(CLI::Range(1, 1000000));
  cmd->add_option("--log-level", args->log_level, "trace, debug, info, warn, error or off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}))
      ->capture_default_str();
  cmd->callback([args, &run] { run = [args] { return Serve(*args); }; });
}

}  // namespace kefu::cli
