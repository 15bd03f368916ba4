// The API layer's view of a parsed HTTP request (api::ApiRequest), built
// from Beast's message. Plain C++ rather than part of the connection's
// coroutine, so the fuzz targets build requests with this same code.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <string>
#include <vector>

#include "api/api_types.h"

namespace kefu::http {

// Moves the body out of `req`. `peer` is the TCP peer's address; see
// ClientAddress for `trusted_proxies`.
api::ApiRequest ToApiRequest(boost::beast::http::request<boost::beast::http::string_body>&& req,
                             const std::string& peer, const std::vector<std::string>& trusted_proxies);

}  // namespace kefu::http
