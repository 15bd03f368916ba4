#include "http/server.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <functional>
#include <thread>
#include <vector>

#include "common/limits.h"
#include "http/connection.h"
#include "http/tls_credentials.h"

namespace kefu::http {

namespace asio = boost::asio;
using asio::ip::tcp;

struct Server::Impl {
  ServerOptions options;
  api::RequestHandler& handler;
  WorkerPools pools;
  std::vector<std::unique_ptr<Shard>> shards;
  std::unique_ptr<tcp::acceptor> acceptor;  // on shard 0
  std::atomic<bool> stopping{false};
  std::atomic<size_t> open_connections{0};
  ConnectionLimits limits{options.max_connections_per_address, options.max_body_bytes_in_flight,
                          options.trusted_proxies};
  std::unique_ptr<TlsCredentials> tls = nullptr;  // with options.tls

  asio::awaitable<void> Accept() {
    size_t next = 0;
    for (;;) {
      Shard& shard = *shards[next];
      next = (next + 1) % shards.size();
      boost::system::error_code ec;
      // At the connection cap, leave new clients in the listen queue until
      // one of ours closes (idle ones do within the idle timeout).
      while (open_connections >= options.max_connections && !stopping) {
        asio::steady_timer pause(acceptor->get_executor(), std::chrono::milliseconds(10));
        co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      }
      tcp::socket socket = co_await acceptor->async_accept(
          shard.ioc, asio::redirect_error(asio::use_awaitable, ec));
      if (stopping) co_return;
      if (ec) {
        if (ec == asio::error::operation_aborted) co_return;
        // Out of descriptors and the like: wait a moment rather than spin.
        spdlog::warn("accept failed: {}", ec.message());
        asio::steady_timer pause(acceptor->get_executor(), std::chrono::milliseconds(50));
        co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        continue;
      }
      socket.set_option(tcp::no_delay(true), ec);
      // Counted now, not when its coroutine starts, so the check above sees
      // every connection accepted so far and the cap is never passed.
      ++open_connections;
      asio::co_spawn(shard.ioc, ServeConnection(std::move(socket), shard, handler, pools),
                     [](std::exception_ptr e) {
                       if (!e) return;
                       try {
                         std::rethrow_exception(e);
                       } catch (const std::exception& ex) {
                         spdlog::error("connection ended by exception: {}", ex.what());
                       }
                     });
    }
  }

  void BeginShutdown() {
    if (stopping.exchange(true)) return;
    spdlog::info("shutting down: no new connections, finishing requests in flight");
    asio::post(shards[0]->ioc, [this] {
      CloseAcceptor();
    });
    for (auto& shard : shards) {
      asio::post(shard->ioc, [s = shard.get()] { s->Stop(); });
    }
  }

  // SIGHUP: the certificate and key again, for the connections from now on.
  void ReloadTls() {
    if (!tls) {
      spdlog::info("SIGHUP: nothing to reload (no --tls-cert)");
      return;
    }
    Status loaded = tls->Load();
    if (loaded.ok()) {
      spdlog::info("SIGHUP: reloaded the TLS certificate {} and key {}", tls->files().cert, tls->files().key);
    } else {
      spdlog::error("SIGHUP: {}; still serving the pair loaded before", loaded.detail());
    }
  }

  void CloseAcceptor() {
    boost::system::error_code ignored;
    acceptor->close(ignored);
  }
};

Server::Server(ServerOptions options, api::RequestHandler& handler, WorkerPools pools)
    : impl_(new Impl{std::move(options), handler, std::move(pools), {}, nullptr}) {
  if (impl_->options.tls) impl_->tls = std::make_unique<TlsCredentials>(*impl_->options.tls);
  unsigned n = impl_->options.io_threads;
  if (n == 0) n = std::max(1u, std::thread::hardware_concurrency());
  for (unsigned i = 0; i < n; ++i) {
    impl_->shards.push_back(
        std::make_unique<Shard>(impl_->options, impl_->open_connections, impl_->limits, impl_->tls.get()));
  }
}

Server::~Server() = default;

Status Server::Listen() {
  if (impl_->tls) {
    Status loaded = impl_->tls->Load();
    if (!loaded.ok()) return loaded;
  }
  auto& ioc = impl_->shards[0]->ioc;
  boost::system::error_code ec;
  tcp::resolver resolver(ioc);
  auto results = resolver.resolve(impl_->options.host, impl_->options.port,
                                  tcp::resolver::numeric_service, ec);
  if (ec || results.empty()) {
    return Error(Code::kInvalidParam, fmt::format("cannot resolve {}:{}: {}", impl_->options.host,
                                                  impl_->options.port, ec.message()));
  }
  tcp::endpoint endpoint = *results.begin();
  auto acceptor = std::make_unique<tcp::acceptor>(ioc);
  acceptor->open(endpoint.protocol(), ec);
  if (!ec) acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor->bind(endpoint, ec);
  if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Error(Code::kInvalidParam,
                 fmt::format("cannot listen on {}:{}: {}", impl_->options.host, impl_->options.port,
                             ec.message()));
  }
  impl_->acceptor = std::move(acceptor);
  return Status::Ok();
}

std::string Server::LocalAddress() const {
  boost::system::error_code ec;
  auto ep = impl_->acceptor->local_endpoint(ec);
  if (ep.address().is_v6()) return fmt::format("[{}]:{}", ep.address().to_string(), ep.port());
  return fmt::format("{}:{}", ep.address().to_string(), ep.port());
}

void Server::Run() {
  auto& shard0 = impl_->shards[0]->ioc;
  // SIGHUP reloads the TLS pair, as often as it comes until shutdown.
  asio::signal_set hangups(shard0, SIGHUP);
  std::function<void(const boost::system::error_code&, int)> on_hangup =
      [this, &hangups, &on_hangup](const boost::system::error_code& ec, int) {
        if (ec) return;
        impl_->ReloadTls();
        hangups.async_wait(on_hangup);
      };
  hangups.async_wait(on_hangup);
  asio::signal_set signals(shard0, SIGINT, SIGTERM);
  signals.async_wait([this, &hangups](const boost::system::error_code& ec, int signo) {
    if (!ec) {
      spdlog::info("received signal {}", signo);
      boost::system::error_code ignored;
      hangups.cancel(ignored);  // else shard 0's loop would never run out of work
      impl_->BeginShutdown();
    }
  });
  asio::co_spawn(shard0, impl_->Accept(), asio::detached);

  // Each shard's loop ends once its connections are gone after shutdown.
  std::vector<std::thread> threads;
  for (auto& shard : impl_->shards) {
    threads.emplace_back([s = shard.get()] { s->ioc.run(); });
  }
  // A watchdog so a stuck client cannot hold shutdown forever.
  std::atomic<bool> done{false};
  std::thread watchdog([this, &done] {
    while (!done && !impl_->stopping) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    auto deadline = std::chrono::steady_clock::now() + limits::kShutdownGrace;
    while (!done && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (!done) {
      spdlog::warn("requests still in flight after {} s; stopping anyway",
                   limits::kShutdownGrace.count());
      for (auto& shard : impl_->shards) shard->ioc.stop();
    }
  });
  for (auto& t : threads) t.join();
  done = true;
  watchdog.join();
}

}  // namespace kefu::http
