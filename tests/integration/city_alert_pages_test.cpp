// The citizens' page of city alerts by email (/kota/peringatan) over real HTTP on each database
// backend, as a browser without JavaScript uses it (session cookie, CSRF field, 303 after
// success, the page again with an error summary and its status otherwise): visitors are asked
// to sign in, a citizen follows and stops following districts of the city, a duplicate, a
// district of another city, no choice and a district not followed are refused on the page, a
// form without its token is refused, staff are told the page is for citizens, the page speaks
// English, and /kota links to it.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "modules/city/alert_service.h"
#include "security/accounts.h"
#include "security/actor.h"
#include "support/auth_helpers.h"
#include "support/browser.h"
#include "support/databases.h"
#include "support/html_text.h"
#include "support/server_harness.h"

namespace balai::testing {
namespace {

constexpr const char* kPage = "/kota/peringatan";
constexpr const char* kRemove = "/kota/peringatan/hapus";
constexpr const char* kKartoharjo = "35.77.01";  // a kecamatan of the demo city (Kota Madiun)
constexpr const char* kTaman = "35.77.03";
constexpr const char* kElsewhere = "35.78.01";  // a kecamatan of Kota Surabaya

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

class CityAlertPages : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!database_backend_available(GetParam()))
      GTEST_SKIP() << "set BALAI_TEST_PG to run on PostgreSQL";
    database_ = std::make_unique<TempDatabase>(GetParam());
    const std::string url = GetParam() == "sqlite" ? std::string{} : database_->url();
    server_ = std::make_unique<ServerHarness>(std::function<void(core::Config&)>{}, url);
  }
  void TearDown() override {
    server_.reset();
    database_.reset();
  }

  ServerHarness& server() { return *server_; }
  app::App& app() { return server_->runtime().app(); }

  // The catalog's text as the page shows it; "{name}" filled when given.
  std::string shown(std::string_view key, std::string_view lang = "id",
                    std::string_view name = {}) {
    std::string text(app().renderer.catalogs().text(lang, key));
    if (auto at = text.find("{name}"); at != std::string::npos && !name.empty())
      text.replace(at, 6, name);
    return html_escaped(text);
  }

  // A browser signed in as `login`, having read the page (and so holding its form token).
  std::unique_ptr<Browser> signed_in(const std::string& login, const std::string& password) {
    auto b = std::make_unique<Browser>(server());
    b->set_cookie(Browser::kSessionCookie, sign_in_bearer(server(), login, password));
    b->get(kPage);
    if (b->csrf().empty()) throw std::runtime_error(login + ": no form token on " + kPage);
    return b;
  }
  std::unique_ptr<Browser> citizen() { return signed_in(kDemoCitizenLogin, kDemoCitizenPassword); }

  // The demo citizen's districts as the service has them.
  std::vector<std::string> watched() {
    const auto& accounts = app().security.accounts;
    auto account = accounts.find_by_login(kDemoCitizenLogin);
    if (!account || !*account) throw std::runtime_error("no demo citizen");
    const security::Actor actor{
        (*account)->id, security::Role::citizen, "", security::AuthMethod::session, "", {},
        (*account)->key};
    auto districts = city::alert_service_of(app()).watched_districts(&actor);
    if (!districts) throw std::runtime_error(districts.error().message);
    return *districts;
  }

  // Adds a district through the page; the reply to the POST.
  HttpReply add(Browser& b, const std::string& district) {
    b.get(kPage);
    return b.post_form(kPage, {{"district", district}});
  }
  HttpReply remove(Browser& b, const std::string& district) {
    b.get(kPage);
    return b.post_form(kRemove, {{"district", district}});
  }

 private:
  std::unique_ptr<TempDatabase> database_;
  std::unique_ptr<ServerHarness> server_;
};

TEST_P(CityAlertPages, AsksVisitorsToSignInAndShowsNoForm) {
  const auto page = server().get(kPage);
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.header("cache-control"), "no-store");
  EXPECT_TRUE(contains(page.body, "<html lang=\"id\">"));
  EXPECT_TRUE(contains(page.body, shown("city_alerts.heading")));
  EXPECT_TRUE(contains(page.body, shown("city_alerts.sign_in.intro")));
  EXPECT_TRUE(contains(page.body, "href=\"/masuk?next=/kota/peringatan\""));
  EXPECT_FALSE(contains(page.body, "name=\"district\""));

  // A visitor's form post (with a visitor's token from the sign-in page) is sent to sign in.
  Browser visitor(server());
  visitor.get("/masuk");
  ASSERT_FALSE(visitor.csrf().empty());
  const auto post = visitor.post_form(kPage, {{"district", kKartoharjo}});
  EXPECT_EQ(post.status, 303);
  EXPECT_EQ(post.header("location"), "/masuk?next=/kota/peringatan");
}

