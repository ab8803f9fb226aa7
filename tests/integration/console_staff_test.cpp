// Agencies and staff accounts in the administrators' console over real HTTP on each database
// backend: an administrator adds an agency and an officer in it, who is sent to TOTP enrolment
// at the first sign-in; the refusals (role, sign-in, CSRF, unknown agency, taken email, weak
// password, a stale sign-in); deactivation ends the person's sessions. Audited throughout.
// The pure rules of those pages are tested first, alone.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/ids.h"
#include "modules/console/staff_rules.h"
#include "security/accounts.h"
#include "support/auth_helpers.h"
#include "support/browser.h"
#include "support/databases.h"
#include "support/server_harness.h"

namespace balai::testing {
namespace {

constexpr int64_t kMinute = 60 * 1000;
constexpr const char* kOfficerEmail = "pusat.data@dinaspu.example.go.id";
constexpr const char* kOfficerPassword = "jembatan beton sungai besar";

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

// ---- rules ---------------------------------------------------------------------------------

TEST(ConsoleStaffRules, AcceptsAgencyCodesOfTwoToFortySlugCharacters) {
  for (const char* good : {"pu", "disdukcapil", "dinas-pu", "opd-2026"})
    EXPECT_TRUE(console::is_agency_code(good)) << good;
  EXPECT_TRUE(console::is_agency_code(std::string(40, 'a')));
  for (const char* bad : {"", "p", "Dinas", "DISHUB", "dinas pu", "-pu", "pu-", "dinas_pu",
                          "dinas/pu", "dinas.pu", "d\xc3\xadnas"})
    EXPECT_FALSE(console::is_agency_code(bad)) << bad;
  EXPECT_FALSE(console::is_agency_code(std::string(41, 'a')));
}

TEST(ConsoleStaffRules, NamesEveryProblemOfAnAgencyAtOnce) {
  auto r = console::validate(console::AgencyInput{"Dinas PU", "", std::string(201, 'x')}, true);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::ErrorCode::validation_failed);
  EXPECT_EQ(r.error().fields.at("code"), "invalid");
  EXPECT_EQ(r.error().fields.at("name_id"), "required");
  EXPECT_EQ(r.error().fields.at("name_en"), "too_long");
  auto control = console::validate(console::AgencyInput{"pu", "Dinas\x1b[2J", ""}, false);
  ASSERT_FALSE(control.ok());
  EXPECT_EQ(control.error().fields.at("name_id"), "invalid");
  EXPECT_FALSE(control.error().fields.contains("name_en"));
}

TEST(ConsoleStaffRules, LeavesTheEnglishNameOptionalOnlyWhenAsked) {
  const console::AgencyInput agency{"dinas-pu", "Dinas Pekerjaan Umum", ""};
  EXPECT_TRUE(console::validate(agency, false).ok());
  auto r = console::validate(agency, true);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().fields.at("name_en"), "required");
}

TEST(ConsoleStaffRules, GivesOnlyStaffRoles) {
  EXPECT_EQ(console::parse_staff_role("officer"), security::Role::officer);
  EXPECT_EQ(console::parse_staff_role("supervisor"), security::Role::supervisor);
  EXPECT_EQ(console::parse_staff_role("admin"), security::Role::admin);
  EXPECT_EQ(console::parse_staff_role("auditor"), security::Role::auditor);
  for (std::string_view other : {"citizen", "device", "integrator", "", "Admin", "root"})
    EXPECT_FALSE(console::parse_staff_role(other)) << other;
  EXPECT_TRUE(console::needs_agency(security::Role::officer));
  EXPECT_TRUE(console::needs_agency(security::Role::supervisor));
  EXPECT_FALSE(console::needs_agency(security::Role::admin));
  EXPECT_FALSE(console::needs_agency(security::Role::auditor));
}

TEST(ConsoleStaffRules, MasksAnEmailButItsFirstTwoCharactersAndDomain) {
  EXPECT_EQ(console::mask_email("petugas@demo.balai.id"), "pe***@demo.balai.id");
  EXPECT_EQ(console::mask_email("ab@x.id"), "a***@x.id");
  EXPECT_EQ(console::mask_email("a@x.id"), "***@x.id");
  EXPECT_EQ(console::mask_email("@x.id"), "***@x.id");
  EXPECT_EQ(console::mask_email("no-at-sign"), "***");
  EXPECT_EQ(console::mask_email("\xc3\xa9lodie@x.id"), "***@x.id");  // no half a character
}

// ---- the pages over HTTP -------------------------------------------------------------------

