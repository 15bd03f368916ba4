#include "api/json_body.h"

#include <gtest/gtest.h>

#include <string>

namespace kefu::api {
namespace {

using namespace std::string_literals;

bool Parses(std::string_view body) {
  rapidjson::Document doc;
  return ParseJson(body, doc).ok();
}

TEST(ParseJson, NumbersThatBrokeFullPrecisionParsing) {
  // Each crashed or misread under RapidJSON 1.1's full-precision path
  // (fuzz/regressions/fuzz_json_body).
  rapidjson::Document doc;
  ASSERT_TRUE(ParseJson(R"({"secretId":4.9857322713591e-338})", doc).ok());
  EXPECT_GE(doc["secretId"].GetDouble(), 0.0);
  EXPECT_LT(doc["secretId"].GetDouble(), 1e-300);
  ASSERT_TRUE(ParseJson(R"({"roleId":0e40})", doc).ok());
  EXPECT_EQ(doc["roleId"].GetDouble(), 0.0);
  ASSERT_TRUE(ParseJson(R"({"n":0.00000000000000000000000})", doc).ok());
  EXPECT_EQ(doc["n"].GetDouble(), 0.0);
  ASSERT_TRUE(ParseJson(R"({"n":184467440737095516159})", doc).ok());
  EXPECT_NEAR(doc["n"].GetDouble() / 1.8446744073709552e20, 1.0, 1e-12);
}

TEST(ParseJson, NumbersPastDoubleRangeAreRefused) {
  // RapidJSON 1.1 reads this as infinity, which its writer cannot write back
  // (fuzz/regressions/fuzz_import_body).
  EXPECT_FALSE(Parses(R"({"a":[1,0,1000.0,1844674407370951e308]})"));
  EXPECT_FALSE(Parses("-1844674407370951e308"));
  EXPECT_FALSE(Parses("1e400"));
  EXPECT_TRUE(Parses("1.7976931348623157e308"));
}

TEST(ParseJson, BytesAfterANulAreNotIgnored) {
  EXPECT_FALSE(Parses("{\"username\":\"a\"}\0never read"s));
  EXPECT_FALSE(Parses("\0{}"s));
}

TEST(ParseJson, OnlyAWholeByteOrderMarkMayLead) {
  EXPECT_TRUE(Parses("\xEF\xBB\xBF{}"));
  EXPECT_FALSE(Parses("\xBB{}"));
  EXPECT_FALSE(Parses("\xEF{}"));
  EXPECT_FALSE(Parses("\xEF\xBB{}"));
  EXPECT_FALSE(Parses("\xEF\xBB\xBF\xEF{}"));
}

TEST(ParseJson, LoneSurrogateEscapesAreRefused) {
  EXPECT_FALSE(Parses(R"({"trueName":"\udc00"})"));
  EXPECT_FALSE(Parses(R"({"\udfff":1})"));
  EXPECT_FALSE(Parses(R"([[{"a":["\udc00"]}]])"));
  // A proper pair is one code point, and fine.
  EXPECT_TRUE(Parses(R"({"trueName":"\ud83d\ude00"})"));
}

}  // namespace
}  // namespace kefu::api
