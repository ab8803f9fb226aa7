// A service's privacy notice (UU 27/2022 PDP) over real HTTP, on each database backend: the
// page /layanan/{code}/privasi in Indonesian and English, its 404, the link from the service
// page, and the "privacy_notice" object of GET /api/v1/services/{code}.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>
#include <memory>
#include <string>

#include "support/databases.h"
#include "support/html_text.h"
#include "support/server_harness.h"

namespace balai::testing {
namespace {

// One server per backend for the whole suite (starting one per test would dominate its time).
class PrivacyNoticePage : public ::testing::TestWithParam<std::string> {
 protected:
  struct Backend {
    std::unique_ptr<TempDatabase> database;
    std::unique_ptr<ServerHarness> server;
  };

  void SetUp() override {
    if (!database_backend_available(GetParam()))
      GTEST_SKIP() << "set BALAI_TEST_PG to run on PostgreSQL";
    Backend& b = backends_[GetParam()];
    if (!b.server) {
      b.database = std::make_unique<TempDatabase>(GetParam());
      // The harness opens its own connections from the URL; SQLite uses the harness's own file.
      const std::string url = GetParam() == "sqlite" ? std::string{} : b.database->url();
      b.server = std::make_unique<ServerHarness>(std::function<void(core::Config&)>{}, url);
    }
    server_ = b.server.get();
  }
  static void TearDownTestSuite() {
    for (auto& [name, b] : backends_) {
      b.server.reset();
      b.database.reset();
    }
    backends_.clear();
  }

  // GET /api/v1/services/{code}, parsed; fails the test when it is not 200.
  boost::json::object api_service(const std::string& code) {
    const auto r = server_->get("/api/v1/services/" + code);
    EXPECT_EQ(r.status, 200) << code;
    if (r.status != 200) return {};
    return boost::json::parse(r.body).as_object();
  }

  static bool contains(const HttpReply& r, std::string_view text) {
    return r.body.find(html_escaped(text)) != std::string::npos;
  }

  ServerHarness* server_ = nullptr;
  static std::map<std::string, Backend> backends_;
};
std::map<std::string, PrivacyNoticePage::Backend> PrivacyNoticePage::backends_;

TEST_P(PrivacyNoticePage, IncludesTheNoticeInTheApiForOneService) {
  const auto s = api_service("vaksinasi");
  ASSERT_FALSE(s.empty());
  const auto& n = s.at("privacy_notice").as_object();
  EXPECT_TRUE(n.at("collects_personal_data").as_bool());
  ASSERT_FALSE(n.at("data_items").as_array().empty());
  for (const auto& item : n.at("data_items").as_array()) {
    EXPECT_FALSE(item.at("id").as_string().empty());
    EXPECT_FALSE(item.at("en").as_string().empty());
  }
  for (const char* key : {"purpose", "recipients", "retention", "summary"}) {
    EXPECT_FALSE(n.at(key).at("id").as_string().empty()) << key;
    EXPECT_FALSE(n.at(key).at("en").as_string().empty()) << key;
  }
  EXPECT_EQ(n.at("legal_basis").as_string(), s.at("legal_basis").as_string());
  EXPECT_EQ(n.at("controller").at("code").as_string(), "dinkes");
  EXPECT_EQ(n.at("rights_page").as_string(), "/data-saya");
  EXPECT_EQ(n.at("page").as_string(), "/layanan/vaksinasi/privasi");
  EXPECT_EQ(s.at("links").at("privacy_notice").as_string(), "/layanan/vaksinasi/privasi");
}

TEST_P(PrivacyNoticePage, GivesEveryDemoServiceThatCollectsPersonalDataACompleteNotice) {
  const auto r = server_->get("/api/v1/services");
  ASSERT_EQ(r.status, 200);
  const auto body = boost::json::parse(r.body);
  int collecting = 0;
  for (const auto& listed : body.at("services").as_array()) {
    const std::string code(listed.at("code").as_string());
    const auto s = api_service(code);
    ASSERT_FALSE(s.empty()) << code;
    const auto& n = s.at("privacy_notice").as_object();
    if (!n.at("collects_personal_data").as_bool()) continue;
    ++collecting;
    for (const char* key : {"purpose", "recipients", "retention"}) {
      EXPECT_FALSE(n.at(key).at("id").as_string().empty()) << code << " " << key;
      EXPECT_FALSE(n.at(key).at("en").as_string().empty()) << code << " " << key;
    }
    EXPECT_FALSE(n.at("legal_basis").as_string().empty()) << code;
  }
  EXPECT_GE(collecting, 7);
}

TEST_P(PrivacyNoticePage, ShowsADemoServicesNoticeInIndonesianByDefault) {
  const auto s = api_service("akta-kelahiran");
  ASSERT_FALSE(s.empty());
  const auto& n = s.at("privacy_notice").as_object();
  const auto page = server_->get("/layanan/akta-kelahiran/privasi");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<html lang=\"id\""), std::string::npos);
  EXPECT_NE(page.body.find("Pemberitahuan privasi: Akta Kelahiran</h1>"), std::string::npos);
  for (const auto& item : n.at("data_items").as_array())
    EXPECT_TRUE(contains(page, item.at("id").as_string())) << item.at("id").as_string();
  EXPECT_TRUE(contains(page, n.at("purpose").at("id").as_string()));
  EXPECT_TRUE(contains(page, n.at("legal_basis").as_string()));
  EXPECT_TRUE(contains(page, n.at("recipients").at("id").as_string()));
  EXPECT_TRUE(contains(page, n.at("retention").at("id").as_string()));
  EXPECT_TRUE(contains(page, "Dinas Kependudukan dan Pencatatan Sipil"));
  EXPECT_NE(page.body.find("href=\"/data-saya\""), std::string::npos);
  EXPECT_TRUE(contains(page, "Hak Anda"));
}

