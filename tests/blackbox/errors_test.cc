// Routing, protocol-level faults, limits, headers.
#include "harness.h"

namespace bb {
namespace {

class ErrorsTest : public DemoTest {};

TEST_F(ErrorsTest, UnknownPathIs404WithoutTokenCheck) {
  for (const char* t : {"/", "/api", "/api/tenants", "/api/tenants/1", "/api/tenants/1/",
                        "/api/tenants/1/nothing", "/api/tenants/1/agent/xyz",
                        "/api/tenants/1/agents/extra", "/api/tenants/1/roles/1",
                        "/api/tenant/1/agents", "/api/tenant/1/roles", "/api/platform/tenant/1/agents",
                        "/favicon.ico", "/api/tenants/1/agent/password/extra",
                        "/api/platform/tenants/1", "/api/platform/tenants/1/agent/enable/x"}) {
    for (const char* token : {"", "bad"}) {
      auto r = http().Request("GET", t, {}, token[0] ? Headers{{"Kefu-Token", token}} : Headers{});
      EXPECT_TRUE(IsError(r, 404, "API_404")) << t;
    }
    auto r = http().Request("POST", t, "{}");
    EXPECT_TRUE(IsError(r, 404, "API_404")) << "POST " << t;
  }
}

TEST_F(ErrorsTest, KnownPathOtherMethodIs405WithAllow) {
  struct Case {
    std::string method, path;
    std::vector<std::string> allowed;
  };
  std::vector<Case> cases = {
      {"DELETE", "/api/tenants/1/roles", {"GET"}},
      {"POST", "/api/tenants/1/roles", {"GET"}},
      {"POST", "/api/tenants/1/agents", {"GET"}},
      {"PUT", "/api/platform/tenants/1/agents", {"GET"}},
      {"PATCH", "/api/tenants/1/agent", {"POST", "PUT", "DELETE"}},
      {"GET", "/api/tenants/1/agent", {"POST", "PUT", "DELETE"}},
      {"GET", "/api/tenants/1/agent/password", {"PUT"}},
      {"POST", "/api/tenants/1/agent/password", {"PUT"}},
      {"DELETE", "/api/tenants/1/agent/disable", {"PUT"}},
      {"GET", "/api/tenants/1/agent/enable/", {"PUT"}},
      {"GET", "/api/tenants/1/accessToken", {"POST"}},
      {"GET", "/api/tenant/1/accessToken", {"POST"}},
  };
  auto before = Snap();
  for (auto& c : cases) {
    auto r = http().Request(c.method, c.path, c.method == "GET" ? "" : R"({"username":"32273591@qq.com"})",
                            {{"Kefu-Token", DemoToken()}});
    EXPECT_TRUE(IsError(r, 405, "API_405")) << c.method << " " << c.path;
    std::string allow = r.Header("Allow");
    for (auto& m : c.allowed) EXPECT_NE(allow.find(m), std::string::npos) << c.path << " Allow: " << allow;
    EXPECT_EQ(allow.find(c.method), std::string::npos) << c.path << " Allow: " << allow;
  }
  EXPECT_TRUE(SameSnapshot(before, Snap()));
}

TEST_F(ErrorsTest, BodyOverOneMiBRefusedBeforeItIsSent) {
  auto before = Snap();
  std::string head = "POST /api/tenants/1/agent HTTP/1.1\r\nHost: x\r\nKefu-Token: " + DemoToken() +
                     "\r\nContent-Type: application/json\r\nContent-Length: 2000000\r\n\r\n";
  // Only the head is sent: the answer must come without the body.
  auto r = http().Raw(head);
  EXPECT_TRUE(IsError(r, 413, "API_413"));
  http().Close();
  // Just over the limit: 1 MiB + 1.
  std::string head2 = "PUT /api/tenants/1/agent/disable HTTP/1.1\r\nHost: x\r\nKefu-Token: " + DemoToken() +
                      "\r\nContent-Type: application/json\r\nContent-Length: 1048577\r\n\r\n";
  auto r2 = http().Raw(head2);
  EXPECT_TRUE(IsError(r2, 413, "API_413"));
  http().Close();
  // Without a token too (the limit is enforced before anything else).
  std::string head3 = "POST /api/tenants/1/accessToken HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\n\r\n";
  auto r3 = http().Raw(head3);
  EXPECT_TRUE(IsError(r3, 413, "API_413"));
  http().Close();
  EXPECT_TRUE(SameSnapshot(before, Snap()));
}

TEST_F(ErrorsTest, BodyOfExactlyOneMiBIsAccepted) {
  std::string json = R"({"username":"nobody@example.com"})";
  std::string body = json + std::string(1048576 - json.size(), ' ');
  ASSERT_EQ(body.size(), 1048576u);
  auto r = Call("PUT", "/api/tenants/1/agent/disable", body, DemoToken());
  EXPECT_TRUE(IsError(r, 404, "API_104"));
}

TEST_F(ErrorsTest, ChunkedBodyOverLimitIsCutOff) {
  auto before = Snap();
  std::string head = "POST /api/tenants/1/agent HTTP/1.1\r\nHost: x\r\nKefu-Token: " + DemoToken() +
                     "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
  ASSERT_TRUE(http().SendRaw(head));
  std::string chunk(64 * 1024, ' ');
  char size_line[32];
  snprintf(size_line, sizeof size_line, "%zx\r\n", chunk.size());
  std::string framed = std::string(size_line) + chunk + "\r\n";
  for (int i = 0; i < 20; ++i)  // 1.25 MiB
    if (!http().SendRaw(framed)) break;
  http().SendRaw("0\r\n\r\n");
  auto r = http().ReadResponse();
  EXPECT_TRUE(IsError(r, 413, "API_413"));
  http().Close();
  EXPECT_TRUE(SameSnapshot(before, Snap()));
}

TEST_F(ErrorsTest, ChunkedBodyUnderLimitWorks) {
  std::string body = Obj({{"nicename", S("chunky")}, {"username", S("chunk@example.com")},
                          {"password", S("password123")}, {"roleId", "2"}});
  std::string req = "POST /api/tenants/1/agent HTTP/1.1\r\nHost: x\r\nKefu-Token: " + DemoToken() +
                    "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
  size_t half = body.size() / 2;
  char l1[32], l2[32];
  snprintf(l1, sizeof l1, "%zx\r\n", half);
  snprintf(l2, sizeof l2, "%zx\r\n", body.size() - half);
  req += l1 + body.substr(0, half) + "\r\n" + l2 + body.substr(half) + "\r\n0\r\n\r\n";
  auto r = http().Raw(req);
  ASSERT_TRUE(IsOk(r));
  EXPECT_STREQ(ParseJson(r.body)["entity"]["nicename"].GetString(), "chunky");
}

TEST_F(ErrorsTest, OversizedHeadersAre431ThenClose) {
  std::string req = "GET /api/tenants/1/agents HTTP/1.1\r\nHost: x\r\nKefu-Token: " + DemoToken() +
                    "\r\nX-Pad: " + std::string(9000, 'a') + "\r\n\r\n";
  auto r = http().Raw(req);
  EXPECT_TRUE(IsError(r, 431, "API_431"));
  EXPECT_TRUE(!http().connected() || http().PeerClosed()) << "connection should close after 431";
  // Many headers adding up to over 8 KiB.
  std::string req2 = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 200; ++i) req2 += "X-H" + std::to_string(i) + ": " + std::string(50, 'b') + "\r\n";
  req2 += "\r\n";
  HttpConn c(server_.port());
  auto r2 = c.Raw(req2);
  EXPECT_TRUE(IsError(r2, 431, "API_431"));
}

TEST_F(ErrorsTest, LongRequestTargetIs431) {
  auto r = http().Request("GET", "/api/tenants/1/agents?keyValue=" + std::string(9000, 'a'), {},
                          {{"Kefu-Token", DemoToken()}});
  EXPECT_TRUE(IsError(r, 431, "API_431"));
}

TEST_F(ErrorsTest, AmbiguousFramingIsRejectedWithJsonEnvelope) {
  auto before = Snap();
  for (std::string raw : {
           std::string("POST /api/tenants/1/accessToken HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                       "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
           std::string("POST /api/tenants/1/accessToken HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                       "Content-Length: 6\r\n\r\n{}    "),
           std::string("POST /api/tenants/1/accessToken HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"),
       }) {
    HttpConn c(server_.port());
    auto r = c.Raw(raw);
    EXPECT_TRUE(IsError(r, 400, "API_001")) << raw;
    EXPECT_TRUE(!c.connected() || c.PeerClosed()) << "connection should close";
  }
  EXPECT_TRUE(SameSnapshot(before, Snap()));
}

TEST_F(ErrorsTest, HeadersUnderLimitAreFine) {
  auto r = http().Request("GET", "/api/tenants/1/agents",
                          {}, {{"Kefu-Token", DemoToken()}, {"X-Pad", std::string(6000, 'a')}});
  EXPECT_TRUE(IsOk(r));
}

TEST_F(ErrorsTest, NotHttpIs400Api001ThenClose) {
  for (std::string junk : {std::string("this is not http\r\n\r\n"),
                           std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 15),
                           std::string("GET / FTP/1.0\r\n\r\n")}) {
    HttpConn c(server_.port());
    auto r = c.Raw(junk);
    EXPECT_TRUE(IsError(r, 400, "API_001")) << junk;
    auto d = ParseJson(r.body);
    if (d.IsObject() && d.HasMember("errorDetail") && d["errorDetail"].IsString())
      EXPECT_STREQ(d["errorDetail"].GetString(), "malformed HTTP request");
    else
      ADD_FAILURE() << "no errorDetail \"malformed HTTP request\": " << r.body;
    EXPECT_TRUE(!c.connected() || c.PeerClosed()) << "connection should close";
  }
}

TEST_F(ErrorsTest, HeaderNameIsCaseInsensitive) {
  std::string t = DemoToken();
  for (const char* name : {"kefu-token", "KEFU-TOKEN", "Kefu-Token", "kEfU-tOkEn"}) {
    std::string req = "GET /api/tenants/1/roles HTTP/1.1\r\nhost: x\r\n" + std::string(name) + ": " + t +
                      "\r\n\r\n";
    EXPECT_TRUE(IsOk(http().Raw(req))) << name;
  }
}

TEST_F(ErrorsTest, KeepAliveSurvivesApiErrors) {
  std::string t = DemoToken();
  auto& c = http();
  EXPECT_TRUE(IsOk(c.Request("GET", "/api/tenants/1/roles", {}, {{"Kefu-Token", t}})));
  EXPECT_TRUE(IsError(c.Request("GET", "/api/tenants/1/agents?page=-1", {}, {{"Kefu-Token", t}}), "API_111"));
  EXPECT_TRUE(c.connected());
  EXPECT_TRUE(IsError(c.Request("GET", "/nope"), "API_404"));
  EXPECT_TRUE(c.connected());
  EXPECT_TRUE(IsError(c.Request("POST", "/api/tenants/1/agent", "{bad", {{"Kefu-Token", t}}), "API_001"));
  EXPECT_TRUE(c.connected());
  EXPECT_TRUE(IsError(c.Request("GET", "/api/tenants/1/agents"), "API_002"));
  EXPECT_TRUE(c.connected());
  EXPECT_TRUE(IsOk(c.Request("GET", "/api/tenants/1/agents", {}, {{"Kefu-Token", t}})));
  EXPECT_TRUE(c.connected());
}

TEST_F(ErrorsTest, PipelinedRequestsAnsweredInOrder) {
  std::string t = DemoToken();
  std::string req = "GET /api/tenants/1/roles HTTP/1.1\r\nHost: x\r\nKefu-Token: " + t + "\r\n\r\n" +
                    "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n" +
                    "GET /api/tenants/1/agents?size=1 HTTP/1.1\r\nHost: x\r\nKefu-Token: " + t + "\r\n\r\n";
  ASSERT_TRUE(http().SendRaw(req));
  EXPECT_TRUE(IsOk(http().ReadResponse()));
  EXPECT_TRUE(IsError(http().ReadResponse(), "API_404"));
  auto r3 = http().ReadResponse();
  ASSERT_TRUE(IsOk(r3));
  EXPECT_EQ(ParseJson(r3.body)["size"].GetInt(), 1);
}

TEST_F(ErrorsTest, Http10AndConnectionClose) {
  HttpConn c(server_.port());
  auto r = c.Raw("GET /api/tenants/1/roles HTTP/1.0\r\nKefu-Token: " + DemoToken() + "\r\n\r\n");
  EXPECT_TRUE(IsOk(r));
  HttpConn c2(server_.port());
  auto r2 = c2.Request("GET", "/api/tenants/1/roles", {}, {{"Kefu-Token", DemoToken()}, {"Connection", "close"}});
  EXPECT_TRUE(IsOk(r2));
  EXPECT_TRUE(!c2.connected() || c2.PeerClosed());
}

TEST_F(ErrorsTest, ContentTypeOnEveryApiAnswer) {
  std::string t = DemoToken();
  std::vector<Response> rs = {
      http().Request("GET", "/api/tenants/1/roles", {}, {{"Kefu-Token", t}}),
      http().Request("GET", "/api/tenants/1/agents", {}, {{"Kefu-Token", t}}),
      http().Request("POST", "/api/tenants/1/accessToken",
                     Obj({{"clientId", S(kDemoClientId)}, {"secretId", S(kDemoSecretId)}})),
      http().Request("PUT", "/api/tenants/1/agent/enable", R"({"username":"32273591@qq.com"})", {{"Kefu-Token", t}}),
      http().Request("GET", "/nope"),
      http().Request("DELETE", "/api/tenants/1/roles", {}, {{"Kefu-Token", t}}),
      http().Request("GET", "/api/tenants/1/roles"),
  };
  for (auto& r : rs) EXPECT_TRUE(HasJsonContentType(r));
}

TEST_F(ErrorsTest, HealthzIs200) {
  // 200 with exactly {"status":"OK"} (README), on a used and on a new connection.
  auto r = http().Request("GET", "/healthz");
  EXPECT_TRUE(IsBareOk(r)) << Describe(r);
  HttpConn c(server_.port());
  EXPECT_TRUE(IsBareOk(c.Request("GET", "/healthz")));
}

TEST_F(ErrorsTest, QueryStringDoesNotAffectRouting) {
  std::string t = DemoToken();
  EXPECT_TRUE(IsOk(http().Request("GET", "/api/tenants/1/roles?", {}, {{"Kefu-Token", t}})));
  EXPECT_TRUE(IsOk(http().Request("GET", "/api/tenants/1/agents/?", {}, {{"Kefu-Token", t}})));
  EXPECT_TRUE(IsBareOk(http().Request("PUT", "/api/tenants/1/agent/enable?x=y",
                                      R"({"username":"32273591@qq.com"})", {{"Kefu-Token", t}})));
}

}  // namespace
}  // namespace bb
