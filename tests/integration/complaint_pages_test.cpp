// The citizens' and public complaint pages over real HTTP on each database backend, as a
// browser without JavaScript uses them (session cookie, CSRF field, multipart photos, 303 after
// success, 422 with an error summary and every field kept): the report form in both languages
// and who may open it, a good report landing on its status page, each kind of bad input, the
// region picker's refresh, anonymity and confidentiality on every page, the actions on a report
// (support, reply, confirm, reopen, rate) and their refusals, the public list's filters and map,
// "my reports", the statistics, and the tile server's origin in the CSP.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <memory>
#include <regex>

#include "http/request.h"
#include "http/response.h"
#include "modules/complaints/service.h"
#include "security/accounts.h"
#include "security/headers.h"
#include "support/auth_helpers.h"
#include "support/browser.h"
#include "support/databases.h"
#include "support/html_text.h"
#include "support/images.h"
#include "support/server_harness.h"

namespace balai::testing {
namespace {

constexpr const char* kForm = "/pengaduan/baru";
constexpr const char* kReporterName = "Warga Demo";  // the demo citizen's display name
constexpr const char* kNeighbourLogin = "tetangga@contoh.id";
constexpr const char* kNeighbourPassword = "nasi goreng kampung pedas";
constexpr const char* kVillage = "35.77.01.1001";  // Oro-oro Ombo, Kartoharjo

const std::string kPng = small_png();

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

struct File {
  std::string name;
  std::string type;
  std::string bytes;
};

// The report form as a person fills it in (the region picker down to the village).
std::map<std::string, std::string> report_form(std::map<std::string, std::string> change = {}) {
  std::map<std::string, std::string> f{
      {"kind", "pengaduan"},
      {"category", "jalan-rusak"},
      {"title", "Lubang di depan SD Oro-oro Ombo"},
      {"description", "Lubang selebar satu meter, sudah dua motor jatuh."},
      {"lokasi_province", "35"},
      {"lokasi_regency", "35.77"},
      {"lokasi_district", "35.77.01"},
      {"lokasi_village", kVillage},
      {"address", "Jl. Pahlawan depan SD"},
      {"channel", "none"}};
  for (auto& [k, v] : change) {
    if (v == "<absent>")
      f.erase(k);
    else
      f[k] = v;
  }
  return f;
}

class ComplaintPages : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!database_backend_available(GetParam()))
      GTEST_SKIP() << "set BALAI_TEST_PG to run on PostgreSQL";
    database_ = std::make_unique<TempDatabase>(GetParam());
    url_ = GetParam() == "sqlite" ? std::string{} : database_->url();
    server_ = std::make_unique<ServerHarness>(std::function<void(core::Config&)>{}, url_);
  }
  // A new server with the demo data and a configuration changed by `adjust` (SQLite: in a
  // fresh folder; PostgreSQL: on the same database, where seeding again changes nothing).
  void restart(std::function<void(core::Config&)> adjust) {
    server_.reset();
    server_ = std::make_unique<ServerHarness>(std::move(adjust), url_);
  }
  void TearDown() override {
    server_.reset();
    database_.reset();
  }

  ServerHarness& server() { return *server_; }
  app::App& app() { return server_->runtime().app(); }
  complaints::ComplaintService& service() { return complaints::service_of(app()); }
  std::string text(std::string_view key, std::string_view lang = "id") {
    return std::string(app().renderer.catalogs().text(lang, key));
  }
  // The first group of `pattern` in `text`; "" when it does not match.
  static std::string capture(const std::string& text, const char* pattern) {
    std::smatch m;
    return std::regex_search(text, m, std::regex(pattern)) ? m[1].str() : std::string();
  }
  // The catalog's text as the page shows it.
  std::string shown(std::string_view key, std::string_view lang = "id") {
    return html_escaped(text(key, lang));
  }

  // A browser signed in as `login`, holding the form token of `page`.
  std::unique_ptr<Browser> browser(const std::string& login, const std::string& password,
                                   const std::string& page = kForm) {
    auto b = std::make_unique<Browser>(server());
    b->set_cookie(Browser::kSessionCookie, sign_in_bearer(server(), login, password));
    const auto r = b->get(page);
    if (r.status != 200 || b->csrf().empty())
      throw std::runtime_error(login + " browser: " + std::to_string(r.status));
    return b;
  }
  std::unique_ptr<Browser> reporter() { return browser(kDemoCitizenLogin, kDemoCitizenPassword); }
  // Another citizen of the city.
  std::unique_ptr<Browser> neighbour() {
    auto existing = app().security.accounts.find_by_login(kNeighbourLogin);
    if (existing && !*existing) {
      auto made = app().security.accounts.create(
          {security::Role::citizen, "", "Tetangga Baik", kNeighbourLogin, kNeighbourPassword},
          app().clock.now());
      if (!made) throw std::runtime_error("neighbour: " + made.error().message);
    }
    return browser(kNeighbourLogin, kNeighbourPassword);
  }

  // POSTs the report form as a browser does: multipart, with the CSRF field and the photos.
  HttpReply send_report(Browser& b, const std::map<std::string, std::string>& fields,
                        const std::vector<File>& photos = {}) {
    const std::string boundary = "balai-test-boundary-7MA4YWxk";
    std::string body;
    auto part = [&](const std::string& name, const std::string& value) {
      body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name +
              "\"\r\n\r\n" + value + "\r\n";
    };
    part("_csrf", b.csrf());
    for (const auto& [k, v] : fields) part(k, v);
    if (photos.empty())  // an empty file input, as browsers send it
      body += "--" + boundary +
              "\r\nContent-Disposition: form-data; name=\"photos\"; filename=\"\"\r\n"
              "Content-Type: application/octet-stream\r\n\r\n\r\n";
    for (const auto& p : photos)
      body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"photos\"; filename=\"" +
              p.name + "\"\r\nContent-Type: " + p.type + "\r\n\r\n" + p.bytes + "\r\n";
    body += "--" + boundary + "--\r\n";
    return b.send("POST", kForm, body,
                  {{"Content-Type", "multipart/form-data; boundary=" + boundary}});
  }

  // A report made through the form; its tracking number.
  std::string make_report(Browser& b, std::map<std::string, std::string> change = {}) {
    b.get(kForm);
    const auto r = send_report(b, report_form(std::move(change)));
    const std::string tracking =
        capture(r.header("location"), "^/pengaduan/(ADU-[0-9]{4}-[0-9]{6})\\?ok=submitted$");
    if (r.status != 303 || tracking.empty())
      throw std::runtime_error("report: " + std::to_string(r.status) + " " +
                               r.body.substr(0, 3000));
    return tracking;
  }

  // Staff work done in-process (their pages are tested on their own): verified by the desk,
  // answered and resolved with an "after" photo by the agency.
  void resolve(const std::string& tracking) {
    const complaints::RequestFacts facts{"127.0.0.1", "test", "portal"};
    const security::Actor desk{
        "desk", security::Role::officer, "diskominfo", security::AuthMethod::session, "", {}};
    const security::Actor roads{
        "roads", security::Role::officer, "dpupr", security::AuthMethod::session, "", {}};
    ASSERT_TRUE(service().verify(desk, tracking, "", facts).ok());
    ASSERT_TRUE(service().follow_up(roads, tracking, "Petugas meninjau besok pagi.", facts).ok());
    ASSERT_TRUE(service().resolve(roads, tracking, "Lubang sudah ditambal.", {kPng}, facts).ok());
  }

  // A POST of one of a report's forms by `b`, with the token of the report's page.
  HttpReply act(Browser& b, const std::string& tracking, const std::string& what,
                std::map<std::string, std::string> fields = {}) {
    b.get("/pengaduan/" + tracking);
    return b.post_form("/pengaduan/" + tracking + "/" + what, std::move(fields));
  }

 private:
  std::unique_ptr<TempDatabase> database_;
  std::string url_;
  std::unique_ptr<ServerHarness> server_;
};

