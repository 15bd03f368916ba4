#include "http/connection.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/core/detect_ssl.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "common/limits.h"
#include "http/api_messages.h"
#include "http/offload.h"
#include "http/socket_outbox.h"
#include "http/websocket_session.h"

namespace kefu::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using boost::asio::awaitable;
using boost::asio::use_awaitable;

namespace {

// A connection over Stream (PlainStream or TlsStream), known to its shard
// for shutdown from construction to destruction.
template <typename Stream>
class Connection final : public LiveConnection {
 public:
  Connection(Stream stream, Shard& shard) : stream(std::move(stream)), shard_(shard) {
    shard_.connections.insert(this);
  }
  ~Connection() { shard_.connections.erase(this); }

  Stream stream;
  bool idle = true;  // waiting for the first byte of a request, or for a TLS handshake
  WebSocketSession<Stream>* websocket = nullptr;  // once upgraded (the session has the stream)
  Shard& shard() { return shard_; }
  const ServerOptions& options() const { return shard_.options; }
  beast::tcp_stream& tcp() { return beast::get_lowest_layer(stream); }

  void Stop() override {
    if (websocket) {
      websocket->GoingAway();
    } else if (idle) {
      beast::error_code ignored;
      tcp().socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
      tcp().socket().close(ignored);
    }
  }

 private:
  Shard& shard_;
};

// The accept loop counted the connection in open_connections; this uncounts
// it when its coroutine ends, however it ends.
struct Counted {
  explicit Counted(Shard& shard) : shard(shard) {}
  ~Counted() { --shard.open_connections; }
  Shard& shard;
};

// What the first read of a request takes at most: what Beast's own reads
// take into an empty buffer, so the parser meets the bytes in the same
// steps. (With 4 KiB first, Beast 1.74 let a header block of 12 KiB through
// its 8 KiB limit when all of it had arrived at once.)
constexpr size_t kFirstReadBytes = 512;

// After refusing a request the client may still be sending it. Closing with
// unread bytes makes the kernel reset the connection, and the client could
// lose our answer; so half-close, then read and discard for a moment. (A
// coroutine of its own: its buffer exists only while it runs, not in every
// connection's frame.)
// (Over TLS the rest is drained as raw bytes: only its end matters.)
awaitable<void> LingeringClose(beast::tcp_stream& stream) {
  beast::error_code ec;
  stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ec);
  stream.expires_after(limits::kLingerTimeout);
  char sink[16 * 1024];
  for (size_t drained = 0; !ec && drained < limits::kMaxBodyBytes;) {
    drained += co_await stream.async_read_some(boost::asio::buffer(sink),
                                               boost::asio::redirect_error(use_awaitable, ec));
  }
}

// fn() where the match's cost says (http::WorkerPools). fn must capture only
// references or trivially destructible values: GCC 12 destroys a
// coroutine's by-value argument twice.
template <typename R, typename F>
awaitable<R> RunWhereCostSays(api::Cost cost, const WorkerPools& pools, F fn) {
  if (cost == api::Cost::kQuickRead && pools.quick_reads_inline) co_return fn();
  // (An if rather than ?: around co_await: GCC 12 miscompiles the latter.)
  if (cost == api::Cost::kSlow) co_return co_await RunBlocking<R>(pools.slow, std::move(fn));
  co_return co_await RunBlocking<R>(pools.quick, std::move(fn));
}


std::string PeerAddress(beast::tcp_stream& stream) {
  beast::error_code ec;
  auto endpoint = stream.socket().remote_endpoint(ec);
  return ec ? std::string() : endpoint.address().to_string();
}

void CloseSocket(beast::tcp_stream& stream) {
  beast::error_code ignored;
  stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
  stream.socket().close(ignored);
}

// The end of a connection kefud closes: over TLS a close_notify first
// (within the linger timeout: a client that never answers it is not waited
// for).
awaitable<void> Close(PlainStream& stream) {
  CloseSocket(stream);
  co_return;
}
awaitable<void> Close(TlsStream& stream) {
  beast::error_code ec;
  stream.next_layer().expires_after(limits::kLingerTimeout);
  co_await stream.async_shutdown(boost::asio::redirect_error(use_awaitable, ec));
  CloseSocket(stream.next_layer());
}

