// How a live session ends up in the history (LIVE §2): session tags and a
// comment from its agents, a rating from its visitor once invited (or at
// close, with the tenant's option), each as the published item shows it.
// On the demo tenant, whose catalog holds a tag tree and rating tags.
#include "harness.h"

namespace bb {
namespace {

constexpr const char* kDemoChannelKey = "0d3c7a2e-5b61-4f0e-9c8d-1a2b3c4d5e6f";

class SessionOutcomeTest : public DemoTest {
 protected:
  void SetUp() override {
    DemoTest::SetUp();
    agent_ = Login("agent0002@demo.kefu.local", "demo12345");
  }

  std::string Login(const std::string& username, const std::string& password) {
    Response r = http().Request("POST", "/api/agent/login",
                                "{\"username\":" + S(username) + ",\"password\":" + S(password) + "}");
    if (!IsOk(r)) throw std::runtime_error("login: " + Describe(r));
    return ParseJson(r.body)["entity"]["agentToken"].GetString();
  }
  // A visitor on channel 1 whose session the agent has accepted: its token and the session id.
  std::pair<std::string, std::string> Served() {
    Response v = http().Request("POST", "/api/visitor/tenants/1/visitors", "{\"channelKey\":" + S(kDemoChannelKey) + "}");
    const std::string vt = ParseJson(v.body)["entity"]["visitorToken"].GetString();
    Response m = http().Request("POST", "/api/visitor/messages", R"({"msgId":"m","type":"txt","msg":"hi","queueId":1})",
                                {{"Visitor-Token", vt}});
    const std::string sid = ParseJson(m.body)["entity"]["serviceSessionId"].GetString();
    Response accepted = A("POST", "/api/agent/waiting/" + sid + "/accept");
    if (!IsOk(accepted)) throw std::runtime_error("accept: " + Describe(accepted));
    return {vt, sid};
  }
  Response A(std::string_view method, const std::string& target, const std::string& body = {}) {
    return http().Request(method, target, body, {{"Agent-Token", agent_}});
  }
  Response Rate(const std::string& vt, const std::string& body) {
    return http().Request("POST", "/api/visitor/session/enquiry", body, {{"Visitor-Token", vt}});
  }
  std::string HistoryItem(const std::string& session_id) {
    Response r = Get("/api/tenants/1/serviceSessionHistorys?state=Wait,Processing,Terminal,Abort&per_page=50&"
                     "sortField=createDatetime",
                     DemoToken());
    auto doc = ParseJson(r.body);
    for (const auto& item : doc["entity"]["items"].GetArray()) {
      if (item["serviceSessionId"].GetString() == session_id) return Compact(item);
    }
    return "";
  }
  void ExpectRefused(const std::string& token_header, const std::string& token, std::string_view method,
                     const std::string& target, const std::string& body, int status, const char* code) {
    const std::string before = Snap();
    Response r = http().Request(method, target, body, {{token_header, token}});
    EXPECT_TRUE(IsError(r, status, code)) << method << " " << target << " " << body << ": " << Describe(r);
    EXPECT_TRUE(SameSnapshot(before, Snap())) << method << " " << target;
  }

