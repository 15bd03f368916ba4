// Migrations of what a database already holds.
#include "store/sqlite/sqlite_schema.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <mutex>
#include <set>

namespace kefu::store::sqlite {
namespace {

class SqliteSchemaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir_template[] = "/tmp/kefu-schema-XXXXXX";
    ASSERT_NE(mkdtemp(dir_template), nullptr);
    dir_ = dir_template;
    auto opened = Connection::Open(dir_ + "/kefu.db", &writer_);
    ASSERT_TRUE(opened.ok()) << opened.status().detail();
    conn_ = std::move(opened).value();
  }
  void TearDown() override {
    conn_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::mutex writer_;
  std::string dir_;
  std::unique_ptr<Connection> conn_;
};

TEST_F(SqliteSchemaTest, CatalogChannelsGetTheirOriginAndEachARandomKey) {
  ASSERT_TRUE(MigrateTo(*conn_, 8).ok());
  ASSERT_TRUE(conn_->Exec("INSERT INTO tenants(id, name, time_zone, created_at) VALUES (1, 't', 0, 0);"
                          "INSERT INTO channels VALUES (1, 1, 'easemob', 'web'), (1, 2, 'weixin', 'wx'),"
                          " (1, 3, 'weibo', 'wb'), (1, 4, 'phone', '400'), (1, 5, 'api', 'api')")
                  .ok());
  ASSERT_TRUE(Migrate(*conn_).ok());
  auto s = conn_->Prepare("SELECT origin_type, channel_key, secret FROM channels ORDER BY id");
  ASSERT_TRUE(s.ok());
  std::vector<std::string> origins;
  std::set<std::string> keys;
  while ((*s)->Step()) {
    origins.push_back((*s)->Text(0));
    const std::string key = (*s)->Text(1);
    EXPECT_EQ(key.size(), 36u) << key;
    EXPECT_EQ(key.substr(8, 1) + key.substr(13, 1) + key.substr(14, 1) + key.substr(18, 1) + key.substr(23, 1),
              "--4--")
        << key;
    EXPECT_NE(std::string("89ab").find(key[19]), std::string::npos) << key;
    keys.insert(key);
    EXPECT_TRUE((*s)->IsNull(2)) << "no secret until an admin makes one";
  }
  ASSERT_TRUE((*s)->status().ok());
  EXPECT_EQ(origins, (std::vector<std::string>{"webim", "weixin", "weibo", "phone", "webim"}));
  EXPECT_EQ(keys.size(), 5u);
}

}  // namespace
}  // namespace kefu::store::sqlite
