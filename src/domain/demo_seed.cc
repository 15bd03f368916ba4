#include "domain/demo_seed.h"

#include <fmt/format.h>

#include <array>

#include "domain/clock.h"
#include "domain/demo_random.h"
#include "domain/demo_sessions.h"
#include "domain/tenant_admin.h"

namespace kefu::domain {
namespace {

constexpr store::TenantId kDemoTenant = 1;
constexpr TimeZone kDemoZone{8 * 3600};

constexpr std::array kSurnames = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
                                  "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗"};
constexpr std::array kGivenNames = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋",
                                    "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "华", "慧"};
constexpr std::array kNicknames = {"小环", "客服小美", "阿杰", "Lily", "Kevin", "小雨",
                                   "Mia", "老王", "Annie", "小天"};

int64_t Local(const char* text) { return *ParseLocalDateTime(text, kDemoZone); }

int64_t OffsetMillis(const char* text) { return *ParseIso8601(text); }

store::Agent GeneratedAgent(int i, const std::string& password_hash, DemoRandom& rng) {
  store::Agent a;
  a.user_id = rng.Uuid();
  a.tenant_id = kDemoTenant;
  a.username = fmt::format("agent{:04}@demo.kefu.local", i);
  a.true_name = std::string(kSurnames[rng.Below(kSurnames.size())]) +
                kGivenNames[rng.Below(kGivenNames.size())];
  a.nicename = fmt::format("{}{}", kNicknames[rng.Below(kNicknames.size())], i);
  a.password_hash = password_hash;
  a.mobile_phone = fmt::format("13{}{:08}", 5 + rng.Below(5), rng.Below(100000000));
  a.agent_number = fmt::format("{}", 10000 + i);
  // The first generated agent is a second enabled admin, so the published
  // Disable and Delete examples succeed on the demo tenant.
  a.role_id = i == 1 ? 1 : i % 7 == 0 ? 3 : i % 11 == 0 ? 4 : i % 5 == 0 ? 1 : 2;
  a.max_service_sessions = static_cast<int>(5 + rng.Below(16));
  a.enabled = i == 1 || i % 13 != 0;
  a.created_at = Local("2018-06-11 09:00:00") + int64_t{i} * 2237;
  a.updated_at = a.created_at + static_cast<int64_t>(rng.Below(86400));
  return a;
}

}  // namespace

Result<DemoReport> SeedDemo(store::Store& store, const DemoOptions& options) {
  auto existing = store.FindTenant(kDemoTenant);
  if (!existing.ok()) return existing.status();
  if (*existing) return DemoReport{false, 0};

  auto tenant = store.CreateTenant(kDemoTenant, "demo", kDemoZone, NowSeconds());
  if (!tenant.ok()) return tenant.status();
  TenantAdmin admin(store);
  KEFU_RETURN_IF_ERROR(admin.AddKnownCredential(kDemoTenant, kDemoClientId, kDemoSecretId));

  // The published roles example.
  for (auto [id, name, at] : {std::tuple{3, "123", "2018-03-23T16:02:02.000+08:00"},
                              std::tuple{4, "asd", "2018-06-10T18:32:37.000+08:00"}}) {
    store::CustomRole role;
    role.id = id;
    role.name = name;
    role.created_at_millis = role.updated_at_millis = OffsetMillis(at);
    auto made = store.CreateCustomRole(kDemoTenant, role);
    if (!made.ok()) return made.status();
  }

  DemoReport report{true, 0};
  // The published agent example.
  auto hash = HashPassword(kDemoAgentPassword, options.hash);
  if (!hash) return Error(Code::kInternal, "password hashing failed");
  store::Agent published;
  published.user_id = "43efaf15-ef51-4a3c-a961-560ca59b7c29";
  published.tenant_id = kDemoTenant;
  published.username = kDemoAgentUsername;
  published.nicename = "123";
  published.password_hash = *hash;
  published.role_id = 1;
  published.max_service_sessions = 10;
  published.created_at = Local("2018-06-10 14:19:41");
  published.updated_at = Local("2018-06-10 16:44:47");
  KEFU_RETURN_IF_ERROR(store.InsertAgent(published));
  ++report.agents;
  // The published agent never holds a session in Processing, so the
  // published Delete example succeeds.
  std::vector<DemoAgentRef> refs = {
      {published.user_id, published.username, published.nicename, published.true_name, false}};

  // Generated agents share one hash of the demo password: hashing each would
  // cost seconds for no benefit on demo data.
  auto shared = HashPassword(kDemoGeneratedPassword, options.hash);
  if (!shared) return Error(Code::kInternal, "password hashing failed");
  DemoRandom rng(20180610);
  for (int i = 1; i <= options.agents; ++i) {
    store::Agent agent = GeneratedAgent(i, *shared, rng);
    KEFU_RETURN_IF_ERROR(store.InsertAgent(agent));
    refs.push_back({agent.user_id, agent.username, agent.nicename, agent.true_name, true});
    ++report.agents;
  }

  DemoSessionOptions sessions;
  sessions.count = options.sessions;
  sessions.progress = options.session_progress;
  KEFU_RETURN_IF_ERROR(GenerateDemoSessions(store, kDemoTenant, kDemoZone, refs, sessions));
  report.sessions = options.sessions;

  // Live: visitors enter through channel 1; the generated agents serve the
  // first two skill groups (the published agent serves none, so that no
  // session is ever routed to it and the published Delete example works).
  KEFU_RETURN_IF_ERROR(store.SetChannelIdentity(kDemoTenant, 1, kDemoChannelKey, kDemoChannelSecret));
  std::vector<std::string> members;
  for (size_t i = 1; i < refs.size(); ++i) members.push_back(refs[i].user_id);
  for (int64_t queue : {kDemoPreSalesQueue, kDemoAfterSalesQueue}) {
    KEFU_RETURN_IF_ERROR(store.SetQueueMembers(kDemoTenant, queue, members));
  }
  return report;
}

}  // namespace kefu::domain
