// The security core under attack, over real HTTP against the real server (issue: security
// core, "Tests"): password guessing, session fixation, CSRF, cross-origin posts, someone
// else's record by id, bad bearer tokens, TOTP replay, personal data at rest, injection
// payloads. Each test has its own server: several of them get 127.0.0.1 banned.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "security/api_tokens.h"
#include "security/monitor.h"
#include "security/security_events.h"
#include "security/sessions.h"
#include "security/sign_in.h"
#include "security/totp.h"
#include "support/browser.h"
#include "support/server_harness.h"

namespace balai::testing {
namespace {

constexpr const char* kCitizen = "warga@demo.balai.id";
constexpr const char* kCitizenPassword = "kereta api lewat tengah kota";
constexpr const char* kOfficer = "petugas@demo.balai.id";
constexpr const char* kOfficerPassword = "brem caruban manis legit";

std::vector<security::SecurityEvent> events_of(ServerHarness& s) {
  s.runtime().security().monitor.flush();
  auto list = s.runtime().security().events.list(security::EventQuery{{}, false, 500, 0});
  EXPECT_TRUE(list.ok());
  return list.ok() ? *list : std::vector<security::SecurityEvent>{};
}

bool has_event(ServerHarness& s, std::string_view type) {
  for (const auto& e : events_of(s))
    if (e.type == type) return true;
  return false;
}

std::string json_login(const std::string& login, const std::string& password, bool app = false) {
  return std::string(R"({"login":")") + login + R"(","password":")" + password + "\"" +
         (app ? R"(,"client":"app"})" : "}");
}

std::string field(const std::string& json, const std::string& name) {
  const std::string marker = "\"" + name + "\":\"";
  const size_t at = json.find(marker);
  if (at == std::string::npos) return "";
  const size_t start = at + marker.size();
  return json.substr(start, json.find('"', start) - start);
}

// An officer who has enrolled TOTP; returns the secret so the test can make codes.
std::vector<uint8_t> enrol_officer(ServerHarness& s) {
  auto& sec = s.runtime().security();
  auto reply = s.send("POST", "/api/v1/auth/login", json_login(kOfficer, kOfficerPassword, true),
                      {{"Content-Type", "application/json"}});
  EXPECT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(field(reply.body, "stage"), "enrol");
  const std::string token = field(reply.body, "token");
  auto session = sec.sessions.resolve(token, core::SystemClock{}.now());
  EXPECT_TRUE(session.ok() && session->has_value());
  auto enrolment = sec.sign_in.begin_enrolment(**session);
  EXPECT_TRUE(enrolment.ok());
  auto secret = security::base32_decode(enrolment->secret_base32);
  EXPECT_TRUE(secret.has_value());
  const int64_t step = security::totp_step(core::SystemClock{}.now());
  auto confirmed = sec.sign_in.confirm_enrolment(token, security::totp_code(*secret, step),
                                                 security::Attempt{"127.0.0.1", "test", ""});
  EXPECT_TRUE(confirmed.ok()) << (confirmed.ok() ? "" : confirmed.error().message);
  return *secret;
}

TEST(SecurityAttacks, HundredWrongPasswordsLockTheAccountBanTheSourceAndTheOwnerGetsBackIn) {
  ServerHarness server([](core::Config& c) {
    c.security.ban_first_ms = 5000;  // short, so the test can outlive the ban
    c.security.ban_window_ms = 60'000;
  });
  Browser attacker(server);
  std::vector<int> statuses;
  for (int i = 0; i < 100; ++i) {
    auto r = attacker.sign_in(kCitizen, "wrong password number " + std::to_string(i));
    ASSERT_TRUE(r.status == 401 || r.status == 429) << r.status;
    statuses.push_back(r.status);
  }
  // Five failures lock the account and ban the address; what follows is refused unheard
  // (a slow machine may outlive a ban once in the loop: then five more, and a doubled ban).
  for (int i = 0; i < 5; ++i) EXPECT_EQ(statuses[i], 401) << i;
  EXPECT_EQ(statuses[5], 429);
  EXPECT_LE(std::count(statuses.begin(), statuses.end(), 401), 10);
  EXPECT_TRUE(has_event(server, "account_locked"));
  EXPECT_TRUE(has_event(server, "source_banned"));
  // While banned, even the right password is refused, with the time to wait.
  auto during = Browser(server).sign_in(kCitizen, kCitizenPassword);
  EXPECT_EQ(during.status, 429);
  const int wait_s = std::atoi(during.header("retry-after").c_str());
  ASSERT_GE(wait_s, 1);
  ASSERT_LE(wait_s, 20);
  // The ban and the lock end: the owner signs in with the real password.
  std::this_thread::sleep_for(std::chrono::milliseconds(wait_s * 1000 + 300));
  Browser owner(server);
  auto after = owner.sign_in(kCitizen, kCitizenPassword);
  if (after.status == 429) {  // the account's own lock may end a moment after the address's
    std::this_thread::sleep_for(
        std::chrono::seconds(std::atoi(after.header("retry-after").c_str()) + 1));
    after = owner.sign_in(kCitizen, kCitizenPassword);
  }
  EXPECT_EQ(after.status, 303) << after.body.substr(0, 200);
  EXPECT_EQ(after.header("location"), "/akun");
  EXPECT_EQ(owner.get("/akun").status, 200);
}

TEST(SecurityAttacks, UnknownAndKnownAccountsAnswerTheSame) {
  ServerHarness server([](core::Config& c) { c.security.ban_failures = 100; });
  auto known = server.send("POST", "/api/v1/auth/login", json_login(kCitizen, "not the password"),
                           {{"Content-Type", "application/json"}});
  auto unknown =
      server.send("POST", "/api/v1/auth/login", json_login("nobody@example.id", "whatever pass"),
                  {{"Content-Type", "application/json"}});
  EXPECT_EQ(known.status, 401);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(field(known.body, "message"), field(unknown.body, "message"));
}

TEST(SecurityAttacks, ATokenFromBeforeSignInIsWorthlessAfterIt) {
  ServerHarness server;
  Browser b(server);
  // A session fixed by an attacker (a cookie the server never issued) is never adopted.
  b.set_cookie(Browser::kSessionCookie, "AttackerChosenValueAttackerChosenValue12345");
  ASSERT_EQ(b.sign_in(kCitizen, kCitizenPassword).status, 303);
  const std::string first = b.cookie(Browser::kSessionCookie);
  EXPECT_NE(first, "AttackerChosenValueAttackerChosenValue12345");
  // Signing in again (the form posted with the session's token) rotates: the earlier token
  // no longer works.
  b.get("/akun");
  ASSERT_EQ(b.post_form("/masuk", {{"login", kCitizen}, {"password", kCitizenPassword}}).status,
            303);
  const std::string second = b.cookie(Browser::kSessionCookie);
  EXPECT_NE(first, second);
  auto old = server.get("/api/v1/auth/sessions",
                        {{"Cookie", std::string(Browser::kSessionCookie) + "=" + first}});
  EXPECT_EQ(old.status, 401);
  auto now = server.get("/api/v1/auth/sessions",
                        {{"Cookie", std::string(Browser::kSessionCookie) + "=" + second}});
  EXPECT_EQ(now.status, 200);
}

TEST(SecurityAttacks, LogoutEndsTheSessionOnTheServer) {
  ServerHarness server;
  Browser b(server);
  ASSERT_EQ(b.sign_in(kCitizen, kCitizenPassword).status, 303);
  const std::string token = b.cookie(Browser::kSessionCookie);
  b.get("/akun");
  EXPECT_EQ(b.post_form("/keluar", {}).status, 303);
  auto replayed = server.get("/api/v1/auth/sessions",
                             {{"Cookie", std::string(Browser::kSessionCookie) + "=" + token}});
  EXPECT_EQ(replayed.status, 401);
}

TEST(SecurityAttacks, UnsafeRequestsWithoutTheCsrfTokenAreRefused) {
  ServerHarness server;
  Browser b(server);
  ASSERT_EQ(b.sign_in(kCitizen, kCitizenPassword).status, 303);
  // A form post without the token, and a cookie-authenticated API call without the header.
  EXPECT_EQ(b.post_form("/keluar", {}, /*with_token=*/false).status, 403);
  EXPECT_EQ(b.send("POST", "/api/v1/auth/logout", "").status, 403);
  EXPECT_EQ(b.post_form("/keluar", {{"_csrf", "forged"}}, false).status, 403);
  // The sign-in form itself needs the visitor's token (no login CSRF).
  Browser fresh(server);
  EXPECT_EQ(fresh
                .post_form("/masuk", {{"login", kCitizen}, {"password", kCitizenPassword}},
                           /*with_token=*/false)
                .status,
            403);
  // Still signed in after all that; with the header the API call works.
  b.get("/akun");
  EXPECT_EQ(b.send("POST", "/api/v1/auth/logout", "", {{"X-CSRF-Token", b.csrf()}}).status, 200);
  EXPECT_TRUE(has_event(server, "csrf_token_invalid"));
}

TEST(SecurityAttacks, CrossOriginPostsAreRefusedEvenWithAToken) {
  ServerHarness server;
  Browser b(server);
  ASSERT_EQ(b.sign_in(kCitizen, kCitizenPassword).status, 303);
  b.get("/akun");
  auto forged = b.post_form("/keluar", {}, true, {{"Origin", "https://evil.example"}});
  EXPECT_EQ(forged.status, 403);
  auto same = b.post_form("/keluar", {}, true, {{"Origin", "http://127.0.0.1"}});
  EXPECT_EQ(same.status, 303);
  EXPECT_TRUE(has_event(server, "cross_origin_refused"));
}

TEST(SecurityAttacks, SomeoneElsesSessionByIdIsNotFoundAndRecorded) {
  ServerHarness server;
  Browser victim(server);
  ASSERT_EQ(victim.sign_in(kCitizen, kCitizenPassword).status, 303);
  auto mine = victim.get("/api/v1/auth/sessions");
  const std::string victim_session = field(mine.body, "id");
  ASSERT_FALSE(victim_session.empty());
  // Another account (the officer) tries to end the citizen's session by its id.
  Browser other(server);
  auto& sec = server.runtime().security();
  auto other_account =
      sec.accounts.create(security::NewAccount{security::Role::citizen, "", "Budi Lain",
                                               "budi@example.id", "tahu campur lamongan enak"},
                          core::SystemClock{}.now());
  ASSERT_TRUE(other_account.ok());
  ASSERT_EQ(other.sign_in("budi@example.id", "tahu campur lamongan enak").status, 303);
  other.get("/akun");
  auto api = other.send("DELETE", "/api/v1/auth/sessions/" + victim_session, "",
                        {{"X-CSRF-Token", other.csrf()}});
  EXPECT_EQ(api.status, 404);
  auto page = other.post_form("/akun/sesi/" + victim_session + "/akhiri", {});
  EXPECT_EQ(page.status, 404);
  EXPECT_EQ(victim.get("/akun").status, 200);  // still signed in
  bool recorded = false;
  for (const auto& e : events_of(server))
    recorded |=
        e.type == "access_denied" && e.detail.find("account.sessions.revoke") != std::string::npos;
  EXPECT_TRUE(recorded);
}

TEST(SecurityAttacks, BearerTokensAreCheckedAndScoped) {
  ServerHarness server;
  auto& sec = server.runtime().security();
  auto token =
      sec.tokens.create(security::NewApiToken{"bridge", security::Role::integrator, "", {}},
                        core::SystemClock{}.now());
  ASSERT_TRUE(token.ok());
  // An integrator has no sessions to list: its token works, the action is not granted.
  auto scoped = server.get("/api/v1/auth/sessions", {{"Authorization", "Bearer " + token->token}});
  EXPECT_EQ(scoped.status, 403);
  EXPECT_EQ(scoped.header("cache-control"), "no-store");
  auto forged =
      server.get("/api/v1/auth/sessions", {{"Authorization", "Bearer bt_" + std::string(43, 'A')}});
  EXPECT_EQ(forged.status, 401);
  EXPECT_NE(forged.header("www-authenticate").find("invalid_token"), std::string::npos);
  ASSERT_TRUE(sec.tokens.revoke(token->info.id, core::SystemClock{}.now()).ok());
  auto revoked = server.get("/api/v1/auth/sessions", {{"Authorization", "Bearer " + token->token}});
  EXPECT_EQ(revoked.status, 401);
}

TEST(SecurityAttacks, AuthenticatedAnswersAreNeverCached) {
  ServerHarness server;
  Browser b(server);
  ASSERT_EQ(b.sign_in(kCitizen, kCitizenPassword).status, 303);
  for (const char* path : {"/akun", "/", "/api/v1/auth/sessions", "/api/v1/services"}) {
    auto r = b.get(path);
    EXPECT_EQ(r.header("cache-control"), "no-store") << path;
  }
}

TEST(SecurityAttacks, StaffNeedTheSecondFactorAndACodeWorksOnce) {
  ServerHarness server([](core::Config& c) { c.security.ban_failures = 100; });
  const auto secret = enrol_officer(server);
  auto first =
      server.send("POST", "/api/v1/auth/login", json_login(kOfficer, kOfficerPassword, true),
                  {{"Content-Type", "application/json"}});
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(field(first.body, "stage"), "second_factor");
  const std::string pending = field(first.body, "token");
  // A half-signed-in session reaches nothing.
  EXPECT_EQ(server.get("/api/v1/auth/sessions", {{"Authorization", "Bearer " + pending}}).status,
            401);
  // The enrolment used the current step: its code is already spent. The next step's code works.
  const int64_t step = security::totp_step(core::SystemClock{}.now());
  const std::string used = security::totp_code(secret, step);
  auto replay =
      server.send("POST", "/api/v1/auth/second-factor", std::string(R"({"code":")") + used + "\"}",
                  {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + pending}});
  EXPECT_EQ(replay.status, 401) << replay.body;
  const std::string next = security::totp_code(secret, step + 1);
  auto ok =
      server.send("POST", "/api/v1/auth/second-factor", std::string(R"({"code":")") + next + "\"}",
                  {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + pending}});
  ASSERT_EQ(ok.status, 200) << ok.body;
  const std::string full = field(ok.body, "token");
  EXPECT_NE(full, pending);
  EXPECT_EQ(server.get("/api/v1/auth/sessions", {{"Authorization", "Bearer " + full}}).status, 200);
  // The same code again, on a fresh sign-in: rejected, and counted as a failure.
  auto again =
      server.send("POST", "/api/v1/auth/login", json_login(kOfficer, kOfficerPassword, true),
                  {{"Content-Type", "application/json"}});
  const std::string pending2 = field(again.body, "token");
  auto replay2 =
      server.send("POST", "/api/v1/auth/second-factor", std::string(R"({"code":")") + next + "\"}",
                  {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + pending2}});
  EXPECT_EQ(replay2.status, 401);
  server.runtime().security().monitor.flush();
  bool counted = false;
  for (const auto& e : events_of(server)) counted |= e.type == "account_locked";
  (void)counted;  // one failure does not lock; the count itself is what the unit tests check
}

