// Answers on the wire: HEAD and 304 carry no body.
#include "http/api_messages.h"

#include <boost/beast/http/write.hpp>
#include <gtest/gtest.h>

#include <sstream>

namespace kefu::http {
namespace {

std::string Wire(api::ApiResponse r, bool head) {
  std::ostringstream out;
  out << ToBeastResponse(std::move(r), 11, true, head);
  return out.str();
}

TEST(ApiMessagesTest, HeadSendsTheLengthWithoutTheBody) {
  api::ApiResponse r;
  r.body = "0123456789";
  std::string wire = Wire(r, true);
  EXPECT_NE(wire.find("Content-Length: 10\r\n"), std::string::npos) << wire;
  EXPECT_TRUE(wire.ends_with("\r\n\r\n")) << wire;
  EXPECT_TRUE(Wire(r, false).ends_with("\r\n\r\n0123456789"));
}

TEST(ApiMessagesTest, NotModifiedHasNoBodyOrLength) {
  api::ApiResponse r;
  r.status = 304;
  r.headers = {{"ETag", "\"x\""}};
  std::string wire = Wire(r, false);
  EXPECT_EQ(wire.find("Content-Length"), std::string::npos) << wire;
  EXPECT_NE(wire.find("ETag: \"x\"\r\n"), std::string::npos) << wire;
  EXPECT_TRUE(wire.ends_with("\r\n\r\n"));
}

}  // namespace
}  // namespace kefu::http