class ConsoleStaffOnBackend : public ::testing::TestWithParam<std::string> {
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
  app::SecurityServices& security() { return server_->runtime().security(); }
  core::Timestamp now() { return server_->runtime().app().clock.now(); }

  // A browser signed in as the demo administrator (password and TOTP just now), holding the
  // form token of `page`.
  std::unique_ptr<Browser> admin_browser(const std::string& page = "/konsol/staf") {
    admin_token_ = sign_in_bearer(server(), kDemoAdminLogin, kDemoAdminPassword);
    auto browser = std::make_unique<Browser>(server());
    browser->set_cookie(Browser::kSessionCookie, admin_token_);
    const auto r = browser->get(page);
    if (r.status != 200 || browser->csrf().empty())
      throw std::runtime_error("admin browser: " + std::to_string(r.status));
    return browser;
  }

  // The fields of the staff form for a new officer of `agency`.
  static std::map<std::string, std::string> officer_form(const std::string& agency) {
    return {{"role", "officer"},
            {"agency", agency},
            {"name", "Rahmat Hidayat"},
            {"email", kOfficerEmail},
            {"password", kOfficerPassword}};
  }

  HttpReply add_agency(Browser& b, const std::string& code, const std::string& name_id,
                       const std::string& name_en) {
    b.get("/konsol/instansi");
    return b.post_form("/konsol/instansi",
                       {{"code", code}, {"name_id", name_id}, {"name_en", name_en}});
  }

  std::optional<security::Account> account(const std::string& login) {
    auto found = security().accounts.find_by_login(login);
    if (!found || !*found) return std::nullopt;
    return **found;
  }

  int64_t staff_count() {
    auto all = security().accounts.list();
    if (!all) return -1;
    int64_t n = 0;
    for (const auto& a : *all) n += security::is_staff(a.role) ? 1 : 0;
    return n;
  }

  // How many audit entries record `action` on `object_id`, and by whom the last one was.
  int64_t audit_entries(std::string_view action, std::string_view object_id) {
    auto rows = server().runtime().database().query(
        "SELECT COUNT(*) FROM audit_entries WHERE action = ? AND object_id = ?",
        {action, object_id});
    return rows ? (*rows)[0].int64(0) : -1;
  }

  std::string admin_token_;

 private:
  std::unique_ptr<TempDatabase> database_;
  std::unique_ptr<ServerHarness> server_;
};

TEST_P(ConsoleStaffOnBackend, AddsAnAgencyAndAnOfficerInItWhoMustEnrolTotpAtFirstSignIn) {
  auto admin = admin_browser("/konsol/instansi");
  const auto saved =
      add_agency(*admin, "dinas-pu", "Dinas Pekerjaan Umum dan Penataan Ruang", "Public Works");
  ASSERT_EQ(saved.status, 303) << saved.body;
  EXPECT_EQ(saved.header("location"), "/konsol/instansi");
  EXPECT_EQ(saved.header("cache-control"), "no-store");
  EXPECT_EQ(audit_entries("agencies.save", "dinas-pu"), 1);
  const auto agencies = admin->get("/konsol/instansi");
  EXPECT_TRUE(contains(agencies.body, "data-agency=\"dinas-pu\""));
  EXPECT_TRUE(contains(agencies.body, "Dinas Pekerjaan Umum dan Penataan Ruang"));

  // The new agency is one of the form's choices.
  const auto form = admin->get("/konsol/staf");
  ASSERT_EQ(form.status, 200);
  EXPECT_TRUE(contains(form.body, "<option value=\"dinas-pu\""));
  const auto created = admin->post_form("/konsol/staf", officer_form("dinas-pu"));
  ASSERT_EQ(created.status, 303) << created.body;
  EXPECT_EQ(created.header("location"), "/konsol/staf?dibuat=1");

  const auto officer = account(kOfficerEmail);
  ASSERT_TRUE(officer);
  EXPECT_EQ(officer->role, security::Role::officer);
  EXPECT_EQ(officer->agency, "dinas-pu");
  EXPECT_TRUE(officer->active);
  EXPECT_FALSE(officer->totp_enabled);
  EXPECT_EQ(audit_entries("accounts.create", officer->id), 1);

  // Listed with the name, the email only masked, and no second factor yet.
  const auto list = admin->get("/konsol/staf?dibuat=1");
  EXPECT_TRUE(contains(list.body, "role=\"status\""));
  EXPECT_TRUE(contains(list.body, "data-account=\"" + officer->id + "\""));
  EXPECT_TRUE(contains(list.body, "Rahmat Hidayat"));
  EXPECT_TRUE(contains(list.body, "pu***@dinaspu.example.go.id"));
  EXPECT_FALSE(contains(list.body, kOfficerEmail));
  EXPECT_TRUE(contains(list.body, "data-two-factor=\"false\""));

  Browser person(server());
  const auto signed_in = person.sign_in(kOfficerEmail, kOfficerPassword);
  EXPECT_EQ(signed_in.status, 303);
  EXPECT_EQ(signed_in.header("location"), "/masuk/pasang-2fa");
  EXPECT_EQ(person.get("/masuk/pasang-2fa").status, 200);
}

