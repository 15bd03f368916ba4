// The two byte streams a connection runs over: plain TCP, and TLS over TCP
// (`--tls-cert`). Connections and WebSocket sessions are templates over
// them, instantiated for these two only.
#pragma once

#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

namespace kefu::http {

using PlainStream = boost::beast::tcp_stream;
using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

}  // namespace kefu::http
