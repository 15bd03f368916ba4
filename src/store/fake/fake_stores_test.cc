// The fakes answer as a real backend does: each scenario runs against the
// in-memory fakes and against SQLite, with the same expectations.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <limits>
#include <memory>

#include "store/fake/fake_agent_store.h"
#include "store/fake/fake_channel_store.h"
#include "store/fake/fake_conversation_store.h"
#include "store/fake/fake_history_store.h"
#include "store/fake/fake_options_store.h"
#include "store/fake/fake_queue_store.h"
#include "store/fake/fake_tag_store.h"
#include "store/fake/fake_tenant_store.h"
#include "store/fake/fake_visitor_store.h"
#include "store/sqlite/sqlite_store.h"

namespace kefu::store {
namespace {

class StoreContractTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "sqlite") {
      char dir_template[] = "/tmp/kefu-contract-XXXXXX";
      ASSERT_NE(mkdtemp(dir_template), nullptr);
      dir_ = dir_template;
      auto opened = sqlite::SqliteStore::Open(dir_ + "/kefu.db");
      ASSERT_TRUE(opened.ok()) << opened.status().detail();
      sqlite_ = std::move(opened).value();
      tenant_store_ = sqlite_.get();
      agent_store_ = sqlite_.get();
      history_store_ = sqlite_.get();
      queue_store_ = sqlite_.get();
      channel_store_ = sqlite_.get();
      options_store_ = sqlite_.get();
      visitor_store_ = sqlite_.get();
      conversation_store_ = sqlite_.get();
      tag_store_ = sqlite_.get();
    } else {
      fake_tenants_ = std::make_unique<fake::FakeTenantStore>();
      fake_history_ = std::make_unique<fake::FakeHistoryStore>();
      fake_agents_ = std::make_unique<fake::FakeAgentStore>(*fake_tenants_, fake_history_.get());
      tenant_store_ = fake_tenants_.get();
      agent_store_ = fake_agents_.get();
      history_store_ = fake_history_.get();
      fake_queues_ = std::make_unique<fake::FakeQueueStore>(*fake_agents_);
      queue_store_ = fake_queues_.get();
      fake_channels_ = std::make_unique<fake::FakeChannelStore>(*fake_queues_);
      channel_store_ = fake_channels_.get();
      fake_options_ = std::make_unique<fake::FakeOptionsStore>(*fake_queues_);
      options_store_ = fake_options_.get();
      fake_visitors_ = std::make_unique<fake::FakeVisitorStore>(*fake_tenants_);
      visitor_store_ = fake_visitors_.get();
      fake_conversations_ = std::make_unique<fake::FakeConversationStore>(*fake_visitors_, *fake_agents_, *fake_queues_);
      conversation_store_ = fake_conversations_.get();
      fake_tags_ = std::make_unique<fake::FakeTagStore>();
      tag_store_ = fake_tags_.get();
    }
    ASSERT_TRUE(tenant_store_->CreateTenant(1, "one", TimeZone{0}, 0).ok());
    ASSERT_TRUE(tenant_store_->CreateTenant(2, "two", TimeZone{0}, 0).ok());
  }
  void TearDown() override {
    sqlite_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  Agent NewAgent(TenantId tenant, const std::string& username, int64_t created_at,
                 int64_t role_id = kAgentRoleId) {
    Agent a;
    a.user_id = "u-" + username;
    a.tenant_id = tenant;
    a.username = username;
    a.role_id = role_id;
    a.created_at = a.updated_at = created_at;
    return a;
  }

  int64_t Version(TenantId tenant) { return agent_store_->ListAgents(tenant, 100)->agents_version; }

  // Whether the token digest grants anything at `now`.
  bool HasToken(const char* token_hash, int64_t now) {
    auto grant = agent_store_->FindAgentToken(token_hash, now);
    EXPECT_TRUE(grant.ok()) << grant.status().detail();
    return grant.ok() && grant->has_value();
  }

  std::vector<std::string> Sessions(const HistoryFilter& f) {
    auto page = history_store_->QueryHistory(1, f);
    EXPECT_TRUE(page.ok()) << page.status().detail();
    std::vector<std::string> out;
    if (page.ok()) out = page->values;
    return out;
  }

  TenantStore* tenant_store_ = nullptr;
  AgentStore* agent_store_ = nullptr;
  HistoryStore* history_store_ = nullptr;
  QueueStore* queue_store_ = nullptr;
  ChannelStore* channel_store_ = nullptr;
  OptionsStore* options_store_ = nullptr;
  VisitorStore* visitor_store_ = nullptr;
  ConversationStore* conversation_store_ = nullptr;
  TagStore* tag_store_ = nullptr;

 private:
  std::string dir_;
  std::unique_ptr<sqlite::SqliteStore> sqlite_;
  std::unique_ptr<fake::FakeTenantStore> fake_tenants_;
  std::unique_ptr<fake::FakeHistoryStore> fake_history_;
  std::unique_ptr<fake::FakeAgentStore> fake_agents_;
  std::unique_ptr<fake::FakeQueueStore> fake_queues_;
  std::unique_ptr<fake::FakeChannelStore> fake_channels_;
  std::unique_ptr<fake::FakeOptionsStore> fake_options_;
  std::unique_ptr<fake::FakeVisitorStore> fake_visitors_;
  std::unique_ptr<fake::FakeConversationStore> fake_conversations_;
  std::unique_ptr<fake::FakeTagStore> fake_tags_;
};

