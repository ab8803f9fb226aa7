// The identity module's HTML pages over real HTTP on each database backend, as a browser without
// JavaScript uses them: registration (errors in the GOV.UK pattern, the region picker's refresh,
// a taken NIK), confirming the codes read from the development outbox, signing in and "Data
// Saya", consents and data requests, changing the email, password reset, the officers'
// verification and request queues (and who may not open them), and the public transparency page.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <regex>
#include <thread>

#include "modules/notify/outbox.h"
#include "support/auth_helpers.h"
#include "support/browser.h"
#include "support/databases.h"
#include "support/server_harness.h"

namespace balai::testing {
namespace {

// A woman born on 1 July 1990 in Kartoharjo, Kota Madiun: district 35.77.01, day 41 = 1 + 40.
constexpr const char* kNik = "3577014107900001";
constexpr const char* kName = "Siti Rahayu";
constexpr const char* kEmail = "siti.rahayu@contoh.id";
constexpr const char* kPhone = "0812 3456 7890";
constexpr const char* kPhoneE164 = "+6281234567890";
constexpr const char* kPassword = "sambal tumpang pagi hari";
constexpr const char* kVillage = "35.77.01.1001";  // Oro-oro Ombo

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

// The registration form as a person fills it in.
std::map<std::string, std::string> registration(std::map<std::string, std::string> change = {}) {
  std::map<std::string, std::string> f{{"nik", kNik},
                                       {"full_name", kName},
                                       {"lahir_hari", "1"},
                                       {"lahir_bulan", "7"},
                                       {"lahir_tahun", "1990"},
                                       {"sex", "female"},
                                       {"street", "Jl. Pahlawan No. 37, RT 02/RW 05"},
                                       {"alamat_province", "35"},
                                       {"alamat_regency", "35.77"},
                                       {"alamat_district", "35.77.01"},
                                       {"alamat_village", kVillage},
                                       {"phone", kPhone},
                                       {"email", kEmail},
                                       {"password", kPassword}};
  for (auto& [k, v] : change) f[k] = v;
  return f;
}

// The external id in "/daftar/konfirmasi?akun=<id>".
std::string account_of(const HttpReply& r) {
  const std::string location = r.header("location");
  const std::string marker = "akun=";
  const auto at = location.find(marker);
  return at == std::string::npos ? std::string() : location.substr(at + marker.size());
}

// A minimal PNG: the signature is what the server looks at.
std::string png_bytes() {
  return std::string("\x89PNG\r\n\x1A\n\0\0\0\rIHDR\0\0\0\1\0\0\0\1\x08\x02\0\0\0", 25);
}

class IdentityPages : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!database_backend_available(GetParam()))
      GTEST_SKIP() << "set BALAI_TEST_PG to run on PostgreSQL";
    database_ = std::make_unique<TempDatabase>(GetParam());
    const std::string url = GetParam() == "sqlite" ? std::string{} : database_->url();
    server_ =
        std::make_unique<ServerHarness>([](core::Config& c) { c.notify.dev_outbox = true; }, url);
  }
  void TearDown() override {
    server_.reset();
    database_.reset();
  }

  ServerHarness& server() { return *server_; }
  std::string text(std::string_view key) {
    return std::string(server_->runtime().app().renderer.catalogs().text("id", key));
  }

  // The newest code of `kind` sent to `to`, as the development outbox shows it. Delivery runs on
  // the outbox's thread; a pass here makes it happen now, and the wait has a deadline.
  std::string code_for(const std::string& to, const std::string& kind) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    const std::regex six_digits(": ([0-9]{6})");
    while (std::chrono::steady_clock::now() < deadline) {
      (void)server_->runtime().app().outbox.deliver_due();
      const auto r = server_->get("/api/v1/dev/outbox");
      if (r.status != 200) return {};
      const boost::json::value outbox = boost::json::parse(r.body);
      for (const auto& m : outbox.at("messages").as_array()) {
        const auto& o = m.as_object();
        if (o.at("to").as_string() != to || o.at("kind").as_string() != kind) continue;
        std::smatch match;
        const std::string body(o.at("body").as_string());
        if (std::regex_search(body, match, six_digits)) return match[1];
      }
      std::this_thread::yield();
    }
    return {};
  }

  // Registers through /daftar and confirms both codes; returns the account's id.
  std::string register_and_confirm(Browser& b, std::map<std::string, std::string> change = {}) {
    b.get("/daftar");
    const auto form = registration(std::move(change));
    const auto done = b.post_form("/daftar", form);
    EXPECT_EQ(done.status, 303) << done.body.substr(0, 2000);
    const std::string id = account_of(done);
    b.get("/daftar/konfirmasi?akun=" + id);
    const auto confirmed =
        b.post_form("/daftar/konfirmasi?akun=" + id,
                    {{"email_code", code_for(form.at("email"), "identity.confirm_email")},
                     {"phone_code", code_for(kPhoneE164, "identity.confirm_phone")}});
    EXPECT_EQ(confirmed.status, 303);
    return id;
  }

  // A signed-in citizen who registered with the defaults.
  Browser registered_citizen() {
    Browser b(server());
    register_and_confirm(b);
    EXPECT_EQ(b.sign_in(kNik, kPassword).status, 303);
    return b;
  }

  std::string officer() {
    return sign_in_bearer(server(), kDemoOfficerLogin, kDemoOfficerPassword);
  }
  HttpReply officer_post(const std::string& bearer, const std::string& target,
                         const std::map<std::string, std::string>& fields) {
    std::string body;
    for (const auto& [k, v] : fields) body += (body.empty() ? "" : "&") + k + "=" + form_encode(v);
    return server().send(
        "POST", target, body,
        bearer_headers(bearer, {{"Content-Type", "application/x-www-form-urlencoded"}}));
  }

 private:
  std::unique_ptr<TempDatabase> database_;
  std::unique_ptr<ServerHarness> server_;
};