TEST_P(PrivacyNoticePage, ShowsTheSameNoticeInEnglishOnRequest) {
  const auto s = api_service("akta-kelahiran");
  ASSERT_FALSE(s.empty());
  const auto& n = s.at("privacy_notice").as_object();
  const auto page = server_->get("/layanan/akta-kelahiran/privasi?lang=en");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<html lang=\"en\""), std::string::npos);
  EXPECT_NE(page.body.find("Privacy notice: Birth Certificate</h1>"), std::string::npos);
  for (const auto& item : n.at("data_items").as_array())
    EXPECT_TRUE(contains(page, item.at("en").as_string())) << item.at("en").as_string();
  EXPECT_TRUE(contains(page, n.at("purpose").at("en").as_string()));
  EXPECT_TRUE(contains(page, n.at("legal_basis").as_string()));
  EXPECT_TRUE(contains(page, n.at("recipients").at("en").as_string()));
  EXPECT_TRUE(contains(page, n.at("retention").at("en").as_string()));
  EXPECT_TRUE(contains(page, "Population and Civil Registration Office"));
  EXPECT_TRUE(contains(page, "Your rights"));
  EXPECT_FALSE(contains(page, n.at("purpose").at("id").as_string()));
}

TEST_P(PrivacyNoticePage, CoversThePortalAccountsDataItems) {
  const auto page = server_->get("/layanan/identitas/privasi?lang=en");
  ASSERT_EQ(page.status, 200);
  for (const char* item :
       {"NIK (population identity number)", "Full name", "Date of birth", "Sex",
        "Address as on your e-KTP", "Phone number", "Email address",
        "Photo of your e-KTP, deleted once verification is finished", "Account access log"})
    EXPECT_TRUE(contains(page, item)) << item;
}

TEST_P(PrivacyNoticePage, SaysPlainlyWhenAServiceCollectsNoPersonalData) {
  const auto s = api_service("transportasi");
  ASSERT_FALSE(s.empty());
  EXPECT_FALSE(s.at("privacy_notice").at("collects_personal_data").as_bool());
  const auto page = server_->get("/layanan/transportasi/privasi");
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(contains(page, "Layanan ini tidak meminta data pribadi Anda."));
  EXPECT_NE(page.body.find("href=\"/data-saya\""), std::string::npos);
}

TEST_P(PrivacyNoticePage, AnswersAnUnknownServiceWithThe404Page) {
  const auto id = server_->get("/layanan/tidak-ada/privasi");
  EXPECT_EQ(id.status, 404);
  EXPECT_NE(id.body.find("<html lang=\"id\""), std::string::npos);
  const auto en = server_->get("/layanan/tidak-ada/privasi?lang=en");
  EXPECT_EQ(en.status, 404);
  EXPECT_NE(en.body.find("<html lang=\"en\""), std::string::npos);
  EXPECT_EQ(server_->get("/layanan/Bukan%20Kode/privasi").status, 404);
}

TEST_P(PrivacyNoticePage, IsLinkedFromTheServicePage) {
  const auto page = server_->get("/layanan/pengaduan");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("href=\"/layanan/pengaduan/privasi\""), std::string::npos);
  EXPECT_TRUE(contains(page, "Pemberitahuan privasi"));
}

INSTANTIATE_TEST_SUITE_P(Backends, PrivacyNoticePage, ::testing::ValuesIn(test_database_backends()),
                         backend_test_name);

}  // namespace
}  // namespace balai::testing
