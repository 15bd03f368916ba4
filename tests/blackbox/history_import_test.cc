// POST .../serviceSessionHistorys/import and `kefud import` / `kefud demo
// --sessions` (CONTRACT §6 Import, §9; decisions.md "History import").
#include <atomic>
#include <cstdlib>
#include <thread>
#include <fstream>
#include <random>
#include <set>

#include "history_support.h"

namespace bb {
namespace hist {
namespace {

std::string ImportedBody(long long n) {
  return R"({"status":"OK","entity":{"imported":)" + std::to_string(n) + "}}";
}

std::string ErrorDetail(const Response& r) {
  auto d = ParseJson(r.body);
  if (d.HasParseError() || !d.IsObject() || !d.HasMember("errorDetail") ||
      !d["errorDetail"].IsString())
    return "";
  return d["errorDetail"].GetString();
}

const char* kAll = "state=Wait,Processing,Terminal,Abort";

class HistoryImportTest : public HistoryTest {
 protected:
  std::string It(const std::string& id, const Fields& f = {}) { return Item(id, t_.id, f); }
  // All items of the tenant (all states), in the default order.
  std::vector<std::string> AllItems(int tenant = 0, const std::string& token = "") {
    std::vector<std::string> out;
    for (int page = 1; page < 1000; ++page) {
      Page p = MustQuery(std::string(kAll) + "&per_page=50&page=" + std::to_string(page), tenant, token);
      if (p.items.empty()) break;
      out.insert(out.end(), p.items.begin(), p.items.end());
    }
    return out;
  }
  void ExpectImportRejected(const std::string& body, bool ndjson, const std::string& detail_has) {
    std::string before = Snap();
    auto r = ndjson ? ImportNdjson(body) : ImportJson(body);
    EXPECT_TRUE(IsError(r, "API_001")) << "body: " << body.substr(0, 600);
    if (!detail_has.empty()) {
      EXPECT_NE(ErrorDetail(r).find(detail_has), std::string::npos)
          << "errorDetail should name '" << detail_has << "': " << r.body
          << "\nbody: " << body.substr(0, 600);
    }
    EXPECT_TRUE(SameSnapshot(before, Snap())) << "body: " << body.substr(0, 600);
  }
};

std::string LongId(size_t n) { return std::string(n, 'x'); }

TEST_F(HistoryImportTest, JsonArrayImportsAndReadsBackAsGiven) {
  std::vector<std::string> items = {
      It("j1", {{"techChannelId", "7"}, {"queueId", "3"}, {"chatGroupId", "12345"},
                {"messageSeqId", "9"}, {"agentUserType", S("Agent")},
                {"agentLastMessageDate", S("2024-01-10 10:20:00")}, {"comment", S("a \"q\" \\ / \n 备注")},
                {"originType", R"(["app","weixin"])"}, {"enquirySummary", S("0")}}),
      It("j2", {{"state", S("Abort")}, {"startDateTime", "null"}, {"agentUserType", "2"},
                {"stopDateTime", S("2024-01-11 00:00:00")}}),
      It("j3", {{"state", S("Wait")}, {"startDateTime", "null"}, {"stopDateTime", "null"},
                {"createDatetime", "null"}})};
  auto r = ImportJson(Array(items));
  ASSERT_TRUE(IsOk(r));
  EXPECT_EQ(Canon(r.body), ImportedBody(3));
  std::set<std::string> got;
  for (auto& i : AllItems()) got.insert(i);
  std::set<std::string> want;
  for (auto& i : items) want.insert(Canon(i));
  EXPECT_EQ(got, want);
}

TEST_F(HistoryImportTest, NdjsonImportsAndSkipsBlankLines) {
  std::vector<std::string> items = {It("n1"), It("n2", {{"transfered", "true"}}), It("n3")};
  std::string body = items[0] + "\n\n" + items[1] + "\n   \n" + items[2];  // no final newline
  auto r = ImportNdjson(body);
  ASSERT_TRUE(IsOk(r));
  EXPECT_EQ(Canon(r.body), ImportedBody(3));
  std::set<std::string> got;
  for (auto& i : AllItems()) got.insert(i);
  std::set<std::string> want;
  for (auto& i : items) want.insert(Canon(i));
  EXPECT_EQ(got, want);
  // With a final newline too.
  r = ImportNdjson(Ndjson({It("n4")}));
  EXPECT_EQ(Canon(r.body), ImportedBody(1));
}

TEST_F(HistoryImportTest, EmptyArrayImportsZero) {
  auto r = ImportJson("[]");
  ASSERT_TRUE(IsOk(r));
  EXPECT_EQ(Canon(r.body), ImportedBody(0));
  EXPECT_EQ(Total(kAll), 0);
}

TEST_F(HistoryImportTest, ThousandItemsOkMoreIs001) {
  std::vector<std::string> items;
  for (int i = 0; i < 1001; ++i)
    items.push_back(Item("k" + std::to_string(i), t_.id, {{"chatGroupId", std::to_string(i)}}));
  ExpectImportRejected(Array(items), false, "");
  ExpectImportRejected(Ndjson(items), true, "");
  items.pop_back();
  auto r = ImportJson(Array(items));
  ASSERT_TRUE(IsOk(r));
  EXPECT_EQ(Canon(r.body), ImportedBody(1000));
  EXPECT_EQ(Total(kAll), 1000);
}

TEST_F(HistoryImportTest, BodyOver1MiBIs413) {
  std::vector<std::string> items;
  std::string big(2000, 'c');
  for (int i = 0; i < 600; ++i) items.push_back(It("b" + std::to_string(i), {{"comment", S(big)}}));
  std::string body = Array(items);
  ASSERT_GT(body.size(), 1024u * 1024u);
  std::string before = Snap();
  auto r = ImportJson(body);
  EXPECT_TRUE(IsError(r, "API_413"));
  EXPECT_TRUE(SameSnapshot(before, Snap()));
}

TEST_F(HistoryImportTest, MalformedBodiesAre001) {
  for (std::string body : std::vector<std::string>{"", "not json", "[1,", "{}", R"({"items":[]})",
                                                   "null", "5", "\"x\""})
    ExpectImportRejected(body, false, "");
  ExpectImportRejected("{not json}\n", true, "line 1");
  ExpectImportRejected(It("ok") + "\n[1,2]\n", true, "line 2");
}

TEST_F(HistoryImportTest, BadItemAnywhereIs001WithItsIndexAndNothingStored) {
  struct Bad {
    std::string what;
    std::string item;
  };
  auto it = [&](const Fields& f) { return It("bad", f); };
  std::vector<Bad> bads = {
      {"no serviceSessionId", it({{"serviceSessionId", ""}})},
      {"empty serviceSessionId", it({{"serviceSessionId", S("")}})},
      {"129-char serviceSessionId", it({{"serviceSessionId", S(LongId(129))}})},
      {"numeric serviceSessionId", it({{"serviceSessionId", "5"}})},
      {"null serviceSessionId", it({{"serviceSessionId", "null"}})},
      {"no tenantId", it({{"tenantId", ""}})},
      {"other tenantId", it({{"tenantId", std::to_string(t_.id + 1)}})},
      {"tenantId text", it({{"tenantId", S("abc")}})},
      {"no state", it({{"state", ""}})},
      {"state Closed", it({{"state", S("Closed")}})},
      {"state lowercase", it({{"state", S("terminal")}})},
      {"techChannelId string", it({{"techChannelId", S("1")}})},
      {"techChannelId fraction", it({{"techChannelId", "1.5"}})},
      {"queueId text", it({{"queueId", S("x")}})},
      {"messageSeqId bool", it({{"messageSeqId", "true"}})},
      {"chatGroupId 2^64", it({{"chatGroupId", "18446744073709551616"}})},
      {"chatGroupId below -2^63", it({{"chatGroupId", "-9223372036854775809"}})},
      {"chatGroupId fraction", it({{"chatGroupId", "1.5"}})},
      {"chatGroupId string", it({{"chatGroupId", S("123")}})},
      {"createDatetime ISO", it({{"createDatetime", S("2018-04-19T15:00:59")}})},
      {"createDatetime no seconds", it({{"createDatetime", S("2018-04-19 15:00")}})},
      {"createDatetime month 13", it({{"createDatetime", S("2018-13-19 15:00:59")}})},
      {"startDateTime number", it({{"startDateTime", "5"}})},
      {"stopDateTime word", it({{"stopDateTime", S("yesterday")}})},
      {"agentLastMessageDate bad", it({{"agentLastMessageDate", S("2018/04/19 15:00:59")}})},
      {"createDatetime Feb 29 of 2023", it({{"createDatetime", S("2023-02-29 10:00:00")}})},
      {"stopDateTime hour 24", it({{"stopDateTime", S("2024-01-10 24:00:00")}})},
      {"stopDateTime minute 60", it({{"stopDateTime", S("2024-01-10 10:60:00")}})},
      {"startDateTime with zone", it({{"startDateTime", S("2024-01-10 10:00:00+08:00")}})},
      {"startDateTime with millis", it({{"startDateTime", S("2024-01-10 10:00:00.000")}})},
      {"enquirySummary 6", it({{"enquirySummary", S("6")}})},
      {"enquirySummary number", it({{"enquirySummary", "5"}})},
      {"enquirySummary empty", it({{"enquirySummary", S("")}})},
      {"originType string", it({{"originType", S("webim")}})},
      {"originType numbers", it({{"originType", "[1]"}})},
      {"transfered string", it({{"transfered", S("true")}})},
      {"transfered number", it({{"transfered", "1"}})},
      {"fromAgentCallback string", it({{"fromAgentCallback", S("no")}})},
      {"visitorUser string", it({{"visitorUser", S("x")}})},
      {"visitorUser nicename number", it({{"visitorUser", R"({"nicename":5})"}})},
      {"customer array", it({{"customer", "[]"}})},
      {"customer nicename bool", it({{"customer", R"({"customerNiceName":true})"}})},
      {"summarys object", it({{"summarys", "{}"}})},
      {"summarys empty path", it({{"summarys", "[[]]"}})},
      {"summarys tag without id", it({{"summarys", R"([[{"name":"x"}]])"}})},
      {"summarys id string", it({{"summarys", R"([[{"id":"1"}]])"}})},
      {"summarys path not array", it({{"summarys", R"([{"id":1}])"}})},
      {"enquiryTags strings", it({{"enquiryTags", R"(["1"])"}})},
      {"enquiryTags object", it({{"enquiryTags", "{}"}})},
      {"enquiryTags fraction", it({{"enquiryTags", "[1.5]"}})},
      {"agentUserSet userId number", it({{"agentUserSet", R"([{"userId":5}])"}})},
      {"agentUserSet no userId", it({{"agentUserSet", "[{}]"}})},
      {"agentUserSet string", it({{"agentUserSet", S("x")}})},
      {"agentUserSet of numbers", it({{"agentUserSet", "[1]"}})},
      {"agentUserId number", it({{"agentUserId", "5"}})},
      {"agentUserNiceName bool", it({{"agentUserNiceName", "true"}})},
      {"techChannelType number", it({{"techChannelType", "1"}})},
      {"enquiryTagNames array", it({{"enquiryTagNames", "[]"}})},
      {"summarysDetail object", it({{"summarysDetail", "{}"}})},
      {"agentUserType bool", it({{"agentUserType", "true"}})},
      {"agentUserType fraction", it({{"agentUserType", "1.5"}})},
      {"item is a number", "5"},
      {"item is a string", S("x")},
      {"item is null", "null"},
      {"item is an array", "[]"},
  };
  std::vector<std::string> good = {It("g0"), It("g1"), It("g2"), It("g4")};
  for (auto& b : bads) {
    SCOPED_TRACE(b.what);
    // At index 3 of a JSON array.
    ExpectImportRejected(Array({good[0], good[1], good[2], b.item, good[3]}), false, "item 3");
    // First, in NDJSON at line 4 and line 1.
    ExpectImportRejected(Ndjson({good[0], good[1], good[2], b.item, good[3]}), true, "line 4");
    ExpectImportRejected(Ndjson({b.item}), true, "line 1");
  }
  EXPECT_EQ(Total(kAll), 0);
}

TEST_F(HistoryImportTest, BadItemIndexIsZeroBasedAndLineOneBased) {
  std::vector<std::string> good = {It("g0"), It("g1")};
  std::string bad = It("bad", {{"state", S("Closed")}});
  ExpectImportRejected(Array({bad, good[0], good[1]}), false, "item 0");
  ExpectImportRejected(Array({good[0], good[1], bad}), false, "item 2");
  ExpectImportRejected(Ndjson({bad, good[0]}), true, "line 1");
  ExpectImportRejected(Ndjson({good[0], good[1], bad}), true, "line 3");
}

TEST_F(HistoryImportTest, NdjsonLineNumbersCountBlankLines) {
  std::string bad = It("bad", {{"state", S("Closed")}});
  ExpectImportRejected(It("a") + "\n\n" + bad + "\n", true, "line 3");
  ExpectImportRejected("\n\n\n" + bad, true, "line 4");
}

TEST_F(HistoryImportTest, IdsAreCaseSensitiveAndCountCharacters) {
  std::string han128, han129;
  for (int i = 0; i < 128; ++i) han128 += "会";
  han129 = han128 + "话";
  auto r = ImportJson(Array({It("abc"), It("ABC"), It(han128), It(LongId(128))}));
  ASSERT_TRUE(IsOk(r));
  EXPECT_EQ(Canon(r.body), ImportedBody(4));
  EXPECT_EQ(Total(kAll), 4);
  ExpectImportRejected(Array({It(han129)}), false, "item 0");
  auto p = MustQuery("sortOrder=asc");
  std::set<std::string> ids(p.ids.begin(), p.ids.end());
  EXPECT_TRUE(ids.count(han128));
  EXPECT_TRUE(ids.count("abc") && ids.count("ABC"));
}

TEST_F(HistoryImportTest, TenantIdMismatchIs001AndDecimalStringAccepted) {
  auto other = CreateTenant("other-tenant");
  ExpectImportRejected(Array({Item("x1", other.id)}), false, "item 0");
  ExpectImportRejected(Array({It("x0"), Item("x1", other.id)}), false, "item 1");
  ExpectImportRejected(Array({It("x0", {{"tenantId", S(std::to_string(other.id))}})}), false, "item 0");
  auto r = ImportJson(Array({It("x2", {{"tenantId", S(std::to_string(t_.id))}})}));
  ASSERT_TRUE(IsOk(r));
  EXPECT_EQ(Canon(r.body), ImportedBody(1));
  auto p = MustQuery("");
  ASSERT_EQ(p.items.size(), 1u);
  EXPECT_TRUE(ParseJson(p.items[0])["tenantId"].IsInt());
  EXPECT_EQ(ParseJson(p.items[0])["tenantId"].GetInt(), t_.id);
}

TEST_F(HistoryImportTest, MinimalItemReadsBackWithNullsAndFalse) {
  std::string minimal = Obj({{"serviceSessionId", S("min")}, {"tenantId", std::to_string(t_.id)},
                             {"state", S("Abort")}});
  auto r = ImportJson(Array({minimal}));
  ASSERT_TRUE(IsOk(r));
  Fields nulls;
  for (auto& k : ItemKeys()) nulls[k] = "null";
  nulls.erase("serviceSessionId");
  nulls.erase("tenantId");
  nulls["state"] = S("Abort");
  nulls["fromAgentCallback"] = "false";
  nulls["transfered"] = "false";
  auto p = MustQuery("");
  ASSERT_EQ(p.items.size(), 1u);
  EXPECT_EQ(p.items[0], Canon(Item("min", t_.id, nulls)));
}

TEST_F(HistoryImportTest, NullBooleansReadBackFalse) {
  ASSERT_TRUE(IsOk(ImportJson(Array({It("nb", {{"transfered", "null"}, {"fromAgentCallback", "null"}})}))));
  auto p = MustQuery("");
  ASSERT_EQ(p.items.size(), 1u);
  EXPECT_EQ(p.items[0], Canon(It("nb")));
}

TEST_F(HistoryImportTest, KeysOutsideTheShapeAreIgnored) {
  std::string with_extra = It("ex", {{"zzz", "1"}, {"extra", R"({"a":[1,2]})"}, {"id", S("x")}});
  ASSERT_TRUE(IsOk(ImportJson(Array({with_extra}))));
  auto p = MustQuery("");
  ASSERT_EQ(p.items.size(), 1u);
  EXPECT_EQ(p.items[0], Canon(It("ex")));
}

TEST_F(HistoryImportTest, AnyJsonFieldsComeBackAsGiven) {
  std::string item = It(
      "anyjson",
      {{"visitorUserTags", R"([{"id":1,"name":"vip","color":"#ff0000"},"plain",7,null,true])"},
       {"chatMessages", R"([{"msg":"你好","n":[1,2,{"x":null}],"ok":false},{"f":1.5}])"},
       {"lastChatMessage", R"({"body":"bye","timestamp":1718000000000})"},
       {"agentQueueSet", R"([{"queueId":1,"queueName":"售前"}])"}});
  ASSERT_TRUE(IsOk(ImportJson(Array({item}))));
  auto p = MustQuery("");
  ASSERT_EQ(p.items.size(), 1u);
  EXPECT_EQ(p.items[0], Canon(item));
  // Strings are JSON too.
  std::string strs = It("strs", {{"visitorUserTags", S("tag")}, {"chatMessages", S("[]")},
                                 {"lastChatMessage", "0"}, {"agentQueueSet", "{}"}});
  ASSERT_TRUE(IsOk(ImportJson(Array({strs}))));
  auto all = AllItems();
  EXPECT_NE(std::find(all.begin(), all.end(), Canon(strs)), all.end());
}

TEST_F(HistoryImportTest, NestedObjectsComeBackAsGiven) {
  // "a later query returns each item as it was given": nested members beyond
  // the published ones are part of what was given.
  std::string item = It(
      "nested",
      {{"visitorUser", R"({"userId":"u","nicename":"n","username":"v","extraKey":{"deep":[1]}})"},
       {"customer", R"({"customerId":"c","customerNiceName":null,"customerTrueName":"t","more":1})"},
       {"summarys", R"([[{"id":1,"name":"a","color":2,"parentId":0,"extra":"kept"},{"id":2,"name":"b","color":3,"parentId":1}]])"},
       {"agentUserSet", R"([{"userId":"u1","username":"a@b.c","nicename":"n","trueName":"t","tenantId":"1"}])"}});
  ASSERT_TRUE(IsOk(ImportJson(Array({item}))));
  auto p = MustQuery("");
  ASSERT_EQ(p.items.size(), 1u);
  EXPECT_EQ(p.items[0], Canon(item));
}

TEST_F(HistoryImportTest, NestingBeyond64LevelsIsApi001AndStoresNothing) {
  // decisions.md: the any-JSON fields come back as given, nested at most 64
  // levels; an item nested deeper is API_001. The item object is the first level.
  auto nest = [](int levels) { return std::string(levels, '[') + std::string(levels, ']'); };
  std::string edge = It("edge", {{"chatMessages", nest(63)}});
  ASSERT_TRUE(IsOk(ImportJson(Array({edge}))));
  auto p = MustQuery("");
  ASSERT_EQ(p.items.size(), 1u);
  EXPECT_EQ(p.items[0], Canon(edge));
  // One level more, in an array body, in NDJSON, and beside a good item.
  ExpectImportRejected(Array({It("over", {{"chatMessages", nest(64)}})}), false, "item 0");
  ExpectImportRejected(Ndjson({It("ok"), It("over", {{"visitorUserTags", "{\"a\":" + nest(63) + "}"}})}),
                       true, "line 2");
  ExpectImportRejected(Array({It("ok"), It("over", {{"agentQueueSet", nest(64)}})}), false, "item 1");
  // Far deeper: refused the same way, and the server keeps answering.
  for (int depth : {1000, 100000}) {
    SCOPED_TRACE("depth " + std::to_string(depth));
    ExpectImportRejected(Array({It("deep", {{"chatMessages", nest(depth)}})}), false, "item 0");
    ExpectImportRejected(nest(depth), false, "");                  // items that are not objects
    ExpectImportRejected(std::string(depth, '['), false, "");     // not JSON at all
  }
  p = MustQuery("");
  ASSERT_EQ(p.items.size(), 1u);
  EXPECT_EQ(p.items[0], Canon(edge));
  EXPECT_TRUE(server_.running());
}

TEST_F(HistoryImportTest, ImportIsAtomicForConcurrentReaders) {
  std::atomic<bool> done{false};
  std::vector<long long> seen;
  std::string error;
  std::thread reader([&] {
    try {
      auto c = NewConn();
      while (!done.load()) {
        auto r = c->Request("GET", Base() + "?" + kAll + "&per_page=1", {}, {{"Kefu-Token", token_}});
        if (r.status != 200) {
          error = Describe(r);
          return;
        }
        seen.push_back(ParsePage(r.body).total);
      }
    } catch (const std::exception& e) {
      error = e.what();
    }
  });
  auto writer = NewConn();
  for (int batch = 0; batch < 5; ++batch) {
    std::vector<std::string> items;
    for (int i = 0; i < 1000; ++i)
      items.push_back(It("b" + std::to_string(batch) + "-" + std::to_string(i),
                         {{"customer", R"({"customerId":"c","customerNiceName":"Reader Test","customerTrueName":null})"}}));
    auto r = writer->Request("POST", Base() + "/import", Array(items),
                             {{"Kefu-Token", token_}, {"Content-Type", "application/json"}});
    EXPECT_EQ(Canon(r.body), ImportedBody(1000)) << Describe(r);
  }
  done = true;
  reader.join();
  EXPECT_EQ(error, "");
  for (long long t : seen) EXPECT_EQ(t % 1000, 0) << "a reader saw part of an import: " << t;
  EXPECT_EQ(Total(kAll), 5000);
}

TEST_F(HistoryImportTest, ReplaceById) {
  ASSERT_TRUE(IsOk(ImportJson(Array({It("r1", {{"comment", S("v1")}}), It("r2")}))));
  std::string v2 = It("r1", {{"comment", S("v2")}, {"state", S("Abort")}, {"startDateTime", "null"}});
  auto r = ImportJson(Array({v2}));
  ASSERT_TRUE(IsOk(r));
  EXPECT_EQ(Canon(r.body), ImportedBody(1));
  auto all = AllItems();
  EXPECT_EQ(all.size(), 2u);
  EXPECT_EQ(Total(kAll), 2);
  EXPECT_NE(std::find(all.begin(), all.end(), Canon(v2)), all.end());
  // A replaced Terminal → Processing leaves the default view.
  ASSERT_TRUE(IsOk(ImportJson(Array({It("r2", {{"state", S("Processing")}, {"stopDateTime", "null"}})}))));
  EXPECT_EQ(MustQuery("").ids, std::vector<std::string>{"r1"});
}

TEST_F(HistoryImportTest, LaterItemWinsWithinOneRequest) {
  std::string v1 = It("dup", {{"comment", S("first")}});
  std::string v2 = It("dup", {{"comment", S("second")}});
  ASSERT_TRUE(IsOk(ImportJson(Array({v1, v2}))));
  auto all = AllItems();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0], Canon(v2));
  ASSERT_TRUE(IsOk(ImportNdjson(Ndjson({v2, v1}))));
  all = AllItems();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0], Canon(v1));
}

