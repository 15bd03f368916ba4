// GET .../agents: the published example, paging, keyValue matching, errors.
#include "harness.h"

namespace bb {
namespace {

const std::vector<std::string> kPageKeys = {"status",     "entities",         "first",
                                            "last",       "size",             "number",
                                            "numberOfElements", "totalPages", "totalElements"};

::testing::AssertionResult IsPage(const rapidjson::Document& d, int number, int size, int n,
                                  int total_pages, int total, bool first, bool last) {
  auto fail = [&](const std::string& why) {
    return ::testing::AssertionFailure() << why << "\n" << Compact(d);
  };
  if (Keys(d) != kPageKeys) return fail("keys [" + Join(Keys(d)) + "]");
  if (!d["first"].IsBool() || !d["last"].IsBool()) return fail("first/last not booleans");
  for (const char* k : {"size", "number", "numberOfElements", "totalPages", "totalElements"})
    if (!d[k].IsInt()) return fail(std::string(k) + " not an int");
  if (d["number"].GetInt() != number) return fail("number != " + std::to_string(number));
  if (d["size"].GetInt() != size) return fail("size != " + std::to_string(size));
  if (d["numberOfElements"].GetInt() != n) return fail("numberOfElements != " + std::to_string(n));
  if (static_cast<int>(d["entities"].Size()) != n) return fail("entities size != " + std::to_string(n));
  if (d["totalPages"].GetInt() != total_pages) return fail("totalPages != " + std::to_string(total_pages));
  if (d["totalElements"].GetInt() != total) return fail("totalElements != " + std::to_string(total));
  if (d["first"].GetBool() != first) return fail(std::string("first != ") + (first ? "true" : "false"));
  if (d["last"].GetBool() != last) return fail(std::string("last != ") + (last ? "true" : "false"));
  for (auto& a : d["entities"].GetArray())
    if (auto ok = IsAgentObject(a); !ok) return ok;
  return ::testing::AssertionSuccess();
}

std::vector<std::string> Usernames(const rapidjson::Document& d) {
  std::vector<std::string> r;
  for (auto& a : d["entities"].GetArray()) r.push_back(a["username"].GetString());
  return r;
}

std::string LowerStr(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// ---------------------------------------------------------------- demo tenant

class SearchDemoTest : public DemoTest {
 protected:
  int DemoAgents() override { return 12; }
};

TEST_F(SearchDemoTest, PublishedExample) {
  auto r = Get("/api/tenants/1/agents?page=0&size=10&keyValue=32273591@qq.com", DemoToken());
  ASSERT_TRUE(IsOk(r));
  auto d = ParseJson(r.body);
  ASSERT_TRUE(IsPage(d, 0, 10, 1, 1, 1, true, true));
  const auto& a = d["entities"][0];
  EXPECT_EQ(a["tenantId"].GetInt(), 1);
  EXPECT_STREQ(a["username"].GetString(), "32273591@qq.com");
  EXPECT_STREQ(a["roles"].GetString(), "admin,agent");
  EXPECT_EQ(Compact(a["roleList"]), R"([{"role_id":1,"role_name":"admin"}])");
  EXPECT_STREQ(a["createDateTime"].GetString(), "2018-06-10 14:19:41");
  EXPECT_STREQ(a["bizId"].GetString(), "1");
  EXPECT_STREQ(a["timeZone"].GetString(), "UTC+8");
  EXPECT_STREQ(a["state"].GetString(), "Offline");
  EXPECT_STREQ(a["password"].GetString(), "");
}

TEST_F(SearchDemoTest, PublishedExampleOnPlatformPrefixAndTrailingSlash) {
  auto base = Get("/api/tenants/1/agents?page=0&size=10&keyValue=32273591@qq.com", DemoToken());
  ASSERT_TRUE(IsOk(base));
  for (const char* t : {"/api/platform/tenants/1/agents?page=0&size=10&keyValue=32273591@qq.com",
                        "/api/tenants/1/agents/?page=0&size=10&keyValue=32273591@qq.com",
                        "/api/platform/tenants/1/agents/?page=0&size=10&keyValue=32273591%40qq.com"}) {
    auto r = Get(t, DemoToken());
    ASSERT_TRUE(IsOk(r)) << t;
    EXPECT_EQ(r.body, base.body) << t;
  }
}

TEST_F(SearchDemoTest, DefaultsArePage0Size10) {
  auto d = ParseJson(Get("/api/tenants/1/agents", DemoToken()).body);
  // 1 published + 12 generated agents.
  EXPECT_TRUE(IsPage(d, 0, 10, 10, 2, 13, true, false));
  auto d1 = ParseJson(Get("/api/tenants/1/agents?page=1", DemoToken()).body);
  EXPECT_TRUE(IsPage(d1, 1, 10, 3, 2, 13, false, true));
  // Empty values mean "not set".
  auto d2 = ParseJson(Get("/api/tenants/1/agents?page=&size=&keyValue=", DemoToken()).body);
  EXPECT_TRUE(IsPage(d2, 0, 10, 10, 2, 13, true, false));
}

TEST_F(SearchDemoTest, GeneratedAdminAgent0001) {
  auto d = Search(1, DemoToken(), "keyValue=agent0001@demo.kefu.local");
  ASSERT_EQ(d["entities"].Size(), 1u) << Compact(d);
  const auto& a = d["entities"][0];
  EXPECT_TRUE(IsAgentObject(a));
  EXPECT_STREQ(a["roles"].GetString(), "admin,agent");
  EXPECT_STREQ(a["status"].GetString(), "Enable");
  auto all = Search(1, DemoToken(), "keyValue=demo.kefu.local&size=50");
  EXPECT_EQ(all["totalElements"].GetInt(), 12);
}

TEST_F(SearchDemoTest, OrderIsCreateDateTimeThenUsername) {
  auto d = Search(1, DemoToken(), "size=50");
  ASSERT_EQ(d["entities"].Size(), 13u);
  std::vector<std::pair<std::string, std::string>> keys;
  for (auto& a : d["entities"].GetArray())
    keys.emplace_back(a["createDateTime"].GetString(), LowerStr(a["username"].GetString()));
  EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end())) << Compact(d);
  // The published agent (created 2018) comes first.
  EXPECT_EQ(keys.front().second, "32273591@qq.com");
}

TEST_F(SearchDemoTest, PagesConcatenateToFullList) {
  auto full = Usernames(Search(1, DemoToken(), "size=50"));
  std::vector<std::string> cat;
  for (int p = 0; p < 5; ++p) {
    auto d = Search(1, DemoToken(), "size=3&page=" + std::to_string(p));
    int n = p < 4 ? 3 : 1;
    EXPECT_TRUE(IsPage(d, p, 3, n, 5, 13, p == 0, p == 4));
    for (auto& u : Usernames(d)) cat.push_back(u);
  }
  EXPECT_EQ(cat, full);
}

TEST_F(SearchDemoTest, PagePastTheEndIsOkAndEmpty) {
  auto d = Search(1, DemoToken(), "page=7&size=10");
  EXPECT_TRUE(IsPage(d, 7, 10, 0, 2, 13, false, true));
  auto d2 = Search(1, DemoToken(), "page=2147483647&size=50");
  EXPECT_TRUE(IsPage(d2, 2147483647, 50, 0, 1, 13, false, true));
}

TEST_F(SearchDemoTest, SizeBoundaries) {
  EXPECT_TRUE(IsPage(Search(1, DemoToken(), "size=50"), 0, 50, 13, 1, 13, true, true));
  EXPECT_TRUE(IsPage(Search(1, DemoToken(), "size=1"), 0, 1, 1, 13, 13, true, false));
  EXPECT_TRUE(IsPage(Search(1, DemoToken(), "size=1&page=12"), 12, 1, 1, 13, 13, false, true));
  EXPECT_TRUE(IsPage(Search(1, DemoToken(), "size=13"), 0, 13, 13, 1, 13, true, true));
  EXPECT_TRUE(IsPage(Search(1, DemoToken(), "size=12"), 0, 12, 12, 2, 13, true, false));
}

TEST_F(SearchDemoTest, PageErrors) {
  struct Case {
    std::string query, code;
  };
  std::vector<Case> cases = {
      {"page=-1", "API_111"},          {"page=-1&size=10", "API_111"},
      {"page=-100", "API_111"},        {"size=51", "API_112"},
      {"size=1000", "API_112"},        {"page=0&size=51", "API_112"},
      {"size=0", "API_001"},           {"size=-1", "API_001"},
      {"page=1.5", "API_001"},         {"page=x", "API_001"},
      {"page=99999999999", "API_001"}, {"page=2147483648", "API_001"},
      {"size=x", "API_001"},           {"size=1.5", "API_001"},
      {"size=99999999999", "API_001"}, {"page=0x1", "API_001"},
      {"size=10abc", "API_001"},       {"page=1e2", "API_001"},
  };
  std::string before = Snap();
  for (auto& c : cases) {
    auto r = Get("/api/tenants/1/agents?" + c.query, DemoToken());
    EXPECT_TRUE(IsError(r, c.code)) << c.query;
    auto r2 = Get("/api/platform/tenants/1/agents?" + c.query + "&keyValue=a", DemoToken());
    EXPECT_TRUE(IsError(r2, c.code)) << "platform " << c.query;
  }
  EXPECT_TRUE(SameSnapshot(before, Snap()));
}

TEST_F(SearchDemoTest, AuthComesFirst) {
  EXPECT_TRUE(IsError(Get("/api/tenants/1/agents", ""), 401, "API_002"));
  EXPECT_TRUE(IsError(Get("/api/tenants/1/agents?page=-1", ""), 401, "API_002"));
  EXPECT_TRUE(IsError(Get("/api/tenants/1/agents?size=51", "0123456789abcdef0123456789abcdef"), 401,
                      "API_002"));
  EXPECT_TRUE(IsError(Get("/api/tenants/1/agents", "a7f3d2bcb62721a3c67b8f567acfd553"), 401,
                      "API_002"));
  // Empty header value.
  auto r = http().Request("GET", "/api/tenants/1/agents", {}, {{"Kefu-Token", ""}});
  EXPECT_TRUE(IsError(r, 401, "API_002"));
  // A token with extra or missing bytes is not the token.
  std::string t = DemoToken();
  EXPECT_TRUE(IsError(Get("/api/tenants/1/agents", t + "0"), 401, "API_002"));
  EXPECT_TRUE(IsError(Get("/api/tenants/1/agents", t.substr(0, 31)), 401, "API_002"));
  // A page error with a tenant mismatch: API_003 first.
  EXPECT_TRUE(IsError(Get("/api/tenants/2/agents?page=-1", t), 403, "API_003"));
}

TEST_F(SearchDemoTest, UnknownParametersIgnored) {
  auto d = Search(1, DemoToken(), "foo=bar&keyValue=32273591&x=");
  EXPECT_EQ(d["totalElements"].GetInt(), 1);
}

TEST_F(SearchDemoTest, ResponseEndsWithNoDuplicateKeysAndIsUtf8Json) {
  auto r = Get("/api/tenants/1/agents?size=50", DemoToken());
  ASSERT_TRUE(IsOk(r));
  auto d = ParseJson(r.body);
  EXPECT_TRUE(IsPage(d, 0, 50, 13, 1, 13, true, true));
  std::set<std::string> ids;
  for (auto& a : d["entities"].GetArray()) EXPECT_TRUE(ids.insert(a["userId"].GetString()).second);
}

// ---------------------------------------------------------------- keyValue

class SearchMatchTest : public KefuTest {
 protected:
  void SetUp() override {
    KefuTest::SetUp();
    t_ = CreateTenant("search");
    StartServer();
    tok_ = IssueToken(t_);
    MustAddAgent(t_.id, tok_, "alice@example.com", 2,
                 R"("trueName":"Alice Liddell","mobilePhone":"13800000001","agentNumber":"A-001")");
    MustAddAgent(t_.id, tok_, "bob@example.org", 2,
                 R"("trueName":"小环","mobilePhone":"+8613900000002","agentNumber":"007")");
    MustAddAgent(t_.id, tok_, "carol_x@example.com", 2,
                 R"("trueName":"50% off","mobilePhone":"","agentNumber":"c_1")");
    MustAddAgent(t_.id, tok_, "dave@test.net", 2,
                 R"("trueName":"John Smith","mobilePhone":13700000004,"agentNumber":42,"nicename":"uniquenick")");
    MustAddAgent(t_.id, tok_, "EVE@Example.COM", 1, R"("trueName":"")");
    MustAddAgent(t_.id, tok_, "frank%x@example.com", 2, R"("trueName":"back\\slash")");
  }
  std::set<std::string> Match(const std::string& raw_key_value) {
    auto d = Search(t_.id, tok_, "size=50&keyValue=" + raw_key_value);
    auto u = Usernames(d);
    EXPECT_EQ(d["totalElements"].GetInt(), static_cast<int>(u.size())) << raw_key_value;
    return {u.begin(), u.end()};
  }
  std::string Base() { return "/api/tenants/" + std::to_string(t_.id) + "/agents"; }
  TenantCreds t_;
  std::string tok_;
};

using Set = std::set<std::string>;

TEST_F(SearchMatchTest, EmptyOrAbsentKeyValueMatchesAll) {
  EXPECT_EQ(Match("").size(), 6u);
  auto d = Search(t_.id, tok_, "");
  EXPECT_TRUE(IsPage(d, 0, 10, 6, 1, 6, true, true));
}

TEST_F(SearchMatchTest, Username) {
  EXPECT_EQ(Match("alice"), Set{"alice@example.com"});
  EXPECT_EQ(Match("alice@example.com"), Set{"alice@example.com"});
  EXPECT_EQ(Match("example"), (Set{"alice@example.com", "bob@example.org", "carol_x@example.com",
                                   "EVE@Example.COM", "frank%x@example.com"}));
  EXPECT_EQ(Match("test.net"), Set{"dave@test.net"});
}

TEST_F(SearchMatchTest, CaseInsensitive) {
  EXPECT_EQ(Match("ALICE"), Set{"alice@example.com"});
  EXPECT_EQ(Match("eve@example.com"), Set{"EVE@Example.COM"});
  EXPECT_EQ(Match("EvE"), Set{"EVE@Example.COM"});
  EXPECT_EQ(Match("liddELL"), Set{"alice@example.com"});
  EXPECT_EQ(Match("a-00"), Set{"alice@example.com"});
  EXPECT_EQ(Match("C_1"), Set{"carol_x@example.com"});
}

TEST_F(SearchMatchTest, TrueName) {
  EXPECT_EQ(Match("Liddell"), Set{"alice@example.com"});
  EXPECT_EQ(Match("%E5%B0%8F%E7%8E%AF"), Set{"bob@example.org"});  // 小环
  EXPECT_EQ(Match("%E7%8E%AF"), Set{"bob@example.org"});             // 环
}

TEST_F(SearchMatchTest, MobilePhone) {
  EXPECT_EQ(Match("13800000001"), Set{"alice@example.com"});
  EXPECT_EQ(Match("1380"), Set{"alice@example.com"});
  // Given as a JSON number, stored and matched as text.
  EXPECT_EQ(Match("13700000004"), Set{"dave@test.net"});
  EXPECT_EQ(Match("%2B86"), Set{"bob@example.org"});  // "+86"
}

TEST_F(SearchMatchTest, AgentNumber) {
  EXPECT_EQ(Match("A-001"), Set{"alice@example.com"});
  EXPECT_EQ(Match("007"), Set{"bob@example.org"});
  EXPECT_EQ(Match("42"), Set{"dave@test.net"});
}

TEST_F(SearchMatchTest, NicenameIsNotSearched) { EXPECT_EQ(Match("uniquenick"), Set{}); }

TEST_F(SearchMatchTest, PercentAndUnderscoreAreLiteral) {
  EXPECT_EQ(Match("%25"), (Set{"carol_x@example.com", "frank%x@example.com"}));
  EXPECT_EQ(Match("_"), Set{"carol_x@example.com"});
  EXPECT_EQ(Match("%5F"), Set{"carol_x@example.com"});
  EXPECT_EQ(Match("0%25"), Set{"carol_x@example.com"});  // "0%"
  EXPECT_EQ(Match("%25%25"), Set{});                      // "%%"
  EXPECT_EQ(Match("a_i"), Set{});                         // '_' is not a wildcard
  EXPECT_EQ(Match("al%25e"), Set{});                      // '%' is not a wildcard
  EXPECT_EQ(Match("%5C"), Set{"frank%x@example.com"});    // backslash
  EXPECT_EQ(Match("k%5Cs"), Set{"frank%x@example.com"});  // "k\s"
}

TEST_F(SearchMatchTest, PlusIsSpaceAndPercentDecoding) {
  EXPECT_EQ(Match("john+smith"), Set{"dave@test.net"});
  EXPECT_EQ(Match("John%20Smith"), Set{"dave@test.net"});
  EXPECT_EQ(Match("+86"), Set{});  // " 86"
  EXPECT_EQ(Match("%61lice"), Set{"alice@example.com"});
  EXPECT_EQ(Match("alice%40example.com"), Set{"alice@example.com"});
}

TEST_F(SearchMatchTest, LongKeyValueIsFine) {
  EXPECT_EQ(Match(std::string(2000, 'a')), Set{});
  std::string zh;
  for (int i = 0; i < 300; ++i) zh += "%E5%B0%8F";
  EXPECT_EQ(Match(zh), Set{});
}

TEST_F(SearchMatchTest, NoMatchIsEmptyPage) {
  auto d = Search(t_.id, tok_, "keyValue=zzzz");
  EXPECT_TRUE(IsPage(d, 0, 10, 0, 0, 0, true, true));
}

TEST_F(SearchMatchTest, SqlMetacharactersAreLiteral) {
  EXPECT_EQ(Match("%27+OR+1%3D1+--"), Set{});
  EXPECT_EQ(Match("%27"), Set{});
  EXPECT_EQ(Match("%22"), Set{});
  EXPECT_EQ(Match("%27%29+OR+%28%271%27%3D%271"), Set{});
  EXPECT_EQ(Match("*"), Set{});
  EXPECT_EQ(Match("."), (Set{"alice@example.com", "bob@example.org", "carol_x@example.com",
                             "dave@test.net", "EVE@Example.COM", "frank%x@example.com"}));
}

TEST_F(SearchMatchTest, OtherTenantsAgentsNeverShow) {
  auto d = Search(t_.id, tok_, "size=50");
  for (auto& a : d["entities"].GetArray()) EXPECT_EQ(a["tenantId"].GetInt(), t_.id);
  auto other = CreateTenant("other");
  std::string to = IssueToken(other);
  MustAddAgent(other.id, to, "zed@example.com");
  EXPECT_EQ(Match("zed"), Set{});
  auto od = Search(other.id, to, "size=50");
  EXPECT_EQ(Usernames(od), std::vector<std::string>{"zed@example.com"});
}

TEST_F(SearchMatchTest, StoredValuesRoundTrip) {
  auto d = Search(t_.id, tok_, "keyValue=dave");
  ASSERT_EQ(d["entities"].Size(), 1u);
  const auto& a = d["entities"][0];
  EXPECT_STREQ(a["mobilePhone"].GetString(), "13700000004");
  EXPECT_STREQ(a["agentNumber"].GetString(), "42");
  EXPECT_STREQ(a["trueName"].GetString(), "John Smith");
  EXPECT_STREQ(a["nicename"].GetString(), "uniquenick");
  EXPECT_EQ(a["maxServiceSessionCount"].GetInt(), 10);
  EXPECT_EQ(a["tenantId"].GetInt(), t_.id);
  auto f = Search(t_.id, tok_, "keyValue=frank");
  ASSERT_EQ(f["entities"].Size(), 1u);
  EXPECT_STREQ(f["entities"][0]["trueName"].GetString(), "back\\slash");
}

TEST_F(SearchMatchTest, OrderCreateDateTimeThenUsernameIgnoringCase) {
  auto d = Search(t_.id, tok_, "size=50");
  std::vector<std::pair<std::string, std::string>> keys;
  for (auto& a : d["entities"].GetArray())
    keys.emplace_back(a["createDateTime"].GetString(), LowerStr(a["username"].GetString()));
  EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end())) << Compact(d);
}

class SearchOrderTest : public KefuTest {};

TEST_F(SearchOrderTest, SameSecondSortsByUsernameIgnoringCase) {
  // Agents created with the CLI-independent API in quick succession; whatever
  // second each lands in, the order must be (createDateTime, lower(username)).
  auto t = CreateTenant("order");
  StartServer();
  std::string tok = IssueToken(t);
  for (const char* u : {"m@x.com", "B@x.com", "a@x.com", "Z@x.com", "c@x.com"}) MustAddAgent(t.id, tok, u);
  auto d = Search(t.id, tok, "size=50");
  ASSERT_EQ(d["entities"].Size(), 5u);
  std::vector<std::pair<std::string, std::string>> keys;
  for (auto& a : d["entities"].GetArray())
    keys.emplace_back(a["createDateTime"].GetString(), LowerStr(a["username"].GetString()));
  EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end())) << Compact(d);
}

}  // namespace
}  // namespace bb
