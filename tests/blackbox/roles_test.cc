// GET .../roles and the role create command.
#include "harness.h"

namespace bb {
namespace {

const char* kPublishedRoles = R"({
"status": "OK",
"entities": [
{
"role_id": 1,
"role_name": "admin",
"role_description": "管理员",
"role_type": "SYSTEM",
"created_at": null,
"updated_at": null,
"status": "ENABLE"
},
{
"role_id": 2,
"role_name": "agent",
"role_description": "坐席",
"role_type": "SYSTEM",
"created_at": null,
"updated_at": null,
"status": "ENABLE"
},
{
"role_id": 3,
"role_name": "123",
"role_description": null,
"role_type": "CUSTOMIZED",
"created_at": "2018-03-23T16:02:02.000+0800",
"updated_at": "2018-03-23T16:02:02.000+0800",
"status": "ENABLE"
},
{
"role_id": 4,
"role_name": "asd",
"role_description": null,
"role_type": "CUSTOMIZED",
"created_at": "2018-06-10T18:32:37.000+0800",
"updated_at": "2018-06-10T18:32:37.000+0800",
"status": "ENABLE"
}
]
})";

const char* kSystemRoles =
    R"({"status":"OK","entities":[{"role_id":1,"role_name":"admin","role_description":"管理员","role_type":"SYSTEM","created_at":null,"updated_at":null,"status":"ENABLE"},{"role_id":2,"role_name":"agent","role_description":"坐席","role_type":"SYSTEM","created_at":null,"updated_at":null,"status":"ENABLE"}]})";

const std::vector<std::string> kRoleKeys = {"role_id",    "role_name",  "role_description",
                                            "role_type",  "created_at", "updated_at", "status"};

class RolesDemoTest : public DemoTest {};

TEST_F(RolesDemoTest, PublishedExampleExactly) {
  auto r = Get("/api/tenants/1/roles", DemoToken());
  ASSERT_TRUE(IsOk(r));
  // Same members, same order, same values.
  EXPECT_EQ(Compact(ParseJson(r.body)), Compact(ParseJson(kPublishedRoles)));
}

TEST_F(RolesDemoTest, AllPathForms) {
  auto base = Get("/api/tenants/1/roles", DemoToken());
  ASSERT_TRUE(IsOk(base));
  for (const char* t : {"/api/platform/tenants/1/roles", "/api/tenants/1/roles/",
                        "/api/platform/tenants/1/roles/", "/api/tenants/1/roles?x=1"}) {
    auto r = Get(t, DemoToken());
    ASSERT_TRUE(IsOk(r)) << t;
    EXPECT_EQ(Compact(ParseJson(r.body)), Compact(ParseJson(base.body))) << t;
  }
}

TEST_F(RolesDemoTest, Errors) {
  EXPECT_TRUE(IsError(Get("/api/tenants/1/roles", ""), 401, "API_002"));
  EXPECT_TRUE(IsError(Get("/api/tenants/1/roles", "deadbeefdeadbeefdeadbeefdeadbeef"), 401, "API_002"));
  EXPECT_TRUE(IsError(Get("/api/tenants/7/roles", DemoToken()), 403, "API_003"));
  for (const char* m : {"POST", "PUT", "DELETE", "PATCH"}) {
    auto r = Call(m, "/api/tenants/1/roles", "{}", DemoToken());
    EXPECT_TRUE(IsError(r, 405, "API_405")) << m;
    EXPECT_NE(r.Header("Allow").find("GET"), std::string::npos) << Describe(r);
  }
}