TEST_P(IdentityPages, ShowsTheRegistrationFormWithTheCitysRegionAndThePrivacyNotice) {
  Browser b(server());
  const auto r = b.get("/daftar");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("cache-control"), "no-store");
  EXPECT_TRUE(contains(r.body, "action=\"/daftar\""));
  EXPECT_TRUE(contains(r.body, "name=\"_csrf\""));
  for (const char* name : {"nik", "full_name", "lahir_hari", "lahir_bulan", "lahir_tahun", "sex",
                           "street", "phone", "email", "password"})
    EXPECT_TRUE(contains(r.body, "name=\"" + std::string(name) + "\"")) << name;
  EXPECT_TRUE(contains(r.body, "href=\"/layanan/identitas/privasi\""));
  // The city's regency is chosen already: its districts are listed.
  EXPECT_TRUE(contains(r.body, "<option value=\"35.77.01\">Kartoharjo</option>"));
  EXPECT_FALSE(contains(r.body, "class=\"error-summary\""));
  EXPECT_EQ(server().get("/layanan/identitas/privasi").status, 200);
}

TEST_P(IdentityPages, ShowsAWrongNikInTheSummaryAndAtTheFieldWithoutEchoingThePassword) {
  Browser b(server());
  b.get("/daftar");
  const auto r = b.post_form("/daftar", registration({{"nik", "35770141079"}}));
  ASSERT_EQ(r.status, 422);
  EXPECT_TRUE(contains(r.body, "<div class=\"error-summary\" role=\"alert\""));
  EXPECT_TRUE(contains(r.body, "<a href=\"#nik\">" + text("identity.errors.nik.wrong_length")));
  EXPECT_TRUE(contains(r.body, "id=\"nik-error\""));
  EXPECT_TRUE(contains(r.body, "aria-describedby=\"nik-hint nik-error\""));
  EXPECT_TRUE(contains(r.body, "value=\"" + std::string(kName) + "\""));  // kept
  EXPECT_TRUE(contains(r.body, "value=\"" + std::string(kVillage) + "\" selected"));
  EXPECT_FALSE(contains(r.body, kPassword));
}

