// The domain services the handlers call, owned by the server.
#pragma once

#include "domain/agent_login_service.h"
#include "domain/agent_desk_service.h"
#include "domain/agent_service.h"
#include "domain/channel_service.h"
#include "domain/conversation_service.h"
#include "domain/health.h"
#include "domain/history_service.h"
#include "domain/options_service.h"
#include "domain/queue_service.h"
#include "domain/roles.h"
#include "domain/tag_service.h"
#include "domain/throttles.h"
#include "domain/token_service.h"
#include "domain/visitor_service.h"
#include "web/file_source.h"

namespace kefu::api {

struct Services {
  domain::TokenService& tokens;
  domain::AgentService& agents;
  domain::RoleService& roles;
  domain::HistoryService& history;
  domain::HealthCheck& health;
  domain::Throttles& throttles;
  domain::AgentLoginService& logins;
  domain::QueueService& queues;
  domain::ChannelService& channels;
  domain::OptionsService& options;
  domain::VisitorService& visitors;
  domain::ConversationService& conversations;
  domain::AgentDeskService& desk;
  domain::TagService& tags;
  // The static files (serve --web-root); null when none are served.
  const web::FileSource* files = nullptr;
};

}  // namespace kefu::api
