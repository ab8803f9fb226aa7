// The administrators' security console over real HTTP on each database backend: who may see it,
// the events list and acknowledging, bans and lifting them (audited), the audit verification,
// API tokens (recent sign-in, shown once, revoked), and that no console answer is cacheable.
// Its pure rules are tested first, alone.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/ids.h"
#include "modules/console/rules.h"
#include "support/auth_helpers.h"
#include "support/databases.h"
#include "support/server_harness.h"

namespace balai::testing {
namespace {

constexpr int64_t kMinute = 60 * 1000;

// ---- rules ---------------------------------------------------------------------------------

security::Actor actor_authenticated_at(int64_t ms) {
  security::Actor a;
  a.role = security::Role::admin;
  a.authenticated_at = core::Timestamp{ms};
  return a;
}

TEST(ConsoleRules, CountsASignInAsRecentForFifteenMinutes) {
  const int64_t signed_in = 1'800'000'000'000;
  const auto actor = actor_authenticated_at(signed_in);
  EXPECT_TRUE(console::recently_authenticated(actor, core::Timestamp{signed_in}));
  EXPECT_TRUE(
      console::recently_authenticated(actor, core::Timestamp{signed_in + 15 * kMinute - 1}));
  EXPECT_FALSE(console::recently_authenticated(actor, core::Timestamp{signed_in + 15 * kMinute}));
  EXPECT_FALSE(console::recently_authenticated(actor, core::Timestamp{signed_in + 60 * kMinute}));
}

TEST(ConsoleRules, CountsASignInStampedSlightlyAheadAsRecent) {
  const auto actor = actor_authenticated_at(1'800'000'001'000);
  EXPECT_TRUE(console::recently_authenticated(actor, core::Timestamp{1'800'000'000'000}));
}

TEST(ConsoleRules, ReadsThePageNumberOrFallsBackToOne) {
  EXPECT_EQ(console::page_number(std::nullopt), 1);
  EXPECT_EQ(console::page_number("3"), 3);
  for (std::string_view bad : {"", "0", "-2", "2x", "x", " 2", "99999999", "10001"})
    EXPECT_EQ(console::page_number(bad), 1) << bad;
  EXPECT_EQ(console::page_number("10000"), 10000);
}

TEST(ConsoleRules, ReadsTheDaysATokenIsValid) {
  auto empty = console::parse_expires_days("  ");
  ASSERT_TRUE(empty.ok());
  EXPECT_FALSE(empty->has_value());
  auto thirty = console::parse_expires_days(" 30 ");
  ASSERT_TRUE(thirty.ok());
  EXPECT_EQ(**thirty, 30);
  for (std::string_view bad : {"0", "3651", "abc", "1.5", "-1", "30 hari"}) {
    auto r = console::parse_expires_days(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, core::ErrorCode::validation_failed);
    EXPECT_TRUE(r.error().fields.contains("expires"));
  }
}

TEST(ConsoleRules, ReturnsOnlyToTheEventsList) {
  const std::string fallback = "/konsol/peristiwa";
  EXPECT_EQ(
      console::events_return_path("/konsol/peristiwa?tingkat=high&belum=1&halaman=2", fallback),
      "/konsol/peristiwa?tingkat=high&belum=1&halaman=2");
  for (std::string_view bad :
       {"", "https://evil.example/", "//evil.example", "/konsol/peristiwa/../../akun",
        "/konsol/peristiwaX", "/konsol/peristiwa?x=1\r\nSet-Cookie:a=b", "/akun"})
    EXPECT_EQ(console::events_return_path(bad, fallback), fallback) << bad;
}

TEST(ConsoleRules, TellsATokensStatusRevokedBeforeExpired) {
  security::ApiToken t;
  const core::Timestamp now{1'800'000'000'000};
  EXPECT_EQ(console::token_status(t, now), console::TokenStatus::active);
  t.expires_at = now;
  EXPECT_EQ(console::token_status(t, now), console::TokenStatus::expired);
  t.revoked_at = core::Timestamp{now.ms - 1};
  EXPECT_EQ(console::token_status(t, now), console::TokenStatus::revoked);
}

// ---- the console over HTTP -----------------------------------------------------------------

std::string form_encode(const std::map<std::string, std::string>& fields) {
  std::string out;
  for (const auto& [k, v] : fields) {
    if (!out.empty()) out += '&';
    out += k + '=';
    for (unsigned char c : v) {
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
          c == '_' || c == '.')
        out += static_cast<char>(c);
      else if (c == ' ')
        out += '+';
      else
        out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

class ConsoleOnBackend : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!database_backend_available(GetParam()))
      GTEST_SKIP() << "set BALAI_TEST_PG to run on PostgreSQL";
  }
  void TearDown() override {
    server_.reset();
    database_.reset();
  }

