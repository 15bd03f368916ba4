#include "store/bound_lists.h"

#include <gtest/gtest.h>

namespace kefu::store {
namespace {

TEST(BoundLists, JsonListEscapesQuotesBackslashesAndControls) {
  EXPECT_EQ(JsonList(std::vector<std::string>{}), "[]");
  EXPECT_EQ(JsonList(std::vector<std::string>{"a\"b", "c\\d", "e\nf"}),
            R"(["a\"b","c\\d","e\u000af"])");
  EXPECT_EQ(JsonList(std::vector<int64_t>{-1, 0, INT64_MAX}), "[-1,0,9223372036854775807]");
}

TEST(BoundLists, PgArraysQuoteTextAndSpellNull) {
  EXPECT_EQ(PgTextArray(std::vector<std::string>{"a\"b", "c\\d", "NULL"}), R"({"a\"b","c\\d","NULL"})");
  EXPECT_EQ(PgTextArray(std::vector<std::optional<std::string>>{"x", std::nullopt}), R"({"x",NULL})");
  EXPECT_EQ(PgIntArray(std::vector<int64_t>{1, -2}), "{1,-2}");
  EXPECT_EQ(PgIntArray(std::vector<std::optional<int64_t>>{std::nullopt, 3}), "{NULL,3}");
}

}  // namespace
}  // namespace kefu::store
