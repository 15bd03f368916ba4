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

// What an item's checks gather besides its values: the row the filters
// read, and the nicknames customerName searches.
struct ItemReading {
  store::TenantId tenant;
  TimeZone zone;
  SessionRow row;
  std::string customer, visitor;
};

// Where the row keeps a field's value for the filters and sorts; nullptr for
// a field they do not read.
std::optional<int64_t>* IntegerColumn(ItemField field, SessionRow& row) {
  switch (field) {
    case ItemField::kTechChannelId: return &row.tech_channel_id;
    case ItemField::kQueueId: return &row.queue_id;
    default: return nullptr;
  }
}

std::optional<std::string>* TextColumn(ItemField field, SessionRow& row) {
  switch (field) {
    case ItemField::kAgentUserId: return &row.agent_user_id;
    case ItemField::kTechChannelType: return &row.tech_channel_type;
    default: return nullptr;
  }
}

std::optional<int64_t>* TimeColumn(ItemField field, SessionRow& row) {
  switch (field) {
    case ItemField::kCreateDatetime: return &row.created_at;
    case ItemField::kStartDateTime: return &row.started_at;
    case ItemField::kStopDateTime: return &row.stopped_at;
    default: return nullptr;
  }
}

bool* FlagColumn(ItemField field, SessionRow& row) {
  switch (field) {
    case ItemField::kFromAgentCallback: return &row.from_agent_callback;
    case ItemField::kTransfered: return &row.transfered;
    default: return nullptr;
  }
}

Status CheckSessionId(std::string_view key, const Value& v, SessionRow& row) {
  if (!v.IsString() || v.GetStringLength() == 0) return Bad(key, "is required (a string)");
  if (Utf8Length(Str(v)).value_or(SIZE_MAX) > kMaxSessionIdChars) {
    return Bad(key, "must be at most 128 characters");
  }
  row.session_id = Str(v);
  return Status::Ok();
}

Status CheckTenant(std::string_view key, const Value& v, store::TenantId tenant) {
  std::optional<int64_t> id;
  if (v.IsInt64()) id = v.GetInt64();
  if (v.IsString()) id = ParseInteger(Str(v), 1, INT64_MAX);
  if (!id || *id != tenant) return Bad(key, "must be this path's tenant");
  return Status::Ok();
}

Status CheckState(std::string_view key, const Value& v, SessionRow& row) {
  static constexpr std::pair<std::string_view, SessionState> kStates[] = {
      {"Wait", SessionState::kWait}, {"Processing", SessionState::kProcessing},
      {"Terminal", SessionState::kTerminal}, {"Abort", SessionState::kAbort}};
  const std::string_view s = v.IsString() ? Str(v) : "";
  for (const auto& [name, state] : kStates) {
    if (s == name) {
      row.state = state;
      return Status::Ok();
    }
  }
  return Bad(key, "must be Wait, Processing, Terminal or Abort");
}

Status CheckInteger(std::string_view key, const Value& v, std::optional<int64_t>* column) {
  if (!v.IsNull() && !v.IsInt64()) return Bad(key, "must be an integer or null");
  if (column && v.IsInt64()) *column = v.GetInt64();
  return Status::Ok();
}

Status CheckWideInteger(std::string_view key, const Value& v) {
  if (!v.IsNull() && !v.IsInt64() && !v.IsUint64()) return Bad(key, "must be an integer or null");
  return Status::Ok();
}

Status CheckText(std::string_view key, const Value& v, std::optional<std::string>* column) {
  if (!IsStringOrNull(v)) return Bad(key, "must be a string or null");
  if (column && v.IsString()) *column = std::string(Str(v));
  return Status::Ok();
}

Status CheckTextOrInteger(std::string_view key, const Value& v) {
  if (!v.IsNull() && !v.IsString() && !v.IsInt64()) {
    return Bad(key, "must be a string, an integer or null");
  }
  return Status::Ok();
}

// Checks a datetime text; sets `column`, if any, to its UTC seconds.
Status CheckDateTime(std::string_view key, const Value& v, TimeZone zone,
                     std::optional<int64_t>* column) {
  if (v.IsNull()) return Status::Ok();
  if (!v.IsString()) return Bad(key, "must be a \"yyyy-MM-dd HH:mm:ss\" string or null");
  auto t = ParseLocalDateTime(Str(v), zone);
  if (!t) return Bad(key, "must be a \"yyyy-MM-dd HH:mm:ss\" string or null");
  if (column) *column = *t;
  return Status::Ok();
}

Status CheckRating(std::string_view key, const Value& v, SessionRow& row) {
  if (v.IsNull()) return Status::Ok();
  auto n = v.IsString() ? ParseInteger(Str(v), 0, 5) : std::nullopt;
  if (!n) return Bad(key, "must be \"0\" to \"5\" or null");
  row.enquiry_summary = static_cast<int>(*n);
  return Status::Ok();
}