  // Starts the real server with the demo city; `adjust` may change the configuration.
  ServerHarness& start(std::function<void(core::Config&)> adjust = {}) {
    database_ = std::make_unique<TempDatabase>(GetParam());
    const std::string url = GetParam() == "sqlite" ? std::string{} : database_->url();
    server_ = std::make_unique<ServerHarness>(std::move(adjust), url);
    return *server_;
  }
  // A server behind a trusted proxy on 127.0.0.1: requests name their client in
  // X-Forwarded-For, so a test can get another address banned and still reach the console.
  ServerHarness& start_behind_proxy() {
    return start([](core::Config& c) { c.security.trusted_proxies = "127.0.0.1"; });
  }

  ServerHarness& server() { return *server_; }
  app::SecurityServices& security() { return server_->runtime().security(); }
  core::Timestamp now() { return server_->runtime().app().clock.now(); }

  std::string admin() { return sign_in_bearer(server(), kDemoAdminLogin, kDemoAdminPassword); }
  std::string auditor() {
    security::NewAccount a;
    a.role = security::Role::auditor;
    a.display_name = "Auditor Inspektorat";
    a.email = "auditor@demo.balai.id";
    a.password = "lontong balap wonokromo";
    auto created = security().accounts.create(a, now());
    if (!created) throw std::runtime_error("auditor: " + created.error().message);
    return sign_in_bearer(server(), a.email, a.password);
  }

  HttpReply get(const std::string& target, const std::string& bearer) {
    return server().get(target, bearer_headers(bearer));
  }
  HttpReply post(const std::string& target, const std::string& bearer,
                 const std::map<std::string, std::string>& fields = {}) {
    return server().send(
        "POST", target, form_encode(fields),
        bearer_headers(bearer, {{"Content-Type", "application/x-www-form-urlencoded"}}));
  }

  // Five wrong passwords for the citizen from 203.0.113.9: the account is locked and the
  // address banned (the defaults: five failures each). Waits until the events are stored.
  void fail_sign_ins_from_another_address() {
    const std::string body = boost::json::serialize(
        boost::json::object{{"login", kDemoCitizenLogin}, {"password", "salah sekali ini ya"}});
    for (int i = 0; i < 6; ++i)
      server().send("POST", "/api/v1/auth/login", body,
                    {{"Content-Type", "application/json"}, {"X-Forwarded-For", "203.0.113.9"}});
    security().monitor.flush();
  }

  std::optional<security::SecurityEvent> event_of_type(std::string_view type) {
    auto list = security().events.list(security::EventQuery{std::nullopt, false, 500, 0});
    if (!list) return std::nullopt;
    for (const auto& e : *list)
      if (e.type == type) return e;
    return std::nullopt;
  }

  // How many audit entries record `action` on `object_id`.
  int64_t audit_entries(std::string_view action, std::string_view object_id) {
    auto rows = server().runtime().database().query(
        "SELECT COUNT(*) FROM audit_entries WHERE action = ? AND object_id = ?",
        {action, object_id});
    return rows ? (*rows)[0].int64(0) : -1;
  }

