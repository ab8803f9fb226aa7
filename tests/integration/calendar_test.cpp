// The holiday calendar over real HTTP on each database backend: an administrator adds and
// removes holidays on /konsol/hari-libur (audited, CSRF-protected, shown in both languages),
// the refusals (an officer, nobody signed in, a taken date, a bad date), the public JSON list,
// and working_days() following a change at once. Then `balai holiday` as the operator uses it:
// a real process on a fresh data directory.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdlib>

#include "db/database.h"
#include "modules/calendar/service.h"
#include "support/auth_helpers.h"
#include "support/browser.h"
#include "support/cli_process.h"
#include "support/databases.h"
#include "support/server_harness.h"

namespace balai::testing {
namespace {

constexpr const char* kPage = "/konsol/hari-libur";

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

// The form of a new holiday on Tuesday 17 August 2027 (no decree for 2027 is seeded).
std::map<std::string, std::string> independence_day_2027() {
  return {{"date", "2027-08-17"},
          {"name_id", "Proklamasi Kemerdekaan"},
          {"name_en", "Independence Day"}};
}

class CalendarOnBackend : public ::testing::TestWithParam<std::string> {
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

  // A browser signed in as `login` (password and TOTP just now), holding the form token of
  // `page` when it may read it.
  std::unique_ptr<Browser> browser_of(const std::string& login, const std::string& password,
                                      const std::string& page = kPage) {
    auto browser = std::make_unique<Browser>(server());
    browser->set_cookie(Browser::kSessionCookie, sign_in_bearer(server(), login, password));
    browser->get(page);
    return browser;
  }
  std::unique_ptr<Browser> admin_browser(const std::string& page = kPage) {
    auto browser = browser_of(kDemoAdminLogin, kDemoAdminPassword, page);
    if (browser->csrf().empty()) throw std::runtime_error("admin browser: no form token");
    return browser;
  }

  // How many audit entries record `action` on `object_id`, and by which role the last was.
  int64_t audit_entries(std::string_view action, std::string_view object_id) {
    auto rows = server().runtime().database().query(
        "SELECT COUNT(*) FROM audit_entries WHERE action = ? AND object_id = ?",
        {action, object_id});
    return rows ? (*rows)[0].int64(0) : -1;
  }
  int64_t holidays_in(int year) {
    auto list = calendar::service_of(server().runtime().app()).holidays(year);
    return list ? static_cast<int64_t>(list->size()) : -1;
  }

 private:
  std::unique_ptr<TempDatabase> database_;
  std::unique_ptr<ServerHarness> server_;
};

TEST_P(CalendarOnBackend, AdministratorAddsAndRemovesAHolidayOnThePage) {
  auto admin = admin_browser(std::string(kPage) + "?tahun=2027");
  const auto added = admin->post_form(kPage, independence_day_2027());
  ASSERT_EQ(added.status, 303) << added.body;
  EXPECT_EQ(added.header("location"), "/konsol/hari-libur?tahun=2027&ditambah=1");
  EXPECT_EQ(added.header("cache-control"), "no-store");
  EXPECT_EQ(audit_entries("calendar.holiday.add", "2027-08-17"), 1);

  const auto list = admin->get("/konsol/hari-libur?tahun=2027&ditambah=1");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.header("cache-control"), "no-store");
  EXPECT_TRUE(contains(list.body, "role=\"status\""));
  EXPECT_TRUE(contains(list.body, "data-holiday=\"2027-08-17\""));
  EXPECT_TRUE(contains(list.body, "Selasa, 17 Agustus 2027"));
  EXPECT_TRUE(contains(list.body, "Proklamasi Kemerdekaan"));
  EXPECT_TRUE(contains(list.body, "Libur nasional"));

  const auto removed = admin->post_form("/konsol/hari-libur/hapus", {{"date", "2027-08-17"}});
  ASSERT_EQ(removed.status, 303) << removed.body;
  EXPECT_EQ(removed.header("location"), "/konsol/hari-libur?tahun=2027&dihapus=1");
  EXPECT_EQ(audit_entries("calendar.holiday.remove", "2027-08-17"), 1);
  EXPECT_EQ(holidays_in(2027), 0);
  EXPECT_FALSE(contains(admin->get("/konsol/hari-libur?tahun=2027").body, "data-holiday="));

