// ChannelService's checks against the in-memory stores.
#include "domain/channel_service.h"

#include <gtest/gtest.h>

#include "store/fake/fake_agent_store.h"
#include "store/fake/fake_channel_store.h"
#include "store/fake/fake_queue_store.h"
#include "store/fake/fake_tenant_store.h"

namespace kefu::domain {
namespace {

ChannelInput Input(RawField name, RawField type, RawField origin, RawField queue = {}) {
  return ChannelInput{std::move(name), std::move(type), std::move(origin), std::move(queue)};
}

ChannelInput Web() { return Input(RawField::Text("官网"), RawField::Text("easemob"), RawField::Text("webim")); }

class ChannelServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(tenants_.CreateTenant(1, "one", TimeZone{0}, 0).ok());
    ASSERT_TRUE(queues_.CreateQueue(1, "售前").ok());
  }

  store::fake::FakeTenantStore tenants_;
  store::fake::FakeAgentStore agents_{tenants_};
  store::fake::FakeQueueStore queues_{agents_};
  store::fake::FakeChannelStore channels_{queues_};
  ChannelService service_{channels_};
};

TEST_F(ChannelServiceTest, ANewChannelHasAUuidKeyAndA256BitSecret) {
  auto made = service_.Create(1, Web());
  ASSERT_TRUE(made.ok()) << made.status().detail();
  EXPECT_EQ(made->channel_key.size(), 36u);
  EXPECT_EQ(made->channel_key[14], '4') << "a version 4 UUID";
  ASSERT_TRUE(made->secret);
  EXPECT_EQ(made->secret->size(), 64u);
  EXPECT_EQ(made->secret->find_first_not_of("0123456789abcdef"), std::string::npos);
  auto again = service_.Create(1, Web());
  ASSERT_TRUE(again.ok());
  EXPECT_NE(again->channel_key, made->channel_key);
  EXPECT_NE(again->secret, made->secret);
}

TEST_F(ChannelServiceTest, EachFieldIsCheckedInOrderBeforeTheStore) {
  const RawField ok_name = RawField::Text("n"), ok_type = RawField::Text("easemob"), ok_origin = RawField::Text("webim");
  for (const RawField& bad : {RawField{}, RawField::Null(), RawField::Integer(1), RawField::Text(""),
                              RawField::Text("  "), RawField::Text(std::string(101, 'c'))}) {
    EXPECT_EQ(service_.Create(1, Input(bad, ok_type, ok_origin)).status().detail(),
              bad.kind == RawField::Kind::kText ? "techChannelName must be 1 to 100 characters, not only spaces"
                                                : "techChannelName must be a string");
  }
  for (const RawField& bad : {RawField{}, RawField::Text("webim"), RawField::Text("EASEMOB"), RawField::Integer(1)}) {
    EXPECT_EQ(service_.Create(1, Input(ok_name, bad, RawField::Text("x"))).status().detail(),
              "techChannelType must be easemob, weixin, weibo, phone or api");
  }
  for (const RawField& bad : {RawField{}, RawField::Text("easemob"), RawField::Text("other")}) {
    EXPECT_EQ(service_.Create(1, Input(ok_name, ok_type, bad, RawField::Text("x"))).status().detail(),
              "originType must be webim, app, weixin, weibo or phone");
  }
  EXPECT_EQ(service_.Create(1, Input(ok_name, ok_type, RawField::Text("weixin"))).status().detail(),
            "a channel of techChannelType easemob does not give originType weixin");
  for (const RawField& bad : {RawField::Text("1"), RawField::Other()}) {
    EXPECT_EQ(service_.Create(1, Input(ok_name, ok_type, ok_origin, bad)).status().detail(),
              "queueId must be a skill group's id or null");
  }
  EXPECT_EQ(service_.Create(1, Input(ok_name, ok_type, ok_origin, RawField::Integer(2))).status().code(),
            Code::kNoSuchResource);
  EXPECT_TRUE(service_.List(1)->empty());
  auto queued = service_.Create(1, Input(ok_name, ok_type, ok_origin, RawField::Integer(1)));
  ASSERT_TRUE(queued.ok());
  EXPECT_EQ(queued->fields.queue_id, 1);
}

TEST_F(ChannelServiceTest, WhatATypeGives) {
  EXPECT_TRUE(ChannelMayGive("easemob", "webim"));
  EXPECT_TRUE(ChannelMayGive("easemob", "app"));
  EXPECT_FALSE(ChannelMayGive("easemob", "phone"));
  EXPECT_TRUE(ChannelMayGive("weixin", "weixin"));
  EXPECT_FALSE(ChannelMayGive("weixin", "weibo"));
  EXPECT_TRUE(ChannelMayGive("phone", "phone"));
  for (const char* origin : {"webim", "app", "weixin", "weibo", "phone"}) EXPECT_TRUE(ChannelMayGive("api", origin));
  EXPECT_FALSE(ChannelMayGive("api", "api"));
}

TEST_F(ChannelServiceTest, ANewSecretEndsTheOldAndKeepsTheKey) {
  auto made = service_.Create(1, Web());
  ASSERT_TRUE(made.ok());
  auto renewed = service_.NewSecret(1, "1");
  ASSERT_TRUE(renewed.ok());
  EXPECT_EQ(renewed->channel_key, made->channel_key);
  EXPECT_NE(renewed->secret, made->secret);
  EXPECT_EQ(channels_.FindChannel(1, 1).value()->secret, renewed->secret);
  for (const char* id : {"0", "-1", "abc", "", "2", "99999999999999999999"}) {
    EXPECT_EQ(service_.NewSecret(1, id).status().code(), Code::kNoSuchResource) << id;
    EXPECT_EQ(service_.Update(1, id, Web()).status().code(), Code::kNoSuchResource) << id;
    EXPECT_EQ(service_.Delete(1, id).code(), Code::kNoSuchResource) << id;
  }
}

}  // namespace
}  // namespace kefu::domain
