#include "domain/item_values_builder.h"

#include <gtest/gtest.h>

#include "domain/session_item.h"

namespace kefu::domain {
namespace {

// The stored array with `set` at the given fields' indices and null elsewhere.
std::string Expected(std::initializer_list<std::pair<ItemField, std::string>> set) {
  std::vector<std::string> values(kItemFields.size(), "null");
  for (const auto& [field, json] : set) values[IndexOf(field)] = json;
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) out += (i ? "," : "") + values[i];
  return out + "]";
}

TEST(ItemValuesBuilder, UnsetFieldsAreNull) {
  EXPECT_EQ(ItemValuesBuilder().Finish(), Expected({}));
}

TEST(ItemValuesBuilder, FieldsLandAtTheirIndexInAnyOrder) {
  ItemValuesBuilder item;
  item.Boolean(ItemField::kTransfered, true);
  item.Text(ItemField::kServiceSessionId, "s-1");
  item.Integer(ItemField::kQueueId, 3);
  item.TextOrNull(ItemField::kAgentUserId, std::nullopt);
  item.IntegerOrNull(ItemField::kTechChannelId, 9);
  EXPECT_EQ(item.Finish(), Expected({{ItemField::kServiceSessionId, R"("s-1")"},
                                     {ItemField::kTechChannelId, "9"},
                                     {ItemField::kQueueId, "3"},
                                     {ItemField::kTransfered, "true"}}));
}

TEST(ItemValuesBuilder, TextIsEscapedAndLaterValuesWin) {
  ItemValuesBuilder item;
  item.Text(ItemField::kComment, "first");
  item.Text(ItemField::kComment, "a\"b\n");
  item.Set(ItemField::kOriginType, [](ItemValuesBuilder::Writer& w) {
    w.StartArray();
    w.String("app");
    w.EndArray();
  });
  item.Text(ItemField::kEnquiryDetail, "gone");
  item.Null(ItemField::kEnquiryDetail);
  EXPECT_EQ(item.Finish(), Expected({{ItemField::kComment, R"("a\"b\n")"},
                                     {ItemField::kOriginType, R"(["app"])"}}));
}

TEST(ItemFields, KeysInPublishedOrder) {
  ASSERT_EQ(kSessionItemKeys.size(), 36u);
  EXPECT_EQ(kSessionItemKeys[IndexOf(ItemField::kServiceSessionId)], "serviceSessionId");
  EXPECT_EQ(kSessionItemKeys[IndexOf(ItemField::kChatGroupId)], "chatGroupId");
  EXPECT_EQ(kSessionItemKeys[IndexOf(ItemField::kSummarysDetail)], "summarysDetail");
  EXPECT_EQ(InfoOf(ItemField::kTransfered).kind, ItemKind::kBoolean);
}

}  // namespace
}  // namespace kefu::domain
