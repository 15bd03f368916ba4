// The throwaway deployment a stateful fuzz target talks to: a SQLite store in
// a temporary directory (on /dev/shm when there is one, so fsync is cheap),
// the demo tenant seeded small, a second tenant with one agent (for API_003
// and API_105), the real services and router, and valid tokens of both.
//
// The throttles are on (so their code runs and the per-tenant quota adds its
// X-RateLimit-* headers) but generous enough never to refuse: an answer then
// depends on the input and the store, not on how fast the fuzzer went, and
// inputs that reach the token checks keep reaching them.
//
// Not thread-safe; one World per fuzzing process.
#pragma once

#include <memory>
#include <string>

#include "api/router.h"
#include "api/services.h"
#include "domain/agent_login_service.h"
#include "domain/agent_service.h"
#include "domain/health.h"
#include "domain/history_service.h"
#include "domain/agent_desk_service.h"
#include "domain/channel_service.h"
#include "domain/conversation_service.h"
#include "domain/options_service.h"
#include "domain/visitor_service.h"
#include "domain/queue_service.h"
#include "domain/tag_service.h"
#include "domain/roles.h"
#include "domain/throttles.h"
#include "domain/token_service.h"
#include "store/store.h"

namespace kefu::fuzz {

// The second tenant: its id, zone, and the username of its one agent.
inline constexpr int64_t kOtherTenant = 2;
inline constexpr const char* kOtherTenantZone = "UTC-5:30";
inline constexpr const char* kOtherAgentUsername = "other@tenant2.example";

class World {
 public:
  // Creates the directory and the store, seeds both tenants and issues the
  // token; aborts the process (with a message) if any of it fails.
  World();
  // Closes the store and deletes the directory.
  ~World();
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  api::Router& router() { return *router_; }
  api::Services services();
  store::Store& store() { return *store_; }
  // 32 hex digits, valid for years: of tenant 1, and of tenant 2.
  const std::string& token() const { return token_; }
  const std::string& other_token() const { return other_token_; }
  // A Visitor-Token of an anonymous visitor on tenant 1's channel 1.
  const std::string& visitor_token() const { return visitor_token_; }
  // An Agent-Token of tenant 1's published example agent (an admin).
  const std::string& agent_token() const { return agent_token_; }
  // Bytes of the database and its WAL on disk.
  uint64_t DiskBytes() const;

 private:
  std::string dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<domain::RoleService> roles_;
  std::unique_ptr<domain::TokenService> tokens_;
  std::unique_ptr<domain::AgentService> agents_;
  std::unique_ptr<domain::HistoryService> history_;
  std::unique_ptr<domain::HealthCheck> health_;
  std::unique_ptr<domain::Throttles> throttles_;
  std::unique_ptr<domain::AgentLoginService> logins_;
  std::unique_ptr<domain::QueueService> queues_;
  std::unique_ptr<domain::ChannelService> channels_;
  std::unique_ptr<domain::OptionsService> options_;
  std::unique_ptr<domain::VisitorService> visitors_;
  std::unique_ptr<domain::ConversationService> conversations_;
  std::unique_ptr<domain::AgentDeskService> desk_;
  std::unique_ptr<domain::TagService> tags_;
  std::unique_ptr<api::Router> router_;
  std::string token_;
  std::string other_token_;
  std::string visitor_token_;
  std::string agent_token_;
};

// The process's World, made on first use and remade from scratch when its
// database has grown past `max_disk_bytes` (checked every 256 calls;
// KEFU_FUZZ_MAX_DB_MB overrides it), so a long run neither fills the disk nor
// slows down.
World& CurrentWorld(uint64_t max_disk_bytes = 64ull << 20);

// Quiets spdlog unless KEFU_FUZZ_LOG is set (to a spdlog level name).
void QuietLogs();

}  // namespace kefu::fuzz
