// Between Beast's HTTP messages and the API layer's ApiRequest/ApiResponse.
// Plain C++ rather than part of the connection's coroutine, so the fuzz
// targets build requests and answers with this same code.
#pragma once

#include <boost/beast/core/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <optional>
#include <string>
#include <vector>

#include "api/api_types.h"

namespace kefu::http {

// Moves the body out of `req`. `peer` is the TCP peer's address; see
// ClientAddress for `trusted_proxies`.
// The request as far as its headers say (no body): to decide whether the
// body may be read at all.
api::ApiRequest HeadOf(const boost::beast::http::request_header<>& req, const std::string& peer,
                       const std::vector<std::string>& trusted_proxies);

api::ApiRequest ToApiRequest(boost::beast::http::request<boost::beast::http::string_body>&& req,
                             const std::string& peer, const std::vector<std::string>& trusted_proxies);

// The HTTP answer for `r`, with its content type and headers; to a HEAD
// request (`head`), its headers and Content-Length only.
boost::beast::http::response<boost::beast::http::string_body> ToBeastResponse(api::ApiResponse&& r,
                                                                               unsigned version,
                                                                               bool keep_alive,
                                                                               bool head = false);

// The refusal of a request whose wish to upgrade and route disagree: an
// upgrade to a path that answers plain HTTP (400), a plain request to a
// WebSocket path (426), or an upgrade without a valid Sec-WebSocket-Key or
// version 13 (400). nullopt when they agree or no route matched (the handler
// answers 404 and 405).
std::optional<api::ApiResponse> UpgradeRefusal(const api::ApiRequest& request, bool upgrade,
                                               const api::RouteMatch& match);

// The answer to a request the parser refused, before any handler saw it.
api::ApiResponse ParseFailure(const boost::beast::error_code& ec);

// API_429 with Retry-After for a connection past its address's cap, and for
// a request whose body would pass the bytes of bodies read at once
// (http/connection_limits.h).
api::ApiResponse TooManyConnections();
api::ApiResponse TooManyBodies();

// Plain HTTP sent to a port that serves TLS only: 400 API_001, in plain HTTP.
api::ApiResponse PlainHttpOnTlsPort();

}  // namespace kefu::http
