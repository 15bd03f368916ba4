// The certificate and key kefud serves HTTPS and WSS with (`--tls-cert`,
// `--tls-key`): loaded at start, loaded again on SIGHUP. A connection takes
// the context current when it arrives and keeps it to its end, so a reload
// never disturbs one in progress; a reload that fails keeps the old pair.
#pragma once

#include <boost/asio/ssl/context.hpp>

#include <memory>
#include <mutex>
#include <string>

#include "common/status.h"
#include "http/server.h"

namespace kefu::http {

class TlsCredentials {
 public:
  explicit TlsCredentials(TlsFiles files) : files_(std::move(files)) {}

  // Reads the files into a new context (TLS 1.2 and up, the key checked
  // against the certificate); on success it serves every connection from
  // now on. On failure the current context stays and the error says why.
  Status Load();

  // The context for a connection arriving now (never null after a Load
  // that succeeded).
  std::shared_ptr<boost::asio::ssl::context> Current() const;

  const TlsFiles& files() const { return files_; }

 private:
  const TlsFiles files_;
  mutable std::mutex mu_;
  std::shared_ptr<boost::asio::ssl::context> current_;
};

}  // namespace kefu::http
