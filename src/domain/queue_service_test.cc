// QueueService's checks against the in-memory stores.
#include "domain/queue_service.h"

#include <gtest/gtest.h>

#include "store/fake/fake_agent_store.h"
#include "store/fake/fake_queue_store.h"
#include "store/fake/fake_tenant_store.h"

namespace kefu::domain {
namespace {

class QueueServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(tenants_.CreateTenant(1, "one", TimeZone{0}, 0).ok());
    store::Agent a;
    a.user_id = "u-ann";
    a.tenant_id = 1;
    a.username = "ann";
    ASSERT_TRUE(agents_.InsertAgent(a).ok());
  }

  store::fake::FakeTenantStore tenants_;
  store::fake::FakeAgentStore agents_{tenants_};
  store::fake::FakeQueueStore queues_{agents_};
  QueueService service_{queues_};
};

TEST_F(QueueServiceTest, NamesAreCheckedBeforeTheStore) {
  for (const RawField& bad : {RawField{}, RawField::Null(), RawField::Integer(1), RawField::Text(""),
                              RawField::Text("   "), RawField::Text(std::string(101, 'q')),
                              RawField::Text("\xff")}) {
    EXPECT_EQ(service_.Create(1, bad).status().code(), Code::kInvalidParam) << bad.text;
  }
  // 100 characters of three bytes each is 300 bytes, and allowed.
  std::string hundred;
  for (int i = 0; i < 100; ++i) hundred += "售";
  ASSERT_TRUE(service_.Create(1, RawField::Text(hundred)).ok());
  EXPECT_EQ(service_.List(1)->size(), 1u);
}

TEST_F(QueueServiceTest, PathIdsThatNameNothingAreNotFound) {
  ASSERT_TRUE(service_.Create(1, RawField::Text("q")).ok());
  for (const char* id : {"0", "-1", "abc", "1.0", "", "99999999999999999999", "2"}) {
    EXPECT_EQ(service_.Rename(1, id, RawField::Text("x")).status().code(), Code::kNoSuchResource) << id;
    EXPECT_EQ(service_.Delete(1, id).code(), Code::kNoSuchResource) << id;
    EXPECT_EQ(service_.SetMembers(1, id, {}).status().code(), Code::kNoSuchResource) << id;
  }
  auto renamed = service_.Rename(1, "1", RawField::Text("r"));
  ASSERT_TRUE(renamed.ok());
  EXPECT_EQ(renamed->name, "r");
}

TEST_F(QueueServiceTest, MembersAreTheTenantsAgentsAtMostTenThousand) {
  ASSERT_TRUE(service_.Create(1, RawField::Text("q")).ok());
  auto set = service_.SetMembers(1, "1", {"u-ann", "u-ann"});
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set->member_ids, (std::vector<std::string>{"u-ann"}));
  EXPECT_EQ(service_.SetMembers(1, "1", {"u-ann", "u-nobody"}).status().code(), Code::kNoSuchAgent);
  EXPECT_EQ(service_.SetMembers(1, "1", std::vector<std::string>(kMaxQueueMembers + 1, "u-ann")).status().code(),
            Code::kInvalidParam);
  EXPECT_EQ(queues_.FindQueue(1, 1).value()->member_ids, (std::vector<std::string>{"u-ann"}));
}

}  // namespace
}  // namespace kefu::domain