TEST_P(StoreContractTest, Tenants) {
  auto next = tenant_store_->CreateTenant(std::nullopt, "three", TimeZone{3600}, 5);
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->id, 3);
  EXPECT_EQ(tenant_store_->CreateTenant(2, "again", TimeZone{0}, 0).status().code(), Code::kInvalidParam);
  EXPECT_EQ(tenant_store_->ListTenants()->size(), 3u);
  EXPECT_FALSE(tenant_store_->FindTenant(4).value());
}

TEST_P(StoreContractTest, CredentialsAndTokens) {
  EXPECT_EQ(tenant_store_->AddCredential({"c9", 9, "h", 0, false}).code(), Code::kInvalidParam);
  ASSERT_TRUE(tenant_store_->AddCredential({"c1", 1, "h", 0, false}).ok());
  EXPECT_EQ(tenant_store_->AddCredential({"c1", 1, "h", 0, false}).code(), Code::kInvalidParam);
  ASSERT_TRUE(tenant_store_->InsertToken("t1", "c1", 1, 100, 0).ok());
  EXPECT_TRUE(tenant_store_->FindToken("t1", 99).value());
  EXPECT_FALSE(tenant_store_->FindToken("t1", 100).value());  // expired at expires_at
  EXPECT_EQ(tenant_store_->InsertToken("t2", "nobody", 1, 100, 0).code(), Code::kBadCredential);
  EXPECT_EQ(tenant_store_->RevokeCredential("nobody", 0).code(), Code::kInvalidParam);
  ASSERT_TRUE(tenant_store_->RevokeCredential("c1", 50).ok());
  EXPECT_TRUE(tenant_store_->RevokeCredential("c1", 60).ok());
  EXPECT_FALSE(tenant_store_->FindToken("t1", 0).value());
  EXPECT_TRUE(tenant_store_->FindCredential("c1").value()->revoked);
  EXPECT_EQ(tenant_store_->InsertToken("t3", "c1", 1, 100, 0).code(), Code::kBadCredential);
}

TEST_P(StoreContractTest, UsernamesAreUniqueWithoutCaseAcrossTenants) {
  ASSERT_TRUE(agent_store_->InsertAgent(NewAgent(1, "Ann@x.com", 0)).ok());
  Agent again = NewAgent(2, "aNN@X.COM", 0);
  again.user_id = "other";
  EXPECT_EQ(agent_store_->InsertAgent(again).code(), Code::kUsernameTaken);
  auto found = agent_store_->FindAgentByUsername("ANN@x.com");
  ASSERT_TRUE(found.ok() && *found);
  EXPECT_EQ((*found)->tenant_id, 1);
  EXPECT_EQ((*found)->username, "Ann@x.com");
}

TEST_P(StoreContractTest, SearchOrderPagingAndScope) {
  for (auto [name, at] : {std::pair{"b@x.com", 1}, std::pair{"C@x.com", 0}, std::pair{"a@x.com", 1}}) {
    ASSERT_TRUE(agent_store_->InsertAgent(NewAgent(1, name, at)).ok());
  }
  ASSERT_TRUE(agent_store_->InsertAgent(NewAgent(2, "z@x.com", 0)).ok());
  auto page = agent_store_->SearchAgents(1, AgentSearch{"", 1, 5});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 3);
  ASSERT_EQ(page->agents.size(), 2u);
  EXPECT_EQ(page->agents[0].username, "a@x.com");
  EXPECT_EQ(page->agents[1].username, "b@x.com");
  auto keyed = agent_store_->SearchAgents(1, AgentSearch{"c@", 0, 5});
  ASSERT_TRUE(keyed.ok());
  EXPECT_EQ(keyed->total, 1);
  EXPECT_EQ(agent_store_->SearchAgents(1, AgentSearch{"x\x1f", 0, 5})->total, 0);
  auto roster = agent_store_->ListAgents(1, 2);
  ASSERT_TRUE(roster.ok());
  EXPECT_TRUE(roster->too_large);
  EXPECT_TRUE(roster->agents.empty());
  EXPECT_EQ(agent_store_->ListAgents(9, 2).status().code(), Code::kWrongTenant);
}

TEST_P(StoreContractTest, ChangesMoveTheVersionAndKeepAnAdmin) {
  const int64_t v0 = Version(1);
  ASSERT_TRUE(agent_store_->InsertAgent(NewAgent(1, "boss@x.com", 0, kAdminRoleId)).ok());
  EXPECT_GT(Version(1), v0);
  const int64_t v1 = Version(1);
  EXPECT_EQ(agent_store_->ModifyAgent(1, "u-boss@x.com", [](Agent& a) { a.enabled = false; }).code(),
            Code::kLastAdmin);
  EXPECT_EQ(Version(1), v1);
  EXPECT_EQ(agent_store_->ModifyAgent(2, "u-boss@x.com", [](Agent& a) {}).code(), Code::kNoSuchAgent);
  EXPECT_EQ(agent_store_->DeleteAgent(1, "u-boss@x.com").code(), Code::kLastAdmin);
  ASSERT_TRUE(agent_store_->InsertAgent(NewAgent(1, "deputy@x.com", 0, kAdminRoleId)).ok());
  ASSERT_TRUE(agent_store_->ModifyAgent(1, "u-boss@x.com", [](Agent& a) { a.nicename = "B"; }).ok());
  EXPECT_EQ(agent_store_->FindAgentByUsername("boss@x.com").value()->nicename, "B");
  ASSERT_TRUE(agent_store_->DeleteAgent(1, "u-boss@x.com").ok());
  EXPECT_EQ(agent_store_->DeleteAgent(1, "u-boss@x.com").code(), Code::kNoSuchAgent);
  EXPECT_EQ(Version(2), 0);
}