  // The same button pressed again: nothing left to remove, said on the page.
  const auto again = admin->post_form("/konsol/hari-libur/hapus", {{"date", "2027-08-17"}});
  EXPECT_EQ(again.status, 404);
  EXPECT_TRUE(contains(again.body, "href=\"#holiday-list\""));
  EXPECT_EQ(audit_entries("calendar.holiday.remove", "2027-08-17"), 1);
}

TEST_P(CalendarOnBackend, RecordsTheAdministratorAsTheActorOfTheChange) {
  auto admin = admin_browser();
  ASSERT_EQ(admin->post_form(kPage, independence_day_2027()).status, 303);
  auto rows = server().runtime().database().query(
      "SELECT actor_role, object_type FROM audit_entries WHERE action = ?",
      {"calendar.holiday.add"});
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].text(0), "admin");
  EXPECT_EQ((*rows)[0].text(1), "holiday");
}

TEST_P(CalendarOnBackend, ShowsTheSeededYearWithLongDatesInBothLanguages) {
  auto admin = admin_browser();
  const auto id = admin->get("/konsol/hari-libur?tahun=2026");
  ASSERT_EQ(id.status, 200);
  EXPECT_TRUE(contains(id.body, "Jumat, 1 Mei 2026"));
  EXPECT_TRUE(contains(id.body, "Hari Buruh Internasional"));
  EXPECT_TRUE(contains(id.body, "Cuti bersama"));
  EXPECT_TRUE(contains(id.body, "href=\"/konsol/hari-libur?tahun=2027\""));
  const auto en = admin->get("/konsol/hari-libur?tahun=2026&lang=en");
  ASSERT_EQ(en.status, 200);
  EXPECT_TRUE(contains(en.body, "Friday, 1 May 2026"));
  EXPECT_TRUE(contains(en.body, "Collective leave"));
  EXPECT_TRUE(contains(en.body, "Holidays in 2026"));
}

TEST_P(CalendarOnBackend, LinksThePageFromTheConsoleOverview) {
  auto admin = admin_browser("/konsol");
  EXPECT_TRUE(contains(admin->get("/konsol").body, "href=\"/konsol/hari-libur\""));
}

TEST_P(CalendarOnBackend, RefusesAnOfficer) {
  auto officer = browser_of(kDemoOfficerLogin, kDemoOfficerPassword, "/akun");
  EXPECT_EQ(officer->get(kPage).status, 403);
  // Even with a valid form token of another page, the change is refused.
  ASSERT_FALSE(officer->csrf().empty());
  EXPECT_EQ(officer->post_form(kPage, independence_day_2027()).status, 403);
  EXPECT_EQ(officer->post_form("/konsol/hari-libur/hapus", {{"date", "2026-05-01"}}).status, 403);
  EXPECT_EQ(holidays_in(2027), 0);
  EXPECT_EQ(holidays_in(2026), 25);
}

TEST_P(CalendarOnBackend, SendsSomeoneNotSignedInToSignIn) {
  Browser anonymous(server());
  const auto r = anonymous.get(kPage);
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(r.header("location"), "/masuk?next=/konsol/hari-libur");
}

TEST_P(CalendarOnBackend, RefusesFormsWithoutTheirCsrfToken) {
  auto admin = admin_browser();
  EXPECT_EQ(admin->post_form(kPage, independence_day_2027(), false).status, 403);
  EXPECT_EQ(admin->post_form("/konsol/hari-libur/hapus", {{"date", "2026-05-01"}}, false).status,
            403);
  EXPECT_EQ(holidays_in(2027), 0);
  EXPECT_EQ(holidays_in(2026), 25);
}

TEST_P(CalendarOnBackend, RefusesASecondHolidayOnATakenDateWith409) {
  auto admin = admin_browser();
  const auto r = admin->post_form(
      kPage, {{"date", "2026-05-01"}, {"name_id", "Libur lain"}, {"name_en", "Another"}});
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.header("cache-control"), "no-store");
  EXPECT_TRUE(contains(r.body, "href=\"#holiday-date\""));
  EXPECT_TRUE(contains(r.body, "sudah punya hari libur"));
  EXPECT_TRUE(contains(r.body, "value=\"Libur lain\""));  // what was typed stays
  EXPECT_EQ(holidays_in(2026), 25);
  EXPECT_EQ(audit_entries("calendar.holiday.add", "2026-05-01"), 0);
}

TEST_P(CalendarOnBackend, RefusesABadDateWith422NamingEveryProblem) {
  auto admin = admin_browser();
  for (const std::string bad : {"2027-02-30", "17-08-2027", "", "2027-8-17"}) {
    const auto r = admin->post_form(kPage, {{"date", bad}, {"name_id", "Libur"}, {"name_en", ""}});
    EXPECT_EQ(r.status, 422) << bad;
    EXPECT_TRUE(contains(r.body, "href=\"#holiday-date\"")) << bad;
    EXPECT_TRUE(contains(r.body, "href=\"#holiday-name-en\"")) << bad;
    EXPECT_FALSE(contains(r.body, "href=\"#holiday-name-id\"")) << bad;
  }
  EXPECT_EQ(holidays_in(2027), 0);
  EXPECT_EQ(admin->post_form("/konsol/hari-libur/hapus", {{"date", "2026-13-01"}}).status, 400);
}

