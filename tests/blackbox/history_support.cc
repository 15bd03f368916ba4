#include "history_support.h"

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace bb {
namespace hist {

const std::vector<std::string>& ItemKeys() {
  static const std::vector<std::string> k = {
      "serviceSessionId", "tenantId",         "techChannelId",        "queueId",
      "state",            "chatGroupId",      "messageSeqId",         "agentUserId",
      "agentUserNiceName", "agentUserTrueName", "agentUserType",      "createDatetime",
      "startDateTime",    "agentLastMessageDate", "stopDateTime",     "techChannelType",
      "summarys",         "enquirySummary",   "enquiryDetail",        "techChannelName",
      "originType",       "comment",          "visitorUser",          "customer",
      "messageDetail",    "recordFileUrl",    "fromAgentCallback",    "transfered",
      "visitorUserTags",  "enquiryTags",      "chatMessages",         "lastChatMessage",
      "agentUserSet",     "agentQueueSet",    "enquiryTagNames",      "summarysDetail"};
  return k;
}

namespace {
// Verbatim from the published text (Response示例, the one item).
const char* kPublishedItem = R"({
"serviceSessionId": "29b04e8e-4e79-4eeb-a24a-bad04b9669d4",
"tenantId": @TENANT@,
"techChannelId": 1,
"queueId": null,
"state": "Abort",
"chatGroupId": 1493629159358939434,
"messageSeqId": 1,
"agentUserId": null,
"agentUserNiceName": null,
"agentUserTrueName": null,
"agentUserType": 1,
"createDatetime": "2018-04-19 15:00:59",
"startDateTime": null,
"agentLastMessageDate": null,
"stopDateTime": "2018-04-19 15:00:59",
"techChannelType": "easemob",
"summarys": [
[
{
"id": 123,
"name": "test summary name",
"color": 1,
"parentId": 0
}
]
],
"enquirySummary": "1",
"enquiryDetail": "enquiry detail",
"techChannelName": "优信测试",
"originType": [
"webim"
],
"comment": "comment",
"visitorUser": {
"userId": "e11668c4-8821-4da0-bd42-ca067e338b1d",
"nicename": "customerNiceName",
"username": "visitor_username"
},
"customer": {
"customerId": "a56a735c-a8ea-4043-b161-5235587b85e6",
"customerNiceName": "customerNiceName",
"customerTrueName": null
},
"messageDetail": null,
"recordFileUrl": null,
"fromAgentCallback": false,
"transfered": false,
"visitorUserTags": null,
"enquiryTags": null,
"chatMessages": null,
"lastChatMessage": null,
"agentUserSet": [
{
"userId": "425b496b-d96d-4931-be1c-f095ecdc09ef",
"username": null,
"nicename": "testAgentNicename",
"trueName": "testAgentTrueName",
"tenantId": "1"
}
],
"agentQueueSet": null,
"enquiryTagNames": null,
"summarysDetail": "test summary name"
})";
}  // namespace

std::string PublishedItem(int tenant) {
  std::string s = kPublishedItem;
  auto p = s.find("@TENANT@");
  s.replace(p, 8, std::to_string(tenant));
  return s;
}

std::string PublishedQueryTarget() {
  // The curl example's --url, its line breaks removed, host dropped.
  return "/api/tenants/1/serviceSessionHistorys?page=1&per_page=1&state=Terminal%2CAbort&"
         "isAgent=false&originType=&techChannelId=&techChannelType=&customerName=&agentIds=&"
         "enquiryTagIds=&orderType=&summaryIds=&enquirySummary="
         "&sortOrder=desc&transfered=&queueIds=&stopDateFrom=2018-04-16T00%3A00%3A00.000Z"
         "&stopDateTo=2018-04-20T23%3A59%3A00.000Z&sortField=stopDateTime"
         "&fromAgentCallback=&queueId=0&agentUserId=425b496b-d96d-4931-be1c-f095ecdc09ef";
}