TEST_P(StoreContractTest, CustomRolesAreTheTenantsOwn) {
  CustomRole role;
  role.name = "lead";
  auto one = agent_store_->CreateCustomRole(1, role);
  auto two = agent_store_->CreateCustomRole(2, role);
  ASSERT_TRUE(one.ok() && two.ok());
  EXPECT_GE(one->id, kFirstCustomRoleId);
  EXPECT_NE(one->id, two->id);
  EXPECT_EQ(agent_store_->CreateCustomRole(1, role).status().code(), Code::kInvalidParam);
  EXPECT_FALSE(agent_store_->FindCustomRole(1, two->id).value());
  EXPECT_EQ(agent_store_->ListCustomRoles(1)->size(), 1u);
  ASSERT_TRUE(agent_store_->InsertAgent(NewAgent(1, "a@x.com", 0, one->id)).ok());
  EXPECT_EQ(agent_store_->FindAgentByUsername("a@x.com").value()->custom_role_name, "lead");
}

SessionRow Row(const std::string& id, std::optional<int64_t> stopped, std::vector<std::string> agents = {},
               SessionState state = SessionState::kTerminal) {
  SessionRow r;
  r.session_id = id;
  r.state = state;
  r.stopped_at = stopped;
  r.agent_ids = std::move(agents);
  r.values = id;
  return r;
}

TEST_P(StoreContractTest, HistorySortsNullsLastAndTiesBySessionId) {
  ASSERT_TRUE(history_store_->ImportSessions(
      1, {Row("d", std::nullopt), Row("c", 20), Row("b", 10), Row("a", 20), Row("e", 5)}, nullptr).ok());
  HistoryFilter f;
  f.states = {SessionState::kTerminal};
  EXPECT_EQ(Sessions(f), (std::vector<std::string>{"a", "c", "b", "e", "d"}));
  f.ascending = true;
  EXPECT_EQ(Sessions(f), (std::vector<std::string>{"e", "b", "a", "c", "d"}));
  f.offset = 3;
  f.limit = 1;
  EXPECT_EQ(Sessions(f), (std::vector<std::string>{"c"}));
  f.offset = 10;
  auto past = history_store_->QueryHistory(1, f);
  ASSERT_TRUE(past.ok());
  EXPECT_EQ(past->total, 5);
  EXPECT_TRUE(past->values.empty());
  f = HistoryFilter{};
  f.states = {SessionState::kTerminal};
  f.stopped = SecondsRange{10, 20};
  EXPECT_EQ(Sessions(f), (std::vector<std::string>{"a", "c", "b"}));
}

TEST_P(StoreContractTest, HistoryAgentFiltersAndTenants) {
  ASSERT_TRUE(history_store_->ImportSessions(
      1, {Row("ac", 1, {"A", "C"}), Row("bc", 2, {"B", "C"}), Row("c", 3, {"C"})}, nullptr).ok());
  HistoryFilter f;
  f.states = {SessionState::kTerminal};
  f.agent_ids = {"A", "B"};
  f.agent_user_ids = {"C"};
  EXPECT_EQ(Sessions(f), (std::vector<std::string>{"bc", "ac"}));
  size_t failed = 99;
  EXPECT_EQ(history_store_->ImportSessions(2, {Row("new", 1), Row("c", 1)}, &failed).code(),
            Code::kInvalidParam);
  EXPECT_EQ(failed, 1u);
  f = HistoryFilter{};
  f.states = {SessionState::kTerminal};
  EXPECT_EQ(history_store_->QueryHistory(2, f)->total, 0);
}

TEST_P(StoreContractTest, AnAgentServingAProcessingSessionStays) {
  ASSERT_TRUE(agent_store_->InsertAgent(NewAgent(1, "a@x.com", 0)).ok());
  ASSERT_TRUE(history_store_->ImportSessions(
      1, {Row("s", std::nullopt, {"u-a@x.com"}, SessionState::kProcessing)}, nullptr).ok());
  EXPECT_EQ(agent_store_->DeleteAgent(1, "u-a@x.com").code(), Code::kAgentBusy);
  ASSERT_TRUE(history_store_->ImportSessions(1, {Row("s", 1, {"u-a@x.com"})}, nullptr).ok());
  EXPECT_TRUE(agent_store_->DeleteAgent(1, "u-a@x.com").ok());
}

