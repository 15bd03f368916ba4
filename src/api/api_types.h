// A request and its answer as the API layer sees them: no sockets, no Beast,
// so routing and handlers can be tested and fuzzed as plain functions.
#pragma once

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kefu::api {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct ApiRequest {
  std::string method;  // "GET", "POST", …
  std::string target;  // path and query string, as on the request line
  std::optional<std::string> token;  // the Kefu-Token header
  std::string content_type;
  std::string body;
  // Where the request came from (the TCP peer, or what a trusted proxy
  // said), for the limits on failed token requests.
  std::string client_address;
  // Every header as the client sent it, in order.
  Headers headers;

  // The first value of header `name` (compared without case), nullopt if absent.
  std::optional<std::string_view> Header(std::string_view name) const {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    for (const auto& [k, v] : headers) {
      if (k.size() == name.size() &&
          std::equal(k.begin(), k.end(), name.begin(), [&](char a, char b) { return lower(a) == lower(b); })) {
        return std::string_view(v);
      }
    }
    return std::nullopt;
  }
};

// What answering a request costs, which decides where it runs (http::WorkerPools).
enum class Cost {
  // Reads a few rows by index or from memory and never waits for a lock, or
  // is refused before the store: microseconds on an embedded store.
  kQuickRead,
  kQuick,
  // May take long: history queries and imports, and the agent writes that
  // hash a password (Argon2id).
  kSlow,
};

inline constexpr const char* kJsonContentType = "application/json;charset=UTF-8";

struct ApiResponse {
  int status = 200;
  std::string body;
  std::string content_type = kJsonContentType;
  Headers headers;  // beyond Content-Type
};

// The route a request matched (api/route_table.h), found once and handed
// back to RequestHandler::Answer; the transport reads only `cost`, whether
// any route matched, and `websocket`.
struct RouteMatch {
  int route = -1;  // index in the route table; -1: no route answers it
  Cost cost = Cost::kQuickRead;
  std::vector<std::pair<std::string_view, std::string>> params;  // {name} of the pattern -> segment
  // With no route: the methods the path answers (405's Allow), "" if none (404).
  std::string allow;
  // The route speaks WebSocket: an upgrade request opens a socket
  // (RequestHandler::OpenSocket); any other request is refused (426).
  bool websocket = false;
};

// The transport's half of an open WebSocket, handed to the API's SocketHandler.
// Every method is thread-safe, never blocks, and may be called after the
// socket closed (it then does nothing).
class SocketPeer {
 public:
  virtual ~SocketPeer() = default;
  // Queues `text` as one text message. False when it will not be sent: the
  // socket is closed or closing, or its queue of unsent bytes passed the
  // bound (ServerOptions::websocket), in which case the connection is dropped
  // as a client that does not read.
  virtual bool Send(std::string text) = 0;
  // Sends what is queued, then a close frame with `code` (RFC 6455 §7.4) and
  // `reason`; the first Close wins.
  virtual void Close(int code, std::string reason) = 0;
};

// The API's half of one open WebSocket. Called on the connection's I/O
// thread, one call at a time, so it must not block (hand blocking work to
// another thread and answer through SocketPeer::Send).
class SocketHandler {
 public:
  virtual ~SocketHandler() = default;
  // One whole text message from the client (binary ones are refused with 1003).
  virtual void OnMessage(std::string_view text) = 0;
  // Once, when the socket has closed for any reason; no OnMessage follows.
  virtual void OnClose() = 0;
};

// What RequestHandler::OpenSocket decided: a handler for the socket, or the
// HTTP answer that refuses it (a 401, 403, 429…).
struct SocketOpening {
  std::unique_ptr<SocketHandler> handler;  // null: refused
  ApiResponse refusal;
};

// What a server serves: kefud's api::Router, or a test's own table.
class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  // Finds the request's route; cheap, runs on the I/O thread.
  virtual RouteMatch Match(const ApiRequest& request) = 0;
  // Whether a request may send its body, judged from its headers alone
  // before the body is read: nullopt, or the answer that refuses it (an
  // unknown path, a wrong method, a bad token). A quick read; never throws.
  virtual std::optional<ApiResponse> Admit(const ApiRequest& head, const RouteMatch& match) {
    return std::nullopt;
  }
  // Answers the request; may block, and runs where match.cost says. Never throws.
  virtual ApiResponse Answer(const ApiRequest& request, const RouteMatch& match) = 0;
  // For an upgrade request whose match is `websocket`: the handler of the new
  // socket, which talks to the client through `peer` (messages sent before
  // the handshake ends are queued). May block, and runs where match.cost
  // says. Never throws.
  virtual SocketOpening OpenSocket(const ApiRequest& request, const RouteMatch& match,
                                   std::shared_ptr<SocketPeer> peer) = 0;
};

}  // namespace kefu::api
