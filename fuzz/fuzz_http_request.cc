// The request path of kefud from raw bytes: Boost.Beast's request parser with
// the limits of src/http/connection.cc, the ApiRequest that connection.cc
// builds, api::Router::Handle with the real services over a real SQLite store
// (demo tenant 1 and tenant 2, support/world.h), and the response written
// back as connection.cc writes it. Pipelined requests in one input are served
// in turn, as on a keep-alive connection.
//
// The placeholder TOKEN anywhere in the input is replaced by a valid token of
// tenant 1 (OTHERTOKEN by one of tenant 2, VISITORTOKEN by a visitor's and
// AGENTTOKEN by the published admin agent's of tenant 1) before parsing, so
// inputs reach
// the handlers behind the Kefu-Token check.
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>

#include "api/error_mapping.h"
#include "common/limits.h"
#include "http/api_messages.h"
#include "support/checks.h"
#include "support/world.h"

namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using namespace kefu;

constexpr int kMaxPipelined = 8;
const std::string kPeer = "127.0.0.1";
// Placeholders and whose token each stands for; the longer ones first, as
// "TOKEN" ends them all.
struct Placeholder {
  std::string_view text;
  const std::string& (fuzz::World::*token)() const;
};
constexpr Placeholder kPlaceholders[] = {{"VISITORTOKEN", &fuzz::World::visitor_token},
                                         {"AGENTTOKEN", &fuzz::World::agent_token},
                                         {"OTHERTOKEN", &fuzz::World::other_token},
                                         {"TOKEN", &fuzz::World::token}};

// Replaces every placeholder, anywhere in the input (so in every pipelined
// request's headers), by its token.
std::string WithTokens(std::string_view input, const fuzz::World& world) {
  std::string out;
  out.reserve(input.size() + 64);
  size_t pos = 0;
  while (pos < input.size()) {
    const Placeholder* found = nullptr;
    for (const auto& p : kPlaceholders) {
      if (input.substr(pos, p.text.size()) == p.text) {
        found = &p;
        break;
      }
    }
    if (found) {
      out.append((world.*(found->token))());
      pos += found->text.size();
    } else {
      out.push_back(input[pos++]);
    }
  }
  return out;
}

// The answer as connection.cc makes it, serialized as async_write sends it.
void WriteBack(api::ApiResponse&& r, unsigned version, bool keep_alive) {
  std::ostringstream wire;
  wire << http::ToBeastResponse(std::move(r), version, keep_alive);
  if (wire.str().empty()) fuzz::Fail("empty serialized response");
}

// KEFU_FUZZ_TRACE=1 prints each request and answer (to see what seeds reach).
bool Trace() {
  static const bool on = std::getenv("KEFU_FUZZ_TRACE") != nullptr;
  return on;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::QuietLogs();
  fuzz::CurrentWorld();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::World& world = fuzz::CurrentWorld();
  const std::string input =
      WithTokens(std::string_view(reinterpret_cast<const char*>(data), size), world);
  std::string_view rest = input;

  for (int served = 0; served < kMaxPipelined && !rest.empty(); ++served) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(limits::kMaxHeaderBytes);
    parser.body_limit(limits::kMaxBodyBytes);

    // All the bytes there are have arrived: feed them until the message is
    // done, fails, or wants more than there is (the client then closed).
    beast::error_code ec;
    bool closed = false;  // the input ended before the message did
    while (!parser.is_done()) {
      size_t used = 0;
      if (!rest.empty()) {
        used = parser.put(boost::asio::buffer(rest.data(), rest.size()), ec);
        rest.remove_prefix(used);
        if (ec == bhttp::error::need_more) ec = {};
        if (ec) break;
      }
      // Beast's reader reads more when the buffer is empty or the parser
      // needs more than it holds; here that is the end of the stream.
      if (used == 0 && !parser.is_done()) {
        closed = true;
        break;
      }
    }
    if (closed) {
      // As Beast's read: end_of_stream if nothing came, else put_eof, which
      // fails with partial_message unless the message ends at EOF.
      // connection.cc gives up on both silently.
      if (!parser.got_some()) return 0;
      parser.put_eof(ec);
      if (ec || !parser.is_done()) return 0;
    }

    if (ec) {
      // connection.cc answers the refusal and closes.
      api::ApiResponse failure = http::ParseFailure(ec);
      api::ApiRequest none;
      fuzz::CheckResponse(failure, none);
      WriteBack(std::move(failure), 11, false);
      return 0;
    }

    // As from a local reverse proxy the operator trusts, so X-Forwarded-For
    // in the input names the client.
    bhttp::request<bhttp::string_body> req = parser.release();
    const bool keep_alive = req.keep_alive();
    const unsigned version = req.version();
    api::ApiRequest request = http::ToApiRequest(std::move(req), kPeer, {kPeer});
    if (request.client_address.empty() || request.client_address.size() > 64) {
      fuzz::Fail("ClientAddress gave an empty or long address", request.client_address);
    }

    // As connection.cc: match once (which picks where it runs), then answer.
    const api::RouteMatch match = world.router().Match(request);
    api::ApiResponse answer = world.router().Answer(request, match);
    if (Trace()) {
      std::fprintf(stderr, "%s %s -> %d %s\n", fuzz::Printable(request.method, 20).c_str(),
                   fuzz::Printable(request.target, 200).c_str(), answer.status,
                   fuzz::Printable(answer.body, 300).c_str());
    }
    fuzz::CheckResponse(answer, request);

    WriteBack(std::move(answer), version, keep_alive);
    if (!keep_alive) break;
  }
  return 0;
}