TEST_P(IdentityPages, ReportsADateAndSexThatDisagreeWithTheNik) {
  Browser b(server());
  b.get("/daftar");
  const auto r = b.post_form("/daftar", registration({{"lahir_hari", "2"}, {"sex", "male"}}));
  ASSERT_EQ(r.status, 422);
  EXPECT_TRUE(contains(r.body, "href=\"#lahir-hari\""));
  EXPECT_TRUE(contains(r.body, text("identity.errors.birth_date.does_not_match_nik")));
  EXPECT_TRUE(contains(r.body, "href=\"#sex-male\""));
  EXPECT_TRUE(contains(r.body, text("identity.errors.sex.does_not_match_nik")));
}

TEST_P(IdentityPages, RefreshesTheRegionPickerKeepingTheValuesAndRegisteringNothing) {
  auto before = server().runtime().database().query("SELECT COUNT(*) FROM citizens");
  ASSERT_TRUE(before.ok());
  const int64_t citizens_before = (*before)[0].int64(0);  // the demo city may have some
  Browser b(server());
  b.get("/daftar");
  auto form = registration();
  form.erase("alamat_village");
  form["_region_refresh"] = "alamat";
  const auto r = b.post_form("/daftar", form);
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(contains(r.body, ">Oro-oro Ombo</option>"));
  EXPECT_TRUE(contains(r.body, "value=\"" + std::string(kNik) + "\""));
  EXPECT_FALSE(contains(r.body, "class=\"error-summary\""));
  EXPECT_FALSE(contains(r.body, kPassword));
  auto rows = server().runtime().database().query("SELECT COUNT(*) FROM citizens");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)[0].int64(0), citizens_before);
}

TEST_P(IdentityPages, RegistersConfirmsBothCodesSignsInAndShowsDataSaya) {
  Browser b(server());
  b.get("/daftar");
  const auto made = b.post_form("/daftar", registration());
  ASSERT_EQ(made.status, 303) << made.body.substr(0, 2000);
  const std::string id = account_of(made);
  ASSERT_EQ(id.size(), 36u);

  const auto page = b.get("/daftar/konfirmasi?akun=" + id);
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(contains(page.body, "name=\"email_code\""));
  EXPECT_TRUE(contains(page.body, "name=\"phone_code\""));
  // Not active yet: signing in is refused.
  Browser early(server());
  EXPECT_NE(early.sign_in(kNik, kPassword).status, 303);

  // A wrong SMS code is shown at its field; the right email code counts meanwhile.
  const std::string email_code = code_for(kEmail, "identity.confirm_email");
  const std::string phone_code = code_for(kPhoneE164, "identity.confirm_phone");
  ASSERT_EQ(email_code.size(), 6u);
  ASSERT_EQ(phone_code.size(), 6u);
  const std::string wrong = phone_code == "000000" ? "111111" : "000000";
  const auto half = b.post_form("/daftar/konfirmasi?akun=" + id,
                                {{"email_code", email_code}, {"phone_code", wrong}});
  ASSERT_EQ(half.status, 422);
  EXPECT_TRUE(contains(half.body, "href=\"#phone-code\""));
  EXPECT_TRUE(contains(half.body, text("identity.errors.phone_code.wrong")));
  EXPECT_FALSE(contains(half.body, "name=\"email_code\""));  // already confirmed
  EXPECT_TRUE(contains(half.body, text("identity.confirm.email_done")));

  const auto done = b.post_form("/daftar/konfirmasi?akun=" + id, {{"phone_code", phone_code}});
  ASSERT_EQ(done.status, 303);
  const auto active = b.get(done.header("location"));
  EXPECT_TRUE(contains(active.body, text("identity.confirm.active_heading")));
  EXPECT_TRUE(contains(active.body, "href=\"/masuk\""));

  const auto signed_in = b.sign_in(kNik, kPassword);
  ASSERT_EQ(signed_in.status, 303);
  const auto mine = b.get("/data-saya");
  ASSERT_EQ(mine.status, 200);
  EXPECT_EQ(mine.header("cache-control"), "no-store");
  for (const std::string& part :
       {std::string(kNik), std::string(kName), std::string("1 Juli 1990"),
        text("identity.fields.female"), std::string("Oro-oro Ombo, Kartoharjo, Kota Madiun"),
        std::string(kPhoneE164), std::string(kEmail), text("identity.assurance.unverified"),
        text("identity.my_data.access_empty"), std::string("href=\"/api/v1/me/export\"")})
    EXPECT_TRUE(contains(mine.body, part)) << part;
  EXPECT_EQ(b.get("/api/v1/me/export").status, 200);  // the download works with the cookie
}

