#include "http/connection.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
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

class Connection {
 public:
  // The accept loop counted the connection in open_connections already.
  Connection(boost::asio::ip::tcp::socket socket, Shard& shard)
      : stream(std::move(socket)), shard_(shard) {
    shard_.connections.insert(this);
  }
  ~Connection() {
    shard_.connections.erase(this);
    --shard_.open_connections;
  }

  beast::tcp_stream stream;
  bool idle = true;  // waiting for the first byte of a request
  WebSocketSession* websocket = nullptr;  // once upgraded (the session has the stream)

 private:
  Shard& shard_;
};

void Shard::Stop() {
  stopping = true;
  work.reset();
  for (Connection* c : connections) {
    if (c->websocket) {
      c->websocket->GoingAway();
    } else if (c->idle) {
      beast::error_code ignored;
      c->stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
      c->stream.socket().close(ignored);
    }
  }
}

namespace {

// After refusing a request the client may still be sending it. Closing with
// unread bytes makes the kernel reset the connection, and the client could
// lose our answer; so half-close, then read and discard for a moment. (A
// coroutine of its own: its buffer exists only while it runs, not in every
// connection's frame.)
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

// fn() where the match's cost says (http::WorkerPools).
template <typename R, typename F>
awaitable<R> RunWhereCostSays(api::Cost cost, const WorkerPools& pools, F fn) {
  if (cost == api::Cost::kQuickRead && pools.quick_reads_inline) co_return fn();
  // (An if rather than ?: around co_await: GCC 12 miscompiles the latter.)
  if (cost == api::Cost::kSlow) co_return co_await RunBlocking<R>(pools.slow, std::move(fn));
  co_return co_await RunBlocking<R>(pools.quick, std::move(fn));
}

}  // namespace

awaitable<void> ServeConnection(boost::asio::ip::tcp::socket socket, Shard& shard,
                                api::RequestHandler& handler, const WorkerPools& pools) {
  Connection conn(std::move(socket), shard);
  std::string peer;
  {
    beast::error_code ec;
    auto endpoint = conn.stream.socket().remote_endpoint(ec);
    if (!ec) peer = endpoint.address().to_string();
  }
  beast::flat_buffer buffer;
  for (;;) {
    if (shard.stopping) break;
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(limits::kMaxHeaderBytes);
    parser.body_limit(limits::kMaxBodyBytes);

    // Until the first byte the idle timeout runs. From then the headers
    // must arrive whole within the client timeout: one deadline rather than
    // one per read, so a client trickling a byte at a time cannot hold the
    // connection. The body gets the client timeout for each read (CONTRACT
    // §8: cut off after 30 s without progress) and, so that a byte every
    // 29 s is no way around it, kBodyDeadlineFactor times it in all.
    const ClientTimeouts& timeouts = shard.options.timeouts;
    beast::error_code ec;
    bool deadline_armed = false;
    auto arm_deadline = [&] {
      if (deadline_armed) return;
      conn.stream.expires_after(timeouts.client);
      deadline_armed = true;
      conn.idle = false;
    };
    conn.idle = buffer.size() == 0;
    if (conn.idle) {
      conn.stream.expires_after(timeouts.idle);
    } else {
      arm_deadline();
    }
    while (!ec && !parser.is_header_done()) {
      size_t n = co_await bhttp::async_read_some(conn.stream, buffer, parser,
                                                 boost::asio::redirect_error(use_awaitable, ec));
      if (n > 0 || buffer.size() > 0) arm_deadline();
    }
    if (!ec && parser.get()[bhttp::field::expect] == "100-continue" && !parser.is_done()) {
      bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, parser.get().version()};
      conn.stream.expires_after(timeouts.client);
      co_await bhttp::async_write(conn.stream, cont, boost::asio::redirect_error(use_awaitable, ec));
    }
    const auto body_deadline = std::chrono::steady_clock::now() + limits::kBodyDeadlineFactor * timeouts.client;
    while (!ec && !parser.is_done()) {
      conn.stream.expires_at(std::min(std::chrono::steady_clock::now() + timeouts.client, body_deadline));
      co_await bhttp::async_read_some(conn.stream, buffer, parser,
                                      boost::asio::redirect_error(use_awaitable, ec));
    }
    conn.idle = false;

    if (ec) {
      // A client that left, went quiet, or was closed at shutdown gets no answer.
      if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
          ec == boost::asio::error::operation_aborted || ec == boost::asio::error::connection_reset ||
          ec == boost::asio::error::bad_descriptor || ec == boost::asio::error::eof ||
          ec == bhttp::error::partial_message) {
        break;
      }
      auto res = ToBeastResponse(ParseFailure(ec), 11, false);
      conn.stream.expires_after(timeouts.client);
      co_await bhttp::async_write(conn.stream, res, boost::asio::redirect_error(use_awaitable, ec));
      co_await LingeringClose(conn.stream);
      break;
    }

    bhttp::request<bhttp::string_body> req = parser.release();
    const bool client_keep_alive = req.keep_alive();
    const unsigned version = req.version();
    const bool upgrade = beast::websocket::is_upgrade(req);
    bhttp::request<bhttp::empty_body> handshake;
    if (upgrade) handshake = bhttp::request<bhttp::empty_body>(req.base());
    api::ApiRequest request = ToApiRequest(std::move(req), peer, shard.options.trusted_proxies);

    const api::RouteMatch match = handler.Match(request);
    api::ApiResponse answer;
    if (auto refusal = UpgradeRefusal(request, upgrade, match)) {
      answer = std::move(*refusal);
    } else if (match.websocket) {
      auto outbox = std::make_shared<SocketOutbox>(shard.options.websocket.max_queued_bytes);
      api::SocketOpening opening = co_await RunWhereCostSays<api::SocketOpening>(
          match.cost, pools, [&handler, &request, &match, outbox] { return handler.OpenSocket(request, match, outbox); });
      if (opening.handler) {
        if (shard.stopping) {
          outbox->Shut();
          opening.handler->OnClose();
          break;
        }
        auto session = std::make_shared<WebSocketSession>(std::move(conn.stream), outbox, shard.options);
        conn.websocket = session.get();
        co_await session->Run(std::move(handshake), *opening.handler);
        conn.websocket = nullptr;
        co_return;  // the session closed the socket
      }
      answer = std::move(opening.refusal);
    } else {
      answer = co_await RunWhereCostSays<api::ApiResponse>(
          match.cost, pools, [&handler, &request, &match] { return handler.Answer(request, match); });
    }
    spdlog::debug("{} {} -> {}", request.method, request.target.substr(0, request.target.find('?')),
                  answer.status);

    const bool keep_alive = client_keep_alive && !shard.stopping;
    auto res = ToBeastResponse(std::move(answer), version, keep_alive, request.method == "HEAD");
    conn.stream.expires_after(timeouts.client);
    beast::error_code wec;
    co_await bhttp::async_write(conn.stream, res, boost::asio::redirect_error(use_awaitable, wec));
    if (wec || !keep_alive) break;
  }
  beast::error_code ignored;
  conn.stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
  conn.stream.socket().close(ignored);
}

}  // namespace kefu::http
