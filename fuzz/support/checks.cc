#include "support/checks.h"

#include <rapidjson/document.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include "api/error_mapping.h"

namespace kefu::fuzz {
namespace {

// errorCode -> what DescribeError gives for it, over every failing Code.
const std::map<std::string, api::ErrorInfo>& ErrorTable() {
  static const auto* table = [] {
    auto* t = new std::map<std::string, api::ErrorInfo>;
    for (int c = static_cast<int>(Code::kInvalidParam); c <= static_cast<int>(Code::kInternal); ++c) {
      api::ErrorInfo info = api::DescribeError(static_cast<Code>(c));
      (*t)[info.error_code] = info;
    }
    return t;
  }();
  return *table;
}

std::string Describe(const api::ApiResponse& r, const api::ApiRequest& q) {
  std::string out = "request: " + Printable(q.method, 40) + " " + Printable(q.target, 300);
  out += "\n  content-type: " + Printable(q.content_type, 100);
  out += "\n  token: " + (q.token ? Printable(*q.token, 80) : std::string("(none)"));
  out += "\n  body: " + Printable(q.body);
  out += "\nanswer: " + std::to_string(r.status) + " " + Printable(r.body);
  for (const auto& [k, v] : r.headers) out += "\n  " + Printable(k, 80) + ": " + Printable(v, 200);
  return out;
}

// Headers beyond Content-Type: Allow exactly on 405, Retry-After exactly on
// 429 (and at most once on 503, API_408's), the quota's three X-RateLimit-*
// together or not at all, Cache-Control: no-store only on an answer that
// carries a token; values non-empty, without CR, LF or NUL, numbers where
// they are numbers.
template <typename FailFn>
void CheckHeaders(const api::ApiResponse& r, FailFn fail) {
  int allow = 0, retry_after = 0, quota = 0;
  for (const auto& [name, value] : r.headers) {
    if (value.empty() || value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos ||
        name.find_first_of(std::string_view("\r\n\0: ", 5)) != std::string::npos) {
      fail("a header name or value that is empty or breaks the header block");
    }
    const bool number = value.find_first_not_of("0123456789") == std::string::npos;
    if (name == "Allow") {
      ++allow;
    } else if (name == "Retry-After") {
      ++retry_after;
      if (!number || value == "0") fail("Retry-After is not a positive number of seconds");
    } else if (name == "X-RateLimit-Limit" || name == "X-RateLimit-Remaining" || name == "X-RateLimit-Reset") {
      ++quota;
      if (!number) fail("an X-RateLimit-* header is not a number");
    } else if (name == "Cache-Control") {
      if (value != "no-store" || r.status != 200 || r.body.find("\"accessToken\"") == std::string::npos) {
        fail("Cache-Control other than no-store on a token answer");
      }
    } else {
      fail("an unexpected header");
    }
  }
  if ((r.status == 405) != (allow == 1) || allow > 1) fail("Allow not exactly once on 405 and only there");
  const bool wants_retry_after = r.status == 429;
  const bool may_retry_after = r.status == 429 || r.status == 503;
  if ((wants_retry_after && retry_after != 1) || (!may_retry_after && retry_after != 0) || retry_after > 1) {
    fail("Retry-After not exactly once on 429 (or at most once on 503) and only there");
  }
  if (quota != 0 && quota != 3) fail("X-RateLimit-* headers incomplete");
}

}  // namespace

void Fail(std::string_view what, std::string_view context) {
  std::fprintf(stderr, "\n==== invariant broken: %.*s\n%.*s\n", static_cast<int>(what.size()),
               what.data(), static_cast<int>(context.size()), context.data());
  std::fflush(stderr);
  std::abort();
}

std::string Printable(std::string_view bytes, size_t max) {
  std::string out;
  for (size_t i = 0; i < bytes.size() && i < max; ++i) {
    unsigned char c = static_cast<unsigned char>(bytes[i]);
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out += static_cast<char>(c);
    } else {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
    }
  }
  if (bytes.size() > max) out += "…(" + std::to_string(bytes.size()) + " bytes)";
  return out;
}