TEST_P(CityAlertPages, ACitizenFollowsADistrictAndStopsFollowingIt) {
  auto b = citizen();
  const auto empty = b->get(kPage);
  ASSERT_EQ(empty.status, 200);
  EXPECT_EQ(empty.header("cache-control"), "no-store");
  EXPECT_TRUE(contains(empty.body, shown("city_alerts.followed.none")));
  EXPECT_TRUE(contains(empty.body, "action=\"/kota/peringatan\""));
  EXPECT_TRUE(contains(empty.body, "name=\"_csrf\""));
  EXPECT_TRUE(contains(empty.body, "<option value=\"35.77.01\">Kartoharjo</option>"));
  EXPECT_TRUE(contains(empty.body, "<option value=\"35.77.02\">Manguharjo</option>"));
  EXPECT_TRUE(contains(empty.body, "<option value=\"35.77.03\">Taman</option>"));
  EXPECT_FALSE(contains(empty.body, "<option value=\"35.77.01.1001\""));  // villages are not
  EXPECT_FALSE(contains(empty.body, "class=\"error-summary\""));

  const auto added = add(*b, kKartoharjo);
  ASSERT_EQ(added.status, 303) << added.body.substr(0, 2000);
  EXPECT_EQ(added.header("location"), "/kota/peringatan?ok=added&district=35.77.01");
  EXPECT_EQ(watched(), std::vector<std::string>{kKartoharjo});

  const auto after_add = b->get(added.header("location"));
  ASSERT_EQ(after_add.status, 200);
  EXPECT_TRUE(contains(after_add.body, shown("city_alerts.ok.added", "id", "Kartoharjo")));
  EXPECT_TRUE(contains(after_add.body, "data-district=\"35.77.01\"><dt>Kartoharjo</dt>"));
  EXPECT_TRUE(contains(after_add.body, "action=\"/kota/peringatan/hapus\""));
  EXPECT_TRUE(
      contains(after_add.body, "<input type=\"hidden\" name=\"district\" value=\"35.77.01\">"));
  // The remove button names its district for screen readers.
  EXPECT_TRUE(contains(after_add.body, shown("city_alerts.followed.remove_button") +
                                           "<span class=\"visually-hidden\"> Kartoharjo</span>"));
  // A district followed is not offered again.
  EXPECT_FALSE(contains(after_add.body, "<option value=\"35.77.01\">"));
  EXPECT_FALSE(contains(after_add.body, shown("city_alerts.followed.none")));

  // The JSON API sees the same.
  const auto api = b->get("/api/v1/me/city/alert-districts");
  ASSERT_EQ(api.status, 200);
  EXPECT_TRUE(contains(api.body, "\"code\":\"35.77.01\"")) << api.body;

  ASSERT_EQ(add(*b, kTaman).status, 303);
  EXPECT_EQ(watched(), (std::vector<std::string>{kKartoharjo, kTaman}));

  const auto removed = remove(*b, kKartoharjo);
  ASSERT_EQ(removed.status, 303) << removed.body.substr(0, 2000);
  EXPECT_EQ(removed.header("location"), "/kota/peringatan?ok=removed&district=35.77.01");
  EXPECT_EQ(watched(), std::vector<std::string>{kTaman});
  const auto after_remove = b->get(removed.header("location"));
  ASSERT_EQ(after_remove.status, 200);
  EXPECT_TRUE(contains(after_remove.body, shown("city_alerts.ok.removed", "id", "Kartoharjo")));
  EXPECT_TRUE(contains(after_remove.body, "<option value=\"35.77.01\">Kartoharjo</option>"));
  EXPECT_FALSE(contains(after_remove.body, "data-district=\"35.77.01\""));
}

TEST_P(CityAlertPages, AConfirmationNeverShowsWhatTheQueryStringSays) {
  auto b = citizen();
  const auto forged = b->get("/kota/peringatan?ok=added&district=%3Cscript%3E");
  ASSERT_EQ(forged.status, 200);
  EXPECT_TRUE(contains(forged.body, shown("city_alerts.ok.added_unnamed")));
  EXPECT_FALSE(contains(forged.body, "<script>"));
  const auto other = b->get("/kota/peringatan?ok=hacked");
  ASSERT_EQ(other.status, 200);
  EXPECT_FALSE(contains(other.body, "data-alerts-ok"));
}

TEST_P(CityAlertPages, RefusesADuplicateOnThePageWith409) {
  auto b = citizen();
  ASSERT_EQ(add(*b, kKartoharjo).status, 303);
  const auto again = add(*b, kKartoharjo);
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.header("cache-control"), "no-store");
  EXPECT_TRUE(contains(again.body, "class=\"error-summary\""));
  EXPECT_TRUE(contains(again.body, shown("city_alerts.errors.already", "id", "Kartoharjo")));
  EXPECT_EQ(watched(), std::vector<std::string>{kKartoharjo});
}