 private:
  std::unique_ptr<TempDatabase> database_;
  std::unique_ptr<ServerHarness> server_;
};

TEST_P(ConsoleOnBackend, SendsAnAnonymousVisitorToSignIn) {
  start();
  const auto r = server().get("/konsol");
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(r.header("location"), "/masuk?next=/konsol");
  EXPECT_EQ(r.header("cache-control"), "no-store");
  EXPECT_EQ(server().get("/konsol/blokir").header("location"), "/masuk?next=/konsol/blokir");
}

TEST_P(ConsoleOnBackend, RefusesACitizen) {
  start();
  const std::string citizen = sign_in_bearer(server(), kDemoCitizenLogin, kDemoCitizenPassword);
  for (std::string target : {"/konsol", "/konsol/peristiwa", "/konsol/blokir", "/konsol/token"}) {
    const auto r = get(target, citizen);
    EXPECT_EQ(r.status, 403) << target;
    EXPECT_EQ(r.header("cache-control"), "no-store") << target;
  }
  EXPECT_EQ(post("/konsol/audit/periksa", citizen).status, 403);
}

TEST_P(ConsoleOnBackend, RefusesAnOfficer) {
  start();
  const std::string officer = sign_in_bearer(server(), kDemoOfficerLogin, kDemoOfficerPassword);
  EXPECT_EQ(get("/konsol", officer).status, 403);
  EXPECT_EQ(post("/konsol/blokir/cabut", officer, {{"key", "ip:203.0.113.9"}}).status, 403);
}

TEST_P(ConsoleOnBackend, ShowsAnAdministratorTheAlertsAndTheKeyRing) {
  start();
  ASSERT_TRUE(security()
                  .events
                  .record(security::SecurityEvent{"",
                                                  now(),
                                                  "password_guessing",
                                                  security::ids::Severity::high,
                                                  "198.51.100.4",
                                                  "acct:abc",
                                                  "12 failures",
                                                  {},
                                                  ""})
                  .ok());
  const auto r = get("/konsol", admin());
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("cache-control"), "no-store");
  EXPECT_TRUE(contains(r.body, "data-alerts=\"1\"")) << r.body;
  EXPECT_TRUE(contains(r.body, "password_guessing"));
  EXPECT_TRUE(contains(r.body, "data-bans=\"0\""));
  EXPECT_TRUE(contains(r.body, "data-waf=\"off\""));
  EXPECT_TRUE(contains(r.body, "data-audit-never"));
  // The key ring: key 1, active, its creation time in the city's zone (WIB, +07:00).
  const auto keys = security().keyring.data_keys();
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_TRUE(contains(r.body, core::format_iso8601(keys[0].created_at, core::Zone::wib)));
  EXPECT_TRUE(contains(r.body, "Aktif untuk enkripsi"));
  for (std::string link : {"/konsol/peristiwa", "/konsol/blokir", "/konsol/token"})
    EXPECT_TRUE(contains(r.body, "href=\"" + link + "\"")) << link;
  EXPECT_TRUE(contains(r.body, "aria-current=\"page\""));
}

TEST_P(ConsoleOnBackend, ListsTheEventsASignInAttackCaused) {
  start_behind_proxy();
  fail_sign_ins_from_another_address();
  const std::string bearer = admin();
  const auto all = get("/konsol/peristiwa", bearer);
  ASSERT_EQ(all.status, 200);
  EXPECT_TRUE(contains(all.body, "account_locked"));
  EXPECT_TRUE(contains(all.body, "source_banned"));
  EXPECT_TRUE(contains(all.body, "203.0.113.9"));
  EXPECT_TRUE(contains(all.body, "Tandai sudah ditangani"));
  // Both are medium: shown from medium up, not from high up.
  EXPECT_TRUE(
      contains(get("/konsol/peristiwa?tingkat=medium&belum=1", bearer).body, "account_locked"));
  const auto high = get("/konsol/peristiwa?tingkat=high", bearer);
  EXPECT_FALSE(contains(high.body, "account_locked"));
  EXPECT_TRUE(contains(high.body, "<option value=\"high\" selected>"));
}

