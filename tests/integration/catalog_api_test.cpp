// The catalog's JSON API and pages over real HTTP: happy paths and every unhappy one.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "support/server_harness.h"

namespace balai::testing {
namespace {

class CatalogApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new ServerHarness(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static HttpReply query(const std::string& body, const std::string& type = "application/json") {
    return server_->send("POST", "/api/v1/services/query", body, {{"Content-Type", type}});
  }
  static std::string error_code(const HttpReply& r) {
    return std::string(boost::json::parse(r.body).at("error").at("code").as_string());
  }
  static ServerHarness* server_;
};
ServerHarness* CatalogApi::server_ = nullptr;

TEST_F(CatalogApi, ListsTheDemoCitysServicesInBothLanguages) {
  const auto r = server_->get("/api/v1/services");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type"), "application/json");
  const auto services = boost::json::parse(r.body).at("services").as_array();
  ASSERT_GE(services.size(), 8u);
  for (const auto& s : services) {
    EXPECT_FALSE(s.at("name").at("id").as_string().empty());
    EXPECT_FALSE(s.at("name").at("en").as_string().empty());
    EXPECT_TRUE(s.at("cost_rupiah").is_int64());
  }
}

TEST_F(CatalogApi, ShowsOneServiceByCode) {
  const auto r = server_->get("/api/v1/services/pengaduan");
  ASSERT_EQ(r.status, 200);
  const auto s = boost::json::parse(r.body);
  EXPECT_EQ(s.at("code").as_string(), "pengaduan");
  EXPECT_EQ(s.at("links").at("page").as_string(), "/layanan/pengaduan");
}

TEST_F(CatalogApi, AnswersAnUnknownServiceWith404AndTheErrorBody) {
  const auto r = server_->get("/api/v1/services/tidak-ada");
  EXPECT_EQ(r.status, 404);
  const auto e = boost::json::parse(r.body).at("error");
  EXPECT_EQ(e.at("code").as_string(), "not_found");
  EXPECT_EQ(e.at("request_id").as_string(), r.header("x-request-id"));
}

TEST_F(CatalogApi, AnswersAnUnknownApiPathWithTheJsonErrorBody) {
  const auto r = server_->get("/api/v1/nothing-here");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(error_code(r), "not_found");
}

TEST_F(CatalogApi, FiltersByCategoryAndText) {
  const auto r = server_->get("/api/v1/services?category=identity");
  ASSERT_EQ(r.status, 200);
  const auto body = boost::json::parse(r.body);
  for (const auto& s : body.at("services").as_array())
    EXPECT_EQ(s.at("category").as_string(), "identity");
  const auto t = server_->get("/api/v1/services?q=PAJAK");
  const auto found = boost::json::parse(t.body).at("services").as_array();
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].at("code").as_string(), "pajak-daerah");
}

TEST_F(CatalogApi, RejectsAnUnknownCategoryInTheUrlWith422) {
  const auto r = server_->get("/api/v1/services?category=rocket");
  EXPECT_EQ(r.status, 422);
  EXPECT_TRUE(boost::json::parse(r.body).at("error").at("fields").as_object().contains("category"));
}

TEST_F(CatalogApi, SearchesWithAJsonQuery) {
  const auto r = query(R"({"q":"akta","category":"identity"})");
  ASSERT_EQ(r.status, 200);
  const auto found = boost::json::parse(r.body).at("services").as_array();
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].at("code").as_string(), "akta-kelahiran");
}

TEST_F(CatalogApi, RejectsAQueryThatIsNotJsonWith415) {
  const auto r = query("q=akta", "application/x-www-form-urlencoded");
  EXPECT_EQ(r.status, 415);
  EXPECT_EQ(error_code(r), "unsupported_media_type");
}

TEST_F(CatalogApi, RejectsAQueryWithoutContentTypeWith415) {
  EXPECT_EQ(server_->send("POST", "/api/v1/services/query", "{}").status, 415);
}

TEST_F(CatalogApi, RejectsMalformedJsonWith400AndTheErrorBody) {
  const auto r = query(R"({"q": "akta")");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(error_code(r), "bad_request");
}

TEST_F(CatalogApi, RejectsJsonWithInvalidUtf8With400) {
  EXPECT_EQ(query("{\"q\":\"\xff\xfe\"}").status, 400);
}