TEST_F(HistoryImportTest, IdOfAnotherTenantIs001AndNotOverwritten) {
  auto b = CreateTenant("owner-b", 0, "UTC+8");
  std::string tb = IssueToken(b);
  std::string theirs = Item("shared-id", b.id, {{"comment", S("B's")}});
  ASSERT_NO_FATAL_FAILURE(MustImport({theirs}, b.id, tb));
  ExpectImportRejected(Array({It("mine"), It("shared-id", {{"comment", S("A's")}})}), false, "item 1");
  ExpectImportRejected(Ndjson({It("mine"), It("shared-id")}), true, "line 2");
  EXPECT_EQ(Total(kAll), 0);
  auto pb = MustQuery("", b.id, tb);
  ASSERT_EQ(pb.items.size(), 1u);
  EXPECT_EQ(pb.items[0], Canon(theirs));
}

TEST_F(HistoryImportTest, PublishedExampleItemReadsBackByteIdentical) {
  std::string published = PublishedItem(t_.id);
  auto r = ImportJson("[" + published + "]");
  ASSERT_TRUE(IsOk(r));
  EXPECT_EQ(Canon(r.body), ImportedBody(1));
  auto q = Query("");
  ASSERT_TRUE(IsHistoryPage(q));
  auto p = ParsePage(q.body);
  ASSERT_EQ(p.items.size(), 1u);
  EXPECT_EQ(p.items[0], Canon(published));
  // The response text holds the item exactly as the compact form of what was given.
  EXPECT_NE(q.body.find(Canon(published)), std::string::npos) << q.body;
  EXPECT_EQ(q.body, R"({"status":"OK","entity":{"total_entries":1,"items":[)" + Canon(published) + "]}}");
}