TEST(SecurityAttacks, PersonalDataIsNotInTheDatabaseFilesInPlainText) {
  ServerHarness server;
  auto& sec = server.runtime().security();
  auto created = sec.accounts.create(
      security::NewAccount{security::Role::citizen, "", "Raden Ayu Kusumawardhani",
                           "kusumawardhani.ayu@example.id", "rawon setan surabaya malam"},
      core::SystemClock{}.now());
  ASSERT_TRUE(created.ok());
  Browser b(server);
  ASSERT_EQ(b.sign_in("kusumawardhani.ayu@example.id", "rawon setan surabaya malam").status, 303);
  std::string bytes;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(server.data_dir())) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    bytes.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  ASSERT_GT(bytes.size(), 10'000u);  // the database and its WAL were read
  EXPECT_EQ(bytes.find("Kusumawardhani"), std::string::npos);
  EXPECT_EQ(bytes.find("kusumawardhani.ayu@example.id"), std::string::npos);
  EXPECT_EQ(bytes.find("warga@demo.balai.id"), std::string::npos);
}

TEST(SecurityAttacks, InjectionPayloadsAreDataNeverCodeNorErrors) {
  ServerHarness server([](core::Config& c) { c.security.ban_failures = 1000; });
  const std::vector<std::string> payloads = {"' OR '1'='1",
                                             "admin'--",
                                             "\"; DROP TABLE accounts; --",
                                             "<script>alert(1)</script>",
                                             "\"><img src=x onerror=alert(1)>",
                                             "{{7*7}}",
                                             "${7*7}",
                                             "%00",
                                             "../../etc/passwd"};
  // Failures on many names from one address are credential stuffing: intrusion detection
  // bans the address. That is right, and not what this test is about: lift it each time.
  auto unban = [&] {
    server.runtime().security().monitor.flush();
    server.runtime().security().firewall.bans().lift(
        security::firewall::Firewall::source_key("127.0.0.1"));
  };
  for (const auto& p : payloads) {
    Browser b(server);
    auto page = b.sign_in(p, "some password here");
    unban();
    EXPECT_EQ(page.status, 401) << p;
    EXPECT_EQ(page.body.find("<script>alert(1)</script>"), std::string::npos) << p;
    EXPECT_EQ(page.body.find("<img src=x"), std::string::npos) << p;
    auto api = server.send("POST", "/api/v1/auth/login",
                           json_login(p == "\"; DROP TABLE accounts; --" ? "x" : p, "pw"),
                           {{"Content-Type", "application/json"}});
    EXPECT_TRUE(api.status == 401 || api.status == 400) << p << " " << api.status;
    unban();
    auto search = server.get("/api/v1/services?q=" + form_encode(p));
    EXPECT_EQ(search.status, 200) << p;
  }
  // The table the payloads aimed at is still there.
  EXPECT_EQ(Browser(server).sign_in(kCitizen, kCitizenPassword).status, 303);
}

