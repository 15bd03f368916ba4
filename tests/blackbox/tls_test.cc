// kefud serve --tls-cert/--tls-key (docs/decisions.md, "TLS"): HTTPS with
// certificates made by openssl for the test, TLS 1.2 and up only, a JSON
// answer to plain HTTP on the TLS port, the pair reloaded on SIGHUP (and kept
// when the new one does not load), clear errors at start, and the limits of
// plain connections on TLS ones too.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "harness.h"

namespace bb {
namespace {

using Clock = std::chrono::steady_clock;

// A blocking TCP connection to 127.0.0.1:port; the caller closes it.
int ConnectTcp(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<uint16_t>(port));
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
    throw std::runtime_error("connect failed");
  }
  return fd;
}

// How many lines of `log` contain `needle`.
int CountLines(const std::string& log, const std::string& needle) {
  int n = 0;
  for (size_t at = log.find(needle); at != std::string::npos; at = log.find(needle, at + 1)) ++n;
  return n;
}

void CopyFile(const std::string& from, const std::string& to) {
  std::filesystem::copy_file(from, to, std::filesystem::copy_options::overwrite_existing);
}

class TlsTest : public KefuTest {
 protected:
  void SetUp() override {
    KefuTest::SetUp();
    Demo();
    first_ = MakeTestCert(dir_->path(), "first", "first");
    second_ = MakeTestCert(dir_->path(), "second", "second");
    // The paths kefud is given; the tests change what they hold.
    cert_ = dir_->File("serving.crt");
    key_ = dir_->File("serving.key");
    CopyFile(first_.cert, cert_);
    CopyFile(first_.key, key_);
  }

  void StartTls(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--tls-cert", cert_, "--tls-key", key_};
    args.insert(args.end(), extra.begin(), extra.end());
    StartServer(args);
    ASSERT_TRUE(server_.tls());
  }

  std::unique_ptr<HttpConn> TlsConn() { return std::make_unique<HttpConn>(server_.port(), 20000, true); }