TEST_P(ConsoleOnBackend, AcknowledgesAnEventOnceAndKeepsTheFirst) {
  start_behind_proxy();
  fail_sign_ins_from_another_address();
  const auto locked = event_of_type("account_locked");
  ASSERT_TRUE(locked);
  const std::string bearer = admin();
  const std::string target = "/konsol/peristiwa/" + locked->id + "/tandai";

  const auto first = post(target, bearer, {{"kembali", "/konsol/peristiwa?belum=1"}});
  EXPECT_EQ(first.status, 303);
  EXPECT_EQ(first.header("location"), "/konsol/peristiwa?belum=1");
  const auto after_first = event_of_type("account_locked");
  ASSERT_TRUE(after_first && after_first->acknowledged_at);
  auto admin_account = security().accounts.find_by_login(kDemoAdminLogin);
  ASSERT_TRUE(admin_account.ok() && *admin_account);
  EXPECT_EQ(after_first->acknowledged_by, (*admin_account)->id);

  const auto second = post(target, bearer, {{"kembali", "https://evil.example/"}});
  EXPECT_EQ(second.status, 303);
  EXPECT_EQ(second.header("location"), "/konsol/peristiwa");
  EXPECT_EQ(event_of_type("account_locked")->acknowledged_at, after_first->acknowledged_at);

  const auto open = get("/konsol/peristiwa?belum=1", bearer);
  EXPECT_FALSE(contains(open.body, "data-event=\"" + locked->id + "\""));
  EXPECT_TRUE(contains(get("/konsol/peristiwa", bearer).body, "Ditangani oleh"));
}

TEST_P(ConsoleOnBackend, AnswersAnUnknownEventWith404) {
  start();
  const auto r = post("/konsol/peristiwa/" + core::new_uuid_v7(now()) + "/tandai", admin());
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.header("cache-control"), "no-store");
}

TEST_P(ConsoleOnBackend, LiftsABanAndAuditsIt) {
  start_behind_proxy();
  fail_sign_ins_from_another_address();
  const std::map<std::string, std::string> from_banned = {{"X-Forwarded-For", "203.0.113.9"}};
  ASSERT_EQ(server().get("/healthz", from_banned).status, 429);
  const std::string bearer = admin();

  const auto bans = get("/konsol/blokir", bearer);
  ASSERT_EQ(bans.status, 200);
  EXPECT_TRUE(contains(bans.body, "data-ban=\"ip:203.0.113.9\""));
  // The configured lists, read-only: the trusted proxy is shown.
  EXPECT_TRUE(contains(bans.body, "<code>127.0.0.1</code>"));

  const auto lifted = post("/konsol/blokir/cabut", bearer, {{"key", "ip:203.0.113.9"}});
  EXPECT_EQ(lifted.status, 303);
  EXPECT_EQ(lifted.header("location"), "/konsol/blokir");
  EXPECT_EQ(server().get("/healthz", from_banned).status, 200);
  EXPECT_FALSE(contains(get("/konsol/blokir", bearer).body, "data-ban=\"ip:203.0.113.9\""));

  EXPECT_EQ(audit_entries("firewall.ban.lift", "ip:203.0.113.9"), 1);
  auto verified = server().runtime().audit().verify(server().runtime().database());
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->ok) << verified->problem;
  // Lifting what is not banned (any more) is a 404 and writes nothing.
  EXPECT_EQ(post("/konsol/blokir/cabut", bearer, {{"key", "ip:203.0.113.9"}}).status, 404);
  EXPECT_EQ(audit_entries("firewall.ban.lift", "ip:203.0.113.9"), 1);
}

TEST_P(ConsoleOnBackend, VerifiesTheAuditLogOnRequestAndShowsTheResult) {
  start();
  const std::string bearer = admin();
  const auto run = post("/konsol/audit/periksa", bearer);
  EXPECT_EQ(run.status, 303);
  EXPECT_EQ(run.header("location"), "/konsol");
  const auto page = get("/konsol", bearer);
  EXPECT_TRUE(contains(page.body, "data-audit-ok=\"true\"")) << page.body;
  EXPECT_FALSE(contains(page.body, "data-audit-never"));
  auto verified = server().runtime().audit().verify(server().runtime().database());
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(
      contains(page.body, "data-audit-entries=\"" + std::to_string(verified->entries) + "\""));
}

