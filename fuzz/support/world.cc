#include "support/world.h"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "common/crypto.h"
#include "common/limits.h"
#include "domain/clock.h"
#include "domain/demo_seed.h"
#include "domain/tenant_admin.h"

namespace kefu::fuzz {
namespace {

// Argon2id at libsodium's floor (8 KiB, one pass): the fuzzer adds agents and
// changes passwords thousands of times a minute, and the cost is not under test.
constexpr PasswordHashParams kCheapHash{8, 1};
// Small enough to seed in well under a second, big enough that every filter
// and page of the history query has rows to find.
constexpr int kDemoAgents = 6;
constexpr int64_t kDemoSessions = 300;
constexpr int64_t kTokenTtlSeconds = int64_t{10} * 365 * 86400;

[[noreturn]] void Die(const std::string& what, const Status& s) {
  std::fprintf(stderr, "fuzz world: %s: %s\n", what.c_str(), s.detail().c_str());
  std::abort();
}

std::string TempBase() {
  std::string base = "/dev/shm";
  std::error_code ec;
  if (!std::filesystem::is_directory(base, ec) || access(base.c_str(), W_OK) != 0) {
    const char* tmp = std::getenv("TMPDIR");
    base = tmp && *tmp ? tmp : "/tmp";
  }
  return base;
}

// A process that crashed (an input the fuzzer found, a regression replayed)
// never ran its atexit cleanup: remove the directories of dead processes.
void SweepDeadWorlds(const std::string& base) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(base, ec)) {
    const std::string name = entry.path().filename().string();
    int pid = 0;
    char rest[16];
    if (std::sscanf(name.c_str(), "kefu-fuzz-%d-%15s", &pid, rest) != 2 || pid <= 0) continue;
    if (kill(pid, 0) == 0 || errno != ESRCH) continue;
    std::error_code ignored;
    std::filesystem::remove_all(entry.path(), ignored);
  }
}

std::string MakeTempDir() {
  const std::string base = TempBase();
  SweepDeadWorlds(base);
  std::string pattern = base + "/kefu-fuzz-" + std::to_string(getpid()) + "-XXXXXX";
  if (!mkdtemp(pattern.data())) {
    std::perror("fuzz world: mkdtemp");
    std::abort();
  }
  return pattern;
}

}  // namespace