TEST_P(IdentityPages, RefusesASecondAccountForTheSameNikAtTheNikField) {
  Browser first(server());
  register_and_confirm(first);
  Browser second(server());
  second.get("/daftar");
  const auto r = second.post_form("/daftar", registration({{"email", "lain@contoh.id"}}));
  ASSERT_EQ(r.status, 409);
  EXPECT_TRUE(contains(r.body, "<a href=\"#nik\">" + text("identity.errors.nik.taken")));
}

TEST_P(IdentityPages, SendsAnonymousVisitorsToSignInAndRefusesWhoMayNotSee) {
  const auto anonymous = server().get("/data-saya");
  EXPECT_EQ(anonymous.status, 303);
  EXPECT_EQ(anonymous.header("location"), "/masuk?next=/data-saya");
  EXPECT_EQ(server().get("/petugas/verifikasi").header("location"),
            "/masuk?next=/petugas/verifikasi");
  EXPECT_EQ(server().get("/data-saya", bearer_headers(officer())).status, 403);

  Browser citizen(server());
  ASSERT_EQ(citizen.sign_in(kDemoCitizenLogin, kDemoCitizenPassword).status, 303);
  EXPECT_EQ(citizen.get("/petugas/verifikasi").status, 403);
  EXPECT_EQ(citizen.get("/petugas/permintaan-data").status, 403);
}

TEST_P(IdentityPages, GivesAndWithdrawsConsentsWithAHistory) {
  Browser b = registered_citizen();
  b.get("/data-saya");
  const auto given = b.post_form("/data-saya/persetujuan", {{"setuju", "notifications_email"}});
  ASSERT_EQ(given.status, 303);
  EXPECT_EQ(given.header("location"), "/data-saya?ok=consents#persetujuan");
  const auto page = b.get("/data-saya?ok=consents");
  EXPECT_TRUE(contains(page.body, text("identity.my_data.ok.consents")));
  EXPECT_TRUE(contains(page.body,
                       "value=\"notifications_email\" aria-describedby=\"setuju-"
                       "notifications_email-hint\" checked"));
  EXPECT_TRUE(contains(page.body, text("identity.consent.given")));
  ASSERT_EQ(b.post_form("/data-saya/persetujuan", {}).status, 303);
  EXPECT_TRUE(contains(b.get("/data-saya").body, text("identity.consent.withdrawn")));
}

