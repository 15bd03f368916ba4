// The address a request comes from, for the limits on failed token
// requests: the TCP peer, unless the peer is a proxy the operator trusts
// (serve --trusted-proxy), in which case the address that proxy appended
// last to X-Forwarded-For. Entries before it are the client's own claims
// and are never believed.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kefu::http {

std::string ClientAddress(const std::string& peer, std::string_view forwarded_for,
                          const std::vector<std::string>& trusted_proxies);

}  // namespace kefu::http
