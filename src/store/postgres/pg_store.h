// The scale-out backend: PostgreSQL through libpq, for several stateless
// kefud instances over one database. Nothing is cached in the process, so
// every instance sees every write at once.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "common/limits.h"
#include "store/postgres/pg_connection.h"
#include "store/store.h"

namespace kefu::store::postgres {

class PgStore final : public Store {
 public:
  // Connects, migrates the schema, and keeps up to `pool_size` connections.
  // History queries stop after query_timeout (kQueryTimeout).
  static Result<std::unique_ptr<PgStore>> Open(
      const std::string& url, size_t pool_size,
      std::chrono::milliseconds query_timeout = limits::kDefaultQueryTimeout);

  // DatabaseStore
  Status Optimize() override;
  Status Ping() override;
  bool ReadsAreLocal() const override { return false; }

  // TenantStore
  Result<Tenant> CreateTenant(std::optional<TenantId> id, const std::string& name, TimeZone zone,
                              int64_t now) override;
  Result<std::optional<Tenant>> FindTenant(TenantId id) override;
  Result<std::vector<Tenant>> ListTenants() override;

  Status AddCredential(const Credential& credential) override;
  Result<std::optional<Credential>> FindCredential(std::string_view client_id) override;
  Status RevokeCredential(std::string_view client_id, int64_t now) override;
  Status InsertToken(std::string_view token_hash, std::string_view client_id, TenantId tenant_id,
                     int64_t expires_at, int64_t now) override;
  Result<std::optional<TokenGrant>> FindToken(std::string_view token_hash, int64_t now) override;

  // AgentStore
  Result<std::vector<CustomRole>> ListCustomRoles(TenantId tenant) override;
  Result<std::optional<CustomRole>> FindCustomRole(TenantId tenant, int64_t role_id) override;
  Result<CustomRole> CreateCustomRole(TenantId tenant, const CustomRole& role) override;

  Result<AgentPage> SearchAgents(TenantId tenant, const AgentSearch& search) override;
  Result<AgentRoster> ListAgents(TenantId tenant, size_t at_most) override;
  Result<std::optional<Agent>> FindAgentByUsername(std::string_view username) override;
  Status InsertAgent(const Agent& agent) override;
  Status ModifyAgent(TenantId tenant, std::string_view user_id,
                     const std::function<void(Agent&)>& change) override;
  Status DeleteAgent(TenantId tenant, std::string_view user_id) override;
  // (agent tokens: *_agent_tokens.cc)
  Status InsertAgentToken(std::string_view token_hash, TenantId tenant, std::string_view user_id,
                          int64_t expires_at, int64_t now) override;
  Result<std::optional<AgentTokenGrant>> FindAgentToken(std::string_view token_hash, int64_t now) override;
  Status DeleteAgentToken(std::string_view token_hash) override;

  // (skill groups: *_queues.cc)
  Result<std::vector<SkillGroup>> ListQueues(TenantId tenant) override;
  Result<std::optional<SkillGroup>> FindQueue(TenantId tenant, int64_t id) override;
  Result<SkillGroup> CreateQueue(TenantId tenant, std::string_view name) override;
  Status RenameQueue(TenantId tenant, int64_t id, std::string_view name) override;
  Status DeleteQueue(TenantId tenant, int64_t id) override;
  Status SetQueueMembers(TenantId tenant, int64_t id, const std::vector<std::string>& user_ids) override;
  // kNoSuchResource unless the tenant has a skill group `id`, inside the caller's transaction.
  static Status RequireQueue(PgConnection& conn, TenantId tenant, int64_t id);

  // (options: *_options.cc)
  Result<TenantOptions> GetOptions(TenantId tenant) override;
  Result<TenantOptions> UpdateOptions(TenantId tenant, const std::function<void(TenantOptions&)>& change) override;

  // (tags: *_tags.cc)
  Result<std::vector<SummaryTag>> ListSummaryTags(TenantId tenant) override;
  Result<std::vector<EnquiryTag>> ListEnquiryTags(TenantId tenant) override;
  Result<SummaryTag> CreateSummaryTag(TenantId tenant, const SummaryTag& tag) override;
  Status UpdateSummaryTag(TenantId tenant, const SummaryTag& tag) override;
  Status DeleteSummaryTag(TenantId tenant, int64_t id) override;
  Result<EnquiryTag> CreateEnquiryTag(TenantId tenant, std::string_view name) override;
  Status RenameEnquiryTag(TenantId tenant, int64_t id, std::string_view name) override;
  Status DeleteEnquiryTag(TenantId tenant, int64_t id) override;

