// GET .../serviceSessionHistorys: one test per filter, bound, default and error
// of CONTRACT §6 and decisions.md "History query"; tenant isolation; API_110 on
// agent delete.
#include <algorithm>
#include <set>

#include "history_support.h"

namespace bb {
namespace hist {
namespace {

std::string Arr(const std::vector<std::string>& raw) { return "[" + Join(raw) + "]"; }
std::string Strs(const std::vector<std::string>& v) {
  std::vector<std::string> q;
  for (auto& s : v) q.push_back(S(s));
  return Arr(q);
}
std::string Tag(long long id, const std::string& name, long long parent) {
  return Obj({{"id", std::to_string(id)}, {"name", S(name)}, {"color", "1"},
              {"parentId", std::to_string(parent)}});
}
std::string Customer(const std::string& nick_json) {
  return Obj({{"customerId", S("c-" + nick_json)}, {"customerNiceName", nick_json},
              {"customerTrueName", "null"}});
}
std::string Visitor(const std::string& nick_json) {
  return Obj({{"userId", S("v-" + nick_json)}, {"nicename", nick_json}, {"username", S("vu")}});
}
std::string AgentEntry(const std::string& user_id, int tenant, const std::string& nick = "nick",
                       const std::string& true_name = "true") {
  return Obj({{"userId", S(user_id)}, {"username", "null"}, {"nicename", S(nick)},
              {"trueName", S(true_name)}, {"tenantId", S(std::to_string(tenant))}});
}

class HistoryFiltersTest : public HistoryTest {
 protected:
  void Put(const std::vector<std::string>& items) { ASSERT_NO_FATAL_FAILURE(MustImport(items)); }
  // A Terminal session with these overrides.
  std::string It(const std::string& id, const Fields& f = {}) { return Item(id, t_.id, f); }
  void ExpectIds(const std::string& query, const std::set<std::string>& want) {
    Page p = MustQuery(query);
    EXPECT_EQ(std::set<std::string>(p.ids.begin(), p.ids.end()), want) << "query: " << query;
    EXPECT_EQ(p.total, static_cast<long long>(want.size())) << "query: " << query;
  }
  void ExpectOrder(const std::string& query, const std::vector<std::string>& want) {
    Page p = MustQuery(query);
    EXPECT_EQ(p.ids, want) << "query: " << query;
  }
  void ExpectQueryError(const std::string& query, std::string_view code) {
    ExpectRejected("GET", Base() + "?" + query, "", token_, code);
  }
};

// ---------------------------------------------------------------- state

TEST_F(HistoryFiltersTest, StateDefaultIsTerminalAndAbort) {
  Put({It("w", {{"state", S("Wait")}, {"startDateTime", "null"}, {"stopDateTime", "null"}}),
       It("p", {{"state", S("Processing")}, {"stopDateTime", "null"}}), It("t"),
       It("a", {{"state", S("Abort")}, {"startDateTime", "null"}})});
  ExpectIds("", {"a", "t"});
  ExpectIds("state=", {"a", "t"});
  ExpectIds("state=Terminal%2CAbort", {"a", "t"});
  ExpectIds("state=Terminal", {"t"});
  ExpectIds("state=Abort", {"a"});
  ExpectIds("state=Wait", {"w"});
  ExpectIds("state=Processing", {"p"});
  ExpectIds("state=Wait,Processing", {"w", "p"});
  ExpectIds("state=Wait&state=Processing", {"w", "p"});
  ExpectIds("state=Wait,Processing&state=Terminal", {"w", "p", "t"});
  ExpectIds("state=Wait,Processing,Terminal,Abort", {"w", "p", "t", "a"});
  ExpectIds("state=Terminal,,Abort", {"a", "t"});
  ExpectIds("state=Terminal&state=", {"t"});
  ExpectIds("state=,Wait,", {"w"});
}

TEST_F(HistoryFiltersTest, StateValuesAreCaseSensitiveAndChecked) {
  Put({It("t")});
  for (const char* q : {"state=terminal", "state=TERMINAL", "state=Closed", "state=Terminal,foo",
                        "state=Terminal&state=abort", "state=1"})
    ExpectQueryError(q, "API_001");
}

// ---------------------------------------------------------------- originType

TEST_F(HistoryFiltersTest, OriginTypeMatchesAnyElementOfTheArray) {
  Put({It("o1", {{"originType", Strs({"webim"})}}),
       It("o2", {{"originType", Strs({"app", "weixin"})}}),
       It("o3", {{"originType", Strs({"phone"})}}), It("o4", {{"originType", "null"}}),
       It("o5", {{"originType", Strs({"mystery"})}}), It("o6", {{"originType", "[]"}})});
  ExpectIds("originType=webim", {"o1"});
  ExpectIds("originType=weixin", {"o2"});
  ExpectIds("originType=app", {"o2"});
  ExpectIds("originType=webim,phone", {"o1", "o3"});
  ExpectIds("originType=webim&originType=app", {"o1", "o2"});
  ExpectIds("originType=weibo", {});
  ExpectIds("originType=", {"o1", "o2", "o3", "o4", "o5", "o6"});
}

TEST_F(HistoryFiltersTest, OriginTypeUnknownIs001) {
  Put({It("o1", {{"originType", Strs({"mystery"})}})});
  for (const char* q : {"originType=email", "originType=WEBIM", "originType=webim,email",
                        "originType=mystery", "originType=webim&originType=Webim",
                        "originType=%20webim"})
    ExpectQueryError(q, "API_001");
}

// ---------------------------------------------------------------- channel

TEST_F(HistoryFiltersTest, TechChannelIdFilter) {
  Put({It("c1", {{"techChannelId", "1"}}), It("c2", {{"techChannelId", "2"}}),
       It("c3", {{"techChannelId", "null"}}), It("c4", {{"techChannelId", "9000000000"}})});
  ExpectIds("techChannelId=1", {"c1"});
  ExpectIds("techChannelId=1,2", {"c1", "c2"});
  ExpectIds("techChannelId=2&techChannelId=9000000000", {"c2", "c4"});
  ExpectIds("techChannelId=7", {});
  ExpectIds("techChannelId=", {"c1", "c2", "c3", "c4"});
}

TEST_F(HistoryFiltersTest, TechChannelIdNotAnIntegerIs001) {
  for (const char* q : {"techChannelId=abc", "techChannelId=1.5", "techChannelId=1,x",
                        "techChannelId=9223372036854775808",
                        "techChannelId=99999999999999999999", "techChannelId=0x10"})
    ExpectQueryError(q, "API_001");
}

TEST_F(HistoryFiltersTest, TechChannelTypeFilter) {
  Put({It("e", {{"techChannelType", S("easemob")}}), It("w", {{"techChannelType", S("weixin")}}),
       It("n", {{"techChannelType", "null"}})});
  ExpectIds("techChannelType=easemob", {"e"});
  ExpectIds("techChannelType=easemob,weixin", {"e", "w"});
  ExpectIds("techChannelType=weixin&techChannelType=phone", {"w"});
  ExpectIds("techChannelType=phone", {});
  ExpectIds("techChannelType=", {"e", "w", "n"});
}

// ---------------------------------------------------------------- customerName

TEST_F(HistoryFiltersTest, CustomerNameMatchesCustomerOrVisitorIgnoringAsciiCase) {
  Put({It("n1", {{"customer", Customer(S("AliceWang"))}, {"visitorUser", Visitor(S("x"))}}),
       It("n2", {{"customer", "null"}, {"visitorUser", Visitor(S("BOBBY"))}}),
       It("n3", {{"customer", Customer("null")}, {"visitorUser", "null"}}),
       It("n4", {{"customer", Customer(S("张三"))}, {"visitorUser", Visitor(S("李四"))}}),
       It("n5", {{"customer", Customer(S("bob"))}, {"visitorUser", Visitor("null")}})});
  ExpectIds("customerName=alice", {"n1"});
  ExpectIds("customerName=ALICE", {"n1"});
  ExpectIds("customerName=eWaN", {"n1"});
  ExpectIds("customerName=bob", {"n2", "n5"});
  ExpectIds("customerName=Bobb", {"n2"});
  ExpectIds("customerName=" + PercentEncode("张"), {"n4"});
  ExpectIds("customerName=" + PercentEncode("李四"), {"n4"});
  ExpectIds("customerName=" + PercentEncode("张三李四"), {});
  ExpectIds("customerName=x", {"n1"});
  // Customer and visitor names are matched one by one, never joined.
  ExpectIds("customerName=wangx", {});
  ExpectIds("customerName=wang+x", {});
  ExpectIds("customerName=" + PercentEncode("三李"), {});
  ExpectIds("customerName=zzz", {});
  ExpectIds("customerName=", {"n1", "n2", "n3", "n4", "n5"});
}

TEST_F(HistoryFiltersTest, CustomerNameIsLiteral) {
  Put({It("pct", {{"customer", Customer(S("100%real"))}}),
       It("und", {{"customer", Customer(S("a_b"))}}),
       It("axb", {{"customer", Customer(S("axb"))}}),
       It("hx", {{"customer", Customer(S("100Xreal"))}}),
       It("bs", {{"customer", Customer(S("back\\slash"))}}),
       It("star", {{"visitorUser", Visitor(S("a*b[c]"))}}),
       It("quote", {{"visitorUser", Visitor(S("O'Brien; DROP TABLE x;--"))}})});
  ExpectIds("customerName=%27", {"quote"});
  ExpectIds("customerName=" + PercentEncode("n; drop TABLE x;--"), {"quote"});
  ExpectIds("customerName=%25", {"pct"});
  ExpectIds("customerName=0%25r", {"pct"});
  ExpectIds("customerName=100%25real", {"pct"});
  ExpectIds("customerName=_", {"und"});
  ExpectIds("customerName=a_b", {"und"});
  ExpectIds("customerName=a_", {"und"});
  ExpectIds("customerName=%5C", {"bs"});
  ExpectIds("customerName=k%5Cs", {"bs"});
  ExpectIds("customerName=*", {"star"});
  ExpectIds("customerName=%5Bc%5D", {"star"});
  ExpectIds("customerName=%25%25", {});
  ExpectIds("customerName=__", {});
}

TEST_F(HistoryFiltersTest, CustomerNameCaseFoldingIsAsciiOnly) {
  Put({It("u", {{"customer", Customer(S("ÄÖ-umlaut"))}})});
  ExpectIds("customerName=" + PercentEncode("ÄÖ"), {"u"});
  ExpectIds("customerName=" + PercentEncode("-UMLAUT"), {"u"});
  ExpectIds("customerName=" + PercentEncode("äö"), {});
}

TEST_F(HistoryFiltersTest, CustomerNameCaseFoldingIsAsciiOnlyAtEveryLength) {
  Put({It("de", {{"customer", Customer(S("ÄÖÜ-Straße"))}}),
       It("gr", {{"customer", Customer(S("ΣΑΣ Ωμέγα"))}}),
       It("fr", {{"visitorUser", Visitor(S("Café Noir"))}})});
  ExpectIds("customerName=" + PercentEncode("ÄÖÜ"), {"de"});
  ExpectIds("customerName=" + PercentEncode("äöü"), {});
  ExpectIds("customerName=" + PercentEncode("üÖä"), {});
  ExpectIds("customerName=" + PercentEncode("-STRASSE"), {});
  ExpectIds("customerName=" + PercentEncode("-STRAßE"), {"de"});
  ExpectIds("customerName=" + PercentEncode("σας"), {});
  ExpectIds("customerName=" + PercentEncode("ΣΑΣ"), {"gr"});
  ExpectIds("customerName=" + PercentEncode("ωμέγα"), {});
  ExpectIds("customerName=" + PercentEncode("cafe"), {});
  ExpectIds("customerName=" + PercentEncode("CAFÉ"), {});
  ExpectIds("customerName=" + PercentEncode("cAfé"), {"fr"});
  ExpectIds("customerName=" + PercentEncode("é n"), {"fr"});
}

TEST_F(HistoryFiltersTest, CustomerNameQuerySyntaxIsLiteral) {
  // Characters that mean something to LIKE, GLOB, FTS5 MATCH or regular expressions.
  std::vector<std::string> names = {"say \"hi\" now", "a OR b", "NEAR(x y)", "^start", "col:val",
                                    "x AND y", "end$", "(a|b)+", "t*st", "semi;colon", "a-b-c",
                                    "dot.s", "NOT this"};
  std::vector<std::string> items;
  for (size_t i = 0; i < names.size(); ++i) items.push_back(It("q" + std::to_string(i), {{"customer", Customer(S(names[i]))}}));
  Put(items);
  for (size_t i = 0; i < names.size(); ++i)
    ExpectIds("customerName=" + PercentEncode(names[i]), {"q" + std::to_string(i)});
  ExpectIds("customerName=" + PercentEncode("\"hi\""), {"q0"});
  ExpectIds("customerName=" + PercentEncode("\""), {"q0"});
  ExpectIds("customerName=" + PercentEncode(" OR "), {"q1"});
  ExpectIds("customerName=OR", {"q1"});
  ExpectIds("customerName=" + PercentEncode("a OR"), {"q1"});
  ExpectIds("customerName=" + PercentEncode("(x"), {"q2"});
  ExpectIds("customerName=" + PercentEncode("*"), {"q8"});
  ExpectIds("customerName=" + PercentEncode("t*s"), {"q8"});
  ExpectIds("customerName=" + PercentEncode("a*"), {});
  ExpectIds("customerName=" + PercentEncode("(a|b"), {"q7"});
  ExpectIds("customerName=" + PercentEncode("x AND"), {"q5"});
  ExpectIds("customerName=" + PercentEncode("NOT"), {"q12"});
  ExpectIds("customerName=" + PercentEncode("-b-"), {"q10"});
  ExpectIds("customerName=" + PercentEncode("t.s"), {"q11"});
  ExpectIds("customerName=" + PercentEncode("d.s"), {});
}

TEST_F(HistoryFiltersTest, LongCustomerNameIsFine) {
  Put({It("s", {{"customer", Customer(S(std::string(300, 'z')))}})});
  ExpectIds("customerName=" + std::string(300, 'Z'), {"s"});
  ExpectIds("customerName=" + std::string(301, 'z'), {});
  ExpectIds("customerName=" + std::string(3000, 'y'), {});
}

TEST_F(HistoryFiltersTest, CustomerNameAllLengthsShortAndTrigram) {
  Put({It("w", {{"customer", Customer(S("王小明Bob"))}}),
       It("o", {{"visitorUser", Visitor(S("王明"))}})});
  ExpectIds("customerName=" + PercentEncode("王"), {"w", "o"});
  ExpectIds("customerName=" + PercentEncode("王小"), {"w"});
  ExpectIds("customerName=" + PercentEncode("王小明"), {"w"});
  ExpectIds("customerName=" + PercentEncode("小明b"), {"w"});
  ExpectIds("customerName=" + PercentEncode("明BO"), {"w"});
  ExpectIds("customerName=" + PercentEncode("王小明bob"), {"w"});
  ExpectIds("customerName=" + PercentEncode("王明"), {"o"});
  ExpectIds("customerName=" + PercentEncode("王明B"), {});
  ExpectIds("customerName=" + PercentEncode("王小明Bobby"), {});
}

TEST_F(HistoryFiltersTest, CustomerNamePlusIsASpace) {
  Put({It("sp", {{"customer", Customer(S("zhang San"))}}),
       It("pl", {{"customer", Customer(S("zhang+San"))}})});
  ExpectIds("customerName=g+s", {"sp"});
  ExpectIds("customerName=g%20S", {"sp"});
  ExpectIds("customerName=g%2Bs", {"pl"});
}

// ---------------------------------------------------------------- booleans

TEST_F(HistoryFiltersTest, TransferedFilter) {
  Put({It("y", {{"transfered", "true"}}), It("n", {{"transfered", "false"}})});
  ExpectIds("transfered=true", {"y"});
  ExpectIds("transfered=TRUE", {"y"});
  ExpectIds("transfered=false", {"n"});
  ExpectIds("transfered=False", {"n"});
  ExpectIds("transfered=true,false", {"y", "n"});
  ExpectIds("transfered=", {"y", "n"});
  for (const char* q : {"transfered=yes", "transfered=1", "transfered=0", "transfered=t",
                        "transfered=true,maybe"})
    ExpectQueryError(q, "API_001");
}

TEST_F(HistoryFiltersTest, FromAgentCallbackFilter) {
  Put({It("y", {{"fromAgentCallback", "true"}}), It("n", {{"fromAgentCallback", "false"}})});
  ExpectIds("fromAgentCallback=true", {"y"});
  ExpectIds("fromAgentCallback=tRuE", {"y"});
  ExpectIds("fromAgentCallback=false", {"n"});
  ExpectIds("fromAgentCallback=", {"y", "n"});
  ExpectIds("fromAgentCallback=true,false", {"y", "n"});
  ExpectIds("fromAgentCallback=false&fromAgentCallback=true", {"y", "n"});
  for (const char* q : {"fromAgentCallback=no", "fromAgentCallback=1", "fromAgentCallback=null",
                        "fromAgentCallback=true,nope"})
    ExpectQueryError(q, "API_001");
}

// ---------------------------------------------------------------- enquirySummary

TEST_F(HistoryFiltersTest, EnquirySummaryZeroIsNotRated) {
  Put({It("e0", {{"enquirySummary", "null"}}), It("e1", {{"enquirySummary", S("1")}}),
       It("e3", {{"enquirySummary", S("3")}}), It("e5", {{"enquirySummary", S("5")}})});
  ExpectIds("enquirySummary=0", {"e0"});
  ExpectIds("enquirySummary=5", {"e5"});
  ExpectIds("enquirySummary=1,5", {"e1", "e5"});
  ExpectIds("enquirySummary=0&enquirySummary=3", {"e0", "e3"});
  ExpectIds("enquirySummary=2", {});
  // A stored "0" is "not rated" too.
  Put({It("z0", {{"enquirySummary", S("0")}})});
  ExpectIds("enquirySummary=0", {"e0", "z0"});
  ExpectIds("enquirySummary=1,2,3,4,5", {"e1", "e3", "e5"});
  ExpectIds("enquirySummary=", {"e0", "e1", "e3", "e5", "z0"});
}

TEST_F(HistoryFiltersTest, EnquirySummaryOutOfRangeIs001) {
  for (const char* q : {"enquirySummary=6", "enquirySummary=-1", "enquirySummary=x",
                        "enquirySummary=1.5", "enquirySummary=1,9"})
    ExpectQueryError(q, "API_001");
}

// ---------------------------------------------------------------- lists

TEST_F(HistoryFiltersTest, DuplicateListValuesCountOnce) {
  Put({It("t", {{"queueId", "1"}, {"enquiryTags", "[501,501]"}, {"originType", Strs({"webim", "webim"})}}),
       It("a", {{"state", S("Abort")}, {"startDateTime", "null"}})});
  ExpectIds("state=Terminal,Terminal&state=Terminal", {"t"});
  ExpectIds("queueIds=1,1,1&queueId=1&queueId=1", {"t"});
  ExpectIds("enquiryTagIds=501,501", {"t"});
  ExpectIds("originType=webim,webim", {"t"});
}

TEST_F(HistoryFiltersTest, LongListsAreFine) {
  Put({It("q7", {{"queueId", "7"}}), It("q1600", {{"queueId", "1600"}}),
       It("t", {{"enquiryTags", "[1499]"}, {"summarys", Arr({Arr({Tag(1400, "x", 0)})})}})});
  std::vector<std::string> nums;
  for (int i = 1; i <= 1500; ++i) nums.push_back(std::to_string(i));
  std::string list = Join(nums, ",");
  ExpectIds("queueIds=" + list, {"q7"});
  ExpectIds("enquiryTagIds=" + list, {"t"});
  ExpectIds("summaryIds=" + list, {"t"});
  std::vector<std::string> agents;
  for (int i = 0; i < 150; ++i) {
    char b[48];
    snprintf(b, sizeof b, "%08d-0000-4000-8000-000000000000", i);
    agents.push_back(b);
  }
  ExpectIds("agentIds=" + Join(agents, ","), {});
}

// ---------------------------------------------------------------- queues

TEST_F(HistoryFiltersTest, QueueIdsFilter) {
  Put({It("q1", {{"queueId", "1"}}), It("q2", {{"queueId", "2"}}), It("qn", {{"queueId", "null"}}),
       It("qb", {{"queueId", "123456789012"}})});
  ExpectIds("queueIds=1", {"q1"});
  ExpectIds("queueIds=1,2", {"q1", "q2"});
  ExpectIds("queueIds=1,,2", {"q1", "q2"});
  ExpectIds("queueIds=1&queueIds=123456789012", {"q1", "qb"});
  ExpectIds("queueIds=3", {});
  ExpectIds("queueIds=", {"q1", "q2", "qn", "qb"});
}

TEST_F(HistoryFiltersTest, QueueIdZeroIsAnyAndBothQueueFiltersHold) {
  Put({It("q1", {{"queueId", "1"}}), It("q2", {{"queueId", "2"}}), It("qn", {{"queueId", "null"}})});
  ExpectIds("queueId=0", {"q1", "q2", "qn"});
  ExpectIds("queueId=2", {"q2"});
  ExpectIds("queueId=1,2", {"q1", "q2"});
  ExpectIds("queueId=1&queueIds=1,2", {"q1"});
  ExpectIds("queueId=1&queueIds=2", {});
  ExpectIds("queueId=0&queueIds=2", {"q2"});
}

TEST_F(HistoryFiltersTest, QueueValuesNotIntegersAre001) {
  for (const char* q : {"queueIds=a", "queueIds=1,b", "queueIds=1.0", "queueId=x", "queueId=2.5",
                        "queueId=1e3"})
    ExpectQueryError(q, "API_001");
}

// ---------------------------------------------------------------- agents

TEST_F(HistoryFiltersTest, AgentIdsMatchAnyAgentThatServedNotOnlyTheLast) {
  const std::string A = "aaaaaaaa-0000-4000-8000-000000000001";
  const std::string B = "bbbbbbbb-0000-4000-8000-000000000002";
  const std::string C = "cccccccc-0000-4000-8000-000000000003";
  Put({It("s1", {{"agentUserId", S(B)},
                 {"agentUserSet", Arr({AgentEntry(A, t_.id), AgentEntry(B, t_.id)})}}),
       It("s2", {{"agentUserId", S(C)}, {"agentUserSet", Arr({AgentEntry(C, t_.id)})}}),
       It("s3", {{"agentUserSet", "null"}}), It("s4", {{"agentUserSet", "[]"}})});
  ExpectIds("agentIds=" + A, {"s1"});
  ExpectIds("agentIds=" + B, {"s1"});
  ExpectIds("agentUserId=" + A, {"s1"});
  ExpectIds("agentIds=" + A + "," + C, {"s1", "s2"});
  ExpectIds("agentIds=" + C + "&agentIds=" + B, {"s1", "s2"});
  ExpectIds("agentIds=00000000-0000-4000-8000-000000000000", {});
  ExpectIds("agentIds=&agentUserId=", {"s1", "s2", "s3", "s4"});
}

// CONTRACT §6: agentIds and agentUserId are two filters like the others, so
// given both a session must have been served by one of agentIds AND by
// agentUserId (the old rule matched either).
TEST_F(HistoryFiltersTest, AgentIdsAndAgentUserIdMustBothHold) {
  const std::string A = "aaaaaaaa-0000-4000-8000-000000000001";
  const std::string B = "bbbbbbbb-0000-4000-8000-000000000002";
  const std::string C = "cccccccc-0000-4000-8000-000000000003";
  Put({It("s1", {{"agentUserId", S(B)},
                 {"agentUserSet", Arr({AgentEntry(A, t_.id), AgentEntry(B, t_.id)})}}),
       It("s2", {{"agentUserId", S(C)}, {"agentUserSet", Arr({AgentEntry(C, t_.id)})}}),
       It("s3", {{"agentUserId", S(A)}, {"agentUserSet", Arr({AgentEntry(A, t_.id)})}}),
       It("s4", {{"agentUserSet", "null"}})});
  ExpectIds("agentIds=" + C + "&agentUserId=" + A, {});
  ExpectIds("agentIds=" + A + "," + C + "&agentUserId=" + B, {"s1"});
  ExpectIds("agentIds=" + A + "&agentIds=" + C + "&agentUserId=" + C, {"s2"});
  ExpectIds("agentIds=" + B + "&agentUserId=" + A, {"s1"});
  // The two filters coming to one agent: that agent's own index and counters.
  ExpectIds("agentIds=" + A + "&agentUserId=" + A, {"s1", "s3"});
  ExpectIds("agentIds=" + A + "," + C + "&agentUserId=" + A, {"s1", "s3"});
  ExpectIds("agentIds=" + A + "&agentUserId=" + A + "," + B, {"s1", "s3"});
  ExpectIds("state=Terminal&agentIds=" + A + "&agentUserId=" + A, {"s1", "s3"});
  // A list in both: served by A or C, and by B or C.
  ExpectIds("agentIds=" + A + "," + C + "&agentUserId=" + B + "," + C, {"s1", "s2"});
}

// ---------------------------------------------------------------- tags

TEST_F(HistoryFiltersTest, SummaryIdsMatchLeafTagsOnly) {
  Put({It("s1", {{"summarys", Arr({Arr({Tag(10, "a", 0), Tag(11, "b", 10), Tag(12, "c", 11)})})}}),
       It("s2", {{"summarys", Arr({Arr({Tag(10, "a", 0)})})}}),
       It("s3", {{"summarys", Arr({Arr({Tag(20, "d", 0), Tag(21, "e", 20)}), Arr({Tag(30, "f", 0)})})}}),
       It("s4", {{"summarys", "null"}}), It("s5", {{"summarys", "[]"}})});
  ExpectIds("summaryIds=10", {"s2"});
  ExpectIds("summaryIds=12", {"s1"});
  ExpectIds("summaryIds=11", {});
  ExpectIds("summaryIds=20", {});
  ExpectIds("summaryIds=30", {"s3"});
  ExpectIds("summaryIds=21", {"s3"});
  ExpectIds("summaryIds=21,12", {"s1", "s3"});
  ExpectIds("summaryIds=10&summaryIds=30", {"s2", "s3"});
  ExpectIds("summaryIds=", {"s1", "s2", "s3", "s4", "s5"});
  for (const char* q : {"summaryIds=abc", "summaryIds=1,x", "summaryIds=1.5"})
    ExpectQueryError(q, "API_001");
}

TEST_F(HistoryFiltersTest, EnquiryTagIdsFilter) {
  Put({It("s1", {{"enquiryTags", "[501,502]"}}), It("s2", {{"enquiryTags", "[503]"}}),
       It("s3", {{"enquiryTags", "null"}}), It("s4", {{"enquiryTags", "[]"}})});
  ExpectIds("enquiryTagIds=502", {"s1"});
  ExpectIds("enquiryTagIds=502,503", {"s1", "s2"});
  ExpectIds("enquiryTagIds=503&enquiryTagIds=501", {"s1", "s2"});
  ExpectIds("enquiryTagIds=9", {});
  ExpectIds("enquiryTagIds=", {"s1", "s2", "s3", "s4"});
  for (const char* q : {"enquiryTagIds=x", "enquiryTagIds=501,y", "enquiryTagIds=5.0"})
    ExpectQueryError(q, "API_001");
}

// ---------------------------------------------------------------- date bounds
// The tenant is UTC+8: local 2024-01-10 10:00:00 is 2024-01-10T02:00:00Z.

TEST_F(HistoryFiltersTest, BeginEndDateBoundStartDateTime) {
  Put({It("s1", {{"createDatetime", S("2024-01-10 09:00:00")},
                 {"startDateTime", S("2024-01-10 10:00:00")},
                 {"stopDateTime", S("2024-01-12 10:00:00")}}),
       It("s2", {{"createDatetime", S("2024-01-11 09:00:00")},
                 {"startDateTime", S("2024-01-11 10:00:00")},
                 {"stopDateTime", S("2024-01-11 11:00:00")}})});
  ExpectIds("beginDate=2024-01-10T02:00:00.000Z", {"s1", "s2"});
  ExpectIds("beginDate=2024-01-10T02:00:00.001Z", {"s2"});
  ExpectIds("endDate=2024-01-10T02:00:00.000Z", {"s1"});
  ExpectIds("endDate=2024-01-10T01:59:59.999Z", {});
  ExpectIds("beginDate=2024-01-10T03:00:00.000Z&endDate=2024-01-11T02:00:00.000Z", {"s2"});
  // startDateTime, not stop or create: s1 stops after s2 starts.
  ExpectIds("beginDate=2024-01-11T01:00:00.000Z", {"s2"});
}

TEST_F(HistoryFiltersTest, StopDateBoundsStopDateTime) {
  Put({It("s1", {{"startDateTime", S("2024-01-10 10:00:00")},
                 {"stopDateTime", S("2024-01-12 10:00:00")}}),
       It("s2", {{"startDateTime", S("2024-01-11 10:00:00")},
                 {"stopDateTime", S("2024-01-11 11:00:00")}})});
  ExpectIds("stopDateFrom=2024-01-11T03:00:00.000Z", {"s1", "s2"});
  ExpectIds("stopDateFrom=2024-01-11T03:00:01.000Z", {"s1"});
  ExpectIds("stopDateTo=2024-01-11T03:00:00.000Z", {"s2"});
  ExpectIds("stopDateTo=2024-01-11T02:59:59.000Z", {});
  ExpectIds("stopDateFrom=2024-01-12T02:00:00.000Z&stopDateTo=2024-01-12T02:00:00.000Z", {"s1"});
}

TEST_F(HistoryFiltersTest, CreateDateBoundsCreateDatetime) {
  Put({It("s1", {{"createDatetime", S("2024-01-10 09:00:00")}}),
       It("s2", {{"createDatetime", S("2024-01-11 09:00:00")}})});
  ExpectIds("createDateFrom=2024-01-10T01:00:00.000Z", {"s1", "s2"});
  ExpectIds("createDateFrom=2024-01-10T01:00:00.001Z", {"s2"});
  ExpectIds("createDateTo=2024-01-11T00:59:59.999Z", {"s1"});
  ExpectIds("createDateFrom=2024-01-11T01:00:00Z&createDateTo=2024-01-11T01:00:00Z", {"s2"});
}

TEST_F(HistoryFiltersTest, BoundsAreInclusiveToTheMillisecond) {
  // Stops at 2024-01-10T23:59:59Z.
  Put({It("s", {{"startDateTime", S("2024-01-11 07:00:00")},
                {"stopDateTime", S("2024-01-11 07:59:59")}})});
  ExpectIds("stopDateTo=2024-01-10T23:59:59.000Z", {"s"});
  ExpectIds("stopDateFrom=2024-01-10T23:59:59.000Z", {"s"});
  ExpectIds("stopDateFrom=2024-01-10T23:59:59.500Z", {});
  ExpectIds("stopDateTo=2024-01-10T23:59:58.999Z", {});
  ExpectIds("stopDateTo=2024-01-10T23:59:59.999Z", {"s"});
  ExpectIds("stopDateFrom=2024-01-10T23:59:58.001Z", {"s"});
}

TEST_F(HistoryFiltersTest, BoundsAcceptOffsetsAndOptionalMillis) {
  Put({It("s", {{"startDateTime", S("2024-01-11 07:00:00")},
                {"stopDateTime", S("2024-01-11 07:59:59")}})});
  for (std::string inst : std::vector<std::string>{"2024-01-10T23:59:59Z", "2024-01-10T23:59:59.000Z",
                           "2024-01-11T07:59:59+08:00", "2024-01-11T07:59:59.000+0800",
                           "2024-01-10T18:59:59.000-05:00", "2024-01-10T23:59:59",
                           "2024-01-10T23:59:59.000"}) {
    std::string e = PercentEncode(inst);
    ExpectIds("stopDateFrom=" + e + "&stopDateTo=" + e, {"s"});
  }
  // The offset is applied: 23:59:59+08:00 is 15:59:59Z, before the stop.
  ExpectIds("stopDateTo=" + PercentEncode("2024-01-10T23:59:59+08:00"), {});
  ExpectIds("stopDateFrom=" + PercentEncode("2024-01-10T23:59:59-01:00"), {});
}

TEST_F(HistoryFiltersTest, BoundsUseHalfHourZones) {
  auto india = CreateTenant("india", 0, "UTC+5:30");
  std::string ti = IssueToken(india);
  ASSERT_NO_FATAL_FAILURE(MustImport({Item("i1", india.id,
                                           {{"startDateTime", S("2024-01-10 05:00:00")},
                                            {"stopDateTime", S("2024-01-10 05:29:59")}})},
                                     india.id, ti));
  // 05:29:59 at UTC+5:30 is 2024-01-09T23:59:59Z.
  auto p = MustQuery("stopDateFrom=2024-01-09T23:59:59Z&stopDateTo=2024-01-09T23:59:59Z", india.id, ti);
  EXPECT_EQ(p.ids, std::vector<std::string>{"i1"});
  p = MustQuery("beginDate=2024-01-09T23:30:00Z&endDate=2024-01-09T23:30:00Z", india.id, ti);
  EXPECT_EQ(p.ids, std::vector<std::string>{"i1"});
  p = MustQuery("stopDateFrom=2024-01-10T00:00:00Z", india.id, ti);
  EXPECT_EQ(p.total, 0);
  p = MustQuery("", india.id, ti);
  ASSERT_EQ(p.items.size(), 1u);
  EXPECT_STREQ(ParseJson(p.items[0])["stopDateTime"].GetString(), "2024-01-10 05:29:59");
}

TEST_F(HistoryFiltersTest, BoundsUseTheTenantsZone) {
  auto west = CreateTenant("west", 0, "UTC-5");
  std::string tw = IssueToken(west);
  ASSERT_NO_FATAL_FAILURE(MustImport({Item("w1", west.id,
                                           {{"startDateTime", S("2024-01-10 09:00:00")},
                                            {"stopDateTime", S("2024-01-10 10:00:00")}})},
                                     west.id, tw));
  // 10:00 at UTC-5 is 15:00Z.
  auto p = MustQuery("stopDateFrom=2024-01-10T15:00:00Z&stopDateTo=2024-01-10T15:00:00Z", west.id, tw);
  EXPECT_EQ(p.ids, std::vector<std::string>{"w1"});
  p = MustQuery("stopDateTo=2024-01-10T14:59:59Z", west.id, tw);
  EXPECT_EQ(p.total, 0);
  // Read back exactly as given.
  p = MustQuery("", west.id, tw);
  ASSERT_EQ(p.items.size(), 1u);
  auto d = ParseJson(p.items[0]);
  EXPECT_STREQ(d["stopDateTime"].GetString(), "2024-01-10 10:00:00");
  EXPECT_STREQ(d["startDateTime"].GetString(), "2024-01-10 09:00:00");
}

TEST_F(HistoryFiltersTest, BoundsAroundLeapDayAndYearEnd) {
  // UTC+8: local 2024-02-29 23:59:59 is 15:59:59Z; local 2025-01-01 07:59:59 is 2024-12-31T23:59:59Z.
  Put({It("leap", {{"createDatetime", S("2024-02-29 23:00:00")},
                   {"startDateTime", S("2024-02-29 23:30:00")},
                   {"stopDateTime", S("2024-02-29 23:59:59")}}),
       It("ye", {{"createDatetime", S("2025-01-01 07:00:00")},
                 {"startDateTime", S("2025-01-01 07:30:00")},
                 {"stopDateTime", S("2025-01-01 07:59:59")}})});
  ExpectIds("stopDateFrom=2024-02-29T15:59:59Z&stopDateTo=2024-02-29T15:59:59Z", {"leap"});
  ExpectIds("stopDateFrom=2024-02-29T16:00:00Z&stopDateTo=2024-12-31T23:59:58Z", {});
  ExpectIds("stopDateFrom=2024-12-31T23:59:59Z", {"ye"});
  ExpectIds("stopDateTo=" + PercentEncode("2025-01-01T07:59:59.000+08:00") +
                "&stopDateFrom=" + PercentEncode("2025-01-01T07:59:59+0800"),
            {"ye"});
  ExpectIds("beginDate=2024-02-29T15:30:00Z&endDate=2024-02-29T15:30:00Z", {"leap"});
  ExpectIds("createDateFrom=2024-12-31T23:00:00Z", {"ye"});
}

TEST_F(HistoryFiltersTest, ExtremeBoundsAreFine) {
  Put({It("s"), It("a", {{"state", S("Abort")}, {"startDateTime", "null"}})});
  ExpectIds("beginDate=0001-01-01T00:00:00Z", {"s"});
  ExpectIds("stopDateTo=9999-12-31T23:59:59.999Z", {"s", "a"});
  ExpectIds("stopDateFrom=1970-01-01T00:00:00Z&createDateTo=9999-12-31T23:59:59Z", {"s", "a"});
  ExpectIds("stopDateFrom=9999-12-31T23:59:59.999Z", {});
  ExpectIds("createDateTo=1969-12-31T23:59:59Z", {});
}

TEST_F(HistoryFiltersTest, UnparsableBoundIs001) {
  for (const char* name : {"beginDate", "endDate", "stopDateFrom", "stopDateTo", "createDateFrom",
                           "createDateTo"}) {
    for (const char* v : {"yesterday", "2018-13-01T00:00:00.000Z", "2018-06-16T25:00:00.000Z",
                          "2018-06-16T23%3A59%3A59.000Q", "12345"})
      ExpectQueryError(std::string(name) + "=" + v, "API_001");
  }
}

TEST_F(HistoryFiltersTest, PublishedBoundFormatIsAccepted) {
  Put({It("s", {{"startDateTime", S("2018-06-16 12:00:00")},
                {"stopDateTime", S("2018-06-16 13:00:00")}})});
  ExpectIds("stopDateTo=2018-06-16T23%3A59%3A59.000Z&beginDate=2018-06-16T00%3A00%3A00.000Z", {"s"});
}

TEST_F(HistoryFiltersTest, FromAfterToGivesNoRows) {
  Put({It("s", {{"createDatetime", S("2024-01-10 09:00:00")},
                {"startDateTime", S("2024-01-10 10:00:00")},
                {"stopDateTime", S("2024-01-10 11:00:00")}})});
  for (std::string q : std::vector<std::string>{"stopDateFrom=2024-01-11T00:00:00Z&stopDateTo=2024-01-09T00:00:00Z",
                        "beginDate=2024-01-11T00:00:00Z&endDate=2024-01-09T00:00:00Z",
                        "createDateFrom=2024-01-11T00:00:00Z&createDateTo=2024-01-09T00:00:00Z",
                        "stopDateFrom=2024-01-10T03:00:00.001Z&stopDateTo=2024-01-10T03:00:00.000Z"}) {
    auto r = Query(q);
    ASSERT_TRUE(IsHistoryPage(r)) << q;
    EXPECT_EQ(Canon(r.body), R"({"status":"OK","entity":{"total_entries":0,"items":[]}})") << q;
  }
}

TEST_F(HistoryFiltersTest, NullBoundedTimeNeverMatches) {
  Put({It("t", {{"createDatetime", S("2024-01-10 09:00:00")},
                {"startDateTime", S("2024-01-10 10:00:00")},
                {"stopDateTime", S("2024-01-10 11:00:00")}}),
       It("a", {{"state", S("Abort")}, {"createDatetime", S("2024-01-10 09:00:00")},
                {"startDateTime", "null"}, {"stopDateTime", S("2024-01-10 09:30:00")}}),
       It("nc", {{"createDatetime", "null"}}),
       It("p", {{"state", S("Processing")}, {"stopDateTime", "null"}})});
  ExpectIds("beginDate=2000-01-01T00:00:00Z", {"t", "nc"});
  ExpectIds("endDate=2100-01-01T00:00:00Z", {"t", "nc"});
  ExpectIds("createDateFrom=2000-01-01T00:00:00Z", {"t", "a"});
  ExpectIds("createDateTo=2100-01-01T00:00:00Z", {"t", "a"});
  ExpectIds("state=Processing&stopDateTo=2100-01-01T00:00:00Z", {});
  ExpectIds("state=Processing&stopDateFrom=2000-01-01T00:00:00Z", {});
  ExpectIds("state=Processing", {"p"});
}

// ---------------------------------------------------------------- sorting

class HistorySortTest : public HistoryFiltersTest {
 protected:
  void SetUp() override {
    HistoryFiltersTest::SetUp();
    // create / start / stop chosen so the three orders differ.
    Put({It("s1", {{"createDatetime", S("2024-01-01 10:00:00")},
                   {"startDateTime", S("2024-01-03 10:00:00")},
                   {"stopDateTime", S("2024-01-05 10:00:00")}}),
         It("s2", {{"createDatetime", S("2024-01-02 10:00:00")},
                   {"startDateTime", S("2024-01-02 11:00:00")},
                   {"stopDateTime", S("2024-01-06 10:00:00")}}),
         It("s3", {{"createDatetime", S("2024-01-03 10:00:00")},
                   {"startDateTime", S("2024-01-04 10:00:00")},
                   {"stopDateTime", S("2024-01-04 11:00:00")}}),
         It("a4", {{"state", S("Abort")}, {"createDatetime", S("2024-01-04 10:00:00")},
                   {"startDateTime", "null"}, {"stopDateTime", S("2024-01-04 10:30:00")}}),
         It("n5", {{"createDatetime", "null"}, {"startDateTime", S("2024-01-01 09:00:00")},
                   {"stopDateTime", S("2024-01-01 09:30:00")}})});
  }
};

TEST_F(HistorySortTest, SortDefaultIsStopDateTimeDesc) {
  ExpectOrder("", {"s2", "s1", "s3", "a4", "n5"});
  ExpectOrder("sortField=stopDateTime", {"s2", "s1", "s3", "a4", "n5"});
  ExpectOrder("sortOrder=desc", {"s2", "s1", "s3", "a4", "n5"});
}

TEST_F(HistorySortTest, SortStopDateTimeAsc) {
  ExpectOrder("sortField=stopDateTime&sortOrder=asc", {"n5", "a4", "s3", "s1", "s2"});
}

TEST_F(HistorySortTest, SortStartDateTimeBothOrdersNullsLast) {
  ExpectOrder("sortField=startDateTime&sortOrder=desc", {"s3", "s1", "s2", "n5", "a4"});
  ExpectOrder("sortField=startDateTime&sortOrder=asc", {"n5", "s2", "s1", "s3", "a4"});
}

TEST_F(HistorySortTest, SortAscNullsLast) {
  ExpectOrder("sortField=createDatetime&sortOrder=asc", {"s1", "s2", "s3", "a4", "n5"});
  Put({It("p6", {{"state", S("Processing")}, {"createDatetime", S("2024-01-05 10:00:00")},
                 {"startDateTime", S("2024-01-05 11:00:00")}, {"stopDateTime", "null"}})});
  ExpectOrder("state=Wait,Processing,Terminal,Abort&sortField=stopDateTime&sortOrder=asc",
              {"n5", "a4", "s3", "s1", "s2", "p6"});
  ExpectOrder("state=Wait,Processing,Terminal,Abort&sortField=startDateTime&sortOrder=asc",
              {"n5", "s2", "s1", "s3", "p6", "a4"});
}

TEST_F(HistorySortTest, SortDescNullsLast) {
  ExpectOrder("sortField=createDatetime&sortOrder=desc", {"a4", "s3", "s2", "s1", "n5"});
  Put({It("p6", {{"state", S("Processing")}, {"createDatetime", S("2024-01-05 10:00:00")},
                 {"startDateTime", S("2024-01-05 11:00:00")}, {"stopDateTime", "null"}})});
  ExpectOrder("state=Processing,Terminal,Abort&sortField=stopDateTime&sortOrder=desc",
              {"s2", "s1", "s3", "a4", "n5", "p6"});
  ExpectOrder("state=Processing,Terminal,Abort&sortField=startDateTime&sortOrder=desc",
              {"p6", "s3", "s1", "s2", "n5", "a4"});
}

TEST_F(HistorySortTest, SortFieldCreateDateTimeSpellingAccepted) {
  ExpectOrder("sortField=createDateTime&sortOrder=desc", {"a4", "s3", "s2", "s1", "n5"});
  ExpectOrder("sortField=createDateTime&sortOrder=asc", {"s1", "s2", "s3", "a4", "n5"});
}

TEST_F(HistorySortTest, SortOrderIgnoresCase) {
  ExpectOrder("sortOrder=ASC", {"n5", "a4", "s3", "s1", "s2"});
  ExpectOrder("sortOrder=Asc", {"n5", "a4", "s3", "s1", "s2"});
  ExpectOrder("sortOrder=DESC", {"s2", "s1", "s3", "a4", "n5"});
}

TEST_F(HistorySortTest, SortFieldAndOrderTakeTheirFirstValue) {
  ExpectOrder("sortField=startDateTime,stopDateTime&sortOrder=asc",
              {"n5", "s2", "s1", "s3", "a4"});
  ExpectOrder("sortField=startDateTime&sortField=createDatetime&sortOrder=asc&sortOrder=desc",
              {"n5", "s2", "s1", "s3", "a4"});
}

TEST_F(HistorySortTest, SortFieldOrOrderInvalidIs001) {
  for (const char* q : {"sortField=foo", "sortField=stopdatetime", "sortField=StopDateTime",
                        "sortField=serviceSessionId", "sortOrder=up", "sortOrder=ascending",
                        "sortOrder=1"})
    ExpectQueryError(q, "API_001");
}

TEST_F(HistoryFiltersTest, TiesBrokenBySessionIdAscending) {
  std::vector<std::string> ids = {"b", "B", "a", "a1", "A", "_", "0", "Ab", "aB"};
  std::vector<std::string> items;
  for (auto& id : ids)
    items.push_back(It(id, {{"createDatetime", S("2024-01-10 09:00:00")},
                            {"startDateTime", S("2024-01-10 10:00:00")},
                            {"stopDateTime", S("2024-01-10 11:00:00")}}));
  // One later and one earlier, to see ties sit between them.
  items.push_back(It("zz-late", {{"createDatetime", S("2024-01-10 09:00:01")},
                                 {"startDateTime", S("2024-01-10 10:00:01")},
                                 {"stopDateTime", S("2024-01-10 11:00:01")}}));
  items.push_back(It("00-early", {{"createDatetime", S("2024-01-10 08:59:59")},
                                  {"startDateTime", S("2024-01-10 09:59:59")},
                                  {"stopDateTime", S("2024-01-10 10:59:59")}}));
  Put(items);
  std::vector<std::string> ties = {"0", "A", "Ab", "B", "_", "a", "a1", "aB", "b"};  // bytes
  std::vector<std::string> desc = {"zz-late"}, asc = {"00-early"};
  desc.insert(desc.end(), ties.begin(), ties.end());
  desc.push_back("00-early");
  asc.insert(asc.end(), ties.begin(), ties.end());
  asc.push_back("zz-late");
  for (const char* f : {"stopDateTime", "startDateTime", "createDatetime"}) {
    ExpectOrder(std::string("sortField=") + f + "&sortOrder=desc", desc);
    ExpectOrder(std::string("sortField=") + f + "&sortOrder=asc", asc);
  }
  // Paging through ties is stable.
  std::vector<std::string> cat;
  for (int p = 1; p <= 6; ++p) {
    auto pg = MustQuery("per_page=2&page=" + std::to_string(p));
    cat.insert(cat.end(), pg.ids.begin(), pg.ids.end());
  }
  EXPECT_EQ(cat, desc);
}

// ---------------------------------------------------------------- paging

class HistoryPagingTest : public HistoryFiltersTest {
 protected:
  void SetUp() override {
    HistoryFiltersTest::SetUp();
    std::vector<std::string> items;
    for (int i = 0; i < 60; ++i) {
      char stop[32];
      snprintf(stop, sizeof stop, "2024-02-01 10:%02d:00", i);
      items.push_back(It("p" + std::to_string(100 + i), {{"stopDateTime", S(stop)}}));
    }
    Put(items);
  }
};

TEST_F(HistoryPagingTest, DefaultsArePage1PerPage50) {
  auto p = MustQuery("");
  EXPECT_EQ(p.total, 60);
  ASSERT_EQ(p.ids.size(), 50u);
  EXPECT_EQ(p.ids.front(), "p159");
  EXPECT_EQ(p.ids.back(), "p110");
  auto p2 = MustQuery("page=2");
  EXPECT_EQ(p2.total, 60);
  ASSERT_EQ(p2.ids.size(), 10u);
  EXPECT_EQ(p2.ids.front(), "p109");
  EXPECT_EQ(MustQuery("page=&per_page=").ids, p.ids);
  EXPECT_EQ(MustQuery("page=1&per_page=50").ids, p.ids);
}

TEST_F(HistoryPagingTest, PagesConcatenate) {
  std::vector<std::string> all = MustQuery("per_page=50").ids;
  auto p2 = MustQuery("per_page=50&page=2").ids;
  all.insert(all.end(), p2.begin(), p2.end());
  std::vector<std::string> cat;
  for (int page = 1; page <= 9; ++page) {
    auto p = MustQuery("per_page=7&page=" + std::to_string(page));
    EXPECT_EQ(p.total, 60);
    EXPECT_EQ(p.ids.size(), page < 9 ? 7u : 4u);
    cat.insert(cat.end(), p.ids.begin(), p.ids.end());
  }
  EXPECT_EQ(cat, all);
  EXPECT_EQ(std::set<std::string>(cat.begin(), cat.end()).size(), 60u);
}

TEST_F(HistoryPagingTest, PagePastTheEndIsEmptyWithTrueTotal) {
  for (std::string q : {"page=3", "page=4&per_page=20&state=Terminal", "per_page=1&page=61",
                        "page=2147483647", "page=2147483647&per_page=50"}) {
    auto r = Query(q);
    ASSERT_TRUE(IsHistoryPage(r)) << q;
    EXPECT_EQ(Canon(r.body), R"({"status":"OK","entity":{"total_entries":60,"items":[]}})") << q;
  }
  EXPECT_EQ(MustQuery("per_page=1&page=60").ids, std::vector<std::string>{"p100"});
}

TEST_F(HistoryPagingTest, PerPageBoundaries) {
  EXPECT_EQ(MustQuery("per_page=1").ids.size(), 1u);
  EXPECT_EQ(MustQuery("per_page=49").ids.size(), 49u);
  EXPECT_EQ(MustQuery("per_page=50").ids.size(), 50u);
}

TEST_F(HistoryPagingTest, PerPageOver50Is112) {
  for (const char* q : {"per_page=51", "per_page=1000", "per_page=2147483647", "page=1&per_page=51"})
    ExpectQueryError(q, "API_112");
}

TEST_F(HistoryPagingTest, PageZeroIs111) {
  for (const char* q : {"page=0", "page=-1", "page=-100&per_page=10"})
    ExpectQueryError(q, "API_111");
}

TEST_F(HistoryPagingTest, PerPageBelow1Is001) {
  for (const char* q : {"per_page=0", "per_page=-1", "per_page=-100"})
    ExpectQueryError(q, "API_001");
}

TEST_F(HistoryPagingTest, PageOrPerPageNotAnIntegerIs001) {
  for (const char* q : {"page=x", "page=1.5", "page=1e2", "page=0x1", "page=2abc", "per_page=x",
                        "per_page=1.5", "per_page=10abc", "per_page=%2010"})
    ExpectQueryError(q, "API_001");
}

TEST_F(HistoryPagingTest, OrderOfChecks) {
  // Token, then tenant, then page, then per_page, then the filters.
  EXPECT_TRUE(IsError(Get(Base() + "?page=0&per_page=51&state=x", ""), "API_002"));
  EXPECT_TRUE(IsError(Get(Base() + "?page=0", "0123456789abcdef0123456789abcdef"), "API_002"));
  auto other = CreateTenant("other-order");
  EXPECT_TRUE(IsError(Get(Base(other.id) + "?page=0&per_page=51", token_), "API_003"));
  ExpectQueryError("page=0&per_page=51", "API_111");
  ExpectQueryError("page=x&per_page=51", "API_001");
  ExpectQueryError("page=0&per_page=x", "API_111");
  ExpectQueryError("per_page=51&state=bogus", "API_112");
  ExpectQueryError("per_page=51&sortOrder=sideways", "API_112");
  ExpectQueryError("page=0&originType=email", "API_111");
  ExpectQueryError("per_page=0&page=-1", "API_111");
}

// ---------------------------------------------------------------- the published example

class HistoryPublishedTest : public KefuTest {};

TEST_F(HistoryPublishedTest, PublishedCurlExampleAnswersThePublishedItem) {
  auto t = CreateTenant("one", 1, "UTC+8");
  ASSERT_EQ(t.id, 1);
  StartServer();
  std::string tok = IssueToken(t);
  auto imp = Call("POST", "/api/tenants/1/serviceSessionHistorys/import",
                  "[" + PublishedItem(1) + "]", tok);
  ASSERT_TRUE(IsOk(imp));
  std::string target = PublishedQueryTarget();
  ASSERT_EQ(target.find('\n'), std::string::npos);
  for (std::string tgt : std::vector<std::string>{target, "/api/platform" + target.substr(4)}) {
    auto r = Get(tgt, tok);
    ASSERT_TRUE(IsHistoryPage(r)) << tgt;
    auto p = ParsePage(r.body);
    EXPECT_EQ(p.total, 1) << tgt;
    ASSERT_EQ(p.items.size(), 1u) << tgt;
    EXPECT_EQ(p.items[0], Canon(PublishedItem(1)));
    EXPECT_EQ(RawValues(r.body, "chatGroupId"), std::vector<std::string>{"1493629159358939434"});
  }
}

// ---------------------------------------------------------------- misc

TEST_F(HistoryFiltersTest, UnknownParamsIgnored) {
  Put({It("s1"), It("s2", {{"state", S("Abort")}, {"startDateTime", "null"}})});
  std::string base = Query("").body;
  for (const char* q : {"foo=bar", "foo=", "foo", "x=1&y=2&z", "pageSize=99", "size=1000",
                        "keyValue=zzz", "tenantId=999"}) {
    auto r = Query(q);
    ASSERT_TRUE(IsHistoryPage(r)) << q;
    EXPECT_EQ(r.body, base) << q;
  }
}

TEST_F(HistoryFiltersTest, IsAgentAndOrderTypeIgnored) {
  Put({It("s1"), It("s2", {{"stopDateTime", S("2024-01-10 10:31:00")}})});
  std::string base = Query("").body;
  for (const char* q : {"isAgent=false", "isAgent=true", "isAgent=maybe", "orderType=",
                        "orderType=xyz", "orderType=1&isAgent=0", "isAgent=false&orderType=asc"}) {
    auto r = Query(q);
    ASSERT_TRUE(IsHistoryPage(r)) << q;
    EXPECT_EQ(r.body, base) << q;
  }
}

TEST_F(HistoryFiltersTest, BothPrefixesAndTrailingSlash) {
  Put({It("s1"), It("s2", {{"state", S("Abort")}, {"startDateTime", "null"}})});
  std::string q = "?per_page=10&sortOrder=asc";
  auto base = Get(Base() + q, token_);
  ASSERT_TRUE(IsHistoryPage(base));
  EXPECT_EQ(ParsePage(base.body).total, 2);
  for (std::string t : std::vector<std::string>{Base(0, "/api/platform/tenants/") + q, Base() + "/" + q,
                        Base(0, "/api/platform/tenants/") + "/" + q}) {
    auto r = Get(t, token_);
    ASSERT_TRUE(IsHistoryPage(r)) << t;
    EXPECT_EQ(r.body, base.body) << t;
  }
}

TEST_F(HistoryFiltersTest, WrongMethodsAre405) {
  struct Case {
    std::string method, target, allow;
  };
  for (auto& c : std::vector<Case>{{"POST", Base(), "GET"},
                                   {"DELETE", Base(), "GET"},
                                   {"PUT", Base(), "GET"},
                                   {"GET", Base() + "/import", "POST"},
                                   {"DELETE", Base() + "/import", "POST"}}) {
    auto r = http().Request(c.method, c.target, c.method == "GET" ? "" : "[]",
                            {{"Kefu-Token", token_}}, c.method != "GET");
    EXPECT_TRUE(IsError(r, "API_405")) << c.method << " " << c.target;
    EXPECT_NE(r.Header("Allow").find(c.allow), std::string::npos)
        << c.method << " " << c.target << ": Allow is '" << r.Header("Allow") << "'";
  }
}

TEST_F(HistoryFiltersTest, EmptyTenantAnswersZero) {
  auto r = Query("");
  ASSERT_TRUE(IsHistoryPage(r));
  EXPECT_EQ(Canon(r.body), R"({"status":"OK","entity":{"total_entries":0,"items":[]}})");
  EXPECT_TRUE(HasJsonContentType(r));
}

TEST_F(HistoryFiltersTest, ChatGroupIdAbove2Pow53StaysExact) {
  Put({It("c1", {{"chatGroupId", "9007199254740993"}, {"stopDateTime", S("2024-01-10 10:31:00")}}),
       It("c2", {{"chatGroupId", "18446744073709551615"}, {"stopDateTime", S("2024-01-10 10:32:00")}}),
       It("c3", {{"chatGroupId", "-9223372036854775808"}, {"stopDateTime", S("2024-01-10 10:33:00")}}),
       It("c4", {{"chatGroupId", "9223372036854775807"}, {"stopDateTime", S("2024-01-10 10:34:00")}}),
       It("c5", {{"chatGroupId", "1493629159358939434"}, {"stopDateTime", S("2024-01-10 10:35:00")}})});
  auto r = Query("");
  ASSERT_TRUE(IsHistoryPage(r));
  // Default order: stop descending, c5 first.
  EXPECT_EQ(RawValues(r.body, "chatGroupId"),
            (std::vector<std::string>{"1493629159358939434", "9223372036854775807",
                                      "-9223372036854775808", "18446744073709551615",
                                      "9007199254740993"}))
      << r.body.substr(0, 3000);
  // Not as a float or a string.
  EXPECT_EQ(r.body.find("9.007199254740993e"), std::string::npos);
  EXPECT_EQ(r.body.find("\"9007199254740993\""), std::string::npos);
}

TEST_F(HistoryFiltersTest, ItemsHaveThePublishedKeysInOrder) {
  Put({It("full", {{"summarys", Arr({Arr({Tag(1, "x", 0)})})}, {"originType", Strs({"webim"})}}),
       Item("minimal", t_.id, [] {
         Fields f;
         for (auto& k : ItemKeys())
           if (k != "serviceSessionId" && k != "tenantId" && k != "state") f[k] = "";
         return f;
       }())});
  auto r = Query("state=Wait,Processing,Terminal,Abort");
  ASSERT_TRUE(IsHistoryPage(r));
  auto d = ParseJson(r.body);
  ASSERT_EQ(d["entity"]["items"].Size(), 2u);
  for (auto& it : d["entity"]["items"].GetArray()) EXPECT_EQ(Keys(it), ItemKeys());
}

// ---------------------------------------------------------------- tenants

class HistoryTenancyTest : public HistoryFiltersTest {
 protected:
  void SetUp() override {
    HistoryFiltersTest::SetUp();
    b_ = CreateTenant("hist-b", 0, "UTC+8");
    tb_ = IssueToken(b_);
  }
  // The same session content in both tenants (ids differ).
  std::string Rich(const std::string& id, int tenant) {
    return Item(id, tenant,
                {{"techChannelId", "1"}, {"techChannelType", S("easemob")}, {"queueId", "3"},
                 {"originType", Strs({"webim"})}, {"customer", Customer(S("SharedName"))},
                 {"visitorUser", Visitor(S("共享"))}, {"transfered", "true"},
                 {"fromAgentCallback", "true"}, {"enquirySummary", S("4")},
                 {"summarys", Arr({Arr({Tag(10, "t", 0)})})}, {"enquiryTags", "[501]"},
                 {"agentUserId", S("aaaaaaaa-0000-4000-8000-00000000000a")},
                 {"agentUserSet", Arr({AgentEntry("aaaaaaaa-0000-4000-8000-00000000000a", tenant)})}});
  }
  TenantCreds b_;
  std::string tb_;
};

TEST_F(HistoryTenancyTest, TenantNeverSeesAnotherTenantsSessions) {
  ASSERT_NO_FATAL_FAILURE(MustImport({Rich("a1", t_.id)}));
  std::vector<std::string> bs;
  for (int i = 0; i < 5; ++i) bs.push_back(Rich("b" + std::to_string(i), b_.id));
  ASSERT_NO_FATAL_FAILURE(MustImport(bs, b_.id, tb_));
  for (std::string q : std::vector<std::string>
       {"", "state=Wait,Processing,Terminal,Abort", "techChannelId=1", "techChannelType=easemob",
        "queueIds=3", "queueId=3", "originType=webim", "customerName=shared",
        "customerName=" + PercentEncode("共享"), "transfered=true", "fromAgentCallback=true",
        "enquirySummary=4", "summaryIds=10", "enquiryTagIds=501",
        "agentIds=aaaaaaaa-0000-4000-8000-00000000000a",
        "agentUserId=aaaaaaaa-0000-4000-8000-00000000000a",
        "stopDateFrom=2000-01-01T00:00:00Z&stopDateTo=2100-01-01T00:00:00Z",
        "beginDate=2000-01-01T00:00:00Z", "createDateFrom=2000-01-01T00:00:00Z",
        "sortField=createDatetime&sortOrder=asc", "per_page=50&page=1"}) {
    auto pa = MustQuery(q);
    EXPECT_EQ(pa.ids, std::vector<std::string>{"a1"}) << q;
    EXPECT_EQ(pa.total, 1) << q;
    auto pb = MustQuery(q, b_.id, tb_);
    EXPECT_EQ(pb.total, 5) << q;
  }
}

TEST_F(HistoryTenancyTest, OtherTenantsTokenIs003) {
  ASSERT_NO_FATAL_FAILURE(MustImport({Rich("b1", b_.id)}, b_.id, tb_));
  for (const char* prefix : {"/api/tenants/", "/api/platform/tenants/"}) {
    std::string path = Base(b_.id, prefix);
    ExpectRejected("GET", path, "", token_, "API_003");
    ExpectRejected("GET", path + "?page=0&per_page=99&state=x", "", token_, "API_003");
    ExpectRejected("POST", path + "/import", "[" + Rich("evil", b_.id) + "]", token_, "API_003");
    ExpectRejected("POST", path + "/import", "[" + Rich("b1", b_.id) + "]", token_, "API_003");
    ExpectRejected("POST", path + "/import", "not json", token_, "API_003");
    // A tenant that does not exist.
    ExpectRejected("GET", Base(987654, prefix), "", token_, "API_003");
    ExpectRejected("POST", Base(987654, prefix) + "/import", "[]", token_, "API_003");
  }
  auto pb = MustQuery("", b_.id, tb_);
  EXPECT_EQ(pb.ids, std::vector<std::string>{"b1"});
}

TEST_F(HistoryTenancyTest, NoTokenIs002) {
  ExpectRejected("GET", Base(), "", "", "API_002");
  ExpectRejected("POST", Base() + "/import", "[]", "", "API_002");
  ExpectRejected("GET", Base(), "", "ffffffffffffffffffffffffffffffff", "API_002");
}

// ---------------------------------------------------------------- API_110

class HistoryAgentDeleteTest : public HistoryFiltersTest {
 protected:
  void SetUp() override {
    HistoryFiltersTest::SetUp();
    static int n = 0;
    tag_ = std::to_string(getpid()) + "x" + std::to_string(++n);
    MustAddAgent(t_.id, token_, "boss" + tag_ + "@example.com", 1);
    uid_ = AddAndGetUserId("busy" + tag_ + "@example.com", 2);
    other_uid_ = AddAndGetUserId("free" + tag_ + "@example.com", 2);
  }
  std::string AddAndGetUserId(const std::string& username, int role) {
    auto r = AddAgent(t_.id, token_, username, role, "password123",
                      R"("nicename":"Nick-)" + username + R"(","trueName":"True-)" + username + "\"");
    if (r.status != 200) throw std::runtime_error("add agent failed: " + Describe(r));
    auto d = ParseJson(r.body);
    return d["entity"]["userId"].GetString();
  }
  std::string Busy() { return "busy" + tag_ + "@example.com"; }
  Response Delete(const std::string& username, const char* prefix = "/api/tenants/") {
    return Call("DELETE", prefix + std::to_string(t_.id) + "/agent",
                "{\"username\":" + S(username) + "}", token_);
  }
  std::string Session(const std::string& id, const std::string& state, const std::string& agent_user_id,
                      const std::string& set) {
    Fields f = {{"state", S(state)}, {"agentUserId", agent_user_id}, {"agentUserSet", set},
                {"agentUserNiceName", S("Nick-" + Busy())}, {"agentUserTrueName", S("True-" + Busy())}};
    if (state == "Processing") f["stopDateTime"] = "null";
    if (state == "Wait") {
      f["stopDateTime"] = "null";
      f["startDateTime"] = "null";
    }
    return It(id, f);
  }
  std::string BusySet() {
    return Arr({AgentEntry(uid_, t_.id, "Nick-" + Busy(), "True-" + Busy())});
  }
  std::string tag_, uid_, other_uid_;
};

TEST_F(HistoryAgentDeleteTest, ProcessingSessionByAgentUserIdIs110) {
  Put({Session("p1", "Processing", S(uid_), BusySet())});
  ExpectRejected("DELETE", Base().substr(0, Base().rfind('/')) + "/agent",
                 "{\"username\":" + S(Busy()) + "}", token_, "API_110");
  ExpectRejected("DELETE", "/api/platform/tenants/" + std::to_string(t_.id) + "/agent",
                 "{\"username\":" + S(Busy()) + "}", token_, "API_110");
  EXPECT_TRUE(FindAgentJson(t_.id, token_, Busy()).has_value());
}

TEST_F(HistoryAgentDeleteTest, ProcessingSessionOnlyInAgentUserSetIs110) {
  Put({Session("p1", "Processing", S(other_uid_),
               Arr({AgentEntry(uid_, t_.id), AgentEntry(other_uid_, t_.id)}))});
  ExpectRejected("DELETE", "/api/tenants/" + std::to_string(t_.id) + "/agent",
                 "{\"username\":" + S(Busy()) + "}", token_, "API_110");
}

TEST_F(HistoryAgentDeleteTest, ProcessingSessionOnlyByAgentUserIdIs110) {
  Put({Session("p1", "Processing", S(uid_), "null")});
  ExpectRejected("DELETE", "/api/tenants/" + std::to_string(t_.id) + "/agent",
                 "{\"username\":" + S(Busy()) + "}", token_, "API_110");
}

TEST_F(HistoryAgentDeleteTest, UsernameCaseDoesNotBypass110) {
  Put({Session("p1", "Processing", S(uid_), BusySet())});
  std::string upper = Busy();
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  ExpectRejected("DELETE", "/api/tenants/" + std::to_string(t_.id) + "/agent",
                 "{\"username\":" + S(upper) + "}", token_, "API_110");
}

TEST_F(HistoryAgentDeleteTest, OtherStatesAndOtherAgentsDoNotBlock) {
  Put({Session("t1", "Terminal", S(uid_), BusySet()),
       Session("w1", "Wait", S(uid_), BusySet()),
       Session("a1", "Abort", S(uid_), BusySet()),
       Session("p-other", "Processing", S(other_uid_), Arr({AgentEntry(other_uid_, t_.id)}))});
  EXPECT_TRUE(IsBareOk(Delete(Busy())));
  EXPECT_FALSE(FindAgentJson(t_.id, token_, Busy()).has_value());
  // The other agent is still busy.
  EXPECT_TRUE(IsError(Delete("free" + tag_ + "@example.com"), "API_110"));
}

TEST_F(HistoryAgentDeleteTest, AfterReimportAsTerminalDeleteSucceedsAndNamesStay) {
  Put({Session("s1", "Processing", S(uid_), BusySet())});
  EXPECT_TRUE(IsError(Delete(Busy()), "API_110"));
  std::string terminal = Session("s1", "Terminal", S(uid_), BusySet());
  Put({terminal});
  EXPECT_TRUE(IsBareOk(Delete(Busy())));
  EXPECT_FALSE(FindAgentJson(t_.id, token_, Busy()).has_value());
  auto p = MustQuery("agentUserId=" + uid_);
  ASSERT_EQ(p.ids, std::vector<std::string>{"s1"});
  EXPECT_EQ(p.items[0], Canon(terminal));
  auto d = ParseJson(p.items[0]);
  ASSERT_TRUE(d["agentUserSet"].IsArray());
  ASSERT_EQ(d["agentUserSet"].Size(), 1u);
  EXPECT_EQ(std::string(d["agentUserSet"][0]["userId"].GetString()), uid_);
  EXPECT_EQ(std::string(d["agentUserSet"][0]["nicename"].GetString()), "Nick-" + Busy());
  EXPECT_EQ(std::string(d["agentUserSet"][0]["trueName"].GetString()), "True-" + Busy());
  EXPECT_EQ(std::string(d["agentUserNiceName"].GetString()), "Nick-" + Busy());
  // The username may then be reused.
  EXPECT_TRUE(IsOk(AddAgent(t_.id, token_, Busy(), 2)));
}

TEST_F(HistoryAgentDeleteTest, LastAdminIsCheckedBefore110) {
  // The only enabled admin has a session in progress: API_109 comes first.
  auto boss_id = [&] {
    auto d = Search(t_.id, token_, "keyValue=boss" + tag_);
    return std::string(d["entities"][0]["userId"].GetString());
  }();
  Put({Session("p1", "Processing", S(boss_id), Arr({AgentEntry(boss_id, t_.id)}))});
  ExpectRejected("DELETE", "/api/tenants/" + std::to_string(t_.id) + "/agent",
                 "{\"username\":" + S("boss" + tag_ + "@example.com") + "}", token_, "API_109");
  // With a second admin, the session is what blocks.
  MustAddAgent(t_.id, token_, "boss2" + tag_ + "@example.com", 1);
  ExpectRejected("DELETE", "/api/tenants/" + std::to_string(t_.id) + "/agent",
                 "{\"username\":" + S("boss" + tag_ + "@example.com") + "}", token_, "API_110");
}

}  // namespace
}  // namespace hist
}  // namespace bb