TEST_P(CityAlertPages, RefusesADistrictOfAnotherCityOrNoneAtTheSelectWith422) {
  auto b = citizen();
  const std::vector<std::string> refused_districts{kElsewhere, "35.77.01.1001", "bukan-kode", ""};
  for (const std::string& district : refused_districts) {
    const auto refused = add(*b, district);
    EXPECT_EQ(refused.status, 422) << district;
    EXPECT_TRUE(contains(refused.body, "class=\"error-summary\"")) << district;
    EXPECT_TRUE(contains(refused.body, "<a href=\"#district\">")) << district;
    EXPECT_TRUE(contains(refused.body, "aria-invalid=\"true\"")) << district;
    const char* key =
        district.empty() ? "city_alerts.errors.required" : "city_alerts.errors.unknown";
    EXPECT_TRUE(contains(refused.body, shown(key))) << district;
    // The form is there again to choose from.
    EXPECT_TRUE(contains(refused.body, "<option value=\"35.77.01\">Kartoharjo</option>"));
  }
  EXPECT_TRUE(watched().empty());
}

TEST_P(CityAlertPages, RefusesRemovingADistrictNotFollowed) {
  auto b = citizen();
  const auto not_followed = remove(*b, kTaman);
  EXPECT_EQ(not_followed.status, 404);
  EXPECT_TRUE(contains(not_followed.body, shown("city_alerts.errors.not_followed")));
  EXPECT_TRUE(contains(not_followed.body, shown("city_alerts.add.heading")));  // the page itself
  const auto unknown = remove(*b, kElsewhere);
  EXPECT_EQ(unknown.status, 422);
  EXPECT_TRUE(contains(unknown.body, shown("city_alerts.errors.unknown_remove")));
}

TEST_P(CityAlertPages, RefusesAFormWithoutItsToken) {
  auto b = citizen();
  b->get(kPage);
  const auto added = b->post_form(kPage, {{"district", kKartoharjo}}, /*with_token=*/false);
  EXPECT_EQ(added.status, 403);
  EXPECT_TRUE(watched().empty());

  ASSERT_EQ(add(*b, kKartoharjo).status, 303);
  const auto removed = b->post_form(kRemove, {{"district", kKartoharjo}}, /*with_token=*/false);
  EXPECT_EQ(removed.status, 403);
  EXPECT_EQ(watched(), std::vector<std::string>{kKartoharjo});
}

TEST_P(CityAlertPages, TellsStaffThePageIsForCitizens) {
  Browser officer(server());
  officer.set_cookie(Browser::kSessionCookie,
                     sign_in_bearer(server(), kDemoOfficerLogin, kDemoOfficerPassword));
  const auto page = officer.get(kPage);
  EXPECT_EQ(page.status, 403);
  EXPECT_EQ(page.header("cache-control"), "no-store");
  EXPECT_TRUE(contains(page.body, shown("city_alerts.not_citizen.intro")));
  EXPECT_FALSE(contains(page.body, "name=\"district\""));
  ASSERT_FALSE(officer.csrf().empty());  // the sign-out form's token
  const auto post = officer.post_form(kPage, {{"district", kKartoharjo}});
  EXPECT_EQ(post.status, 403);
  EXPECT_TRUE(contains(post.body, shown("city_alerts.not_citizen.intro")));
}

TEST_P(CityAlertPages, SpeaksEnglishWhenAsked) {
  auto b = citizen();
  const auto page = b->get("/kota/peringatan?lang=en");
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(contains(page.body, "<html lang=\"en\">"));
  EXPECT_TRUE(contains(page.body, shown("city_alerts.heading", "en")));
  EXPECT_TRUE(contains(page.body, shown("city_alerts.add.button", "en")));
  EXPECT_FALSE(contains(page.body, shown("city_alerts.add.button", "id")));
  // The language cookie keeps English after the redirect.
  const auto added = b->post_form(kPage, {{"district", kKartoharjo}});
  ASSERT_EQ(added.status, 303);
  const auto after = b->get(added.header("location"));
  EXPECT_TRUE(contains(after.body, shown("city_alerts.ok.added", "en", "Kartoharjo")));

  const auto visitor = server().get("/kota/peringatan?lang=en");
  ASSERT_EQ(visitor.status, 200);
  EXPECT_TRUE(contains(visitor.body, shown("city_alerts.sign_in.button", "en")));
}

TEST_P(CityAlertPages, TheCityDashboardLinksToIt) {
  const auto kota = server().get("/kota");
  ASSERT_EQ(kota.status, 200);
  EXPECT_TRUE(contains(kota.body, "<a href=\"/kota/peringatan\">" + shown("city_alerts.link")));
}

INSTANTIATE_TEST_SUITE_P(Backends, CityAlertPages, ::testing::ValuesIn(test_database_backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace balai::testing
