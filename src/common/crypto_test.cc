#include "common/crypto.h"

#include <gtest/gtest.h>

namespace kefu {
namespace {

// RFC 4231's test cases 2 and 6 (a key longer than a block is hashed first).
TEST(CryptoTest, HmacSha256MatchesRfc4231) {
  ASSERT_TRUE(InitCrypto());
  EXPECT_EQ(ToHex(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(ToHex(HmacSha256(std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

}  // namespace
}  // namespace kefu
