// One client connection: reads requests with the limits of CONTRACT §8,
// hands each to the handler on the worker pool, writes the answer.
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

namespace kefu::http {

class Connection;

// An I/O thread's share of the server: its io_context and its connections.
// Touched only from that thread.
struct Shard {
  Shard(const ServerOptions& options, std::atomic<size_t>& open, ConnectionLimits& limits)
      : options(options), open_connections(open), limits(limits) {}

  boost::asio::io_context ioc{1};
  const ServerOptions& options;
  std::atomic<size_t>& open_connections;  // all shards', for --max-connections
  ConnectionLimits& limits;               // all shards', before authentication
  // Keeps ioc.run() going while the shard has no connection; dropped at Stop().
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work{ioc.get_executor()};
  std::unordered_set<Connection*> connections;
  bool stopping = false;

  // Shutdown: no new requests; idle keep-alive connections close now, busy
  // ones after their answer.
  void Stop();
};

// Serves `socket` until the client leaves, a limit is hit, or the shard stops.
boost::asio::awaitable<void> ServeConnection(boost::asio::ip::tcp::socket socket, Shard& shard,
                                             api::RequestHandler& handler,
                                             const WorkerPools& pools);

}  // namespace kefu::http
