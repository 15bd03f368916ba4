// The history import body (POST …/serviceSessionHistorys/import), twice:
//   - by itself: read with api::ReadImportBody as the handler does, each
//     item through
//     domain::ParseSessionItem, and the stored values rendered back with
//     api::WriteSessionItem, which must give the item again (key by key, in
//     the published order; absent keys as null, null booleans as false,
//     tenantId as the number);
//   - through the real handler, api::ImportHistory, over a real SQLite store
//     (support/world.h), whose answer must agree with the first reading.
//
// The first byte chooses the request: bit 0 set sends it as
// application/x-ndjson (else application/json), bit 1 set imports into
// tenant 2 (UTC-5:30) instead of demo tenant 1 (UTC+8). Seeds start with
// '0' (JSON array, tenant 1) or '1' (NDJSON, tenant 1).
#include <fmt/format.h>
#include <rapidjson/document.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "api/handlers.h"
#include "api/import_body.h"
#include "api/json_writer.h"
#include "api/session_json.h"
#include "domain/history_service.h"
#include "domain/session_item.h"
#include "support/checks.h"
#include "support/world.h"

namespace {

using namespace kefu;

std::string_view g_input;

[[noreturn]] void Fail(std::string_view what, const std::string& detail = {}) {
  fuzz::Fail(what, "input: " + fuzz::Printable(g_input) + (detail.empty() ? "" : "\n" + detail));
}

constexpr unsigned kParseFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseFullPrecisionFlag;

// JSON equality that keeps member order and duplicate keys (the stored form
// does), numbers by value.
bool SameJson(const rapidjson::Value& a, const rapidjson::Value& b) {
  if (a.IsNumber() && b.IsNumber()) {
    if (a.IsInt64() && b.IsInt64()) return a.GetInt64() == b.GetInt64();
    if (a.IsUint64() && b.IsUint64()) return a.GetUint64() == b.GetUint64();
    if (a.IsDouble() != b.IsDouble()) return false;
    return a.GetDouble() == b.GetDouble();
  }
  if (a.GetType() != b.GetType()) return false;
  if (a.IsString()) {
    return std::string_view(a.GetString(), a.GetStringLength()) ==
           std::string_view(b.GetString(), b.GetStringLength());
  }
  if (a.IsArray()) {
    if (a.Size() != b.Size()) return false;
    for (rapidjson::SizeType i = 0; i < a.Size(); ++i) {
      if (!SameJson(a[i], b[i])) return false;
    }
    return true;
  }
  if (a.IsObject()) {
    if (a.MemberCount() != b.MemberCount()) return false;
    for (auto x = a.MemberBegin(), y = b.MemberBegin(); x != a.MemberEnd(); ++x, ++y) {
      if (!SameJson(x->name, y->name) || !SameJson(x->value, y->value)) return false;
    }
    return true;
  }
  return true;  // null, true, false: the type says it all
}

const rapidjson::Value* Member(const rapidjson::Value& object, std::string_view key) {
  // The first member of that name, as ParseSessionItem reads it.
  for (auto m = object.MemberBegin(); m != object.MemberEnd(); ++m) {
    if (std::string_view(m->name.GetString(), m->name.GetStringLength()) == key) return &m->value;
  }
  return nullptr;
}

// The stored values render back as the item.
void CheckRoundTrip(const rapidjson::Value& item, const store::SessionRow& row, store::TenantId tenant) {
  api::JsonOut out;
  if (!api::WriteSessionItem(out, row.values)) Fail("WriteSessionItem refused stored values", row.values);
  const std::string rendered = out.Ok().body;
  rapidjson::Document back;
  back.Parse<kParseFlags>(rendered.data(), rendered.size());
  if (back.HasParseError() || !back.IsObject()) Fail("rendered item is not a JSON object", rendered);
  if (back.MemberCount() != domain::kSessionItemKeys.size()) Fail("rendered item has the wrong keys", rendered);
  size_t i = 0;
  for (auto m = back.MemberBegin(); m != back.MemberEnd(); ++m, ++i) {
    const std::string_view key = domain::kSessionItemKeys[i];
    if (std::string_view(m->name.GetString(), m->name.GetStringLength()) != key) {
      Fail("rendered item keys out of order", rendered);
    }
    const rapidjson::Value* given = Member(item, key);
    rapidjson::Value expected;
    if (key == "tenantId") {
      expected.SetInt64(tenant);
    } else if ((key == "transfered" || key == "fromAgentCallback") && (!given || given->IsNull())) {
      expected.SetBool(false);
    } else if (given) {
      if (!SameJson(*given, m->value)) Fail(fmt::format("{} does not come back as imported", key), rendered);
      continue;
    }
    if (!SameJson(expected, m->value)) Fail(fmt::format("{} does not come back as expected", key), rendered);
  }
  if (row.session_id != std::string_view(Member(item, "serviceSessionId")->GetString(),
                                         Member(item, "serviceSessionId")->GetStringLength())) {
    Fail("row id is not serviceSessionId");
  }
}

// The handler's reading (api/import_body.h), then HistoryService::Import's
// checks without the store: the error detail the handler would answer, or
// "" and the number of items.
std::string ReadImport(std::string_view body, bool ndjson, store::TenantId tenant, TimeZone zone,
                       size_t& count, std::vector<std::string>& labels) {
  api::ImportBody read;
  if (Status s = api::ReadImportBody(body, ndjson, read); !s.ok()) return s.detail();
  for (const auto& [label, value] : read.items) {
    auto row = domain::ParseSessionItem(*value, tenant, zone);
    if (!row.ok()) {
      if (row.status().code() != Code::kInvalidParam) Fail("an item failed with a code other than API_001");
      return fmt::format("{}: {}", label, row.status().detail());
    }
    CheckRoundTrip(*value, *row, tenant);
    labels.push_back(label);
  }
  count = read.items.size();
  return "";
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::QuietLogs();
  fuzz::CurrentWorld();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  g_input = std::string_view(reinterpret_cast<const char*>(data), size);
  const bool ndjson = data[0] & 1;
  const bool other_tenant = data[0] & 2;
  const store::TenantId tenant = other_tenant ? fuzz::kOtherTenant : 1;
  const TimeZone zone = other_tenant ? *ParseTimeZone(fuzz::kOtherTenantZone) : TimeZone{8 * 3600};
  const std::string_view body = g_input.substr(1);

  size_t count = 0;
  std::vector<std::string> labels;
  const std::string expected_error = ReadImport(body, ndjson, tenant, zone, count, labels);

  fuzz::World& world = fuzz::CurrentWorld();
  api::ApiRequest request;
  request.method = "POST";
  request.target = fmt::format("/api/tenants/{}/serviceSessionHistorys/import", tenant);
  request.content_type = ndjson ? "application/x-ndjson" : "application/json";
  request.body = std::string(body);
  api::QueryString query("");
  api::Services services = world.services();
  const api::RouteMatch match;  // the handler reads no path parameter
  api::ApiResponse answer =
      api::ImportHistory(services, api::Call{request, query, match, store::TokenGrant{tenant, zone}});
  fuzz::CheckResponse(answer, request);

  rapidjson::Document doc;
  doc.Parse(answer.body.data(), answer.body.size());
  if (answer.status == 200) {
    if (!expected_error.empty()) Fail("the handler imported a body the reading refuses", expected_error);
    const auto& entity = doc["entity"];
    if (!entity.IsObject() || !entity.HasMember("imported") || !entity["imported"].IsInt64() ||
        entity["imported"].GetInt64() != static_cast<int64_t>(count)) {
      Fail("imported is not the number of items", answer.body);
    }
    return 0;
  }
  const auto detail = doc.FindMember("errorDetail");
  const std::string got = detail != doc.MemberEnd()
                              ? std::string(detail->value.GetString(), detail->value.GetStringLength())
                              : "";
  if (expected_error.empty()) {
    // Only the store can refuse what the reading accepts: an id another
    // tenant has (earlier inputs imported into both tenants).
    bool conflict = false;
    for (const auto& label : labels) conflict |= got == label + ": serviceSessionId exists in another tenant";
    if (!conflict) Fail("the handler refused a body the reading accepts", answer.body);
    return 0;
  }
  if (got != expected_error) Fail("the handler's errorDetail differs from the reading's", answer.body + "\nexpected: " + expected_error);
  return 0;
}