// --- The form -----------------------------------------------------------------------------

TEST_P(ComplaintPages, ShowsTheFormInIndonesianAndEnglishWithTheCitysRegionAndThePrivacyNotice) {
  auto b = reporter();
  const auto r = b->get(kForm);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("cache-control"), "no-store");
  EXPECT_TRUE(contains(r.body, "<html lang=\"id\">"));
  EXPECT_TRUE(contains(r.body, shown("complaints.form.heading")));
  EXPECT_TRUE(contains(r.body, "action=\"/pengaduan/baru\" enctype=\"multipart/form-data\""));
  EXPECT_TRUE(contains(r.body, "name=\"_csrf\""));
  for (const char* name : {"kind", "category", "title", "description", "lat", "lon", "address",
                           "photos", "anonymous", "confidential", "channel", "lokasi_village"})
    EXPECT_TRUE(contains(r.body, "name=\"" + std::string(name) + "\"")) << name;
  EXPECT_TRUE(contains(r.body, "accept=\"image/jpeg,image/png,image/webp\""));
  EXPECT_TRUE(contains(r.body, "<option value=\"jalan-rusak\">Jalan rusak</option>"));
  EXPECT_TRUE(contains(r.body, "<option value=\"35.77.01\">Kartoharjo</option>"));
  EXPECT_TRUE(contains(r.body, "href=\"/layanan/pengaduan/privasi\""));
  EXPECT_TRUE(contains(r.body, shown("complaints.form.anonymous_hint")));
  EXPECT_TRUE(contains(r.body, shown("complaints.form.confidential_hint")));
  EXPECT_TRUE(contains(r.body, "data-complaint-map=\"pick\""));
  EXPECT_FALSE(contains(r.body, "class=\"error-summary\""));
  EXPECT_EQ(server().get("/layanan/pengaduan/privasi").status, 200);

  const auto en = b->get(std::string(kForm) + "?lang=en");
  ASSERT_EQ(en.status, 200);
  EXPECT_TRUE(contains(en.body, "<html lang=\"en\">"));
  EXPECT_TRUE(contains(en.body, shown("complaints.form.heading", "en")));
  EXPECT_TRUE(contains(en.body, "<option value=\"jalan-rusak\">Damaged road</option>"));
  EXPECT_TRUE(contains(en.body, shown("complaints.form.anonymous_hint", "en")));
}