TEST_P(ConsoleOnBackend, ShowsAnEditedAuditEntryAsBroken) {
  start();
  const std::string bearer = admin();
  ASSERT_EQ(post("/konsol/token", bearer, {{"name", "Sensor"}, {"role", "device"}}).status, 200);
  ASSERT_TRUE(server()
                  .runtime()
                  .database()
                  .transact([](db::Connection& c) -> core::Status {
                    auto r =
                        c.query("UPDATE audit_entries SET actor = 'someone-else' WHERE seq = 1");
                    if (!r) return r.take_error();
                    return {};
                  })
                  .ok());
  EXPECT_EQ(post("/konsol/audit/periksa", bearer).status, 303);
  const auto page = get("/konsol", bearer);
  EXPECT_TRUE(contains(page.body, "data-audit-ok=\"false\"")) << page.body;
  EXPECT_TRUE(contains(page.body, "Rusak"));
}

TEST_P(ConsoleOnBackend, LetsAnAuditorReadAndVerifyButChangeNothing) {
  start_behind_proxy();
  fail_sign_ins_from_another_address();
  const std::string bearer = auditor();
  const auto overview = get("/konsol", bearer);
  EXPECT_EQ(overview.status, 200);
  EXPECT_TRUE(contains(overview.body, "/konsol/audit/periksa"));
  EXPECT_EQ(post("/konsol/audit/periksa", bearer).status, 303);
  EXPECT_TRUE(contains(get("/konsol", bearer).body, "data-audit-ok=\"true\""));

  const auto bans = get("/konsol/blokir", bearer);
  EXPECT_EQ(bans.status, 200);
  EXPECT_TRUE(contains(bans.body, "data-ban=\"ip:203.0.113.9\""));
  EXPECT_FALSE(contains(bans.body, "/konsol/blokir/cabut"));
  EXPECT_EQ(post("/konsol/blokir/cabut", bearer, {{"key", "ip:203.0.113.9"}}).status, 403);
  EXPECT_EQ(server().get("/healthz", {{"X-Forwarded-For", "203.0.113.9"}}).status, 429);

  const auto events = get("/konsol/peristiwa", bearer);
  EXPECT_EQ(events.status, 200);
  EXPECT_FALSE(contains(events.body, "/tandai"));
  const auto locked = event_of_type("account_locked");
  ASSERT_TRUE(locked);
  EXPECT_EQ(post("/konsol/peristiwa/" + locked->id + "/tandai", bearer).status, 403);

  const auto tokens = get("/konsol/token", bearer);
  EXPECT_EQ(tokens.status, 200);
  EXPECT_FALSE(contains(tokens.body, "action=\"/konsol/token\""));
  EXPECT_EQ(post("/konsol/token", bearer, {{"name", "x"}, {"role", "device"}}).status, 403);
}

TEST_P(ConsoleOnBackend, CreatesATokenShowsItOnceAndRevokesIt) {
  start();
  const std::string bearer = admin();
  const auto created = post("/konsol/token", bearer,
                            {{"name", "Sensor AWS-07 Kali Madiun"},
                             {"role", "device"},
                             {"agency", ""},
                             {"expires", "30"}});
  ASSERT_EQ(created.status, 200) << created.body;
  EXPECT_EQ(created.header("cache-control"), "no-store");
  const std::string marker = "data-token-secret>";
  const size_t at = created.body.find(marker);
  ASSERT_NE(at, std::string::npos);
  const std::string secret =
      created.body.substr(at + marker.size(), created.body.find('<', at) - at - marker.size());
  ASSERT_TRUE(secret.starts_with("bt_")) << secret;

  auto live = security().tokens.resolve(secret, now());
  ASSERT_TRUE(live.ok() && *live);
  const std::string id = (*live)->id;
  EXPECT_EQ((*live)->role, security::Role::device);
  ASSERT_TRUE((*live)->expires_at);
  EXPECT_EQ(audit_entries("tokens.create", id), 1);

  const auto list = get("/konsol/token", bearer);
  EXPECT_TRUE(contains(list.body, "Sensor AWS-07 Kali Madiun"));
  EXPECT_TRUE(contains(list.body, "data-token=\"" + id + "\""));
  EXPECT_FALSE(contains(list.body, secret));

  const auto revoked = post("/konsol/token/" + id + "/cabut", bearer);
  EXPECT_EQ(revoked.status, 303);
  EXPECT_EQ(revoked.header("location"), "/konsol/token");
  auto gone = security().tokens.resolve(secret, now());
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(*gone);
  EXPECT_EQ(audit_entries("tokens.revoke", id), 1);
  EXPECT_TRUE(contains(get("/konsol/token", bearer).body, "Dicabut"));
  EXPECT_EQ(server().get("/konsol", {{"Authorization", "Bearer " + secret}}).status, 401);
  EXPECT_EQ(post("/konsol/token/" + core::new_uuid_v7(now()) + "/cabut", bearer).status, 404);
}