TEST_F(RolesDemoTest, CustomRoleAddedWhileRunningAppearsNext) {
  int id = CreateRole(1, "夜班", "night shift");
  EXPECT_GE(id, 5);
  auto d = ParseJson(Get("/api/tenants/1/roles", DemoToken()).body);
  ASSERT_EQ(d["entities"].Size(), 5u) << Compact(d);
  const auto& e = d["entities"][4];
  EXPECT_EQ(Keys(e), kRoleKeys);
  EXPECT_EQ(e["role_id"].GetInt(), id);
  EXPECT_STREQ(e["role_name"].GetString(), "夜班");
  EXPECT_STREQ(e["role_description"].GetString(), "night shift");
  EXPECT_STREQ(e["role_type"].GetString(), "CUSTOMIZED");
  EXPECT_STREQ(e["status"].GetString(), "ENABLE");
  ASSERT_TRUE(e["created_at"].IsString());
  std::string c = e["created_at"].GetString();
  EXPECT_TRUE(MatchesRegex(c, R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0800)")) << c;
  EXPECT_EQ(c, std::string(e["updated_at"].GetString()));
  // In the tenant's zone: the wall-clock part is now in UTC+8.
  std::string wall = c.substr(0, 10) + " " + c.substr(11, 8);
  EXPECT_LE(std::llabs(ParseDateTime(wall) - ParseDateTime(NowInZone(8))), 30) << c;
  // The role can be given to an agent.
  auto r = AddAgent(1, DemoToken(), "night@example.com", id);
  ASSERT_TRUE(IsOk(r));
  auto ent = ParseJson(r.body);
  EXPECT_STREQ(ent["entity"]["roles"].GetString(), "夜班,agent");
  EXPECT_EQ(Compact(ent["entity"]["roleList"]),
            "[{\"role_id\":" + std::to_string(id) + ",\"role_name\":\"夜班\"}]");
}

TEST_F(RolesDemoTest, DemoCustomRolesUsableByAgents) {
  auto r = AddAgent(1, DemoToken(), "r123@example.com", 3);
  ASSERT_TRUE(IsOk(r));
  auto e = ParseJson(r.body);
  EXPECT_STREQ(e["entity"]["roles"].GetString(), "123,agent");
  EXPECT_EQ(Compact(e["entity"]["roleList"]), R"([{"role_id":3,"role_name":"123"}])");
  r = AddAgent(1, DemoToken(), "rasd@example.com", 4);
  ASSERT_TRUE(IsOk(r));
  EXPECT_STREQ(ParseJson(r.body)["entity"]["roles"].GetString(), "asd,agent");
}

class RolesTest : public KefuTest {};

TEST_F(RolesTest, FreshTenantHasOnlySystemRoles) {
  auto t = CreateTenant("fresh");
  StartServer();
  auto r = Get("/api/tenants/" + std::to_string(t.id) + "/roles", IssueToken(t));
  ASSERT_TRUE(IsOk(r));
  EXPECT_EQ(Compact(ParseJson(r.body)), Compact(ParseJson(kSystemRoles)));
}

TEST_F(RolesTest, CustomRolesOrderedByIdUniqueInDeploymentInTenantZone) {
  auto a = CreateTenant("a", 0, "UTC-5");
  auto b = CreateTenant("b", 0, "UTC+8");
  int a1 = CreateRole(a.id, "alpha");
  int b1 = CreateRole(b.id, "beta", "desc b");
  int a2 = CreateRole(a.id, "gamma");
  int b2 = CreateRole(b.id, "alpha");  // same name, other tenant: fine
  std::set<int> ids = {a1, b1, a2, b2};
  EXPECT_EQ(ids.size(), 4u);
  for (int id : ids) EXPECT_GE(id, 3);
  EXPECT_LT(a1, a2);
  StartServer();
  auto ra = ParseJson(Get("/api/tenants/" + std::to_string(a.id) + "/roles", IssueToken(a)).body);
  ASSERT_EQ(ra["entities"].Size(), 4u) << Compact(ra);
  EXPECT_EQ(ra["entities"][0]["role_id"].GetInt(), 1);
  EXPECT_EQ(ra["entities"][1]["role_id"].GetInt(), 2);
  EXPECT_EQ(ra["entities"][2]["role_id"].GetInt(), a1);
  EXPECT_EQ(ra["entities"][3]["role_id"].GetInt(), a2);
  EXPECT_TRUE(ra["entities"][2]["role_description"].IsNull());
  for (int i = 0; i < 4; ++i) EXPECT_EQ(Keys(ra["entities"][i]), kRoleKeys);
  std::string c = ra["entities"][2]["created_at"].GetString();
  EXPECT_TRUE(MatchesRegex(c, R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}-0500)")) << c;
  std::string wall = c.substr(0, 10) + " " + c.substr(11, 8);
  EXPECT_LE(std::llabs(ParseDateTime(wall) - ParseDateTime(NowInZone(-5))), 60) << c;

  auto rb = ParseJson(Get("/api/tenants/" + std::to_string(b.id) + "/roles", IssueToken(b)).body);
  ASSERT_EQ(rb["entities"].Size(), 4u) << Compact(rb);
  EXPECT_EQ(rb["entities"][2]["role_id"].GetInt(), b1);
  EXPECT_STREQ(rb["entities"][2]["role_description"].GetString(), "desc b");
  EXPECT_EQ(rb["entities"][3]["role_id"].GetInt(), b2);
  EXPECT_STREQ(rb["entities"][3]["role_name"].GetString(), "alpha");
  std::string cb = rb["entities"][2]["created_at"].GetString();
  EXPECT_TRUE(MatchesRegex(cb, R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0800)")) << cb;
}

TEST_F(RolesTest, RoleCreateCliErrors) {
  auto a = CreateTenant("a");
  int id = CreateRole(a.id, "dup");
  EXPECT_GE(id, 3);
  std::string before = Snap();
  for (std::vector<std::string> args : std::vector<std::vector<std::string>>{
           {"role", "create", "--tenant", std::to_string(a.id), "--name", "dup"},
           {"role", "create", "--tenant", std::to_string(a.id), "--name", "admin"},
           {"role", "create", "--tenant", std::to_string(a.id), "--name", "agent"},
           {"role", "create", "--tenant", "999", "--name", "x"},
       }) {
    auto r = Cli(args);
    EXPECT_NE(r.exit_code, 0) << Join(args, " ");
    EXPECT_TRUE(r.out.empty()) << r.out;
    std::string err = r.err;
    while (!err.empty() && err.back() == '\n') err.pop_back();
    EXPECT_FALSE(err.empty()) << Join(args, " ");
    EXPECT_EQ(err.find('\n'), std::string::npos) << "more than one stderr line: " << r.err;
  }
  EXPECT_TRUE(SameSnapshot(before, Snap()));
}

}  // namespace
}  // namespace bb