TEST_P(ComplaintPages, TheCatalogsComplaintsServiceStartsAReport) {
  auto page = server().get("/layanan/pengaduan");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("href=\"/pengaduan/baru\""), std::string::npos) << page.body;
}

TEST_P(ComplaintPages, AsksVisitorsToSignInAndRefusesStaff) {
  const auto visitor = server().get(kForm);
  ASSERT_EQ(visitor.status, 200);
  EXPECT_TRUE(contains(visitor.body, "href=\"/masuk?next=/pengaduan/baru\""));
  EXPECT_FALSE(contains(visitor.body, "name=\"description\""));
  const auto mine = server().get("/pengaduan/saya");
  EXPECT_EQ(mine.status, 303);
  EXPECT_EQ(mine.header("location"), "/masuk?next=/pengaduan/saya");

  auto officer = std::make_unique<Browser>(server());
  officer->set_cookie(Browser::kSessionCookie,
                      sign_in_bearer(server(), kDemoOfficerLogin, kDemoOfficerPassword));
  EXPECT_EQ(officer->get(kForm).status, 403);
  EXPECT_EQ(officer->get("/pengaduan/saya").status, 403);
}

TEST_P(ComplaintPages, AGoodReportWithAPhotoLandsOnItsStatusPage) {
  auto b = reporter();
  const auto sent = send_report(*b, report_form({{"lat", "-7.629100"}, {"lon", "111.525300"}}),
                                {{"lubang.png", "image/png", kPng}});
  ASSERT_EQ(sent.status, 303) << sent.body.substr(0, 3000);
  const std::string location = sent.header("location");
  const std::string tracking =
      capture(location, "^/pengaduan/(ADU-[0-9]{4}-[0-9]{6})\\?ok=submitted$");
  ASSERT_FALSE(tracking.empty()) << location;

  const auto page = b->get(location);
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.header("cache-control"), "no-store");
  EXPECT_TRUE(contains(page.body, shown("complaints.report.ok.submitted")));
  EXPECT_TRUE(contains(page.body, "<span id=\"tracking\">" + tracking + "</span>"));
  EXPECT_TRUE(contains(page.body, "Lubang di depan SD Oro-oro Ombo"));
  EXPECT_TRUE(contains(page.body, shown("complaints.status.submitted")));
  EXPECT_TRUE(contains(page.body, " WIB</time>"));  // the deadline on the city's clock
  EXPECT_TRUE(contains(page.body, "Oro-oro Ombo, Kartoharjo"));
  EXPECT_TRUE(contains(page.body, "Jl. Pahlawan depan SD"));
  EXPECT_TRUE(contains(page.body, "-7.629100, 111.525300"));
  EXPECT_TRUE(contains(page.body, shown("complaints.event.submitted")));
  const std::string img =
      capture(page.body, "<img src=\"(/api/v1/complaints/ADU-[^\"]+/photos/[^\"]+)\"");
  ASSERT_FALSE(img.empty());
  const auto photo = b->get(img);
  EXPECT_EQ(photo.status, 200);
  EXPECT_EQ(photo.header("content-type"), "image/png");

  // Mine: newest first, with the next step.
  const auto mine = b->get("/pengaduan/saya");
  ASSERT_EQ(mine.status, 200);
  const auto first = mine.body.find("data-my-complaint=\"");
  ASSERT_NE(first, std::string::npos);
  EXPECT_EQ(mine.body.substr(first + 19, tracking.size()), tracking);
  EXPECT_TRUE(contains(mine.body, "Petugas meja pengaduan memeriksa laporan ini"));
}

