// A tenant's options (LIVE §5, admin): the defaults until set, a PUT changes
// only what it names, every refusal leaves the store as it was; and the
// option that lets agents set their own capacity (LIVE §4) decides PUT
// /api/agent/me's maxServiceSessionCount.
#include "harness.h"

namespace bb {
namespace {

constexpr const char* kDefaults =
    R"({"defaultQueueId":null,"waitTimeoutSeconds":null,"idleCloseSeconds":null,"offlineGraceSeconds":120,)"
    R"("enquiryInviteOnClose":false,"agentsSetOwnCapacity":true,"greeting":null,"offDutyMessage":null})";

class OptionsTest : public DemoTest {
 protected:
  void SetUp() override {
    DemoTest::SetUp();
    acme_ = CreateTenant("acme");
    token_ = IssueToken(acme_);
    tenant_path_ = "/api/tenants/" + std::to_string(acme_.id);
    base_ = tenant_path_ + "/options";
  }

  Response Req(std::string_view method, const std::string& target, const std::string& body = {}) {
    return Call(method, target, body, token_);
  }
  static std::string Entity(const Response& r) { return Compact(ParseJson(r.body)["entity"]); }
  std::string Login(const std::string& username) {
    Response r = http().Request("POST", "/api/agent/login", "{\"username\":" + S(username) + ",\"password\":\"password123\"}");
    EXPECT_TRUE(IsOk(r)) << Describe(r);
    return ParseJson(r.body)["entity"]["agentToken"].GetString();
  }

  TenantCreds acme_;
  std::string token_;
  std::string tenant_path_;
  std::string base_;
};

TEST_F(OptionsTest, DefaultsThenOnlyWhatAPutNames) {
  Response got = Req("GET", base_);
  ASSERT_TRUE(IsOk(got)) << Describe(got);
  EXPECT_EQ(got.body, std::string(R"({"status":"OK","entity":)") + kDefaults + "}");

  ASSERT_TRUE(IsOk(Req("POST", tenant_path_ + "/queues", R"({"queueName":"售前"})")));
  Response put = Req("PUT", base_, R"({"defaultQueueId":1,"waitTimeoutSeconds":600,"greeting":"您好，请问有什么可以帮您？",)"
                                   R"("enquiryInviteOnClose":true,"somethingElse":1})");
  ASSERT_TRUE(IsOk(put)) << Describe(put);
  const std::string set = R"({"defaultQueueId":1,"waitTimeoutSeconds":600,"idleCloseSeconds":null,"offlineGraceSeconds":120,)"
                          R"("enquiryInviteOnClose":true,"agentsSetOwnCapacity":true,)"
                          R"("greeting":"您好，请问有什么可以帮您？","offDutyMessage":null})";
  EXPECT_EQ(Entity(put), set);
  EXPECT_EQ(Entity(Req("GET", base_)), set);

  put = Req("PUT", base_, R"({"waitTimeoutSeconds":null,"greeting":"","offlineGraceSeconds":0})");
  ASSERT_TRUE(IsOk(put)) << Describe(put);
  auto after = ParseJson(put.body);
  EXPECT_TRUE(after["entity"]["waitTimeoutSeconds"].IsNull());
  EXPECT_TRUE(after["entity"]["greeting"].IsNull());
  EXPECT_EQ(after["entity"]["offlineGraceSeconds"].GetInt(), 0);
  EXPECT_EQ(after["entity"]["defaultQueueId"].GetInt(), 1);

  // Deleting the default skill group clears it.
  ASSERT_TRUE(IsBareOk(Req("DELETE", tenant_path_ + "/queues/1")));
  EXPECT_TRUE(ParseJson(Req("GET", base_).body)["entity"]["defaultQueueId"].IsNull());
  // Another tenant's options are its own.
  EXPECT_EQ(Entity(Get("/api/tenants/1/options", DemoToken())), kDefaults);
}

TEST_F(OptionsTest, BadBodiesChangeNothing) {
  ASSERT_TRUE(IsOk(Req("PUT", base_, R"({"greeting":"hi"})")));
  for (const std::string& body :
       {std::string(R"({"defaultQueueId":"1"})"), std::string(R"({"waitTimeoutSeconds":0})"),
        std::string(R"({"idleCloseSeconds":604801})"), std::string(R"({"offlineGraceSeconds":null})"),
        std::string(R"({"offlineGraceSeconds":1.5})"), std::string(R"({"enquiryInviteOnClose":1})"),
        std::string(R"({"agentsSetOwnCapacity":"false"})"), std::string(R"({"greeting":"ok","offDutyMessage":7})"),
        "{\"greeting\":" + S(std::string(1001, 'g')) + "}", std::string("[]"), std::string("not json"),
        std::string()}) {
    ExpectRejected("PUT", base_, body, token_, "API_001");
  }
  // A skill group that is none of acme's (the demo tenant has skill group 1).
  ExpectRejected("PUT", base_, R"({"defaultQueueId":1,"greeting":"changed"})", token_, "API_205");
  ExpectRejected("GET", "/api/tenants/1/options", "", token_, "API_003");
  ExpectRejected("PUT", "/api/tenants/1/options", R"({"greeting":"x"})", token_, "API_003");
  EXPECT_EQ(ParseJson(Req("GET", base_).body)["entity"]["greeting"].GetString(), std::string("hi"));
}

TEST_F(OptionsTest, AgentsSetTheirOwnCapacityWhereTheOptionAllows) {
  MustAddAgent(acme_.id, token_, "boss@acme.example", 1);
  MustAddAgent(acme_.id, token_, "ann@acme.example");
  const std::string ann = Login("ann@acme.example");
  Response me = http().Request("PUT", "/api/agent/me", R"({"maxServiceSessionCount":3,"state":"Busy"})",
                               {{"Agent-Token", ann}});
  ASSERT_TRUE(IsOk(me)) << Describe(me);
  EXPECT_EQ(ParseJson(me.body)["entity"]["maxServiceSessionCount"].GetInt(), 3);
  EXPECT_EQ(ParseJson(FindAgentJson(acme_.id, token_, "ann@acme.example").value())["maxServiceSessionCount"].GetInt(), 3)
      << "as the published search shows it";

  // An admin agent turns the option off (with its own token): the agent's
  // capacity is then the admins' alone.
  Response off = http().Request("PUT", base_, R"({"agentsSetOwnCapacity":false})",
                                {{"Agent-Token", Login("boss@acme.example")}});
  ASSERT_TRUE(IsOk(off)) << Describe(off);
  const std::string before = Snap();
  Response refused = http().Request("PUT", "/api/agent/me", R"({"maxServiceSessionCount":5,"state":"Online"})",
                                    {{"Agent-Token", ann}});
  EXPECT_TRUE(IsError(refused, 400, "API_001")) << Describe(refused);
  EXPECT_NE(refused.body.find("agentsSetOwnCapacity is off"), std::string::npos) << refused.body;
  EXPECT_TRUE(SameSnapshot(before, Snap()));
  // A plain agent's token may not change the options.
  EXPECT_TRUE(IsError(http().Request("PUT", base_, R"({"agentsSetOwnCapacity":true})", {{"Agent-Token", ann}}), 401,
                      "API_002"));
  EXPECT_TRUE(SameSnapshot(before, Snap()));
}

}  // namespace
}  // namespace bb
