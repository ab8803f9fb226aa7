// The officers' and supervisors' complaint pages over real HTTP on each database backend, as a
// browser without JavaScript uses them (session cookie, CSRF field, 303 after success): the
// desk verifies (the report moves to the agency's queue) and rejects with a reason; the agency's
// officer takes a report, answers with a template and notes something only staff see; resolving
// a physical problem needs an "after" photo; the supervisor merges a duplicate and re-routes
// another; revealing the reporter asks for a purpose and shows up in the reporter's access log,
// never for an anonymous report; and the refusals (another agency, a citizen, a visitor, no CSRF
// token, an unknown report, bad input).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cctype>
#include <memory>

#include "modules/complaints/service.h"
#include "security/accounts.h"
#include "support/auth_helpers.h"
#include "support/browser.h"
#include "support/databases.h"
#include "support/html_text.h"
#include "support/images.h"
#include "support/server_harness.h"

namespace balai::testing {
namespace {

// The demo staff of complaints::seed_demo (src/modules/complaints/demo.cpp).
constexpr const char* kDeskLogin = "aduan@demo.balai.id";  // diskominfo, verifies new reports
constexpr const char* kDeskPassword = "nasi pecel pincuk daun pisang";
constexpr const char* kOfficerLogin = "pupr@demo.balai.id";  // dpupr (roads, drains)
constexpr const char* kOfficerPassword = "jalan mulus aspal baru hitam";
constexpr const char* kSupervisorLogin = "kabid.pupr@demo.balai.id";  // dpupr
constexpr const char* kSupervisorPassword = "jembatan batu kali kokoh sekali";

const std::string kPng = small_png();

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

class ComplaintStaffPages : public ::testing::TestWithParam<std::string> {
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
  std::string text(std::string_view key, std::string_view lang = "id") {
    return std::string(server_->runtime().app().renderer.catalogs().text(lang, key));
  }
  security::Account account(const std::string& login) {
    auto found = server_->runtime().security().accounts.find_by_login(login);
    if (!found || !*found) throw std::runtime_error("no account " + login);
    return **found;
  }

  // A browser signed in (password and TOTP just now) holding the form token of `page`.
  std::unique_ptr<Browser> staff(const std::string& login, const std::string& password,
                                 const std::string& page = "/petugas/pengaduan") {
    auto browser = std::make_unique<Browser>(server());
    browser->set_cookie(Browser::kSessionCookie, sign_in_bearer(server(), login, password));
    const auto r = browser->get(page);
    if (r.status != 200 || browser->csrf().empty())
      throw std::runtime_error(login + " browser: " + std::to_string(r.status));
    return browser;
  }

  std::string citizen() {
    if (citizen_.empty())
      citizen_ = sign_in_bearer(server(), kDemoCitizenLogin, kDemoCitizenPassword);
    return citizen_;
  }

  // A damaged road reported by the demo citizen through the JSON API; its tracking number.
  std::string report(std::string_view description, bool anonymous = false) {
    const boost::json::object body{{"category", "jalan-rusak"},
                                   {"description", description},
                                   {"lat", "-7.629100"},
                                   {"lon", "111.525300"},
                                   {"address", "Jl. Pahlawan depan Alun-alun"},
                                   {"village_code", "35.77.01.1001"},
                                   {"channel", "none"},
                                   {"anonymous", anonymous}};
    const auto r = server().send("POST", "/api/v1/complaints", boost::json::serialize(body),
                                 bearer_headers(citizen(), {{"Content-Type", "application/json"}}));
    if (r.status != 201) throw std::runtime_error("report: " + std::to_string(r.status) + r.body);
    return std::string(boost::json::parse(r.body).at("tracking").as_string());
  }

  // Verified by the desk in-process (the pages' own verification is tested on its own): the
  // report is then with dpupr.
  void verify(const std::string& tracking) {
    const auto desk = account(kDeskLogin);
    const security::Actor actor{desk.id, desk.role, desk.agency, security::AuthMethod::session,
                                "",      {}};
    auto& service = complaints::service_of(server_->runtime().app());
    auto s = service.verify(actor, tracking, "", {"127.0.0.1", "test", "portal"});
    if (!s) throw std::runtime_error("verify: " + s.error().message);
  }

