// The agent's side of live conversations (LIVE §2, §3 by hand, §5, §7): the
// wait list of its skill groups, accept (past capacity too), messages both
// ways, read marks, close; the history item of each step as LIVE §2 says;
// an agent acts only on its own sessions, and every refusal changes nothing.
#include "harness.h"

namespace bb {
namespace {

class AgentDeskTest : public DemoTest {
 protected:
  void SetUp() override {
    DemoTest::SetUp();
    acme_ = CreateTenant("acme");
    token_ = IssueToken(acme_);
    tenant_path_ = "/api/tenants/" + std::to_string(acme_.id);
    for (const char* name : {"售前", "售后"}) Must(Call("POST", tenant_path_ + "/queues", "{\"queueName\":" + S(name) + "}", token_));
    Response channel = Call("POST", tenant_path_ + "/channels",
                            R"({"techChannelName":"Shop","techChannelType":"easemob","originType":"webim","queueId":1})",
                            token_);
    Must(channel);
    key_ = ParseJson(channel.body)["entity"]["channelKey"].GetString();
    MustAddAgent(acme_.id, token_, "ann@acme.example", 2, R"("nicename":"Ann","trueName":"安","maxServiceSessionCount":1)");
    MustAddAgent(acme_.id, token_, "bob@acme.example", 2, R"("nicename":"Bob")");
    MustAddAgent(acme_.id, token_, "boss@acme.example", 1, R"("nicename":"Boss")");
    ann_id_ = UserId("ann@acme.example");
    bob_id_ = UserId("bob@acme.example");
    Must(Call("PUT", tenant_path_ + "/queues/1/members", "{\"agentUserIds\":[" + S(ann_id_) + "]}", token_));
    Must(Call("PUT", tenant_path_ + "/queues/2/members", "{\"agentUserIds\":[" + S(bob_id_) + "]}", token_));
    ann_ = Login("ann@acme.example");
    bob_ = Login("bob@acme.example");
    boss_ = Login("boss@acme.example");
  }

  static void Must(const Response& r) {
    if (!IsOk(r)) throw std::runtime_error("setup: " + Describe(r));
  }
  std::string UserId(const std::string& username) {
    return ParseJson(*FindAgentJson(acme_.id, token_, username))["userId"].GetString();
  }
  std::string Login(const std::string& username) {
    Response r = http().Request("POST", "/api/agent/login", "{\"username\":" + S(username) + ",\"password\":\"password123\"}");
    Must(r);
    return ParseJson(r.body)["entity"]["agentToken"].GetString();
  }
  // A new visitor that has written once (in `queue_extra`'s skill group): its token and session id.
  std::pair<std::string, std::string> Waiting(const std::string& queue_extra = "") {
    Response v = http().Request("POST", "/api/visitor/tenants/" + std::to_string(acme_.id) + "/visitors",
                                "{\"channelKey\":" + S(key_) + R"(,"nicename":"Lucy"})");
    Must(v);
    const std::string vt = ParseJson(v.body)["entity"]["visitorToken"].GetString();
    Response m = VisitorSend(vt, "v-1", queue_extra);
    Must(m);
    return {vt, ParseJson(m.body)["entity"]["serviceSessionId"].GetString()};
  }
  Response VisitorSend(const std::string& vt, const std::string& msg_id, const std::string& extra = "") {
    return http().Request("POST", "/api/visitor/messages",
                          "{\"msgId\":" + S(msg_id) + R"(,"type":"txt","msg":"你好")" + extra + "}", {{"Visitor-Token", vt}});
  }
  Response A(const std::string& token, std::string_view method, const std::string& target, const std::string& body = {}) {
    return http().Request(method, target, body, {{"Agent-Token", token}});
  }
  std::vector<std::string> WaitingIds(const std::string& token, const std::string& query = "") {
    auto doc = ParseJson(A(token, "GET", "/api/agent/waiting" + query).body);
    std::vector<std::string> ids;
    for (const auto& item : doc["entity"]["items"].GetArray()) ids.emplace_back(item["serviceSessionId"].GetString());
    return ids;
  }
  std::string HistoryItem(const std::string& session_id) {
    Response r = Call("GET", tenant_path_ + "/serviceSessionHistorys?state=Wait,Processing,Terminal,Abort", "", token_);
    auto doc = ParseJson(r.body);
    for (const auto& item : doc["entity"]["items"].GetArray()) {
      if (item["serviceSessionId"].GetString() == session_id) return Compact(item);
    }
    return "";
  }
  void ExpectRefused(const std::string& token, std::string_view method, const std::string& target,
                     const std::string& body, int status, const char* code) {
    const std::string before = Snap();
    Response r = A(token, method, target, body);
    EXPECT_TRUE(IsError(r, status, code)) << method << " " << target << " " << body << ": " << Describe(r);
    EXPECT_TRUE(SameSnapshot(before, Snap())) << method << " " << target;
  }

