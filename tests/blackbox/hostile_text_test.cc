// Text that no store may see (docs/decisions.md, "Text"): a query parameter
// or a body string that is not UTF-8 or holds a NUL is API_001 on every
// endpoint and every backend, and changes nothing. On PostgreSQL such bytes
// once reached libpq and answered 503 API_400, the code of a failing
// database, which a client retries. Then fuzz/'s seeds and regressions, sent
// to every endpoint while the database is up, never answer API_400 or 5xx.
#include <dirent.h>

#include <algorithm>

#include "harness.h"

namespace bb {
namespace {

using namespace std::string_literals;

// The paths of every endpoint of the demo tenant, with the methods each takes.
struct Endpoint {
  std::string method, path;
  bool body;  // takes a JSON body
};

const std::vector<Endpoint>& Endpoints() {
  static const std::vector<Endpoint> all = {
      {"GET", "/healthz", false},
      {"POST", "/api/tenants/1/accessToken", true},
      {"GET", "/api/tenants/1/agents", false},
      {"POST", "/api/tenants/1/agent", true},
      {"PUT", "/api/tenants/1/agent", true},
      {"DELETE", "/api/tenants/1/agent", true},
      {"PUT", "/api/tenants/1/agent/password", true},
      {"PUT", "/api/tenants/1/agent/disable", true},
      {"PUT", "/api/tenants/1/agent/enable", true},
      {"GET", "/api/tenants/1/roles", false},
      {"GET", "/api/platform/tenants/1/serviceSessionHistorys", false},
      {"POST", "/api/tenants/1/serviceSessionHistorys/import", true},
      {"GET", "/api/tenants/1/queues", false},
      {"POST", "/api/tenants/1/queues", true},
      {"PUT", "/api/tenants/1/queues/1", true},
      {"PUT", "/api/tenants/1/queues/1/members", true},
      {"GET", "/api/tenants/1/channels", false},
      {"POST", "/api/tenants/1/channels", true},
      {"PUT", "/api/tenants/1/channels/1", true},
      {"POST", "/api/tenants/1/channels/1/secret", false},
      {"GET", "/api/tenants/1/options", false},
      {"PUT", "/api/tenants/1/options", true},
      {"POST", "/api/visitor/tenants/1/visitors", true},
      {"GET", "/api/tenants/1/agents/states", false},
      {"POST", "/api/tenants/1/summaries", true},
      {"PUT", "/api/tenants/1/summaries/100", true},
      {"POST", "/api/tenants/1/enquiryTags", true},
      {"PUT", "/api/tenants/1/enquiryTags/1", true},
      {"POST", "/api/tenants/1/visitors/sessions", true},
      {"POST", "/api/tenants/1/serviceSessionCurrents/x/assign", true},
      {"POST", "/api/tenants/1/serviceSessionCurrents/x/abort", false},
      {"POST", "/api/tenants/1/serviceSessionCurrents/x/close", false},
      // (The agent endpoints get the tenant token here, and answer API_002
      // before any store; the login reads its body.)
      {"POST", "/api/agent/login", true},
      {"POST", "/api/agent/logout", true},
      {"GET", "/api/agent/me", false},
      {"PUT", "/api/agent/me", true},
  };
  return all;
}

// Every file of fuzz/corpus/TARGET and fuzz/regressions/TARGET.
std::vector<std::string> FuzzInputs(const std::string& target) {
  std::vector<std::string> out;
  for (const char* kind : {"corpus", "regressions"}) {
    const std::string dir = std::string(KEFU_FUZZ_DIR) + "/" + kind + "/" + target;
    DIR* d = opendir(dir.c_str());
    if (!d) continue;
    std::vector<std::string> names;
    while (dirent* e = readdir(d)) {
      if (e->d_name[0] != '.') names.push_back(e->d_name);
    }
    closedir(d);
    std::sort(names.begin(), names.end());
    for (const auto& n : names) out.push_back(ReadFile(dir + "/" + n));
  }
  return out;
}

// The query part of a request target ("" without '?').
std::string QueryOf(const std::string& target) {
  auto q = target.find('?');
  return q == std::string::npos ? "" : target.substr(q + 1);
}

// Never the code of a failing database, never a server fault, always JSON.
::testing::AssertionResult NotAStoreFault(const Response& r) {
  if (r.status >= 500) return ::testing::AssertionFailure() << "HTTP " << r.status << ": " << r.body;
  auto doc = ParseJson(r.body);
  if (doc.HasParseError() || !doc.IsObject()) return ::testing::AssertionFailure() << "not JSON: " << r.body;
  if (doc.HasMember("errorCode") && doc["errorCode"] == "API_400") {
    return ::testing::AssertionFailure() << "API_400: " << r.body;
  }
  return ::testing::AssertionSuccess();
}

class HostileTextTest : public KefuTest {
 protected:
  void SetUp() override {
    KefuTest::SetUp();
    // Some history, so that history filters reach the store's rows.
    auto r = Cli({"demo", "--agents", "4", "--sessions", "300"});
    if (r.exit_code != 0) throw std::runtime_error("kefud demo failed: " + r.err);
    StartServer();
    token_ = DemoToken();
  }