TEST_P(StoreContractTest, AgentTokensDieWithTheirAgentsPasswordEnablingOrLife) {
  ASSERT_TRUE(agent_store_->InsertAgent(NewAgent(1, "ann", 1)).ok());
  ASSERT_TRUE(agent_store_->InsertAgentToken("t1", 1, "u-ann", 100, 10).ok());
  auto grant = agent_store_->FindAgentToken("t1", 99);
  ASSERT_TRUE(grant.ok() && *grant);
  EXPECT_EQ((*grant)->user_id, "u-ann");
  EXPECT_EQ((*grant)->username, "ann");
  EXPECT_EQ((*grant)->role_id, kAgentRoleId);
  EXPECT_FALSE(HasToken("t1", 100)) << "expired";
  EXPECT_EQ(agent_store_->InsertAgentToken("t2", 1, "u-nobody", 100, 10).code(), Code::kNoSuchAgent);
  EXPECT_EQ(agent_store_->InsertAgentToken("t2", 2, "u-ann", 100, 10).code(), Code::kNoSuchAgent) << "another tenant";
  // A password change ends it; a rename does not.
  ASSERT_TRUE(agent_store_->InsertAgentToken("t3", 1, "u-ann", 100, 10).ok());
  ASSERT_TRUE(agent_store_->ModifyAgent(1, "u-ann", [](Agent& a) { a.nicename = "Ann"; }).ok());
  EXPECT_TRUE(HasToken("t3", 50));
  ASSERT_TRUE(agent_store_->ModifyAgent(1, "u-ann", [](Agent& a) { a.password_hash = "new"; }).ok());
  EXPECT_FALSE(HasToken("t3", 50));
  // Disabling ends it, and a disabled agent gets none.
  ASSERT_TRUE(agent_store_->InsertAgentToken("t4", 1, "u-ann", 100, 10).ok());
  ASSERT_TRUE(agent_store_->ModifyAgent(1, "u-ann", [](Agent& a) { a.enabled = false; }).ok());
  EXPECT_FALSE(HasToken("t4", 50));
  EXPECT_EQ(agent_store_->InsertAgentToken("t5", 1, "u-ann", 100, 10).code(), Code::kNoSuchAgent);
  ASSERT_TRUE(agent_store_->ModifyAgent(1, "u-ann", [](Agent& a) { a.enabled = true; }).ok());
  // Logout and delete.
  ASSERT_TRUE(agent_store_->InsertAgentToken("t6", 1, "u-ann", 100, 10).ok());
  ASSERT_TRUE(agent_store_->InsertAgentToken("t7", 1, "u-ann", 100, 10).ok());
  ASSERT_TRUE(agent_store_->DeleteAgentToken("t6").ok());
  ASSERT_TRUE(agent_store_->DeleteAgentToken("t6").ok()) << "twice is no error";
  EXPECT_FALSE(HasToken("t6", 50));
  EXPECT_TRUE(HasToken("t7", 50));
  ASSERT_TRUE(agent_store_->DeleteAgent(1, "u-ann").ok());
  EXPECT_FALSE(HasToken("t7", 50));
}

TEST_P(StoreContractTest, SkillGroupsAreTheTenantsOwnWithItsAgentsAsMembers) {
  ASSERT_TRUE(agent_store_->InsertAgent(NewAgent(1, "ann", 1)).ok());
  ASSERT_TRUE(agent_store_->InsertAgent(NewAgent(1, "bob", 2)).ok());
  ASSERT_TRUE(agent_store_->InsertAgent(NewAgent(2, "eve", 3)).ok());
  auto pre = queue_store_->CreateQueue(1, "售前");
  auto post = queue_store_->CreateQueue(1, "售后");
  auto other = queue_store_->CreateQueue(2, "售前");  // another tenant may use the name
  ASSERT_TRUE(pre.ok() && post.ok() && other.ok());
  EXPECT_EQ(pre->id, 1);
  EXPECT_EQ(post->id, 2);
  EXPECT_EQ(other->id, 1) << "ids count within the tenant";
  EXPECT_EQ(queue_store_->CreateQueue(1, "售前").status().code(), Code::kInvalidParam);
  EXPECT_EQ(queue_store_->RenameQueue(1, 2, "售前").code(), Code::kInvalidParam);
  ASSERT_TRUE(queue_store_->RenameQueue(1, 2, "after-sales").ok());
  ASSERT_TRUE(queue_store_->RenameQueue(1, 2, "after-sales").ok()) << "its own name again";
  EXPECT_EQ(queue_store_->RenameQueue(1, 9, "x").code(), Code::kNoSuchResource);

  ASSERT_TRUE(queue_store_->SetQueueMembers(1, 1, {"u-bob", "u-ann", "u-bob"}).ok());
  // All or nothing: another tenant's agent, or no agent, changes nothing.
  EXPECT_EQ(queue_store_->SetQueueMembers(1, 1, {"u-ann", "u-eve"}).code(), Code::kNoSuchAgent);
  EXPECT_EQ(queue_store_->SetQueueMembers(1, 1, {"u-nobody"}).code(), Code::kNoSuchAgent);
  EXPECT_EQ(queue_store_->SetQueueMembers(2, 2, {}).code(), Code::kNoSuchResource);
  auto found = queue_store_->FindQueue(1, 1);
  ASSERT_TRUE(found.ok() && *found);
  EXPECT_EQ((*found)->member_ids, (std::vector<std::string>{"u-ann", "u-bob"}));
  EXPECT_FALSE(queue_store_->FindQueue(2, 2).value()) << "another tenant's id";

  // A deleted agent is in no skill group.
  ASSERT_TRUE(agent_store_->DeleteAgent(1, "u-bob").ok());
  auto list = queue_store_->ListQueues(1);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].name, "售前");
  EXPECT_EQ((*list)[0].member_ids, (std::vector<std::string>{"u-ann"}));
  EXPECT_EQ((*list)[1].name, "after-sales");
  EXPECT_TRUE((*list)[1].member_ids.empty());

  EXPECT_EQ(queue_store_->DeleteQueue(2, 2).code(), Code::kNoSuchResource);
  ASSERT_TRUE(queue_store_->DeleteQueue(1, 1).ok());
  EXPECT_EQ(queue_store_->DeleteQueue(1, 1).code(), Code::kNoSuchResource);
  EXPECT_EQ(queue_store_->ListQueues(1)->size(), 1u);
  EXPECT_EQ(queue_store_->ListQueues(2)->size(), 1u);
}