TEST_P(IdentityPages, VerifiesAnIdentityFromTheKtpPhotoAndShowsTheReadToTheCitizen) {
  Browser citizen = registered_citizen();
  citizen.get("/data-saya");
  const std::string boundary = "balai-test-boundary";
  const std::string body = "--" + boundary +
                           "\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" +
                           citizen.csrf() + "\r\n--" + boundary +
                           "\r\nContent-Disposition: form-data; name=\"ktp\"; "
                           "filename=\"ktp.png\"\r\nContent-Type: image/png\r\n\r\n" +
                           png_bytes() + "\r\n--" + boundary + "--\r\n";
  const auto uploaded =
      citizen.send("POST", "/data-saya/ktp", body,
                   {{"Content-Type", "multipart/form-data; boundary=" + boundary}});
  ASSERT_EQ(uploaded.status, 303) << uploaded.body.substr(0, 2000);
  EXPECT_TRUE(contains(citizen.get("/data-saya").body, text("identity.assurance.pending")));

  const std::string bearer = officer();
  const auto queue = server().get("/petugas/verifikasi", bearer_headers(bearer));
  ASSERT_EQ(queue.status, 200);
  auto account = server().runtime().security().accounts.find_by_login(kNik);
  ASSERT_TRUE(account.ok() && *account);
  const std::string id = (*account)->id;
  EXPECT_TRUE(contains(queue.body, "data-case=\"" + id + "\""));

  // The case asks for the purpose first; without one nothing is shown.
  const auto ask = server().get("/petugas/verifikasi/" + id, bearer_headers(bearer));
  ASSERT_EQ(ask.status, 200);
  EXPECT_FALSE(contains(ask.body, kNik));
  const auto empty = officer_post(bearer, "/petugas/verifikasi/" + id + "/buka", {{"tujuan", " "}});
  EXPECT_EQ(empty.status, 422);
  EXPECT_FALSE(contains(empty.body, kNik));
  const auto open = officer_post(bearer, "/petugas/verifikasi/" + id + "/buka",
                                 {{"tujuan", "verifikasi identitas"}});
  ASSERT_EQ(open.status, 200);
  EXPECT_TRUE(contains(open.body, kNik));
  EXPECT_TRUE(contains(open.body, "src=\"/petugas/verifikasi/" + id + "/ktp\""));

  const auto photo = server().get("/petugas/verifikasi/" + id + "/ktp", bearer_headers(bearer));
  ASSERT_EQ(photo.status, 200);
  EXPECT_EQ(photo.header("content-type"), "image/png");
  EXPECT_EQ(photo.header("x-content-type-options"), "nosniff");
  EXPECT_EQ(photo.header("cache-control"), "no-store");
  EXPECT_EQ(photo.body, png_bytes());
  EXPECT_EQ(citizen.get("/petugas/verifikasi/" + id + "/ktp").status, 403);

  // Rejecting needs a reason; verifying does not.
  const auto no_reason =
      officer_post(bearer, "/petugas/verifikasi/" + id + "/putuskan",
                   {{"keputusan", "rejected"}, {"tujuan", "verifikasi identitas"}});
  EXPECT_EQ(no_reason.status, 422);
  EXPECT_TRUE(contains(no_reason.body, text("identity.errors.reason.required")));
  const auto decided =
      officer_post(bearer, "/petugas/verifikasi/" + id + "/putuskan",
                   {{"keputusan", "verified"}, {"tujuan", "verifikasi identitas"}});
  ASSERT_EQ(decided.status, 303);
  EXPECT_EQ(decided.header("location"), "/petugas/verifikasi?ok=decided");
  EXPECT_FALSE(contains(server().get("/petugas/verifikasi", bearer_headers(bearer)).body,
                        "data-case=\"" + id + "\""));

  const auto mine = citizen.get("/data-saya");
  EXPECT_TRUE(contains(mine.body, text("identity.assurance.verified")));
  EXPECT_TRUE(contains(mine.body, "Petugas Dukcapil"));
  EXPECT_TRUE(contains(mine.body, "verifikasi identitas"));
  EXPECT_TRUE(contains(mine.body, text("identity.object.ktp_photo")));
}