bool IsWellFormedUtf8(std::string_view s) {
  // RFC 3629 §4's table of well-formed byte sequences.
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t i = 0, n = s.size();
  auto in = [&](size_t k, unsigned lo, unsigned hi) { return i + k < n && p[i + k] >= lo && p[i + k] <= hi; };
  while (i < n) {
    unsigned c = p[i];
    if (c <= 0x7f) {
      i += 1;
    } else if (c >= 0xc2 && c <= 0xdf) {
      if (!in(1, 0x80, 0xbf)) return false;
      i += 2;
    } else if (c == 0xe0) {
      if (!in(1, 0xa0, 0xbf) || !in(2, 0x80, 0xbf)) return false;
      i += 3;
    } else if ((c >= 0xe1 && c <= 0xec) || c == 0xee || c == 0xef) {
      if (!in(1, 0x80, 0xbf) || !in(2, 0x80, 0xbf)) return false;
      i += 3;
    } else if (c == 0xed) {
      if (!in(1, 0x80, 0x9f) || !in(2, 0x80, 0xbf)) return false;
      i += 3;
    } else if (c == 0xf0) {
      if (!in(1, 0x90, 0xbf) || !in(2, 0x80, 0xbf) || !in(3, 0x80, 0xbf)) return false;
      i += 4;
    } else if (c >= 0xf1 && c <= 0xf3) {
      if (!in(1, 0x80, 0xbf) || !in(2, 0x80, 0xbf) || !in(3, 0x80, 0xbf)) return false;
      i += 4;
    } else if (c == 0xf4) {
      if (!in(1, 0x80, 0x8f) || !in(2, 0x80, 0xbf) || !in(3, 0x80, 0xbf)) return false;
      i += 4;
    } else {
      return false;
    }
  }
  return true;
}

void CheckResponse(const api::ApiResponse& r, const api::ApiRequest& q) {
  auto fail = [&](std::string_view what) { Fail(what, Describe(r, q)); };

  if (r.body.empty()) fail("empty body");
  if (!IsWellFormedUtf8(r.body)) fail("answer body is not well-formed UTF-8");
  rapidjson::Document doc;
  // Not kParseFullPrecisionFlag: RapidJSON 1.1's full-precision path is
  // the one that crashes on some numbers (fuzz/regressions/README.md).
  doc.Parse<rapidjson::kParseIterativeFlag>(r.body.data(), r.body.size());
  if (doc.HasParseError()) fail("answer body is not JSON");
  if (!doc.IsObject()) fail("answer body is not a JSON object");
  auto status = doc.FindMember("status");
  if (status == doc.MemberEnd() || !status->value.IsString()) fail("answer has no string \"status\"");
  const std::string_view st(status->value.GetString(), status->value.GetStringLength());

  CheckHeaders(r, fail);
  if (r.status == 200) {
    if (st != "OK") fail("200 without \"status\":\"OK\"");
    return;
  }
  if (st != "FAIL") fail("non-200 without \"status\":\"FAIL\"");
  if (r.status == 500 || r.status == 503) fail("internal error or store failure on a healthy store");
  auto code = doc.FindMember("errorCode");
  auto desc = doc.FindMember("errorDescription");
  if (code == doc.MemberEnd() || !code->value.IsString()) fail("FAIL without a string errorCode");
  if (desc == doc.MemberEnd() || !desc->value.IsString()) fail("FAIL without a string errorDescription");
  auto known = ErrorTable().find(code->value.GetString());
  if (known == ErrorTable().end()) fail("unknown errorCode");
  if (known->second.http_status != r.status) fail("errorCode does not go with the HTTP status");
  if (std::string_view(desc->value.GetString()) != known->second.description) {
    fail("errorDescription is not the published one");
  }
  for (const auto& m : doc.GetObject()) {
    std::string_view k(m.name.GetString(), m.name.GetStringLength());
    if (k == "errorDetail" && !m.value.IsString()) fail("errorDetail is not a string");
    if (k != "status" && k != "errorCode" && k != "errorDescription" && k != "errorDetail") {
      fail("FAIL answer with an unexpected key");
    }
  }
}

}  // namespace kefu::fuzz