// A deterministic mix of items for the round trip.
std::vector<std::string> MixedItems(int tenant, int n, uint32_t seed) {
  std::mt19937 g(seed);
  std::vector<std::string> out;
  const std::vector<std::string> states = {"Wait", "Processing", "Terminal", "Abort"};
  for (int i = 0; i < n; ++i) {
    std::string st = states[g() % 4];
    char t[32];
    snprintf(t, sizeof t, "2024-0%d-%02d %02d:%02d:%02d", 1 + static_cast<int>(g() % 3),
             1 + static_cast<int>(g() % 28), static_cast<int>(g() % 24), static_cast<int>(g() % 60),
             static_cast<int>(g() % 60));
    Fields f = {{"state", S(st)},
                {"createDatetime", g() % 10 ? S(t) : "null"},
                {"startDateTime", st == "Terminal" || st == "Processing" ? S(t) : "null"},
                {"stopDateTime", st == "Terminal" || st == "Abort" ? S(t) : "null"},
                {"chatGroupId", std::to_string((uint64_t{1} << 60) + g())},
                {"techChannelId", std::to_string(g() % 5)},
                {"queueId", g() % 3 ? std::to_string(g() % 7) : "null"},
                {"originType", g() % 2 ? R"(["webim"])" : R"(["app","phone"])"},
                {"customer", Obj({{"customerId", S("c" + std::to_string(i))},
                                  {"customerNiceName", S(g() % 2 ? "王小明" : "Bob_" + std::to_string(i))},
                                  {"customerTrueName", "null"}})},
                {"enquirySummary", g() % 2 ? S(std::to_string(1 + g() % 5)) : "null"},
                {"enquiryTags", g() % 2 ? "[501,502]" : "null"},
                {"summarys", R"([[{"id":10,"name":"咨询","color":1,"parentId":0}]])"},
                {"summarysDetail", S("咨询")},
                {"chatMessages", g() % 4 ? "null" : R"([{"m":"hi"}])"},
                {"transfered", g() % 2 ? "true" : "false"},
                {"agentUserSet", R"([{"userId":"u)" + std::to_string(g() % 5) +
                                     R"(","username":null,"nicename":"n","trueName":"t","tenantId":")" +
                                     std::to_string(tenant) + R"("}])"}};
    out.push_back(Item("rt-" + std::to_string(g() % 100000) + "-" + std::to_string(i), tenant, f));
  }
  return out;
}

