#include "http/api_messages.h"

#include <boost/beast/http/error.hpp>

#include <string_view>

#include "api/error_mapping.h"
#include "api/rate_limit_answers.h"
#include "http/client_address.h"

namespace kefu::http {

namespace bhttp = boost::beast::http;

api::ApiRequest HeadOf(const bhttp::request_header<>& req, const std::string& peer,
                       const std::vector<std::string>& trusted_proxies) {
  api::ApiRequest request;
  request.method = std::string(req.method_string());
  request.target = std::string(req.target());
  if (auto it = req.find("Kefu-Token"); it != req.end()) request.token = std::string(it->value());
  request.content_type = std::string(req[bhttp::field::content_type]);
  for (const auto& field : req) request.headers.emplace_back(field.name_string(), field.value());
  auto forwarded = req["X-Forwarded-For"];
  request.client_address =
      ClientAddress(peer, std::string_view(forwarded.data(), forwarded.size()), trusted_proxies);
  return request;
}

api::ApiRequest ToApiRequest(bhttp::request<bhttp::string_body>&& req, const std::string& peer,
                             const std::vector<std::string>& trusted_proxies) {
  api::ApiRequest request = HeadOf(req.base(), peer, trusted_proxies);
  request.body = std::move(req.body());
  return request;
}

bhttp::response<bhttp::string_body> ToBeastResponse(api::ApiResponse&& r, unsigned version, bool keep_alive,
                                                    bool head) {
  bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(r.status), version};
  res.set(bhttp::field::content_type, r.content_type);
  // Browsers must take every answer as the type it says (a JSON error that
  // echoes input is never sniffed into HTML).
  res.set("X-Content-Type-Options", "nosniff");
  for (auto& [name, value] : r.headers) res.set(name, value);
  res.keep_alive(keep_alive);
  // 1xx, 204 and 304 carry no body and no length (RFC 9110 §8.6); HEAD
  // gets the length of the body GET would send, without it.
  if (r.status < 200 || r.status == 204 || r.status == 304) return res;
  if (head) {
    res.content_length(r.body.size());
    return res;
  }
  res.body() = std::move(r.body);
  res.prepare_payload();
  return res;
}

std::optional<api::ApiResponse> UpgradeRefusal(const api::ApiRequest& request, bool upgrade,
                                               const api::RouteMatch& match) {
  if (match.route < 0) return std::nullopt;
  if (!match.websocket) {
    if (!upgrade) return std::nullopt;
    return api::ErrorResponse(Error(Code::kInvalidParam, "this path does not accept a WebSocket upgrade"));
  }
  if (!upgrade) {
    api::ApiResponse r = api::ErrorResponse(Error(Code::kUpgradeRequired, "this path speaks WebSocket only"));
    r.headers = {{"Upgrade", "websocket"}, {"Connection", "Upgrade"}};
    return r;
  }
  // 16 random bytes in base64 (RFC 6455 §4.2.1), and the one version there is.
  if (request.Header("Sec-WebSocket-Key").value_or("").size() != 24) {
    return api::ErrorResponse(Error(Code::kInvalidParam, "Sec-WebSocket-Key must be 16 bytes in base64"));
  }
  if (request.Header("Sec-WebSocket-Version").value_or("") != "13") {
    api::ApiResponse r = api::ErrorResponse(Error(Code::kInvalidParam, "Sec-WebSocket-Version must be 13"));
    r.headers = {{"Sec-WebSocket-Version", "13"}};
    return r;
  }
  return std::nullopt;
}

api::ApiResponse TooManyConnections() {
  return api::TooManyRequests(1, "this address holds as many connections as it may");
}

api::ApiResponse PlainHttpOnTlsPort() {
  return api::ErrorResponse(Error(Code::kInvalidParam, "this port speaks HTTPS only: use https://"));
}

api::ApiResponse TooManyBodies() {
  return api::TooManyRequests(1, "the server is receiving as many request bodies as it may at once");
}

api::ApiResponse ParseFailure(const boost::beast::error_code& ec) {
  if (ec == bhttp::error::header_limit) {
    return api::ErrorResponse(Error(Code::kHeadersTooLarge, "headers are limited to 8 KiB"));
  }
  if (ec == bhttp::error::body_limit) {
    return api::ErrorResponse(Error(Code::kBodyTooLarge, "bodies are limited to 1 MiB"));
  }
  return api::ErrorResponse(Error(Code::kInvalidParam, "malformed HTTP request"));
}

}  // namespace kefu::http