TEST_P(CalendarOnBackend, ListsAYearsHolidaysAsPublicJson) {
  const auto r = server().get("/api/v1/holidays?year=2026");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("cache-control"), "public, max-age=300");
  const auto body = boost::json::parse(r.body).as_object();
  EXPECT_EQ(body.at("year").as_int64(), 2026);
  const auto& list = body.at("holidays").as_array();
  ASSERT_EQ(list.size(), 25u);
  const auto& first = list[0].as_object();
  EXPECT_EQ(first.at("date").as_string(), "2026-01-01");
  EXPECT_EQ(first.at("name").at("id").as_string(), "Tahun Baru 2026 Masehi");
  EXPECT_FALSE(first.at("collective_leave").as_bool());
  EXPECT_TRUE(list[2].at("collective_leave").as_bool());  // 16 February, Imlek

  const auto bad = server().get("/api/v1/holidays?year=abc");
  EXPECT_EQ(bad.status, 422);
  EXPECT_TRUE(contains(bad.body, "\"year\":\"invalid\""));
  EXPECT_EQ(server().get("/api/v1/holidays?year=1999").status, 422);
  const auto current = server().get("/api/v1/holidays");
  EXPECT_EQ(current.status, 200);
  EXPECT_TRUE(contains(current.body, "\"year\":"));
}

TEST_P(CalendarOnBackend, ListsAnAddedHolidayAtOnceDespiteTheCache) {
  const auto before = server().get("/api/v1/holidays?year=2027");
  ASSERT_EQ(before.status, 200);
  EXPECT_TRUE(contains(before.body, "\"holidays\":[]"));
  auto admin = admin_browser();
  ASSERT_EQ(admin->post_form(kPage, independence_day_2027()).status, 303);
  const auto after = server().get("/api/v1/holidays?year=2027");
  EXPECT_TRUE(contains(after.body, "\"date\":\"2027-08-17\"")) << after.body;
  EXPECT_TRUE(contains(after.body, "Independence Day"));
}

TEST_P(CalendarOnBackend, CountsWorkingDaysWithTheHolidaysAddedSinceTheLastLoad) {
  auto& service = calendar::service_of(server().runtime().app());
  const core::Date holiday{2027, 8, 17};
  EXPECT_TRUE(service.working_days()->is_working_day(holiday));
  EXPECT_FALSE(service.working_days()->is_working_day({2026, 5, 1}));  // seeded
  // Monday 16 August 2027, 10:00 WIB; the 1st working day after it is Tuesday...
  const core::Timestamp monday{core::days_from_civil({2027, 8, 16}) * 86'400'000 + 3 * 3'600'000};
  const auto before = service.working_days()->deadline_after(monday, 1);

  auto admin = admin_browser();
  ASSERT_EQ(admin->post_form(kPage, independence_day_2027()).status, 303);
  const auto days = service.working_days();
  EXPECT_FALSE(days->is_working_day(holiday));
  // ... until Tuesday becomes Independence Day: then it is Wednesday.
  EXPECT_EQ(days->deadline_after(monday, 1).ms, before.ms + 86'400'000);

  ASSERT_EQ(admin->post_form("/konsol/hari-libur/hapus", {{"date", "2027-08-17"}}).status, 303);
  EXPECT_TRUE(service.working_days()->is_working_day(holiday));
}

INSTANTIATE_TEST_SUITE_P(Backends, CalendarOnBackend, ::testing::ValuesIn(test_database_backends()),
                         backend_test_name);

// ---- `balai holiday` -----------------------------------------------------------------------

class CliHoliday : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* bin = std::getenv("BALAI_BIN");
    cli_ = std::make_unique<CliProcess>(bin ? bin : BALAI_BIN_PATH, "libur");
  }
  CliOutcome run(const std::vector<std::string>& args) { return cli_->run(args); }

  std::unique_ptr<CliProcess> cli_;
};

TEST_F(CliHoliday, ListsTheSeededHolidaysOfAYear) {
  const auto r = run({"holiday", "list", "--year", "2026"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "DATE")) << r.out;
  EXPECT_TRUE(contains(r.out, "2026-05-01  Fri  holiday")) << r.out;
  EXPECT_TRUE(contains(r.out, "Hari Buruh Internasional"));
  EXPECT_TRUE(contains(r.out, "2026-03-23  Mon  cuti bersama"));
}

