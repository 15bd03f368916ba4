// TLS for the black-box suite: certificates made with `openssl` for a test,
// and the client side of a TLS connection over a socket the harness opened.
// KEFU_TEST_TLS=1 runs the whole suite over TLS: every `kefud serve` the
// harness starts gets the suite's certificate, and every HttpConn speaks TLS.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <sys/types.h>

struct ssl_st;  // OpenSSL's SSL

namespace bb {

// True when KEFU_TEST_TLS=1: the suite runs over TLS.
bool TestOverTls();

// Tests that talk raw TCP to kefud (tricklers, floods, crowds of sockets)
// cannot run over TLS; their TLS side is tls_test.cc's.
#define SKIP_OVER_TLS()                                                        \
  do {                                                                         \
    if (::bb::TestOverTls()) GTEST_SKIP() << "raw TCP clients: plain HTTP only"; \
  } while (0)

struct TestCert {
  std::string cert;  // PEM paths
  std::string key;
};

// A self-signed certificate for 127.0.0.1 and localhost with common name
// `cn`, made by `openssl req` as DIR/NAME.crt and DIR/NAME.key. Throws when
// openssl fails.
TestCert MakeTestCert(const std::string& dir, const std::string& name, const std::string& cn);

// The suite's certificate (made once per process), for KEFU_TEST_TLS=1.
const TestCert& SuiteCert();

// The client side of TLS on a connected socket, which it makes non-blocking.
// Every call waits at most until its deadline.
class TlsClient {
 public:
  using Deadline = std::chrono::steady_clock::time_point;

  // Handshakes on fd (TLS 1.2 and up unless max_version says less, e.g.
  // TLS1_1_VERSION to prove kefud refuses it); throws with OpenSSL's reason.
  // The certificate is not verified: tests compare it themselves.
  TlsClient(int fd, Deadline deadline, int max_version = 0);
  ~TlsClient();
  TlsClient(const TlsClient&) = delete;
  TlsClient& operator=(const TlsClient&) = delete;

  // All of data; false when the peer is gone or the deadline passed.
  bool WriteAll(const char* data, size_t size, Deadline deadline);
  // Up to size bytes: > 0 read, 0 the peer closed (with close_notify or
  // without), -1 the deadline passed.
  ssize_t ReadSome(char* buf, size_t size, Deadline deadline);
  // Sends close_notify (without waiting for the peer's).
  void Shutdown();
  // The peer certificate's subject, "/CN=..." (OpenSSL's one-line form).
  std::string PeerSubject() const;
  // "TLSv1.3", "TLSv1.2".
  std::string Version() const;

 private:
  // Waits for what OpenSSL asked (after `ret` of an SSL call); false at the
  // deadline or on an error that ends the connection.
  bool WaitFor(int ret, Deadline deadline);
  int fd_;
  ssl_st* ssl_ = nullptr;
};

}  // namespace bb
