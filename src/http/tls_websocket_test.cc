// WSS in process: http::Server with a certificate made by `openssl` for the
// test, a WebSocket route that exists only here, and Beast's websocket client
// over its SSL stream. The WebSocket session is the same template over TLS
// as over TCP (websocket_test.cc proves the rest of its discipline there);
// this proves the TLS instance: echo, the size limit, and shutdown's close.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <optional>
#include <thread>

#include "api/error_mapping.h"
#include "http/server.h"

namespace kefu::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace websocket = boost::beast::websocket;
using namespace std::chrono_literals;

constexpr std::size_t kMaxMessage = 1024;
constexpr auto kPatience = std::chrono::seconds(30);  // far beyond any deadline here

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

// A WSS client whose every operation gives up after kPatience.
class WssClient {
 public:
  explicit WssClient(unsigned short port) {
    tls.set_verify_mode(asio::ssl::verify_none);  // the test's own certificate
    beast::get_lowest_layer(ws).connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  }

  beast::error_code Handshake(const std::string& path) {
    beast::error_code ec = Await([&](auto done) { ws.next_layer().async_handshake(asio::ssl::stream_base::client, done); });
    if (ec) return ec;
    return Await([&](auto done) { ws.async_handshake("127.0.0.1", path, done); });
  }
  beast::error_code Write(const std::string& text) {
    return Await([&](auto done) { ws.async_write(asio::buffer(text), done); });
  }
  beast::error_code Read(std::string* text) {
    buffer.clear();
    auto ec = Await([&](auto done) { ws.async_read(buffer, done); });
    if (!ec && text) *text = beast::buffers_to_string(buffer.data());
    return ec;
  }

  asio::io_context ioc;
  asio::ssl::context tls{asio::ssl::context::tls_client};
  websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws{ioc, tls};
  beast::flat_buffer buffer;

 private:
  template <typename Start>
  beast::error_code Await(Start start) {
    std::optional<beast::error_code> result;
    start([&result](beast::error_code ec, auto&&...) { result = ec; });
    ioc.restart();
    const auto deadline = std::chrono::steady_clock::now() + kPatience;
    while (!result && std::chrono::steady_clock::now() < deadline) ioc.run_one_until(deadline);
    if (!result) {
      beast::get_lowest_layer(ws).close();
      return beast::error::timeout;
    }
    return *result;
  }
};

class TlsWebSocketTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.host = "127.0.0.1";
    options.port = "0";
    options.io_threads = 1;
    options.timeouts.client = std::chrono::seconds(10);
    options.websocket.max_message_bytes = kMaxMessage;
    options.tls = TlsFiles{certificate_.cert(), certificate_.key()};
    server_ = std::make_unique<Server>(options, routes_, WorkerPools{quick_, slow_, false});
    ASSERT_TRUE(server_->Listen().ok());
    std::string address = server_->LocalAddress();
    port_ = static_cast<unsigned short>(std::stoi(address.substr(address.rfind(':') + 1)));
    running_ = std::thread([this] { server_->Run(); });
  }

  void TearDown() override { Stop(); }

  void Stop() {
    if (!running_.joinable()) return;
    kill(getpid(), SIGTERM);
    running_.join();
  }

  TestCertificate certificate_;
  asio::thread_pool quick_{2};
  asio::thread_pool slow_{1};
  OneSocketRoute routes_;
  std::unique_ptr<Server> server_;
  std::thread running_;
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
