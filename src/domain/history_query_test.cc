// ParseHistoryQuery: docs/decisions.md "History query" — the order of
// checks, the defaults and each filter's parsing.
#include "domain/history_query.h"

#include <gtest/gtest.h>

#include <map>
#include <utility>

namespace kefu::domain {
namespace {

using store::SessionState;
using Params = std::map<std::string, std::vector<std::string>, std::less<>>;

// The query string as the API layer hands it over: every non-empty value.
ParamList From(Params params) {
  return [params = std::move(params)](std::string_view name) {
    auto it = params.find(name);
    return it == params.end() ? std::vector<std::string>{} : it->second;
  };
}

Result<store::HistoryFilter> Parse(Params params) { return ParseHistoryQuery(From(std::move(params))); }

// The failure of a query, as "code: detail".
std::pair<Code, std::string> Failure(Params params) {
  auto f = Parse(std::move(params));
  EXPECT_FALSE(f.ok());
  return {f.status().code(), f.status().detail()};
}

constexpr int64_t kJune16Last = 1529193599;  // 2018-06-16T23:59:59Z

TEST(HistoryQueryTest, Defaults) {
  auto f = Parse({});
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->states, (std::vector{SessionState::kTerminal, SessionState::kAbort}));
  EXPECT_EQ(f->offset, 0);
  EXPECT_EQ(f->limit, 50);
  EXPECT_EQ(f->sort_field, store::SessionTimeField::kStop);
  EXPECT_FALSE(f->ascending);
  EXPECT_EQ(f->origin_mask, 0u);
  EXPECT_FALSE(f->transfered);
  EXPECT_FALSE(f->from_agent_callback);
  EXPECT_TRUE(f->customer_name.empty());
  EXPECT_TRUE(f->agent_ids.empty() && f->agent_user_ids.empty() && f->queue_id.empty());
  EXPECT_FALSE(f->started.set() || f->stopped.set() || f->created.set());
}

TEST(HistoryQueryTest, PageAndPerPage) {
  auto f = Parse({{"page", {"3"}}, {"per_page", {"20"}}});
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->offset, 40);
  EXPECT_EQ(f->limit, 20);
  EXPECT_EQ(Failure({{"page", {"x"}}}).first, Code::kInvalidParam);  // API_001
  EXPECT_EQ(Failure({{"page", {"0"}}}).first, Code::kPageIndex);     // API_111
  EXPECT_EQ(Failure({{"per_page", {"1.5"}}}).first, Code::kInvalidParam);
  EXPECT_EQ(Failure({{"per_page", {"51"}}}).first, Code::kPageSize);  // API_112
  EXPECT_EQ(Failure({{"per_page", {"0"}}}).first, Code::kInvalidParam);
  EXPECT_TRUE(Parse({{"per_page", {"50"}}}).ok());
}

// Every parameter that can fail, in the documented order, with a bad value.
// Given bad values for a parameter and all after it, the first one answers.
TEST(HistoryQueryTest, TheFirstBadParameterInTheDocumentedOrderAnswers) {
  const std::vector<std::pair<std::string, std::string>> kOrder = {
      {"page", "0"},
      {"per_page", "51"},
      {"state", "Closed"},
      {"originType", "fax"},
      {"techChannelId", "x"},
      {"transfered", "yes"},
      {"fromAgentCallback", "no"},
      {"enquirySummary", "6"},
      {"queueIds", "x"},
      {"queueId", "x"},
      {"summaryIds", "x"},
      {"enquiryTagIds", "x"},
      {"beginDate", "yesterday"},
      {"endDate", "today"},
      {"stopDateFrom", "2018-13-01T00:00:00Z"},
      {"stopDateTo", "x"},
      {"createDateFrom", "x"},
      {"createDateTo", "x"},
      {"sortField", "name"},
      {"sortOrder", "up"},
  };
  for (size_t first = 0; first < kOrder.size(); ++first) {
    Params params;
    for (size_t i = first; i < kOrder.size(); ++i) params[kOrder[i].first] = {kOrder[i].second};
    auto [code, detail] = Failure(params);
    const std::string& name = kOrder[first].first;
    if (name == "page") {
      EXPECT_EQ(code, Code::kPageIndex);
    } else if (name == "per_page") {
      EXPECT_EQ(code, Code::kPageSize);
    } else {
      EXPECT_EQ(code, Code::kInvalidParam) << name;
      EXPECT_TRUE(detail.starts_with(name + ":")) << name << " → " << detail;
    }
  }
}

TEST(HistoryQueryTest, StatesAreCaseSensitiveAsPublished) {
  auto f = Parse({{"state", {"Wait", "Processing"}}});
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->states, (std::vector{SessionState::kWait, SessionState::kProcessing}));
  EXPECT_EQ(Failure({{"state", {"wait"}}}).first, Code::kInvalidParam);
}

TEST(HistoryQueryTest, OriginTypesBecomeBits) {
  auto f = Parse({{"originType", {"webim", "phone"}}});
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->origin_mask, store::kOriginWebim | store::kOriginPhone);
  EXPECT_EQ(Failure({{"originType", {"Webim"}}}).first, Code::kInvalidParam);
  EXPECT_EQ(OriginBit("other"), store::kOriginOther);
}