TEST_P(StoreContractTest, ChannelsAreTheTenantsOwnAndTheirKeysUnique) {
  ASSERT_TRUE(queue_store_->CreateQueue(1, "售前").ok());
  ASSERT_TRUE(queue_store_->CreateQueue(2, "other").ok());
  const ChannelFields web{"官网", "easemob", "webim", 1};
  auto first = channel_store_->CreateChannel(1, web, "key-1", "secret-1");
  auto second = channel_store_->CreateChannel(1, ChannelFields{"app", "easemob", "app", std::nullopt}, "key-2", "s2");
  auto theirs = channel_store_->CreateChannel(2, web, "key-3", "s3");
  ASSERT_TRUE(first.ok() && second.ok() && theirs.ok());
  EXPECT_EQ(first->id, 1);
  EXPECT_EQ(second->id, 2);
  EXPECT_EQ(theirs->id, 1) << "ids count within the tenant";
  EXPECT_EQ(channel_store_->CreateChannel(1, web, "key-3", "s").status().code(), Code::kInvalidParam)
      << "a key of another tenant's channel";
  EXPECT_EQ(channel_store_->CreateChannel(1, ChannelFields{"x", "api", "app", 9}, "key-4", "s").status().code(),
            Code::kNoSuchResource);

  auto by_key = channel_store_->FindChannelByKey("key-3");
  ASSERT_TRUE(by_key.ok() && *by_key);
  EXPECT_EQ((*by_key)->tenant_id, 2);
  EXPECT_EQ((*by_key)->secret, "s3");
  EXPECT_FALSE(channel_store_->FindChannelByKey("key-9").value());
  EXPECT_FALSE(channel_store_->FindChannel(2, 2).value()) << "another tenant's id";

  ASSERT_TRUE(channel_store_->UpdateChannel(1, 2, ChannelFields{"App", "easemob", "app", 1}).ok());
  EXPECT_EQ(channel_store_->UpdateChannel(1, 9, web).code(), Code::kNoSuchResource);
  EXPECT_EQ(channel_store_->UpdateChannel(2, 2, web).code(), Code::kNoSuchResource);
  EXPECT_EQ(channel_store_->UpdateChannel(1, 1, ChannelFields{"x", "api", "app", 2}).code(), Code::kNoSuchResource)
      << "skill group 2 is not tenant 1's";
  EXPECT_EQ(channel_store_->SetChannelIdentity(1, 1, "key-3", "s").code(), Code::kInvalidParam);
  EXPECT_EQ(channel_store_->SetChannelIdentity(1, 9, "key-9", "s").code(), Code::kNoSuchResource);
  ASSERT_TRUE(channel_store_->SetChannelIdentity(1, 1, "key-1", "secret-2").ok()) << "its own key again";

  // A deleted skill group is on no channel.
  ASSERT_TRUE(queue_store_->DeleteQueue(1, 1).ok());
  auto list = channel_store_->ListChannels(1);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].fields.name, "官网");
  EXPECT_EQ((*list)[0].fields.queue_id, std::nullopt);
  EXPECT_EQ((*list)[0].secret, "secret-2");
  EXPECT_EQ((*list)[1].fields.name, "App");
  EXPECT_EQ((*list)[1].fields.origin_type, "app");
  EXPECT_EQ((*list)[1].fields.queue_id, std::nullopt);
  EXPECT_EQ(channel_store_->FindChannel(2, 1).value()->fields.queue_id, 1) << "another tenant's keeps its own";

  EXPECT_EQ(channel_store_->DeleteChannel(2, 2).code(), Code::kNoSuchResource);
  ASSERT_TRUE(channel_store_->DeleteChannel(1, 1).ok());
  EXPECT_EQ(channel_store_->DeleteChannel(1, 1).code(), Code::kNoSuchResource);
  EXPECT_FALSE(channel_store_->FindChannelByKey("key-1").value());
  EXPECT_EQ(channel_store_->ListChannels(1)->size(), 1u);
  EXPECT_EQ(channel_store_->ListChannels(2)->size(), 1u);
}

