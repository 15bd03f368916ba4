// What the fuzzers found (fuzz/regressions/README.md), end to end over HTTP:
// each input once crashed kefud, stored bytes that are not UTF-8, or
// answered with bytes that are not UTF-8. Now each is refused with API_001
// and changes nothing, or stored as the number it says.
#include <cmath>
#include <string>

#include "history_support.h"

namespace bb {
namespace hist {
namespace {

using namespace std::string_literals;

bool IsUtf8Json(const Response& r) {
  auto d = ParseJson(r.body);  // RapidJSON validates the encoding here
  return !d.HasParseError() && d.IsObject();
}

class FuzzFindingsTest : public HistoryTest {
 protected:
  std::string ImportPath() { return "/api/tenants/" + std::to_string(t_.id) + "/serviceSessionHistorys/import"; }
};

TEST_F(FuzzFindingsTest, TinyNumberInATokenRequestNoLongerCrashes) {
  // Read past RapidJSON's power-of-ten table: kefud died of SIGSEGV.
  auto r = http().Request("POST", "/api/tenant/1/accessToken",
                          R"({"clientId":"x","secretId":4.9857322713591e-338})");
  EXPECT_TRUE(IsError(r, 400, "API_001"));
  EXPECT_TRUE(IsOk(http().Request("GET", "/healthz")));
}

TEST_F(FuzzFindingsTest, NumbersInImportedItemsAreStoredAsTheyRead) {
  std::string body = Array({Item("zero", t_.id, {{"chatMessages", "[0e40, 0.00000000000000000000000]"}}),
                            Item("big", t_.id, {{"lastChatMessage", R"({"n":184467440737095516159})"}})});
  ASSERT_TRUE(IsOk(ImportJson(body)));
  Page p = MustQuery("state=Wait,Processing,Terminal,Abort&per_page=50");
  ASSERT_EQ(p.items.size(), 2u);
  for (const auto& item : p.items) {
    auto d = ParseJson(item);
    std::string id = d["serviceSessionId"].GetString();
    if (id == "zero") {
      ASSERT_TRUE(d["chatMessages"].IsArray()) << item;
      for (const auto& v : d["chatMessages"].GetArray()) EXPECT_EQ(v.GetDouble(), 0.0) << item;
    } else {
      double n = d["lastChatMessage"]["n"].GetDouble();
      EXPECT_NEAR(n / 1.8446744073709552e20, 1.0, 1e-12) << item;
    }
  }
}

TEST_F(FuzzFindingsTest, NumbersPastDoubleRangeAreRefusedAndChangeNothing) {
  // Read as infinity, they were stored as JSON cut short after the number.
  std::string before = Snap();
  auto r = ImportJson(Array({Item("inf", t_.id, {{"lastChatMessage", R"({"a":[1,0,1000.0,1844674407370951e308]})"}})}));
  EXPECT_TRUE(IsError(r, 400, "API_001"));
  EXPECT_TRUE(SameSnapshot(before, Snap()));
}

TEST_F(FuzzFindingsTest, LoneSurrogateEscapesAreRefusedAndChangeNothing) {
  std::string before = Snap();
  auto add = Call("POST", "/api/tenants/" + std::to_string(t_.id) + "/agent",
                  Obj({{"username", S("surrogate@example.com")}, {"password", S("password123")},
                       {"nicename", S("s")}, {"roleId", "2"}, {"trueName", R"("\udc00")"}}),
                  token_);
  EXPECT_TRUE(IsError(add, 400, "API_001"));
  auto import = ImportJson(Array({Item("lone", t_.id, {{"comment", R"("\udc00")"}})}));
  EXPECT_TRUE(IsError(import, 400, "API_001"));
  EXPECT_TRUE(SameSnapshot(before, Snap()));
}

TEST_F(FuzzFindingsTest, BytesAfterANulOrAPartialByteOrderMarkAreRefused) {
  std::string before = Snap();
  const std::string item = Array({Item("nul", t_.id)});
  EXPECT_TRUE(IsError(ImportJson(item + "\0garbage"s), 400, "API_001"));
  EXPECT_TRUE(IsError(ImportJson("\xBB" + item), 400, "API_001"));
  EXPECT_TRUE(SameSnapshot(before, Snap()));
  // One whole UTF-8 byte-order mark is allowed to lead.
  EXPECT_TRUE(IsOk(ImportJson("\xEF\xBB\xBF" + item)));
}

TEST_F(FuzzFindingsTest, ErrorDetailsQuotingBadBytesAreStillUtf8) {
  for (const char* query : {"state=%FF", "techChannelId=%C0%AF", "state=Wait%ED%B0%80"}) {
    auto r = Get(std::string("/api/tenants/") + std::to_string(t_.id) + "/serviceSessionHistorys?" + query,
                 token_);
    EXPECT_TRUE(IsError(r, 400, "API_001")) << query;
    EXPECT_TRUE(IsUtf8Json(r)) << query << ": " << r.body;
  }
}

}  // namespace
}  // namespace hist
}  // namespace bb