TEST(HistoryQueryTest, IntegerListsAre64Bit) {
  auto f = Parse({{"techChannelId", {"-9223372036854775808", "7"}},
                  {"queueIds", {"1", "2"}},
                  {"summaryIds", {"9223372036854775807"}},
                  {"enquiryTagIds", {"5"}},
                  {"enquirySummary", {"0", "5"}}});
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->tech_channel_ids, (std::vector<int64_t>{INT64_MIN, 7}));
  EXPECT_EQ(f->queue_ids, (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(f->summary_ids, (std::vector<int64_t>{INT64_MAX}));
  EXPECT_EQ(f->enquiry_tag_ids, (std::vector<int64_t>{5}));
  EXPECT_EQ(f->enquiry_summaries, (std::vector<int64_t>{0, 5}));
  EXPECT_EQ(Failure({{"summaryIds", {"9223372036854775808"}}}).first, Code::kInvalidParam);
  EXPECT_EQ(Failure({{"enquirySummary", {"-1"}}}).first, Code::kInvalidParam);
}

TEST(HistoryQueryTest, QueueIdZeroMeansAnyQueueAndStaysApartFromQueueIds) {
  auto f = Parse({{"queueId", {"0", "4"}}, {"queueIds", {"3"}}});
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->queue_id, (std::vector<int64_t>{4}));
  EXPECT_EQ(f->queue_ids, (std::vector<int64_t>{3}));
  auto any = Parse({{"queueId", {"0"}}});
  ASSERT_TRUE(any.ok());
  EXPECT_TRUE(any->queue_id.empty());
}

TEST(HistoryQueryTest, AgentIdsAndAgentUserIdAreTwoFilters) {
  auto f = Parse({{"agentIds", {"A", "B"}}, {"agentUserId", {"C"}}});
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->agent_ids, (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(f->agent_user_ids, (std::vector<std::string>{"C"}));
  auto only_user = Parse({{"agentUserId", {"C"}}});
  ASSERT_TRUE(only_user.ok());
  EXPECT_TRUE(only_user->agent_ids.empty());
}

TEST(HistoryQueryTest, TextFilters) {
  auto f = Parse({{"customerName", {"Li Lei", "ignored"}}, {"techChannelType", {"app", "weixin"}}});
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->customer_name, "li lei");  // ASCII-lowered, first value
  EXPECT_EQ(f->tech_channel_types, (std::vector<std::string>{"app", "weixin"}));
}

TEST(HistoryQueryTest, BooleansIgnoreCaseAndBothValuesMeanEither) {
  auto f = Parse({{"transfered", {"TRUE"}}, {"fromAgentCallback", {"false"}}});
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->transfered, true);
  EXPECT_EQ(f->from_agent_callback, false);
  auto either = Parse({{"transfered", {"true", "False"}}});
  ASSERT_TRUE(either.ok());
  EXPECT_FALSE(either->transfered);
  EXPECT_EQ(Failure({{"transfered", {"true", "1"}}}).first, Code::kInvalidParam);
}

TEST(HistoryQueryTest, DateBoundsKeepWholeSecondsExact) {
  auto f = Parse({{"beginDate", {"2018-06-16T23:59:59.500Z"}},
                  {"endDate", {"2018-06-16T23:59:59.500Z"}},
                  {"stopDateFrom", {"2018-06-16T23:59:59.000Z"}},
                  {"stopDateTo", {"2018-06-17T07:59:59+08:00"}},
                  {"createDateTo", {"2018-06-16T23:59:59.999Z"}}});
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->started.from, kJune16Last + 1);  // from rounds up
  EXPECT_EQ(f->started.to, kJune16Last);        // to rounds down
  EXPECT_EQ(f->stopped.from, kJune16Last);
  EXPECT_EQ(f->stopped.to, kJune16Last);
  EXPECT_FALSE(f->created.from);
  EXPECT_EQ(f->created.to, kJune16Last);
  auto before_epoch = Parse({{"createDateFrom", {"1969-12-31T23:59:59.500Z"}}});
  ASSERT_TRUE(before_epoch.ok());
  EXPECT_EQ(before_epoch->created.from, 0);
  EXPECT_EQ(Failure({{"beginDate", {"2018-06-16T23:59:59+14:30"}}}).first, Code::kInvalidParam);
}

TEST(HistoryQueryTest, SortFieldAndOrder) {
  for (auto [given, field] : {std::pair{"stopDateTime", store::SessionTimeField::kStop},
                              std::pair{"startDateTime", store::SessionTimeField::kStart},
                              std::pair{"createDatetime", store::SessionTimeField::kCreate},
                              std::pair{"createDateTime", store::SessionTimeField::kCreate}}) {
    auto f = Parse({{"sortField", {given}}});
    ASSERT_TRUE(f.ok()) << given;
    EXPECT_EQ(f->sort_field, field) << given;
  }
  EXPECT_EQ(Failure({{"sortField", {"stopdatetime"}}}).first, Code::kInvalidParam);
  auto asc = Parse({{"sortOrder", {"ASC", "desc"}}});  // the first value, any case
  ASSERT_TRUE(asc.ok());
  EXPECT_TRUE(asc->ascending);
  auto desc = Parse({{"sortOrder", {"Desc"}}});
  ASSERT_TRUE(desc.ok());
  EXPECT_FALSE(desc->ascending);
}

}  // namespace
}  // namespace kefu::domain