// Writes `answer` with Connection: close, then closes lingering (the
// client may still be sending what we refused).
template <typename Stream>
awaitable<void> RefuseAndClose(Stream& stream, const ServerOptions& options, api::ApiResponse answer,
                               unsigned version) {
  auto res = ToBeastResponse(std::move(answer), version, false);
  beast::get_lowest_layer(stream).expires_after(options.timeouts.client);
  beast::error_code ec;
  co_await bhttp::async_write(stream, res, boost::asio::redirect_error(use_awaitable, ec));
  if (!ec) co_await LingeringClose(beast::get_lowest_layer(stream));
  CloseSocket(beast::get_lowest_layer(stream));
}

// Until the first byte of a request the idle timeout runs; from it, the
// header block must arrive whole within the client timeout: one deadline
// rather than one per read, so a client trickling a byte at a time cannot
// hold the connection. (The first byte is read apart because Beast's parser
// returns only once the whole header block is in.)
template <typename Stream>
awaitable<beast::error_code> ReadHeader(Connection<Stream>& conn, beast::flat_buffer& buffer,
                                        bhttp::request_parser<bhttp::string_body>& parser) {
  const ClientTimeouts& timeouts = conn.shard().options.timeouts;
  beast::error_code ec;
  conn.idle = buffer.size() == 0;
  if (conn.idle) {
    conn.tcp().expires_after(timeouts.idle);
    const size_t n = co_await conn.stream.async_read_some(buffer.prepare(kFirstReadBytes),
                                                          boost::asio::redirect_error(use_awaitable, ec));
    buffer.commit(n);
    if (ec) co_return ec;
  }
  conn.idle = false;
  conn.tcp().expires_after(timeouts.client);
  while (!ec && !parser.is_header_done()) {
    co_await bhttp::async_read_some(conn.stream, buffer, parser, boost::asio::redirect_error(use_awaitable, ec));
  }
  co_return ec;
}

// The body gets the client timeout for each read (CONTRACT §8: cut off after
// 30 s without progress) and, so that a byte every 29 s is no way around it,
// kBodyDeadlineFactor times it in all. A client that asked with Expect:
// 100-continue is told to go on first.
template <typename Stream>
awaitable<beast::error_code> ReadBody(Connection<Stream>& conn, beast::flat_buffer& buffer,
                                      bhttp::request_parser<bhttp::string_body>& parser) {
  const ClientTimeouts& timeouts = conn.shard().options.timeouts;
  beast::error_code ec;
  if (parser.get()[bhttp::field::expect] == "100-continue") {
    bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, parser.get().version()};
    conn.tcp().expires_after(timeouts.client);
    co_await bhttp::async_write(conn.stream, cont, boost::asio::redirect_error(use_awaitable, ec));
  }
  const auto deadline = std::chrono::steady_clock::now() + limits::kBodyDeadlineFactor * timeouts.client;
  while (!ec && !parser.is_done()) {
    conn.tcp().expires_at(std::min(std::chrono::steady_clock::now() + timeouts.client, deadline));
    co_await bhttp::async_read_some(conn.stream, buffer, parser, boost::asio::redirect_error(use_awaitable, ec));
  }
  co_return ec;
}

// A client that left, went quiet, or was closed at shutdown gets no answer;
// a request the parser refused gets the JSON error, then the connection closes.
template <typename Stream>
awaitable<void> EndAfterReadFailure(Connection<Stream>& conn, beast::error_code ec) {
  if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
      ec == boost::asio::error::operation_aborted || ec == boost::asio::error::connection_reset ||
      ec == boost::asio::error::bad_descriptor || ec == boost::asio::error::eof ||
      ec == bhttp::error::partial_message || ec.category() == boost::asio::error::get_ssl_category() ||
      ec == boost::asio::ssl::error::stream_truncated) {
    co_return;  // (a TLS stream that failed can carry no answer)
  }
  co_await RefuseAndClose(conn.stream, conn.options(), ParseFailure(ec), 11);
}

