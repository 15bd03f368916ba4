// A tenant's tags (LIVE §5, admin): the session-tag tree and the rating
// tags, made, changed and deleted with the tenant's token; the tree stays a
// tree, every refusal changes nothing, another tenant's tag is not found.
#include "harness.h"

namespace bb {
namespace {

class TagsTest : public DemoTest {
 protected:
  void SetUp() override {
    DemoTest::SetUp();
    acme_ = CreateTenant("acme");
    token_ = IssueToken(acme_);
    base_ = "/api/tenants/" + std::to_string(acme_.id);
  }
  Response Req(std::string_view method, const std::string& target, const std::string& body = {}) {
    return Call(method, target, body, token_);
  }
  static std::string Entity(const Response& r) { return Compact(ParseJson(r.body)["entity"]); }

  TenantCreds acme_;
  std::string token_, base_;
};

TEST_F(TagsTest, TheSessionTagTreeStaysATree) {
  EXPECT_EQ(Req("GET", base_ + "/summaries").body, R"({"status":"OK","entities":[]})");
  Response root = Req("POST", base_ + "/summaries", R"({"name":"咨询","color":1})");
  ASSERT_TRUE(IsOk(root)) << Describe(root);
  EXPECT_EQ(Entity(root), R"({"id":1,"name":"咨询","color":1,"parentId":0})");
  Response child = Req("POST", base_ + "/summaries", R"({"name":"价格","color":2,"parentId":1})");
  EXPECT_EQ(Entity(child), R"({"id":2,"name":"价格","color":2,"parentId":1})");
  Response grandchild = Req("POST", base_ + "/summaries", R"({"name":"折扣","parentId":2})");
  EXPECT_EQ(Entity(grandchild), R"({"id":3,"name":"折扣","color":0,"parentId":2})");

  ExpectRejected("PUT", base_ + "/summaries/1", R"({"name":"咨询","parentId":3})", token_, "API_001");
  ExpectRejected("PUT", base_ + "/summaries/1", R"({"name":"咨询","parentId":1})", token_, "API_001");
  ExpectRejected("PUT", base_ + "/summaries/1", R"({"name":"咨询","parentId":9})", token_, "API_205");
  ExpectRejected("POST", base_ + "/summaries", R"({"name":"x","parentId":9})", token_, "API_205");
  ExpectRejected("DELETE", base_ + "/summaries/1", "", token_, "API_001");  // it has children
  for (const char* body : {R"({"name":""})", R"({"name":"  "})", R"({"name":1})", R"({"name":"x","color":-1})",
                           R"({"name":"x","color":"1"})", R"({"name":"x","parentId":-1})", "[]", "{}"}) {
    ExpectRejected("POST", base_ + "/summaries", body, token_, "API_001");
  }
  Response moved = Req("PUT", base_ + "/summaries/3", R"({"name":"折扣","color":5,"parentId":1})");
  EXPECT_EQ(Entity(moved), R"({"id":3,"name":"折扣","color":5,"parentId":1})");
  ASSERT_TRUE(IsBareOk(Req("DELETE", base_ + "/summaries/2")));
  ASSERT_TRUE(IsBareOk(Req("DELETE", base_ + "/summaries/3")));
  ASSERT_TRUE(IsBareOk(Req("DELETE", base_ + "/summaries/1")));
  ExpectRejected("DELETE", base_ + "/summaries/1", "", token_, "API_205");
  // The demo tenant's tree (its catalog) is its own.
  EXPECT_EQ(ParseJson(Get("/api/tenants/1/summaries", DemoToken()).body)["entities"].Size(), 14u);
  ExpectRejected("PUT", base_ + "/summaries/100", R"({"name":"x"})", token_, "API_205");
  ExpectRejected("GET", "/api/tenants/1/summaries", "", token_, "API_003");
}

TEST_F(TagsTest, RatingTagsAreMadeRenamedAndDeleted) {
  Response made = Req("POST", base_ + "/enquiryTags", R"({"name":"响应及时"})");
  ASSERT_TRUE(IsOk(made)) << Describe(made);
  EXPECT_EQ(Entity(made), R"({"id":1,"name":"响应及时"})");
  EXPECT_EQ(Entity(Req("PUT", base_ + "/enquiryTags/1", R"({"name":"很及时"})")), R"({"id":1,"name":"很及时"})");
  EXPECT_EQ(Req("GET", base_ + "/enquiryTags").body, R"({"status":"OK","entities":[{"id":1,"name":"很及时"}]})");
  for (const char* body : {R"({"name":""})", "{}", R"({"name":7})"}) {
    ExpectRejected("POST", base_ + "/enquiryTags", body, token_, "API_001");
    ExpectRejected("PUT", base_ + "/enquiryTags/1", body, token_, "API_001");
  }
  ExpectRejected("PUT", base_ + "/enquiryTags/2", R"({"name":"x"})", token_, "API_205");
  ASSERT_TRUE(IsBareOk(Req("DELETE", base_ + "/enquiryTags/1")));
  ExpectRejected("DELETE", base_ + "/enquiryTags/1", "", token_, "API_205");
  EXPECT_EQ(ParseJson(Get("/api/tenants/1/enquiryTags", DemoToken()).body)["entities"].Size(), 6u);
}

}  // namespace
}  // namespace bb
