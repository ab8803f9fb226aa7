#include "http/static_files.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "core/ids.h"
#include "http/router.h"

namespace balai::http {
namespace {

namespace fs = std::filesystem;
using namespace std::string_literals;

// A temporary web/static folder, removed at the end.
class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("balai-static-" + core::random_hex_id().substr(0, 16));
    fs::create_directories(dir_ / "css");
    fs::create_directories(dir_ / "img");
    write("css/balai.css", "body{color:#123}\n");
    write("js/app.js", "console.log('balai');\n");
    write("img/logo.png", "\x89PNG\r\n\x1a\n\0\0\0\rIHDR"s);
    write("LICENSE", "MIT\n");
  }

  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  void write(const std::string& rel, const std::string& content) {
    fs::create_directories((dir_ / rel).parent_path());
    std::ofstream(dir_ / rel, std::ios::binary) << content;
  }

  StaticFiles load() {
    auto files = StaticFiles::load(dir_.string());
    if (!files.ok()) {
      ADD_FAILURE() << files.error().message;
      return StaticFiles{};
    }
    return std::move(files).value();
  }

  static Request get(std::string_view path) {
    Request req;
    req.params["path"] = std::string(path);
    return req;
  }

  // "/static/css/balai.1a2b3c4d.css" -> "css/balai.1a2b3c4d.css"
  static std::string path_of(const std::string& url) {
    return url.substr(std::string("/static/").size());
  }

  fs::path dir_;
};

TEST_F(StaticFilesTest, LoadsEveryFileUnderTheFolder) {
  EXPECT_EQ(load().size(), 4u);
}

TEST_F(StaticFilesTest, LoadingAMissingFolderFails) {
  auto files = StaticFiles::load((dir_ / "no-such-folder").string());
  ASSERT_FALSE(files.ok());
  EXPECT_EQ(files.error().code, core::ErrorCode::not_found);
}

TEST_F(StaticFilesTest, DoesNotFollowSymlinks) {
  const fs::path outside = dir_.string() + "-secret";
  std::ofstream(outside) << "secret";
  fs::create_symlink(outside, dir_ / "css" / "link.css");
  const StaticFiles files = load();
  fs::remove(outside);
  EXPECT_EQ(files.size(), 4u);
  EXPECT_EQ(files.serve(get("css/link.css")).status, 404);
}

TEST_F(StaticFilesTest, UrlForInsertsTheFingerprintBeforeTheExtension) {
  const std::string url = load().url_for("css/balai.css");
  ASSERT_EQ(url.size(), std::string("/static/css/balai.12345678.css").size()) << url;
  EXPECT_TRUE(url.starts_with("/static/css/balai.")) << url;
  EXPECT_TRUE(url.ends_with(".css")) << url;
  const std::string fp = url.substr(std::string("/static/css/balai.").size(), 8);
  EXPECT_EQ(fp.find_first_not_of("0123456789abcdef"), std::string::npos) << url;
}

TEST_F(StaticFilesTest, FingerprintChangesWithTheContent) {
  const std::string before = load().url_for("css/balai.css");
  write("css/balai.css", "body{color:#456}\n");
  EXPECT_NE(load().url_for("css/balai.css"), before);
}

TEST_F(StaticFilesTest, UrlForAnUnknownFileIsThePlainUrl) {
  EXPECT_EQ(load().url_for("css/missing.css"), "/static/css/missing.css");
}

TEST_F(StaticFilesTest, ServesThePlainNameWithEtagAndRevalidation) {
  const Response r = load().serve(get("css/balai.css"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "body{color:#123}\n");
  EXPECT_EQ(r.headers.get("Content-Type"), "text/css; charset=utf-8");
  EXPECT_EQ(r.headers.get("Cache-Control"), "public, no-cache");
  const auto etag = r.headers.get("ETag");
  ASSERT_TRUE(etag.has_value());
  EXPECT_TRUE(etag->starts_with("\"") && etag->ends_with("\"") && etag->size() > 2) << *etag;
}

TEST_F(StaticFilesTest, ServesTheFingerprintedNameAsImmutable) {
  const StaticFiles files = load();
  const Response r = files.serve(get(path_of(files.url_for("css/balai.css"))));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "body{color:#123}\n");
  EXPECT_EQ(r.headers.get("Cache-Control"), "public, max-age=31536000, immutable");
}