TEST_P(StoreContractTest, OptionsAreEachTenantsOwnAndKeepOnlyItsSkillGroups) {
  EXPECT_EQ(options_store_->GetOptions(1).value(), TenantOptions{});
  ASSERT_TRUE(queue_store_->CreateQueue(1, "售前").ok());
  ASSERT_TRUE(queue_store_->CreateQueue(2, "other").ok());
  ASSERT_TRUE(queue_store_->CreateQueue(2, "other2").ok());
  TenantOptions wanted{1, 600, 1800, 30, true, false, "您好", "下班了"};
  auto after = options_store_->UpdateOptions(1, [&](TenantOptions& o) { o = wanted; });
  ASSERT_TRUE(after.ok()) << after.status().detail();
  EXPECT_EQ(*after, wanted);
  EXPECT_EQ(options_store_->GetOptions(1).value(), wanted);
  EXPECT_EQ(options_store_->GetOptions(2).value(), TenantOptions{}) << "another tenant's are its own";
  // A skill group of another tenant: refused, nothing changed.
  EXPECT_EQ(options_store_->UpdateOptions(1, [](TenantOptions& o) { o.default_queue_id = 2; }).status().code(),
            Code::kNoSuchResource);
  EXPECT_EQ(options_store_->GetOptions(1).value(), wanted);
  // The change sees what is stored.
  ASSERT_TRUE(options_store_->UpdateOptions(1, [](TenantOptions& o) { o.offline_grace_seconds += 1; }).ok());
  EXPECT_EQ(options_store_->GetOptions(1)->offline_grace_seconds, 31);
  ASSERT_TRUE(queue_store_->DeleteQueue(1, 1).ok());
  EXPECT_EQ(options_store_->GetOptions(1)->default_queue_id, std::nullopt);
  EXPECT_EQ(options_store_->GetOptions(1)->greeting, "您好");
}

TEST_P(StoreContractTest, VisitorsAndTheirTokens) {
  const ChannelFields web{"web", "easemob", "webim", std::nullopt};
  ASSERT_TRUE(channel_store_->CreateChannel(1, web, "key-1", "s").ok());
  ASSERT_TRUE(channel_store_->CreateChannel(1, web, "key-2", "s").ok());
  Visitor anon{"u-1", 1, 1, "webim-visitor-1", "Lucy", false, "c-1", 1001, 0, 100};
  auto entered = visitor_store_->EnterVisitor(anon, false, "t1", 200, 100);
  ASSERT_TRUE(entered.ok()) << entered.status().detail();
  EXPECT_EQ(entered->user_id, "u-1");
  auto grant = visitor_store_->FindVisitorToken("t1", 199);
  ASSERT_TRUE(grant.ok() && *grant);
  EXPECT_EQ((*grant)->user_id, "u-1");
  EXPECT_EQ((*grant)->channel_id, 1);
  EXPECT_EQ((*grant)->chat_group_id, 1001);
  EXPECT_EQ((*grant)->expires_at, 200);
  EXPECT_FALSE(visitor_store_->FindVisitorToken("t1", 200).value()) << "expired at its expiry";
  // Another visitor may not take the userId or the chatGroupId.
  Visitor clash = anon;
  clash.chat_group_id = 1002;
  EXPECT_FALSE(visitor_store_->EnterVisitor(clash, false, "t2", 200, 100).ok());
  clash = anon;
  clash.user_id = "u-2";
  EXPECT_FALSE(visitor_store_->EnterVisitor(clash, false, "t2", 200, 100).ok());
  EXPECT_FALSE(visitor_store_->FindVisitorToken("t2", 100).value()) << "nothing of a refused entry stays";

  // Renewal: only a valid token of the same tenant and channel.
  EXPECT_FALSE(visitor_store_->RenewVisitorToken("t1", 1, 2, 500, 150).value());
  EXPECT_FALSE(visitor_store_->RenewVisitorToken("t1", 2, 1, 500, 150).value());
  EXPECT_FALSE(visitor_store_->RenewVisitorToken("t1", 1, 1, 500, 200).value()) << "expired";
  auto renewed = visitor_store_->RenewVisitorToken("t1", 1, 1, 500, 150);
  ASSERT_TRUE(renewed.ok() && *renewed);
  EXPECT_EQ((*renewed)->nicename, "Lucy");
  EXPECT_EQ(visitor_store_->FindVisitorToken("t1", 400).value()->expires_at, 500);

  // An identified visitor is found again by tenant, channel and username.
  Visitor known{"u-3", 1, 1, "crm-42", "张先生", true, "c-3", 3003, 0, 100};
  ASSERT_TRUE(visitor_store_->EnterVisitor(known, true, "t3", 900, 100).ok());
  Visitor again = known;
  again.user_id = "u-4";
  again.chat_group_id = 4004;
  again.nicename = "Mr Zhang";
  auto same = visitor_store_->EnterVisitor(again, false, "t4", 900, 100);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->user_id, "u-3");
  EXPECT_EQ(same->nicename, "张先生") << "kept without set_nicename";
  same = visitor_store_->EnterVisitor(again, true, "t5", 900, 100);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->nicename, "Mr Zhang");
  EXPECT_EQ(visitor_store_->FindVisitorToken("t4", 100).value()->user_id, "u-3");
  again.channel_id = 2;
  auto other = visitor_store_->EnterVisitor(again, true, "t6", 900, 100);
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->user_id, "u-4") << "another channel: another visitor";
  EXPECT_EQ(visitor_store_->FindVisitor(1, "u-3").value()->nicename, "Mr Zhang");
  EXPECT_FALSE(visitor_store_->FindVisitor(2, "u-3").value()) << "another tenant's";
  // An anonymous visitor named like an identified one is another visitor.
  Visitor lookalike{"u-5", 1, 1, "crm-42", "x", false, "c-5", 5005, 0, 100};
  auto anon2 = visitor_store_->EnterVisitor(lookalike, false, "t7", 900, 100);
  ASSERT_TRUE(anon2.ok());
  EXPECT_EQ(anon2->user_id, "u-5");
}