Status CheckBoolean(std::string_view key, const Value& v, bool* column) {
  if (!v.IsNull() && !v.IsBool()) return Bad(key, "must be true, false or null");
  if (column && v.IsBool()) *column = v.GetBool();
  return Status::Ok();
}

// Checks an array (or null) element by element: `take` records an element
// and returns false if it is not of the kind. `not_array` and `bad_element`
// say what was wrong.
template <typename Take>
Status CheckArray(std::string_view key, const Value& v, std::string_view not_array,
                  std::string_view bad_element, Take take) {
  if (v.IsNull()) return Status::Ok();
  if (!v.IsArray()) return Bad(key, not_array);
  for (const auto& e : v.GetArray()) {
    if (!take(e)) return Bad(key, bad_element);
  }
  return Status::Ok();
}

// originType, as the row's origin bits.
Status CheckOrigins(std::string_view key, const Value& v, SessionRow& row) {
  constexpr std::string_view kWhy = "must be an array of strings or null";
  return CheckArray(key, v, kWhy, kWhy, [&](const Value& o) {
    if (!o.IsString()) return false;
    row.origin_mask |= OriginBit(Str(o));
    return true;
  });
}

// enquiryTags, as the row's tag ids.
Status CheckEnquiryTags(std::string_view key, const Value& v, SessionRow& row) {
  constexpr std::string_view kWhy = "must be an array of integers or null";
  return CheckArray(key, v, kWhy, kWhy, [&](const Value& t) {
    if (!t.IsInt64()) return false;
    row.enquiry_tag_ids.push_back(t.GetInt64());
    return true;
  });
}

// summarys: paths of tags from the root; the last is the session's tag.
Status CheckTagPaths(std::string_view key, const Value& v, SessionRow& row) {
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

// agentUserSet, as the row's agent ids.
Status CheckAgents(std::string_view key, const Value& v, SessionRow& row) {
  return CheckArray(key, v, "must be an array of agents or null",
                    "agents must be objects with a string userId", [&](const Value& a) {
                      const Value* id = a.IsObject() ? Member(a, "userId") : nullptr;
                      if (!id || !id->IsString()) return false;
                      row.agent_ids.emplace_back(Str(*id));
                      return true;
                    });
}

// Checks the value of `field` (absent = null) and records what the filters need.
Status CheckField(const ItemFieldInfo& field, const Value& v, ItemReading& r) {
  const std::string_view key = field.key;
  switch (field.kind) {
    case ItemKind::kSessionId: return CheckSessionId(key, v, r.row);
    case ItemKind::kTenant: return CheckTenant(key, v, r.tenant);
    case ItemKind::kState: return CheckState(key, v, r.row);
    case ItemKind::kInteger: return CheckInteger(key, v, IntegerColumn(field.field, r.row));
    case ItemKind::kWideInteger: return CheckWideInteger(key, v);
    case ItemKind::kText: return CheckText(key, v, TextColumn(field.field, r.row));
    case ItemKind::kTextOrInteger: return CheckTextOrInteger(key, v);
    case ItemKind::kDateTime: return CheckDateTime(key, v, r.zone, TimeColumn(field.field, r.row));
    case ItemKind::kRating: return CheckRating(key, v, r.row);
    case ItemKind::kBoolean: return CheckBoolean(key, v, FlagColumn(field.field, r.row));
    case ItemKind::kStrings: return CheckOrigins(key, v, r.row);
    case ItemKind::kIntegers: return CheckEnquiryTags(key, v, r.row);
    case ItemKind::kTagPaths: return CheckTagPaths(key, v, r.row);
    case ItemKind::kVisitorObject: return CheckNicknameObject(key, v, "nicename", r.visitor);
    case ItemKind::kCustomerObject:
      return CheckNicknameObject(key, v, "customerNiceName", r.customer);
    case ItemKind::kAgents: return CheckAgents(key, v, r.row);
    case ItemKind::kAnyJson: return Status::Ok();  // kept as given
  }
  return Status::Ok();
}

// Writes a checked value (nullptr: absent) as it is stored.
void WriteStored(const ItemFieldInfo& field, const Value* v, store::TenantId tenant,
                 rapidjson::Writer<rapidjson::StringBuffer>& w) {
  if (field.kind == ItemKind::kTenant) {
    w.Int64(tenant);  // a decimal string reads back as the number
  } else if (field.kind == ItemKind::kBoolean && (!v || v->IsNull())) {
    w.Bool(false);
  } else if (v) {
    v->Accept(w);
  } else {
    w.Null();
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
  ItemReading reading{tenant, zone, {}, {}, {}};
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartArray();
  for (const ItemFieldInfo& field : kItemFields) {
    const Value* v = Member(item, field.key);
    KEFU_RETURN_IF_ERROR(CheckField(field, v ? *v : kNull, reading));
    WriteStored(field, v, tenant, w);
  }
  w.EndArray();
  SessionRow& row = reading.row;
  row.values.assign(buf.GetString(), buf.GetSize());
  row.customer_names = CustomerNames(reading.customer, reading.visitor);
  return std::move(row);
}

}  // namespace kefu::domain
