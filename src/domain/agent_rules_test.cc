#include "domain/agent_rules.h"

#include <gtest/gtest.h>

namespace kefu::domain {
namespace {

RawField T(const char* s) { return RawField::Text(s); }

TEST(EmailTest, AcceptsUsualAddresses) {
  for (const char* ok : {"32273591@qq.com", "a.b+tag@example.co.uk", "X@Y.cn", "a_b-c@mail-1.example.org"}) {
    EXPECT_TRUE(IsValidEmail(ok)) << ok;
  }
}

TEST(EmailTest, RejectsOthers) {
  for (const char* bad : {"", "@qq.com", "a@", "a@qq", "a@@qq.com", "a b@qq.com", "a@qq..com",
                          "a@-qq.com", "a@qq.com.", "a@q_q.com", "a\"b@qq.com", "32273591"}) {
    EXPECT_FALSE(IsValidEmail(bad)) << bad;
  }
  EXPECT_FALSE(IsValidEmail(std::string(250, 'a') + "@qq.com"));
}

TEST(CoerceTest, TextAndIntegersLikeTheHostedService) {
  EXPECT_EQ(CoerceText(T("x")), "x");
  EXPECT_EQ(CoerceText(RawField::Integer(13800000000)), "13800000000");
  EXPECT_FALSE(CoerceText(RawField::Other()));
  EXPECT_EQ(CoerceInteger(T("10")), 10);
  EXPECT_EQ(CoerceInteger(RawField::Integer(7)), 7);
  EXPECT_FALSE(CoerceInteger(T("10.0")));
  EXPECT_FALSE(CoerceInteger(T(" 10")));
}

TEST(NicenameTest, EmptyIs102IllTypedIs001) {
  EXPECT_EQ(CheckNicename(RawField{}).status().code(), Code::kEmptyNicename);
  EXPECT_EQ(CheckNicename(RawField::Null()).status().code(), Code::kEmptyNicename);
  EXPECT_EQ(CheckNicename(T("")).status().code(), Code::kEmptyNicename);
  EXPECT_EQ(CheckNicename(RawField::Other()).status().code(), Code::kInvalidParam);
  EXPECT_EQ(CheckNicename(RawField::Integer(123)).value(), "123");
  EXPECT_EQ(CheckNicename(T(std::string(256, 'n').c_str())).status().code(), Code::kInvalidParam);
}

TEST(PasswordTest, EightToSixtyFourCodePoints) {
  EXPECT_EQ(CheckPassword(RawField{}).status().code(), Code::kBadPassword);
  EXPECT_EQ(CheckPassword(T("qwe1234")).status().code(), Code::kBadPassword);
  EXPECT_TRUE(CheckPassword(T("qwe12345")).ok());
  EXPECT_TRUE(CheckPassword(T("密码密码密码密码")).ok());  // 8 characters, 24 bytes
  EXPECT_TRUE(CheckPassword(T(std::string(64, 'p').c_str())).ok());
  EXPECT_EQ(CheckPassword(T(std::string(65, 'p').c_str())).status().code(), Code::kBadPassword);
  EXPECT_EQ(CheckPassword(T("\xff\xff\xff\xff\xff\xff\xff\xff")).status().code(), Code::kBadPassword);
  EXPECT_EQ(CheckPassword(RawField::Other()).status().code(), Code::kBadPassword);
  EXPECT_TRUE(CheckPassword(RawField::Integer(12345678)).ok());
}

TEST(RoleIdTest, MissingIs106UnusableIs107) {
  EXPECT_EQ(CheckRoleId(RawField{}).status().code(), Code::kRoleMissing);
  EXPECT_EQ(CheckRoleId(RawField::Null()).status().code(), Code::kRoleMissing);
  EXPECT_EQ(CheckRoleId(T("abc")).status().code(), Code::kBadRole);
  EXPECT_EQ(CheckRoleId(RawField::Other()).status().code(), Code::kBadRole);
  EXPECT_EQ(CheckRoleId(RawField::Integer(0)).status().code(), Code::kBadRole);
  EXPECT_EQ(CheckRoleId(T("2")).value(), 2);
}

TEST(MaxServiceSessionsTest, RangeAndDefault) {
  EXPECT_EQ(CheckMaxServiceSessions(RawField{}, 10).value(), 10);
  EXPECT_EQ(CheckMaxServiceSessions(RawField::Null(), 7).value(), 7);
  EXPECT_EQ(CheckMaxServiceSessions(T("10"), 0).value(), 10);
  EXPECT_EQ(CheckMaxServiceSessions(RawField::Integer(0), 5).value(), 0);
  EXPECT_EQ(CheckMaxServiceSessions(RawField::Integer(100), 5).value(), 100);
  EXPECT_EQ(CheckMaxServiceSessions(RawField::Integer(101), 5).status().code(), Code::kInvalidParam);
  EXPECT_EQ(CheckMaxServiceSessions(T("-1"), 5).status().code(), Code::kInvalidParam);
  EXPECT_EQ(CheckMaxServiceSessions(T("ten"), 5).status().code(), Code::kInvalidParam);
}

TEST(OptionalTextTest, KeepsFallbackWhenAbsent) {
  EXPECT_EQ(CheckOptionalText(RawField{}, "trueName", "old").value(), "old");
  EXPECT_EQ(CheckOptionalText(T(""), "trueName", "old").value(), "");
  EXPECT_EQ(CheckOptionalText(RawField::Integer(1001), "agentNumber", "").value(), "1001");
  auto bad = CheckOptionalText(RawField::Other(), "mobilePhone", "");
  EXPECT_EQ(bad.status().code(), Code::kInvalidParam);
  EXPECT_NE(bad.status().detail().find("mobilePhone"), std::string::npos);
}

}  // namespace
}  // namespace kefu::domain
