#include "api/query_string.h"

#include <gtest/gtest.h>

namespace kefu::api {
namespace {

TEST(PercentDecodeTest, DecodesEscapesAndPlus) {
  EXPECT_EQ(PercentDecode("32273591%40qq.com", true), "32273591@qq.com");
  EXPECT_EQ(PercentDecode("a+b", true), "a b");
  EXPECT_EQ(PercentDecode("a+b", false), "a+b");
  EXPECT_EQ(PercentDecode("%E7%8E%8B", true), "王");
  EXPECT_EQ(PercentDecode("2018-04-16T00%3A00%3A00.000Z", true), "2018-04-16T00:00:00.000Z");
}

TEST(PercentDecodeTest, KeepsMalformedEscapes) {
  EXPECT_EQ(PercentDecode("100%", true), "100%");
  EXPECT_EQ(PercentDecode("%zz", true), "%zz");
  EXPECT_EQ(PercentDecode("%4", true), "%4");
  EXPECT_EQ(PercentDecode("%25", true), "%");
}

TEST(QueryStringTest, GetsFirstValueAndEmpty) {
  QueryString q("page=0&size=10&keyValue=32273591%40qq.com&page=3&empty=&flag");
  EXPECT_EQ(q.Get("page"), "0");
  EXPECT_EQ(q.Get("keyValue"), "32273591@qq.com");
  EXPECT_EQ(q.Get("empty"), "");
  EXPECT_EQ(q.Get("flag"), "");
  EXPECT_FALSE(q.Get("missing"));
  EXPECT_FALSE(q.Get("Page"));  // names are case-sensitive
}

TEST(QueryStringTest, ListsCommaSeparatedAndRepeated) {
  QueryString q("agentIds=a,b&agentIds=c&agentIds=&state=Terminal%2CAbort&x=,,");
  EXPECT_EQ(q.GetList("agentIds"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(q.GetList("state"), (std::vector<std::string>{"Terminal", "Abort"}));
  EXPECT_TRUE(q.GetList("x").empty());
  EXPECT_TRUE(q.GetList("none").empty());
}

TEST(QueryStringTest, DecodesNames) {
  QueryString q("key%56alue=x");
  EXPECT_EQ(q.Get("keyValue"), "x");
}

TEST(SplitTargetTest, SplitsAtFirstQuestionMark) {
  auto [path, query] = SplitTarget("/api/tenants/1/agents?page=0&q=a?b");
  EXPECT_EQ(path, "/api/tenants/1/agents");
  EXPECT_EQ(query, "page=0&q=a?b");
  EXPECT_EQ(SplitTarget("/healthz").second, "");
}

}  // namespace
}  // namespace kefu::api
