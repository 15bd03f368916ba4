// TagService's checks against the in-memory store.
#include "domain/tag_service.h"

#include <gtest/gtest.h>

#include "store/fake/fake_tag_store.h"

namespace kefu::domain {
namespace {

SummaryTagInput Tag(const char* name, int64_t parent) {
  return SummaryTagInput{RawField::Text(name), RawField{}, RawField::Integer(parent)};
}

TEST(TagServiceTest, ATagNeverGoesBelowItself) {
  store::fake::FakeTagStore store;
  TagService tags(store);
  ASSERT_TRUE(tags.CreateSummary(1, Tag("a", 0)).ok());
  ASSERT_TRUE(tags.CreateSummary(1, Tag("b", 1)).ok());
  ASSERT_TRUE(tags.CreateSummary(1, Tag("c", 2)).ok());
  for (int64_t below : {1, 2, 3}) {
    EXPECT_EQ(tags.UpdateSummary(1, "1", Tag("a", below)).status().code(), Code::kInvalidParam) << below;
  }
  EXPECT_TRUE(tags.UpdateSummary(1, "3", Tag("c", 1)).ok());
  EXPECT_TRUE(tags.UpdateSummary(1, "2", Tag("b", 3)).ok()) << "b below c, now a sibling of it";
  EXPECT_EQ(tags.UpdateSummary(1, "9", Tag("x", 0)).status().code(), Code::kNoSuchResource);
  EXPECT_EQ(tags.UpdateSummary(1, "x", Tag("x", 0)).status().code(), Code::kNoSuchResource);
  EXPECT_EQ(tags.CreateSummary(1, Tag("", 0)).status().code(), Code::kInvalidParam);
  EXPECT_EQ(tags.CreateSummary(1, SummaryTagInput{RawField::Text("x"), RawField::Integer(-1), {}}).status().code(),
            Code::kInvalidParam);
}

}  // namespace
}  // namespace kefu::domain