TEST_F(HistoryImportTest, RoundTripIntoAFreshDatabaseGivesIdenticalJson) {
  auto items = MixedItems(t_.id, 260, 4242);
  ASSERT_NO_FATAL_FAILURE(MustImport(items));
  // Query every page of several views on the first server.
  const std::vector<std::string> views = {
      kAll, "", "sortField=createDatetime&sortOrder=asc", "customerName=" + PercentEncode("小明"),
      std::string(kAll) + "&sortField=startDateTime"};
  auto pages_of = [&](HttpConn& c, const std::string& token, int tenant) {
    std::vector<std::string> bodies;
    for (auto& v : views) {
      for (int page = 1; page <= 7; ++page) {
        std::string target = "/api/tenants/" + std::to_string(tenant) +
                             "/serviceSessionHistorys?per_page=50&page=" + std::to_string(page) +
                             (v.empty() ? "" : "&" + v);
        auto r = c.Request("GET", target, {}, {{"Kefu-Token", token}});
        EXPECT_TRUE(IsHistoryPage(r)) << target;
        bodies.push_back(r.body);
      }
    }
    return bodies;
  };
  auto first = pages_of(http(), token_, t_.id);
  std::vector<std::string> exported = AllItems();
  ASSERT_EQ(exported.size(), items.size());
  {
    std::set<std::string> want, got(exported.begin(), exported.end());
    for (auto& i : items) want.insert(Canon(i));
    EXPECT_EQ(got, want) << "a later query returns each item as it was given";
  }

  // A fresh database and another server: the same tenant id and zone.
  TempDir other;
  TestDb fresh(other, "fresh.db", TestDb::kFresh);  // a new, empty database on PostgreSQL
  std::string db2 = fresh.url();
  auto cr = RunKefud({"tenant", "create", "--db", db2, "--name", "fresh", "--id",
                      std::to_string(t_.id), "--timezone", "UTC+8"});
  ASSERT_EQ(cr.exit_code, 0) << cr.err;
  auto d = ParseJson(cr.out);
  ASSERT_FALSE(d.HasParseError()) << cr.out;
  Server s2;
  s2.Start(db2, other.File("kefud.log"));
  HttpConn c2(s2.port());
  auto tr = c2.Request("POST", "/api/tenants/" + std::to_string(t_.id) + "/accessToken",
                       Obj({{"clientId", S(d["clientId"].GetString())},
                            {"secretId", S(d["secretId"].GetString())}}));
  auto td = ParseJson(tr.body);
  ASSERT_EQ(tr.status, 200) << tr.body;
  std::string tok2 = td["entity"]["accessToken"].GetString();
  // Import exactly what the first server answered, as NDJSON in one go and as
  // JSON arrays of the pages.
  for (size_t i = 0; i < exported.size(); i += 100) {
    std::vector<std::string> chunk(exported.begin() + i,
                                   exported.begin() + std::min(exported.size(), i + 100));
    auto r = c2.Request("POST", "/api/tenants/" + std::to_string(t_.id) + "/serviceSessionHistorys/import",
                        i % 200 == 0 ? Array(chunk) : Ndjson(chunk),
                        {{"Kefu-Token", tok2},
                         {"Content-Type", i % 200 == 0 ? "application/json" : "application/x-ndjson"}});
    ASSERT_TRUE(IsOk(r)) << Describe(r);
    EXPECT_EQ(Canon(r.body), ImportedBody(static_cast<long long>(chunk.size())));
  }
  auto second = pages_of(c2, tok2, t_.id);
  ASSERT_EQ(first.size(), second.size());
  for (size_t i = 0; i < first.size(); ++i)
    EXPECT_EQ(first[i], second[i]) << "view " << views[i / 7] << " page " << (i % 7 + 1);
  EXPECT_EQ(s2.Stop(), 0);
}

