// The HTTP/1.1 server: one I/O thread per core, each with its own io_context
// and the connections it was handed; requests are answered by a handler that
// runs on a separate worker pool (CONTRACT §8, §9). It knows nothing of the
// API's meaning: the api::RequestHandler says where a request runs and what
// answers it.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/thread_pool.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/api_types.h"
#include "common/limits.h"
#include "common/status.h"

namespace kefu::http {

// How long a client may take (CONTRACT §8): its headers must arrive whole
// within `client` of their first byte, each read of a body must make
// progress within `client` and the whole body arrive within
// limits::kBodyDeadlineFactor times it, and each answer must be taken
// within `client`.
struct ClientTimeouts {
  std::chrono::seconds client = limits::kSlowClientTimeout;
  std::chrono::seconds idle = limits::kIdleKeepAliveTimeout;  // before a request's first byte
};

// What one WebSocket may hold (its timeouts are ClientTimeouts': `client`
// for the opening and closing handshakes, `idle` for silence, with a ping at
// half of it).
struct WebSocketLimits {
  std::size_t max_message_bytes = limits::kWebSocketMaxMessageBytes;
  std::size_t max_queued_bytes = limits::kWebSocketMaxQueuedBytes;
};

// The PEM files of `--tls-cert` and `--tls-key` (http/tls_credentials.h).
struct TlsFiles {
  std::string cert;  // the certificate, then any intermediates
  std::string key;   // its private key
};

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::string port = "8080";
  unsigned io_threads = 0;  // 0: one per core
  ClientTimeouts timeouts;
  WebSocketLimits websocket;
  // Open connections at most; past it kefud stops accepting until one
  // closes, and new clients wait in the kernel's listen queue.
  size_t max_connections = limits::kDefaultMaxConnections;
  // Limits before authentication (http/connection_limits.h): connections of
  // one client address (0: none), and bytes of bodies read at once.
  size_t max_connections_per_address = limits::kDefaultMaxConnectionsPerAddress;
  size_t max_body_bytes_in_flight = limits::kDefaultMaxBodyBytesInFlight;
  // Peers whose X-Forwarded-For is believed (http/client_address.h).
  std::vector<std::string> trusted_proxies;
  // HTTPS and WSS only, with this certificate and key (reloaded on SIGHUP).
  std::optional<TlsFiles> tls;
};

// Where handlers run, by what the request costs: slow ones (history queries,
// password hashing) on their own pool, so quick ones never wait in a queue
// behind them; and, when `quick_reads_inline`, quick reads on the I/O thread
// itself, as they cost less than the two thread hops a pool takes (a few
// microseconds of embedded-database reads).
struct WorkerPools {
  boost::asio::thread_pool& quick;
  boost::asio::thread_pool& slow;
  bool quick_reads_inline = false;
};

class Server {
 public:
  // `handler` matches each request on its I/O thread, then answers it on one
  // of `pools` by the match's cost (on the I/O thread only for quick reads
  // when `pools.quick_reads_inline`). It outlives the server.
  Server(ServerOptions options, api::RequestHandler& handler, WorkerPools pools);
  ~Server();

  // Loads the TLS pair (if any) and binds the listening socket; port "0"
  // picks a free one.
  Status Listen();
  // The bound address, e.g. "127.0.0.1:8080" (after Listen).
  std::string LocalAddress() const;

  // Serves until SIGTERM or SIGINT, then stops accepting, lets requests in
  // flight finish (up to limits::kShutdownGrace), and returns. SIGHUP
  // loads the TLS pair again (a failure is logged and changes nothing).
  void Run();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kefu::http