  // Sends SIGHUP and waits for kefud to log that it handled it (`outcome`:
  // "reloaded" or "still serving").
  void Hangup(const std::string& outcome) {
    const int before = CountLines(server_.Log(), outcome);
    ASSERT_EQ(kill(server_.pid(), SIGHUP), 0);
    const auto deadline = Clock::now() + std::chrono::seconds(30);
    while (CountLines(server_.Log(), outcome) == before) {
      ASSERT_LT(Clock::now(), deadline) << "no '" << outcome << "' after SIGHUP; log:\n" << server_.Log();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  std::string Subject(HttpConn& c) {
    EXPECT_TRUE(IsOk(c.Request("GET", "/healthz")));
    return c.tls() ? c.tls()->PeerSubject() : "";
  }

  TestCert first_, second_;
  std::string cert_, key_;
};

TEST_F(TlsTest, HttpsServesTheApiWithTheGivenCertificate) {
  StartTls();
  auto c = TlsConn();
  const std::string token = IssueToken(1, kDemoClientId, kDemoSecretId);
  Response r = c->Request("GET", "/api/tenants/1/roles", {}, {{"Kefu-Token", token}});
  ASSERT_TRUE(IsOk(r)) << Describe(r);
  EXPECT_EQ(r.Header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(c->tls()->PeerSubject(), "/CN=first");
  EXPECT_EQ(c->tls()->Version(), "TLSv1.3");
  // Keep-alive holds over TLS: a second request on the same connection.
  EXPECT_TRUE(IsOk(c->Request("GET", "/api/tenants/1/roles", {}, {{"Kefu-Token", token}})));
  EXPECT_TRUE(c->connected());
}

TEST_F(TlsTest, TlsOlderThanOnePointTwoIsRefused) {
  StartTls();
  for (int version : {TLS1_VERSION, TLS1_1_VERSION}) {
    const int fd = ConnectTcp(server_.port());
    EXPECT_THROW(TlsClient(fd, Clock::now() + std::chrono::seconds(20), version), std::runtime_error)
        << "TLS version " << std::hex << version;
    close(fd);
  }
  const int fd = ConnectTcp(server_.port());
  TlsClient tls12(fd, Clock::now() + std::chrono::seconds(20), TLS1_2_VERSION);
  EXPECT_EQ(tls12.Version(), "TLSv1.2");
  close(fd);
}

TEST_F(TlsTest, PlainHttpOnTheTlsPortGetsAJsonError) {
  StartTls();
  HttpConn plain(server_.port(), 20000, false);
  Response r = plain.Request("GET", "/healthz");
  ASSERT_TRUE(IsError(r, 400, "API_001")) << Describe(r);
  EXPECT_NE(r.body.find("this port speaks HTTPS only: use https://"), std::string::npos) << r.body;
  EXPECT_FALSE(r.keep_alive);
  EXPECT_TRUE(plain.PeerClosed());
}

TEST_F(TlsTest, SighupReloadsThePairForNewConnectionsOnly) {
  StartTls();
  auto before = TlsConn();
  ASSERT_EQ(Subject(*before), "/CN=first");

  CopyFile(second_.cert, cert_);
  CopyFile(second_.key, key_);
  Hangup("SIGHUP: reloaded");
  auto after = TlsConn();
  EXPECT_EQ(Subject(*after), "/CN=second");
  // The connection made before goes on with what it had.
  EXPECT_TRUE(IsOk(before->Request("GET", "/healthz")));
  EXPECT_EQ(before->tls()->PeerSubject(), "/CN=first");

  // A pair that does not load changes nothing: still the second.
  std::ofstream(cert_) << "not a certificate\n";
  Hangup("still serving the pair loaded before");
  HttpConn again(server_.port(), 20000, true);
  EXPECT_EQ(Subject(again), "/CN=second");
  // A key that does not belong to the certificate neither.
  CopyFile(first_.cert, cert_);
  Hangup("still serving the pair loaded before");
  HttpConn mismatched(server_.port(), 20000, true);
  EXPECT_EQ(Subject(mismatched), "/CN=second");
  EXPECT_NE(server_.Log().find("does not belong to the certificate"), std::string::npos) << server_.Log();
  EXPECT_TRUE(server_.running());
}

TEST_F(TlsTest, AStartWithAPairThatDoesNotLoadFailsClearly) {
  // The key of another certificate.
  CmdResult r = RunKefud({"serve", "--db", db_, "--listen", "127.0.0.1:0", "--tls-cert", first_.cert,
                          "--tls-key", second_.key});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE((r.out + r.err).find("does not belong to the certificate"), std::string::npos) << r.out << r.err;
  // Not PEM.
  std::ofstream(dir_->File("junk.crt")) << "junk\n";
  r = RunKefud({"serve", "--db", db_, "--listen", "127.0.0.1:0", "--tls-cert", dir_->File("junk.crt"),
                "--tls-key", first_.key});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE((r.out + r.err).find("cannot load the TLS certificate"), std::string::npos) << r.out << r.err;
  // One without the other.
  r = RunKefud({"serve", "--db", db_, "--listen", "127.0.0.1:0", "--tls-cert", first_.cert});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("--tls-key"), std::string::npos) << r.err;
  // A file that is not there.
  r = RunKefud({"serve", "--db", db_, "--listen", "127.0.0.1:0", "--tls-cert", dir_->File("none.crt"),
                "--tls-key", first_.key});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("none.crt"), std::string::npos) << r.err;
}

TEST_F(TlsTest, AClientThatNeverHandshakesIsClosedAtTheClientTimeout) {
  // The handshake is held to --client-timeout, not to the idle timeout.
  StartTls({"--client-timeout", "1", "--idle-timeout", "600"});
  const int fd = ConnectTcp(server_.port());
  timeval wait{60, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
  char byte;
  const auto start = Clock::now();
  const ssize_t n = recv(fd, &byte, 1, 0);
  close(fd);
  EXPECT_EQ(n, 0) << "kefud closed it (not the 60 s receive timeout)";
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(60));
}

TEST_F(TlsTest, SigtermWithAnIdleTlsConnectionExitsZero) {
  StartTls();
  auto idle = TlsConn();
  ASSERT_TRUE(IsOk(idle->Request("GET", "/healthz")));
  // Within Stop's 15 s, well before the 30 s shutdown grace that an idle
  // connection left open would cost.
  EXPECT_EQ(server_.Stop(15), 0);
}

}  // namespace
}  // namespace bb