// ---------------------------------------------------------------- kefud import / demo

class HistoryCliTest : public KefuTest {
 protected:
  std::string WriteFile(const std::string& name, const std::string& text) {
    std::string path = dir_->File(name);
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  long long CountAll(int tenant, const std::string& token) {
    auto r = Get("/api/tenants/" + std::to_string(tenant) +
                     "/serviceSessionHistorys?state=Wait,Processing,Terminal,Abort&per_page=1",
                 token);
    EXPECT_TRUE(IsHistoryPage(r));
    return ParsePage(r.body).total;
  }
};

TEST_F(HistoryCliTest, ImportGoodFile) {
  auto t = CreateTenant("cli", 0, "UTC+8");
  auto items = MixedItems(t.id, 2500, 99);
  std::string file = WriteFile("good.ndjson", Ndjson(items));
  auto r = Cli({"import", "--tenant", std::to_string(t.id), file});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(r.err.empty()) << "progress is printed on stderr";
  StartServer();
  std::string tok = IssueToken(t);
  EXPECT_EQ(CountAll(t.id, tok), 2500);
  // Items read back as given.
  auto q = Get("/api/tenants/" + std::to_string(t.id) +
                   "/serviceSessionHistorys?state=Wait,Processing,Terminal,Abort&per_page=50",
               tok);
  auto p = ParsePage(q.body);
  std::set<std::string> want;
  for (auto& i : items) want.insert(Canon(i));
  for (auto& i : p.items) EXPECT_TRUE(want.count(i)) << i;
  // Running it again replaces, adds nothing.
  auto again = Cli({"import", "--tenant", std::to_string(t.id), file});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(CountAll(t.id, tok), 2500);
}

TEST_F(HistoryCliTest, ImportBadLineNamesTheLineAndKeepsEarlierBatches) {
  auto t = CreateTenant("cli-bad", 0, "UTC+8");
  auto items = MixedItems(t.id, 2000, 7);
  std::vector<std::string> lines(items.begin(), items.begin() + 1501);
  lines.push_back(R"({"serviceSessionId":"broken","tenantId":)" + std::to_string(t.id) +
                  R"(,"state":"Closed"})");  // line 1502
  lines.insert(lines.end(), items.begin() + 1501, items.end());
  std::string file = WriteFile("bad.ndjson", Ndjson(lines));
  auto r = Cli({"import", "--tenant", std::to_string(t.id), file});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("line 1502"), std::string::npos) << r.err;
  StartServer();
  std::string tok = IssueToken(t);
  // Transactions of 1,000: the first batch stays, the one holding the bad line does not.
  EXPECT_EQ(CountAll(t.id, tok), 1000);
  // Fixed and run again: everything, once.
  lines[1501] = Item("fixed", t.id);
  WriteFile("bad.ndjson", Ndjson(lines));
  auto again = Cli({"import", "--tenant", std::to_string(t.id), file});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(CountAll(t.id, tok), 2001);
}

