#include "tls_support.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <fcntl.h>
#include <poll.h>

#include <cstdlib>
#include <mutex>
#include <stdexcept>

#include "harness.h"

namespace bb {
namespace {

using Clock = std::chrono::steady_clock;

std::string OpenSslError(const std::string& what) {
  std::string out = what;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    out += std::string(": ") + buf;
  }
  return out;
}

int MsUntil(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left <= 0 ? 0 : static_cast<int>(left);
}

}  // namespace

bool TestOverTls() {
  static const bool on = [] {
    const char* v = std::getenv("KEFU_TEST_TLS");
    return v && std::string(v) == "1";
  }();
  return on;
}

TestCert MakeTestCert(const std::string& dir, const std::string& name, const std::string& cn) {
  TestCert c{dir + "/" + name + ".crt", dir + "/" + name + ".key"};
  CmdResult r = RunProgram("openssl", {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                                       "-nodes", "-days", "2", "-subj", "/CN=" + cn, "-addext",
                                       "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", c.key,
                                       "-out", c.cert},
                           60);
  if (r.exit_code != 0) throw std::runtime_error("openssl req failed: " + r.err);
  return c;
}

const TestCert& SuiteCert() {
  static TempDir dir;
  static TestCert cert;
  static std::once_flag once;
  std::call_once(once, [] { cert = MakeTestCert(dir.path(), "suite", "kefu test suite"); });
  return cert;
}

TlsClient::TlsClient(int fd, Deadline deadline, int max_version) : fd_(fd) {
  static SSL_CTX* ctx = [] {
    SSL_CTX* c = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_verify(c, SSL_VERIFY_NONE, nullptr);
    SSL_CTX_set_mode(c, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    return c;
  }();
  fcntl(fd_, F_SETFL, fcntl(fd_, F_GETFL) | O_NONBLOCK);
  ssl_ = SSL_new(ctx);
  if (!ssl_) throw std::runtime_error(OpenSslError("SSL_new"));
  if (max_version != 0) {
    // Old versions must be allowed at all (Debian's OpenSSL holds security
    // level 2, which refuses them on the client side first).
    SSL_set_security_level(ssl_, 0);
    SSL_set_min_proto_version(ssl_, TLS1_VERSION);
    SSL_set_max_proto_version(ssl_, max_version);
    SSL_set_cipher_list(ssl_, "DEFAULT:@SECLEVEL=0");
  }
  SSL_set_fd(ssl_, fd_);
  SSL_set_tlsext_host_name(ssl_, "localhost");
  for (;;) {
    int ret = SSL_connect(ssl_);
    if (ret == 1) return;
    if (!WaitFor(ret, deadline)) {
      std::string why = OpenSslError("TLS handshake failed");
      SSL_free(ssl_);
      ssl_ = nullptr;
      throw std::runtime_error(why);
    }
  }
}

TlsClient::~TlsClient() {
  if (ssl_) SSL_free(ssl_);
}

bool TlsClient::WaitFor(int ret, Deadline deadline) {
  short events = 0;
  switch (SSL_get_error(ssl_, ret)) {
    case SSL_ERROR_WANT_READ:
      events = POLLIN;
      break;
    case SSL_ERROR_WANT_WRITE:
      events = POLLOUT;
      break;
    default:
      return false;
  }
  for (;;) {
    pollfd p{fd_, events, 0};
    int left = MsUntil(deadline);
    if (left == 0) return false;
    int n = poll(&p, 1, left);
    if (n > 0) return true;
    if (n == 0) return false;
    if (errno != EINTR) return false;
  }
}

bool TlsClient::WriteAll(const char* data, size_t size, Deadline deadline) {
  size_t off = 0;
  while (off < size) {
    ERR_clear_error();
    int n = SSL_write(ssl_, data + off, static_cast<int>(std::min<size_t>(size - off, 1 << 20)));
    if (n > 0) {
      off += static_cast<size_t>(n);
      continue;
    }
    if (!WaitFor(n, deadline)) return false;
  }
  return true;
}

ssize_t TlsClient::ReadSome(char* buf, size_t size, Deadline deadline) {
  for (;;) {
    ERR_clear_error();
    int n = SSL_read(ssl_, buf, static_cast<int>(std::min<size_t>(size, 1 << 30)));
    if (n > 0) return n;
    const int err = SSL_get_error(ssl_, n);
    if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) return 0;  // closed, with or without close_notify
    if (!WaitFor(n, deadline)) return -1;
  }
}

void TlsClient::Shutdown() {
  ERR_clear_error();
  SSL_shutdown(ssl_);
}

std::string TlsClient::PeerSubject() const {
  X509* cert = SSL_get1_peer_certificate(ssl_);
  if (!cert) return "";
  char buf[512];
  X509_NAME_oneline(X509_get_subject_name(cert), buf, sizeof buf);
  X509_free(cert);
  return buf;
}

std::string TlsClient::Version() const { return SSL_get_version(ssl_); }

}  // namespace bb
