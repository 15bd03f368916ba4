// Request targets without a store: api::SplitTarget and the route table's
// PathMatcher (routing),
// api::QueryString and PercentDecode (percent-decoding, '+', repeated and
// comma-separated lists) checked against a reference reading written here
// from CONTRACT §2, then what the endpoints make of the parameters: the agent
// search's page and size (domain::ParsePageRequest, ComputePageInfo) and the
// history query (domain::ParseHistoryQuery), whose failures must render as
// valid answers; and the text check every endpoint makes (QueryString::CheckText).
//
// The input is a request target, "/api/tenants/1/agents?page=0&size=10".
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "api/error_mapping.h"
#include "api/query_string.h"
#include "api/handlers.h"
#include "api/route_table.h"
#include "common/text.h"
#include "domain/history_query.h"
#include "domain/pagination.h"
#include "support/checks.h"

namespace {

using namespace kefu;

// Every parameter name the endpoints read.
constexpr std::string_view kNames[] = {
    "page",         "size",         "keyValue",      "per_page",      "state",
    "originType",   "techChannelId", "techChannelType", "customerName", "transfered",
    "fromAgentCallback", "enquirySummary", "queueIds", "queueId",      "agentIds",
    "agentUserId",  "summaryIds",   "enquiryTagIds", "beginDate",     "endDate",
    "stopDateFrom", "stopDateTo",   "createDateFrom", "createDateTo", "sortField",
    "sortOrder"};

int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// CONTRACT §2 read independently: %XX is a byte, '+' a space, a '%' without
// two hex digits stays.
std::string RefDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && s.size() - i >= 3 && Hex(s[i + 1]) >= 0 && Hex(s[i + 2]) >= 0) {
      out += static_cast<char>(Hex(s[i + 1]) * 16 + Hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i] == '+' ? ' ' : s[i];
    }
  }
  return out;
}