TEST_F(CliHoliday, AddsListsAndRemovesAHoliday) {
  const auto added = run({"holiday", "add", "--date", "2027-08-17", "--name-id",
                          "Proklamasi Kemerdekaan", "--name-en", "Independence Day"});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  EXPECT_TRUE(contains(added.out, "added holiday 2027-08-17 (Tue)")) << added.out;
  const auto collective = run({"holiday", "add", "--date", "2027-08-16", "--name-id",
                               "Cuti bersama", "--name-en", "Collective leave", "--collective"});
  ASSERT_EQ(collective.exit_code, 0) << collective.err;
  EXPECT_TRUE(contains(collective.out, "added cuti bersama 2027-08-16 (Mon)"));
  const auto listed = run({"holiday", "list", "--year", "2027"});
  EXPECT_TRUE(contains(listed.out, "2027-08-16  Mon  cuti bersama  Cuti bersama")) << listed.out;
  EXPECT_TRUE(contains(listed.out, "Proklamasi Kemerdekaan"));

  const auto removed = run({"holiday", "remove", "--date", "2027-08-17"});
  ASSERT_EQ(removed.exit_code, 0) << removed.err;
  EXPECT_TRUE(contains(removed.out, "removed the holiday of 2027-08-17 (Tue)"));
  EXPECT_FALSE(contains(run({"holiday", "list", "--year", "2027"}).out, "2027-08-17"));
  const auto again = run({"holiday", "remove", "--date", "2027-08-17"});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_TRUE(contains(again.err, "date: not_found")) << again.err;
}

TEST_F(CliHoliday, RefusesATakenDate) {
  const auto r =
      run({"holiday", "add", "--date", "2026-05-01", "--name-id", "Lain", "--name-en", "Other"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "date: taken")) << r.err;
}

TEST_F(CliHoliday, RefusesABadDateAndBadNamesNamingTheOptions) {
  const auto date =
      run({"holiday", "add", "--date", "2027-02-30", "--name-id", "Libur", "--name-en", "Holiday"});
  EXPECT_EQ(date.exit_code, 1);
  EXPECT_TRUE(contains(date.err, "date: must be a real day written YYYY-MM-DD")) << date.err;
  const auto names = run({"holiday", "add", "--date", "2027-08-17", "--name-id", "  ", "--name-en",
                          std::string(121, 'x')});
  EXPECT_EQ(names.exit_code, 1);
  EXPECT_TRUE(contains(names.err, "name-id: required")) << names.err;
  EXPECT_TRUE(contains(names.err, "name-en: too_long")) << names.err;
  EXPECT_EQ(run({"holiday", "list", "--year", "1999"}).exit_code, 1);
}

TEST_F(CliHoliday, ChainsItsAuditEntriesAsTheSystemActor) {
  ASSERT_EQ(run({"holiday", "add", "--date", "2027-08-17", "--name-id", "Proklamasi Kemerdekaan",
                 "--name-en", "Independence Day"})
                .exit_code,
            0);
  ASSERT_EQ(run({"holiday", "remove", "--date", "2027-08-17"}).exit_code, 0);
  ASSERT_EQ(run({"holiday", "list"}).exit_code, 0);  // reads add nothing
  ASSERT_EQ(
      run({"holiday", "add", "--date", "2026-05-01", "--name-id", "X", "--name-en", "Y"}).exit_code,
      1);  // nor refusals
  const auto verified = run({"audit", "verify"});
  EXPECT_EQ(verified.exit_code, 0) << verified.err;
  EXPECT_TRUE(contains(verified.out, "intact: 2 entries")) << verified.out;

  auto db = db::open_database("sqlite:" + (cli_->dir() / "data" / "balai.db").string());
  ASSERT_TRUE(db.ok()) << db.error().message;
  auto rows = (*db)->query(
      "SELECT actor, actor_role, action, object_id, request_id FROM audit_entries ORDER BY seq");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  for (const auto& row : *rows) {
    EXPECT_EQ(row.text(0), "system");
    EXPECT_EQ(row.text(1), "system");
    EXPECT_EQ(row.text(3), "2027-08-17");
    EXPECT_EQ(row.text(4), "cli");
  }
  EXPECT_EQ((*rows)[0].text(2), "calendar.holiday.add");
  EXPECT_EQ((*rows)[1].text(2), "calendar.holiday.remove");
}

}  // namespace
}  // namespace balai::testing
