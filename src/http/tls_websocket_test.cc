// WSS in process: http::Server with a certificate made by `openssl` for the
// test, a WebSocket route that exists only here, and Beast's websocket client
// over its SSL stream. The WebSocket session is the same template over TLS
// as over TCP (websocket_test.cc proves the rest of its discipline there);
// this proves the TLS instance: echo, the size limit, and shutdown's close.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "api/error_mapping.h"
#include "http/in_process_server.h"
#include "http/websocket_test_client.h"

namespace kefu::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace websocket = boost::beast::websocket;
using namespace std::chrono_literals;

constexpr std::size_t kMaxMessage = 1024;

// Answers each message with "echo: " and the message.
class Prefixer : public api::SocketHandler {
 public:
  explicit Prefixer(std::shared_ptr<api::SocketPeer> peer) : peer_(std::move(peer)) {}
  void OnMessage(std::string_view text) override { peer_->Send("echo: " + std::string(text)); }
  void OnClose() override {}

 private:
  std::shared_ptr<api::SocketPeer> peer_;
};

// One route: /wss, a WebSocket.
class OneSocketRoute : public api::RequestHandler {
 public:
  api::RouteMatch Match(const api::ApiRequest& request) override {
    api::RouteMatch m;
    m.route = request.target == "/wss" ? 0 : -1;
    m.websocket = m.route == 0;
    return m;
  }
  api::ApiResponse Answer(const api::ApiRequest&, const api::RouteMatch&) override {
    return api::ErrorResponse(Error(Code::kNoSuchEndpoint));
  }
  api::SocketOpening OpenSocket(const api::ApiRequest&, const api::RouteMatch&,
                                std::shared_ptr<api::SocketPeer> peer) override {
    api::SocketOpening o;
    o.handler = std::make_unique<Prefixer>(std::move(peer));
    return o;
  }
};

// A self-signed pair in a directory of its own, removed at the end.
class TestCertificate {
 public:
  TestCertificate() {
    char dir[] = "/tmp/kefu-tls-XXXXXX";
    if (!mkdtemp(dir)) throw std::runtime_error("mkdtemp failed");
    dir_ = dir;
    const std::string command = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 "
                                "-subj /CN=localhost -keyout " + key() + " -out " + cert() + " 2>/dev/null";
    if (std::system(command.c_str()) != 0) throw std::runtime_error("openssl req failed: " + command);
  }
  ~TestCertificate() { std::filesystem::remove_all(dir_); }
  std::string cert() const { return dir_ + "/test.crt"; }
  std::string key() const { return dir_ + "/test.key"; }

 private:
  std::string dir_;
};

// The client side's TLS: the test's own certificate is not verified.
boost::asio::ssl::context& ClientTls() {
  static asio::ssl::context tls = [] {
    asio::ssl::context c(asio::ssl::context::tls_client);
    c.set_verify_mode(asio::ssl::verify_none);
    return c;
  }();
  return tls;
}

// A WSS client: TCP, then the TLS handshake, then the WebSocket one.
class WssClient : public WebSocketTestClient<beast::ssl_stream<beast::tcp_stream>> {
 public:
  explicit WssClient(unsigned short port) : WebSocketTestClient(port, ClientTls()) {}
  beast::error_code Handshake(const std::string& path) {
    beast::error_code ec =
        Await([&](auto done) { ws.next_layer().async_handshake(asio::ssl::stream_base::client, done); });
    return ec ? ec : WebSocketTestClient::Handshake(path);
  }
};

class TlsWebSocketTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.io_threads = 1;
    options.timeouts.client = std::chrono::seconds(10);
    options.websocket.max_message_bytes = kMaxMessage;
    options.tls = TlsFiles{certificate_.cert(), certificate_.key()};
    server_ = std::make_unique<InProcessServer>(options, routes_);
    port_ = server_->port();
    // A handshake answered means Run() is serving, and so is waiting for SIGTERM.
    WssClient probe(port_);
    ASSERT_FALSE(probe.Handshake("/wss"));
  }

  void TearDown() override { Stop(); }
  void Stop() { server_->Stop(); }

  TestCertificate certificate_;
  OneSocketRoute routes_;
  std::unique_ptr<InProcessServer> server_;
  unsigned short port_ = 0;
};

TEST_F(TlsWebSocketTest, EchoesOverWss) {
  WssClient c(port_);
  ASSERT_FALSE(c.Handshake("/wss"));
  for (const char* text : {"hello", "世界"}) {
    ASSERT_FALSE(c.Write(text));
    std::string got;
    ASSERT_FALSE(c.Read(&got));
    EXPECT_EQ(got, std::string("echo: ") + text);
  }
}

TEST_F(TlsWebSocketTest, AnOversizedMessageIsClosedWith1009) {
  WssClient c(port_);
  ASSERT_FALSE(c.Handshake("/wss"));
  ASSERT_FALSE(c.Write(std::string(kMaxMessage + 1, 'a')));
  EXPECT_EQ(c.Read(nullptr), websocket::error::closed);
  EXPECT_EQ(c.ws.reason().code, websocket::close_code::too_big);
}

TEST_F(TlsWebSocketTest, SigtermClosesWith1001) {
  WssClient c(port_);
  ASSERT_FALSE(c.Handshake("/wss"));
  ASSERT_FALSE(c.Write("before"));
  std::string got;
  ASSERT_FALSE(c.Read(&got));
  std::thread stopping([this] { Stop(); });
  EXPECT_EQ(c.Read(nullptr), websocket::error::closed);
  EXPECT_EQ(c.ws.reason().code, websocket::close_code::going_away);
  stopping.join();
}

}  // namespace
}  // namespace kefu::http
