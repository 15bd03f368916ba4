#include "domain/history_query.h"

#include <fmt/format.h>

#include "common/text.h"
#include "common/time_format.h"

namespace kefu::domain {
namespace {

using store::HistoryFilter;
using store::SessionState;

constexpr int64_t kPerPageMax = 50;

Status Invalid(std::string_view param, std::string_view why) {
  return Error(Code::kInvalidParam, fmt::format("{}: {}", param, why));
}

// The first value of a single-valued parameter, or "".
std::string First(const std::vector<std::string>& values) { return values.empty() ? "" : values[0]; }

Status ReadIntegers(const ParamList& param, std::string_view name, int64_t min, int64_t max,
                    std::vector<int64_t>& out) {
  for (const auto& v : param(name)) {
    auto n = ParseInteger(v, min, max);
    if (!n) return Invalid(name, fmt::format("'{}' is not an integer from {} to {}", v, min, max));
    out.push_back(*n);
  }
  return Status::Ok();
}

// A boolean filter; given as both true and false it matches either (no filter).
Status ReadBool(const ParamList& param, std::string_view name, std::optional<bool>& out) {
  bool any_true = false, any_false = false;
  for (const auto& value : param(name)) {
    std::string v = AsciiLower(value);
    if (v != "true" && v != "false") return Invalid(name, "must be true or false");
    (v == "true" ? any_true : any_false) = true;
  }
  if (any_true != any_false) out = any_true;
  return Status::Ok();
}

// An ISO-8601 bound in milliseconds, turned into whole stored seconds:
// from rounds up, to rounds down, so the comparison stays exact.
Status ReadBound(const ParamList& param, std::string_view name, bool is_from,
                 std::optional<int64_t>& out) {
  std::string v = First(param(name));
  if (v.empty()) return Status::Ok();
  auto ms = ParseIso8601(v);
  if (!ms) return Invalid(name, "must be an ISO-8601 instant like 2018-06-16T23:59:59.000Z");
  int64_t s = *ms / 1000, rem = *ms % 1000;
  if (rem < 0) {
    rem += 1000;
    --s;
  }
  out = is_from && rem > 0 ? s + 1 : s;
  return Status::Ok();
}

Result<int64_t> ReadPageNumber(const ParamList& param, std::string_view name, int64_t fallback) {
  std::string v = First(param(name));
  if (v.empty()) return fallback;
  auto n = ParseInteger(v, INT32_MIN, INT32_MAX);
  if (!n) return Invalid(name, "must be an integer");
  return *n;
}

}  // namespace

uint32_t OriginBit(std::string_view origin) {
  if (origin == "webim") return store::kOriginWebim;
  if (origin == "app") return store::kOriginApp;
  if (origin == "weixin") return store::kOriginWeixin;
  if (origin == "weibo") return store::kOriginWeibo;
  if (origin == "phone") return store::kOriginPhone;
  return store::kOriginOther;
}

Result<HistoryFilter> ParseHistoryQuery(const ParamList& param) {
  HistoryFilter f;

  auto page = ReadPageNumber(param, "page", 1);
  if (!page.ok()) return page.status();
  if (*page < 1) return Error(Code::kPageIndex, "page must be 1 or more");
  auto per_page = ReadPageNumber(param, "per_page", kPerPageMax);
  if (!per_page.ok()) return per_page.status();
  if (*per_page > kPerPageMax) return Error(Code::kPageSize, "per_page must be at most 50");
  if (*per_page < 1) return Invalid("per_page", "must be at least 1");
  f.limit = *per_page;
  f.offset = (*page - 1) * *per_page;

  for (const auto& v : param("state")) {
    if (v == "Wait") {
      f.states.push_back(SessionState::kWait);
    } else if (v == "Processing") {
      f.states.push_back(SessionState::kProcessing);
    } else if (v == "Terminal") {
      f.states.push_back(SessionState::kTerminal);
    } else if (v == "Abort") {
      f.states.push_back(SessionState::kAbort);
    } else {
      return Invalid("state", fmt::format("'{}' is not Wait, Processing, Terminal or Abort", v));
    }
  }
  if (f.states.empty()) f.states = {SessionState::kTerminal, SessionState::kAbort};

  for (const auto& v : param("originType")) {
    uint32_t bit = OriginBit(v);
    if (bit == store::kOriginOther) {
      return Invalid("originType", fmt::format("'{}' is not webim, app, weixin, weibo or phone", v));
    }
    f.origin_mask |= bit;
  }
  KEFU_RETURN_IF_ERROR(ReadIntegers(param, "techChannelId", INT64_MIN, INT64_MAX, f.tech_channel_ids));
  f.tech_channel_types = param("techChannelType");
  f.customer_name = AsciiLower(First(param("customerName")));
  KEFU_RETURN_IF_ERROR(ReadBool(param, "transfered", f.transfered));
  KEFU_RETURN_IF_ERROR(ReadBool(param, "fromAgentCallback", f.from_agent_callback));
  KEFU_RETURN_IF_ERROR(ReadIntegers(param, "enquirySummary", 0, 5, f.enquiry_summaries));
  KEFU_RETURN_IF_ERROR(ReadIntegers(param, "queueIds", INT64_MIN, INT64_MAX, f.queue_ids));
  std::vector<int64_t> queue_id;
  KEFU_RETURN_IF_ERROR(ReadIntegers(param, "queueId", INT64_MIN, INT64_MAX, queue_id));
  for (int64_t q : queue_id) {
    if (q != 0) f.queue_id.push_back(q);  // 0 means any queue
  }
  f.agent_ids = param("agentIds");
  f.agent_user_ids = param("agentUserId");
  KEFU_RETURN_IF_ERROR(ReadIntegers(param, "summaryIds", INT64_MIN, INT64_MAX, f.summary_ids));
  KEFU_RETURN_IF_ERROR(ReadIntegers(param, "enquiryTagIds", INT64_MIN, INT64_MAX, f.enquiry_tag_ids));

  KEFU_RETURN_IF_ERROR(ReadBound(param, "beginDate", true, f.started.from));
  KEFU_RETURN_IF_ERROR(ReadBound(param, "endDate", false, f.started.to));
  KEFU_RETURN_IF_ERROR(ReadBound(param, "stopDateFrom", true, f.stopped.from));
  KEFU_RETURN_IF_ERROR(ReadBound(param, "stopDateTo", false, f.stopped.to));
  KEFU_RETURN_IF_ERROR(ReadBound(param, "createDateFrom", true, f.created.from));
  KEFU_RETURN_IF_ERROR(ReadBound(param, "createDateTo", false, f.created.to));

  std::string sort_field = First(param("sortField"));
  if (sort_field.empty() || sort_field == "stopDateTime") {
    f.sort_field = store::SessionTimeField::kStop;
  } else if (sort_field == "startDateTime") {
    f.sort_field = store::SessionTimeField::kStart;
  } else if (sort_field == "createDatetime" || sort_field == "createDateTime") {
    f.sort_field = store::SessionTimeField::kCreate;
  } else {
    return Invalid("sortField", "must be stopDateTime, startDateTime or createDatetime");
  }
  std::string order = AsciiLower(First(param("sortOrder")));
  if (order.empty() || order == "desc") {
    f.ascending = false;
  } else if (order == "asc") {
    f.ascending = true;
  } else {
    return Invalid("sortOrder", "must be asc or desc");
  }
  return f;
}

}  // namespace kefu::domain