TEST_F(StaticFilesTest, ServesBinaryContentUnchanged) {
  const Response r = load().serve(get("img/logo.png"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "\x89PNG\r\n\x1a\n\0\0\0\rIHDR"s);
  EXPECT_EQ(r.headers.get("Content-Type"), "image/png");
}

TEST_F(StaticFilesTest, WrongFingerprintIsNotFound) {
  const Response r = load().serve(get("css/balai.00000000.css"));
  EXPECT_EQ(r.status, 404);
}

TEST_F(StaticFilesTest, UnknownFileIsNotFound) {
  const Response r = load().serve(get("css/other.css"));
  EXPECT_EQ(r.status, 404);
  EXPECT_FALSE(r.headers.has("ETag"));
}

TEST_F(StaticFilesTest, ParentFolderReferenceIsNotFound) {
  const StaticFiles files = load();
  EXPECT_EQ(files.serve(get("../" + dir_.filename().string() + "/css/balai.css")).status, 404);
  EXPECT_EQ(files.serve(get("css/../css/balai.css")).status, 404);
  EXPECT_EQ(files.serve(get("..")).status, 404);
}

TEST_F(StaticFilesTest, AbsolutePathIsNotFound) {
  EXPECT_EQ(load().serve(get((dir_ / "css/balai.css").string())).status, 404);
}

TEST_F(StaticFilesTest, MatchingIfNoneMatchGivesNotModified) {
  const StaticFiles files = load();
  const std::string etag(*files.serve(get("css/balai.css")).headers.get("ETag"));
  Request req = get("css/balai.css");
  req.headers.set("If-None-Match", etag);
  const Response r = files.serve(req);
  EXPECT_EQ(r.status, 304);
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(r.headers.get("ETag"), etag);
}

TEST_F(StaticFilesTest, IfNoneMatchListingTheEtagGivesNotModified) {
  const StaticFiles files = load();
  const std::string etag(*files.serve(get("css/balai.css")).headers.get("ETag"));
  Request req = get("css/balai.css");
  req.headers.set("If-None-Match", "\"other\", " + etag);
  EXPECT_EQ(files.serve(req).status, 304);
}

TEST_F(StaticFilesTest, OtherIfNoneMatchGivesTheFile) {
  Request req = get("css/balai.css");
  req.headers.set("If-None-Match", "\"0000000000000000\"");
  const Response r = load().serve(req);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "body{color:#123}\n");
}

TEST_F(StaticFilesTest, FileWithoutExtensionIsServedUnderItsPlainName) {
  EXPECT_EQ(load().serve(get("LICENSE")).status, 200);
}

TEST_F(StaticFilesTest, FingerprintedUrlOfAFileWithoutExtensionIsServed) {
  const StaticFiles files = load();
  const std::string url = files.url_for("LICENSE");
  const Response r = files.serve(get(path_of(url)));
  EXPECT_EQ(r.status, 200) << url;
  EXPECT_EQ(r.body, "MIT\n");
}

TEST_F(StaticFilesTest, InstallRegistersAnInlineRouteUnderStatic) {
  const StaticFiles files = load();
  Router router;
  files.install(router);
  const Match m = router.match(Method::get, "/static/js/app.js");
  ASSERT_NE(m.route, nullptr);
  EXPECT_TRUE(m.route->inline_io);
  Request req;
  req.params = m.params;
  const Response r = m.route->handler(req);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "console.log('balai');\n");
  EXPECT_EQ(r.headers.get("Content-Type"), "text/javascript; charset=utf-8");
}

TEST(MediaType, KnowsTheWebFormats) {
  EXPECT_EQ(media_type_for("a.css"), "text/css; charset=utf-8");
  EXPECT_EQ(media_type_for("a.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(media_type_for("a.mjs"), "text/javascript; charset=utf-8");
  EXPECT_EQ(media_type_for("a.json"), "application/json");
  EXPECT_EQ(media_type_for("a.svg"), "image/svg+xml");
  EXPECT_EQ(media_type_for("a.png"), "image/png");
  EXPECT_EQ(media_type_for("a.jpg"), "image/jpeg");
  EXPECT_EQ(media_type_for("a.jpeg"), "image/jpeg");
  EXPECT_EQ(media_type_for("a.webp"), "image/webp");
  EXPECT_EQ(media_type_for("favicon.ico"), "image/x-icon");
  EXPECT_EQ(media_type_for("f.woff2"), "font/woff2");
  EXPECT_EQ(media_type_for("f.woff"), "font/woff");
  EXPECT_EQ(media_type_for("robots.txt"), "text/plain; charset=utf-8");
  EXPECT_EQ(media_type_for("manifest.webmanifest"), "application/manifest+json");
}

TEST(MediaType, UsesTheLastExtension) {
  EXPECT_EQ(media_type_for("css/balai.1a2b3c4d.css"), "text/css; charset=utf-8");
  EXPECT_EQ(media_type_for("archive.css.gz"), "application/octet-stream");
}

TEST(MediaType, IsOctetStreamWhenUnknown) {
  EXPECT_EQ(media_type_for("LICENSE"), "application/octet-stream");
  EXPECT_EQ(media_type_for("a.exe"), "application/octet-stream");
}

}  // namespace
}  // namespace balai::http
