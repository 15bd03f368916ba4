// The WebSocket transport in process: http::Server on port 0 with a test
// RequestHandler whose routes exist only here, and Beast's websocket client.
// Waits use the server's own deadlines with generous slack, never the
// machine's speed.
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <optional>
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
constexpr std::size_t kMaxQueued = 64 * 1024;
constexpr auto kIdle = std::chrono::seconds(2);
constexpr auto kPatience = kTestPatience;
constexpr int kFloodMessages = 65536;

// Sends every message back.
class Echo : public api::SocketHandler {
 public:
  explicit Echo(std::shared_ptr<api::SocketPeer> peer) : peer_(std::move(peer)) {}
  void OnMessage(std::string_view text) override {
    // "later N": answer "later" from another thread after N ms.
    if (text.starts_with("later ")) {
      int ms = std::stoi(std::string(text.substr(6)));
      std::thread([peer = peer_, ms] {
        std::this_thread::sleep_for(std::chrono::milliseconds(ms));
        peer->Send("later");
      }).detach();
      return;
    }
    peer_->Send(std::string(text));
  }
  void OnClose() override {}

 private:
  std::shared_ptr<api::SocketPeer> peer_;
};

// On "go", sends 16 KiB messages from another thread until Send refuses,
// paced so the writer keeps the queue short while the client's socket
// buffers still take them.
struct FloodState {
  std::atomic<bool> refused{false};
  std::atomic<bool> closed{false};
  std::atomic<int> sent{0};
};
class Flood : public api::SocketHandler {
 public:
  Flood(std::shared_ptr<api::SocketPeer> peer, FloodState& state) : peer_(std::move(peer)), state_(state) {}
  ~Flood() override {
    if (thread_.joinable()) thread_.join();
  }
  void OnMessage(std::string_view) override {
    thread_ = std::thread([this] {
      const std::string chunk(16 * 1024, 'x');
      // At most 1 GiB: far more than any socket buffer holds.
      for (int i = 0; i < kFloodMessages; ++i) {
        if (!peer_->Send(chunk)) {
          state_.refused = true;
          return;
        }
        ++state_.sent;
        std::this_thread::sleep_for(100us);
      }
    });
  }
  void OnClose() override { state_.closed = true; }

 private:
  std::shared_ptr<api::SocketPeer> peer_;
  FloodState& state_;
  std::thread thread_;
};

// Routes: 0 /echo and 1 /flood (WebSocket), 2 /plain (HTTP).
class TestRoutes : public api::RequestHandler {
 public:
  FloodState flood;

  api::RouteMatch Match(const api::ApiRequest& request) override {
    api::RouteMatch m;
    if (request.target == "/echo") m.route = 0;
    if (request.target == "/flood") m.route = 1;
    if (request.target == "/plain") m.route = 2;
    m.websocket = m.route == 0 || m.route == 1;
    return m;
  }
  api::ApiResponse Answer(const api::ApiRequest&, const api::RouteMatch& match) override {
    if (match.route == 2) return api::ApiResponse{200, R"({"status":"OK"})", api::kJsonContentType, {}};
    return api::ErrorResponse(Error(Code::kNoSuchEndpoint));
  }
  api::SocketOpening OpenSocket(const api::ApiRequest&, const api::RouteMatch& match,
                                std::shared_ptr<api::SocketPeer> peer) override {
    api::SocketOpening o;
    if (match.route == 0) o.handler = std::make_unique<Echo>(std::move(peer));
    if (match.route == 1) o.handler = std::make_unique<Flood>(std::move(peer), flood);
    return o;
  }
};

using Client = WebSocketTestClient<beast::tcp_stream>;

class WebSocketTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.io_threads = 1;  // every client on one thread: none may block it
    options.timeouts.client = std::chrono::seconds(10);
    options.timeouts.idle = kIdle;
    options.websocket.max_message_bytes = kMaxMessage;
    options.websocket.max_queued_bytes = kMaxQueued;
    Configure(options);
    server_ = std::make_unique<InProcessServer>(options, routes_);
    port_ = server_->port();
    // An answer means Run() is serving, and so is waiting for SIGTERM.
    ASSERT_EQ(PlainGet("/plain").result_int(), 200u);
  }

  void TearDown() override { Stop(); }

  // A test's own changes to the options above.
  virtual void Configure(ServerOptions& options) {}

  void Stop() { server_->Stop(); }

  bhttp::response<bhttp::string_body> PlainGet(const std::string& target) {
    asio::io_context ioc;
    beast::tcp_stream stream(ioc);
    stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
    bhttp::request<bhttp::empty_body> req{bhttp::verb::get, target, 11};
    req.set(bhttp::field::host, "127.0.0.1");
    bhttp::write(stream, req);
    beast::flat_buffer buffer;
    bhttp::response<bhttp::string_body> res;
    bhttp::read(stream, buffer, res);
    return res;
  }

  TestRoutes routes_;
  std::unique_ptr<InProcessServer> server_;
  unsigned short port_ = 0;
};

TEST_F(WebSocketTest, EchoesInOrder) {
  Client c(port_);
  websocket::response_type res;
  ASSERT_FALSE(c.Handshake("/echo", &res));
  EXPECT_EQ(res[bhttp::field::server], "kefu");
  for (const char* text : {"hello", "", "世界", "third"}) ASSERT_FALSE(c.Write(text));
  for (const char* text : {"hello", "", "世界", "third"}) {
    std::string got;
    ASSERT_FALSE(c.Read(&got));
    EXPECT_EQ(got, text);
  }
  std::string at_limit(kMaxMessage, 'a');
  ASSERT_FALSE(c.Write(at_limit));
  std::string got;
  ASSERT_FALSE(c.Read(&got));
  EXPECT_EQ(got, at_limit);
}

TEST_F(WebSocketTest, OversizedMessageIsClosedWith1009) {
  Client c(port_);
  ASSERT_FALSE(c.Handshake("/echo"));
  ASSERT_FALSE(c.Write(std::string(kMaxMessage + 1, 'a')));
  EXPECT_EQ(c.Read(nullptr), websocket::error::closed);
  EXPECT_EQ(c.ws.reason().code, websocket::close_code::too_big);
}

// The idle timeout would drop a client that does not read too (it answers no
// ping); here it is far off, so only the queue's bound can.
class SlowReaderTest : public WebSocketTest {
  void Configure(ServerOptions& options) override { options.timeouts.idle = 4 * kPatience; }
};

