#include "http/client_address.h"

#include <gtest/gtest.h>

namespace kefu::http {
namespace {

const std::vector<std::string> kProxy = {"127.0.0.1"};

TEST(ClientAddress, PeerWhenNoProxyIsTrusted) {
  EXPECT_EQ(ClientAddress("10.0.0.5", "1.2.3.4", {}), "10.0.0.5");
}

TEST(ClientAddress, PeerWhenThePeerIsNotTrusted) {
  EXPECT_EQ(ClientAddress("10.0.0.5", "1.2.3.4", kProxy), "10.0.0.5");
}

TEST(ClientAddress, LastForwardedEntryFromATrustedProxy) {
  EXPECT_EQ(ClientAddress("127.0.0.1", "1.2.3.4", kProxy), "1.2.3.4");
  // Earlier entries are whatever the client sent; only the proxy's own is believed.
  EXPECT_EQ(ClientAddress("127.0.0.1", "6.6.6.6, 1.2.3.4", kProxy), "1.2.3.4");
  EXPECT_EQ(ClientAddress("127.0.0.1", "6.6.6.6,1.2.3.4 ", kProxy), "1.2.3.4");
}

TEST(ClientAddress, PeerWhenTheTrustedProxySentNothingUsable) {
  EXPECT_EQ(ClientAddress("127.0.0.1", "", kProxy), "127.0.0.1");
  EXPECT_EQ(ClientAddress("127.0.0.1", "1.2.3.4, ", kProxy), "127.0.0.1");
  EXPECT_EQ(ClientAddress("127.0.0.1", std::string(100, 'x'), kProxy), "127.0.0.1");
}

}  // namespace
}  // namespace kefu::http
