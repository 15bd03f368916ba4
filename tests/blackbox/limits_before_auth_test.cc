// Limits that hold before a request is authenticated (docs/decisions.md,
// "Connections"): one client address holds at most its cap of connections;
// a body is read only for a request whose headers pass the gate (path,
// method, token); and the bytes of bodies read at once are bounded across
// the process, so connections trickling or flooding bodies hold bounded
// memory while other clients are served.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <map>
#include <thread>

#include "connection_support.h"
#include "harness.h"

namespace bb {
namespace {

using std::chrono::milliseconds;

// A blocking socket from `source` (another loopback address is another
// client address) to kefud; -1 on failure.
int ConnectFrom(const char* source, int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in from{};
  from.sin_family = AF_INET;
  inet_pton(AF_INET, source, &from.sin_addr);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0 ||
      connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// True once `got` holds one whole answer (its headers and Content-Length bytes).
bool WholeAnswer(const std::string& got) {
  const size_t end = got.find("\r\n\r\n");
  if (end == std::string::npos) return false;
  const size_t at = got.find("Content-Length: ");
  if (at == std::string::npos || at > end) return true;
  return got.size() >= end + 4 + std::stoul(got.substr(at + 16));
}

// One client connection from a source address: raw bytes over TCP, or over
// TLS when the suite runs over TLS (the limits hold on both).
class Client {
 public:
  Client(const char* source, int port) : fd_(ConnectFrom(source, port)) {
    if (fd_ >= 0 && TestOverTls()) {
      tls_ = std::make_unique<TlsClient>(fd_, std::chrono::steady_clock::now() + std::chrono::seconds(20));
    }
  }
  ~Client() { Close(); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool ok() const { return fd_ >= 0; }
  void Close() {
    tls_.reset();
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }

  bool Send(std::string_view bytes) {
    if (fd_ < 0) return false;
    if (tls_) {
      return tls_->WriteAll(bytes.data(), bytes.size(), std::chrono::steady_clock::now() + std::chrono::seconds(20));
    }
    while (!bytes.empty()) {
      ssize_t n = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // What the server sends within `wait`: one whole answer, or what came
  // before it closed or the wait ended.
  std::string ReadFor(milliseconds wait) {
    const auto until = std::chrono::steady_clock::now() + wait;
    while (!WholeAnswer(got_) && ReadSome(until)) {
    }
    return std::exchange(got_, {});
  }

  // Whether anything of an answer has come, without waiting.
  bool Answered() {
    ReadSome(std::chrono::steady_clock::now());
    return !got_.empty();
  }

 private:
  // Appends what arrives before `until`; false when nothing did (or the
  // peer closed).
  bool ReadSome(std::chrono::steady_clock::time_point until) {
    char buf[4096];
    ssize_t n;
    if (tls_) {
      n = tls_->ReadSome(buf, sizeof buf, until);
    } else {
      auto left = std::chrono::duration_cast<milliseconds>(until - std::chrono::steady_clock::now()).count();
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(std::max<long long>(left, 0))) <= 0) return false;
      n = recv(fd_, buf, sizeof buf, 0);
    }
    if (n <= 0) return false;
    got_.append(buf, static_cast<size_t>(n));
    return true;
  }

  int fd_;
  std::unique_ptr<TlsClient> tls_;
  std::string got_;
};

bool Is429(const std::string& raw) {
  return raw.starts_with("HTTP/1.1 429") && raw.find("\"errorCode\":\"API_429\"") != std::string::npos &&
         raw.find("Retry-After: ") != std::string::npos;
}

std::string PostHead(const std::string& token, size_t content_length, const std::string& extra = "") {
  return "POST /api/tenants/1/agent HTTP/1.1\r\nHost: 127.0.0.1\r\nKefu-Token: " + token +
         "\r\nContent-Type: application/json\r\n" + extra + "Content-Length: " + std::to_string(content_length) +
         "\r\n\r\n";
}

class LimitsBeforeAuthTest : public KefuTest {
 protected:
  void SetUp() override {
    KefuTest::SetUp();
    Demo(2);
  }
  void TearDown() override {
    clients_.clear();
    KefuTest::TearDown();
  }
  // A connection from `source`, kept open until the test ends or it is let go.
  Client& Open(const char* source) {
    clients_.push_back(std::make_unique<Client>(source, server_.port()));
    return *clients_.back();
  }
  // GET roles from `source` on a connection of its own.
  bool ServedFrom(const char* source, const std::string& token) {
    Client& c = Open(source);
    const std::string get = "GET /api/tenants/1/roles HTTP/1.1\r\nHost: x\r\nConnection: close\r\nKefu-Token: " + token + "\r\n\r\n";
    return c.ok() && c.Send(get) && c.ReadFor(milliseconds(10000)).starts_with("HTTP/1.1 200");
  }
  std::vector<std::unique_ptr<Client>> clients_;
};

TEST_F(LimitsBeforeAuthTest, AnAddressPastItsConnectionCapIsRefusedOthersAreServed) {
  if (OnPostgres()) GTEST_SKIP() << "the HTTP layer only; SQLite covers it";
  constexpr int kCap = 20;
  StartServer({"--max-connections-per-address", std::to_string(kCap)});
  const std::string token = DemoToken();
  // (From 127.0.0.4, an address the harness never used, so its count
  // starts at zero.) kCap + 1 connections: exactly one is refused, whichever
  // kefud's I/O threads take last, and the others are held.
  std::vector<Client*> capped;
  for (int i = 0; i < kCap + 1; ++i) {
    Client& c = Open("127.0.0.4");
    ASSERT_TRUE(c.ok()) << i;
    capped.push_back(&c);
  }
  std::vector<std::string> refusals;
  Client* refused = nullptr;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);  // the client timeout
  while (refusals.empty() && std::chrono::steady_clock::now() < until) {
    for (Client* c : capped) {
      if (c->Answered()) {
        refusals.push_back(c->ReadFor(milliseconds(10000)));
        refused = c;
      }
    }
    std::this_thread::sleep_for(milliseconds(20));
  }
  // A moment more for a second refusal, which there must not be.
  std::this_thread::sleep_for(milliseconds(500));
  for (Client* c : capped) {
    if (c != refused && c->Answered()) refusals.push_back(c->ReadFor(milliseconds(10000)));
  }
  ASSERT_EQ(refusals.size(), 1u) << "exactly one connection past the cap is refused";
  EXPECT_TRUE(Is429(refusals[0])) << refusals[0];
  EXPECT_NE(refusals[0].find("Connection: close"), std::string::npos) << refusals[0];
  // Another address is served while the first holds its cap.
  EXPECT_TRUE(ServedFrom("127.0.0.3", token));
  // When one of those held leaves, the address may connect again (as soon
  // as kefud has seen it go).
  (capped[0] == refused ? capped[1] : capped[0])->Close();
  bool served = false;
  while (!served && std::chrono::steady_clock::now() < until + std::chrono::seconds(30)) {
    served = ServedFrom("127.0.0.4", token);
    if (!served) std::this_thread::sleep_for(milliseconds(100));
  }
  EXPECT_TRUE(served);
}

TEST_F(LimitsBeforeAuthTest, ABodyWithABadTokenIsRefusedBeforeItIsRead) {
  if (OnPostgres()) GTEST_SKIP() << "the HTTP layer only; SQLite covers it";
  StartServer();
  const std::string before = Snap();
  // Headers announcing a body, and no body: the answer comes at once.
  Client& c = Open("127.0.0.1");
  ASSERT_TRUE(c.Send(PostHead("not-a-token", 100000)));
  const std::string answer = c.ReadFor(milliseconds(10000));
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 401")) << answer;
  EXPECT_NE(answer.find("\"errorCode\":\"API_002\""), std::string::npos) << answer;
  // A client that asks before sending is told no, and never to continue.
  Client& asking = Open("127.0.0.1");
  ASSERT_TRUE(asking.Send(PostHead("not-a-token", 100000, "Expect: 100-continue\r\n")));
  const std::string told = asking.ReadFor(milliseconds(10000));
  EXPECT_TRUE(told.starts_with("HTTP/1.1 401")) << told;
  // An unknown path is refused from its headers too.
  Client& lost = Open("127.0.0.1");
  ASSERT_TRUE(lost.Send("POST /api/tenants/1/nowhere HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n"));
  EXPECT_TRUE(lost.ReadFor(milliseconds(10000)).starts_with("HTTP/1.1 404"));
  EXPECT_TRUE(SameSnapshot(before, Snap()));
}

// Forty connections of one address announce 1 MiB bodies against a budget
// of 8 MiB: eight are read, the other thirty-two are refused before their
// bodies; the eight then send all but a byte, and kefud's memory grows by
// about the budget, not by forty bodies. Other addresses are served
// meanwhile, and once the bodies end the budget is free again.
TEST_F(LimitsBeforeAuthTest, BodiesReadAtOnceStayWithinTheBudget) {
  if (OnPostgres()) GTEST_SKIP() << "the HTTP layer only; SQLite covers it";
  constexpr size_t kMiB = 1024 * 1024;
  constexpr int kClients = 40, kAdmitted = 8;
  StartServer({"--max-body-bytes-in-flight", std::to_string(kAdmitted * kMiB)});
  const std::string token = DemoToken();
  http_->Close();
  const long rss_before = StatusKib(server_.pid(), "VmRSS");

  std::vector<Client*> clients;
  for (int i = 0; i < kClients; ++i) {
    Client& c = Open("127.0.0.1");
    ASSERT_TRUE(c.ok());
    ASSERT_TRUE(c.Send(PostHead(token, kMiB)));
    clients.push_back(&c);
  }
  // The refusals come at once; wait for them all (or 20 s), then a moment
  // more for any other answer, which there must not be.
  std::map<Client*, std::string> answers;
  auto collect = [&](milliseconds wait) {
    auto until = std::chrono::steady_clock::now() + wait;
    while (std::chrono::steady_clock::now() < until && answers.size() < clients.size()) {
      for (Client* c : clients) {
        if (!answers.count(c) && c->Answered()) answers[c] = c->ReadFor(milliseconds(3000));
      }
      std::this_thread::sleep_for(milliseconds(20));
      if (answers.size() >= static_cast<size_t>(kClients - kAdmitted)) break;
    }
  };
  collect(milliseconds(20000));
  collect(milliseconds(1000));
  std::vector<Client*> admitted;
  int refused = 0;
  for (Client* c : clients) {
    if (!answers.count(c)) {
      admitted.push_back(c);
    } else {
      EXPECT_TRUE(Is429(answers[c])) << answers[c];
      ++refused;
    }
  }
  EXPECT_EQ(static_cast<int>(admitted.size()), kAdmitted);
  EXPECT_EQ(refused, kClients - kAdmitted);

  const std::string almost(kMiB - 1, 'a');
  for (Client* c : admitted) ASSERT_TRUE(c->Send(almost));
  EXPECT_TRUE(ServedFrom("127.0.0.2", token));
  const long rss_during = StatusKib(server_.pid(), "VmRSS");
  const long grown_kib = rss_during - rss_before;
  std::cout << "[ info ] kefud RSS " << rss_before << " KiB before, " << rss_during << " KiB with " << kAdmitted
            << " bodies of 1 MiB held (+" << grown_kib << " KiB); " << refused << " refused before their bodies\n";
#ifdef KEFU_SANITIZED_BUILD
  constexpr long kBoundKib = 512 * 1024;  // ASan's shadow and quarantine
#else
  constexpr long kBoundKib = 4 * kAdmitted * 1024;  // a body, its buffer's growth, and slack
#endif
  EXPECT_LT(grown_kib, kBoundKib);

  // The last byte of each: answered (not JSON: API_001), and the budget is free.
  for (Client* c : admitted) {
    ASSERT_TRUE(c->Send("a"));
    const std::string answer = c->ReadFor(milliseconds(10000));
    EXPECT_TRUE(answer.starts_with("HTTP/1.1 400")) << answer.substr(0, 300);
  }
  Client& next = Open("127.0.0.1");
  ASSERT_TRUE(next.Send(PostHead(token, 2) + "{}"));
  EXPECT_TRUE(next.ReadFor(milliseconds(10000)).starts_with("HTTP/1.1 400")) << "served, not refused";
}

// One address holds its whole default cap of 1,000 connections, each with
// a POST whose 1,000-byte body comes a byte a second: kefud admits them all
// (1 MB of bodies is far within the 64 MiB budget) and refuses one more of
// that address with API_429 (whichever its I/O threads take last), serves
// another address all along, and its memory grows by the connections' own
// state only (bench/README.md has the figures).
TEST_F(LimitsBeforeAuthTest, AnAddressAtItsCapTricklingBodiesHoldsBoundedMemory) {
  if (OnPostgres()) GTEST_SKIP() << "the HTTP layer only; SQLite covers it";
  constexpr int kCap = 1000;  // --max-connections-per-address's default
  constexpr int kBodyBytes = 1000;
  constexpr int kSeconds = 10;
  if (RaiseDescriptorLimit() < kCap + 200) GTEST_SKIP() << "needs about 1,200 descriptors (ulimit -Hn)";
  StartServer();
  const std::string token = DemoToken();
  http_->Close();
  // (The tricklers come from 127.0.0.3, an address the harness never used,
  // so its count starts at zero.)
  const long rss_before = StatusKib(server_.pid(), "VmRSS");
  std::vector<Client*> tricklers;
  for (int i = 0; i < kCap + 1; ++i) {
    Client& c = Open("127.0.0.3");
    ASSERT_TRUE(c.ok()) << i;
    c.Send(PostHead(token, kBodyBytes));  // (the refused one may be closed already)
    tricklers.push_back(&c);
  }

  std::vector<std::string> refusals;
  int served = 0;
  for (int second = 0; second < kSeconds; ++second) {
    const auto next = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    for (Client*& c : tricklers) {
      if (c && c->Answered()) {
        refusals.push_back(c->ReadFor(milliseconds(10000)));
        c = nullptr;
      }
      if (c) ASSERT_TRUE(c->Send("a")) << "a trickler was closed without an answer";
    }
    if (ServedFrom("127.0.0.2", token)) ++served;
    std::this_thread::sleep_until(next);
  }
  const long rss_during = StatusKib(server_.pid(), "VmRSS");
  const long grown_kib = rss_during - rss_before;
  std::cout << "[ info ] " << kCap << " connections of one address trickling bodies a byte a second for "
            << kSeconds << " s" << (TestOverTls() ? " over TLS" : "") << ": kefud RSS " << rss_before
            << " KiB before, " << rss_during << " KiB after (+" << grown_kib << " KiB, "
            << grown_kib * 1024 / kCap << " bytes a connection)\n";
  ASSERT_EQ(refusals.size(), 1u) << "exactly one connection past the cap is refused";
  EXPECT_TRUE(Is429(refusals[0])) << refusals[0];
  EXPECT_EQ(served, kSeconds) << "another address was not served every second";
#ifdef KEFU_SANITIZED_BUILD
  constexpr long kBoundKib = 512 * 1024;  // ASan's shadow and quarantine
#else
  // Per connection: its buffers and coroutine frame (a few KiB), and over
  // TLS the TLS engine's record buffers (about 70 KiB with OpenSSL's).
  const long kBoundKib = (TestOverTls() ? 128 : 32) * kCap;
#endif
  EXPECT_LT(grown_kib, kBoundKib);
}

}  // namespace
}  // namespace bb
