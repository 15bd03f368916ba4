// kefud serve --web-root: GET /static/PATH serves the directory's files with
// their content type, validators and gzip, and nothing outside it.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "harness.h"

namespace bb {
namespace {

class StaticFilesTest : public KefuTest {
 protected:
  void SetUp() override {
    KefuTest::SetUp();
    root_ = dir_->File("web");
    outside_ = dir_->File("outside");
    std::filesystem::create_directories(root_ + "/assets");
    std::filesystem::create_directories(outside_);
    Write(outside_ + "/secret.txt", "not for the web");
    StartServer({"--web-root", root_});
  }

  void Write(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary) << bytes;
  }

  std::string root_;
  std::string outside_;
};

TEST_F(StaticFilesTest, ContentTypesByExtension) {
  const std::pair<const char*, const char*> cases[] = {
      {"index.html", "text/html; charset=utf-8"},
      {"assets/app.js", "text/javascript; charset=utf-8"},
      {"site.css", "text/css; charset=utf-8"},
      {"data.json", "application/json"},
      {"logo.svg", "image/svg+xml"},
      {"logo.png", "image/png"},
      {"photo.jpg", "image/jpeg"},
      {"font.woff2", "font/woff2"},
      {"favicon.ico", "image/x-icon"},
      {"notes.txt", "text/plain; charset=utf-8"},
      {"app.js.map", "application/json"},
      {"module.wasm", "application/wasm"},
      {"blob.xyz", "application/octet-stream"},
  };
  for (const auto& [name, type] : cases) {
    Write(root_ + "/" + name, std::string("bytes of ") + name);
    Response r = http().Request("GET", std::string("/static/") + name);
    EXPECT_EQ(r.status, 200) << name << Describe(r);
    EXPECT_EQ(r.body, std::string("bytes of ") + name);
    EXPECT_EQ(r.Header("Content-Type"), type) << name;
    EXPECT_EQ(r.Header("X-Content-Type-Options"), "nosniff") << name;
  }
}

TEST_F(StaticFilesTest, StrongETagAnd304) {
  Write(root_ + "/index.html", "<p>hello</p>");
  Response first = http().Request("GET", "/static/index.html");
  ASSERT_EQ(first.status, 200) << Describe(first);
  const std::string etag = first.Header("ETag");
  EXPECT_TRUE(MatchesRegex(etag, "^\"[0-9a-f]{32}\"$")) << etag;
  EXPECT_EQ(first.Header("Cache-Control"), "no-cache");

  Response again = http().Request("GET", "/static/index.html", {}, {{"If-None-Match", etag}});
  EXPECT_EQ(again.status, 304) << Describe(again);
  EXPECT_EQ(again.body, "");
  EXPECT_EQ(again.Header("ETag"), etag);

  Response other = http().Request("GET", "/static/index.html", {}, {{"If-None-Match", "\"0000\""}});
  EXPECT_EQ(other.status, 200);
  // New bytes, new tag.
  Write(root_ + "/index.html", "<p>changed</p>");
  Response changed = http().Request("GET", "/static/index.html", {}, {{"If-None-Match", etag}});
  EXPECT_EQ(changed.status, 200);
  EXPECT_NE(changed.Header("ETag"), etag);
}

TEST_F(StaticFilesTest, HashedNamesAreImmutable) {
  Write(root_ + "/assets/index-3fa9c1d2.js", "x");
  Response r = http().Request("GET", "/static/assets/index-3fa9c1d2.js");
  EXPECT_EQ(r.Header("Cache-Control"), "public, max-age=31536000, immutable");
}

TEST_F(StaticFilesTest, PrecompressedGzipOnlyWhenAccepted) {
  Write(root_ + "/assets/app.js", "plain script");
  Write(root_ + "/assets/app.js.gz", "gzipped script");
  Response zipped = http().Request("GET", "/static/assets/app.js", {}, {{"Accept-Encoding", "br, gzip"}});
  EXPECT_EQ(zipped.status, 200);
  EXPECT_EQ(zipped.body, "gzipped script");
  EXPECT_EQ(zipped.Header("Content-Encoding"), "gzip");
  EXPECT_EQ(zipped.Header("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(zipped.Header("Vary"), "Accept-Encoding");

  for (const Headers& h : {Headers{}, Headers{{"Accept-Encoding", "br"}}, Headers{{"Accept-Encoding", "gzip;q=0"}}}) {
    Response plain = http().Request("GET", "/static/assets/app.js", {}, h);
    EXPECT_EQ(plain.body, "plain script");
    EXPECT_FALSE(plain.HasHeader("Content-Encoding"));
    EXPECT_EQ(plain.Header("Vary"), "Accept-Encoding");
    EXPECT_NE(plain.Header("ETag"), zipped.Header("ETag"));
  }
}

TEST_F(StaticFilesTest, NothingOutsideTheRoot) {
  Write(root_ + "/inside.txt", "inside");
  ASSERT_EQ(symlink((outside_ + "/secret.txt").c_str(), (root_ + "/link.txt").c_str()), 0);
  ASSERT_EQ(symlink(outside_.c_str(), (root_ + "/linkdir").c_str()), 0);
  const std::string escape = "/outside/secret.txt";
  const std::vector<std::string> targets = {
       std::string("/static/..") + escape, "/static/%2e%2e" + escape, "/static/%2E%2E" + escape,
        "/static/.%2e" + escape, "/static/..%2F..%2Foutside%2Fsecret.txt", "/static/inside.txt%2F..%2F.." + escape,
        "/static/..%5Coutside%5Csecret.txt", "/static/inside.txt%00", "/static/link.txt",
        "/static/linkdir/secret.txt"};
  for (const std::string& target : targets) {
    Response r = http().Request("GET", target);
    EXPECT_TRUE(IsError(r, 404, "API_404")) << target << Describe(r);
    EXPECT_EQ(r.body.find("not for the web"), std::string::npos) << target;
  }
  EXPECT_EQ(http().Request("GET", "/static/inside.txt").body, "inside");
}

TEST_F(StaticFilesTest, MissingFileIsTheJson404) {
  EXPECT_TRUE(IsError(http().Request("GET", "/static/missing.js"), 404, "API_404"));
  EXPECT_TRUE(IsError(http().Request("GET", "/static/assets"), 404, "API_404"));  // a directory
  EXPECT_TRUE(IsError(http().Request("POST", "/static/index.html", "{}"), 405, "API_405"));
}

class NoWebRootTest : public KefuTest {};

TEST_F(NoWebRootTest, StaticIsA404WithoutWebRoot) {
  StartServer();
  EXPECT_TRUE(IsError(http().Request("GET", "/static/index.html"), 404, "API_404"));
}

}  // namespace
}  // namespace bb