TEST_F(HistoryCliTest, ImportSmallBadFileStoresNothing) {
  auto t = CreateTenant("cli-small", 0, "UTC+8");
  std::string file = WriteFile("small.ndjson", Item("a", t.id) + "\n" + Item("b", t.id) + "\n" +
                                                   "{\"serviceSessionId\":\"c\"}\n");
  std::string before = Snapshot(db_);
  auto r = Cli({"import", "--tenant", std::to_string(t.id), file});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("line 3"), std::string::npos) << r.err;
  EXPECT_TRUE(SameSnapshot(before, Snapshot(db_)));
}

TEST_F(HistoryCliTest, ImportReadsTimesInTheTenantsZone) {
  auto t = CreateTenant("cli-west", 0, "UTC-5");
  std::string file = WriteFile("west.ndjson", Item("w", t.id, {{"startDateTime", S("2024-01-10 09:00:00")},
                                                                {"stopDateTime", S("2024-01-10 10:00:00")}}) +
                                                  "\n");
  auto r = Cli({"import", "--tenant", std::to_string(t.id), file});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  StartServer();
  std::string tok = IssueToken(t);
  // 10:00 at UTC-5 is 15:00Z.
  auto q = Get("/api/tenants/" + std::to_string(t.id) +
                   "/serviceSessionHistorys?stopDateFrom=2024-01-10T15:00:00Z&stopDateTo=2024-01-10T15:00:00Z",
               tok);
  ASSERT_TRUE(IsHistoryPage(q));
  auto p = ParsePage(q.body);
  EXPECT_EQ(p.ids, std::vector<std::string>{"w"});
  ASSERT_EQ(p.items.size(), 1u);
  EXPECT_STREQ(ParseJson(p.items[0])["stopDateTime"].GetString(), "2024-01-10 10:00:00");
}