TEST_P(ConsoleStaffOnBackend, RenamesAnAgencyWhenItsCodeIsKnown) {
  auto admin = admin_browser("/konsol/instansi");
  // The demo city's transport office, "Dinas Perhubungan" / "Transport Office".
  const auto filled = admin->get("/konsol/instansi?kode=dishub");
  EXPECT_TRUE(contains(filled.body, "value=\"Transport Office\""));
  const auto before = admin->get("/konsol/instansi");
  ASSERT_EQ(add_agency(*admin, "dishub", "Dinas Perhubungan Kota", "City Transport").status, 303);
  const auto after = admin->get("/konsol/instansi");
  EXPECT_TRUE(contains(after.body, "City Transport"));
  EXPECT_FALSE(contains(after.body, "Transport Office"));
  auto count = [](const std::string& body) {
    size_t n = 0;
    for (size_t at = body.find("data-agency="); at != std::string::npos;
         at = body.find("data-agency=", at + 1))
      ++n;
    return n;
  };
  EXPECT_EQ(count(after.body), count(before.body));
  EXPECT_EQ(audit_entries("agencies.save", "dishub"), 1);
}

TEST_P(ConsoleStaffOnBackend, RefusesAnAgencyWhoseCodeIsNotASlugAtTheField) {
  auto admin = admin_browser("/konsol/instansi");
  const auto r = add_agency(*admin, "Dinas PU", "", "Public Works");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.header("cache-control"), "no-store");
  EXPECT_TRUE(contains(r.body, "href=\"#agency-code\""));
  EXPECT_TRUE(contains(r.body, "href=\"#agency-name-id\""));
  EXPECT_FALSE(contains(r.body, "href=\"#agency-name-en\""));
  EXPECT_TRUE(contains(r.body, "value=\"Dinas PU\""));
  const auto too_long = add_agency(*admin, std::string(41, 'a'), "Dinas", "Office");
  EXPECT_EQ(too_long.status, 422);
  EXPECT_EQ(audit_entries("agencies.save", "Dinas PU"), 0);
}

TEST_P(ConsoleStaffOnBackend, RefusesAnUnknownAgencyAtTheField) {
  auto admin = admin_browser();
  const auto r = admin->post_form("/konsol/staf", officer_form("dinas-tidak-ada"));
  EXPECT_EQ(r.status, 422);
  EXPECT_TRUE(contains(r.body, "href=\"#staff-agency\""));
  EXPECT_TRUE(contains(r.body, "id=\"staff-agency-error\""));
  EXPECT_TRUE(contains(r.body, "value=\"Rahmat Hidayat\""));
  EXPECT_FALSE(contains(r.body, kOfficerPassword));  // never echoed
  EXPECT_FALSE(account(kOfficerEmail));
}

TEST_P(ConsoleStaffOnBackend, RefusesAnOfficerWithoutAnAgencyAndAnUnknownRole) {
  auto admin = admin_browser();
  auto without_agency = officer_form("");
  without_agency["password"] = "rahmat hidayat 2026";
  const auto without = admin->post_form("/konsol/staf", without_agency);
  EXPECT_EQ(without.status, 422);
  EXPECT_TRUE(contains(without.body, "href=\"#staff-agency\""));
  EXPECT_TRUE(contains(without.body, "href=\"#staff-password\""));  // every problem at once
  EXPECT_FALSE(contains(without.body, "href=\"#staff-name\""));
  auto fields = officer_form("disdukcapil");
  fields["role"] = "citizen";
  fields["password"] = "pendek";
  const auto citizen = admin->post_form("/konsol/staf", fields);
  EXPECT_EQ(citizen.status, 422);
  EXPECT_TRUE(contains(citizen.body, "href=\"#staff-role\""));
  EXPECT_TRUE(contains(citizen.body, "href=\"#staff-password\""));  // every problem at once
  EXPECT_FALSE(account(kOfficerEmail));
}