std::string Item(const std::string& id, int tenant, const Fields& overrides) {
  Fields f;
  for (auto& k : ItemKeys()) f[k] = "null";
  f["serviceSessionId"] = S(id);
  f["tenantId"] = std::to_string(tenant);
  f["state"] = S("Terminal");
  f["fromAgentCallback"] = "false";
  f["transfered"] = "false";
  f["createDatetime"] = S("2024-01-10 10:00:00");
  f["startDateTime"] = S("2024-01-10 10:00:05");
  f["stopDateTime"] = S("2024-01-10 10:30:00");
  for (auto& [k, v] : overrides) f[k] = v;
  std::string r = "{";
  bool first = true;
  auto put = [&](const std::string& k, const std::string& v) {
    if (v.empty()) return;
    if (!first) r += ",";
    first = false;
    r += S(k) + ":" + v;
  };
  for (auto& k : ItemKeys()) put(k, f[k]);
  for (auto& [k, v] : overrides)
    if (std::find(ItemKeys().begin(), ItemKeys().end(), k) == ItemKeys().end()) put(k, v);
  return r + "}";
}

std::string Array(const std::vector<std::string>& items) { return "[" + Join(items, ",") + "]"; }

std::string Ndjson(const std::vector<std::string>& items) {
  std::string r;
  for (auto& i : items) r += i + "\n";
  return r;
}