  std::string agent_;
};

TEST_F(SessionOutcomeTest, TagsACommentAndARatingAsThePublishedItemShowsThem) {
  auto [vt, sid] = Served();
  const std::string path = "/api/agent/sessions/" + sid;
  Response tagged = A("PUT", path + "/summaries", R"({"summaryIds":[101,205,101]})");
  ASSERT_TRUE(IsOk(tagged)) << Describe(tagged);
  ASSERT_TRUE(IsOk(A("PUT", path + "/comment", R"({"comment":"客户要求寄修"})")));
  // Not rated yet, and not invited: the visitor may not.
  ExpectRefused("Visitor-Token", vt, "POST", "/api/visitor/session/enquiry",
                "{\"serviceSessionId\":" + S(sid) + ",\"summary\":5}", 409, "API_202");
  ASSERT_TRUE(IsOk(A("POST", path + "/enquiryInvite")));
  ASSERT_TRUE(IsOk(A("POST", path + "/close")));

  auto tags = ParseJson(http().Request("GET", "/api/visitor/enquiryTags", {}, {{"Visitor-Token", vt}}).body);
  ASSERT_EQ(tags["entities"].Size(), 6u);
  EXPECT_EQ(Compact(tags["entities"][0]), R"({"id":1,"name":"响应及时"})");
  Response rated = Rate(vt, "{\"serviceSessionId\":" + S(sid) + R"(,"summary":5,"detail":"很好","enquiryTagIds":[1,3]})");
  ASSERT_TRUE(IsOk(rated)) << Describe(rated);
  ExpectRefused("Visitor-Token", vt, "POST", "/api/visitor/session/enquiry",
                "{\"serviceSessionId\":" + S(sid) + ",\"summary\":1}", 409, "API_206");

  auto item = ParseJson(HistoryItem(sid));
  EXPECT_EQ(Compact(item["summarys"]),
            R"([[{"id":100,"name":"咨询","color":1,"parentId":0},{"id":101,"name":"产品价格","color":2,"parentId":100}],)"
            R"([{"id":200,"name":"售后","color":5,"parentId":0},{"id":203,"name":"维修","color":8,"parentId":200},)"
            R"({"id":205,"name":"寄修","color":10,"parentId":203}]])");
  EXPECT_STREQ(item["summarysDetail"].GetString(), "产品价格,寄修");
  EXPECT_STREQ(item["comment"].GetString(), "客户要求寄修");
  EXPECT_STREQ(item["enquirySummary"].GetString(), "5");
  EXPECT_STREQ(item["enquiryDetail"].GetString(), "很好");
  EXPECT_EQ(Compact(item["enquiryTags"]), "[1,3]");
  EXPECT_STREQ(item["enquiryTagNames"].GetString(), "响应及时,问题已解决");
  EXPECT_STREQ(item["state"].GetString(), "Terminal");
  // The published filters find it by its tag and its rating.
  for (const char* query : {"summaryIds=205", "enquirySummary=5", "enquiryTagIds=3"}) {
    Response r = Get(std::string("/api/tenants/1/serviceSessionHistorys?") + query + "&state=Terminal&per_page=50",
                     DemoToken());
    bool found = false;
    const auto page = ParseJson(r.body);  // (a temporary would die before the loop)
    for (const auto& i : page["entity"]["items"].GetArray()) found |= i["serviceSessionId"].GetString() == sid;
    EXPECT_TRUE(found) << query;
  }
  // Tags and comment may still change after the close; clearing works.
  ASSERT_TRUE(IsOk(A("PUT", path + "/summaries", R"({"summaryIds":[]})")));
  ASSERT_TRUE(IsOk(A("PUT", path + "/comment", R"({"comment":null})")));
  item = ParseJson(HistoryItem(sid));
  EXPECT_TRUE(item["summarys"].IsNull());
  EXPECT_TRUE(item["summarysDetail"].IsNull());
  EXPECT_TRUE(item["comment"].IsNull());
}

TEST_F(SessionOutcomeTest, BadTagsAndRatingsChangeNothing) {
  auto [vt, sid] = Served();
  const std::string path = "/api/agent/sessions/" + sid;
  ExpectRefused("Agent-Token", agent_, "PUT", path + "/summaries", R"({"summaryIds":[100]})", 400, "API_001");
  ExpectRefused("Agent-Token", agent_, "PUT", path + "/summaries", R"({"summaryIds":[999]})", 404, "API_205");
  for (const char* body : {R"({"summaryIds":"101"})", R"({"summaryIds":[1.5]})", "{}", "[]"}) {
    ExpectRefused("Agent-Token", agent_, "PUT", path + "/summaries", body, 400, "API_001");
  }
  for (const std::string& body : {std::string("{}"), std::string(R"({"comment":5})"),
                                  "{\"comment\":" + S(std::string(1001, 'c')) + "}"}) {
    ExpectRefused("Agent-Token", agent_, "PUT", path + "/comment", body, 400, "API_001");
  }
  // An admin agent may, though it never served it (a plain one may not: agent_desk_test.cc).
  const std::string other = Login("32273591@qq.com", "qwe12345");
  EXPECT_TRUE(IsOk(http().Request("PUT", path + "/comment", R"({"comment":"admin"})", {{"Agent-Token", other}})));
  ASSERT_TRUE(IsOk(A("POST", path + "/enquiryInvite")));
  const std::string rate = "{\"serviceSessionId\":" + S(sid);
  for (const std::string& body : {rate + ",\"summary\":0}", rate + ",\"summary\":6}", rate + ",\"summary\":\"5\"}",
                                  rate + ",\"summary\":5,\"detail\":" + S(std::string(501, 'd')) + "}",
                                  rate + ",\"summary\":5,\"enquiryTagIds\":\"1\"}", std::string(R"({"summary":5})")}) {
    ExpectRefused("Visitor-Token", vt, "POST", "/api/visitor/session/enquiry", body, 400, "API_001");
  }
  ExpectRefused("Visitor-Token", vt, "POST", "/api/visitor/session/enquiry", rate + ",\"summary\":5,\"enquiryTagIds\":[9]}",
                404, "API_205");
  ExpectRefused("Visitor-Token", vt, "POST", "/api/visitor/session/enquiry",
                R"({"serviceSessionId":"not-mine","summary":5})", 404, "API_201");
  // Rated while in progress, once invited.
  EXPECT_TRUE(IsOk(Rate(vt, rate + ",\"summary\":4}")));
  ExpectRefused("Agent-Token", agent_, "POST", path + "/enquiryInvite", "", 409, "API_206");
}

TEST_F(SessionOutcomeTest, WithEnquiryInviteOnCloseAClosedSessionMayBeRated) {
  ASSERT_TRUE(IsOk(Call("PUT", "/api/tenants/1/options", R"({"enquiryInviteOnClose":true})", DemoToken())));
  auto [vt, sid] = Served();
  const std::string rate = "{\"serviceSessionId\":" + S(sid) + ",\"summary\":3}";
  ExpectRefused("Visitor-Token", vt, "POST", "/api/visitor/session/enquiry", rate, 409, "API_202");
  ASSERT_TRUE(IsOk(A("POST", "/api/agent/sessions/" + sid + "/close")));
  EXPECT_TRUE(IsOk(Rate(vt, rate)));
  EXPECT_STREQ(ParseJson(HistoryItem(sid))["enquirySummary"].GetString(), "3");
}

}  // namespace
}  // namespace bb