TEST_P(ConsoleStaffOnBackend, RefusesAnEmailThatIsTakenWith409AtTheField) {
  auto admin = admin_browser();
  auto fields = officer_form("disdukcapil");
  fields["email"] = " Petugas@Demo.Balai.ID ";
  const auto before = staff_count();
  const auto r = admin->post_form("/konsol/staf", fields);
  EXPECT_EQ(r.status, 409);
  EXPECT_TRUE(contains(r.body, "href=\"#staff-email\""));
  EXPECT_TRUE(contains(r.body, "id=\"staff-email-error\""));
  EXPECT_EQ(staff_count(), before);
}

TEST_P(ConsoleStaffOnBackend, NamesABlankNameAndAWeakPasswordTogether) {
  auto admin = admin_browser();
  auto fields = officer_form("disdukcapil");
  fields["name"] = "  ";
  fields["email"] = "bukan-email";
  fields["password"] = "password1234";
  const auto r = admin->post_form("/konsol/staf", fields);
  EXPECT_EQ(r.status, 422);
  EXPECT_TRUE(contains(r.body, "href=\"#staff-name\""));
  EXPECT_TRUE(contains(r.body, "href=\"#staff-email\""));
  EXPECT_TRUE(contains(r.body, "href=\"#staff-password\""));
  EXPECT_FALSE(contains(r.body, "href=\"#staff-agency\""));
}

TEST_P(ConsoleStaffOnBackend, RefusesAWeakPasswordAtTheField) {
  auto admin = admin_browser();
  for (const std::string weak : {"password1234", "pendek", "rahmat hidayat 2026"}) {
    auto fields = officer_form("disdukcapil");
    fields["password"] = weak;
    const auto r = admin->post_form("/konsol/staf", fields);
    EXPECT_EQ(r.status, 422) << weak;
    EXPECT_TRUE(contains(r.body, "href=\"#staff-password\"")) << weak;
    EXPECT_FALSE(contains(r.body, "href=\"#staff-email\"")) << weak;
  }
  EXPECT_FALSE(account(kOfficerEmail));
}

TEST_P(ConsoleStaffOnBackend, RefusesFormsWithoutTheirCsrfToken) {
  auto admin = admin_browser();
  const auto staff = admin->post_form("/konsol/staf", officer_form("disdukcapil"), false);
  EXPECT_EQ(staff.status, 403);
  EXPECT_FALSE(account(kOfficerEmail));
  const auto agency =
      admin->post_form("/konsol/instansi",
                       {{"code", "dinas-pu"}, {"name_id", "Dinas PU"}, {"name_en", "PU"}}, false);
  EXPECT_EQ(agency.status, 403);
  EXPECT_EQ(audit_entries("agencies.save", "dinas-pu"), 0);
  const auto officer = account(kDemoOfficerLogin);
  ASSERT_TRUE(officer);
  EXPECT_EQ(admin->post_form("/konsol/staf/" + officer->id + "/nonaktifkan", {}, false).status,
            403);
  EXPECT_TRUE(account(kDemoOfficerLogin)->active);
}

TEST_P(ConsoleStaffOnBackend, AsksForAFreshSignInBeforeCreatingStaff) {
  auto admin = admin_browser();
  auto session = security().sessions.resolve(admin_token_, now());
  ASSERT_TRUE(session.ok() && *session);
  ASSERT_TRUE(
      security()
          .sessions.reauthenticated((*session)->key, core::Timestamp{now().ms - 16 * kMinute})
          .ok());
  const auto r = admin->post_form("/konsol/staf", officer_form("disdukcapil"));
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.header("cache-control"), "no-store");
  EXPECT_TRUE(contains(r.body, "href=\"/akun/konfirmasi?next=/konsol/staf\""));
  EXPECT_TRUE(contains(r.body, "15 menit"));
  EXPECT_FALSE(account(kOfficerEmail));
}

TEST_P(ConsoleStaffOnBackend, SendsAnAnonymousVisitorToSignIn) {
  for (std::string target : {"/konsol/staf", "/konsol/instansi"}) {
    const auto r = server().get(target);
    EXPECT_EQ(r.status, 303) << target;
    EXPECT_EQ(r.header("location"), "/masuk?next=" + target);
    EXPECT_EQ(r.header("cache-control"), "no-store");
  }
  Browser visitor(server());
  visitor.get("/masuk");
  const auto r = visitor.post_form("/konsol/staf", officer_form("disdukcapil"));
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(r.header("location"), "/masuk?next=/konsol");
  EXPECT_FALSE(account(kOfficerEmail));
}