  // Expects API_001 naming `detail`, and the store as it was.
  void ExpectRefused(const std::string& method, const std::string& target, const std::string& body,
                     const std::string& detail) {
    const std::string before = Snap();
    Response r = Call(method, target, body, token_);
    EXPECT_TRUE(IsError(r, 400, "API_001")) << method << " " << target;
    auto doc = ParseJson(r.body);
    ASSERT_FALSE(doc.HasParseError()) << r.body;
    ASSERT_TRUE(doc.HasMember("errorDetail")) << r.body;
    EXPECT_EQ(std::string(doc["errorDetail"].GetString()), detail) << method << " " << target;
    EXPECT_TRUE(SameSnapshot(before, Snap())) << method << " " << target;
  }

  std::string token_;
};

TEST_F(HostileTextTest, QueryParameterNotUtf8IsApi001OnEveryBackend) {
  // The issue's request: on PostgreSQL it answered 503 API_400.
  ExpectRefused("GET", "/api/tenants/1/serviceSessionHistorys?customerName=%FF%FE", "",
                "parameter 'customerName' is not UTF-8 text");
  ExpectRefused("GET", "/api/tenants/1/serviceSessionHistorys?techChannelType=a%C0%AF", "",
                "parameter 'techChannelType' is not UTF-8 text");
  ExpectRefused("GET", "/api/tenants/1/serviceSessionHistorys?agentIds=%ED%B0%80", "",
                "parameter 'agentIds' is not UTF-8 text");
  ExpectRefused("GET", "/api/tenants/1/agents?keyValue=%FF", "", "parameter 'keyValue' is not UTF-8 text");
  // Unknown parameters are ignored only when they are text.
  ExpectRefused("GET", "/api/tenants/1/roles?x=%FE", "", "parameter 'x' is not UTF-8 text");
  ExpectRefused("PUT", "/api/tenants/1/agent/disable?x=%80", R"({"username":"32273591@qq.com"})",
                "parameter 'x' is not UTF-8 text");
  // A name that is not text is quoted with U+FFFD in its place.
  ExpectRefused("GET", "/api/tenants/1/roles?a%FFb=1", "", "a parameter name is not UTF-8 text: 'a\xEF\xBF\xBD" "b'");
}

TEST_F(HostileTextTest, QueryParameterWithNulIsApi001OnEveryBackend) {
  ExpectRefused("GET", "/api/tenants/1/serviceSessionHistorys?customerName=ab%00cd", "",
                "parameter 'customerName' holds a NUL character");
  ExpectRefused("GET", "/api/tenants/1/agents?keyValue=%00", "", "parameter 'keyValue' holds a NUL character");
}

TEST_F(HostileTextTest, BodyStringWithNulIsApi001OnEveryBackend) {
  // libpq would have cut "环\0x" to "环" (or failed): now refused on both backends.
  const std::string detail = "body holds a NUL character (\\u0000) in a string";
  ExpectRefused("PUT", "/api/tenants/1/agent",
                R"({"username":"32273591@qq.com","nicename":"环\u0000x"})", detail);
  ExpectRefused("POST", "/api/tenants/1/agent",
                R"({"nicename":"n","username":"nul@x.com","password":"qwe12345\u0000","roleId":2})", detail);
  ExpectRefused("POST", "/api/tenants/1/serviceSessionHistorys/import",
                R"([{"serviceSessionId":"nul\u0000","tenantId":1,"state":"Terminal"}])", detail);
  ExpectRefused("POST", "/api/tenants/1/serviceSessionHistorys/import",
                R"([{"serviceSessionId":"s","tenantId":1,"state":"Terminal","chatMessages":{"a\u0000":1}}])",
                "body holds a NUL character (\\u0000) in a key");
}

// Every seed and regression of the fuzz targets, to every endpoint, while
// the database is up: never a fault of the store's, never a 5xx.
TEST_F(HostileTextTest, FuzzCorporaToEveryEndpointNeverLookLikeAStoreFault) {
  std::vector<std::string> queries = {"customerName=%FF%FE", "keyValue=%FF%FE", "customerName=%00",
                                      "agentIds=%C0%AF&agentUserId=%ED%A0%80", "techChannelType=%F4%90%80%80",
                                      "%FF=%FE", "state=%00", "page=%FF&per_page=%00"};
  for (const auto& target : FuzzInputs("fuzz_query_string")) queries.push_back(QueryOf(target));
  std::vector<std::string> bodies = {R"({"username":"\u0000"})", R"({"keyValue":"\udc00"})",
                                     "{\"username\":\"\xFF\xFE\"}", R"([{"serviceSessionId":"\u0000"}])"};
  for (const char* target : {"fuzz_json_body", "fuzz_import_body"}) {
    for (auto& b : FuzzInputs(target)) bodies.push_back(std::move(b));
  }
  ASSERT_GT(queries.size(), 15u) << "fuzz/corpus not found at " << KEFU_FUZZ_DIR;
  ASSERT_GT(bodies.size(), 25u);

  int sent = 0;
  for (const auto& e : Endpoints()) {
    for (const auto& q : queries) {
      Response r = Call(e.method, e.path + "?" + q, e.body ? "{}" : "", token_);
      EXPECT_TRUE(NotAStoreFault(r)) << e.method << " " << e.path << "?" << q;
      ++sent;
    }
    if (!e.body) continue;
    for (const auto& b : bodies) {
      for (const char* type : {"application/json", "application/x-ndjson"}) {
        Response r = http().Request(e.method, e.path, b, {{"Kefu-Token", token_}, {"Content-Type", type}}, true);
        EXPECT_TRUE(NotAStoreFault(r)) << e.method << " " << e.path << " (" << type << ") body: " << b;
        ++sent;
      }
    }
  }
  // Whole requests as the HTTP target has them, with a real token.
  for (std::string raw : FuzzInputs("fuzz_http_request")) {
    for (size_t at = raw.find("TOKEN"); at != std::string::npos; at = raw.find("TOKEN", at)) {
      raw.replace(at, 5, token_);
    }
    HttpConn conn(server_.port());
    Response r = conn.Raw(raw);
    if (r.status == 100) r = conn.ReadResponse();  // Expect: 100-continue
    if (r.status != 0) {
      EXPECT_TRUE(NotAStoreFault(r)) << "raw request: " << raw.substr(0, 200);
    }
    ++sent;
  }
  EXPECT_TRUE(IsBareOk(Get("/healthz", ""))) << "the database is up throughout";
  std::cerr << "[hostile text] " << sent << " requests on " << (OnPostgres() ? "PostgreSQL" : "SQLite") << "\n";
}

}  // namespace
}  // namespace bb
