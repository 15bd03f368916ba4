// A visitor's messages (LIVE §2, §3, §5): the first one opens a session in
// Wait, in the skill group LIVE §3 chooses, which the published history
// query shows at once; seqs are the thread's, a msgId is stored once, queue
// positions are first in, first out, and the visitor may end its session.
// Every refusal leaves the store as it was.
#include "harness.h"

namespace bb {
namespace {

class VisitorMessagesTest : public DemoTest {
 protected:
  void SetUp() override {
    DemoTest::SetUp();
    acme_ = CreateTenant("acme", 0, "UTC+8");
    token_ = IssueToken(acme_);
    tenant_path_ = "/api/tenants/" + std::to_string(acme_.id);
    for (const char* name : {"售前", "售后"}) {
      Must(Call("POST", tenant_path_ + "/queues", "{\"queueName\":" + S(name) + "}", token_));
    }
    key_ = MakeChannel(R"("queueId":2)");
  }

  static void Must(const Response& r) {
    if (!IsOk(r)) throw std::runtime_error("setup: " + Describe(r));
  }
  // A channel of acme's; its channelKey.
  std::string MakeChannel(const std::string& queue) {
    Response r = Call("POST", tenant_path_ + "/channels",
                      R"({"techChannelName":"Shop","techChannelType":"easemob","originType":"webim",)" + queue + "}",
                      token_);
    Must(r);
    return ParseJson(r.body)["entity"]["channelKey"].GetString();
  }
  // A new anonymous visitor's token.
  std::string NewVisitor(const std::string& key, const std::string& nicename = "Lucy") {
    Response r = http().Request("POST", "/api/visitor/tenants/" + std::to_string(acme_.id) + "/visitors",
                                "{\"channelKey\":" + S(key) + ",\"nicename\":" + S(nicename) + "}");
    Must(r);
    return ParseJson(r.body)["entity"]["visitorToken"].GetString();
  }
  Response Send(const std::string& vt, const std::string& msg_id, const std::string& extra = "") {
    return http().Request("POST", "/api/visitor/messages",
                          "{\"msgId\":" + S(msg_id) + R"(,"type":"txt","msg":"你好")" + extra + "}",
                          {{"Visitor-Token", vt}});
  }
  Response VGet(const std::string& vt, const std::string& target) {
    return http().Request("GET", target, {}, {{"Visitor-Token", vt}});
  }
  rapidjson::Document Thread(const std::string& vt) { return ParseJson(VGet(vt, "/api/visitor/session").body); }
  // The history item of a session, as the published query answers it.
  std::string HistoryItem(const std::string& session_id) {
    Response r = Call("GET", tenant_path_ + "/serviceSessionHistorys?state=Wait,Processing,Terminal,Abort", "", token_);
    auto doc = ParseJson(r.body);
    for (const auto& item : doc["entity"]["items"].GetArray()) {
      if (item["serviceSessionId"].GetString() == session_id) return Compact(item);
    }
    return "";
  }
  void ExpectRefusedMessage(const std::string& vt, const std::string& body, int status, const char* code) {
    const std::string before = Snap();
    Response r = http().Request("POST", "/api/visitor/messages", body, {{"Visitor-Token", vt}});
    EXPECT_TRUE(IsError(r, status, code)) << body << ": " << Describe(r);
    EXPECT_TRUE(SameSnapshot(before, Snap())) << body;
  }

