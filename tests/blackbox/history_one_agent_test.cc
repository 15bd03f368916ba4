// A query naming one agent and nothing but states reads its page from the
// agent's own sort-ordered index and its total from per-agent counters; one
// naming nothing but states takes its total from tenant-wide counters. These
// tests compare such queries with the same query forced down the general path
// (enquirySummary=0..5 keeps every session), after imports that add sessions
// and then replace some with other states, times and agents.
#include <random>

#include "history_support.h"

namespace bb {
namespace hist {
namespace {

std::string AgentSet(const std::vector<std::string>& ids, int tenant) {
  std::vector<std::string> entries;
  for (const auto& id : ids) {
    entries.push_back(Obj({{"userId", S(id)}, {"username", "null"}, {"nicename", S("n")},
                           {"trueName", S("t")}, {"tenantId", S(std::to_string(tenant))}}));
  }
  return "[" + Join(entries) + "]";
}

class HistoryOneAgentTest : public HistoryTest {
 protected:
  const std::vector<std::string> agents_ = {"aaaaaaaa-0000-4000-8000-000000000001",
                                            "aaaaaaaa-0000-4000-8000-000000000002",
                                            "aaaaaaaa-0000-4000-8000-000000000003"};

  // Sessions of one to three agents, every state, some times null, several
  // sharing a stop time (so session ids break ties).
  std::vector<std::string> Sessions(int count, unsigned seed, const std::string& prefix) {
    std::mt19937 rng(seed);
    const long long base = LocalToEpoch("2026-08-01 10:00:00", 8);
    const char* states[] = {"\"Terminal\"", "\"Abort\"", "\"Wait\"", "\"Processing\""};
    std::vector<std::string> items;
    for (int i = 0; i < count; ++i) {
      std::vector<std::string> who;
      for (const auto& a : agents_) {
        if (rng() % 2) who.push_back(a);
      }
      if (who.empty()) who.push_back(agents_[rng() % 3]);
      if (rng() % 5 == 0) who.push_back(who.front());  // listed twice: counted once
      const long long created = base + static_cast<long long>(rng() % 40) * 60;
      Fields f{{"state", states[rng() % 4]},
               {"agentUserSet", AgentSet(who, t_.id)},
               {"createDatetime", "\"" + EpochToLocal(created, 8) + "\""},
               {"startDateTime", rng() % 4 ? "\"" + EpochToLocal(created + 60, 8) + "\"" : "null"},
               {"stopDateTime", rng() % 4 ? "\"" + EpochToLocal(created + 600, 8) + "\"" : "null"}};
      items.push_back(Item(prefix + std::to_string(i), t_.id, f));
    }
    return items;
  }

  void ExpectBothPathsAgree() {
    const char* sorts[] = {"", "&sortField=stopDateTime", "&sortField=startDateTime",
                           "&sortField=createDatetime"};
    const char* orders[] = {"", "&sortOrder=asc", "&sortOrder=desc"};
    const char* states[] = {"", "&state=Terminal", "&state=Wait,Processing",
                            "&state=Wait,Processing,Terminal,Abort"};
    for (const auto& agent : agents_) {
      for (const char* sort : sorts) {
        for (const char* order : orders) {
          for (const char* state : states) {
            for (const char* page : {"&page=1&per_page=7", "&page=3&per_page=7", "&page=1&per_page=50"}) {
              for (const char* name : {"agentUserId=", "agentIds="}) {
                const std::string q = std::string(name) + agent + sort + order + state + page;
                auto fast = Query(q);
                auto general = Query(q + "&enquirySummary=0,1,2,3,4,5");
                ASSERT_EQ(fast.status, 200) << q;
                ASSERT_EQ(fast.body, general.body) << q;
              }
            }
          }
        }
      }
    }
  }
};

TEST_F(HistoryOneAgentTest, AnswersLikeTheGeneralPath) {
  ASSERT_NO_FATAL_FAILURE(MustImport(Sessions(120, 1, "s")));
  ASSERT_NO_FATAL_FAILURE(ExpectBothPathsAgree());
}

TEST_F(HistoryOneAgentTest, CountsFollowReplacedSessions) {
  ASSERT_NO_FATAL_FAILURE(MustImport(Sessions(120, 1, "s")));
  // The same ids again with other states, times and agents, in two batches,
  // one of which names a session twice.
  auto again = Sessions(60, 2, "s");
  again.push_back(again.front());
  ASSERT_NO_FATAL_FAILURE(MustImport(again));
  ASSERT_NO_FATAL_FAILURE(MustImport(Sessions(30, 3, "s")));
  ASSERT_NO_FATAL_FAILURE(ExpectBothPathsAgree());
  // The tenant-wide counters (no filter but the state) follow the
  // replacements too: they used to lose track of sessions with null times.
  for (const char* sort : {"stopDateTime", "startDateTime", "createDatetime"}) {
    for (const char* state : {"Terminal", "Wait,Processing", "Wait,Processing,Terminal,Abort"}) {
      for (const char* page : {"1", "3", "5"}) {
        const std::string q = std::string("sortField=") + sort + "&state=" + state + "&page=" + page + "&per_page=25";
        auto fast = Query(q);
        ASSERT_EQ(fast.status, 200) << q;
        ASSERT_EQ(fast.body, Query(q + "&enquirySummary=0,1,2,3,4,5").body) << q;
      }
    }
  }
  EXPECT_EQ(Total("state=Wait,Processing,Terminal,Abort"), 120);
}

}  // namespace
}  // namespace hist
}  // namespace bb