  // (conversations: *_conversations.cc)
  Status WithThread(const ThreadKey& thread, const SessionRenderer& render, const ThreadWorkFn& work) override;
  Result<std::vector<Message>> ListMessages(int64_t chat_group_id, int64_t after_seq, int64_t before_seq,
                                            int64_t limit, bool newest) override;
  Result<std::optional<LiveSession>> FindOpenSession(int64_t chat_group_id) override;
  Result<std::vector<Message>> ListSessionMessages(int64_t chat_group_id, std::string_view session_id,
                                                   int64_t after_seq, int64_t limit) override;
  Result<int64_t> QueuePosition(const LiveSession& session) override;
  Result<std::optional<LiveSession>> FindSession(TenantId tenant, std::string_view session_id) override;
  Result<std::pair<int64_t, std::vector<LiveItem>>> ListWaiting(TenantId tenant, std::optional<std::string_view> member,
                                                                std::optional<int64_t> queue, int64_t offset,
                                                                int64_t limit) override;
  Result<AgentNameMap> AgentNamesOf(TenantId tenant, const std::vector<std::string>& user_ids) override;
  Result<std::vector<AgentLoad>> AgentLoads(TenantId tenant) override;
  Result<std::vector<LiveItem>> ListProcessing(TenantId tenant, std::string_view agent_user_id) override;
  Result<std::pair<int64_t, std::vector<LiveItem>>> ListOpen(TenantId tenant, const OpenFilter& filter, int64_t offset,
                                                             int64_t limit) override;
  Result<int64_t> CountMessages(int64_t chat_group_id, std::string_view session_id, std::string_view from,
                                int64_t after_seq) override;

  // (visitors: *_visitors.cc)
  Result<Visitor> EnterVisitor(const Visitor& fresh, bool set_nicename, std::string_view token_hash,
                               int64_t expires_at, int64_t now) override;
  Result<std::optional<Visitor>> RenewVisitorToken(std::string_view token_hash, TenantId tenant, int64_t channel_id,
                                                   int64_t expires_at, int64_t now) override;
  Result<std::optional<VisitorGrant>> FindVisitorToken(std::string_view token_hash, int64_t now) override;
  Result<std::optional<Visitor>> FindVisitor(TenantId tenant, std::string_view user_id) override;
  Result<std::vector<Visitor>> FindVisitorsByUsername(TenantId tenant, std::string_view username) override;

  // (channels: *_channels.cc)
  Result<std::vector<ChannelRecord>> ListChannels(TenantId tenant) override;
  Result<std::optional<ChannelRecord>> FindChannel(TenantId tenant, int64_t id) override;
  Result<std::optional<ChannelRecord>> FindChannelByKey(std::string_view channel_key) override;
  Result<ChannelRecord> CreateChannel(TenantId tenant, const ChannelFields& fields, std::string_view channel_key,
                                      std::string_view secret) override;
  Status UpdateChannel(TenantId tenant, int64_t id, const ChannelFields& fields) override;
  Status DeleteChannel(TenantId tenant, int64_t id) override;
  Status SetChannelIdentity(TenantId tenant, int64_t id, std::string_view channel_key,
                            std::string_view secret) override;

  // HistoryStore (sqlite_history.cc, pg_history.cc)
  Status ImportSessions(TenantId tenant, const std::vector<SessionRow>& rows,
                        size_t* failed_row) override;
  Result<HistoryPage> QueryHistory(TenantId tenant, const HistoryFilter& filter) override;
  Result<std::string> ExplainHistory(TenantId tenant, const HistoryFilter& filter) override;
  Status SaveCatalog(TenantId tenant, const SessionCatalog& catalog) override;
  // Stores `rows` as ImportSessions does (replacing sessions of the same
  // serviceSessionId, counters kept), inside the caller's transaction.
  static Status PutHistoryRows(PgConnection& conn, TenantId tenant, const std::vector<SessionRow>& rows,
                               size_t* failed_row);

 private:
  PgStore(const std::string& url, size_t pool_size, std::chrono::milliseconds query_timeout)
      : pool_(url, pool_size), query_timeout_(query_timeout) {}
  // Serializes the agent writes of one tenant across every instance, so the
  // last-enabled-admin rule holds under concurrency.
  static Status LockTenantAgents(PgConnection& conn, TenantId tenant);
  // Every token of the agent, inside the caller's transaction.
  static Status DeleteAgentTokens(PgConnection& conn, std::string_view user_id);
  // The agent out of every skill group, inside the caller's transaction.
  static Status DeleteQueueMemberships(PgConnection& conn, std::string_view user_id);
  static Status RequireAnotherEnabledAdmin(PgConnection& conn, TenantId tenant,
                                           std::string_view user_id);

  PgPool pool_;
  std::chrono::milliseconds query_timeout_;
};

}  // namespace kefu::store::postgres