  // The report as the JSON API shows it to `token` ("" for an anonymous visitor).
  boost::json::object api_view(const std::string& tracking, const std::string& token = "") {
    const auto r =
        server().get("/api/v1/complaints/" + tracking,
                     token.empty() ? std::map<std::string, std::string>{} : bearer_headers(token));
    if (r.status != 200) throw std::runtime_error("view: " + std::to_string(r.status));
    return boost::json::parse(r.body).as_object();
  }
  std::string status_of(const std::string& tracking) {
    return std::string(api_view(tracking).at("status").as_string());
  }

  // The resolve form as a browser sends it: multipart, with the answer and the photos.
  HttpReply resolve(Browser& b, const std::string& tracking, const std::string& answer,
                    const std::vector<std::string>& photos) {
    const std::string boundary = "balai-test-boundary";
    std::string body =
        "--" + boundary + "\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" + b.csrf() +
        "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"jawaban\"\r\n\r\n" +
        answer + "\r\n";
    if (photos.empty())  // an empty file input, as browsers send it
      body += "--" + boundary +
              "\r\nContent-Disposition: form-data; name=\"foto\"; filename=\"\"\r\n"
              "Content-Type: application/octet-stream\r\n\r\n\r\n";
    for (size_t i = 0; i < photos.size(); ++i)
      body += "--" + boundary +
              "\r\nContent-Disposition: form-data; name=\"foto\"; filename=\"sesudah" +
              std::to_string(i) + ".png\"\r\nContent-Type: image/png\r\n\r\n" + photos[i] + "\r\n";
    body += "--" + boundary + "--\r\n";
    return b.send("POST", "/petugas/pengaduan/" + tracking + "/selesai", body,
                  {{"Content-Type", "multipart/form-data; boundary=" + boundary}});
  }

 private:
  std::unique_ptr<TempDatabase> database_;
  std::unique_ptr<ServerHarness> server_;
  std::string citizen_;
};

TEST_P(ComplaintStaffPages, TheDeskVerifiesAReportWhichMovesToTheAgencysQueue) {
  const std::string tracking = report("Lubang besar di depan sekolah, sudah dua motor jatuh.");
  auto desk = staff(kDeskLogin, kDeskPassword);
  const auto queue = desk->get("/petugas/pengaduan");
  ASSERT_EQ(queue.status, 200);
  EXPECT_EQ(queue.header("cache-control"), "no-store");
  EXPECT_TRUE(contains(queue.body, "data-report=\"" + tracking + "\""));
  EXPECT_TRUE(contains(queue.body, "href=\"/petugas/pengaduan/templat\""));

  const auto page = desk->get("/petugas/pengaduan/" + tracking);
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.header("cache-control"), "no-store");
  EXPECT_TRUE(contains(page.body, "action=\"/petugas/pengaduan/" + tracking + "/verifikasi\""));
  EXPECT_TRUE(contains(page.body, "action=\"/petugas/pengaduan/" + tracking + "/tolak\""));
  EXPECT_TRUE(contains(page.body, "<strong data-route-to>Dinas Pekerjaan Umum"));
  EXPECT_TRUE(contains(page.body, " WIB</time>"));  // the city's clock
  // The desk does not handle it: no answer, resolution or reporter forms yet.
  EXPECT_FALSE(contains(page.body, "/tindak-lanjut\""));
  EXPECT_FALSE(contains(page.body, "/selesai\""));

  const auto verified = desk->post_form("/petugas/pengaduan/" + tracking + "/verifikasi",
                                        {{"catatan", "Diteruskan ke Dinas PUPR."}});
  ASSERT_EQ(verified.status, 303) << verified.body.substr(0, 2000);
  EXPECT_EQ(verified.header("location"), "/petugas/pengaduan?ok=verified");
  const auto after = desk->get("/petugas/pengaduan?ok=verified");
  EXPECT_TRUE(contains(after.body, html_escaped(text("complaints_staff.ok.verified"))));
  EXPECT_FALSE(contains(after.body, "data-report=\"" + tracking + "\""));
  EXPECT_EQ(status_of(tracking), "dispositioned");

