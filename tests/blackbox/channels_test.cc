// Channels (LIVE §5, admin): made, changed, given a new secret and deleted by
// the tenant's token or an admin agent's; the secret shows only in the answer
// that makes it, every refusal leaves the store as it was, and another
// tenant's channel answers as if it did not exist.
#include "harness.h"

namespace bb {
namespace {

bool IsUuid(const std::string& s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash != (s[i] == '-') || (!dash && !std::isxdigit(static_cast<unsigned char>(s[i])))) return false;
  }
  return true;
}

class ChannelsTest : public DemoTest {
 protected:
  void SetUp() override {
    DemoTest::SetUp();
    acme_ = CreateTenant("acme");
    token_ = IssueToken(acme_);
    tenant_path_ = "/api/tenants/" + std::to_string(acme_.id);
    base_ = tenant_path_ + "/channels";
  }

  Response Req(std::string_view method, const std::string& target, const std::string& body = {}) {
    return Call(method, target, body, token_);
  }
  // An answer's entity, its secret taken out (into *secret when given).
  static std::string Entity(const Response& r, std::string* secret = nullptr) {
    auto doc = ParseJson(r.body);
    auto& entity = doc["entity"];
    if (entity.HasMember("secret")) {
      if (secret) *secret = entity["secret"].GetString();
      entity.RemoveMember("secret");
    }
    return Compact(entity);
  }
  // The same, with the channelKey replaced by "K" (after checking it is a UUID).
  static std::string Shape(const std::string& entity) {
    auto doc = ParseJson(entity);
    EXPECT_TRUE(IsUuid(doc["channelKey"].GetString())) << entity;
    doc["channelKey"].SetString("K");
    return Compact(doc);
  }

  TenantCreds acme_;
  std::string token_;
  std::string tenant_path_;
  std::string base_;
};

TEST_F(ChannelsTest, MakeChangeRenewAndDelete) {
  EXPECT_EQ(Req("GET", base_).body, R"({"status":"OK","entities":[]})");

  Response made = Req("POST", base_, R"({"techChannelName":"官网","techChannelType":"easemob","originType":"webim"})");
  ASSERT_TRUE(IsOk(made)) << Describe(made);
  std::string secret;
  const std::string web = Entity(made, &secret);
  EXPECT_EQ(Shape(web), R"({"techChannelId":1,"techChannelName":"官网","techChannelType":"easemob",)"
                        R"("originType":"webim","queueId":null,"channelKey":"K"})");
  EXPECT_EQ(secret.size(), 64u);
  EXPECT_EQ(secret.find_first_not_of("0123456789abcdef"), std::string::npos) << secret;
  EXPECT_EQ(Req("GET", base_).body, "{\"status\":\"OK\",\"entities\":[" + web + "]}") << "no secret in the list";

  ASSERT_TRUE(IsOk(Req("POST", tenant_path_ + "/queues", R"({"queueName":"售前"})")));
  Response changed = Req("PUT", base_ + "/1",
                         R"({"techChannelName":"App","techChannelType":"easemob","originType":"app","queueId":1})");
  ASSERT_TRUE(IsOk(changed)) << Describe(changed);
  EXPECT_EQ(Shape(Entity(changed)), R"({"techChannelId":1,"techChannelName":"App","techChannelType":"easemob",)"
                                    R"("originType":"app","queueId":1,"channelKey":"K"})");
  EXPECT_FALSE(ParseJson(changed.body)["entity"].HasMember("secret"));
  const std::string key = ParseJson(web)["channelKey"].GetString();
  EXPECT_EQ(ParseJson(changed.body)["entity"]["channelKey"].GetString(), key) << "a change keeps the key";

  Response renewed = Req("POST", base_ + "/1/secret");
  ASSERT_TRUE(IsOk(renewed)) << Describe(renewed);
  std::string new_secret;
  EXPECT_EQ(Entity(renewed, &new_secret), Entity(changed));
  EXPECT_EQ(new_secret.size(), 64u);
  EXPECT_NE(new_secret, secret);

  // Deleting the skill group takes it off the channel.
  ASSERT_TRUE(IsBareOk(Req("DELETE", tenant_path_ + "/queues/1")));
  EXPECT_TRUE(ParseJson(Req("GET", base_).body)["entities"][0]["queueId"].IsNull());

  Response second = Req("POST", base_, R"({"techChannelName":"API","techChannelType":"api","originType":"app","queueId":null})");
  ASSERT_TRUE(IsOk(second)) << Describe(second);
  EXPECT_EQ(ParseJson(second.body)["entity"]["techChannelId"].GetInt64(), 2);
  EXPECT_NE(ParseJson(second.body)["entity"]["channelKey"].GetString(), key);

  EXPECT_TRUE(IsBareOk(Req("DELETE", base_ + "/1")));
  EXPECT_EQ(Req("GET", base_).body, "{\"status\":\"OK\",\"entities\":[" + Entity(second) + "]}");
  ExpectRejected("DELETE", base_ + "/1", "", token_, "API_205");
}

