// total_entries of a time range on the sort field comes from per-hour
// counters plus the two partial hours at its ends. These tests compare it
// with the same query made to count row by row (a filter that keeps every
// session, enquirySummary=0..5, takes the general path), with bounds on,
// just before and just after hour boundaries.
#include <random>

#include "history_support.h"

namespace bb {
namespace hist {
namespace {

class HistoryCountsTest : public HistoryTest {
 protected:
  void SetUp() override {
    HistoryTest::SetUp();
    // 2026-08-01 09:59:58 local (UTC+8) and on, every 617 s: times fall on,
    // before and after hour boundaries; some sessions have no start.
    const long long base = LocalToEpoch("2026-08-01 09:59:58", 8);
    std::mt19937 rng(42);
    std::vector<std::string> items;
    for (int i = 0; i < 400; ++i) {
      long long created = base + i * 617 + (i % 3 == 0 ? 2 : 0);
      const char* states[] = {"\"Terminal\"", "\"Abort\"", "\"Wait\"", "\"Processing\""};
      Fields f{{"state", states[rng() % 4]},
               {"createDatetime", "\"" + EpochToLocal(created, 8) + "\""},
               {"stopDateTime", "\"" + EpochToLocal(created + 3600 - 2 + (i % 5), 8) + "\""}};
      if (i % 4 != 1) f["startDateTime"] = "\"" + EpochToLocal(created + 1, 8) + "\"";
      items.push_back(Item("c" + std::to_string(1000 + i), t_.id, f));
    }
    ASSERT_NO_FATAL_FAILURE(MustImport(items));
    base_ = base;
  }

  // Same total through the hour counters and through the row-by-row count.
  void ExpectSameCount(const std::string& query) {
    long long fast = Total(query);
    long long slow = Total(query + "&enquirySummary=0,1,2,3,4,5");
    EXPECT_EQ(fast, slow) << query;
  }

  long long base_ = 0;
};

TEST_F(HistoryCountsTest, RangesOnTheSortFieldCountLikeRowByRow) {
  struct F {
    const char *sort, *from, *to;
  } fields[] = {{"stopDateTime", "stopDateFrom", "stopDateTo"},
                {"startDateTime", "beginDate", "endDate"},
                {"createDatetime", "createDateFrom", "createDateTo"}};
  std::mt19937 rng(7);
  const long long span = 400LL * 617 + 7200;
  for (int q = 0; q < 150; ++q) {
    const F& f = fields[q % 3];
    // Bounds near hour boundaries half of the time, anywhere otherwise.
    auto pick = [&]() -> long long {
      long long t = base_ - 3600 + static_cast<long long>(rng() % span);
      if (rng() % 2) t = t / 3600 * 3600 + static_cast<long long>(rng() % 3) - 1;
      return t * 1000 + (rng() % 4 == 0 ? 500 : 0);
    };
    long long a = pick(), b = pick();
    if (a > b && q % 7 != 0) std::swap(a, b);  // sometimes from after to
    std::string query = std::string("sortField=") + f.sort + "&state=Wait,Processing,Terminal,Abort";
    if (q % 10 != 1) query += std::string("&") + f.from + "=" + Iso(a, 0);
    if (q % 10 != 2) query += std::string("&") + f.to + "=" + Iso(b, 0);
    ExpectSameCount(query);
  }
}

TEST_F(HistoryCountsTest, ExactHourBoundsAndDefaultStates) {
  const long long hour = (base_ / 3600 + 2) * 3600;
  for (long long from : {hour - 1, hour, hour + 1}) {
    for (long long to : {hour + 3599, hour + 3600, hour + 7199, hour + 7200}) {
      ExpectSameCount("stopDateFrom=" + Iso(from * 1000, 0) + "&stopDateTo=" + Iso(to * 1000, 0));
      ExpectSameCount("sortField=createDatetime&createDateFrom=" + Iso(from * 1000, 0) +
                      "&createDateTo=" + Iso(to * 1000, 0));
    }
  }
}

}  // namespace
}  // namespace hist
}  // namespace bb
