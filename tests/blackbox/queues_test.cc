// Skill groups (LIVE §5, admin): made, renamed, deleted and given members by
// the tenant's token or an admin agent's; every refusal leaves the store as
// it was, and another tenant's skill group answers as if it did not exist.
#include "harness.h"

namespace bb {
namespace {

class QueuesTest : public DemoTest {
 protected:
  void SetUp() override {
    DemoTest::SetUp();
    acme_ = CreateTenant("acme");
    token_ = IssueToken(acme_);
    base_ = "/api/tenants/" + std::to_string(acme_.id) + "/queues";
    MustAddAgent(acme_.id, token_, "ann@acme.example");
    MustAddAgent(acme_.id, token_, "bob@acme.example");
  }

  Response Req(std::string_view method, const std::string& target, const std::string& body = {}) {
    return Call(method, target, body, token_);
  }
  std::string UserId(const std::string& username) {
    auto json = FindAgentJson(acme_.id, token_, username);
    return json ? ParseJson(*json)["userId"].GetString() : "";
  }
  // The entity of a skill group answer, compact.
  static std::string Entity(const Response& r) { return Compact(ParseJson(r.body)["entity"]); }
  void ExpectRefusedHere(std::string_view method, const std::string& target, const std::string& body, int status,
                         const char* code) {
    const std::string before = Snap();
    Response r = Req(method, target, body);
    EXPECT_TRUE(IsError(r, status, code)) << method << " " << target << " " << body << ": " << Describe(r);
    EXPECT_TRUE(SameSnapshot(before, Snap())) << method << " " << target << " " << body;
  }

