// The in-memory agent search against the store's own, on a real SQLite file.
#include "domain/agent_roster_cache.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "common/crypto.h"
#include "store/sqlite/sqlite_store.h"

namespace kefu::domain {
namespace {

class AgentRosterCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir_template[] = "/tmp/kefu-roster-XXXXXX";
    ASSERT_NE(mkdtemp(dir_template), nullptr);
    dir_ = dir_template;
    auto opened = store::sqlite::SqliteStore::Open(dir_ + "/kefu.db");
    ASSERT_TRUE(opened.ok()) << opened.status().detail();
    store_ = std::move(opened).value();
    ASSERT_TRUE(store_->CreateTenant(1, "one", TimeZone{0}, 0).ok());
    ASSERT_TRUE(store_->CreateTenant(2, "two", TimeZone{0}, 0).ok());
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  void Add(store::TenantId tenant, const std::string& username, const std::string& true_name,
           int64_t created_at) {
    store::Agent a;
    a.user_id = NewUuidV4();
    a.tenant_id = tenant;
    a.username = username;
    a.nicename = "n";
    a.password_hash = "h";
    a.true_name = true_name;
    a.mobile_phone = "13800000000";
    a.agent_number = "7";
    a.created_at = a.updated_at = created_at;
    ASSERT_TRUE(store_->InsertAgent(a).ok());
  }
  int64_t Version(store::TenantId tenant) {
    auto roster = store_->ListAgents(tenant, 1000);
    EXPECT_TRUE(roster.ok());
    return roster->agents_version;
  }
  std::string UserId(const std::string& username) {
    auto found = store_->FindAgentByUsername(username);
    EXPECT_TRUE(found.ok() && found->has_value()) << username;
    return (*found)->user_id;
  }
  static int64_t Total(Result<std::optional<store::AgentPage>> page) {
    EXPECT_TRUE(page.ok() && page->has_value());
    return page.ok() && page->has_value() ? (*page)->total : -1;
  }
  static std::vector<std::string> Names(const store::AgentPage& page) {
    std::vector<std::string> out;
    for (const auto& a : page.agents) out.push_back(a.username);
    return out;
  }

  std::string dir_;
  std::unique_ptr<store::sqlite::SqliteStore> store_;
};

TEST_F(AgentRosterCacheTest, AnswersAsTheStoreDoes) {
  Add(1, "b@example.com", "Bob", 100);
  Add(1, "A@example.com", "Ann", 100);  // same second: username without case decides
  Add(1, "c@example.com", "Carl-ann", 50);
  Add(1, "d@example.com", "王小明", 200);
  Add(2, "other@example.com", "Ann", 10);
  AgentRosterCache cache(*store_, 100, 1000);
  for (const std::string key : {"", "ann", "example", "@example.com", "x", "13800000000", "王", "n\x1f", "7"}) {
    for (int64_t offset : {0, 1, 3, 9}) {
      store::AgentSearch search{key, offset, 2};
      auto expected = store_->SearchAgents(1, search);
      ASSERT_TRUE(expected.ok());
      auto got = cache.Search(1, Version(1), search);
      ASSERT_TRUE(got.ok());
      ASSERT_TRUE(got->has_value());
      EXPECT_EQ((*got)->total, expected->total) << "key " << key << " offset " << offset;
      EXPECT_EQ(Names(**got), Names(*expected)) << "key " << key << " offset " << offset;
    }
  }
}

TEST_F(AgentRosterCacheTest, ReadsAgainWhenTheVersionMoves) {
  Add(1, "a@example.com", "Ann", 1);
  AgentRosterCache cache(*store_, 100, 1000);
  const int64_t before = Version(1);
  EXPECT_EQ(Total(cache.Search(1, before, {"", 0, 10})), 1);
  Add(1, "b@example.com", "Bob", 2);
  const int64_t after = Version(1);
  EXPECT_GT(after, before);
  // A request holding the old version may still see the old roster, one
  // holding the new one sees the change.
  EXPECT_EQ(Total(cache.Search(1, after, {"", 0, 10})), 2);
  EXPECT_TRUE(store_->ModifyAgent(1, UserId("b@example.com"),
                                  [](store::Agent& a) { a.true_name = "Robert"; }).ok());
  auto page = cache.Search(1, Version(1), {"robert", 0, 10});
  ASSERT_TRUE(page.ok() && page->has_value());
  EXPECT_EQ(Names(**page), std::vector<std::string>{"b@example.com"});
  EXPECT_TRUE(store_->DeleteAgent(1, UserId("a@example.com")).ok());
  EXPECT_EQ(Total(cache.Search(1, Version(1), {"", 0, 10})), 1);
}

TEST_F(AgentRosterCacheTest, LargeRostersAreLeftToTheStore) {
  for (int i = 0; i < 3; ++i) Add(1, "a" + std::to_string(i) + "@example.com", "", i);
  AgentRosterCache cache(*store_, 2, 1000);
  EXPECT_TRUE(cache.SearchesInMemory(1));  // not known yet
  auto got = cache.Search(1, Version(1), {"", 0, 10});
  ASSERT_TRUE(got.ok());
  EXPECT_FALSE(got->has_value());
  EXPECT_FALSE(cache.SearchesInMemory(1));
  EXPECT_TRUE(cache.SearchesInMemory(2));
  // Back under the limit: held again.
  EXPECT_TRUE(store_->DeleteAgent(1, UserId("a0@example.com")).ok());
  got = cache.Search(1, Version(1), {"", 0, 10});
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->total, 2);
  EXPECT_TRUE(cache.SearchesInMemory(1));
}

}  // namespace
}  // namespace kefu::domain
