#include "http/api_request.h"

#include <string_view>

#include "http/client_address.h"

namespace kefu::http {

namespace bhttp = boost::beast::http;

api::ApiRequest ToApiRequest(bhttp::request<bhttp::string_body>&& req, const std::string& peer,
                             const std::vector<std::string>& trusted_proxies) {
  api::ApiRequest request;
  request.method = std::string(req.method_string());
  request.target = std::string(req.target());
  if (auto it = req.find("Kefu-Token"); it != req.end()) request.token = std::string(it->value());
  request.content_type = std::string(req[bhttp::field::content_type]);
  request.body = std::move(req.body());
  auto forwarded = req["X-Forwarded-For"];
  request.client_address =
      ClientAddress(peer, std::string_view(forwarded.data(), forwarded.size()), trusted_proxies);
  return request;
}

}  // namespace kefu::http