TEST_F(SlowReaderTest, ClientThatDoesNotReadIsDroppedOthersAreServed) {
  Client slow(port_);
  ASSERT_FALSE(slow.Handshake("/flood"));
  ASSERT_FALSE(slow.Write("go"));  // and never reads again

  // Another client on the same I/O thread is answered all along.
  Client other(port_);
  ASSERT_FALSE(other.Handshake("/echo"));
  int answered = 0;
  auto echo = [&] {
    std::string text = "ping " + std::to_string(answered), got;
    ASSERT_FALSE(other.Write(text));
    ASSERT_FALSE(other.Read(&got));
    ASSERT_EQ(got, text);
    ++answered;
  };
  // The flood is refused and the slow client's socket closed, well before
  // its 1 GiB is sent (the kernel's socket buffers hold a few MiB).
  const auto deadline = std::chrono::steady_clock::now() + 2 * kPatience;
  while (!routes_.flood.closed && std::chrono::steady_clock::now() < deadline) {
    ASSERT_NO_FATAL_FAILURE(echo());
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_TRUE(routes_.flood.refused);
  EXPECT_TRUE(routes_.flood.closed);
  EXPECT_LT(routes_.flood.sent, kFloodMessages);
  RecordProperty("messages_sent_before_the_drop", routes_.flood.sent.load());
  // Dropped without a close frame; what it had been sent ends in an error.
  beast::error_code ec;
  for (int i = 0; i < kFloodMessages && !ec; ++i) ec = slow.Read(nullptr);
  EXPECT_NE(ec, websocket::error::closed);
  EXPECT_NE(ec, beast::error::timeout);

  ASSERT_NO_FATAL_FAILURE(echo());
  EXPECT_GT(answered, 1);
}

TEST_F(WebSocketTest, AnswersPingsAndPingsAnIdleClient) {
  Client c(port_);
  int pongs = 0, pings = 0;
  c.ws.control_callback([&](websocket::frame_type kind, beast::string_view payload) {
    if (kind == websocket::frame_type::pong && payload == "are you there") ++pongs;
    if (kind == websocket::frame_type::ping) ++pings;
  });
  ASSERT_FALSE(c.Handshake("/echo"));
  ASSERT_FALSE(c.Ping("are you there"));
  ASSERT_FALSE(c.Write("x"));
  std::string got;
  ASSERT_FALSE(c.Read(&got));
  EXPECT_EQ(got, "x");
  EXPECT_EQ(pongs, 1);

  // Silent for well over the idle timeout: the server pings, the client's
  // pongs keep the socket open, and the late answer arrives.
  ASSERT_FALSE(c.Write("later " + std::to_string(3 * std::chrono::milliseconds(kIdle).count())));
  ASSERT_FALSE(c.Read(&got));
  EXPECT_EQ(got, "later");
  EXPECT_GE(pings, 1);
}

TEST_F(WebSocketTest, SigtermClosesWithGoingAway) {
  Client c(port_);
  ASSERT_FALSE(c.Handshake("/echo"));
  std::string got;
  ASSERT_FALSE(c.Write("before"));
  ASSERT_FALSE(c.Read(&got));
  std::thread stopping([this] { Stop(); });  // returns once Run() has: nothing was left open
  EXPECT_EQ(c.Read(nullptr), websocket::error::closed);
  EXPECT_EQ(c.ws.reason().code, websocket::close_code::going_away);
  stopping.join();
}

class TwoConnectionsTest : public WebSocketTest {
  void Configure(ServerOptions& options) override { options.max_connections = 2; }
};

TEST_F(TwoConnectionsTest, SocketsCountAgainstMaxConnections) {
  auto first = std::make_unique<Client>(port_);
  ASSERT_FALSE(first->Handshake("/echo"));
  Client second(port_);
  ASSERT_FALSE(second.Handshake("/echo"));
  // The third waits in the listen queue, unanswered, while two sockets are
  // open (a bounded wait: nothing may happen in it) ...
  Client third(port_);
  bool answered = false;
  websocket::response_type res;
  third.ws.async_handshake(res, "127.0.0.1", "/echo", [&](beast::error_code ec) { answered = !ec; });
  third.ioc.run_for(1s);
  EXPECT_FALSE(answered);
  // ... and is served once one of them closes.
  first.reset();
  const auto deadline = std::chrono::steady_clock::now() + kPatience;
  while (!answered && std::chrono::steady_clock::now() < deadline) third.ioc.run_one_until(deadline);
  ASSERT_TRUE(answered);
  std::string got;
  ASSERT_FALSE(third.Write("third"));
  ASSERT_FALSE(third.Read(&got));
  EXPECT_EQ(got, "third");
}

TEST_F(WebSocketTest, UpgradeAndRouteMustAgree) {
  // A plain request to a WebSocket path: 426.
  auto plain = PlainGet("/echo");
  EXPECT_EQ(plain.result_int(), 426u);
  EXPECT_NE(plain.body().find("\"API_426\""), std::string::npos) << plain.body();
  EXPECT_EQ(plain[bhttp::field::upgrade], "websocket");
  // An upgrade to a plain path: 400; to no path: the handler's 404.
  for (auto [path, status, code] : {std::tuple{"/plain", 400u, "\"API_001\""}, {"/nowhere", 404u, "\"API_404\""}}) {
    Client c(port_);
    websocket::response_type res;
    EXPECT_TRUE(c.Handshake(path, &res)) << path;
    EXPECT_EQ(res.result_int(), status) << path;
    EXPECT_NE(res.body().find(code), std::string::npos) << res.body();
  }
}

}  // namespace
}  // namespace kefu::http