TEST_P(ConsoleOnBackend, ShowsEveryProblemOfATokenFormAtOnce) {
  start();
  const auto r =
      post("/konsol/token", admin(), {{"name", ""}, {"role", "admin"}, {"expires", "abc"}});
  EXPECT_EQ(r.status, 422);
  EXPECT_TRUE(contains(r.body, "href=\"#token-name\""));
  EXPECT_TRUE(contains(r.body, "href=\"#token-role\""));
  EXPECT_TRUE(contains(r.body, "href=\"#token-expires\""));
  EXPECT_TRUE(contains(r.body, "value=\"abc\""));
  auto tokens = security().tokens.list();
  ASSERT_TRUE(tokens.ok());
  EXPECT_TRUE(tokens->empty());
}

TEST_P(ConsoleOnBackend, AsksForAFreshSignInBeforeCreatingAToken) {
  start();
  const std::string bearer = admin();
  auto session = security().sessions.resolve(bearer, now());
  ASSERT_TRUE(session.ok() && *session);
  // The session's last proof of the password, sixteen minutes ago.
  ASSERT_TRUE(
      security()
          .sessions.reauthenticated((*session)->key, core::Timestamp{now().ms - 16 * kMinute})
          .ok());
  const auto r =
      post("/konsol/token", bearer, {{"name", "Jembatan LAPOR!"}, {"role", "integrator"}});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.header("cache-control"), "no-store");
  EXPECT_TRUE(contains(r.body, "href=\"/akun/konfirmasi?next=/konsol/token\""));
  EXPECT_TRUE(contains(r.body, "15 menit"));
  auto tokens = security().tokens.list();
  ASSERT_TRUE(tokens.ok());
  EXPECT_TRUE(tokens->empty());
}

TEST_P(ConsoleOnBackend, NeverLetsAConsolePageBeCached) {
  start();
  const std::string bearer = admin();
  for (std::string target : {"/konsol", "/konsol/peristiwa", "/konsol/peristiwa?tingkat=high",
                             "/konsol/blokir", "/konsol/token", "/konsol?lang=en"}) {
    const auto r = get(target, bearer);
    EXPECT_EQ(r.status, 200) << target;
    EXPECT_EQ(r.header("cache-control"), "no-store") << target;
  }
}

TEST_P(ConsoleOnBackend, WorksForABrowserWithItsCookieAndFormToken) {
  start();
  // A bearer session is also a cookie session: the same token, sent as the browser does.
  const std::string token = admin();
  const std::string cookie = "balai_insecure_dev_session=" + token;
  const auto page = server().get("/konsol", {{"Cookie", cookie}});
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.header("cache-control"), "no-store");
  const std::string marker = "name=\"_csrf\" value=\"";
  const size_t at = page.body.find(marker);
  ASSERT_NE(at, std::string::npos);
  const std::string csrf = page.body.substr(
      at + marker.size(), page.body.find('"', at + marker.size()) - at - marker.size());
  ASSERT_FALSE(csrf.empty());
  const std::map<std::string, std::string> headers = {
      {"Cookie", cookie}, {"Content-Type", "application/x-www-form-urlencoded"}};
  EXPECT_EQ(server().send("POST", "/konsol/audit/periksa", "", headers).status, 403);
  EXPECT_EQ(server()
                .send("POST", "/konsol/audit/periksa", form_encode({{"_csrf", csrf}}), headers)
                .status,
            303);
}

INSTANTIATE_TEST_SUITE_P(Console, ConsoleOnBackend, ::testing::ValuesIn(test_database_backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace balai::testing
