// A request and its answer as the API layer sees them: no sockets, no Beast,
// so routing and handlers can be tested and fuzzed as plain functions.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kefu::api {

struct ApiRequest {
  std::string method;  // "GET", "POST", …
  std::string target;  // path and query string, as on the request line
  std::optional<std::string> token;  // the Kefu-Token header
  std::string content_type;
  std::string body;
  // Where the request came from (the TCP peer, or what a trusted proxy
  // said), for the limits on failed token requests.
  std::string client_address;
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

struct ApiResponse {
  int status = 200;
  std::string body;  // always JSON
  std::vector<std::pair<std::string, std::string>> headers;  // beyond Content-Type
};

inline constexpr const char* kJsonContentType = "application/json;charset=UTF-8";

}  // namespace kefu::api