World::World() : dir_(MakeTempDir()) {
  if (!InitCrypto()) Die("libsodium", Error(Code::kInternal, "cannot initialize"));
  auto opened = store::OpenStore(dir_ + "/fuzz.db");
  if (!opened.ok()) Die("open store", opened.status());
  store_ = std::move(opened).value();

  domain::DemoOptions demo;
  demo.agents = kDemoAgents;
  demo.sessions = kDemoSessions;
  demo.hash = kCheapHash;
  auto seeded = domain::SeedDemo(*store_, demo);
  if (!seeded.ok()) Die("seed demo tenant", seeded.status());

  roles_ = std::make_unique<domain::RoleService>(*store_);
  tokens_ = std::make_unique<domain::TokenService>(*store_, limits::kDefaultTokenTtlSeconds);
  agents_ = std::make_unique<domain::AgentService>(*store_, *roles_, kCheapHash, 1);
  history_ = std::make_unique<domain::HistoryService>(*store_);
  health_ = std::make_unique<domain::HealthCheck>(*store_);
  throttles_ = std::make_unique<domain::Throttles>(domain::ThrottleOptions{1e9, 1e9, 1e12, 1e12});
  logins_ = std::make_unique<domain::AgentLoginService>(*store_, *store_, limits::kDefaultAgentSessionTtlSeconds);
  queues_ = std::make_unique<domain::QueueService>(*store_);
  channels_ = std::make_unique<domain::ChannelService>(*store_);
  options_ = std::make_unique<domain::OptionsService>(*store_);
  visitors_ = std::make_unique<domain::VisitorService>(*store_, *store_, limits::kDefaultVisitorSessionTtlSeconds);
  conversations_ = std::make_unique<domain::ConversationService>(*store_, *store_, *store_, *store_, *store_, *store_);
  desk_ = std::make_unique<domain::AgentDeskService>(*store_, *store_, *store_, *store_, *store_);
  tags_ = std::make_unique<domain::TagService>(*store_);
  router_ = std::make_unique<api::Router>(services());

  // Tenant 2, with a known credential pair and one agent of its own.
  auto zone = ParseTimeZone(kOtherTenantZone);
  auto other = store_->CreateTenant(kOtherTenant, "other", *zone, domain::NowSeconds());
  if (!other.ok()) Die("create tenant 2", other.status());
  domain::TenantAdmin admin(*store_);
  Status cred = admin.AddKnownCredential(kOtherTenant, "fuzz-client-2", "fuzz-secret-2");
  if (!cred.ok()) Die("credential of tenant 2", cred);
  domain::AgentFields f;
  f.nicename = domain::RawField::Text("other");
  f.username = domain::RawField::Text(kOtherAgentUsername);
  f.password = domain::RawField::Text("other12345");
  f.role_id = domain::RawField::Integer(store::kAdminRoleId);
  auto added = agents_->Add(kOtherTenant, f);
  if (!added.ok()) Die("agent of tenant 2", added.status());

  // The fuzzer's token: issued the ordinary way, by a TokenService with a
  // long lifetime so it never expires during a run.
  domain::TokenService long_lived(*store_, kTokenTtlSeconds);
  auto issue = [&](const char* tenant, const char* client_id, const char* secret_id) {
    domain::TokenRequest req{domain::RawField::Text(client_id), domain::RawField::Text(secret_id), {}};
    auto issued = long_lived.Issue(tenant, req);
    if (!issued.ok()) Die(std::string("issue a token of tenant ") + tenant, issued.status());
    return issued->token;
  };
  token_ = issue("1", domain::kDemoClientId, domain::kDemoSecretId);
  other_token_ = issue("2", "fuzz-client-2", "fuzz-secret-2");

  // A visitor of tenant 1, entered the ordinary way on its channel 1 (a
  // visitor's token lasts a month: longer than any run).
  auto channel = store_->FindChannel(1, 1);
  if (!channel.ok() || !*channel) Die("channel 1 of tenant 1", channel.ok() ? Status::Ok() : channel.status());
  domain::VisitorEntry entry{domain::RawField::Text((*channel)->channel_key), {}, {}, {}, {}};
  auto entered = visitors_->Enter("1", entry);
  if (!entered.ok()) Die("a visitor of tenant 1", entered.status());
  visitor_token_ = entered->token;

  // The published example agent, logged in the ordinary way (its token
  // lasts the default 12 hours: longer than any run).
  auto login = logins_->Login(domain::LoginRequest{domain::RawField::Text(domain::kDemoAgentUsername),
                                                   domain::RawField::Text(domain::kDemoAgentPassword), {}});
  if (!login.ok()) Die("log the demo agent in", login.status());
  agent_token_ = login->token;
}

World::~World() {
  router_.reset();
  tags_.reset();
  desk_.reset();
  conversations_.reset();
  visitors_.reset();
  options_.reset();
  channels_.reset();
  queues_.reset();
  logins_.reset();
  throttles_.reset();
  health_.reset();
  history_.reset();
  agents_.reset();
  tokens_.reset();
  roles_.reset();
  store_.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

api::Services World::services() {
  return api::Services{*tokens_, *agents_,  *roles_,    *history_, *health_, *throttles_,
                       *logins_, *queues_, *channels_, *options_, *visitors_, *conversations_, *desk_, *tags_, nullptr};
}

uint64_t World::DiskBytes() const {
  uint64_t total = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
    std::error_code size_ec;
    uint64_t n = entry.file_size(size_ec);
    if (!size_ec) total += n;
  }
  return total;
}

namespace {

std::unique_ptr<World>& Slot() {
  static std::unique_ptr<World> world;
  return world;
}

}  // namespace

// KEFU_FUZZ_MAX_DB_MB overrides the cap (to try the reseeding, say).
uint64_t MaxDiskBytes(uint64_t fallback) {
  const char* mb = std::getenv("KEFU_FUZZ_MAX_DB_MB");
  return mb && *mb ? std::strtoull(mb, nullptr, 10) << 20 : fallback;
}

World& CurrentWorld(uint64_t max_disk_bytes) {
  static bool cleanup_registered = false;
  static unsigned calls = 0;
  auto& world = Slot();
  if (!world) {
    world = std::make_unique<World>();
    if (!cleanup_registered) {
      // libFuzzer leaves through exit() when its time is up: delete the directory.
      std::atexit([] { Slot().reset(); });
      cleanup_registered = true;
    }
  } else if (++calls % 256 == 0 && world->DiskBytes() > MaxDiskBytes(max_disk_bytes)) {
    world.reset();
    world = std::make_unique<World>();
  }
  return *world;
}

void QuietLogs() {
  const char* level = std::getenv("KEFU_FUZZ_LOG");
  spdlog::set_level(level && *level ? spdlog::level::from_str(level) : spdlog::level::off);
}

}  // namespace kefu::fuzz