TEST(SecurityAttacks, MalformedSignInRequestsGetClearErrors) {
  ServerHarness server;
  auto not_json = server.send("POST", "/api/v1/auth/login", "login=x",
                              {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(not_json.status, 415);
  auto broken = server.send("POST", "/api/v1/auth/login",
                            "{\"login\":", {{"Content-Type", "application/json"}});
  EXPECT_EQ(broken.status, 400);
  auto missing = server.send("POST", "/api/v1/auth/login", R"({"login":"x"})",
                             {{"Content-Type", "application/json"}});
  EXPECT_EQ(missing.status, 422);
  EXPECT_NE(missing.body.find("\"password\""), std::string::npos);
  auto wrong_type = server.send("POST", "/api/v1/auth/login", R"({"login":1,"password":2})",
                                {{"Content-Type", "application/json"}});
  EXPECT_EQ(wrong_type.status, 422);
  auto too_large =
      server.send("POST", "/api/v1/auth/login", "{\"login\":\"" + std::string(10'000, 'a') + "\"}",
                  {{"Content-Type", "application/json"}});
  EXPECT_EQ(too_large.status, 413);
  auto array =
      server.send("POST", "/api/v1/auth/login", "[]", {{"Content-Type", "application/json"}});
  EXPECT_EQ(array.status, 400);
  auto no_code = server.send("POST", "/api/v1/auth/second-factor", "{}",
                             {{"Content-Type", "application/json"}});
  EXPECT_EQ(no_code.status, 422);
  auto no_session = server.send("POST", "/api/v1/auth/second-factor", R"({"code":"123456"})",
                                {{"Content-Type", "application/json"}});
  EXPECT_EQ(no_session.status, 401);
  auto anonymous = server.get("/api/v1/auth/sessions");
  EXPECT_EQ(anonymous.status, 401);
}

}  // namespace
}  // namespace balai::testing

namespace balai::testing {
namespace {

TEST(Reauthentication, AsksForThePasswordAgainAndRecordsTheProof) {
  ServerHarness server([](core::Config& c) { c.security.ban_failures = 100; });
  Browser b(server);
  ASSERT_EQ(b.sign_in(kCitizen, kCitizenPassword).status, 303);
  auto form = b.get("/akun/konfirmasi?next=/akun");
  ASSERT_EQ(form.status, 200);
  EXPECT_EQ(form.body.find("name=\"code\""), std::string::npos);  // citizens have no TOTP
  auto& sec = server.runtime().security();
  auto session_id = field(b.get("/api/v1/auth/sessions").body, "id");
  auto before = sec.sessions.find(session_id);
  ASSERT_TRUE(before.ok() && before->has_value());

  b.get("/akun/konfirmasi?next=/akun");
  auto wrong =
      b.post_form("/akun/konfirmasi", {{"password", "not my password"}, {"next", "/akun"}});
  EXPECT_EQ(wrong.status, 401);
  EXPECT_NE(wrong.body.find("role=\"alert\""), std::string::npos);
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  auto right =
      b.post_form("/akun/konfirmasi", {{"password", kCitizenPassword}, {"next", "//evil.example"}});
  EXPECT_EQ(right.status, 303);
  EXPECT_EQ(right.header("location"), "/akun");  // never another site
  auto after = sec.sessions.find(session_id);
  ASSERT_TRUE(after.ok() && after->has_value());
  EXPECT_GT((*after)->authenticated_at, (*before)->authenticated_at);
  // Without the CSRF token the form is refused like any other.
  EXPECT_EQ(b.post_form("/akun/konfirmasi", {{"password", kCitizenPassword}}, false).status, 403);
  // Anonymous visitors are sent to sign in.
  EXPECT_EQ(Browser(server).get("/akun/konfirmasi").status, 303);
}

}  // namespace
}  // namespace balai::testing