TEST_F(HistoryCliTest, ImportFromStandardInput) {
  auto t = CreateTenant("cli-stdin", 0, "UTC+8");
  auto items = MixedItems(t.id, 30, 5);
  std::string file = WriteFile("in.ndjson", Ndjson(items));
  std::string cmd = "'" + KefudPath() + "' import --db '" + db_ + "' --tenant " +
                    std::to_string(t.id) + " - < '" + file + "' > '" + dir_->File("out.txt") +
                    "' 2> '" + dir_->File("err.txt") + "'";
  int rc = std::system(cmd.c_str());
  ASSERT_EQ(rc, 0) << ReadFile(dir_->File("err.txt"));
  StartServer();
  EXPECT_EQ(CountAll(t.id, IssueToken(t)), 30);
}

TEST_F(HistoryCliTest, ImportErrorsExitNonZero) {
  auto t = CreateTenant("cli-err", 0, "UTC+8");
  std::string file = WriteFile("one.ndjson", Item("a", t.id) + "\n");
  EXPECT_NE(Cli({"import", "--tenant", "987654", file}).exit_code, 0);
  EXPECT_NE(Cli({"import", "--tenant", std::to_string(t.id), dir_->File("missing.ndjson")}).exit_code, 0);
  // Items of another tenant than --tenant.
  auto u = CreateTenant("cli-err-2");
  auto r = Cli({"import", "--tenant", std::to_string(u.id), file});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("line 1"), std::string::npos) << r.err;
}