  TenantCreds acme_;
  std::string token_, tenant_path_, key_, ann_id_, bob_id_, ann_, bob_, boss_;
};

TEST_F(AgentDeskTest, AcceptChatReadAndCloseAsLive2Says) {
  auto [vt, sid] = Waiting();
  EXPECT_EQ(WaitingIds(ann_), std::vector<std::string>{sid});
  EXPECT_TRUE(WaitingIds(bob_).empty()) << "Bob is no member of skill group 1";

  Response accepted = A(ann_, "POST", "/api/agent/waiting/" + sid + "/accept");
  ASSERT_TRUE(IsOk(accepted)) << Describe(accepted);
  auto item = ParseJson(Compact(ParseJson(accepted.body)["entity"]));
  EXPECT_STREQ(item["state"].GetString(), "Processing");
  EXPECT_EQ(std::string(item["agentUserId"].GetString()), ann_id_);
  EXPECT_STREQ(item["agentUserNiceName"].GetString(), "Ann");
  EXPECT_STREQ(item["agentUserTrueName"].GetString(), "安");
  EXPECT_TRUE(item["startDateTime"].IsString());
  ASSERT_EQ(item["agentUserSet"].Size(), 1u);
  EXPECT_EQ(std::string(item["agentUserSet"][0]["userId"].GetString()), ann_id_);
  EXPECT_EQ(Compact(item), HistoryItem(sid)) << "the published query shows the same item";
  EXPECT_TRUE(WaitingIds(ann_).empty());

  // The visitor sees its agent's nicename, never its account.
  auto thread = ParseJson(http().Request("GET", "/api/visitor/session", {}, {{"Visitor-Token", vt}}).body);
  EXPECT_STREQ(thread["entity"]["session"]["state"].GetString(), "Processing");
  EXPECT_STREQ(thread["entity"]["session"]["agentNicename"].GetString(), "Ann");
  EXPECT_TRUE(thread["entity"]["session"]["queuePosition"].IsNull());

  Response sent = A(ann_, "POST", "/api/agent/sessions/" + sid + "/messages", R"({"msgId":"a-1","type":"txt","msg":"您好，我是Ann"})");
  ASSERT_TRUE(IsOk(sent)) << Describe(sent);
  EXPECT_EQ(ParseJson(sent.body)["entity"]["seq"].GetInt(), 2);
  EXPECT_EQ(std::string(ParseJson(sent.body)["entity"]["agentUserId"].GetString()), ann_id_);
  auto seen = ParseJson(http().Request("GET", "/api/visitor/messages?afterSeq=1", {}, {{"Visitor-Token", vt}}).body);
  ASSERT_EQ(seen["entities"].Size(), 1u);
  EXPECT_STREQ(seen["entities"][0]["from"].GetString(), "agent");
  EXPECT_FALSE(seen["entities"][0].HasMember("agentUserId")) << "a visitor never sees an agent's account";
  EXPECT_TRUE(IsOk(VisitorSend(vt, "v-2")));

  auto mine = ParseJson(A(ann_, "GET", "/api/agent/sessions").body);
  ASSERT_EQ(mine["entities"].Size(), 1u);
  EXPECT_EQ(mine["entities"][0]["unread"].GetInt(), 2) << "the visitor's two messages";
  EXPECT_EQ(mine["entities"][0]["lastMessage"]["seq"].GetInt(), 3);
  EXPECT_STREQ(mine["entities"][0]["session"]["serviceSessionId"].GetString(), sid.c_str());
  ASSERT_TRUE(IsBareOk(A(ann_, "POST", "/api/agent/sessions/" + sid + "/read", R"({"seq":3})")));
  EXPECT_EQ(ParseJson(A(ann_, "GET", "/api/agent/sessions").body)["entities"][0]["unread"].GetInt(), 0);
  auto history = ParseJson(A(ann_, "GET", "/api/agent/sessions/" + sid + "/messages").body);
  EXPECT_EQ(history["entities"].Size(), 3u);
  auto newest = ParseJson(A(ann_, "GET", "/api/agent/sessions/" + sid + "/messages?beforeSeq=3&limit=1").body);
  ASSERT_EQ(newest["entities"].Size(), 1u);
  EXPECT_EQ(newest["entities"][0]["seq"].GetInt(), 2) << "the newest before seq 3";

  Response closed = A(ann_, "POST", "/api/agent/sessions/" + sid + "/close");
  ASSERT_TRUE(IsOk(closed)) << Describe(closed);
  auto done = ParseJson(HistoryItem(sid));
  EXPECT_STREQ(done["state"].GetString(), "Terminal");
  EXPECT_TRUE(done["stopDateTime"].IsString());
  EXPECT_EQ(done["messageSeqId"].GetInt(), 3);
  EXPECT_TRUE(done["agentLastMessageDate"].IsString());
  EXPECT_EQ(std::string(done["agentUserId"].GetString()), ann_id_);
  EXPECT_TRUE(ParseJson(A(ann_, "GET", "/api/agent/sessions").body)["entities"].Empty());
  EXPECT_TRUE(ParseJson(http().Request("GET", "/api/visitor/session", {}, {{"Visitor-Token", vt}}).body)["entity"]["session"].IsNull());
  // A CRM reads the session's own messages with the tenant's token.
  ASSERT_TRUE(IsOk(VisitorSend(vt, "v-next")));  // opens the visitor's next session
  Response crm = Call("GET", tenant_path_ + "/serviceSessionHistorys/" + sid + "/messages", "", token_);
  ASSERT_TRUE(IsOk(crm)) << Describe(crm);
  auto own = ParseJson(crm.body);
  ASSERT_EQ(own["entities"].Size(), 3u) << "its own three, not the next session's";
  EXPECT_STREQ(own["entities"][1]["from"].GetString(), "agent");
  EXPECT_EQ(ParseJson(Call("GET", tenant_path_ + "/serviceSessionHistorys/" + sid + "/messages?afterSeq=2", "", token_)
                          .body)["entities"]
                .Size(),
            1u);
  EXPECT_TRUE(IsError(Call("GET", "/api/tenants/1/serviceSessionHistorys/" + sid + "/messages", "", DemoToken()),
                      404, "API_201"));
  EXPECT_TRUE(IsError(Call("GET", tenant_path_ + "/serviceSessionHistorys/" + sid + "/messages?limit=0", "", token_),
                      400, "API_001"));
  // The published agent filter finds it by the agent who served.
  Response by_agent = Call("GET", tenant_path_ + "/serviceSessionHistorys?agentUserId=" + ann_id_, "", token_);
  EXPECT_EQ(ParseJson(by_agent.body)["entity"]["total_entries"].GetInt(), 1) << by_agent.body;
}

TEST_F(AgentDeskTest, AnAdminListsOpenSessionsWithTheirFilters) {
  auto first = Waiting();
  auto second = Waiting(R"(,"queueId":2)");
  auto third = Waiting();
  ASSERT_TRUE(IsOk(A(ann_, "POST", "/api/agent/waiting/" + third.second + "/accept")));
  ASSERT_TRUE(IsOk(http().Request("POST", "/api/visitor/session/close", {}, {{"Visitor-Token", first.first}})));
  auto ids = [&](const std::string& query) {
    Response r = Call("GET", tenant_path_ + "/serviceSessionCurrents" + query, "", token_);
    EXPECT_TRUE(IsOk(r)) << query << ": " << Describe(r);
    auto doc = ParseJson(r.body);
    std::vector<std::string> out;
    for (const auto& item : doc["entity"]["items"].GetArray()) out.emplace_back(item["serviceSessionId"].GetString());
    if (query.find("page") == std::string::npos) {
      EXPECT_EQ(doc["entity"]["total_entries"].GetInt64(), static_cast<int64_t>(out.size())) << query;
    }
    return out;
  };
  EXPECT_EQ(ids(""), (std::vector<std::string>{second.second, third.second})) << "open ones, oldest first";
  EXPECT_EQ(ids("?state=Wait"), std::vector<std::string>{second.second});
  EXPECT_EQ(ids("?state=Processing&agentIds=" + ann_id_), std::vector<std::string>{third.second});
  EXPECT_EQ(ids("?agentIds=" + bob_id_), std::vector<std::string>{});
  EXPECT_EQ(ids("?queueIds=2,9"), std::vector<std::string>{second.second});
  EXPECT_EQ(ids("?per_page=1&page=2"), std::vector<std::string>{third.second});
  Response paged = Call("GET", tenant_path_ + "/serviceSessionCurrents?per_page=1&page=2", "", token_);
  EXPECT_EQ(ParseJson(paged.body)["entity"]["total_entries"].GetInt(), 2);
  for (const char* query : {"?state=Terminal", "?queueIds=x", "?per_page=0"}) {
    EXPECT_TRUE(IsError(Call("GET", tenant_path_ + "/serviceSessionCurrents" + query, "", token_), 400, "API_001"))
        << query;
  }
  EXPECT_TRUE(IsError(Call("GET", tenant_path_ + "/serviceSessionCurrents?page=0", "", token_), 400, "API_111"));
  EXPECT_TRUE(IsError(A(ann_, "GET", tenant_path_ + "/serviceSessionCurrents"), 401, "API_002"));
  EXPECT_TRUE(ParseJson(Get("/api/tenants/1/serviceSessionCurrents", DemoToken()).body)["entity"]["items"].Empty())
      << "another tenant's are its own";
}

TEST_F(AgentDeskTest, VisitorsSessionsShowsEachVisitorsOpenSessionAndAgent) {
  auto [vt, sid] = Waiting();
  const std::string username = ParseJson(HistoryItem(sid))["visitorUser"]["username"].GetString();
  const std::string path = tenant_path_ + "/visitors/sessions";
  const std::string body = "{\"visitorUsernames\":[" + S(username) + ",\"nobody\"]}";
  auto bindings = ParseJson(Call("POST", path, body, token_).body);
  ASSERT_EQ(bindings["entities"].Size(), 2u);
  EXPECT_STREQ(bindings["entities"][0]["serviceSessionId"].GetString(), sid.c_str());
  EXPECT_STREQ(bindings["entities"][0]["state"].GetString(), "Wait");
  EXPECT_TRUE(bindings["entities"][0]["agentUserId"].IsNull());
  EXPECT_STREQ(bindings["entities"][0]["visitor"]["username"].GetString(), username.c_str());
  EXPECT_EQ(Compact(bindings["entities"][1]), R"({"visitorUsername":"nobody","visitor":null,"techChannelId":null,)"
                                              R"("serviceSessionId":null,"state":null,"agentUserId":null})");
  ASSERT_TRUE(IsOk(A(ann_, "POST", "/api/agent/waiting/" + sid + "/accept")));
  bindings = ParseJson(Call("POST", path, body, token_).body);
  EXPECT_EQ(std::string(bindings["entities"][0]["agentUserId"].GetString()), ann_id_);
  std::string eleven = "{\"visitorUsernames\":[";
  for (int i = 0; i < 11; ++i) eleven += std::string(i ? "," : "") + "\"v" + std::to_string(i) + "\"";
  eleven += "]}";
  EXPECT_TRUE(IsError(Call("POST", path, eleven, token_), 400, "API_020"));
  EXPECT_TRUE(IsError(Call("POST", path, R"({"visitorUsernames":"x"})", token_), 400, "API_001"));
  EXPECT_TRUE(IsError(A(ann_, "POST", path, body), 401, "API_002"));
}

TEST_F(AgentDeskTest, AgentStatesShowEachAgentsStateAndLoad) {
  auto [vt, sid] = Waiting();
  ASSERT_TRUE(IsOk(A(ann_, "POST", "/api/agent/waiting/" + sid + "/accept")));
  ASSERT_TRUE(IsOk(A(bob_, "PUT", "/api/agent/me", R"({"state":"Busy"})")));
  Response r = Call("GET", tenant_path_ + "/agents/states", "", token_);
  ASSERT_TRUE(IsOk(r)) << Describe(r);
  EXPECT_EQ(r.body, "{\"status\":\"OK\",\"entities\":["
                    "{\"userId\":" + S(ann_id_) + R"(,"username":"ann@acme.example","nicename":"Ann","state":"Online",)"
                    R"("processing":1,"maxServiceSessionCount":1},)"
                    "{\"userId\":" + S(bob_id_) + R"(,"username":"bob@acme.example","nicename":"Bob","state":"Busy",)"
                    R"("processing":0,"maxServiceSessionCount":10},)"
                    "{\"userId\":" + S(UserId("boss@acme.example")) +
                    R"(,"username":"boss@acme.example","nicename":"Boss","state":"Online","processing":0,)"
                    R"("maxServiceSessionCount":10}]})");
  EXPECT_TRUE(IsOk(A(boss_, "GET", tenant_path_ + "/agents/states"))) << "an admin agent's token too";
  EXPECT_TRUE(IsError(A(ann_, "GET", tenant_path_ + "/agents/states"), 401, "API_002"));
  EXPECT_TRUE(IsError(Call("GET", tenant_path_ + "/agents/states", "", DemoToken()), 403, "API_003"));
}

TEST_F(AgentDeskTest, AnAgentAcceptsPastItsCapacityAndOnlyItsSkillGroups) {
  auto first = Waiting();
  auto second = Waiting();
  auto elsewhere = Waiting(R"(,"queueId":2)");
  ASSERT_TRUE(IsOk(A(ann_, "POST", "/api/agent/waiting/" + first.second + "/accept")));
  EXPECT_TRUE(IsOk(A(ann_, "POST", "/api/agent/waiting/" + second.second + "/accept"))) << "past capacity 1: by hand";
  ExpectRefused(ann_, "POST", "/api/agent/waiting/" + elsewhere.second + "/accept", "", 403, "API_203");
  ExpectRefused(bob_, "POST", "/api/agent/waiting/" + first.second + "/accept", "", 409, "API_202");
  ExpectRefused(ann_, "POST", "/api/agent/waiting/no-such-session/accept", "", 404, "API_201");
  EXPECT_EQ(WaitingIds(bob_), std::vector<std::string>{elsewhere.second});
  EXPECT_EQ(WaitingIds(boss_), std::vector<std::string>{elsewhere.second}) << "an admin sees every skill group";
  EXPECT_EQ(WaitingIds(boss_, "?queueId=1"), std::vector<std::string>{});
  EXPECT_TRUE(IsOk(A(boss_, "POST", "/api/agent/waiting/" + elsewhere.second + "/accept"))) << "an admin: any";
  EXPECT_EQ(ParseJson(A(ann_, "GET", "/api/agent/sessions").body)["entities"].Size(), 2u);
  // An agent with sessions in progress cannot be deleted (LIVE §2, CONTRACT §4).
  const std::string before = Snap();
  EXPECT_TRUE(IsError(Call("DELETE", tenant_path_ + "/agent", R"({"username":"ann@acme.example"})", token_), 409,
                      "API_110"));
  EXPECT_TRUE(SameSnapshot(before, Snap()));
}

TEST_F(AgentDeskTest, AnAgentActsOnlyOnItsOwnSessions) {
  auto [vt, sid] = Waiting();
  ASSERT_TRUE(IsOk(A(ann_, "POST", "/api/agent/waiting/" + sid + "/accept")));
  const std::string path = "/api/agent/sessions/" + sid;
  ExpectRefused(bob_, "POST", path + "/messages", R"({"msgId":"b","type":"txt","msg":"hi"})", 403, "API_203");
  ExpectRefused(bob_, "POST", path + "/read", R"({"seq":1})", 403, "API_203");
  ExpectRefused(bob_, "POST", path + "/close", "", 403, "API_203");
  EXPECT_TRUE(IsError(A(bob_, "GET", path + "/messages"), 403, "API_203"));
  // Another tenant's agent: as if it did not exist.
  const std::string demo_admin = [&] {
    Response r = http().Request("POST", "/api/agent/login", R"({"username":"32273591@qq.com","password":"qwe12345"})");
    return std::string(ParseJson(r.body)["entity"]["agentToken"].GetString());
  }();
  ExpectRefused(demo_admin, "POST", path + "/close", "", 404, "API_201");
  EXPECT_TRUE(IsError(A(demo_admin, "GET", path + "/messages"), 404, "API_201"));
  // Bad bodies and params: API_001, nothing changed.
  for (const std::string& body : {std::string(R"({"type":"txt","msg":"hi"})"), std::string(R"({"msgId":"x","type":"img"})"),
                                  std::string(R"({"msgId":"x","type":"txt","msg":""})"), std::string("[]")}) {
    ExpectRefused(ann_, "POST", path + "/messages", body, 400, "API_001");
  }
  for (const std::string& body : {std::string(R"({"seq":-1})"), std::string(R"({"seq":"1"})"), std::string("{}")}) {
    ExpectRefused(ann_, "POST", path + "/read", body, 400, "API_001");
  }
  for (const char* query : {"?afterSeq=-1", "?beforeSeq=0", "?limit=101"}) {
    EXPECT_TRUE(IsError(A(ann_, "GET", path + "/messages" + query), 400, "API_001")) << query;
  }
  const std::pair<const char*, const char*> waiting_queries[] = {
      {"?page=0", "API_111"}, {"?per_page=51", "API_112"}, {"?per_page=0", "API_001"}, {"?queueId=x", "API_001"}};
  for (const auto& [query, code] : waiting_queries) {
    EXPECT_TRUE(IsError(A(ann_, "GET", std::string("/api/agent/waiting") + query), 400, code)) << query;
  }
  // A msgId is stored once per sender.
  Response first = A(ann_, "POST", path + "/messages", R"({"msgId":"same","type":"txt","msg":"one"})");
  ASSERT_TRUE(IsOk(first));
  const std::string before = Snap();
  Response again = A(ann_, "POST", path + "/messages", R"({"msgId":"same","type":"txt","msg":"two"})");
  EXPECT_EQ(again.body, first.body);
  EXPECT_TRUE(SameSnapshot(before, Snap()));
  // A closed session takes no more messages; an admin closes any.
  ASSERT_TRUE(IsOk(A(boss_, "POST", path + "/close")));
  ExpectRefused(ann_, "POST", path + "/messages", R"({"msgId":"late","type":"txt","msg":"hi"})", 409, "API_202");
  ExpectRefused(ann_, "POST", path + "/close", "", 409, "API_202");
  // The visitor's next message opens a new session, waiting again.
  ASSERT_TRUE(IsOk(VisitorSend(vt, "v-again")));
  EXPECT_EQ(WaitingIds(ann_).size(), 1u);
}

TEST_F(AgentDeskTest, ATransferHandsTheSessionToAnAgentOrBackToAQueue) {
  auto [vt, sid] = Waiting();
  ASSERT_TRUE(IsOk(A(ann_, "POST", "/api/agent/waiting/" + sid + "/accept")));
  const std::string path = "/api/agent/sessions/" + sid + "/transfer";
  // Bob is Online (he logged in); Carol never did: Offline.
  MustAddAgent(acme_.id, token_, "carol@acme.example");
  const std::string carol = UserId("carol@acme.example");
  ExpectRefused(ann_, "POST", path, "{\"agentUserId\":" + S(carol) + "}", 409, "API_202");
  ExpectRefused(ann_, "POST", path, R"({"agentUserId":"no-such-agent"})", 404, "API_104");
  ExpectRefused(ann_, "POST", path, "{\"agentUserId\":" + S(ann_id_) + "}", 409, "API_202");
  ExpectRefused(ann_, "POST", path, R"({"queueId":9})", 404, "API_205");
  for (const std::string& body : {std::string("{}"), "{\"agentUserId\":" + S(bob_id_) + R"(,"queueId":2})",
                                  std::string(R"({"agentUserId":1})"), std::string(R"({"queueId":"2"})")}) {
    ExpectRefused(ann_, "POST", path, body, 400, "API_001");
  }
  ExpectRefused(bob_, "POST", path, "{\"agentUserId\":" + S(bob_id_) + "}", 403, "API_203");

  Response to_bob = A(ann_, "POST", path, "{\"agentUserId\":" + S(bob_id_) + "}");
  ASSERT_TRUE(IsOk(to_bob)) << Describe(to_bob);
  auto item = ParseJson(HistoryItem(sid));
  EXPECT_STREQ(item["state"].GetString(), "Processing");
  EXPECT_EQ(std::string(item["agentUserId"].GetString()), bob_id_);
  EXPECT_STREQ(item["agentUserNiceName"].GetString(), "Bob");
  EXPECT_TRUE(item["transfered"].GetBool());
  ASSERT_EQ(item["agentUserSet"].Size(), 2u);
  EXPECT_EQ(std::string(item["agentUserSet"][0]["userId"].GetString()), ann_id_);
  EXPECT_EQ(std::string(item["agentUserSet"][1]["userId"].GetString()), bob_id_);
  EXPECT_TRUE(ParseJson(A(ann_, "GET", "/api/agent/sessions").body)["entities"].Empty());
  EXPECT_EQ(ParseJson(A(bob_, "GET", "/api/agent/sessions").body)["entities"].Size(), 1u);
  auto thread = ParseJson(http().Request("GET", "/api/visitor/session", {}, {{"Visitor-Token", vt}}).body);
  EXPECT_STREQ(thread["entity"]["session"]["agentNicename"].GetString(), "Bob");

  // Bob sends it back to skill group 2's queue: waiting again, his name kept in the set.
  Response back = A(bob_, "POST", path, R"({"queueId":2})");
  ASSERT_TRUE(IsOk(back)) << Describe(back);
  item = ParseJson(HistoryItem(sid));
  EXPECT_STREQ(item["state"].GetString(), "Wait");
  EXPECT_EQ(item["queueId"].GetInt(), 2);
  EXPECT_TRUE(item["agentUserId"].IsNull());
  EXPECT_TRUE(item["agentUserNiceName"].IsNull());
  EXPECT_EQ(item["agentUserSet"].Size(), 2u);
  EXPECT_TRUE(item["startDateTime"].IsString()) << "it started when first assigned";
  EXPECT_EQ(WaitingIds(bob_), std::vector<std::string>{sid});
  EXPECT_TRUE(WaitingIds(ann_).empty());
  // The visitor ends it now: Terminal, as it had agents.
  ASSERT_TRUE(IsOk(http().Request("POST", "/api/visitor/session/close", {}, {{"Visitor-Token", vt}})));
  EXPECT_STREQ(ParseJson(HistoryItem(sid))["state"].GetString(), "Terminal");
}

TEST_F(AgentDeskTest, AnAdminAssignsMovesAbortsAndClosesOpenSessions) {
  const std::string base = tenant_path_ + "/serviceSessionCurrents/";
  auto refused = [&](const std::string& target, const std::string& body, int status, const char* code) {
    const std::string before = Snap();
    Response r = Call("POST", target, body, token_);
    EXPECT_TRUE(IsError(r, status, code)) << target << " " << body << ": " << Describe(r);
    EXPECT_TRUE(SameSnapshot(before, Snap())) << target;
  };
  auto [vt1, first] = Waiting();
  MustAddAgent(acme_.id, token_, "carol@acme.example");
  refused(base + first + "/assign", "{\"agentUserId\":" + S(UserId("carol@acme.example")) + "}", 409, "API_202");
  refused(base + first + "/assign", R"({"agentUserId":"nobody"})", 404, "API_104");
  refused(base + first + "/assign", "{}", 400, "API_001");
  refused(base + first + "/assign", R"({"queueId":9})", 404, "API_205");
  refused(base + "no-such-session/abort", "", 404, "API_201");
  // The tenant's token assigns it to Bob, who is no member of its skill group: the admin has chosen.
  Response assigned = Call("POST", base + first + "/assign", "{\"agentUserId\":" + S(bob_id_) + "}", token_);
  ASSERT_TRUE(IsOk(assigned)) << Describe(assigned);
  auto item = ParseJson(HistoryItem(first));
  EXPECT_STREQ(item["state"].GetString(), "Processing");
  EXPECT_EQ(std::string(item["agentUserId"].GetString()), bob_id_);
  refused(base + first + "/abort", "", 409, "API_202");
  ASSERT_TRUE(IsOk(Call("POST", base + first + "/close", "", token_)));
  EXPECT_STREQ(ParseJson(HistoryItem(first))["state"].GetString(), "Terminal");
  refused(base + first + "/close", "", 409, "API_202");

  // An admin agent's token moves a waiting session to skill group 2, then aborts it.
  auto [vt2, second] = Waiting();
  Response moved = A(boss_, "POST", base + second + "/assign", R"({"queueId":2})");
  ASSERT_TRUE(IsOk(moved)) << Describe(moved);
  EXPECT_EQ(ParseJson(HistoryItem(second))["queueId"].GetInt(), 2);
  EXPECT_EQ(WaitingIds(bob_), std::vector<std::string>{second});
  ASSERT_TRUE(IsOk(A(boss_, "POST", base + second + "/abort")));
  EXPECT_STREQ(ParseJson(HistoryItem(second))["state"].GetString(), "Abort");
  // A plain agent may not; another tenant's token answers API_003.
  auto [vt3, third] = Waiting();
  EXPECT_TRUE(IsError(A(ann_, "POST", base + third + "/abort"), 401, "API_002"));
  EXPECT_TRUE(IsError(Call("POST", base + third + "/abort", "", DemoToken()), 403, "API_003"));
  EXPECT_TRUE(IsError(Call("POST", "/api/tenants/1/serviceSessionCurrents/" + third + "/abort", "", DemoToken()), 404,
                      "API_201"))
      << "another tenant's session, on its own path: as if it did not exist";
}

TEST_F(AgentDeskTest, AnAgentCallsAVisitorBack) {
  auto [vt, sid] = Waiting();
  const std::string visitor = ParseJson(HistoryItem(sid))["visitorUser"]["userId"].GetString();
  const std::string body = "{\"visitorUserId\":" + S(visitor) + "}";
  ExpectRefused(ann_, "POST", "/api/agent/callbacks", body, 409, "API_202");  // its thread has an open session
  ASSERT_TRUE(IsOk(http().Request("POST", "/api/visitor/session/close", {}, {{"Visitor-Token", vt}})));
  ExpectRefused(ann_, "POST", "/api/agent/callbacks", R"({"visitorUserId":"nobody"})", 404, "API_205");
  ExpectRefused(ann_, "POST", "/api/agent/callbacks", "{}", 400, "API_001");
  Response called = A(ann_, "POST", "/api/agent/callbacks", body);
  ASSERT_TRUE(IsOk(called)) << Describe(called);
  auto item = ParseJson(Compact(ParseJson(called.body)["entity"]));
  EXPECT_STREQ(item["state"].GetString(), "Processing");
  EXPECT_TRUE(item["fromAgentCallback"].GetBool());
  EXPECT_EQ(std::string(item["agentUserId"].GetString()), ann_id_);
  EXPECT_TRUE(item["startDateTime"].IsString());
  EXPECT_EQ(Compact(item), HistoryItem(item["serviceSessionId"].GetString()));
  auto thread = ParseJson(http().Request("GET", "/api/visitor/session", {}, {{"Visitor-Token", vt}}).body);
  EXPECT_STREQ(thread["entity"]["session"]["state"].GetString(), "Processing");
  EXPECT_STREQ(thread["entity"]["session"]["agentNicename"].GetString(), "Ann");
  // The visitor's next message joins it; another tenant's agent finds no such visitor.
  ASSERT_TRUE(IsOk(VisitorSend(vt, "v-back")));
  EXPECT_EQ(ParseJson(A(ann_, "GET", "/api/agent/sessions").body)["entities"][0]["unread"].GetInt(), 1);
  Response demo = http().Request("POST", "/api/agent/login", R"({"username":"32273591@qq.com","password":"qwe12345"})");
  const std::string demo_admin = ParseJson(demo.body)["entity"]["agentToken"].GetString();
  EXPECT_TRUE(IsError(A(demo_admin, "POST", "/api/agent/callbacks", body), 404, "API_205"));
}

}  // namespace
}  // namespace bb