TEST_P(ConsoleStaffOnBackend, RefusesAnOfficerAndACitizenWith403) {
  for (const auto& [login, password] : {std::pair{kDemoOfficerLogin, kDemoOfficerPassword},
                                        std::pair{kDemoCitizenLogin, kDemoCitizenPassword}}) {
    const std::string token = sign_in_bearer(server(), login, password);
    for (std::string target : {"/konsol/staf", "/konsol/instansi"}) {
      const auto r = server().get(target, bearer_headers(token));
      EXPECT_EQ(r.status, 403) << login << " " << target;
      EXPECT_EQ(r.header("cache-control"), "no-store");
    }
    const auto post = server().send(
        "POST", "/konsol/instansi", "code=dinas-pu&name_id=PU&name_en=PU",
        bearer_headers(token, {{"Content-Type", "application/x-www-form-urlencoded"}}));
    EXPECT_EQ(post.status, 403) << login;
  }
  EXPECT_EQ(audit_entries("agencies.save", "dinas-pu"), 0);
}

TEST_P(ConsoleStaffOnBackend, LetsAnAuditorReadButNotCreate) {
  security::NewAccount a{security::Role::auditor, "", "Auditor Inspektorat",
                         "auditor@demo.balai.id", "lontong balap wonokromo"};
  ASSERT_TRUE(security().accounts.create(a, now()).ok());
  const std::string token = sign_in_bearer(server(), a.email, a.password);
  const auto page = server().get("/konsol/staf", bearer_headers(token));
  EXPECT_EQ(page.status, 200);
  EXPECT_TRUE(contains(page.body, "Petugas Dukcapil"));
  EXPECT_FALSE(contains(page.body, "action=\"/konsol/staf\""));
  EXPECT_FALSE(contains(page.body, "/nonaktifkan"));
  EXPECT_EQ(server().get("/konsol/instansi", bearer_headers(token)).status, 200);
  const auto post =
      server().send("POST", "/konsol/staf", "role=auditor&name=X&email=x%40example.id&password=x",
                    bearer_headers(token, {{"Content-Type", "application/x-www-form-urlencoded"}}));
  EXPECT_EQ(post.status, 403);
}

TEST_P(ConsoleStaffOnBackend, DeactivationEndsTheSessionsOfTheAccount) {
  const auto officer = account(kDemoOfficerLogin);
  ASSERT_TRUE(officer);
  const std::string token = sign_in_bearer(server(), kDemoOfficerLogin, kDemoOfficerPassword);
  ASSERT_EQ(server().get("/akun", bearer_headers(token)).status, 200);

  auto admin = admin_browser();
  const auto r = admin->post_form("/konsol/staf/" + officer->id + "/nonaktifkan", {});
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(r.header("location"), "/konsol/staf");
  EXPECT_EQ(audit_entries("accounts.deactivate", officer->id), 1);
  EXPECT_FALSE(account(kDemoOfficerLogin)->active);
  auto live = security().sessions.resolve(token, now());
  ASSERT_TRUE(live.ok());
  EXPECT_FALSE(*live);
  EXPECT_NE(server().get("/akun", bearer_headers(token)).status, 200);
  EXPECT_THROW(sign_in_bearer(server(), kDemoOfficerLogin, kDemoOfficerPassword),
               std::runtime_error);
  EXPECT_TRUE(contains(admin->get("/konsol/staf").body, "data-active=\"false\""));
}

TEST_P(ConsoleStaffOnBackend, NeverDeactivatesOneselfACitizenOrAnUnknownAccount) {
  auto admin = admin_browser();
  const auto self = account(kDemoAdminLogin);
  ASSERT_TRUE(self);
  EXPECT_EQ(admin->post_form("/konsol/staf/" + self->id + "/nonaktifkan", {}).status, 409);
  EXPECT_TRUE(account(kDemoAdminLogin)->active);
  const auto citizen = account(kDemoCitizenLogin);
  ASSERT_TRUE(citizen);
  EXPECT_EQ(admin->post_form("/konsol/staf/" + citizen->id + "/nonaktifkan", {}).status, 404);
  EXPECT_TRUE(account(kDemoCitizenLogin)->active);
  EXPECT_EQ(
      admin->post_form("/konsol/staf/" + core::new_uuid_v7(now()) + "/nonaktifkan", {}).status,
      404);
  EXPECT_EQ(audit_entries("accounts.deactivate", self->id), 0);
}

INSTANTIATE_TEST_SUITE_P(ConsoleStaff, ConsoleStaffOnBackend,
                         ::testing::ValuesIn(test_database_backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace balai::testing