TEST_P(StoreContractTest, AThreadsWorkIsOneTransactionWithSeqsWithoutGaps) {
  const ChannelFields web{"web", "easemob", "webim", std::nullopt};
  ASSERT_TRUE(channel_store_->CreateChannel(1, web, "key-1", "s").ok());
  ASSERT_TRUE(queue_store_->CreateQueue(1, "售前").ok());
  Visitor ann_v{"v-1", 1, 1, "webim-visitor-1", "Lucy", false, "c-1", 1001, 0, 1};
  Visitor bob_v{"v-2", 1, 1, "webim-visitor-2", "Tom", false, "c-2", 2002, 0, 1};
  ASSERT_TRUE(visitor_store_->EnterVisitor(ann_v, false, "t1", 100, 1).ok());
  ASSERT_TRUE(visitor_store_->EnterVisitor(bob_v, false, "t2", 100, 1).ok());
  const VisitorGrant ann{1, TimeZone{}, "v-1", 1, 1001, 100}, bob{1, TimeZone{}, "v-2", 1, 2002, 100};
  std::vector<LiveSession> rendered;
  const SessionRenderer render = [&](const LiveSession& s, const AgentNameMap&) {
    rendered.push_back(s);
    SessionRow row;
    row.session_id = s.session_id;
    row.state = s.state;
    row.created_at = s.created_at / 1000;
    row.values = "[]";
    return row;
  };
  constexpr int64_t kNoEnd = std::numeric_limits<int64_t>::max();
  auto waiting = [](const VisitorGrant& v, const char* id, int64_t at) {
    LiveSession s;
    s.session_id = id;
    s.tenant_id = v.tenant_id;
    s.visitor_id = v.user_id;
    s.chat_group_id = v.chat_group_id;
    s.channel_id = v.channel_id;
    s.queue_id = 1;
    s.queued_at = s.created_at = at;
    return s;
  };
  auto text = [](const std::string& session_id, const char* from, std::optional<std::string> msg_id) {
    Message m;
    m.session_id = session_id;
    m.from = from;
    m.type = "txt";
    m.msg = "hi";
    m.msg_id = std::move(msg_id);
    m.created_at = 5000;
    return m;
  };

  // Ann's first work: a session and two messages.
  ASSERT_TRUE(conversation_store_->WithThread(ThreadOf(ann), render, [&](ThreadWork& t) -> Status {
    auto open = t.OpenSession();
    EXPECT_TRUE(open.ok() && !*open);
    LiveSession s = waiting(ann, "s-1", 5000);
    auto m1 = t.Append(text("s-1", "visitor", "m-1"));
    auto m2 = t.Append(text("s-1", "system", std::nullopt));
    EXPECT_TRUE(m1.ok() && m2.ok());
    EXPECT_EQ(m1->seq, 1);
    EXPECT_EQ(m1->chat_group_id, 1001);
    EXPECT_EQ(m2->seq, 2);
    auto online = t.AnyoneOnline(1);
    EXPECT_TRUE(online.ok() && !*online) << "nobody is Online";
    s.last_seq = 2;
    return t.Save(s);
  }).ok());
  ASSERT_EQ(rendered.size(), 1u);
  EXPECT_EQ(visitor_store_->FindVisitor(1, "v-1").value()->last_seq, 2);
  EXPECT_EQ(conversation_store_->FindOpenSession(1001).value()->last_seq, 2);

  // A work that fails changes nothing.
  Status failed = conversation_store_->WithThread(ThreadOf(ann), render, [&](ThreadWork& t) -> Status {
    EXPECT_TRUE(t.Append(text("s-1", "visitor", "m-9")).ok());
    LiveSession s = waiting(ann, "s-1", 5000);
    s.state = SessionState::kAbort;
    EXPECT_TRUE(t.Save(s).ok());
    return Error(Code::kInvalidParam, "changed my mind");
  });
  EXPECT_EQ(failed.code(), Code::kInvalidParam);
  EXPECT_EQ(visitor_store_->FindVisitor(1, "v-1").value()->last_seq, 2);
  EXPECT_EQ(conversation_store_->ListMessages(1001, 0, kNoEnd, 100)->size(), 2u);
  EXPECT_EQ(conversation_store_->FindOpenSession(1001).value()->state, SessionState::kWait);

  // The visitor's msgId is found again; the session by id, in this thread only.
  ASSERT_TRUE(conversation_store_->WithThread(ThreadOf(ann), render, [&](ThreadWork& t) -> Status {
    auto seen = t.SentMessage("visitor", "m-1");
    EXPECT_TRUE(seen.ok() && *seen && (*seen)->seq == 1);
    EXPECT_FALSE(t.SentMessage("visitor", "m-2").value());
    EXPECT_EQ(t.Session("s-1").value().queue_id, 1);
    EXPECT_EQ(t.Session("s-9").status().code(), Code::kNoSuchSession);
    return Status::Ok();
  }).ok());

  // Bob waits behind Ann in skill group 1; his thread and seqs are his own.
  ASSERT_TRUE(conversation_store_->WithThread(ThreadOf(bob), render, [&](ThreadWork& t) -> Status {
    EXPECT_EQ(t.Session("s-1").status().code(), Code::kNoSuchSession) << "Ann's session is not in Bob's thread";
    EXPECT_FALSE(t.SentMessage("visitor", "m-1").value());
    EXPECT_EQ(t.Append(text("s-2", "visitor", "m-1")).value().seq, 1);
    LiveSession s = waiting(bob, "s-2", 6000);
    s.last_seq = 1;
    return t.Save(s);
  }).ok());
  const LiveSession bobs = conversation_store_->FindOpenSession(2002).value().value();
  const LiveSession anns = conversation_store_->FindOpenSession(1001).value().value();
  EXPECT_EQ(conversation_store_->QueuePosition(anns).value(), 1);
  EXPECT_EQ(conversation_store_->QueuePosition(bobs).value(), 2);

  auto listed = conversation_store_->ListMessages(1001, 1, kNoEnd, 5);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].seq, 2);
  EXPECT_EQ((*listed)[0].from, "system");
  EXPECT_FALSE((*listed)[0].msg_id);

  // Ann's session ends: Bob moves up; her thread has no open session.
  ASSERT_TRUE(conversation_store_->WithThread(ThreadOf(ann), render, [&](ThreadWork& t) -> Status {
    LiveSession s = t.OpenSession().value().value();
    s.state = SessionState::kAbort;
    s.stopped_at = 7000;
    return t.Save(s);
  }).ok());
  EXPECT_EQ(rendered.back().state, SessionState::kAbort);
  EXPECT_FALSE(conversation_store_->FindOpenSession(1001).value());
  EXPECT_EQ(conversation_store_->QueuePosition(bobs).value(), 1);
  // Ann's next work goes on with her seqs.
  ASSERT_TRUE(conversation_store_->WithThread(ThreadOf(ann), render, [&](ThreadWork& t) -> Status {
    EXPECT_EQ(t.Append(text("s-3", "visitor", "m-2")).value().seq, 3);
    return t.Save(waiting(ann, "s-3", 8000));
  }).ok());
  EXPECT_EQ(conversation_store_->FindOpenSession(1001).value()->session_id, "s-3");
  // A visitor that is gone: kBadToken.
  const VisitorGrant ghost{1, TimeZone{}, "v-9", 1, 9009, 100};
  EXPECT_EQ(conversation_store_->WithThread(ThreadOf(ghost), render, [](ThreadWork&) { return Status::Ok(); }).code(),
            Code::kBadToken);
}