TEST_F(HistoryCliTest, DemoSessionsAreHistoryOfTenant1) {
  auto r = Cli({"demo", "--agents", "2", "--sessions", "2000"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  StartServer();
  std::string tok = DemoToken();
  auto total = [&](const std::string& q) {
    auto resp = Get("/api/tenants/1/serviceSessionHistorys?per_page=50" + (q.empty() ? "" : "&" + q), tok);
    EXPECT_TRUE(IsHistoryPage(resp)) << q;
    return ParsePage(resp.body).total;
  };
  long long all = total("state=Wait,Processing,Terminal,Abort");
  long long def = total("");
  long long terminal = total("state=Terminal"), abort = total("state=Abort");
  EXPECT_EQ(all, 2000);
  EXPECT_EQ(def, terminal + abort);
  EXPECT_GT(def, 0);
  EXPECT_GT(terminal, 0);
  EXPECT_GT(abort, 0);
  EXPECT_EQ(total("state=Wait") + total("state=Processing") + def, all);
  // Shape of a few pages, in every sort.
  for (std::string q : std::vector<std::string>{"", "page=2", "sortField=createDatetime&sortOrder=asc",
                                                "state=Wait,Processing&sortField=startDateTime"}) {
    auto resp = Get("/api/tenants/1/serviceSessionHistorys?" + q, tok);
    ASSERT_TRUE(IsHistoryPage(resp)) << q;
    auto d = ParseJson(resp.body);
    for (auto& it : d["entity"]["items"].GetArray()) {
      EXPECT_EQ(it["tenantId"].GetInt(), 1);
      if (it["agentUserSet"].IsArray())
        for (auto& a : it["agentUserSet"].GetArray())
          if (a.HasMember("tenantId")) {
            EXPECT_TRUE(a["tenantId"].IsString() && std::string(a["tenantId"].GetString()) == "1");
          }
      std::string st = it["state"].GetString();
      if (st == "Abort") {
        EXPECT_TRUE(it["startDateTime"].IsNull()) << Compact(it);
      }
      if (st == "Terminal" || st == "Abort") {
        EXPECT_TRUE(it["stopDateTime"].IsString()) << Compact(it);
      }
    }
  }
  auto page = Get("/api/tenants/1/serviceSessionHistorys", tok);
  auto first_page = ParsePage(page.body);
  EXPECT_EQ(first_page.items.size(), 50u);
  // Datetimes are UTC+8: the newest stop, read as UTC+8, is the instant the bounds find.
  ASSERT_FALSE(first_page.items.empty());
  auto newest = ParseJson(first_page.items[0]);
  std::string stop = newest["stopDateTime"].GetString();
  std::string inst = Iso(LocalToEpoch(stop, 8) * 1000, 0);
  auto hit = Get("/api/tenants/1/serviceSessionHistorys?per_page=50&stopDateFrom=" + inst +
                     "&stopDateTo=" + inst,
                 tok);
  auto hp = ParsePage(hit.body);
  EXPECT_NE(std::find(hp.ids.begin(), hp.ids.end(), first_page.ids[0]), hp.ids.end())
      << stop << " as " << inst << ": " << hit.body.substr(0, 400);
  // Filters find demo sessions.
  EXPECT_GT(total("originType=webim,app,weixin,weibo,phone"), 0);
  EXPECT_GT(total("enquirySummary=1,2,3,4,5"), 0);
}

TEST_F(HistoryCliTest, DemoWithSessionsIsIdempotent) {
  ASSERT_EQ(Cli({"demo", "--agents", "2", "--sessions", "300"}).exit_code, 0);
  std::string before = Snapshot(db_);
  auto r = Cli({"demo", "--agents", "2", "--sessions", "300"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(SameSnapshot(before, Snapshot(db_)));
}

}  // namespace
}  // namespace hist
}  // namespace bb
