#include "domain/pagination.h"

#include <gtest/gtest.h>

namespace kefu::domain {
namespace {

TEST(ParsePageRequestTest, Defaults) {
  auto r = ParsePageRequest(std::nullopt, std::nullopt);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->page, 0);
  EXPECT_EQ(r->size, 10);
  r = ParsePageRequest("", "");  // empty means not set
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->size, 10);
}

TEST(ParsePageRequestTest, ErrorsInContractOrder) {
  EXPECT_EQ(ParsePageRequest("-1", "10").status().code(), Code::kPageIndex);
  EXPECT_EQ(ParsePageRequest("x", "10").status().code(), Code::kInvalidParam);
  EXPECT_EQ(ParsePageRequest("1.5", "10").status().code(), Code::kInvalidParam);
  EXPECT_EQ(ParsePageRequest("99999999999", "10").status().code(), Code::kInvalidParam);
  EXPECT_EQ(ParsePageRequest("0", "51").status().code(), Code::kPageSize);
  EXPECT_EQ(ParsePageRequest("0", "0").status().code(), Code::kInvalidParam);
  EXPECT_EQ(ParsePageRequest("0", "-5").status().code(), Code::kInvalidParam);
  EXPECT_EQ(ParsePageRequest("0", "ten").status().code(), Code::kInvalidParam);
  // page is checked before size.
  EXPECT_EQ(ParsePageRequest("-1", "51").status().code(), Code::kPageIndex);
  EXPECT_TRUE(ParsePageRequest("2147483647", "50").ok());
}

TEST(ComputePageInfoTest, Arithmetic) {
  PageInfo p = ComputePageInfo({0, 10}, 1, 1);
  EXPECT_TRUE(p.first);
  EXPECT_TRUE(p.last);
  EXPECT_EQ(p.total_pages, 1);

  p = ComputePageInfo({1, 10}, 41, 10);
  EXPECT_FALSE(p.first);
  EXPECT_FALSE(p.last);
  EXPECT_EQ(p.total_pages, 5);
  EXPECT_EQ(p.number, 1);
  EXPECT_EQ(p.size, 10);
  EXPECT_EQ(p.number_of_elements, 10);
  EXPECT_EQ(p.total_elements, 41);

  p = ComputePageInfo({4, 10}, 41, 1);
  EXPECT_TRUE(p.last);

  p = ComputePageInfo({0, 10}, 0, 0);  // no results: one empty first-and-last page
  EXPECT_EQ(p.total_pages, 0);
  EXPECT_TRUE(p.first);
  EXPECT_TRUE(p.last);

  p = ComputePageInfo({9, 10}, 41, 0);  // past the end
  EXPECT_TRUE(p.last);
  EXPECT_EQ(p.number_of_elements, 0);
}

TEST(PageRequestTest, OffsetFitsInt64AtTheLargestPage) {
  PageRequest r{2147483647, 50};
  EXPECT_EQ(r.offset(), 2147483647LL * 50);
}

}  // namespace
}  // namespace kefu::domain
