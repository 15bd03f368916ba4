#include "common/text.h"

#include <gtest/gtest.h>

namespace kefu {
namespace {

TEST(Utf8LengthTest, CountsCodePoints) {
  EXPECT_EQ(Utf8Length(""), 0u);
  EXPECT_EQ(Utf8Length("qwe12345"), 8u);
  EXPECT_EQ(Utf8Length("密码密码密码密码"), 8u);
  EXPECT_EQ(Utf8Length("\xF0\x9F\x98\x80"), 1u);  // one emoji, four bytes
}

TEST(Utf8LengthTest, RejectsInvalid) {
  EXPECT_FALSE(Utf8Length("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(Utf8Length("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(Utf8Length("\xE4\xBD"));          // truncated
  EXPECT_FALSE(Utf8Length("\xFF"));              // never valid
  EXPECT_FALSE(Utf8Length("\xF4\x90\x80\x80"));  // past U+10FFFF
}

TEST(ParseIntegerTest, StrictDecimal) {
  EXPECT_EQ(ParseInteger("0", 0, 10), 0);
  EXPECT_EQ(ParseInteger("-3", -5, 5), -3);
  EXPECT_EQ(ParseInteger("2147483647", 0, 2147483647), 2147483647);
  for (const char* bad : {"", "+1", " 1", "1 ", "1.0", "1e3", "0x10", "abc", "11"}) {
    EXPECT_FALSE(ParseInteger(bad, -10, 10)) << bad;
  }
  EXPECT_FALSE(ParseInteger("99999999999999999999", INT64_MIN, INT64_MAX));
}

TEST(AsciiLowerTest, LowersOnlyAscii) {
  EXPECT_EQ(AsciiLower("AbC@QQ.Com"), "abc@qq.com");
  EXPECT_EQ(AsciiLower("Émile"), "Émile");
}

}  // namespace
}  // namespace kefu

namespace kefu {
namespace {

TEST(ValidUtf8, KeepsValidTextAsItIs) {
  EXPECT_EQ(ValidUtf8("abc 环信 😀"), "abc 环信 😀");
  EXPECT_EQ(ValidUtf8(""), "");
}

TEST(ValidUtf8, ReplacesEachInvalidByte) {
  EXPECT_EQ(ValidUtf8("a\xFF" "b"), "a\xEF\xBF\xBD" "b");
  // An overlong '/', a lone surrogate, a cut-off sequence.
  EXPECT_EQ(ValidUtf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(ValidUtf8("\xED\xB0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(ValidUtf8("x\xE7\x8E"), "x\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_TRUE(Utf8Length(ValidUtf8("\xFE\xFF\x80\xC3")).has_value());
}

}  // namespace
}  // namespace kefu