::testing::AssertionResult IsHistoryItem(const rapidjson::Value& v) {
  auto fail = [&](const std::string& why) {
    return ::testing::AssertionFailure() << "bad history item: " << why << "\n" << Compact(v);
  };
  if (!v.IsObject()) return fail("not an object");
  if (Keys(v) != ItemKeys())
    return fail("keys [" + Join(Keys(v)) + "]\n want [" + Join(ItemKeys()) + "]");
  auto str_or_null = [&](const char* k) { return v[k].IsString() || v[k].IsNull(); };
  auto int_or_null = [&](const char* k) { return v[k].IsInt64() || v[k].IsNull(); };
  if (!v["serviceSessionId"].IsString()) return fail("serviceSessionId not a string");
  if (!v["tenantId"].IsInt()) return fail("tenantId not an int");
  for (const char* k : {"techChannelId", "queueId", "messageSeqId"})
    if (!int_or_null(k)) return fail(std::string(k) + " not an integer or null");
  if (!v["state"].IsString()) return fail("state not a string");
  std::string st = v["state"].GetString();
  if (st != "Wait" && st != "Processing" && st != "Terminal" && st != "Abort")
    return fail("state value");
  if (!(v["chatGroupId"].IsInt64() || v["chatGroupId"].IsUint64() || v["chatGroupId"].IsNull()))
    return fail("chatGroupId not an integer or null");
  for (const char* k : {"agentUserId", "agentUserNiceName", "agentUserTrueName", "techChannelType",
                        "enquiryDetail", "techChannelName", "comment", "messageDetail",
                        "recordFileUrl", "enquiryTagNames", "summarysDetail"})
    if (!str_or_null(k)) return fail(std::string(k) + " not a string or null");
  if (!(v["agentUserType"].IsString() || v["agentUserType"].IsInt64() ||
        v["agentUserType"].IsNull()))
    return fail("agentUserType");
  for (const char* k : {"createDatetime", "startDateTime", "agentLastMessageDate", "stopDateTime"}) {
    if (v[k].IsNull()) continue;
    if (!v[k].IsString() ||
        !MatchesRegex(v[k].GetString(), R"(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})"))
      return fail(std::string(k) + " not yyyy-MM-dd HH:mm:ss or null");
  }
  if (!v["summarys"].IsNull()) {
    if (!v["summarys"].IsArray()) return fail("summarys not an array");
    for (auto& path : v["summarys"].GetArray()) {
      if (!path.IsArray() || path.Empty()) return fail("summarys path not a non-empty array");
      for (auto& t : path.GetArray())
        if (!t.IsObject() || !t.HasMember("id") || !t["id"].IsInt64())
          return fail("summarys tag without an integer id");
    }
  }
  if (!v["enquirySummary"].IsNull()) {
    if (!v["enquirySummary"].IsString()) return fail("enquirySummary not a string");
    std::string e = v["enquirySummary"].GetString();
    if (e.size() != 1 || e[0] < '0' || e[0] > '5') return fail("enquirySummary value");
  }
  if (!v["originType"].IsNull()) {
    if (!v["originType"].IsArray()) return fail("originType not an array");
    for (auto& o : v["originType"].GetArray())
      if (!o.IsString()) return fail("originType element not a string");
  }
  for (const char* k : {"visitorUser", "customer"})
    if (!v[k].IsNull() && !v[k].IsObject()) return fail(std::string(k) + " not an object or null");
  for (const char* k : {"fromAgentCallback", "transfered"})
    if (!v[k].IsBool()) return fail(std::string(k) + " not a boolean");
  if (!v["enquiryTags"].IsNull()) {
    if (!v["enquiryTags"].IsArray()) return fail("enquiryTags not an array");
    for (auto& t : v["enquiryTags"].GetArray())
      if (!t.IsInt64()) return fail("enquiryTags element not an integer");
  }
  if (!v["agentUserSet"].IsNull()) {
    if (!v["agentUserSet"].IsArray()) return fail("agentUserSet not an array");
    for (auto& a : v["agentUserSet"].GetArray()) {
      if (!a.IsObject() || !a.HasMember("userId") || !a["userId"].IsString())
        return fail("agentUserSet element without a string userId");
      if (a.HasMember("tenantId") && !a["tenantId"].IsString() && !a["tenantId"].IsNull())
        return fail("agentUserSet[].tenantId not a string");
    }
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult IsHistoryPage(const Response& r) {
  if (auto ok = IsOk(r); !ok) return ok;
  auto d = ParseJson(r.body);
  auto fail = [&](const std::string& why) {
    return ::testing::AssertionFailure() << "bad history page: " << why << "\n" << Describe(r);
  };
  if (Keys(d) != std::vector<std::string>{"status", "entity"}) return fail("keys " + Join(Keys(d)));
  const auto& e = d["entity"];
  if (Keys(e) != std::vector<std::string>{"total_entries", "items"})
    return fail("entity keys " + Join(Keys(e)));
  if (!e["total_entries"].IsInt64() || e["total_entries"].GetInt64() < 0)
    return fail("total_entries not a non-negative integer");
  if (!e["items"].IsArray()) return fail("items not an array");
  if (e["items"].Size() > 50) return fail("more than 50 items");
  for (auto& it : e["items"].GetArray())
    if (auto ok = IsHistoryItem(it); !ok) return ok;
  return ::testing::AssertionSuccess();
}

long long LocalToEpoch(const std::string& local, int offset_hours) {
  long long t = ParseDateTime(local);
  return t < 0 ? t : t - offset_hours * 3600LL;
}

std::string EpochToLocal(long long epoch_s, int offset_hours) {
  time_t t = static_cast<time_t>(epoch_s + offset_hours * 3600LL);
  tm tmv;
  gmtime_r(&t, &tmv);
  char b[32];
  strftime(b, sizeof b, "%Y-%m-%d %H:%M:%S", &tmv);
  return b;
}

std::string Iso(long long epoch_ms, int style, int offset_hours) {
  long long ms = ((epoch_ms % 1000) + 1000) % 1000;
  long long s = (epoch_ms - ms) / 1000;
  int off = (style == 2 || style == 3) ? offset_hours : 0;
  time_t t = static_cast<time_t>(s + off * 3600LL);
  tm tmv;
  gmtime_r(&t, &tmv);
  char b[64];
  strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%S", &tmv);
  std::string r = b;
  char frac[8];
  snprintf(frac, sizeof frac, ".%03lld", ms);
  char zone[16];
  snprintf(zone, sizeof zone, "%c%02d", off < 0 ? '-' : '+', off < 0 ? -off : off);
  switch (style) {
    case 1: return r + (ms ? frac : "") + "Z";
    case 2: return r + frac + zone + ":00";
    case 3: return r + (ms ? frac : "") + zone + "00";
    case 4: return r + frac;
    default: return r + frac + "Z";
  }
}

Page ParsePage(const std::string& body) {
  Page p;
  auto d = ParseJson(body);
  if (d.HasParseError() || !d.IsObject() || !d.HasMember("entity") || !d["entity"].IsObject())
    return p;
  const auto& e = d["entity"];
  if (!e.HasMember("total_entries") || !e["total_entries"].IsInt64() || !e.HasMember("items") ||
      !e["items"].IsArray())
    return p;
  p.total = e["total_entries"].GetInt64();
  for (auto& it : e["items"].GetArray()) {
    p.ids.push_back(it.IsObject() && it.HasMember("serviceSessionId") &&
                            it["serviceSessionId"].IsString()
                        ? it["serviceSessionId"].GetString()
                        : "?");
    p.items.push_back(Compact(it));
  }
  return p;
}

std::string Canon(const std::string& json) {
  auto d = ParseJson(json);
  if (d.HasParseError()) return "<unparsable: " + json + ">";
  return Compact(d);
}

std::vector<std::string> RawValues(const std::string& body, const std::string& key) {
  std::vector<std::string> out;
  std::string needle = "\"" + key + "\"";
  size_t pos = 0;
  while ((pos = body.find(needle, pos)) != std::string::npos) {
    pos += needle.size();
    size_t i = pos;
    while (i < body.size() && (body[i] == ' ' || body[i] == '\n' || body[i] == '\r' || body[i] == '\t')) ++i;
    if (i >= body.size() || body[i] != ':') continue;
    ++i;
    while (i < body.size() && (body[i] == ' ' || body[i] == '\n' || body[i] == '\r' || body[i] == '\t')) ++i;
    size_t j = i;
    while (j < body.size() && body[j] != ',' && body[j] != '}' && body[j] != ']' && body[j] != ' ' &&
           body[j] != '\n')
      ++j;
    out.push_back(body.substr(i, j - i));
    pos = j;
  }
  return out;
}

void HistoryTest::SetUp() {
  KefuTest::SetUp();
  t_ = CreateTenant("hist", 0, Zone());
  StartServer();
  token_ = IssueToken(t_);
}

std::string HistoryTest::Base(int tenant, const char* prefix) const {
  return prefix + std::to_string(tenant ? tenant : t_.id) + "/serviceSessionHistorys";
}

Response HistoryTest::Query(const std::string& query, int tenant, const std::string& token) {
  std::string target = Base(tenant);
  if (!query.empty()) target += "?" + query;
  return Get(target, token.empty() ? token_ : token);
}

Page HistoryTest::MustQuery(const std::string& query, int tenant, const std::string& token) {
  auto r = Query(query, tenant, token);
  EXPECT_TRUE(IsHistoryPage(r)) << "query: " << query;
  return ParsePage(r.body);
}

Response HistoryTest::ImportJson(const std::string& body, int tenant, const std::string& token) {
  return http().Request("POST", Base(tenant) + "/import", body,
                        {{"Kefu-Token", token.empty() ? token_ : token},
                         {"Content-Type", "application/json"}},
                        true);
}

Response HistoryTest::ImportNdjson(const std::string& body, int tenant, const std::string& token) {
  return http().Request("POST", Base(tenant) + "/import", body,
                        {{"Kefu-Token", token.empty() ? token_ : token},
                         {"Content-Type", "application/x-ndjson"}},
                        true);
}

void HistoryTest::MustImport(const std::vector<std::string>& items, int tenant,
                             const std::string& token) {
  size_t i = 0;
  while (i < items.size()) {
    std::vector<std::string> chunk;
    size_t bytes = 2;
    while (i < items.size() && chunk.size() < 1000 && bytes + items[i].size() + 1 < 900 * 1024) {
      bytes += items[i].size() + 1;
      chunk.push_back(items[i++]);
    }
    auto r = ImportJson(Array(chunk), tenant, token);
    ASSERT_TRUE(IsOk(r)) << "import of " << chunk.size() << " items";
    ASSERT_EQ(Canon(r.body),
              R"({"status":"OK","entity":{"imported":)" + std::to_string(chunk.size()) + "}}")
        << Describe(r);
  }
}

}  // namespace hist
}  // namespace bb
