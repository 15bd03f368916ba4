// OptionsService's checks against the in-memory stores.
#include "domain/options_service.h"

#include <gtest/gtest.h>

#include "store/fake/fake_agent_store.h"
#include "store/fake/fake_options_store.h"
#include "store/fake/fake_queue_store.h"
#include "store/fake/fake_tenant_store.h"

namespace kefu::domain {
namespace {

class OptionsServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(tenants_.CreateTenant(1, "one", TimeZone{0}, 0).ok());
    ASSERT_TRUE(queues_.CreateQueue(1, "售前").ok());
  }

  // The detail of the refusal of `input`, after checking it changed nothing.
  std::string Refusal(const OptionsInput& input) {
    const store::TenantOptions before = service_.Get(1).value();
    auto r = service_.Update(1, input);
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(service_.Get(1).value(), before);
    return r.ok() ? "" : r.status().detail();
  }

  store::fake::FakeTenantStore tenants_;
  store::fake::FakeAgentStore agents_{tenants_};
  store::fake::FakeQueueStore queues_{agents_};
  store::fake::FakeOptionsStore options_{queues_};
  OptionsService service_{options_};
};

TEST_F(OptionsServiceTest, DefaultsUntilSetAndOnlyGivenFieldsChange) {
  EXPECT_EQ(service_.Get(1).value(), store::TenantOptions{});
  OptionsInput set;
  set.default_queue_id = RawField::Integer(1);
  set.wait_timeout_seconds = RawField::Integer(600);
  set.greeting = RawField::Text("您好");
  auto after = service_.Update(1, set);
  ASSERT_TRUE(after.ok()) << after.status().detail();
  EXPECT_EQ(after->default_queue_id, 1);
  EXPECT_EQ(after->wait_timeout_seconds, 600);
  EXPECT_EQ(after->offline_grace_seconds, 120);
  EXPECT_EQ(after->greeting, "您好");

  OptionsInput clear;
  clear.wait_timeout_seconds = RawField::Null();
  clear.greeting = RawField::Text("");
  clear.enquiry_invite_on_close = RawField::Boolean(true);
  clear.offline_grace_seconds = RawField::Integer(0);
  after = service_.Update(1, clear);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->default_queue_id, 1) << "absent: as it was";
  EXPECT_EQ(after->wait_timeout_seconds, std::nullopt);
  EXPECT_EQ(after->greeting, std::nullopt) << "an empty message is none";
  EXPECT_TRUE(after->enquiry_invite_on_close);
  EXPECT_EQ(after->offline_grace_seconds, 0);
  EXPECT_EQ(service_.Get(1).value(), *after);
}

TEST_F(OptionsServiceTest, EachFieldIsCheckedAndARefusalChangesNothing) {
  OptionsInput in;
  in.default_queue_id = RawField::Text("1");
  EXPECT_EQ(Refusal(in), "defaultQueueId must be a skill group's id or null");
  in.default_queue_id = RawField::Integer(2);
  EXPECT_EQ(Refusal(in), "no such skill group");
  in = {};
  for (const RawField& bad : {RawField::Integer(0), RawField::Integer(604801), RawField::Text("60")}) {
    in.wait_timeout_seconds = bad;
    EXPECT_EQ(Refusal(in), "waitTimeoutSeconds must be null or an integer from 1 to 604800");
  }
  in = {};
  in.idle_close_seconds = RawField::Integer(-5);
  EXPECT_EQ(Refusal(in), "idleCloseSeconds must be null or an integer from 1 to 604800");
  in = {};
  for (const RawField& bad : {RawField::Null(), RawField::Integer(-1), RawField::Integer(86401)}) {
    in.offline_grace_seconds = bad;
    EXPECT_EQ(Refusal(in), "offlineGraceSeconds must be an integer from 0 to 86400");
  }
  in = {};
  for (const RawField& bad : {RawField::Null(), RawField::Integer(1), RawField::Text("true")}) {
    in.enquiry_invite_on_close = bad;
    EXPECT_EQ(Refusal(in), "enquiryInviteOnClose must be true or false");
  }
  in = {};
  in.agents_set_own_capacity = RawField::Integer(0);
  EXPECT_EQ(Refusal(in), "agentsSetOwnCapacity must be true or false");
  in = {};
  in.greeting = RawField::Text(std::string(1001, 'g'));
  EXPECT_EQ(Refusal(in), "greeting must be null or a string of at most 1000 characters");
  in = {};
  in.off_duty_message = RawField::Integer(1);
  EXPECT_EQ(Refusal(in), "offDutyMessage must be null or a string of at most 1000 characters");
  // One bad field stops the good ones beside it.
  in = {};
  in.greeting = RawField::Text("hi");
  in.off_duty_message = RawField::Other();
  Refusal(in);
  EXPECT_EQ(service_.Get(1)->greeting, std::nullopt);
}

TEST_F(OptionsServiceTest, ADeletedSkillGroupIsNoLongerTheDefault) {
  OptionsInput in;
  in.default_queue_id = RawField::Integer(1);
  ASSERT_TRUE(service_.Update(1, in).ok());
  ASSERT_TRUE(queues_.DeleteQueue(1, 1).ok());
  EXPECT_EQ(service_.Get(1)->default_queue_id, std::nullopt);
}

}  // namespace
}  // namespace kefu::domain
