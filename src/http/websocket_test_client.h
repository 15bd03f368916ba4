// A Beast WebSocket client for the transport's in-process tests
// (websocket_test.cc over TCP, tls_websocket_test.cc over TLS): connected at
// construction, every operation run to its end or given up after a limit.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace kefu::http {

// Far beyond any deadline of the servers under test.
inline constexpr auto kTestPatience = std::chrono::seconds(30);

template <typename Stream>
class WebSocketTestClient {
 public:
  // `stream_args` after the io_context build the stream (an ssl::context for TLS).
  template <typename... StreamArgs>
  explicit WebSocketTestClient(unsigned short port, StreamArgs&... stream_args) : ws(ioc, stream_args...) {
    boost::beast::get_lowest_layer(ws).connect(
        boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
  }

  boost::beast::error_code Handshake(const std::string& path,
                                     boost::beast::websocket::response_type* res = nullptr) {
    boost::beast::websocket::response_type ignored;
    return Await([&](auto done) { ws.async_handshake(res ? *res : ignored, "127.0.0.1", path, done); });
  }
  boost::beast::error_code Write(const std::string& text) {
    return Await([&](auto done) { ws.async_write(boost::asio::buffer(text), done); });
  }
  boost::beast::error_code Read(std::string* text, std::chrono::seconds limit = kTestPatience) {
    buffer.clear();
    auto ec = Await([&](auto done) { ws.async_read(buffer, done); }, limit);
    if (!ec && text) *text = boost::beast::buffers_to_string(buffer.data());
    return ec;
  }
  boost::beast::error_code Ping(const std::string& payload) {
    return Await([&](auto done) { ws.async_ping(boost::beast::websocket::ping_data(payload.c_str()), done); });
  }

  // Starts an operation with `start(handler)` and runs it to its end, or
  // closes the socket after `limit` and answers timeout.
  template <typename Start>
  boost::beast::error_code Await(Start start, std::chrono::seconds limit = kTestPatience) {
    std::optional<boost::beast::error_code> result;
    start([&result](boost::beast::error_code ec, auto&&...) { result = ec; });
    ioc.restart();
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!result && std::chrono::steady_clock::now() < deadline) ioc.run_one_until(deadline);
    if (!result) {
      boost::beast::get_lowest_layer(ws).close();
      ioc.restart();
      ioc.run_for(std::chrono::seconds(1));
      return boost::beast::error::timeout;
    }
    return *result;
  }

  boost::asio::io_context ioc;
  boost::beast::websocket::stream<Stream> ws;
  boost::beast::flat_buffer buffer;
};

}  // namespace kefu::http
