// LIVE §2's transitions, each setting exactly the fields its row names.
#include "domain/session_machine.h"

#include <gtest/gtest.h>

namespace kefu::domain {
namespace {

using store::SessionState;

const store::VisitorGrant kVisitor{7, TimeZone{}, "v-1", 3, 1001, 0};

TEST(SessionMachineTest, AVisitorsFirstMessageOpensAWaitingSession) {
  const store::LiveSession s = OpenWaiting(kVisitor, "s-1", 2, 5000);
  EXPECT_EQ(s.session_id, "s-1");
  EXPECT_EQ(s.state, SessionState::kWait);
  EXPECT_EQ(s.tenant_id, 7);
  EXPECT_EQ(s.visitor_id, "v-1");
  EXPECT_EQ(s.channel_id, 3);
  EXPECT_EQ(s.chat_group_id, 1001);
  EXPECT_EQ(s.queue_id, 2);
  EXPECT_EQ(s.created_at, 5000);
  EXPECT_EQ(s.queued_at, 5000);
  EXPECT_FALSE(s.started_at || s.stopped_at || s.agent_user_id);
  EXPECT_TRUE(s.agent_user_set.empty());
  EXPECT_FALSE(s.transfered || s.from_agent_callback);
}

TEST(SessionMachineTest, TheVisitorEndsItAbortedUnlessItEverHadAnAgent) {
  store::LiveSession waiting = OpenWaiting(kVisitor, "s-1", std::nullopt, 5000);
  ASSERT_TRUE(EndByVisitor(waiting, 6000).ok());
  EXPECT_EQ(waiting.state, SessionState::kAbort);
  EXPECT_EQ(waiting.stopped_at, 6000);
  EXPECT_EQ(EndByVisitor(waiting, 7000).code(), Code::kSessionState) << "ended already";
  EXPECT_EQ(waiting.stopped_at, 6000);

  store::LiveSession sent_back = OpenWaiting(kVisitor, "s-2", 1, 5000);
  sent_back.agent_user_set = {"a-1"};  // served, then sent back to a skill group
  ASSERT_TRUE(EndByVisitor(sent_back, 6000).ok());
  EXPECT_EQ(sent_back.state, SessionState::kTerminal);

  store::LiveSession served = OpenWaiting(kVisitor, "s-3", 1, 5000);
  served.state = SessionState::kProcessing;
  served.agent_user_id = "a-1";
  served.agent_user_set = {"a-1"};
  ASSERT_TRUE(EndByVisitor(served, 6000).ok());
  EXPECT_EQ(served.state, SessionState::kTerminal);
  EXPECT_EQ(served.agent_user_id, "a-1") << "the agent fields stay";
}

TEST(SessionMachineTest, AssignStartsOnceAndNamesEachAgentOnce) {
  store::LiveSession s = OpenWaiting(kVisitor, "s-1", 1, 5000);
  ASSERT_TRUE(Assign(s, "a-1", 6000).ok());
  EXPECT_EQ(s.state, SessionState::kProcessing);
  EXPECT_EQ(s.started_at, 6000);
  EXPECT_EQ(s.agent_user_id, "a-1");
  EXPECT_EQ(Assign(s, "a-2", 6500).code(), Code::kSessionState) << "not waiting";
  ASSERT_TRUE(TransferToQueue(s, 2, 7000).ok());
  EXPECT_EQ(s.state, SessionState::kWait);
  EXPECT_EQ(s.queue_id, 2);
  EXPECT_EQ(s.queued_at, 7000) << "it enters the queue at that time";
  EXPECT_FALSE(s.agent_user_id);
  EXPECT_TRUE(s.transfered);
  ASSERT_TRUE(Assign(s, "a-1", 8000).ok());
  EXPECT_EQ(s.started_at, 6000) << "startDateTime: the first assignment only";
  EXPECT_EQ(s.agent_user_set, std::vector<std::string>{"a-1"}) << "each agent once";
}

TEST(SessionMachineTest, ATransferToAnAgentKeepsTheSessionInProgress) {
  store::LiveSession s = OpenWaiting(kVisitor, "s-1", 1, 5000);
  EXPECT_EQ(TransferToAgent(s, "a-2").code(), Code::kSessionState) << "not in progress";
  ASSERT_TRUE(Assign(s, "a-1", 6000).ok());
  EXPECT_EQ(TransferToAgent(s, "a-1").code(), Code::kSessionState) << "its agent already";
  ASSERT_TRUE(TransferToAgent(s, "a-2").ok());
  EXPECT_EQ(s.state, SessionState::kProcessing);
  EXPECT_EQ(s.agent_user_id, "a-2");
  EXPECT_EQ(s.agent_user_set, (std::vector<std::string>{"a-1", "a-2"}));
  EXPECT_TRUE(s.transfered);
  ASSERT_TRUE(EndByAgent(s, 9000).ok());
  EXPECT_EQ(s.state, SessionState::kTerminal);
  EXPECT_EQ(s.stopped_at, 9000);
  EXPECT_EQ(EndByAgent(s, 9500).code(), Code::kSessionState);
  EXPECT_EQ(TransferToQueue(s, 1, 9500).code(), Code::kSessionState);
}

TEST(SessionMachineTest, AnAdminMovesOrAbortsOnlyWaitingSessions) {
  store::LiveSession s = OpenWaiting(kVisitor, "s-1", 1, 5000);
  ASSERT_TRUE(MoveToQueue(s, 2, 6000).ok());
  EXPECT_EQ(s.state, SessionState::kWait);
  EXPECT_EQ(s.queue_id, 2);
  EXPECT_EQ(s.queued_at, 6000);
  EXPECT_FALSE(s.transfered) << "a move is not a transfer";
  ASSERT_TRUE(AbortWaiting(s, 7000).ok());
  EXPECT_EQ(s.state, SessionState::kAbort);
  EXPECT_EQ(MoveToQueue(s, 1, 8000).code(), Code::kSessionState);
  store::LiveSession served = OpenWaiting(kVisitor, "s-2", 1, 5000);
  ASSERT_TRUE(Assign(served, "a-1", 6000).ok());
  EXPECT_EQ(AbortWaiting(served, 7000).code(), Code::kSessionState);
}

TEST(SessionMachineTest, ACallbackOpensASessionInProgress) {
  const store::Visitor visitor{"v-1", 7, 3, "u", "n", false, "c", 1001, 9, 0};
  const store::LiveSession s = OpenByCallback(visitor, "s-1", "a-1", 5000);
  EXPECT_EQ(s.state, SessionState::kProcessing);
  EXPECT_TRUE(s.from_agent_callback);
  EXPECT_EQ(s.started_at, 5000);
  EXPECT_EQ(s.created_at, 5000);
  EXPECT_EQ(s.agent_user_id, "a-1");
  EXPECT_EQ(s.agent_user_set, std::vector<std::string>{"a-1"});
  EXPECT_FALSE(s.queue_id);
  EXPECT_EQ(s.chat_group_id, 1001);
}

}  // namespace
}  // namespace kefu::domain