TEST_P(StoreContractTest, TagsAreEachTenantsOwn) {
  auto root = tag_store_->CreateSummaryTag(1, SummaryTag{0, 0, "咨询", 1});
  auto leaf = tag_store_->CreateSummaryTag(1, SummaryTag{0, 1, "价格", 2});
  auto theirs = tag_store_->CreateSummaryTag(2, SummaryTag{0, 0, "x", 0});
  ASSERT_TRUE(root.ok() && leaf.ok() && theirs.ok());
  EXPECT_EQ(root->id, 1);
  EXPECT_EQ(leaf->id, 2);
  EXPECT_EQ(theirs->id, 1) << "ids count within the tenant";
  EXPECT_EQ(tag_store_->CreateSummaryTag(2, SummaryTag{0, 2, "y", 0}).status().code(), Code::kNoSuchResource);
  EXPECT_EQ(tag_store_->UpdateSummaryTag(1, SummaryTag{9, 0, "z", 0}).code(), Code::kNoSuchResource);
  EXPECT_EQ(tag_store_->DeleteSummaryTag(1, 1).code(), Code::kInvalidParam) << "it has a child";
  ASSERT_TRUE(tag_store_->UpdateSummaryTag(1, SummaryTag{2, 0, "价格", 3}).ok());
  ASSERT_TRUE(tag_store_->DeleteSummaryTag(1, 1).ok());
  auto tree = tag_store_->ListSummaryTags(1);
  ASSERT_TRUE(tree.ok());
  ASSERT_EQ(tree->size(), 1u);
  EXPECT_EQ((*tree)[0].parent_id, 0);
  EXPECT_EQ((*tree)[0].color, 3);
  auto tag = tag_store_->CreateEnquiryTag(1, "好");
  ASSERT_TRUE(tag.ok());
  EXPECT_EQ(tag->id, 1);
  ASSERT_TRUE(tag_store_->RenameEnquiryTag(1, 1, "很好").ok());
  EXPECT_EQ(tag_store_->RenameEnquiryTag(2, 1, "x").code(), Code::kNoSuchResource);
  EXPECT_EQ(tag_store_->ListEnquiryTags(1)->at(0).name, "很好");
  ASSERT_TRUE(tag_store_->DeleteEnquiryTag(1, 1).ok());
  EXPECT_EQ(tag_store_->DeleteEnquiryTag(1, 1).code(), Code::kNoSuchResource);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreContractTest, ::testing::Values("fake", "sqlite"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace kefu::store
