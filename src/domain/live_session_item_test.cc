// A live session's history item, for each field LIVE §2 names.
#include "domain/live_session_item.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "domain/session_item.h"

namespace kefu::domain {
namespace {

LiveItemContext Context() {
  LiveItemContext c;
  c.zone = TimeZone{8 * 3600};
  c.visitor = store::Visitor{"v-1", 7, 3, "crm-42", "张先生", true, "c-1", 9007199254740993, 4, 0};
  c.channel = store::ChannelRecord{3, 7, store::ChannelFields{"App", "easemob", "app", 2}, "key", "secret"};
  return c;
}

const store::AgentNameMap kAgents = {{"a-1", {"ann@x.com", "Ann", "安"}}, {"a-2", {"bob@x.com", "Bob", "博"}}};

// The rendered item as an object keyed by the published names.
rapidjson::Document Item(const store::SessionRow& row) {
  rapidjson::Document values, item;
  values.Parse(row.values.c_str());
  item.SetObject();
  for (size_t i = 0; i < kSessionItemKeys.size(); ++i) {
    item.AddMember(rapidjson::Value(kSessionItemKeys[i].data(), item.GetAllocator()),
                   rapidjson::Value(values[static_cast<rapidjson::SizeType>(i)], item.GetAllocator()),
                   item.GetAllocator());
  }
  return item;
}

TEST(LiveSessionItemTest, AWaitingSessionNamesItsVisitorChannelAndQueue) {
  store::LiveSession s;
  s.session_id = "s-1";
  s.tenant_id = 7;
  s.visitor_id = "v-1";
  s.chat_group_id = 9007199254740993;
  s.channel_id = 3;
  s.queue_id = 2;
  s.created_at = s.queued_at = 1764662400123;  // 2025-12-02 08:00:00.123 UTC
  s.last_seq = 4;
  const store::SessionRow row = RenderLiveSession(s, Context(), kAgents);
  EXPECT_EQ(row.session_id, "s-1");
  EXPECT_EQ(row.state, store::SessionState::kWait);
  EXPECT_EQ(row.origin_mask, store::kOriginApp);
  EXPECT_EQ(row.tech_channel_id, 3);
  EXPECT_EQ(row.tech_channel_type, "easemob");
  EXPECT_EQ(row.queue_id, 2);
  EXPECT_EQ(row.created_at, 1764662400);
  EXPECT_FALSE(row.started_at);
  EXPECT_EQ(row.customer_names, CustomerNames("张先生", "张先生"));
  auto item = Item(row);
  EXPECT_STREQ(item["state"].GetString(), "Wait");
  EXPECT_EQ(item["chatGroupId"].GetInt64(), 9007199254740993) << "above 2^53, exact";
  EXPECT_EQ(item["messageSeqId"].GetInt(), 4);
  EXPECT_STREQ(item["createDatetime"].GetString(), "2025-12-02 16:00:00");
  EXPECT_TRUE(item["startDateTime"].IsNull());
  EXPECT_TRUE(item["agentUserId"].IsNull());
  EXPECT_TRUE(item["agentUserSet"].IsNull());
  EXPECT_EQ(item["agentUserType"].GetInt(), 1);
  EXPECT_STREQ(item["originType"][0].GetString(), "app");
  EXPECT_STREQ(item["techChannelName"].GetString(), "App");
  EXPECT_STREQ(item["visitorUser"]["username"].GetString(), "crm-42");
  EXPECT_STREQ(item["customer"]["customerId"].GetString(), "c-1");
  EXPECT_TRUE(item["customer"]["customerTrueName"].IsNull());
  EXPECT_FALSE(item["transfered"].GetBool());
}

TEST(LiveSessionItemTest, AServedSessionNamesItsAgentsInOrder) {
  store::LiveSession s;
  s.session_id = "s-2";
  s.tenant_id = 7;
  s.state = store::SessionState::kTerminal;
  s.created_at = 1764662400000;
  s.started_at = 1764662405000;
  s.agent_last_message_at = 1764662460000;
  s.stopped_at = 1764662500000;
  s.agent_user_id = "a-2";
  s.agent_user_set = {"a-1", "a-2"};
  s.transfered = true;
  const store::SessionRow row = RenderLiveSession(s, Context(), kAgents);
  EXPECT_EQ(row.agent_ids, (std::vector<std::string>{"a-1", "a-2"}));
  EXPECT_EQ(row.started_at, 1764662405);
  EXPECT_EQ(row.stopped_at, 1764662500);
  EXPECT_TRUE(row.transfered);
  auto item = Item(row);
  EXPECT_STREQ(item["agentUserId"].GetString(), "a-2");
  EXPECT_STREQ(item["agentUserNiceName"].GetString(), "Bob");
  EXPECT_STREQ(item["agentUserTrueName"].GetString(), "博");
  EXPECT_STREQ(item["startDateTime"].GetString(), "2025-12-02 16:00:05");
  EXPECT_STREQ(item["agentLastMessageDate"].GetString(), "2025-12-02 16:01:00");
  EXPECT_STREQ(item["stopDateTime"].GetString(), "2025-12-02 16:01:40");
  ASSERT_EQ(item["agentUserSet"].Size(), 2u);
  EXPECT_STREQ(item["agentUserSet"][0]["userId"].GetString(), "a-1");
  EXPECT_STREQ(item["agentUserSet"][0]["nicename"].GetString(), "Ann");
  EXPECT_STREQ(item["agentUserSet"][1]["trueName"].GetString(), "博");
  EXPECT_STREQ(item["agentUserSet"][1]["tenantId"].GetString(), "7");
  EXPECT_TRUE(item["transfered"].GetBool());
}

}  // namespace
}  // namespace kefu::domain
