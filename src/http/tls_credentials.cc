#include "http/tls_credentials.h"

#include <fmt/format.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace kefu::http {

namespace ssl = boost::asio::ssl;

namespace {

// What failed, with OpenSSL's reason ("no such file", "key values mismatch").
Status LoadError(const std::string& what, const std::string& path, const boost::system::error_code& ec) {
  return Error(Code::kInvalidParam, fmt::format("cannot load the TLS {} {}: {}", what, path, ec.message()));
}

}  // namespace

Status TlsCredentials::Load() {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  // TLS 1.2 and 1.3 only; no compression (CRIME), no renegotiation, our
  // order of ciphers (OpenSSL's defaults, which Debian holds at security
  // level 2).
  SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_compression |
                   ssl::context::single_dh_use | SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_RENEGOTIATION);
  boost::system::error_code ec;
  ctx->use_certificate_chain_file(files_.cert, ec);
  if (ec) return LoadError("certificate", files_.cert, ec);
  ctx->use_private_key_file(files_.key, ssl::context::pem, ec);
  // (OpenSSL checks the key against the certificate as it loads it.)
  if ((ec && ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == X509_R_KEY_VALUES_MISMATCH) ||
      (!ec && SSL_CTX_check_private_key(ctx->native_handle()) != 1)) {
    return Error(Code::kInvalidParam,
                 fmt::format("the TLS key {} does not belong to the certificate {}", files_.key, files_.cert));
  }
  if (ec) return LoadError("key", files_.key, ec);
  std::lock_guard lock(mu_);
  current_ = std::move(ctx);
  return Status::Ok();
}

std::shared_ptr<ssl::context> TlsCredentials::Current() const {
  std::lock_guard lock(mu_);
  return current_;
}

}  // namespace kefu::http