// The handler's word on a request's headers before its body is read (the
// token check is a quick read).
awaitable<std::optional<api::ApiResponse>> AdmitBody(const api::ApiRequest& head, const api::RouteMatch& match,
                                                     api::RequestHandler& handler, const WorkerPools& pools) {
  co_return co_await RunWhereCostSays<std::optional<api::ApiResponse>>(
      api::Cost::kQuickRead, pools, [&handler, &head, &match] { return handler.Admit(head, match); });
}

enum class Next { kKeepAlive, kClosed, kHandedOff };

// One request answered: matched (unless its headers were), run where its
// cost says or handed to a WebSocket session, and the answer written.
template <typename Stream>
awaitable<Next> Exchange(Connection<Stream>& conn, bhttp::request<bhttp::string_body> req,
                         const std::optional<api::RouteMatch>& match_of_head, const std::string& peer,
                         api::RequestHandler& handler, const WorkerPools& pools) {
  Shard& shard = conn.shard();
  const bool client_keep_alive = req.keep_alive();
  const unsigned version = req.version();
  const bool upgrade = beast::websocket::is_upgrade(req);
  bhttp::request<bhttp::empty_body> handshake;
  if (upgrade) handshake = bhttp::request<bhttp::empty_body>(req.base());
  api::ApiRequest request = ToApiRequest(std::move(req), peer, shard.options.trusted_proxies);

  const api::RouteMatch match = match_of_head ? *match_of_head : handler.Match(request);
  api::ApiResponse answer;
  if (auto refusal = UpgradeRefusal(request, upgrade, match)) {
    answer = std::move(*refusal);
  } else if (match.websocket) {
    auto outbox = std::make_shared<SocketOutbox>(shard.options.websocket.max_queued_bytes);
    api::SocketOpening opening = co_await RunWhereCostSays<api::SocketOpening>(
        // Captured by reference, as everything here: GCC 12 destroys a
        // coroutine's by-value lambda argument twice, so a shared_ptr copied
        // into it is released once too often (ASan: use after free).
        match.cost, pools, [&handler, &request, &match, &outbox] { return handler.OpenSocket(request, match, outbox); });
    if (opening.handler) {
      if (shard.stopping) {
        outbox->Shut();
        opening.handler->OnClose();
        co_await Close(conn.stream);
        co_return Next::kClosed;
      }
      auto session = std::make_shared<WebSocketSession<Stream>>(std::move(conn.stream), outbox, shard.options);
      conn.websocket = session.get();
      co_await session->Run(std::move(handshake), *opening.handler);
      conn.websocket = nullptr;
      co_return Next::kHandedOff;  // the session closed the socket
    }
    answer = std::move(opening.refusal);
  } else {
    answer = co_await RunWhereCostSays<api::ApiResponse>(
        match.cost, pools, [&handler, &request, &match] { return handler.Answer(request, match); });
  }
  spdlog::debug("{} {} -> {}", request.method, request.target.substr(0, request.target.find('?')), answer.status);

  const bool keep_alive = client_keep_alive && !shard.stopping;
  auto res = ToBeastResponse(std::move(answer), version, keep_alive, request.method == "HEAD");
  conn.tcp().expires_after(shard.options.timeouts.client);
  beast::error_code ec;
  co_await bhttp::async_write(conn.stream, res, boost::asio::redirect_error(use_awaitable, ec));
  if (ec) {
    CloseSocket(conn.tcp());
    co_return Next::kClosed;
  }
  if (!keep_alive) {
    co_await Close(conn.stream);
    co_return Next::kClosed;
  }
  co_return Next::kKeepAlive;
}