TEST_P(IdentityPages, HandlesADataRequestFromTheCitizenToTheOfficerAndBack) {
  Browser citizen = registered_citizen();
  citizen.get("/data-saya");
  const auto incomplete = citizen.post_form("/data-saya/permintaan", {{"details", " "}});
  ASSERT_EQ(incomplete.status, 422);
  EXPECT_TRUE(contains(incomplete.body, "href=\"#permintaan-correction\""));
  EXPECT_TRUE(contains(incomplete.body, "href=\"#permintaan-details\""));
  const auto made = citizen.post_form(
      "/data-saya/permintaan",
      {{"kind", "correction"}, {"details", "Nama saya seharusnya Siti Rahayu Ningsih."}});
  ASSERT_EQ(made.status, 303);
  EXPECT_TRUE(contains(citizen.get("/data-saya").body, text("identity.request_status.open")));

  const std::string bearer = officer();
  const auto queue = server().get("/petugas/permintaan-data", bearer_headers(bearer));
  ASSERT_EQ(queue.status, 200);
  EXPECT_FALSE(contains(queue.body, "Ningsih"));  // details only once opened (audited)
  const std::regex request_id("data-request=\"([0-9a-f-]{36})\"");
  std::smatch match;
  ASSERT_TRUE(std::regex_search(queue.body, match, request_id));
  const std::string id = match[1];
  const auto open = officer_post(bearer, "/petugas/permintaan-data/" + id + "/buka", {});
  ASSERT_EQ(open.status, 200);
  EXPECT_TRUE(contains(open.body, "Ningsih"));
  EXPECT_EQ(officer_post(bearer, "/petugas/permintaan-data/" + id, {{"outcome", "x"}}).status, 422);
  const auto handled = officer_post(bearer, "/petugas/permintaan-data/" + id,
                                    {{"hasil", "done"}, {"outcome", "Nama sudah diperbaiki."}});
  ASSERT_EQ(handled.status, 303);
  const auto mine = citizen.get("/data-saya");
  EXPECT_TRUE(contains(mine.body, text("identity.request_status.done")));
  EXPECT_TRUE(contains(mine.body, "Nama sudah diperbaiki."));
  EXPECT_TRUE(contains(mine.body, text("identity.requests.was_in_time")));
}

TEST_P(IdentityPages, ChangesTheEmailWithTheCodeSentToTheNewAddress) {
  Browser b = registered_citizen();
  const auto page = b.get("/data-saya");
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(contains(page.body, "href=\"#email\""));
  EXPECT_TRUE(contains(page.body, "action=\"/data-saya/email\""));
  EXPECT_TRUE(contains(page.body, "href=\"/layanan/identitas/privasi\""));
  EXPECT_FALSE(contains(page.body, "name=\"email_code\""));

  const std::string fresh = "siti.baru@contoh.id";
  const auto requested = b.post_form("/data-saya/email", {{"new_email", fresh}});
  ASSERT_EQ(requested.status, 303) << requested.body.substr(0, 2000);
  EXPECT_EQ(requested.header("location"), "/data-saya?ok=email_code#email");
  const auto asking = b.get("/data-saya?ok=email_code");
  EXPECT_TRUE(contains(asking.body, text("identity.my_data.ok.email_code")));
  EXPECT_TRUE(contains(asking.body, "action=\"/data-saya/email/konfirmasi\""));
  EXPECT_TRUE(contains(asking.body, "name=\"email_code\""));

  const std::string code = code_for(fresh, "identity.change_email");
  ASSERT_EQ(code.size(), 6u);
  const auto confirmed = b.post_form("/data-saya/email/konfirmasi", {{"email_code", code}});
  ASSERT_EQ(confirmed.status, 303) << confirmed.body.substr(0, 2000);
  EXPECT_EQ(confirmed.header("location"), "/data-saya?ok=email_changed#email");
  const auto mine = b.get("/data-saya?ok=email_changed");
  EXPECT_TRUE(contains(mine.body, text("identity.my_data.ok.email_changed")));
  EXPECT_TRUE(contains(mine.body, "<strong data-current-email>" + fresh + "</strong>"));
  EXPECT_FALSE(contains(mine.body, kEmail));
}

TEST_P(IdentityPages, ShowsAWrongEmailCodeAtItsFieldAndKeepsTheOldEmail) {
  Browser b = registered_citizen();
  b.get("/data-saya");
  const std::string fresh = "siti.baru@contoh.id";
  ASSERT_EQ(b.post_form("/data-saya/email", {{"new_email", fresh}}).status, 303);
  const std::string code = code_for(fresh, "identity.change_email");
  ASSERT_EQ(code.size(), 6u);
  const std::string wrong = code == "000000" ? "111111" : "000000";
  const auto r = b.post_form("/data-saya/email/konfirmasi", {{"email_code", wrong}});
  ASSERT_EQ(r.status, 422);
  EXPECT_TRUE(contains(r.body, "<div class=\"error-summary\" role=\"alert\""));
  EXPECT_TRUE(
      contains(r.body, "<a href=\"#email-code\">" + text("identity.errors.email_code.wrong")));
  EXPECT_TRUE(contains(r.body, "id=\"email-code-error\""));
  EXPECT_TRUE(contains(r.body, "aria-describedby=\"email-code-hint email-code-error\""));
  EXPECT_TRUE(contains(r.body, "<strong data-current-email>" + std::string(kEmail) + "</strong>"));
}