  TenantCreds acme_;
  std::string token_;
  std::string base_;
};

TEST_F(QueuesTest, MakeRenameFillAndDelete) {
  Response list = Req("GET", base_);
  ASSERT_TRUE(IsOk(list));
  EXPECT_EQ(list.body, R"({"status":"OK","entities":[]})");

  Response pre = Req("POST", base_, R"({"queueName":"售前"})");
  ASSERT_TRUE(IsOk(pre)) << Describe(pre);
  EXPECT_EQ(Entity(pre), R"({"queueId":1,"queueName":"售前","agentUserIds":[]})");
  Response post = Req("POST", base_, R"({"queueName":"售后"})");
  EXPECT_EQ(Entity(post), R"({"queueId":2,"queueName":"售后","agentUserIds":[]})");

  Response renamed = Req("PUT", base_ + "/2", R"({"queueName":"after-sales"})");
  EXPECT_EQ(Entity(renamed), R"({"queueId":2,"queueName":"after-sales","agentUserIds":[]})");

  const std::string ann = UserId("ann@acme.example"), bob = UserId("bob@acme.example");
  std::vector<std::string> sorted = {ann, bob};
  std::sort(sorted.begin(), sorted.end());
  Response filled = Req("PUT", base_ + "/1/members", "{\"agentUserIds\":[" + S(bob) + "," + S(ann) + "," + S(bob) + "]}");
  ASSERT_TRUE(IsOk(filled)) << Describe(filled);
  EXPECT_EQ(Entity(filled), "{\"queueId\":1,\"queueName\":\"售前\",\"agentUserIds\":[" + S(sorted[0]) + "," +
                                S(sorted[1]) + "]}");
  list = Req("GET", base_);
  EXPECT_EQ(list.body, "{\"status\":\"OK\",\"entities\":[" + Entity(filled) + "," + Entity(renamed) + "]}");

  // A deleted agent leaves its skill groups.
  ASSERT_TRUE(IsBareOk(Req("DELETE", "/api/tenants/" + std::to_string(acme_.id) + "/agent",
                           R"({"username":"bob@acme.example"})")));
  EXPECT_EQ(Entity(Req("PUT", base_ + "/2", R"({"queueName":"after-sales"})")),
            R"({"queueId":2,"queueName":"after-sales","agentUserIds":[]})");
  EXPECT_EQ(Compact(ParseJson(Req("GET", base_).body)["entities"][0]["agentUserIds"]), "[" + S(ann) + "]");

  EXPECT_TRUE(IsBareOk(Req("DELETE", base_ + "/1")));
  EXPECT_EQ(Req("GET", base_).body, "{\"status\":\"OK\",\"entities\":[" + Entity(renamed) + "]}");
  ExpectRefusedHere("DELETE", base_ + "/1", "", 404, "API_205");
}

TEST_F(QueuesTest, BadNamesAndMembersChangeNothing) {
  ASSERT_TRUE(IsOk(Req("POST", base_, R"({"queueName":"售前"})")));
  ASSERT_TRUE(IsOk(Req("POST", base_, R"({"queueName":"售后"})")));
  for (const std::string& body : {std::string(R"({"queueName":"售前"})"), std::string(R"({"queueName":""})"),
                                  std::string(R"({"queueName":"   "})"), std::string(R"({"queueName":7})"),
                                  std::string(R"({})"), std::string("[]"), std::string("not json"),
                                  "{\"queueName\":" + S(std::string(101, 'q')) + "}"}) {
    ExpectRefusedHere("POST", base_, body, 400, "API_001");
    ExpectRefusedHere("PUT", base_ + "/2", body, 400, "API_001");
  }
  ASSERT_TRUE(IsOk(Req("POST", base_, "{\"queueName\":" + S(std::string(100, 'q')) + "}"))) << "100 is the most";
  for (const std::string& body : {std::string(R"({"agentUserIds":"x"})"), std::string(R"({"agentUserIds":[1]})"),
                                  std::string(R"({})"), std::string("[]")}) {
    ExpectRefusedHere("PUT", base_ + "/1/members", body, 400, "API_001");
  }
  const std::string ann = UserId("ann@acme.example");
  ASSERT_TRUE(IsOk(Req("PUT", base_ + "/1/members", "{\"agentUserIds\":[" + S(ann) + "]}")));
  // An id that is no agent of the tenant (the demo tenant's admin): API_104, all or nothing.
  const std::string foreign = ParseJson(*FindAgentJson(1, DemoToken(), kDemoAdmin))["userId"].GetString();
  ExpectRefusedHere("PUT", base_ + "/1/members", "{\"agentUserIds\":[" + S(ann) + "," + S(foreign) + "]}", 404,
                    "API_104");
  ExpectRefusedHere("PUT", base_ + "/1/members", R"({"agentUserIds":["no-such-agent"]})", 404, "API_104");
}

TEST_F(QueuesTest, UnknownAndForeignSkillGroupsAreNotFound) {
  // The demo tenant has skill groups of its own (its catalog): their ids
  // name nothing of acme's.
  Response demo = Get("/api/tenants/1/queues", DemoToken());
  ASSERT_TRUE(IsOk(demo));
  const auto demo_queues = ParseJson(demo.body);
  ASSERT_GT(demo_queues["entities"].Size(), 0u);
  const std::string demo_id = std::to_string(demo_queues["entities"][0]["queueId"].GetInt64());
  for (const std::string& id : {demo_id, std::string("9"), std::string("abc"), std::string("-1"), std::string("0")}) {
    ExpectRefusedHere("PUT", base_ + "/" + id, R"({"queueName":"x"})", 404, "API_205");
    ExpectRefusedHere("PUT", base_ + "/" + id + "/members", R"({"agentUserIds":[]})", 404, "API_205");
    ExpectRefusedHere("DELETE", base_ + "/" + id, "", 404, "API_205");
  }
  // Another tenant's path: API_003.
  EXPECT_TRUE(IsError(Req("GET", "/api/tenants/1/queues"), 403, "API_003"));
}

TEST_F(QueuesTest, AnAdminAgentManagesThemAndAPlainAgentMayNot) {
  ASSERT_TRUE(IsOk(Call("POST", "/api/tenants/" + std::to_string(acme_.id) + "/agent",
                        R"({"nicename":"Boss","username":"boss@acme.example","password":"password123","roleId":1})",
                        token_)));
  auto login = [&](const std::string& username) {
    Response r = http().Request("POST", "/api/agent/login", "{\"username\":" + S(username) + ",\"password\":\"password123\"}");
    EXPECT_TRUE(IsOk(r)) << Describe(r);
    return std::string(ParseJson(r.body)["entity"]["agentToken"].GetString());
  };
  const std::string boss = login("boss@acme.example");
  Response made = http().Request("POST", base_, R"({"queueName":"VIP"})", {{"Agent-Token", boss}});
  ASSERT_TRUE(IsOk(made)) << Describe(made);
  EXPECT_EQ(Entity(made), R"({"queueId":1,"queueName":"VIP","agentUserIds":[]})");
  const std::string ann = login("ann@acme.example");
  const std::string before = Snap();
  EXPECT_TRUE(IsError(http().Request("POST", base_, R"({"queueName":"X"})", {{"Agent-Token", ann}}), 401, "API_002"));
  EXPECT_TRUE(IsError(http().Request("GET", base_, {}, {{"Agent-Token", ann}}), 401, "API_002"));
  EXPECT_TRUE(SameSnapshot(before, Snap()));
}

}  // namespace
}  // namespace bb
