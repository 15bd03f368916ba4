// One client connection: reads requests with the limits of CONTRACT §8,
// hands each to the handler on the worker pool, writes the answer; over
// TLS when the server has a certificate.
#pragma once

#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <unordered_set>

#include "http/connection_limits.h"
#include "http/server.h"
#include "http/tls_credentials.h"

namespace kefu::http {

// What a shard's shutdown needs of a connection, whatever its stream.
class LiveConnection {
 public:
  // Shutdown: an idle connection closes now, a WebSocket says going away,
  // a busy one closes after its answer.
  virtual void Stop() = 0;

 protected:
  ~LiveConnection() = default;
};

// An I/O thread's share of the server: its io_context and its connections.
// Touched only from that thread.
struct Shard {
  Shard(const ServerOptions& options, std::atomic<size_t>& open, ConnectionLimits& limits,
        const TlsCredentials* tls)
      : options(options), open_connections(open), limits(limits), tls(tls) {}

  boost::asio::io_context ioc{1};
  const ServerOptions& options;
  std::atomic<size_t>& open_connections;  // all shards', for --max-connections
  ConnectionLimits& limits;               // all shards', before authentication
  const TlsCredentials* tls;              // null: plain HTTP
  // Keeps ioc.run() going while the shard has no connection; dropped at Stop().
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work{ioc.get_executor()};
  std::unordered_set<LiveConnection*> connections;
  bool stopping = false;

  // Shutdown: no new requests; idle keep-alive connections close now, busy
  // ones after their answer.
  void Stop() {
    stopping = true;
    work.reset();
    for (LiveConnection* c : connections) c->Stop();
  }
};

// Serves `socket` until the client leaves, a limit is hit, or the shard stops.
boost::asio::awaitable<void> ServeConnection(boost::asio::ip::tcp::socket socket, Shard& shard,
                                             api::RequestHandler& handler,
                                             const WorkerPools& pools);

}  // namespace kefu::http