TEST_P(IdentityPages, RefusesAnInvalidNewEmailAtItsFieldKeepingWhatWasTyped) {
  Browser b = registered_citizen();
  b.get("/data-saya");
  const auto r = b.post_form("/data-saya/email", {{"new_email", "siti.baru@"}});
  ASSERT_EQ(r.status, 422);
  EXPECT_TRUE(contains(r.body, "<div class=\"error-summary\" role=\"alert\""));
  EXPECT_TRUE(contains(r.body, "<a href=\"#new-email\">" + text("identity.errors.email.invalid")));
  EXPECT_TRUE(contains(r.body, "id=\"new-email-error\""));
  EXPECT_TRUE(contains(r.body, "value=\"siti.baru@\""));
  EXPECT_FALSE(contains(r.body, "name=\"email_code\""));
}

TEST_P(IdentityPages, ResetsAPasswordWithTheSameAnswerForUnknownAccounts) {
  Browser setup(server());
  register_and_confirm(setup);
  Browser b(server());
  b.get("/lupa-sandi");
  const auto unknown = b.post_form("/lupa-sandi", {{"login", "tidak.ada@contoh.id"}});
  const auto known = b.post_form("/lupa-sandi", {{"login", kNik}});
  ASSERT_EQ(unknown.status, 200);
  ASSERT_EQ(known.status, 200);
  EXPECT_TRUE(contains(known.body, "action=\"/lupa-sandi/atur\""));
  const auto strip = [](std::string body, const std::string& login) {
    for (auto at = body.find(login); at != std::string::npos; at = body.find(login))
      body.erase(at, login.size());
    const auto csrf = body.find("name=\"_csrf\"");
    return body.substr(0, csrf);
  };
  EXPECT_EQ(strip(unknown.body, "tidak.ada@contoh.id"), strip(known.body, kNik));

  const std::string code = code_for(kEmail, "identity.reset_password");
  ASSERT_EQ(code.size(), 6u);
  const auto weak =
      b.post_form("/lupa-sandi/atur", {{"login", kNik}, {"code", code}, {"password", "pendek"}});
  ASSERT_EQ(weak.status, 422);
  EXPECT_TRUE(contains(weak.body, text("identity.errors.password.too_short")));
  const std::string fresh = "gethuk lindri warna warni";
  const auto reset =
      b.post_form("/lupa-sandi/atur", {{"login", kNik}, {"code", code}, {"password", fresh}});
  ASSERT_EQ(reset.status, 303);
  EXPECT_EQ(reset.header("location"), "/sandi-diganti");
  EXPECT_EQ(b.get("/sandi-diganti").status, 200);
  Browser again(server());
  EXPECT_EQ(again.sign_in(kNik, fresh).status, 303);
}

TEST_P(IdentityPages, ShowsThePublicTransparencyCountsToEveryone) {
  const auto r = server().get("/transparansi");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(contains(r.body, text("identity.transparency.reads_heading")));
  EXPECT_TRUE(contains(r.body, text("identity.transparency.requests_heading")));
  EXPECT_TRUE(contains(r.body, text("identity.transparency.events_heading")));
}

TEST_P(IdentityPages, LinksTheSignInPageToRegistrationAndPasswordReset) {
  const auto r = server().get("/masuk");
  EXPECT_TRUE(contains(r.body, "href=\"/daftar\""));
  EXPECT_TRUE(contains(r.body, "href=\"/lupa-sandi\""));
}

INSTANTIATE_TEST_SUITE_P(Backends, IdentityPages, ::testing::ValuesIn(test_database_backends()),
                         backend_test_name);

}  // namespace
}  // namespace balai::testing