  auto officer = staff(kOfficerLogin, kOfficerPassword);
  EXPECT_TRUE(
      contains(officer->get("/petugas/pengaduan").body, "data-report=\"" + tracking + "\""));
  const auto filtered =
      officer->get("/petugas/pengaduan?status=dispositioned&kategori=jalan-rusak");
  ASSERT_EQ(filtered.status, 200);
  EXPECT_TRUE(contains(filtered.body, "data-report=\"" + tracking + "\""));
  EXPECT_TRUE(contains(filtered.body, "<option value=\"dispositioned\" selected>"));
  EXPECT_FALSE(contains(officer->get("/petugas/pengaduan?status=resolved").body,
                        "data-report=\"" + tracking + "\""));
}

TEST_P(ComplaintStaffPages, TheDeskRejectsAReportWithAReason) {
  const std::string tracking = report("Tes tes tes.");
  auto desk = staff(kDeskLogin, kDeskPassword);
  const std::string path = "/petugas/pengaduan/" + tracking + "/tolak";
  const auto no_reason = desk->post_form(path, {{"catatan", "Mohon jelaskan tempatnya."}});
  ASSERT_EQ(no_reason.status, 422);
  EXPECT_TRUE(contains(no_reason.body, "<div class=\"error-summary\" role=\"alert\""));
  EXPECT_TRUE(contains(no_reason.body,
                       "<a href=\"#reject-reason-spam\">" +
                           html_escaped(text("complaints_staff.errors.reject_reason.required"))));
  EXPECT_TRUE(contains(no_reason.body, "id=\"reject-reason-error\""));
  EXPECT_TRUE(contains(no_reason.body, ">Mohon jelaskan tempatnya.</textarea>"));  // kept
  const auto bad = desk->post_form(path, {{"alasan", "malas"}});
  EXPECT_EQ(bad.status, 422);
  EXPECT_TRUE(
      contains(bad.body, html_escaped(text("complaints_staff.errors.reject_reason.invalid"))));
  EXPECT_EQ(status_of(tracking), "submitted");

  const auto rejected =
      desk->post_form(path, {{"alasan", "incomplete"}, {"catatan", "Mohon jelaskan tempatnya."}});
  ASSERT_EQ(rejected.status, 303) << rejected.body.substr(0, 2000);
  EXPECT_EQ(rejected.header("location"), "/petugas/pengaduan?ok=rejected");
  const auto view = api_view(tracking, citizen());
  EXPECT_EQ(view.at("status").as_string(), "rejected");
  EXPECT_EQ(view.at("rejection_reason").as_string(), "incomplete");
  // Done: the page shows the reason and offers no verification any more.
  const auto page = desk->get("/petugas/pengaduan/" + tracking);
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(contains(page.body, html_escaped(text("complaints_staff.reject_reason.incomplete"))));
  EXPECT_FALSE(contains(page.body, "/verifikasi\""));
}

TEST_P(ComplaintStaffPages, TheOfficerTakesItAnswersWithATemplateAndNotesWhatOnlyStaffSee) {
  const std::string tracking = report("Aspal mengelupas sepanjang lima meter di tikungan.");
  verify(tracking);
  auto officer = staff(kOfficerLogin, kOfficerPassword, "/petugas/pengaduan/templat");
  const auto me = account(kOfficerLogin);

  // A template for the agency, then the answer filled from it without JavaScript.
  const std::string answer = "Terima kasih. Tim kami akan menambal jalan ini minggu ini.";
  const auto empty_title =
      officer->post_form("/petugas/pengaduan/templat", {{"judul", " "}, {"isi", answer}});
  ASSERT_EQ(empty_title.status, 422);
  EXPECT_TRUE(contains(empty_title.body, "href=\"#template-title\""));
  EXPECT_TRUE(contains(empty_title.body, ">" + html_escaped(answer) + "</textarea>"));
  const auto added = officer->post_form("/petugas/pengaduan/templat",
                                        {{"judul", "Dijadwalkan minggu ini"}, {"isi", answer}});
  ASSERT_EQ(added.status, 303);
  EXPECT_EQ(added.header("location"), "/petugas/pengaduan/templat?ok=template_added");
  auto templates =
      complaints::service_of(server().runtime().app())
          .templates({me.id, me.role, me.agency, security::AuthMethod::session, "", {}});
  ASSERT_TRUE(templates.ok());
  ASSERT_EQ(templates->size(), 1u);
  const std::string template_id = (*templates)[0].id;
  EXPECT_TRUE(contains(officer->get("/petugas/pengaduan/templat").body,
                       "data-template=\"" + template_id + "\""));

  const std::string page_path = "/petugas/pengaduan/" + tracking;
  const auto page = officer->get(page_path);
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(contains(page.body, "<option value=\"" + template_id + "\" data-body="));
  EXPECT_TRUE(contains(page.body, "js/complaint-templates"));
  EXPECT_TRUE(
      contains(page.body, "<input type=\"hidden\" name=\"petugas\" value=\"" + me.id + "\">"));
  EXPECT_FALSE(contains(page.body, "/alihkan\""));  // supervisors only
  EXPECT_FALSE(contains(page.body, "/gabung\""));
  const auto filled = officer->get(page_path + "?templat=" + template_id);
  ASSERT_EQ(filled.status, 200);
  EXPECT_TRUE(contains(filled.body,
                       "name=\"isi\" rows=\"6\" maxlength=\"4000\" "
                       "aria-describedby=\"follow-up-text-hint\">" +
                           html_escaped(answer) + "</textarea>"));

  const auto taken = officer->post_form(page_path + "/tugaskan", {{"petugas", me.id}});
  ASSERT_EQ(taken.status, 303);
  EXPECT_EQ(taken.header("location"), page_path + "?ok=assigned");
  EXPECT_TRUE(
      contains(officer->get("/petugas/pengaduan?saya=1").body, "data-report=\"" + tracking + "\""));

  const auto no_text = officer->post_form(page_path + "/tindak-lanjut", {{"isi", "   "}});
  ASSERT_EQ(no_text.status, 422);
  EXPECT_TRUE(contains(no_text.body,
                       "<a href=\"#follow-up-text\">" +
                           html_escaped(text("complaints_staff.errors.follow_up_text.required"))));
  const auto answered = officer->post_form(page_path + "/tindak-lanjut", {{"isi", answer}});
  ASSERT_EQ(answered.status, 303);
  EXPECT_EQ(answered.header("location"), page_path + "?ok=followed_up");

  const std::string secret = "Anggaran tambal sulam baru cair bulan depan.";
  const auto noted = officer->post_form(page_path + "/catatan", {{"isi", secret}});
  ASSERT_EQ(noted.status, 303);
  const auto work = officer->get(page_path + "?ok=noted");
  EXPECT_TRUE(contains(work.body, html_escaped(text("complaints_staff.case.internal_tag"))));
  EXPECT_TRUE(contains(work.body, "<li class=\"complaint-timeline__item\" data-internal>"));
  EXPECT_TRUE(contains(work.body, html_escaped(secret)));
  EXPECT_TRUE(contains(work.body, "data-assignee>Petugas PUPR"));
  EXPECT_EQ(status_of(tracking), "in_progress");

  // The public sees the answer and never the note.
  const auto api = server().get("/api/v1/complaints/" + tracking);
  ASSERT_EQ(api.status, 200);
  EXPECT_TRUE(contains(api.body, "menambal jalan ini"));
  EXPECT_FALSE(contains(api.body, "Anggaran tambal sulam"));
  const auto citizen_page = server().get("/pengaduan/" + tracking);
  EXPECT_EQ(citizen_page.status, 200);
  EXPECT_FALSE(contains(citizen_page.body, "Anggaran tambal sulam"));
}

TEST_P(ComplaintStaffPages, ResolvingADamagedRoadNeedsAPhotoAfterTheWork) {
  const std::string tracking = report("Jalan amblas di depan pasar.");
  verify(tracking);
  auto officer = staff(kOfficerLogin, kOfficerPassword);
  officer->get("/petugas/pengaduan/" + tracking);
  const std::string answer = "Jalan sudah ditambal dan dipadatkan.";
  const auto without = resolve(*officer, tracking, answer, {});
  ASSERT_EQ(without.status, 422) << without.body.substr(0, 2000);
  EXPECT_TRUE(contains(without.body,
                       "<a href=\"#resolve-photos\">" +
                           html_escaped(text("complaints_staff.errors.resolve_photos.required"))));
  EXPECT_TRUE(contains(without.body, ">" + html_escaped(answer) + "</textarea>"));
  const auto not_image = resolve(*officer, tracking, answer, {"bukan gambar"});
  EXPECT_EQ(not_image.status, 422);
  EXPECT_TRUE(contains(not_image.body,
                       html_escaped(text("complaints_staff.errors.resolve_photos.invalid"))));
  EXPECT_EQ(status_of(tracking), "dispositioned");

  const auto resolved = resolve(*officer, tracking, answer, {kPng});
  ASSERT_EQ(resolved.status, 303) << resolved.body.substr(0, 2000);
  EXPECT_EQ(resolved.header("location"), "/petugas/pengaduan/" + tracking + "?ok=resolved");
  const auto view = api_view(tracking);
  EXPECT_EQ(view.at("status").as_string(), "resolved");
  bool after_photo = false;
  for (const auto& p : view.at("photos").as_array()) after_photo |= p.at("after").as_bool();
  EXPECT_TRUE(after_photo);
  const auto page = officer->get("/petugas/pengaduan/" + tracking + "?ok=resolved");
  EXPECT_TRUE(
      contains(page.body, html_escaped(text("complaints_staff.case.after_photos_heading"))));
  EXPECT_FALSE(contains(page.body, "/selesai\""));
}

TEST_P(ComplaintStaffPages, TheSupervisorMergesADuplicateAndReroutesAnother) {
  const std::string original = report("Lubang di Jl. Pahlawan dekat alun-alun.");
  const std::string duplicate = report("Jalan berlubang dekat alun-alun, bahaya.");
  const std::string elsewhere = report("Pohon besar di tepi jalan hampir tumbang.");
  for (const auto& t : {original, duplicate, elsewhere}) verify(t);
  auto supervisor = staff(kSupervisorLogin, kSupervisorPassword);

  const std::string dup_path = "/petugas/pengaduan/" + duplicate;
  const auto page = supervisor->get(dup_path);
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(contains(page.body, "action=\"" + dup_path + "/gabung\""));
  EXPECT_TRUE(contains(page.body, "action=\"" + dup_path + "/alihkan\""));
  // Supervisors assign anyone of the agency from a list.
  EXPECT_TRUE(contains(
      page.body, "<option value=\"" + account(kOfficerLogin).id + "\">Petugas PUPR</option>"));

  const auto empty = supervisor->post_form(dup_path + "/gabung", {{"asli", ""}});
  ASSERT_EQ(empty.status, 422);
  EXPECT_TRUE(
      contains(empty.body, "<a href=\"#merge-original\">" +
                               html_escaped(text("complaints_staff.errors.merge_into.required"))));
  const auto itself = supervisor->post_form(dup_path + "/gabung", {{"asli", duplicate}});
  EXPECT_EQ(itself.status, 422);
  EXPECT_TRUE(contains(itself.body, "value=\"" + duplicate + "\""));  // kept as typed
  std::string typed = original;
  for (char& c : typed) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const auto merged = supervisor->post_form(dup_path + "/gabung", {{"asli", " " + typed + " "}});
  ASSERT_EQ(merged.status, 303) << merged.body.substr(0, 2000);
  EXPECT_EQ(merged.header("location"), "/petugas/pengaduan?ok=merged");
  const auto dup = api_view(duplicate);
  EXPECT_EQ(dup.at("status").as_string(), "closed");
  EXPECT_EQ(dup.at("merged_into").as_string(), original);

  const std::string away = "/petugas/pengaduan/" + elsewhere;
  const auto no_agency = supervisor->post_form(away + "/alihkan", {{"catatan", "Urusan DLH."}});
  ASSERT_EQ(no_agency.status, 422);
  EXPECT_TRUE(contains(no_agency.body, "<a href=\"#reroute-agency\">"));
  EXPECT_TRUE(contains(no_agency.body, ">Urusan DLH.</textarea>"));
  const auto unknown = supervisor->post_form(away + "/alihkan", {{"instansi", "dinas-fiktif"}});
  EXPECT_EQ(unknown.status, 422);
  const auto rerouted =
      supervisor->post_form(away + "/alihkan", {{"instansi", "dlh"}, {"catatan", "Urusan DLH."}});
  ASSERT_EQ(rerouted.status, 303) << rerouted.body.substr(0, 2000);
  EXPECT_EQ(rerouted.header("location"), "/petugas/pengaduan?ok=rerouted");
  EXPECT_EQ(api_view(elsewhere).at("agency").as_string(), "dlh");
  // Now another agency's: gone from the queue, and its page is closed to dpupr.
  EXPECT_FALSE(
      contains(supervisor->get("/petugas/pengaduan").body, "data-report=\"" + elsewhere + "\""));
  EXPECT_EQ(supervisor->get(away).status, 403);
}

TEST_P(ComplaintStaffPages, RevealsTheReporterForAPurposeAndTheReporterSeesTheRead) {
  const std::string tracking = report("Jalan retak memanjang di depan kantor kelurahan.");
  verify(tracking);
  auto officer = staff(kOfficerLogin, kOfficerPassword);
  const std::string path = "/petugas/pengaduan/" + tracking + "/pelapor";
  officer->get("/petugas/pengaduan/" + tracking);
  const auto no_purpose = officer->post_form(path, {{"tujuan", "  "}});
  ASSERT_EQ(no_purpose.status, 422);
  EXPECT_TRUE(contains(no_purpose.body,
                       "<a href=\"#reporter-purpose\">" +
                           html_escaped(text("complaints_staff.errors.purpose.required"))));

  const auto reporter = account(kDemoCitizenLogin);
  const std::string purpose = "menanyakan letak persis retakan";
  const auto shown = officer->post_form(path, {{"tujuan", purpose}});
  ASSERT_EQ(shown.status, 200) << shown.body.substr(0, 2000);
  EXPECT_EQ(shown.header("cache-control"), "no-store");
  EXPECT_TRUE(contains(shown.body, html_escaped(reporter.display_name)));
  EXPECT_TRUE(contains(shown.body, html_escaped(reporter.email)));
  EXPECT_TRUE(contains(shown.body, html_escaped(purpose)));
  // The work page itself never shows who reported.
  EXPECT_FALSE(
      contains(officer->get("/petugas/pengaduan/" + tracking).body, html_escaped(reporter.email)));

  const auto log = server().get("/api/v1/me/access-log", bearer_headers(citizen()));
  ASSERT_EQ(log.status, 200);
  EXPECT_TRUE(contains(log.body, purpose)) << log.body;
  EXPECT_TRUE(contains(log.body, "\"what\":\"complaint\"")) << log.body;
  EXPECT_TRUE(contains(log.body, "Petugas PUPR")) << log.body;
}

TEST_P(ComplaintStaffPages, AnAnonymousReportersIdentityIsNeverShown) {
  const std::string tracking = report("Lubang dalam di gang sempit.", true);
  verify(tracking);
  auto officer = staff(kOfficerLogin, kOfficerPassword);
  const auto page = officer->get("/petugas/pengaduan/" + tracking);
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(contains(page.body, html_escaped(text("complaints_staff.reporter.anonymous"))));
  EXPECT_FALSE(contains(page.body, "action=\"/petugas/pengaduan/" + tracking + "/pelapor\""));
  const auto asked = officer->post_form("/petugas/pengaduan/" + tracking + "/pelapor",
                                        {{"tujuan", "menanyakan letak"}});
  EXPECT_EQ(asked.status, 403);
  EXPECT_EQ(asked.header("cache-control"), "no-store");
  EXPECT_TRUE(contains(asked.body, html_escaped(text("complaints_staff.reporter.anonymous"))));
  EXPECT_FALSE(contains(asked.body, html_escaped(account(kDemoCitizenLogin).email)));
}

TEST_P(ComplaintStaffPages, RefusesOtherAgenciesCitizensAndVisitors) {
  const std::string tracking = report("Jalan rusak parah di dekat jembatan.");
  const std::string path = "/petugas/pengaduan/" + tracking;
  // Still with the desk: dpupr neither verifies nor handles it yet.
  auto officer = staff(kOfficerLogin, kOfficerPassword);
  EXPECT_EQ(officer->get(path).status, 403);
  EXPECT_EQ(officer->post_form(path + "/verifikasi", {}).status, 403);
  EXPECT_EQ(officer->post_form(path + "/tolak", {{"alasan", "spam"}}).status, 403);
  EXPECT_EQ(officer->post_form(path + "/catatan", {{"isi", "coba"}}).status, 403);
  EXPECT_EQ(officer->post_form(path + "/pelapor", {{"tujuan", "ingin tahu"}}).status, 403);
  EXPECT_FALSE(
      contains(officer->get("/petugas/pengaduan").body, "data-report=\"" + tracking + "\""));
  EXPECT_EQ(status_of(tracking), "submitted");

  Browser citizen_browser(server());
  ASSERT_EQ(citizen_browser.sign_in(kDemoCitizenLogin, kDemoCitizenPassword).status, 303);
  EXPECT_EQ(citizen_browser.get("/petugas/pengaduan").status, 403);
  EXPECT_EQ(citizen_browser.get(path).status, 403);
  EXPECT_EQ(citizen_browser.get("/petugas/pengaduan/templat").status, 403);
  EXPECT_EQ(citizen_browser.post_form(path + "/verifikasi", {}).status, 403);
  EXPECT_EQ(status_of(tracking), "submitted");

  Browser visitor(server());
  const auto queue = visitor.get("/petugas/pengaduan");
  EXPECT_EQ(queue.status, 303);
  EXPECT_EQ(queue.header("location"), "/masuk?next=/petugas/pengaduan");
  const auto work = visitor.get(path);
  EXPECT_EQ(work.status, 303);
  EXPECT_EQ(work.header("location"), "/masuk?next=" + path);
  const auto post = visitor.post_form(path + "/verifikasi", {});
  EXPECT_TRUE(post.status == 303 || post.status == 403) << post.status;
  EXPECT_EQ(status_of(tracking), "submitted");
}

TEST_P(ComplaintStaffPages, RefusesFormsWithoutTheirCsrfToken) {
  const std::string tracking = report("Jalan bergelombang di depan terminal.");
  auto desk = staff(kDeskLogin, kDeskPassword);
  const std::string path = "/petugas/pengaduan/" + tracking;
  EXPECT_EQ(desk->post_form(path + "/verifikasi", {}, false).status, 403);
  EXPECT_EQ(desk->post_form(path + "/tolak", {{"alasan", "spam"}}, false).status, 403);
  EXPECT_EQ(
      desk->post_form("/petugas/pengaduan/templat", {{"judul", "a"}, {"isi", "b"}}, false).status,
      403);
  EXPECT_EQ(status_of(tracking), "submitted");
}

TEST_P(ComplaintStaffPages, AnswersUnknownReportsWithNotFoundAndBadFiltersWithTheField) {
  auto desk = staff(kDeskLogin, kDeskPassword);
  EXPECT_EQ(desk->get("/petugas/pengaduan/ADU-2099-999999").status, 404);
  EXPECT_EQ(desk->get("/petugas/pengaduan/bukan-nomor").status, 404);
  EXPECT_EQ(desk->post_form("/petugas/pengaduan/ADU-2099-999999/verifikasi", {}).status, 404);
  EXPECT_EQ(desk->post_form("/petugas/pengaduan/ADU-2099-999999/pelapor", {{"tujuan", "x"}}).status,
            404);

  const auto bad = desk->get("/petugas/pengaduan?status=hilang&kategori=tidak-ada");
  ASSERT_EQ(bad.status, 422);
  EXPECT_TRUE(
      contains(bad.body, "<a href=\"#filter-status\">" +
                             html_escaped(text("complaints_staff.errors.filter_status.invalid"))));
  EXPECT_TRUE(contains(bad.body, "<a href=\"#filter-category\">"));
  EXPECT_TRUE(contains(bad.body, "aria-invalid=\"true\""));

  const auto templates = desk->get("/petugas/pengaduan/templat");
  ASSERT_EQ(templates.status, 200);
  const auto long_title = desk->post_form("/petugas/pengaduan/templat",
                                          {{"judul", std::string(121, 'x')}, {"isi", ""}});
  ASSERT_EQ(long_title.status, 422);
  EXPECT_TRUE(contains(long_title.body,
                       "<a href=\"#template-title\">" +
                           html_escaped(text("complaints_staff.errors.template_title.too_long"))));
  EXPECT_EQ(desk->post_form("/petugas/pengaduan/templat/hapus",
                            {{"id", "01900000-0000-7000-8000-000000000000"}})
                .status,
            404);
}

TEST_P(ComplaintStaffPages, ShowsTheQueueAndTheWorkPageInEnglish) {
  const std::string tracking = report("Lubang di jalan menuju stasiun.");
  auto desk = staff(kDeskLogin, kDeskPassword);
  const auto queue = desk->get("/petugas/pengaduan?lang=en");
  ASSERT_EQ(queue.status, 200);
  EXPECT_TRUE(contains(queue.body, "<html lang=\"en\">"));
  EXPECT_TRUE(contains(queue.body, html_escaped(text("complaints_staff.queue.heading", "en"))));
  const auto page = desk->get("/petugas/pengaduan/" + tracking + "?lang=en");
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(contains(page.body, html_escaped(text("complaints_staff.verify.button", "en"))));
  EXPECT_TRUE(contains(page.body, html_escaped(text("complaints_staff.status.submitted", "en"))));
}

}  // namespace

INSTANTIATE_TEST_SUITE_P(ComplaintStaff, ComplaintStaffPages,
                         ::testing::ValuesIn(test_database_backends()), backend_test_name);

}  // namespace balai::testing