TEST_P(ComplaintPages, RefusesEachBadInputAtItsFieldKeepingTheOthers) {
  auto b = reporter();
  const std::string long_text(4001, 'a');
  struct Case {
    const char* what;
    std::map<std::string, std::string> change;
    std::vector<File> photos;
    std::string href;
    std::string message_key;
    std::string kept;  // a value typed elsewhere that must come back
  };
  const std::vector<Case> cases{
      {"no category",
       {{"category", ""}},
       {},
       "#category",
       "complaints.errors.category.required",
       "Lubang selebar satu meter, sudah dua motor jatuh."},
      {"empty description",
       {{"description", "   "}},
       {},
       "#description",
       "complaints.errors.description.required",
       "value=\"Jl. Pahlawan depan SD\""},
      {"4001 characters",
       {{"description", long_text}},
       {},
       "#description",
       "complaints.errors.description.too_long",
       long_text},
      {"lat without lon",
       {{"lat", "-7.6291"}},
       {},
       "#lokasi",
       "complaints.errors.lon.required",
       "value=\"-7.6291\""},
      {"outside the city",
       {{"lat", "-6.2000"}, {"lon", "106.8166"}},
       {},
       "#lokasi",
       "complaints.errors.lat.outside",
       "value=\"Lubang di depan SD Oro-oro Ombo\""},
      {"a text file named .jpg",
       {},
       {{"foto.jpg", "image/jpeg", "ini bukan gambar\n"}},
       "#photos",
       "complaints.errors.photos.not_image",
       "<option value=\"jalan-rusak\" selected>"},
      {"four photos",
       {},
       {{"a.png", "image/png", kPng},
        {"b.png", "image/png", kPng},
        {"c.png", "image/png", kPng},
        {"d.png", "image/png", kPng}},
       "#photos",
       "complaints.errors.photos.too_many",
       "<option value=\"" + std::string(kVillage) + "\" selected>"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    b->get(kForm);
    const auto r = send_report(*b, report_form(c.change), c.photos);
    ASSERT_EQ(r.status, 422) << r.body.substr(0, 2000);
    EXPECT_TRUE(contains(r.body, "<div class=\"error-summary\" role=\"alert\""));
    EXPECT_TRUE(contains(r.body, "<a href=\"" + c.href + "\">" + shown(c.message_key)));
    EXPECT_TRUE(contains(r.body, "</span> " + shown(c.message_key) + "</p>")) << "at the field";
    EXPECT_TRUE(contains(r.body, c.kept)) << "kept";
    EXPECT_TRUE(contains(r.body, "value=\"Jl. Pahlawan depan SD\""));
    EXPECT_TRUE(
        contains(r.body, "id=\"channel-none\" name=\"channel\" type=\"radio\" value=\"none\""));
    if (!c.photos.empty()) {
      EXPECT_TRUE(contains(r.body, shown("complaints.form.photos_again")));
    }
  }
  // Nothing was stored.
  auto account = app().security.accounts.find_by_login(kDemoCitizenLogin);
  ASSERT_TRUE(account.ok() && *account);
  auto mine = service().mine(security::Actor{
      (**account).id, security::Role::citizen, "", security::AuthMethod::session, "", {}});
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ(mine->size(), 4u);  // the demo's reports
}

TEST_P(ComplaintPages, RefusesAPhotoOverTheLimitKeepingTheForm) {
  // Large enough for the demo's own photo (127 bytes), too small for this one.
  restart([](core::Config& c) { c.complaints.photo_max_bytes = 1024; });
  auto b = reporter();
  const auto r =
      send_report(*b, report_form(), {{"besar.png", "image/png", kPng + std::string(2048, '\0')}});
  ASSERT_EQ(r.status, 413) << r.body.substr(0, 2000);
  std::string message = text("complaints.errors.photos.too_large");
  message.replace(message.find("{mb}"), 4, "0,0");
  EXPECT_TRUE(contains(r.body, "<a href=\"#photos\">" + html_escaped(message)));
  EXPECT_TRUE(contains(r.body, "Lubang selebar satu meter, sudah dua motor jatuh."));
  EXPECT_TRUE(contains(r.body, "value=\"Jl. Pahlawan depan SD\""));
}

TEST_P(ComplaintPages, RefreshesTheRegionPickerKeepingTheValuesAndStoringNothing) {
  auto b = reporter();
  auto form = report_form({{"lokasi_village", "<absent>"}, {"_region_refresh", "lokasi"}});
  const auto r = send_report(*b, form);
  ASSERT_EQ(r.status, 200);
  EXPECT_FALSE(contains(r.body, "class=\"error-summary\""));
  EXPECT_TRUE(
      contains(r.body, "<option value=\"" + std::string(kVillage) + "\">Oro-oro Ombo</option>"));
  EXPECT_TRUE(contains(r.body, "Lubang selebar satu meter, sudah dua motor jatuh."));
}

TEST_P(ComplaintPages, NeverShowsWhoReportedAnAnonymousReport) {
  auto b = reporter();
  const std::string tracking = make_report(*b, {{"anonymous", "1"}});
  auto other = neighbour();
  Browser visitor(server());
  for (const auto& [who, page] : std::vector<std::pair<std::string, HttpReply>>{
           {"the reporter", b->get("/pengaduan/" + tracking)},
           {"the reporter's list", b->get("/pengaduan/saya")},
           {"another citizen", other->get("/pengaduan/" + tracking)},
           {"a visitor", visitor.get("/pengaduan/" + tracking)},
           {"the public list", visitor.get("/pengaduan")}}) {
    SCOPED_TRACE(who);
    ASSERT_EQ(page.status, 200);
    EXPECT_FALSE(contains(page.body, kReporterName));
    EXPECT_FALSE(contains(page.body, kDemoCitizenLogin));
  }
  EXPECT_TRUE(
      contains(b->get("/pengaduan/" + tracking).body, shown("complaints.report.mine_anonymous")));
  EXPECT_TRUE(contains(visitor.get("/pengaduan").body, "href=\"/pengaduan/" + tracking + "\""));
}

TEST_P(ComplaintPages, KeepsAConfidentialReportFromOtherCitizensAndThePublicList) {
  auto b = reporter();
  const std::string tracking = make_report(*b, {{"confidential", "1"}});
  EXPECT_EQ(b->get("/pengaduan/" + tracking).status, 200);
  auto other = neighbour();
  EXPECT_EQ(other->get("/pengaduan/" + tracking).status, 404);
  EXPECT_EQ(server().get("/pengaduan/" + tracking).status, 404);
  EXPECT_FALSE(contains(server().get("/pengaduan").body, tracking));
  EXPECT_TRUE(contains(b->get("/pengaduan/saya").body, tracking));
  // Nobody learns it exists by trying to support it.
  EXPECT_EQ(act(*other, "ADU-2000-000001", "dukung").status, 404);
  other->get("/pengaduan");
  EXPECT_EQ(other->post_form("/pengaduan/" + tracking + "/dukung", {}).status, 404);
}

// --- Actions on a report ------------------------------------------------------------------

TEST_P(ComplaintPages, AnotherCitizenSupportsAReportOnceAndTheReporterCannot) {
  auto b = reporter();
  const std::string tracking = make_report(*b);
  EXPECT_FALSE(contains(b->get("/pengaduan/" + tracking).body, "/dukung\""));  // not on one's own

  auto other = neighbour();
  const auto page = other->get("/pengaduan/" + tracking);
  EXPECT_TRUE(contains(page.body, "action=\"/pengaduan/" + tracking + "/dukung\""));
  const auto supported = act(*other, tracking, "dukung");
  ASSERT_EQ(supported.status, 303);
  EXPECT_EQ(supported.header("location"), "/pengaduan/" + tracking + "?ok=supported");
  const auto after = other->get("/pengaduan/" + tracking + "?ok=supported");
  EXPECT_TRUE(contains(after.body, shown("complaints.report.ok.supported")));
  EXPECT_TRUE(contains(after.body, shown("complaints.report.supported")));
  EXPECT_TRUE(contains(after.body, "1 dukungan"));
  EXPECT_FALSE(contains(after.body, "/dukung\""));

  const auto again = other->post_form("/pengaduan/" + tracking + "/dukung", {});
  EXPECT_EQ(again.status, 409);
  EXPECT_TRUE(contains(again.body, shown("complaints.errors.not_now.supported")));
  const auto own = act(*b, tracking, "dukung");
  EXPECT_EQ(own.status, 409);

  // Visitors are asked to sign in, and come back here.
  EXPECT_TRUE(contains(server().get("/pengaduan/" + tracking).body,
                       "href=\"/masuk?next=/pengaduan/" + tracking + "\""));
}

TEST_P(ComplaintPages, TheReporterRepliesAndAnEmptyReplyIsRefusedAtItsField) {
  auto b = reporter();
  const std::string tracking = make_report(*b);
  const auto empty = act(*b, tracking, "komentar", {{"text", "  "}});
  ASSERT_EQ(empty.status, 422);
  EXPECT_TRUE(contains(empty.body,
                       "<a href=\"#comment-text\">" + shown("complaints.errors.text.required")));
  const auto replied =
      act(*b, tracking, "komentar", {{"text", "Lubangnya makin lebar\r\nsetelah hujan."}});
  ASSERT_EQ(replied.status, 303);
  const auto page = b->get("/pengaduan/" + tracking);
  EXPECT_TRUE(contains(page.body, "Lubangnya makin lebar\nsetelah hujan."));
  EXPECT_TRUE(contains(page.body, shown("complaints.event.comment")));
  // Only the reporter replies.
  auto other = neighbour();
  EXPECT_FALSE(contains(other->get("/pengaduan/" + tracking).body, "/komentar\""));
  EXPECT_EQ(act(*other, tracking, "komentar", {{"text", "Saya juga."}}).status, 404);
}

TEST_P(ComplaintPages, TheReporterConfirmsAResolutionThenRatesItOnce) {
  auto b = reporter();
  const std::string tracking = make_report(*b);
  EXPECT_EQ(act(*b, tracking, "konfirmasi").status, 409);  // not resolved yet
  resolve(tracking);
  const auto page = b->get("/pengaduan/" + tracking);
  EXPECT_TRUE(contains(page.body, shown("complaints.status.resolved")));
  EXPECT_TRUE(contains(page.body, "action=\"/pengaduan/" + tracking + "/konfirmasi\""));
  EXPECT_TRUE(contains(page.body, "action=\"/pengaduan/" + tracking + "/buka-kembali\""));
  EXPECT_TRUE(contains(page.body, "Lubang sudah ditambal."));
  std::string after_alt = text("complaints.report.photo_after_alt");
  after_alt.replace(after_alt.find("{n}"), 3, "1");
  EXPECT_TRUE(contains(page.body, "alt=\"" + html_escaped(after_alt) + "\""));
  auto other = neighbour();
  EXPECT_EQ(act(*other, tracking, "konfirmasi").status, 404);

  const auto confirmed = act(*b, tracking, "konfirmasi");
  ASSERT_EQ(confirmed.status, 303);
  EXPECT_EQ(confirmed.header("location"), "/pengaduan/" + tracking + "?ok=confirmed");
  const auto closed = b->get("/pengaduan/" + tracking);
  EXPECT_TRUE(contains(closed.body, shown("complaints.status.closed")));
  EXPECT_TRUE(contains(closed.body, "action=\"/pengaduan/" + tracking + "/nilai\""));

  const auto unrated = act(*b, tracking, "nilai", {{"comment", "Cepat sekali."}});
  ASSERT_EQ(unrated.status, 422);
  EXPECT_TRUE(
      contains(unrated.body, "<a href=\"#rating-4\">" + shown("complaints.errors.rating.invalid")));
  EXPECT_TRUE(contains(unrated.body, ">Cepat sekali.</textarea>"));
  const auto rated = act(*b, tracking, "nilai", {{"rating", "4"}, {"comment", "Cepat sekali."}});
  ASSERT_EQ(rated.status, 303);
  const auto done = b->get("/pengaduan/" + tracking + "?ok=rated");
  EXPECT_TRUE(contains(done.body, shown("complaints.report.ok.rated")));
  EXPECT_TRUE(contains(done.body, "data-rated>"));
  EXPECT_FALSE(contains(done.body, "/nilai\""));
  EXPECT_EQ(b->post_form("/pengaduan/" + tracking + "/nilai", {{"rating", "1"}}).status, 409);
  // The public sees that it was rated, not the reporter's comment.
  const auto visitor = server().get("/pengaduan/" + tracking);
  EXPECT_TRUE(contains(visitor.body, shown("complaints.event.rated")));
  EXPECT_FALSE(contains(visitor.body, "Cepat sekali."));
}

TEST_P(ComplaintPages, TheReporterReopensAResolutionWithAReason) {
  auto b = reporter();
  const std::string tracking = make_report(*b);
  EXPECT_EQ(act(*b, tracking, "buka-kembali", {{"reason", "Belum ditambal."}}).status, 409);
  resolve(tracking);
  const auto empty = act(*b, tracking, "buka-kembali", {{"reason", ""}});
  ASSERT_EQ(empty.status, 422);
  EXPECT_TRUE(contains(empty.body,
                       "<a href=\"#reopen-reason\">" + shown("complaints.errors.reason.required")));
  const auto reopened =
      act(*b, tracking, "buka-kembali", {{"reason", "Tambalannya sudah lepas lagi."}});
  ASSERT_EQ(reopened.status, 303);
  const auto page = b->get("/pengaduan/" + tracking + "?ok=reopened");
  EXPECT_TRUE(contains(page.body, shown("complaints.report.ok.reopened")));
  EXPECT_TRUE(contains(page.body, shown("complaints.status.in_progress")));
  EXPECT_TRUE(contains(page.body, "Tambalannya sudah lepas lagi."));
  EXPECT_FALSE(contains(page.body, "/buka-kembali\""));
}

TEST_P(ComplaintPages, AnswersUnknownReportsWithTheNotFoundPage) {
  EXPECT_EQ(server().get("/pengaduan/ADU-2000-000001").status, 404);
  EXPECT_EQ(server().get("/pengaduan/bukan-nomor").status, 404);
  auto b = reporter();
  EXPECT_EQ(act(*b, "ADU-2000-000001", "komentar", {{"text", "Halo"}}).status, 404);
}

// --- Public pages -------------------------------------------------------------------------

TEST_P(ComplaintPages, ListsPublicReportsWithFiltersAndAMapOfThem) {
  const auto all = server().get("/pengaduan");
  ASSERT_EQ(all.status, 200);
  EXPECT_TRUE(contains(all.body, "href=\"/pengaduan/baru\""));
  EXPECT_TRUE(contains(all.body, "href=\"/pengaduan/statistik\""));
  EXPECT_TRUE(contains(all.body, "href=\"/api/v1/complaints/statistics.csv\""));
  EXPECT_TRUE(contains(all.body, "data-complaint-map=\"list\""));
  EXPECT_TRUE(contains(all.body, "data-map-tiles=\"\""));  // no tile server: a plain map
  EXPECT_TRUE(contains(all.body, "data-map-area=\"-7.6800,111.4800,-7.5700,111.5700\""));
  EXPECT_TRUE(contains(all.body, "data-lat=\"-7.629100\" data-lon=\"111.525300\""));
  EXPECT_TRUE(contains(all.body, "4 laporan ditemukan."));
  EXPECT_TRUE(contains(all.body, "Oro-oro Ombo, Kartoharjo"));
  EXPECT_TRUE(contains(all.body, shown("complaints.status.dispositioned")));
  EXPECT_TRUE(contains(all.body, "<option value=\"35.77.03\">Taman</option>"));
  EXPECT_FALSE(contains(all.body, kReporterName));

  const auto rubbish = server().get("/pengaduan?category=sampah");
  ASSERT_EQ(rubbish.status, 200);
  EXPECT_TRUE(contains(rubbish.body, "1 laporan ditemukan."));
  EXPECT_TRUE(contains(rubbish.body, "<option value=\"sampah\" selected>"));
  EXPECT_TRUE(contains(rubbish.body, "Sampah di TPS"));

  const auto taman = server().get("/pengaduan?region=35.77.03&status=submitted");
  ASSERT_EQ(taman.status, 200);
  EXPECT_TRUE(contains(taman.body, "1 laporan ditemukan."));
  EXPECT_TRUE(contains(taman.body, "Tiga lampu jalan mati"));
  EXPECT_TRUE(contains(taman.body, "href=\"/pengaduan\">" + shown("complaints.list.clear_filter")));

  const auto none = server().get("/pengaduan?status=rejected");
  EXPECT_TRUE(contains(none.body, shown("complaints.list.empty")));

  const auto bad = server().get("/pengaduan?from=31-01-2026");
  ASSERT_EQ(bad.status, 422);
  EXPECT_TRUE(
      contains(bad.body, "<a href=\"#filter-from\">" + shown("complaints.errors.from.invalid")));
  EXPECT_TRUE(contains(bad.body, "value=\"31-01-2026\""));

  const auto en = server().get("/pengaduan?lang=en");
  EXPECT_TRUE(contains(en.body, shown("complaints.list.heading", "en")));
  EXPECT_TRUE(contains(en.body, "4 reports found."));
}

TEST_P(ComplaintPages, ShowsTheStatisticsAsTablesAndCharts) {
  const auto r = server().get("/pengaduan/statistik");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(contains(r.body, shown("complaints.stats.heading")));
  EXPECT_TRUE(contains(r.body, "<dd data-total>4</dd>"));
  EXPECT_TRUE(contains(r.body, "<svg class=\"complaint-chart__svg\""));
  EXPECT_TRUE(contains(r.body, "role=\"img\" aria-label=\"Grafik batang: Laporan per kategori."));
  EXPECT_TRUE(contains(r.body, "<th scope=\"row\">Jalan rusak</th>"));
  EXPECT_TRUE(contains(r.body, "<th scope=\"row\">Kartoharjo</th>"));
  EXPECT_TRUE(contains(r.body, "<th scope=\"row\">Dinas Pekerjaan Umum dan Penataan Ruang</th>"));
  EXPECT_TRUE(contains(r.body, "href=\"/api/v1/complaints/statistics.csv?from="));
  EXPECT_TRUE(contains(r.body, "href=\"/api/v1/complaints/statistics?from="));

  const auto period = server().get("/pengaduan/statistik?from=2026-03-01&to=2026-02-01");
  ASSERT_EQ(period.status, 422);
  EXPECT_TRUE(
      contains(period.body, "<a href=\"#stats-to\">" + shown("complaints.errors.to.before")));

  const auto en = server().get("/pengaduan/statistik?lang=en");
  ASSERT_EQ(en.status, 200);
  EXPECT_TRUE(contains(en.body, "<th scope=\"row\">Damaged road</th>"));
}

INSTANTIATE_TEST_SUITE_P(Backends, ComplaintPages, ::testing::ValuesIn(test_database_backends()),
                         [](const auto& info) { return info.param; });

// --- The map tile server in the CSP -------------------------------------------------------

std::string page_csp(std::string_view map_tiles) {
  http::Request req;
  http::Response res = http::Response::html(200, "<p>peta</p>");
  security::security_headers(map_tiles)(req, res);
  return std::string(res.headers.get("Content-Security-Policy").value_or(""));
}

TEST(ComplaintPagesCsp, AllowsImagesFromTheConfiguredTileServerOnly) {
  EXPECT_TRUE(contains(page_csp(""), "img-src 'self' data:;"));
  EXPECT_TRUE(contains(page_csp("https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
                       "img-src 'self' data: https://tile.openstreetmap.org;"));
  EXPECT_TRUE(contains(page_csp("https://{s}.peta.madiunkota.go.id:8443/{z}/{x}/{y}.png"),
                       "img-src 'self' data: https://*.peta.madiunkota.go.id:8443;"));
  // Nothing that is not an origin ever widens the policy.
  EXPECT_TRUE(contains(page_csp("javascript:alert(1)"), "img-src 'self' data:;"));
  EXPECT_TRUE(contains(page_csp("https://evil.example; script-src *"), "img-src 'self' data:;"));
}

}  // namespace
}  // namespace balai::testing