  TenantCreds acme_;
  std::string token_, tenant_path_, key_;
};

TEST_F(VisitorMessagesTest, TheFirstMessageOpensAWaitingSessionTheHistoryShows) {
  Must(Call("PUT", tenant_path_ + "/options", R"({"greeting":"您好，请稍候"})", token_));
  const std::string vt = NewVisitor(key_);
  Response sent = Send(vt, "m-1");
  ASSERT_TRUE(IsOk(sent)) << Describe(sent);
  const auto sent_doc = ParseJson(sent.body);
  const auto& message = sent_doc["entity"];
  EXPECT_EQ(message["seq"].GetInt(), 1);
  EXPECT_EQ(std::string(message["from"].GetString()), "visitor");
  EXPECT_EQ(std::string(message["msgId"].GetString()), "m-1");
  const std::string sid = message["serviceSessionId"].GetString();

  Response listed = VGet(vt, "/api/visitor/messages");
  ASSERT_TRUE(IsOk(listed));
  auto list = ParseJson(listed.body);
  ASSERT_EQ(list["entities"].Size(), 2u);
  EXPECT_EQ(Compact(list["entities"][0]), Compact(ParseJson(sent.body)["entity"]));
  EXPECT_EQ(std::string(list["entities"][1]["from"].GetString()), "system");
  EXPECT_EQ(std::string(list["entities"][1]["msg"].GetString()), "您好，请稍候");
  EXPECT_EQ(list["entities"][1]["seq"].GetInt(), 2);

  auto thread = Thread(vt);
  EXPECT_EQ(thread["entity"]["lastSeq"].GetInt(), 2);
  EXPECT_EQ(Compact(thread["entity"]["session"]),
            "{\"serviceSessionId\":" + S(sid) + R"(,"state":"Wait","queuePosition":1,"agentNicename":null})");

  // The history item: every field LIVE §2's first row names, the rest null.
  auto item = ParseJson(HistoryItem(sid));
  ASSERT_TRUE(item.IsObject()) << "the session is in the history at once";
  const std::string created = item["createDatetime"].GetString();
  EXPECT_EQ(created, std::string(message["createDateTime"].GetString()));
  const std::string visitor = Compact(thread["entity"]["visitor"]);
  const std::string customer_id = item["customer"]["customerId"].GetString();
  EXPECT_EQ(Compact(item),
            "{\"serviceSessionId\":" + S(sid) + ",\"tenantId\":" + std::to_string(acme_.id) +
                ",\"techChannelId\":1,\"queueId\":2,\"state\":\"Wait\",\"chatGroupId\":" +
                std::to_string(thread["entity"]["chatGroupId"].GetInt64()) +
                ",\"messageSeqId\":2,\"agentUserId\":null,\"agentUserNiceName\":null,\"agentUserTrueName\":null,"
                "\"agentUserType\":1,\"createDatetime\":" + S(created) +
                ",\"startDateTime\":null,\"agentLastMessageDate\":null,\"stopDateTime\":null,"
                "\"techChannelType\":\"easemob\",\"summarys\":null,\"enquirySummary\":null,\"enquiryDetail\":null,"
                "\"techChannelName\":\"Shop\",\"originType\":[\"webim\"],\"comment\":null,\"visitorUser\":" + visitor +
                ",\"customer\":{\"customerId\":" + S(customer_id) +
                ",\"customerNiceName\":\"Lucy\",\"customerTrueName\":null},\"messageDetail\":null,"
                "\"recordFileUrl\":null,\"fromAgentCallback\":false,\"transfered\":false,\"visitorUserTags\":null,"
                "\"enquiryTags\":null,\"chatMessages\":null,\"lastChatMessage\":null,\"agentUserSet\":null,"
                "\"agentQueueSet\":null,\"enquiryTagNames\":null,\"summarysDetail\":null}");
  // The customerName filter finds it by the visitor's nicename.
  Response by_name = Call("GET", tenant_path_ + "/serviceSessionHistorys?state=Wait&customerName=lucy", "", token_);
  EXPECT_EQ(ParseJson(by_name.body)["entity"]["total_entries"].GetInt(), 1) << by_name.body;

  // A second message joins the open session; seqs are the thread's.
  Response second = Send(vt, "m-2");
  ASSERT_TRUE(IsOk(second));
  EXPECT_EQ(ParseJson(second.body)["entity"]["seq"].GetInt(), 3);
  EXPECT_EQ(std::string(ParseJson(second.body)["entity"]["serviceSessionId"].GetString()), sid);
  EXPECT_EQ(ParseJson(HistoryItem(sid))["messageSeqId"].GetInt(), 3);
  Response after = VGet(vt, "/api/visitor/messages?afterSeq=2&limit=5");
  ASSERT_EQ(ParseJson(after.body)["entities"].Size(), 1u);
  EXPECT_EQ(ParseJson(after.body)["entities"][0]["seq"].GetInt(), 3);
}

TEST_F(VisitorMessagesTest, AMsgIdIsStoredOnce) {
  const std::string vt = NewVisitor(key_);
  Response first = Send(vt, "same");
  ASSERT_TRUE(IsOk(first));
  const std::string before = Snap();
  Response again = http().Request("POST", "/api/visitor/messages", R"({"msgId":"same","type":"txt","msg":"other text"})",
                                  {{"Visitor-Token", vt}});
  ASSERT_TRUE(IsOk(again)) << Describe(again);
  EXPECT_EQ(again.body, first.body) << "the stored message, as it was";
  EXPECT_TRUE(SameSnapshot(before, Snap()));
  // Another visitor's msgId of the same value is its own.
  Response other = Send(NewVisitor(key_), "same");
  ASSERT_TRUE(IsOk(other));
  EXPECT_NE(ParseJson(other.body)["entity"]["serviceSessionId"].GetString(),
            std::string(ParseJson(first.body)["entity"]["serviceSessionId"].GetString()));
}

TEST_F(VisitorMessagesTest, TheSkillGroupIsTheNamedOneThenTheChannelsThenTheDefault) {
  auto queue_of = [&](const std::string& vt, const std::string& extra) {
    Response r = Send(vt, "m", extra);
    EXPECT_TRUE(IsOk(r)) << Describe(r);
    auto item = ParseJson(HistoryItem(ParseJson(r.body)["entity"]["serviceSessionId"].GetString()));
    return item["queueId"].IsNull() ? std::string("null") : std::to_string(item["queueId"].GetInt());
  };
  EXPECT_EQ(queue_of(NewVisitor(key_), R"(,"queueId":1)"), "1") << "named by id";
  EXPECT_EQ(queue_of(NewVisitor(key_), R"(,"queueName":"售前")"), "1") << "named by name";
  EXPECT_EQ(queue_of(NewVisitor(key_), ""), "2") << "the channel's";
  const std::string plain = MakeChannel(R"("queueId":null)");
  EXPECT_EQ(queue_of(NewVisitor(plain), ""), "null") << "none at all";
  Must(Call("PUT", tenant_path_ + "/options", R"({"defaultQueueId":1})", token_));
  EXPECT_EQ(queue_of(NewVisitor(plain), ""), "1") << "the tenant's default";
  // A named skill group that is none of the tenant's: API_205, nothing stored.
  const std::string vt = NewVisitor(plain);
  ExpectRefusedMessage(vt, R"({"msgId":"x","type":"txt","msg":"hi","queueId":99})", 404, "API_205");
  ExpectRefusedMessage(vt, R"({"msgId":"x","type":"txt","msg":"hi","queueName":"VIP"})", 404, "API_205");
}

TEST_F(VisitorMessagesTest, PositionsAreFirstInFirstOutWithinTheSkillGroup) {
  std::vector<std::string> visitors;
  for (int i = 0; i < 3; ++i) {
    visitors.push_back(NewVisitor(key_, "v" + std::to_string(i)));
    ASSERT_TRUE(IsOk(Send(visitors.back(), "m")));
  }
  const std::string elsewhere = NewVisitor(key_);
  ASSERT_TRUE(IsOk(Send(elsewhere, "m", R"(,"queueId":1)")));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Thread(visitors[i])["entity"]["session"]["queuePosition"].GetInt(), i + 1);
  EXPECT_EQ(Thread(elsewhere)["entity"]["session"]["queuePosition"].GetInt(), 1) << "its own skill group's line";
  // The first ends its session: the others move up.
  Response closed = http().Request("POST", "/api/visitor/session/close", {}, {{"Visitor-Token", visitors[0]}});
  ASSERT_TRUE(IsOk(closed)) << Describe(closed);
  EXPECT_EQ(std::string(ParseJson(closed.body)["entity"]["state"].GetString()), "Abort");
  EXPECT_TRUE(Thread(visitors[0])["entity"]["session"].IsNull());
  EXPECT_EQ(Thread(visitors[1])["entity"]["session"]["queuePosition"].GetInt(), 1);
  EXPECT_EQ(Thread(visitors[2])["entity"]["session"]["queuePosition"].GetInt(), 2);
}

TEST_F(VisitorMessagesTest, AnEndedSessionIsAbortedAndTheNextMessageOpensAnother) {
  const std::string vt = NewVisitor(key_);
  Response first = Send(vt, "m-1");
  const std::string sid = ParseJson(first.body)["entity"]["serviceSessionId"].GetString();
  ASSERT_TRUE(IsOk(http().Request("POST", "/api/visitor/session/close", {}, {{"Visitor-Token", vt}})));
  auto item = ParseJson(HistoryItem(sid));
  EXPECT_EQ(std::string(item["state"].GetString()), "Abort") << "it never had an agent";
  EXPECT_TRUE(item["stopDateTime"].IsString());
  EXPECT_TRUE(item["startDateTime"].IsNull());
  const std::string before = Snap();
  Response none = http().Request("POST", "/api/visitor/session/close", {}, {{"Visitor-Token", vt}});
  EXPECT_TRUE(IsError(none, 404, "API_201")) << Describe(none);
  EXPECT_TRUE(SameSnapshot(before, Snap()));

  Response next = Send(vt, "m-2");
  ASSERT_TRUE(IsOk(next));
  EXPECT_EQ(ParseJson(next.body)["entity"]["seq"].GetInt(), 2) << "the thread goes on";
  EXPECT_NE(std::string(ParseJson(next.body)["entity"]["serviceSessionId"].GetString()), sid);
  EXPECT_EQ(ParseJson(VGet(vt, "/api/visitor/messages").body)["entities"].Size(), 2u);
}

TEST_F(VisitorMessagesTest, TheOffDutyMessageComesOnlyWhenNobodyOnlineMayServe) {
  Must(Call("PUT", tenant_path_ + "/options", R"({"offDutyMessage":"下班了"})", token_));
  auto system_messages = [&](const std::string& extra) {
    const std::string vt = NewVisitor(key_);
    EXPECT_TRUE(IsOk(Send(vt, "m", extra)));
    return ParseJson(VGet(vt, "/api/visitor/messages").body)["entities"].Size() - 1;
  };
  EXPECT_EQ(system_messages(""), 1u);
  // An Online member of skill group 2 (the channel's): no off-duty message there.
  MustAddAgent(acme_.id, token_, "ann@acme.example");
  const std::string ann = ParseJson(*FindAgentJson(acme_.id, token_, "ann@acme.example"))["userId"].GetString();
  Must(Call("PUT", tenant_path_ + "/queues/2/members", "{\"agentUserIds\":[" + S(ann) + "]}", token_));
  Must(http().Request("POST", "/api/agent/login", R"({"username":"ann@acme.example","password":"password123"})"));
  EXPECT_EQ(system_messages(""), 0u);
  EXPECT_EQ(system_messages(R"(,"queueId":1)"), 1u) << "ann is no member of skill group 1";
}

TEST_F(VisitorMessagesTest, BadMessagesChangeNothingAndAThreadIsItsVisitorsOwn) {
  const std::string vt = NewVisitor(key_);
  ASSERT_TRUE(IsOk(Send(vt, "m-1")));
  for (const std::string& body : {
           std::string(R"({"type":"txt","msg":"hi"})"), std::string(R"({"msgId":"","type":"txt","msg":"hi"})"),
           std::string(R"({"msgId":7,"type":"txt","msg":"hi"})"), std::string(R"({"msgId":"x","msg":"hi"})"),
           std::string(R"({"msgId":"x","type":"img","mediaId":"m"})"), std::string(R"({"msgId":"x","type":"txt"})"),
           std::string(R"({"msgId":"x","type":"txt","msg":""})"),
           "{\"msgId\":\"x\",\"type\":\"txt\",\"msg\":" + S(std::string(5001, 'm')) + "}",
           "{\"msgId\":" + S(std::string(129, 'i')) + ",\"type\":\"txt\",\"msg\":\"hi\"}",
           std::string(R"({"msgId":"x","type":"txt","msg":"hi","queueId":"1"})"),
           std::string(R"({"msgId":"x","type":"txt","msg":"hi","queueName":1})"),
           std::string(R"({"msgId":"x","type":"txt","msg":"hi","agentUsername":1})"), std::string("[]"),
           std::string("not json"), std::string()}) {
    ExpectRefusedMessage(vt, body, 400, "API_001");
  }
  ASSERT_TRUE(IsOk(Send(vt, "long", ",\"msg2\":1,\"x\":" + S(std::string(10, 'x'))))) << "unknown keys are ignored";
  const std::string five_thousand = "{\"msgId\":\"max\",\"type\":\"txt\",\"msg\":" + S(std::string(5000, 'm')) + "}";
  EXPECT_TRUE(IsOk(http().Request("POST", "/api/visitor/messages", five_thousand, {{"Visitor-Token", vt}})));
  for (const char* query : {"afterSeq=-1", "afterSeq=x", "limit=0", "limit=101", "limit=1.5"}) {
    EXPECT_TRUE(IsError(VGet(vt, std::string("/api/visitor/messages?") + query), 400, "API_001")) << query;
  }
  // Another visitor sees only its own thread.
  const std::string other = NewVisitor(key_);
  EXPECT_EQ(VGet(other, "/api/visitor/messages").body, R"({"status":"OK","entities":[]})");
  EXPECT_TRUE(Thread(other)["entity"]["session"].IsNull());
  // No token, or another kind of token: API_002, nothing stored.
  for (const auto& headers : std::vector<Headers>{{}, {{"Kefu-Token", token_}}, {{"Visitor-Token", "x"}}}) {
    const std::string before = Snap();
    EXPECT_TRUE(IsError(http().Request("POST", "/api/visitor/messages", R"({"msgId":"y","type":"txt","msg":"hi"})",
                                       headers),
                        401, "API_002"));
    EXPECT_TRUE(SameSnapshot(before, Snap()));
  }
}

}  // namespace
}  // namespace bb
