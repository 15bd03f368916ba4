// One WebSocket after its upgrade: reads whole messages (within the size
// limit and the idle deadline, answering pings) into the API's SocketHandler,
// and writes the SocketOutbox's messages one at a time (as in Beast's
// chat-multi example). Only I/O: what a message means is the handler's.
// Instantiated for PlainStream (ws://) and TlsStream (wss://).
#pragma once

#include <utility>  // before Asio's awaitable.hpp, which needs std::exchange

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <memory>

#include "api/api_types.h"
#include "http/server.h"
#include "http/socket_outbox.h"
#include "http/streams.h"

namespace kefu::http {

template <typename Stream>
class WebSocketSession : public std::enable_shared_from_this<WebSocketSession<Stream>> {
 public:
  // Takes over `stream`, an HTTP connection whose upgrade request was read.
  WebSocketSession(Stream stream, std::shared_ptr<SocketOutbox> outbox,
                   const ServerOptions& options);

  // Accepts `upgrade`, then hands each text message to `handler` until the
  // socket closes for any reason; then handler.OnClose(), once, and returns.
  // Call on the connection's I/O thread, through a shared_ptr.
  boost::asio::awaitable<void> Run(boost::beast::http::request<boost::beast::http::empty_body> upgrade,
                                   api::SocketHandler& handler);

  // Shutdown (Shard::Stop): what is queued, then close frame 1001 "going away".
  void GoingAway();

 private:
  // The writer: spawned by Run, which waits for it before returning, so it
  // never outlives the session and holds no reference to it. (A co_spawn'd
  // lambda holding a shared_ptr was destroyed twice by GCC 12: ASan found a
  // use after free.)
  boost::asio::awaitable<void> WriteLoop();
  boost::asio::awaitable<void> WriteMessages();
  // The outbox has work (I/O thread): wake the writer, or drop the client at
  // once when its queue passed the bound, as its writer may be stuck.
  void OnWork();
  void Drop();

  boost::beast::websocket::stream<Stream> ws_;
  std::shared_ptr<SocketOutbox> outbox_;
  const ServerOptions& options_;
  boost::asio::steady_timer wake_;  // the writer waits on it for work
  bool done_ = false;               // reading has ended
  boost::asio::steady_timer writer_done_;  // Run waits on it for the writer to end
  bool writer_running_ = false;
};

extern template class WebSocketSession<PlainStream>;
extern template class WebSocketSession<TlsStream>;

}  // namespace kefu::http
