// The static files' rules over an in-memory FileSource.
#include "api/static_files.h"

#include <gtest/gtest.h>

#include <map>

namespace kefu::api {
namespace {

class FakeFiles : public web::FileSource {
 public:
  std::map<std::string, std::string, std::less<>> files;
  std::optional<std::string> Read(std::string_view path) const override {
    auto it = files.find(path);
    if (it == files.end()) return std::nullopt;
    return it->second;
  }
};

std::string HeaderOf(const ApiResponse& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

ApiRequest Get(Headers headers = {}) {
  ApiRequest r;
  r.method = "GET";
  r.headers = std::move(headers);
  return r;
}

TEST(StaticFilesTest, CleanPathRefusesEveryWayOut) {
  EXPECT_EQ(CleanStaticPath("css/site.css"), "css/site.css");
  EXPECT_EQ(CleanStaticPath("a%20b.txt"), "a b.txt");
  for (const char* raw : {"..", "../x", "a/../../x", "%2e%2e/x", "%2E%2e", ".", "a/./b", "a%2Fb", "a%2fb",
                          "a%5Cb", "a\\b", "a%00b", "", "a//b", ".env", "a/.git/config", "a/"}) {
    EXPECT_EQ(CleanStaticPath(raw), std::nullopt) << raw;
  }
}

TEST(StaticFilesTest, ContentTypes) {
  EXPECT_EQ(ContentTypeFor("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("a/app.JS"), "text/javascript; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("x.woff2"), "font/woff2");
  EXPECT_EQ(ContentTypeFor("x.wasm"), "application/wasm");
  EXPECT_EQ(ContentTypeFor("x.js.map"), "application/json");
  EXPECT_EQ(ContentTypeFor("README"), "application/octet-stream");
  EXPECT_EQ(ContentTypeFor("x.unknown"), "application/octet-stream");
  EXPECT_EQ(ContentTypeFor("dir.css/file"), "application/octet-stream");
}

TEST(StaticFilesTest, HashedNames) {
  EXPECT_TRUE(IsHashedName("assets/index-3fa9c1d2.js"));
  EXPECT_TRUE(IsHashedName("app.8e1f04b7c2.css"));
  EXPECT_TRUE(IsHashedName("index-B3x9k2aQ.js"));
  EXPECT_FALSE(IsHashedName("index.html"));
  EXPECT_FALSE(IsHashedName("app-analytics.js"));  // a word, not a hash
  EXPECT_FALSE(IsHashedName("12345678.js"));       // no separator before it
}

TEST(StaticFilesTest, AcceptEncodingAndIfNoneMatch) {
  EXPECT_TRUE(AcceptsGzip("gzip, deflate, br"));
  EXPECT_TRUE(AcceptsGzip("br;q=1.0, GZIP;q=0.5"));
  EXPECT_TRUE(AcceptsGzip("*"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0"));
  EXPECT_FALSE(AcceptsGzip("br, identity"));
  EXPECT_FALSE(AcceptsGzip(""));
  EXPECT_TRUE(EtagMatches("\"a\", \"b\"", "\"b\""));
  EXPECT_TRUE(EtagMatches("W/\"b\"", "\"b\""));
  EXPECT_TRUE(EtagMatches("*", "\"b\""));
  EXPECT_FALSE(EtagMatches("\"c\"", "\"b\""));
  EXPECT_FALSE(EtagMatches("", "\"b\""));
}

TEST(StaticFilesTest, AnswerWithValidatorsGzipAnd304) {
  FakeFiles fs;
  fs.files["app.js"] = "plain";
  fs.files["app.js.gz"] = "zipped";
  ApiResponse plain = StaticFileAnswer(fs, Get(), "app.js");
  EXPECT_EQ(plain.status, 200);
  EXPECT_EQ(plain.body, "plain");
  EXPECT_EQ(plain.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(HeaderOf(plain, "Cache-Control"), "no-cache");
  EXPECT_EQ(HeaderOf(plain, "Vary"), "Accept-Encoding");
  EXPECT_EQ(HeaderOf(plain, "Content-Encoding"), "");
  EXPECT_EQ(HeaderOf(plain, "X-Content-Type-Options"), "nosniff");

  ApiResponse zipped = StaticFileAnswer(fs, Get({{"accept-encoding", "gzip"}}), "app.js");
  EXPECT_EQ(zipped.body, "zipped");
  EXPECT_EQ(HeaderOf(zipped, "Content-Encoding"), "gzip");
  EXPECT_NE(HeaderOf(zipped, "ETag"), HeaderOf(plain, "ETag"));

  ApiResponse again = StaticFileAnswer(fs, Get({{"If-None-Match", HeaderOf(plain, "ETag")}}), "app.js");
  EXPECT_EQ(again.status, 304);
  EXPECT_EQ(again.body, "");
  EXPECT_EQ(HeaderOf(again, "ETag"), HeaderOf(plain, "ETag"));

  EXPECT_EQ(StaticFileAnswer(fs, Get(), "missing.js").status, 404);
  EXPECT_EQ(StaticFileAnswer(fs, Get(), "../app.js").status, 404);
}

}  // namespace
}  // namespace kefu::api
