// kefud serve: open the store, wire the services, serve HTTP until signalled.
#include <boost/asio/thread_pool.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <thread>

#include "api/router.h"
#include "cli/commands.h"
#include "common/limits.h"
#include "domain/agent_service.h"
#include "domain/history_service.h"
#include "domain/roles.h"
#include "domain/token_service.h"
#include "http/server.h"
#include "store/store.h"

namespace kefu::cli {
namespace {

struct ServeArgs {
  std::string listen = "127.0.0.1:8080";
  std::string db = "var/kefu.db";
  int64_t token_ttl = limits::kDefaultTokenTtlSeconds;
  unsigned workers = 0;
  unsigned io_threads = 0;
  size_t db_pool = 0;
  uint32_t argon2_memory_kib = limits::kArgon2MinMemoryKib;
  uint32_t argon2_passes = limits::kArgon2MinPasses;
  std::string log_level = "info";
};

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

  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  // Enough workers that a few slow password hashes never starve quick reads.
  const unsigned workers = args.workers ? args.workers : std::max(4u, 2 * cores);
  // A worker holds at most one connection (two pools of `workers` threads),
  // so more would sit idle.
  const size_t pool = args.db_pool ? args.db_pool : 2 * workers;
  auto store = store::OpenStore(args.db, store::StoreOptions{pool});
  if (!store.ok()) return Fail(store.status().detail());
  if (Status s = (*store)->Optimize(); !s.ok()) spdlog::warn("could not refresh statistics: {}", s.detail());

  // Quick requests get `workers` threads; history queries and password
  // hashing get as many again of their own, so they never hold quick ones up.
  boost::asio::thread_pool quick_pool(workers);
  boost::asio::thread_pool slow_pool(workers);

  domain::RoleService roles(**store);
  domain::TokenService tokens(**store, args.token_ttl);
  domain::AgentService agents(**store, roles,
                              PasswordHashParams{args.argon2_memory_kib, args.argon2_passes}, cores);
  domain::HistoryService history(**store);
  domain::HealthCheck health(**store);
  api::Router router(api::Services{tokens, agents, roles, history, health});

  http::Server server(http::ServerOptions{host, port, args.io_threads},
                      [&router](const api::ApiRequest& r) { return router.Handle(r); },
                      http::WorkerPools{quick_pool, slow_pool, api::IsSlowRequest});
  Status listening = server.Listen();
  if (!listening.ok()) return Fail(listening.detail());
  spdlog::info("kefud listening on {} ({} database, {} workers, token ttl {} s)",
               server.LocalAddress(), args.db.find("://") == std::string::npos ? "SQLite" : "PostgreSQL",
               workers, args.token_ttl);
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
  cmd->add_option("--log-level", args->log_level, "trace, debug, info, warn, error or off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}))
      ->capture_default_str();
  cmd->callback([args, &run] { run = [args] { return Serve(*args); }; });
}

}  // namespace kefu::cli
