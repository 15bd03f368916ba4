#include "http/websocket_session.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <spdlog/spdlog.h>

namespace kefu::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using asio::use_awaitable;

template <typename Stream>
WebSocketSession<Stream>::WebSocketSession(Stream stream, std::shared_ptr<SocketOutbox> outbox,
                                   const ServerOptions& options)
    : ws_(std::move(stream)),
      outbox_(std::move(outbox)),
      options_(options),
      wake_(ws_.get_executor()),
      writer_done_(ws_.get_executor()) {}

template <typename Stream>
asio::awaitable<void> WebSocketSession<Stream>::Run(beast::http::request<beast::http::empty_body> upgrade,
                                            api::SocketHandler& handler) {
  auto self = this->shared_from_this();
  // The websocket stream keeps its own deadlines from here on.
  beast::get_lowest_layer(ws_).expires_never();
  websocket::stream_base::timeout timeouts;
  timeouts.handshake_timeout = options_.timeouts.client;
  timeouts.idle_timeout = options_.timeouts.idle;
  timeouts.keep_alive_pings = true;
  ws_.set_option(timeouts);
  ws_.read_message_max(options_.websocket.max_message_bytes);
  // Beast would name itself and its version in the handshake's answer.
  ws_.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& res) { res.set(beast::http::field::server, "kefu"); }));
  outbox_->OnWork([weak = this->weak_from_this(), ex = ws_.get_executor()] {
    asio::post(ex, [weak] {
      if (auto s = weak.lock()) s->OnWork();
    });
  });

  beast::error_code ec;
  co_await ws_.async_accept(upgrade, asio::redirect_error(use_awaitable, ec));
  if (!ec) {
    writer_running_ = true;
    asio::co_spawn(ws_.get_executor(), WriteLoop(), asio::detached);
    beast::flat_buffer buffer;
    for (;;) {
      buffer.clear();
      // Beast closes with 1009 past read_message_max, 1007 on text that is
      // not UTF-8, and answers pings itself.
      co_await ws_.async_read(buffer, asio::redirect_error(use_awaitable, ec));
      if (ec) break;
      if (!ws_.got_text()) {
        outbox_->Close(static_cast<int>(websocket::close_code::unknown_data), "text messages only");
        continue;
      }
      handler.OnMessage(std::string_view(static_cast<const char*>(buffer.data().data()), buffer.size()));
    }
  }
  if (ec != websocket::error::closed && ec != asio::error::operation_aborted && ec != beast::error::timeout) {
    spdlog::debug("websocket ended: {}", ec.message());
  }
  done_ = true;
  outbox_->Shut();
  wake_.cancel();
  // Whatever ended the reading, the writer must not wait on the socket.
  beast::get_lowest_layer(ws_).close();
  // The writer ends at once now; it runs on this same thread, so it cannot
  // end between the check and the wait.
  while (writer_running_) {
    writer_done_.expires_at(asio::steady_timer::time_point::max());
    co_await writer_done_.async_wait(asio::redirect_error(use_awaitable, ec));
  }
  handler.OnClose();
}

template <typename Stream>
void WebSocketSession<Stream>::OnWork() {
  if (outbox_->Dropped()) Drop();
  wake_.cancel();
}

template <typename Stream>
void WebSocketSession<Stream>::Drop() {
  if (done_) return;
  done_ = true;
  spdlog::info("dropping a websocket client that does not read ({} bytes queued at most)",
               options_.websocket.max_queued_bytes);
  // Aborts the stuck write and the read; Run then ends the session.
  beast::get_lowest_layer(ws_).close();
}

template <typename Stream>
void WebSocketSession<Stream>::GoingAway() {
  outbox_->Close(static_cast<int>(websocket::close_code::going_away), "server shutting down");
}

template <typename Stream>
asio::awaitable<void> WebSocketSession<Stream>::WriteLoop() {
  co_await WriteMessages();
  writer_running_ = false;
  writer_done_.cancel();
}

template <typename Stream>
asio::awaitable<void> WebSocketSession<Stream>::WriteMessages() {
  beast::error_code ec;
  while (!done_) {
    SocketOutbox::Next next = outbox_->Take();
    switch (next.kind) {
      case SocketOutbox::Next::kNothing:
        wake_.expires_at(asio::steady_timer::time_point::max());
        co_await wake_.async_wait(asio::redirect_error(use_awaitable, ec));
        break;
      case SocketOutbox::Next::kMessage:
        ws_.text(true);
        co_await ws_.async_write(asio::buffer(next.text), asio::redirect_error(use_awaitable, ec));
        if (ec) co_return;
        break;
      case SocketOutbox::Next::kClose: {
        websocket::close_reason reason;
        reason.code = static_cast<std::uint16_t>(next.code);
        reason.reason = next.reason.substr(0, reason.reason.max_size());  // a control frame's 123 bytes
        co_await ws_.async_close(reason, asio::redirect_error(use_awaitable, ec));
        co_return;
      }
      case SocketOutbox::Next::kDrop:
        Drop();
        co_return;
    }
  }
}

template class WebSocketSession<PlainStream>;
template class WebSocketSession<TlsStream>;

}  // namespace kefu::http