std::string Encode(std::string_view s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// name -> values in order, as the reference reads the query.
std::multimap<std::string, std::string> RefParams(std::string_view query,
                                                  std::vector<std::string>& names) {
  std::multimap<std::string, std::string> out;
  size_t start = 0;
  for (;;) {
    size_t amp = query.find('&', start);
    std::string_view pair = query.substr(start, amp == std::string_view::npos ? amp : amp - start);
    if (!pair.empty()) {
      size_t eq = pair.find('=');
      std::string name = RefDecode(pair.substr(0, eq));
      std::string value = eq == std::string_view::npos ? "" : RefDecode(pair.substr(eq + 1));
      names.push_back(name);
      out.emplace(std::move(name), std::move(value));
    }
    if (amp == std::string_view::npos) break;
    start = amp + 1;
  }
  return out;
}

std::vector<std::string> RefList(const std::multimap<std::string, std::string>& params,
                                 const std::string& name) {
  std::vector<std::string> out;
  auto [lo, hi] = params.equal_range(name);
  for (auto it = lo; it != hi; ++it) {
    std::string_view v = it->second;
    size_t start = 0;
    for (;;) {
      size_t comma = v.find(',', start);
      std::string_view item = v.substr(start, comma == std::string_view::npos ? comma : comma - start);
      if (!item.empty()) out.emplace_back(item);
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
  }
  return out;
}

void CheckRouting(std::string_view target, std::string_view path, std::string_view query) {
  if (path.find('?') != std::string_view::npos) fuzz::Fail("path keeps a '?'", target);
  bool had_query = path.size() < target.size();
  std::string joined = std::string(path) + (had_query ? "?" : "") + std::string(query);
  if (joined != target) fuzz::Fail("SplitTarget does not partition the target", target);

  static const api::PathMatcher matcher = [] {
    std::vector<std::pair<std::string_view, std::string_view>> patterns;
    for (const auto& r : api::Routes()) patterns.emplace_back(r.method, r.pattern);
    return api::PathMatcher(patterns, api::ApiPathAliases());
  }();
  for (const char* method : {"GET", "POST", "PUT", "DELETE"}) {
    auto found = matcher.Match(method, path);
    if (found.route < 0) {
      if (!found.params.empty()) fuzz::Fail("parameters without a route", target);
      continue;
    }
    const api::Route& route = api::Routes()[found.route];
    if (route.method != method) fuzz::Fail("a route of another method", target);
    if (found.allow.find(method) == std::string::npos) fuzz::Fail("Allow leaves out the matched method", target);
    for (const auto& [name, value] : found.params) {
      if (value.empty() || value.find('/') != std::string::npos) {
        fuzz::Fail("a path parameter that is empty or spans segments", target);
      }
    }
  }
}

void CheckPaging(const api::QueryString& qs, std::string_view target) {
  auto page = qs.Get("page"), size = qs.Get("size");
  auto req = domain::ParsePageRequest(page, size);
  if (!req.ok()) {
    Code c = req.status().code();
    if (c != Code::kInvalidParam && c != Code::kPageIndex && c != Code::kPageSize) {
      fuzz::Fail("agent search paging failed with an unexpected code", target);
    }
    api::ApiRequest q;
    q.target = std::string(target);
    fuzz::CheckResponse(api::ErrorResponse(req.status()), q);
    return;
  }
  if (req->page < 0 || req->page > INT32_MAX || req->size < 1 || req->size > 50) {
    fuzz::Fail("agent search paging out of range", target);
  }
  if (page && !page->empty() && ParseInteger(*page, 0, INT32_MAX) != req->page) {
    fuzz::Fail("page is not the given number", target);
  }
  // Totals as the store could report them: up to a billion agents.
  for (int64_t total : {int64_t{0}, int64_t{1}, req->offset(), req->offset() + 1, int64_t{1000000000}}) {
    int64_t on_page = std::max<int64_t>(0, std::min(req->size, total - req->offset()));
    domain::PageInfo info = domain::ComputePageInfo(*req, total, on_page);
    if (info.total_pages < 0 || info.total_pages * req->size < total ||
        (total > 0 && (info.total_pages - 1) * req->size >= total)) {
      fuzz::Fail("totalPages does not cover totalElements", target);
    }
    if (info.first != (req->page == 0)) fuzz::Fail("first is wrong", target);
  }
}

void CheckHistory(const api::QueryString& qs, std::string_view target) {
  auto filter = domain::ParseHistoryQuery([&](std::string_view name) { return qs.GetList(name); });
  if (!filter.ok()) {
    Code c = filter.status().code();
    if (c != Code::kInvalidParam && c != Code::kPageIndex && c != Code::kPageSize) {
      fuzz::Fail("history query failed with an unexpected code", target);
    }
    api::ApiRequest q;
    q.target = std::string(target);
    fuzz::CheckResponse(api::ErrorResponse(filter.status()), q);
    return;
  }
  const store::HistoryFilter& f = *filter;
  if (f.limit < 1 || f.limit > 50 || f.offset < 0 || f.offset % f.limit != 0) {
    fuzz::Fail("history page out of range", target);
  }
  if (f.states.empty()) fuzz::Fail("history query without states", target);
  if (f.origin_mask & ~uint32_t{31}) fuzz::Fail("unpublished originType accepted", target);
  for (int64_t e : f.enquiry_summaries) {
    if (e < 0 || e > 5) fuzz::Fail("enquirySummary out of range", target);
  }
  for (int64_t q : f.queue_id) {
    if (q == 0) fuzz::Fail("queueId 0 kept as a filter", target);
  }
  for (const auto* range : {&f.started, &f.stopped, &f.created}) {
    // Bounds come from years 0000..9999 with offsets up to 14 h.
    for (const auto& end : {range->from, range->to}) {
      if (end && (*end < -62167219200 - 14 * 3600 || *end > 253402300799 + 14 * 3600 + 1)) {
        fuzz::Fail("date bound outside the years ISO-8601 texts can name", target);
      }
    }
  }
}

// QueryString::CheckText against the reference reading: it refuses exactly
// the queries with a name or value that is not UTF-8 or holds a NUL, and its
// refusal renders as a valid answer.
void CheckText(const api::QueryString& qs, const std::multimap<std::string, std::string>& ref,
               std::string_view target) {
  auto is_text = [](const std::string& s) { return Utf8Length(s) && s.find('\0') == std::string::npos; };
  bool all_text = true;
  for (const auto& [name, value] : ref) all_text = all_text && is_text(name) && is_text(value);
  Status text = qs.CheckText();
  if (text.ok() != all_text) fuzz::Fail("CheckText disagrees with the reference", target);
  if (text.ok()) return;
  if (text.code() != Code::kInvalidParam) fuzz::Fail("CheckText failed with an unexpected code", target);
  api::ApiRequest q;
  q.target = std::string(target);
  fuzz::CheckResponse(api::ErrorResponse(text), q);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view target(reinterpret_cast<const char*>(data), size);
  auto [path, query] = api::SplitTarget(target);
  CheckRouting(target, path, query);

  // Decoding: the reference reading, and encode-then-decode giving back the bytes.
  if (api::PercentDecode(query, true) != RefDecode(query)) fuzz::Fail("PercentDecode", target);
  if (api::PercentDecode(Encode(target), true) != target) fuzz::Fail("decode(encode(x)) != x", target);
  std::string no_plus = api::PercentDecode(target, false);
  if (no_plus.size() > target.size()) fuzz::Fail("decoding grew the text", target);

  api::QueryString qs(query);
  std::vector<std::string> seen;
  auto ref = RefParams(query, seen);
  if (seen.size() > 64) seen.resize(64);  // the lookups are linear: keep inputs fast
  for (std::string_view n : kNames) seen.emplace_back(n);
  for (const auto& name : seen) {
    auto got = qs.Get(name);
    auto [lo, hi] = ref.equal_range(name);
    if (got.has_value() != (lo != hi) || (got && *got != lo->second)) {
      fuzz::Fail("QueryString::Get differs from the reference", name);
    }
    auto list = qs.GetList(name);
    if (list != RefList(ref, name)) fuzz::Fail("QueryString::GetList differs from the reference", name);
  }

  CheckText(qs, ref, target);
  CheckPaging(qs, target);
  CheckHistory(qs, target);
  return 0;
}
