#include "domain/session_item.h"

#include <fmt/format.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "common/text.h"
#include "domain/history_query.h"

namespace kefu::domain {
namespace {

using rapidjson::Value;
using store::SessionRow;
using store::SessionState;

constexpr size_t kMaxSessionIdChars = 128;
// Deeper values are refused: writing them back recurses once per level.
constexpr int kMaxNesting = 64;

// True if `v` nests arrays and objects at most `budget` levels deep. The
// recursion itself stops at the budget, so hostile input cannot exhaust the stack.
bool NestingWithin(const Value& v, int budget) {
  if (v.IsArray()) {
    if (budget == 0) return false;
    for (const auto& e : v.GetArray()) {
      if (!NestingWithin(e, budget - 1)) return false;
    }
  } else if (v.IsObject()) {
    if (budget == 0) return false;
    for (const auto& m : v.GetObject()) {
      if (!NestingWithin(m.value, budget - 1)) return false;
    }
  }
  return true;
}

Status Bad(std::string_view key, std::string_view why) {
  return Error(Code::kInvalidParam, fmt::format("{} {}", key, why));
}

bool IsStringOrNull(const Value& v) { return v.IsNull() || v.IsString(); }

std::string_view Str(const Value& v) { return {v.GetString(), v.GetStringLength()}; }

const Value* Member(const Value& object, std::string_view key) {
  auto it = object.FindMember(Value(rapidjson::StringRef(key.data(), key.size())));
  return it == object.MemberEnd() ? nullptr : &it->value;
}

// Checks a datetime text; sets `out` to its UTC seconds, or leaves it empty for null.
Status CheckDateTime(std::string_view key, const Value& v, TimeZone zone,
                     std::optional<int64_t>& out) {
  if (v.IsNull()) return Status::Ok();
  if (!v.IsString()) return Bad(key, "must be a \"yyyy-MM-dd HH:mm:ss\" string or null");
  auto t = ParseLocalDateTime(Str(v), zone);
  if (!t) return Bad(key, "must be a \"yyyy-MM-dd HH:mm:ss\" string or null");
  out = *t;
  return Status::Ok();
}

Status CheckNicknameObject(std::string_view key, const Value& v, const char* name_key,
                           std::string& name) {
  if (v.IsNull()) return Status::Ok();
  if (!v.IsObject()) return Bad(key, "must be an object or null");
  const Value* n = Member(v, name_key);
  if (n && !IsStringOrNull(*n)) return Bad(key, fmt::format("{} must be a string or null", name_key));
  if (n && n->IsString()) name = Str(*n);
  return Status::Ok();
}

// Checks the value of `key` (absent = null) and records what the filters need.
Status CheckField(size_t index, const Value& v, store::TenantId tenant, TimeZone zone,
                  SessionRow& row, std::string& customer, std::string& visitor) {
  const std::string_view key = kSessionItemKeys[index];
  switch (index) {
    case 0:  // serviceSessionId
      if (!v.IsString() || v.GetStringLength() == 0) return Bad(key, "is required (a string)");
      if (Utf8Length(Str(v)).value_or(SIZE_MAX) > kMaxSessionIdChars) {
        return Bad(key, "must be at most 128 characters");
      }
      row.session_id = Str(v);
      return Status::Ok();
    case 1: {  // tenantId
      std::optional<int64_t> id;
      if (v.IsInt64()) id = v.GetInt64();
      if (v.IsString()) id = ParseInteger(Str(v), 1, INT64_MAX);
      if (!id || *id != tenant) return Bad(key, "must be this path's tenant");
      return Status::Ok();
    }
    case 2:  // techChannelId
    case 3:  // queueId
    case 6:  // messageSeqId
      if (!v.IsNull() && !v.IsInt64()) return Bad(key, "must be an integer or null");
      if (index == 2 && v.IsInt64()) row.tech_channel_id = v.GetInt64();
      if (index == 3 && v.IsInt64()) row.queue_id = v.GetInt64();
      return Status::Ok();
    case 4: {  // state
      std::string_view s = v.IsString() ? Str(v) : "";
      if (s == "Wait") {
        row.state = SessionState::kWait;
      } else if (s == "Processing") {
        row.state = SessionState::kProcessing;
      } else if (s == "Terminal") {
        row.state = SessionState::kTerminal;
      } else if (s == "Abort") {
        row.state = SessionState::kAbort;
      } else {
        return Bad(key, "must be Wait, Processing, Terminal or Abort");
      }
      return Status::Ok();
    }
    case 5:  // chatGroupId: any 64-bit integer, kept exact
      if (!v.IsNull() && !v.IsInt64() && !v.IsUint64()) return Bad(key, "must be an integer or null");
      return Status::Ok();
    case 10:  // agentUserType
      if (!v.IsNull() && !v.IsString() && !v.IsInt64()) {
        return Bad(key, "must be a string, an integer or null");
      }
      return Status::Ok();
    case 11:
      return CheckDateTime(key, v, zone, row.created_at);
    case 12:
      return CheckDateTime(key, v, zone, row.started_at);
    case 13: {
      std::optional<int64_t> ignored;
      return CheckDateTime(key, v, zone, ignored);
    }
    case 14:
      return CheckDateTime(key, v, zone, row.stopped_at);
    case 16:  // summarys: paths of tags from the root; the last is the session's tag
      if (v.IsNull()) return Status::Ok();
      if (!v.IsArray()) return Bad(key, "must be an array of tag paths or null");
      for (const auto& path : v.GetArray()) {
        if (!path.IsArray() || path.Empty()) return Bad(key, "paths must be non-empty arrays");
        for (const auto& tag : path.GetArray()) {
          const Value* id = tag.IsObject() ? Member(tag, "id") : nullptr;
          if (!id || !id->IsInt64()) return Bad(key, "tags must be objects with an integer id");
        }
        row.summary_ids.push_back((*Member(path[path.Size() - 1], "id")).GetInt64());
      }
      return Status::Ok();
    case 17: {  // enquirySummary
      if (v.IsNull()) return Status::Ok();
      auto n = v.IsString() ? ParseInteger(Str(v), 0, 5) : std::nullopt;
      if (!n) return Bad(key, "must be \"0\" to \"5\" or null");
      row.enquiry_summary = static_cast<int>(*n);
      return Status::Ok();
    }
    case 15:  // techChannelType
      if (!IsStringOrNull(v)) return Bad(key, "must be a string or null");
      if (v.IsString()) row.tech_channel_type = std::string(Str(v));
      return Status::Ok();
    case 7:  // agentUserId
      if (!IsStringOrNull(v)) return Bad(key, "must be a string or null");
      if (v.IsString()) row.agent_user_id = std::string(Str(v));
      return Status::Ok();
    case 20:  // originType
      if (v.IsNull()) return Status::Ok();
      if (!v.IsArray()) return Bad(key, "must be an array of strings or null");
      for (const auto& o : v.GetArray()) {
        if (!o.IsString()) return Bad(key, "must be an array of strings or null");
        row.origin_mask |= OriginBit(Str(o));
      }
      return Status::Ok();
    case 22:
      return CheckNicknameObject(key, v, "nicename", visitor);
    case 23:
      return CheckNicknameObject(key, v, "customerNiceName", customer);
    case 26:  // fromAgentCallback
    case 27:  // transfered
      if (!v.IsNull() && !v.IsBool()) return Bad(key, "must be true, false or null");
      if (v.IsBool()) (index == 26 ? row.from_agent_callback : row.transfered) = v.GetBool();
      return Status::Ok();
    case 29:  // enquiryTags
      if (v.IsNull()) return Status::Ok();
      if (!v.IsArray()) return Bad(key, "must be an array of integers or null");
      for (const auto& t : v.GetArray()) {
        if (!t.IsInt64()) return Bad(key, "must be an array of integers or null");
        row.enquiry_tag_ids.push_back(t.GetInt64());
      }
      return Status::Ok();
    case 32:  // agentUserSet
      if (v.IsNull()) return Status::Ok();
      if (!v.IsArray()) return Bad(key, "must be an array of agents or null");
      for (const auto& a : v.GetArray()) {
        const Value* id = a.IsObject() ? Member(a, "userId") : nullptr;
        if (!id || !id->IsString()) return Bad(key, "agents must be objects with a string userId");
        row.agent_ids.emplace_back(Str(*id));
      }
      return Status::Ok();
    case 28:
    case 30:
    case 31:
    case 33:  // any JSON, kept as given
      return Status::Ok();
    default:  // the remaining text fields
      if (!IsStringOrNull(v)) return Bad(key, "must be a string or null");
      return Status::Ok();
  }
}

}  // namespace

std::string CustomerNames(std::string_view customer_nice_name, std::string_view visitor_nicename) {
  if (customer_nice_name.empty() && visitor_nicename.empty()) return "";
  return AsciiLower(customer_nice_name) + "\n" + AsciiLower(visitor_nicename);
}

Result<SessionRow> ParseSessionItem(const Value& item, store::TenantId tenant, TimeZone zone) {
  if (!item.IsObject()) return Error(Code::kInvalidParam, "must be a JSON object");
  if (!NestingWithin(item, kMaxNesting)) {
    return Error(Code::kInvalidParam, fmt::format("nests deeper than {} levels", kMaxNesting));
  }
  static const Value kNull;
  SessionRow row;
  std::string customer, visitor;
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartArray();
  for (size_t i = 0; i < kSessionItemKeys.size(); ++i) {
    const Value* v = Member(item, kSessionItemKeys[i]);
    KEFU_RETURN_IF_ERROR(CheckField(i, v ? *v : kNull, tenant, zone, row, customer, visitor));
    if (i == 1) {
      w.Int64(tenant);  // a decimal string reads back as the number
    } else if ((i == 26 || i == 27) && (!v || v->IsNull())) {
      w.Bool(false);
    } else if (v) {
      v->Accept(w);
    } else {
      w.Null();
    }
  }
  w.EndArray();
  row.values.assign(buf.GetString(), buf.GetSize());
  row.customer_names = CustomerNames(customer, visitor);
  return row;
}

}  // namespace kefu::domain
