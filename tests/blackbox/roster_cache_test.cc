// The agent search answers from a roster kept in memory (docs/decisions.md,
// "Agent search from memory"). These tests change agents through a second
// kefud on the same store, which the first one's cache never hears of, and
// expect the first to answer the change on its next request.
#include "harness.h"

namespace bb {
namespace {

class RosterCacheTest : public DemoTest {
 protected:
  void SetUp() override {
    DemoTest::SetUp();
    other_.Start(db_, dir_->File("other.log"));
    other_http_ = std::make_unique<HttpConn>(other_.port());
  }
  void TearDown() override {
    other_http_.reset();
    other_.Stop();
    DemoTest::TearDown();
  }

  // A write through the other process.
  Response OtherCall(std::string_view method, std::string_view target, const std::string& body) {
    return other_http_->Request(method, target, body, {{"Kefu-Token", DemoToken()}});
  }
  // total and usernames of a search through the first process.
  std::pair<int64_t, std::vector<std::string>> Seen(const std::string& query) {
    auto d = Search(1, DemoToken(), query);
    std::vector<std::string> names;
    for (const auto& e : d["entities"].GetArray()) names.push_back(e["username"].GetString());
    return {d["totalElements"].GetInt64(), names};
  }

  Server other_;
  std::unique_ptr<HttpConn> other_http_;
};

TEST_F(RosterCacheTest, ChangesThroughAnotherProcessShowOnTheNextSearch) {
  const auto before = Seen("size=50");
  ASSERT_EQ(before.first, 3);  // the published agent and two generated ones

  ASSERT_TRUE(IsOk(OtherCall("POST", "/api/tenants/1/agent",
                             Obj({{"nicename", S("late")}, {"username", S("late@example.com")},
                                  {"password", S("password123")}, {"roleId", "2"}}))));
  auto after = Seen("size=50");
  EXPECT_EQ(after.first, 4);
  EXPECT_EQ(after.second.back(), "late@example.com");
  EXPECT_EQ(Seen("keyValue=LATE@").first, 1);

  ASSERT_TRUE(IsBareOk(OtherCall("PUT", "/api/tenants/1/agent",
                                 Obj({{"username", S("late@example.com")}, {"trueName", S("Renamed")}}))));
  auto d = Search(1, DemoToken(), "keyValue=renamed");
  ASSERT_EQ(d["entities"].Size(), 1u);
  EXPECT_STREQ(d["entities"][0]["trueName"].GetString(), "Renamed");

  ASSERT_TRUE(IsBareOk(OtherCall("PUT", "/api/tenants/1/agent/disable", Obj({{"username", S("late@example.com")}}))));
  d = Search(1, DemoToken(), "keyValue=late@");
  ASSERT_EQ(d["entities"].Size(), 1u);
  EXPECT_STREQ(d["entities"][0]["status"].GetString(), "Disable");

  ASSERT_TRUE(IsBareOk(OtherCall("DELETE", "/api/tenants/1/agent", Obj({{"username", S("late@example.com")}}))));
  EXPECT_EQ(Seen("size=50"), before);
  EXPECT_EQ(Seen("keyValue=late@").first, 0);
}

TEST_F(RosterCacheTest, EachTenantSeesOnlyItsOwnRoster) {
  auto other_tenant = CreateTenant("second");
  std::string tok = IssueToken(other_tenant);
  MustAddAgent(other_tenant.id, tok, "second-admin@example.com", 1);
  // Both rosters cached, then one tenant changes through the other process.
  EXPECT_EQ(Seen("size=50").first, 3);
  EXPECT_EQ(Search(other_tenant.id, tok, "size=50")["totalElements"].GetInt64(), 1);
  ASSERT_TRUE(IsOk(OtherCall("POST", "/api/tenants/1/agent",
                             Obj({{"nicename", S("x")}, {"username", S("x@example.com")},
                                  {"password", S("password123")}, {"roleId", "2"}}))));
  EXPECT_EQ(Seen("size=50").first, 4);
  auto d = Search(other_tenant.id, tok, "size=50");
  ASSERT_EQ(d["entities"].Size(), 1u);
  EXPECT_STREQ(d["entities"][0]["username"].GetString(), "second-admin@example.com");
  EXPECT_EQ(Search(other_tenant.id, tok, "keyValue=x@example")["totalElements"].GetInt64(), 0);
}

}  // namespace
}  // namespace bb