TEST_F(CatalogApi, RejectsAFieldOfTheWrongTypeWith422NamingIt) {
  const auto r = query(R"({"q": 42})");
  EXPECT_EQ(r.status, 422);
  EXPECT_TRUE(boost::json::parse(r.body).at("error").at("fields").as_object().contains("q"));
  EXPECT_EQ(query(R"({"online": "yes"})").status, 422);
  EXPECT_EQ(query(R"([1,2])").status, 422);
}

TEST_F(CatalogApi, RejectsAnUnknownFieldWith422) {
  EXPECT_EQ(query(R"({"qq": "x"})").status, 422);
}

TEST_F(CatalogApi, RejectsTooLongSearchTextWith422) {
  EXPECT_EQ(query("{\"q\":\"" + std::string(101, 'a') + "\"}").status, 422);
}

TEST_F(CatalogApi, RejectsATooLargeQueryWith413) {
  EXPECT_EQ(query("{\"q\":\"" + std::string(5000, 'a') + "\"}").status, 413);
}

TEST_F(CatalogApi, RejectsTooDeeplyNestedJsonWith400) {
  EXPECT_EQ(query(std::string(10, '[') + std::string(10, ']')).status, 400);
}

TEST_F(CatalogApi, ServesTheHomePageInIndonesianByDefault) {
  const auto r = server_->get("/");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("<html lang=\"id\""), std::string::npos);
  EXPECT_NE(r.body.find("Pengaduan Masyarakat"), std::string::npos);
}

TEST_F(CatalogApi, ServesEnglishOnRequestAndRemembersIt) {
  const auto r = server_->get("/?lang=en");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("<html lang=\"en\""), std::string::npos);
  EXPECT_NE(r.body.find("Public Complaints"), std::string::npos);
  EXPECT_NE(r.header("set-cookie").find("lang=en"), std::string::npos);
  const auto next = server_->get("/layanan/pengaduan", {{"Cookie", "lang=en"}});
  EXPECT_NE(next.body.find("<html lang=\"en\""), std::string::npos);
}

TEST_F(CatalogApi, ServesAServicePage) {
  const auto r = server_->get("/layanan/akta-kelahiran");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("Akta Kelahiran"), std::string::npos);
  EXPECT_NE(r.body.find("Gratis"), std::string::npos);
}

TEST_F(CatalogApi, AnswersAnUnknownPageWithThe404PageInTheRightLanguage) {
  const auto id = server_->get("/layanan/tidak-ada");
  EXPECT_EQ(id.status, 404);
  EXPECT_NE(id.body.find("<html lang=\"id\""), std::string::npos);
  const auto en = server_->get("/no/such/page", {{"Cookie", "lang=en"}});
  EXPECT_EQ(en.status, 404);
  EXPECT_NE(en.body.find("<html lang=\"en\""), std::string::npos);
}

TEST_F(CatalogApi, ServesStaticFilesWithLongCacheWhenFingerprinted) {
  const auto home = server_->get("/");
  const size_t at = home.body.find("/static/css/balai.");
  ASSERT_NE(at, std::string::npos);
  const std::string url = home.body.substr(at, home.body.find('"', at) - at);
  const auto css = server_->get(url);
  EXPECT_EQ(css.status, 200);
  EXPECT_EQ(css.header("content-type"), "text/css; charset=utf-8");
  EXPECT_NE(css.header("cache-control").find("immutable"), std::string::npos);
  const auto plain = server_->get("/static/css/balai.css");
  EXPECT_EQ(plain.status, 200);
  EXPECT_EQ(server_->get("/static/css/balai.css", {{"If-None-Match", plain.header("etag")}}).status,
            304);
}

TEST_F(CatalogApi, NeverServesAFileOutsideTheStaticFolder) {
  EXPECT_EQ(server_->get("/static/../../CMakeLists.txt").status, 404);
  EXPECT_EQ(server_->get("/static/%2e%2e/%2e%2e/CMakeLists.txt").status, 404);
  EXPECT_EQ(server_->get("/static/..%2f..%2fCMakeLists.txt").status, 404);
  EXPECT_EQ(server_->get("/static/i18n/id.json").status, 404);
}

}  // namespace
}  // namespace balai::testing