// Requests on `conn` until the client leaves, a limit is hit, or the shard
// stops. `buffer` holds what was read before (the TLS detection's bytes).
template <typename Stream>
awaitable<void> Serve(Connection<Stream>& conn, beast::flat_buffer& buffer, api::RequestHandler& handler,
                      const WorkerPools& pools) {
  Shard& shard = conn.shard();
  const std::string peer = PeerAddress(conn.tcp());
  // One address may not hold every connection (--max-connections-per-address).
  const ConnectionLimits::AddressSlot slot = shard.limits.EnterAddress(peer);
  if (!slot.ok()) {
    co_await RefuseAndClose(conn.stream, shard.options, TooManyConnections(), 11);
    co_return;
  }
  while (!shard.stopping) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(limits::kMaxHeaderBytes);
    parser.body_limit(limits::kMaxBodyBytes);
    beast::error_code ec = co_await ReadHeader(conn, buffer, parser);
    if (ec) {
      co_await EndAfterReadFailure(conn, ec);
      co_return;
    }
    // Matched once, from the headers: a body is read only for a request the
    // handler admits, within the process's budget of bodies read at once.
    std::optional<api::RouteMatch> match_of_head;
    ConnectionLimits::BodyBytes body_bytes;
    if (!parser.is_done()) {
      const api::ApiRequest head = HeadOf(parser.get().base(), peer, shard.options.trusted_proxies);
      match_of_head = handler.Match(head);
      std::optional<api::ApiResponse> refusal = co_await AdmitBody(head, *match_of_head, handler, pools);
      if (!refusal) {
        body_bytes = shard.limits.ReserveBody(parser.content_length().value_or(limits::kMaxBodyBytes));
        if (!body_bytes.ok()) refusal = TooManyBodies();
      }
      if (refusal) {
        co_await RefuseAndClose(conn.stream, shard.options, std::move(*refusal), parser.get().version());
        co_return;
      }
      ec = co_await ReadBody(conn, buffer, parser);
      if (ec) {
        co_await EndAfterReadFailure(conn, ec);
        co_return;
      }
    }
    if (co_await Exchange(conn, parser.release(), match_of_head, peer, handler, pools) != Next::kKeepAlive) {
      co_return;  // closed, or handed to a WebSocket session that closes it
    }
  }
  co_await Close(conn.stream);
}

// The TLS handshake, within the client timeout. A client that speaks plain
// HTTP to the TLS port is told so in plain HTTP (docs/decisions.md, "TLS").
// False when the connection is over.
awaitable<bool> Handshake(Connection<TlsStream>& conn, beast::flat_buffer& buffer) {
  conn.tcp().expires_after(conn.options().timeouts.client);
  beast::error_code ec;
  const bool tls =
      co_await beast::async_detect_ssl(conn.tcp(), buffer, boost::asio::redirect_error(use_awaitable, ec));
  if (ec) {
    CloseSocket(conn.tcp());
    co_return false;
  }
  if (!tls) {
    co_await RefuseAndClose(conn.tcp(), conn.options(), PlainHttpOnTlsPort(), 11);
    co_return false;
  }
  const size_t used = co_await conn.stream.async_handshake(boost::asio::ssl::stream_base::server, buffer.data(),
                                                           boost::asio::redirect_error(use_awaitable, ec));
  if (ec) {
    spdlog::debug("TLS handshake failed: {}", ec.message());
    CloseSocket(conn.tcp());
    co_return false;
  }
  buffer.consume(used);
  co_return true;
}

}  // namespace

awaitable<void> ServeConnection(boost::asio::ip::tcp::socket socket, Shard& shard,
                                api::RequestHandler& handler, const WorkerPools& pools) {
  Counted counted(shard);
  beast::flat_buffer buffer;
  if (!shard.tls) {
    Connection<PlainStream> conn(PlainStream(std::move(socket)), shard);
    co_await Serve(conn, buffer, handler, pools);
    co_return;
  }
  // The context of this moment, kept to the connection's end (a reload on
  // SIGHUP serves the connections after it).
  const std::shared_ptr<boost::asio::ssl::context> context = shard.tls->Current();
  Connection<TlsStream> conn(TlsStream(PlainStream(std::move(socket)), *context), shard);
  if (co_await Handshake(conn, buffer)) co_await Serve(conn, buffer, handler, pools);
}

}  // namespace kefu::http
