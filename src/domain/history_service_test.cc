// HistoryService against the in-memory history store: the query reaches the
// store only when valid, the import is all or nothing and names the bad item.
#include "domain/history_service.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <map>

#include "store/fake/fake_history_store.h"

namespace kefu::domain {
namespace {

using Params = std::map<std::string, std::vector<std::string>, std::less<>>;

ParamList From(Params params) {
  return [params = std::move(params)](std::string_view name) {
    auto it = params.find(name);
    return it == params.end() ? std::vector<std::string>{} : it->second;
  };
}

class HistoryServiceTest : public ::testing::Test {
 protected:
  // Imports the JSON array `json` into `tenant` as items "item 0", "item 1"…
  Result<int64_t> Import(store::TenantId tenant, const char* json) {
    doc_.Parse(json);
    EXPECT_FALSE(doc_.HasParseError()) << json;
    labels_.clear();
    std::vector<ImportItem> items;
    for (rapidjson::SizeType i = 0; i < doc_.Size(); ++i) {
      labels_.push_back("item " + std::to_string(i));
      items.push_back({labels_.back(), &doc_[i]});
    }
    return service_.Import(tenant, TimeZone{0}, items);
  }

  // The import failed with API_001 naming `label`, and tenant 1 has nothing.
  void ExpectRefusedNaming(const Result<int64_t>& imported, const std::string& label) {
    ASSERT_FALSE(imported.ok());
    EXPECT_EQ(imported.status().code(), Code::kInvalidParam);
    EXPECT_TRUE(imported.status().detail().starts_with(label + ": ")) << imported.status().detail();
    EXPECT_EQ(service_.Query(1, From({}))->total, 0);
  }

  std::vector<std::string> Ids(const store::HistoryPage& page) {
    std::vector<std::string> ids;
    for (const auto& values : page.values) {
      rapidjson::Document d;
      d.Parse(values.c_str());
      ids.push_back(d[0].GetString());  // serviceSessionId comes first
    }
    return ids;
  }

  store::fake::FakeHistoryStore store_;
  HistoryService service_{store_};
  rapidjson::Document doc_;
  std::vector<std::string> labels_;
};

TEST_F(HistoryServiceTest, ImportThenQueryInTheDefaultOrder) {
  auto n = Import(1, R"([
    {"serviceSessionId": "a", "tenantId": 1, "state": "Terminal", "stopDateTime": "2024-01-01 10:00:00"},
    {"serviceSessionId": "b", "tenantId": 1, "state": "Abort", "stopDateTime": "2024-01-02 10:00:00"},
    {"serviceSessionId": "c", "tenantId": 1, "state": "Wait"},
    {"serviceSessionId": "d", "tenantId": 1, "state": "Terminal"}])");
  ASSERT_TRUE(n.ok()) << n.status().detail();
  EXPECT_EQ(*n, 4);
  auto page = service_.Query(1, From({}));
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 3);  // Terminal and Abort by default
  EXPECT_EQ(Ids(*page), (std::vector<std::string>{"b", "a", "d"}));  // newest stop first, nulls last

  auto second = service_.Query(1, From({{"page", {"2"}}, {"per_page", {"2"}}}));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->total, 3);
  EXPECT_EQ(Ids(*second), (std::vector<std::string>{"d"}));
  auto past_end = service_.Query(1, From({{"page", {"9"}}}));
  ASSERT_TRUE(past_end.ok());
  EXPECT_EQ(past_end->total, 3);
  EXPECT_TRUE(past_end->values.empty());
}

TEST_F(HistoryServiceTest, AnInvalidQueryNeverReachesTheStore) {
  auto page = service_.Query(1, From({{"per_page", {"20"}}}));
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(store_.last_filter().limit, 20);
  EXPECT_EQ(service_.Query(1, From({{"per_page", {"5"}}, {"state", {"Gone"}}})).status().code(),
            Code::kInvalidParam);
  EXPECT_EQ(store_.last_filter().limit, 20);
}

TEST_F(HistoryServiceTest, AgentIdsAndAgentUserIdMustBothHold) {
  ASSERT_TRUE(Import(1, R"([
    {"serviceSessionId": "ac", "tenantId": 1, "state": "Terminal",
     "agentUserSet": [{"userId": "A"}, {"userId": "C"}]},
    {"serviceSessionId": "bc", "tenantId": 1, "state": "Terminal",
     "agentUserSet": [{"userId": "B"}, {"userId": "C"}]},
    {"serviceSessionId": "c", "tenantId": 1, "state": "Terminal", "agentUserSet": [{"userId": "C"}]},
    {"serviceSessionId": "a", "tenantId": 1, "state": "Terminal", "agentUserSet": [{"userId": "A"}]}])")
                  .ok());
  auto both = service_.Query(1, From({{"agentIds", {"A", "B"}}, {"agentUserId", {"C"}}}));
  ASSERT_TRUE(both.ok());
  EXPECT_EQ(both->total, 2);
  auto served_by_c = service_.Query(1, From({{"agentUserId", {"C"}}}));
  ASSERT_TRUE(served_by_c.ok());
  EXPECT_EQ(served_by_c->total, 3);
}

TEST_F(HistoryServiceTest, ABadItemIsNamedAndNothingIsStored) {
  auto n = Import(1, R"([
    {"serviceSessionId": "a", "tenantId": 1, "state": "Terminal"},
    {"serviceSessionId": "b", "tenantId": 1, "state": "Closed"}])");
  ExpectRefusedNaming(n, "item 1");
}

TEST_F(HistoryServiceTest, ASessionOfAnotherTenantIsNamed) {
  ASSERT_TRUE(Import(2, R"([{"serviceSessionId": "theirs", "tenantId": 2, "state": "Terminal"}])").ok());
  auto n = Import(1, R"([
    {"serviceSessionId": "mine", "tenantId": 1, "state": "Terminal"},
    {"serviceSessionId": "theirs", "tenantId": 1, "state": "Terminal"}])");
  ExpectRefusedNaming(n, "item 1");
  EXPECT_EQ(service_.Query(2, From({}))->total, 1);
}

TEST_F(HistoryServiceTest, ImportingAgainReplacesTheSession) {
  ASSERT_TRUE(Import(1, R"([{"serviceSessionId": "a", "tenantId": 1, "state": "Wait"}])").ok());
  ASSERT_TRUE(Import(1, R"([{"serviceSessionId": "a", "tenantId": 1, "state": "Abort"}])").ok());
  EXPECT_EQ(service_.Query(1, From({{"state", {"Wait"}}}))->total, 0);
  EXPECT_EQ(service_.Query(1, From({{"state", {"Abort"}}}))->total, 1);
}

TEST_F(HistoryServiceTest, AStoreFailurePassesThrough) {
  store_.FailWith(Error(Code::kStoreUnavailable, "gone"));
  EXPECT_EQ(service_.Query(1, From({})).status().code(), Code::kStoreUnavailable);
  EXPECT_EQ(Import(1, R"([{"serviceSessionId": "a", "tenantId": 1, "state": "Wait"}])").status().code(),
            Code::kStoreUnavailable);
}

}  // namespace
}  // namespace kefu::domain