TEST_F(ChannelsTest, BadBodiesChangeNothing) {
  ASSERT_TRUE(IsOk(Req("POST", base_, R"({"techChannelName":"web","techChannelType":"easemob","originType":"webim"})")));
  const std::string ok_rest = R"("techChannelType":"easemob","originType":"webim")";
  for (const std::string& body : {
           std::string("{" + ok_rest + "}"), R"({"techChannelName":"",)" + ok_rest + "}",
           R"({"techChannelName":"  ",)" + ok_rest + "}", R"({"techChannelName":7,)" + ok_rest + "}",
           "{\"techChannelName\":" + S(std::string(101, 'c')) + "," + ok_rest + "}",
           std::string(R"({"techChannelName":"x","techChannelType":"web","originType":"webim"})"),
           std::string(R"({"techChannelName":"x","techChannelType":"easemob"})"),
           std::string(R"({"techChannelName":"x","techChannelType":"easemob","originType":"weixin"})"),
           std::string(R"({"techChannelName":"x","techChannelType":"weixin","originType":"webim"})"),
           R"({"techChannelName":"x",)" + ok_rest + R"(,"queueId":"1"})",
           R"({"techChannelName":"x",)" + ok_rest + R"(,"queueId":1.5})", std::string("[]"),
           std::string("not json"), std::string()}) {
    ExpectRejected("POST", base_, body, token_, "API_001");
    ExpectRejected("PUT", base_ + "/1", body, token_, "API_001");
  }
  // A skill group that is none of the tenant's (the demo tenant has skill group 1).
  ExpectRejected("POST", base_, R"({"techChannelName":"x",)" + ok_rest + R"(,"queueId":1})", token_, "API_205");
  ExpectRejected("PUT", base_ + "/1", R"({"techChannelName":"x",)" + ok_rest + R"(,"queueId":1})", token_,
                 "API_205");
  ASSERT_TRUE(IsOk(Req("POST", base_, "{\"techChannelName\":" + S(std::string(100, 'c')) + "," + ok_rest + "}")))
      << "100 is the most";
}

TEST_F(ChannelsTest, UnknownAndForeignChannelsAreNotFound) {
  // The demo tenant's channels (its catalog) have keys, no secret, and the
  // originType its history shows; their ids name nothing of acme's.
  Response demo = Get("/api/tenants/1/channels", DemoToken());
  ASSERT_TRUE(IsOk(demo));
  const auto demo_channels = ParseJson(demo.body);
  ASSERT_EQ(demo_channels["entities"].Size(), 6u);
  const auto& app = demo_channels["entities"][1];
  EXPECT_EQ(Shape(Compact(app)), R"({"techChannelId":2,"techChannelName":"手机APP","techChannelType":"easemob",)"
                                 R"("originType":"app","queueId":null,"channelKey":"K"})");
  for (const std::string& id : {std::string("2"), std::string("9"), std::string("abc"), std::string("-1"),
                                std::string("0")}) {
    const std::string ok = R"({"techChannelName":"x","techChannelType":"api","originType":"app"})";
    ExpectRejected("PUT", base_ + "/" + id, ok, token_, "API_205");
    ExpectRejected("POST", base_ + "/" + id + "/secret", "", token_, "API_205");
    ExpectRejected("DELETE", base_ + "/" + id, "", token_, "API_205");
  }
  ExpectRejected("GET", "/api/tenants/1/channels", "", token_, "API_003");
  ExpectRejected("POST", "/api/tenants/1/channels/2/secret", "", token_, "API_003");
}

TEST_F(ChannelsTest, AnAdminAgentManagesThemAndAPlainAgentMayNot) {
  MustAddAgent(acme_.id, token_, "boss@acme.example", 1);
  MustAddAgent(acme_.id, token_, "ann@acme.example");
  auto login = [&](const std::string& username) {
    Response r = http().Request("POST", "/api/agent/login", "{\"username\":" + S(username) + ",\"password\":\"password123\"}");
    EXPECT_TRUE(IsOk(r)) << Describe(r);
    return std::string(ParseJson(r.body)["entity"]["agentToken"].GetString());
  };
  const std::string body = R"({"techChannelName":"web","techChannelType":"easemob","originType":"webim"})";
  Response made = http().Request("POST", base_, body, {{"Agent-Token", login("boss@acme.example")}});
  ASSERT_TRUE(IsOk(made)) << Describe(made);
  EXPECT_TRUE(ParseJson(made.body)["entity"]["secret"].IsString());
  const std::string ann = login("ann@acme.example");
  const std::string before = Snap();
  EXPECT_TRUE(IsError(http().Request("POST", base_, body, {{"Agent-Token", ann}}), 401, "API_002"));
  EXPECT_TRUE(IsError(http().Request("POST", base_ + "/1/secret", {}, {{"Agent-Token", ann}}), 401, "API_002"));
  EXPECT_TRUE(IsError(http().Request("GET", base_, {}, {{"Agent-Token", ann}}), 401, "API_002"));
  EXPECT_TRUE(SameSnapshot(before, Snap()));
}

}  // namespace
}  // namespace bb
