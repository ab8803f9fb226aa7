// The complaint journey over real HTTP on each backend: a citizen reports a damaged road with a
// pin and a photo -> the desk verifies and it is routed to public works -> the agency follows
// up, notes internally, resolves with an "after" photo -> the reporter reopens, the agency
// resolves again, the reporter confirms and rates. Around it: nearby suggestions and support,
// routing by region, merging duplicates, automatic closing and escalation, the privacy of
// anonymous and confidential reports, the audited read of who reported, statistics, and the
// refusals (bad input, wrong role, someone else's report).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <thread>

#include "core/base64.h"
#include "modules/catalog/module.h"
#include "modules/catalog/service.h"
#include "modules/complaints/service.h"
#include "modules/notify/outbox.h"
#include "security/accounts.h"
#include "support/auth_helpers.h"
#include "support/databases.h"
#include "support/images.h"
#include "support/server_harness.h"

namespace balai::testing {
namespace {

const std::map<std::string, std::string> kJson = {{"Content-Type", "application/json"}};

boost::json::object parse(const HttpReply& r) {
  boost::system::error_code ec;
  auto v = boost::json::parse(r.body, ec);
  return !ec && v.is_object() ? v.as_object() : boost::json::object{};
}

boost::json::object report(const std::string& category, const std::string& lat,
                           const std::string& lon, const std::string& village = "") {
  boost::json::object o{{"category", category},
                        {"description", "Jalan berlubang dalam di depan sekolah."},
                        {"channel", "email"}};
  if (!lat.empty()) o["lat"] = lat;
  if (!lon.empty()) o["lon"] = lon;
  if (!village.empty()) o["village_code"] = village;
  return o;
}

class ComplaintJourney : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!database_backend_available(GetParam()))
      GTEST_SKIP() << "set BALAI_TEST_PG to run on PostgreSQL";
    database_ = std::make_unique<TempDatabase>(GetParam());
    const std::string url = GetParam() == "sqlite" ? std::string{} : database_->url();
    server_ =
        std::make_unique<ServerHarness>([](core::Config& c) { c.notify.dev_outbox = true; }, url);
    citizen_ = sign_in_bearer(*server_, kDemoCitizenLogin, kDemoCitizenPassword);
    neighbour_ = make_citizen("tetangga@example.id");
    desk_ = sign_in_bearer(*server_, "aduan@demo.balai.id", "nasi pecel pincuk daun pisang");
    works_ = sign_in_bearer(*server_, "pupr@demo.balai.id", "jalan mulus aspal baru hitam");
    chief_ =
        sign_in_bearer(*server_, "kabid.pupr@demo.balai.id", "jembatan batu kali kokoh sekali");
  }
  void TearDown() override {
    server_.reset();
    database_.reset();
  }

  std::string make_citizen(const std::string& email) {
    auto& app = server_->runtime().app();
    auto created = app.security.accounts.create(
        security::NewAccount{security::Role::citizen, "", "Tetangga Baik", email,
                             "rumah joglo di pinggir sawah"},
        app.clock.now());
    EXPECT_TRUE(created.ok());
    return sign_in_bearer(*server_, email, "rumah joglo di pinggir sawah");
  }

  HttpReply post(const std::string& token, const std::string& path,
                 const boost::json::object& body = {}) {
    return server_->send("POST", path, boost::json::serialize(body), bearer_headers(token, kJson));
  }
  HttpReply get(const std::string& token, const std::string& path) {
    return token.empty() ? server_->get(path) : server_->get(path, bearer_headers(token));
  }

  std::string submit(const std::string& token, const boost::json::object& body) {
    auto r = post(token, "/api/v1/complaints", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return std::string(parse(r)["tracking"].as_string());
  }

  std::string status_of(const std::string& token, const std::string& tracking) {
    return std::string(parse(get(token, "/api/v1/complaints/" + tracking))["status"].as_string());
  }

  // Whether a message of `kind` reached the development outbox. The server's own delivery
  // thread may hold it for a moment (claimed, not yet shown): wait for it, with a deadline.
  bool outbox_has(const std::string& kind) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    do {
      EXPECT_TRUE(server_->runtime().app().outbox.deliver_due().ok());
      const auto outbox = parse(server_->get("/api/v1/dev/outbox"));
      for (const auto& m : outbox.at("messages").as_array())
        if (m.as_object().at("kind").as_string() == kind) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    } while (std::chrono::steady_clock::now() < deadline);
    return false;
  }

  complaints::ComplaintService& service() {
    return complaints::service_of(server_->runtime().app());
  }

  std::unique_ptr<TempDatabase> database_;
  std::unique_ptr<ServerHarness> server_;
  std::string citizen_, neighbour_, desk_, works_, chief_;
};

TEST_P(ComplaintJourney, FromReportToRatingThroughEveryServiceLevel) {
  auto body = report("jalan-rusak", "-7.6291", "111.5253");
  body["photos"] = boost::json::array{core::base64_encode(jpeg_with_gps())};
  auto created = post(citizen_, "/api/v1/complaints", body);
  ASSERT_EQ(created.status, 201) << created.body;
  auto c = parse(created);
  const std::string t(c["tracking"].as_string());
  EXPECT_TRUE(complaints::rules::is_tracking(t)) << t;
  EXPECT_EQ(created.header("location"), "/api/v1/complaints/" + t);
  EXPECT_EQ(c["status"].as_string(), "submitted");
  EXPECT_FALSE(c["due_at"].is_null());

  // The reporter sees it with its timeline; the photo lost its GPS position on the way in.
  auto mine = parse(get(citizen_, "/api/v1/complaints/" + t));
  EXPECT_TRUE(mine["mine"].as_bool());
  ASSERT_EQ(mine["photos"].as_array().size(), 1u);
  const std::string photo_url(mine["photos"].as_array()[0].as_object().at("url").as_string());
  auto photo = get("", photo_url);
  ASSERT_EQ(photo.status, 200);
  EXPECT_EQ(photo.header("content-type"), "image/jpeg");
  EXPECT_EQ(photo.body.find("GPSLatitude"), std::string::npos);
  EXPECT_TRUE(outbox_has("complaints.submitted"));

  // Only the desk verifies; public works cannot before it is theirs.
  EXPECT_EQ(post(works_, "/api/v1/complaints/" + t + "/verify").status, 403);
  auto queue = parse(get(desk_, "/api/v1/complaints/queue"));
  bool queued = false;
  for (const auto& item : queue["complaints"].as_array())
    queued |= item.as_object().at("tracking").as_string() == t;
  EXPECT_TRUE(queued);
  ASSERT_EQ(post(desk_, "/api/v1/complaints/" + t + "/verify", {{"note", "Lengkap."}}).status, 200);
  auto verified = parse(get(works_, "/api/v1/complaints/" + t));
  EXPECT_EQ(verified["status"].as_string(), "dispositioned");
  EXPECT_EQ(verified["agency"].as_string(), "dpupr");
  EXPECT_EQ(post(desk_, "/api/v1/complaints/" + t + "/verify").status, 409);  // decided once

  // The agency takes it, follows up publicly, and notes something internal.
  EXPECT_EQ(post(works_, "/api/v1/complaints/" + t + "/assign", {{"assignee", ""}}).status,
            403);  // officers take reports; only supervisors unassign
  ASSERT_EQ(post(works_, "/api/v1/complaints/" + t + "/follow-ups",
                 {{"text", "Tim akan menambal minggu ini."}})
                .status,
            200);
  ASSERT_EQ(post(works_, "/api/v1/complaints/" + t + "/notes",
                 {{"text", "Aspal dingin dari gudang Taman."}})
                .status,
            200);
  auto for_reporter = get(citizen_, "/api/v1/complaints/" + t);
  EXPECT_EQ(for_reporter.body.find("gudang Taman"), std::string::npos);
  EXPECT_NE(for_reporter.body.find("menambal minggu ini"), std::string::npos);
  EXPECT_NE(get(works_, "/api/v1/complaints/" + t).body.find("gudang Taman"), std::string::npos);
  EXPECT_EQ(parse(for_reporter)["status_note"].as_string(), "Tim akan menambal minggu ini.");

  // "Resolved" needs evidence for a physical problem.
  auto no_photo = post(works_, "/api/v1/complaints/" + t + "/resolve", {{"answer", "Sudah."}});
  EXPECT_EQ(no_photo.status, 422) << no_photo.body;
  EXPECT_NE(no_photo.body.find("photos"), std::string::npos);
  ASSERT_EQ(post(works_, "/api/v1/complaints/" + t + "/resolve",
                 {{"answer", "Lubang sudah ditambal."},
                  {"photos", boost::json::array{core::base64_encode(tiny_png())}}})
                .status,
            200);
  auto resolved = parse(get(citizen_, "/api/v1/complaints/" + t));
  EXPECT_EQ(resolved["status"].as_string(), "resolved");
  EXPECT_TRUE(resolved["can"].as_object().at("reopen").as_bool());
  EXPECT_FALSE(resolved["reopen_until"].is_null());
  EXPECT_EQ(resolved["photos"].as_array().size(), 2u);

  // The reporter reopens (it was not done), the agency resolves again, the reporter confirms.
  EXPECT_EQ(post(citizen_, "/api/v1/complaints/" + t + "/reopen").status, 422);  // no reason
  ASSERT_EQ(post(citizen_, "/api/v1/complaints/" + t + "/reopen",
                 {{"reason", "Masih berlubang di sisi timur."}})
                .status,
            200);
  auto reopened = parse(get(citizen_, "/api/v1/complaints/" + t));
  EXPECT_EQ(reopened["status"].as_string(), "in_progress");
  EXPECT_EQ(reopened["reopened"].as_int64(), 1);
  ASSERT_EQ(post(works_, "/api/v1/complaints/" + t + "/resolve",
                 {{"answer", "Sisi timur juga sudah."},
                  {"photos", boost::json::array{core::base64_encode(tiny_png())}}})
                .status,
            200);
  EXPECT_EQ(post(neighbour_, "/api/v1/complaints/" + t + "/confirm").status, 404);
  ASSERT_EQ(post(citizen_, "/api/v1/complaints/" + t + "/confirm").status, 200);
  EXPECT_EQ(status_of(citizen_, t), "closed");
  EXPECT_EQ(post(citizen_, "/api/v1/complaints/" + t + "/reopen", {{"reason", "x"}}).status, 409);

  // A rating of the handling, once.
  EXPECT_EQ(post(citizen_, "/api/v1/complaints/" + t + "/rating", {{"rating", 5}}).status, 422);
  EXPECT_EQ(post(citizen_, "/api/v1/complaints/" + t + "/rating", {{"rating", "3"}}).status, 422);
  ASSERT_EQ(post(citizen_, "/api/v1/complaints/" + t + "/rating",
                 {{"rating", 3}, {"comment", "Cepat, tapi harus dilapor dua kali."}})
                .status,
            200);
  EXPECT_EQ(post(citizen_, "/api/v1/complaints/" + t + "/rating", {{"rating", 4}}).status, 409);

  // The whole timeline, in order, for the public.
  auto pub = parse(get("", "/api/v1/complaints/" + t));
  std::vector<std::string> kinds;
  for (const auto& e : pub["timeline"].as_array())
    kinds.emplace_back(e.as_object().at("kind").as_string());
  EXPECT_EQ(kinds,
            (std::vector<std::string>{"submitted", "verified", "dispositioned", "follow_up",
                                      "resolved", "reopened", "resolved", "confirmed", "rated"}));
  EXPECT_FALSE(pub.contains("anonymous"));
  EXPECT_TRUE(outbox_has("complaints.resolved"));

  // Statistics count it: one reopened report against public works.
  auto stats = parse(get("", "/api/v1/complaints/statistics"));
  EXPECT_GE(stats["total"].as_int64(), 1);
  bool counted = false;
  for (const auto& a : stats["agencies"].as_array())
    counted |= a.as_object().at("agency").as_string() == "dpupr" &&
               a.as_object().at("reopened").as_int64() >= 1;
  EXPECT_TRUE(counted);
  auto csv = get("", "/api/v1/complaints/statistics.csv");
  EXPECT_EQ(csv.status, 200);
  EXPECT_TRUE(csv.body.starts_with("dimension,key,value\r\n"));
}

TEST_P(ComplaintJourney, NearbyReportsAreSuggestedAndSupported) {
  const std::string t = submit(citizen_, report("jalan-rusak", "-7.6300", "111.5200"));
  // 50 m away: suggested to the neighbour; 2 km away: not.
  auto near = parse(
      get(neighbour_, "/api/v1/complaints/nearby?category=jalan-rusak&lat=-7.6304&lon=111.5201"));
  bool found = false;
  for (const auto& n : near["complaints"].as_array())
    found |= n.as_object().at("tracking").as_string() == t &&
             n.as_object().at("distance_m").as_int64() < 100;
  EXPECT_TRUE(found);
  auto far =
      parse(get("", "/api/v1/complaints/nearby?category=jalan-rusak&lat=-7.6100&lon=111.5200"));
  for (const auto& n : far["complaints"].as_array())
    EXPECT_NE(n.as_object().at("tracking").as_string(), t);
  EXPECT_EQ(get("", "/api/v1/complaints/nearby?category=nope&lat=-7.63&lon=111.52").status, 422);
  EXPECT_EQ(get("", "/api/v1/complaints/nearby?category=jalan-rusak&lat=x&lon=111.52").status, 422);

  ASSERT_EQ(post(neighbour_, "/api/v1/complaints/" + t + "/support").status, 200);
  EXPECT_EQ(post(neighbour_, "/api/v1/complaints/" + t + "/support").status, 409);
  EXPECT_EQ(post(citizen_, "/api/v1/complaints/" + t + "/support").status, 409);  // own report
  EXPECT_EQ(post(desk_, "/api/v1/complaints/" + t + "/support").status, 403);
  EXPECT_EQ(server_->send("POST", "/api/v1/complaints/" + t + "/support", "{}", kJson).status, 401);
  EXPECT_EQ(parse(get("", "/api/v1/complaints/" + t))["supporters"].as_int64(), 1);
}

TEST_P(ComplaintJourney, RoutesByCategoryAndRegionAndSupervisorsReroute) {
  // Fallen trees go to the environment office, except in Taman (a routing rule: public works).
  const std::string taman = submit(citizen_, report("pohon-tumbang", "", "", "35.77.03.1003"));
  const std::string elsewhere = submit(citizen_, report("pohon-tumbang", "", "", "35.77.01.1001"));
  ASSERT_EQ(post(desk_, "/api/v1/complaints/" + taman + "/verify").status, 200);
  ASSERT_EQ(post(desk_, "/api/v1/complaints/" + elsewhere + "/verify").status, 200);
  EXPECT_EQ(parse(get(desk_, "/api/v1/complaints/" + taman))["agency"].as_string(), "dpupr");
  EXPECT_EQ(parse(get(citizen_, "/api/v1/complaints/" + elsewhere))["agency"].as_string(), "dlh");

  // An officer cannot re-route; the supervisor of the agency holding it can.
  EXPECT_EQ(post(works_, "/api/v1/complaints/" + taman + "/reroute", {{"agency", "dlh"}}).status,
            403);
  EXPECT_EQ(post(chief_, "/api/v1/complaints/" + taman + "/reroute", {{"agency", "nope"}}).status,
            422);
  ASSERT_EQ(post(chief_, "/api/v1/complaints/" + taman + "/reroute",
                 {{"agency", "dlh"}, {"note", "Pohon di taman kota: DLH."}})
                .status,
            200);
  EXPECT_EQ(parse(get(citizen_, "/api/v1/complaints/" + taman))["agency"].as_string(), "dlh");
  // Once it is not theirs, public works cannot touch it.
  EXPECT_EQ(post(works_, "/api/v1/complaints/" + taman + "/follow-ups", {{"text", "x"}}).status,
            403);
  EXPECT_EQ(
      post(chief_, "/api/v1/complaints/" + elsewhere + "/reroute", {{"agency", "dpupr"}}).status,
      403);  // not their agency's report
}

TEST_P(ComplaintJourney, MergingMovesReporterAndSupportersToTheOriginal) {
  const std::string original = submit(citizen_, report("jalan-rusak", "-7.6200", "111.5300"));
  const std::string duplicate = submit(neighbour_, report("jalan-rusak", "-7.6201", "111.5301"));
  for (const auto& t : {original, duplicate})
    ASSERT_EQ(post(desk_, "/api/v1/complaints/" + t + "/verify").status, 200);
  const std::string third = make_citizen("ketiga@example.id");
  ASSERT_EQ(post(third, "/api/v1/complaints/" + duplicate + "/support").status, 200);

  EXPECT_EQ(post(works_, "/api/v1/complaints/" + duplicate + "/merge", {{"into", original}}).status,
            403);  // supervisors only
  EXPECT_EQ(
      post(chief_, "/api/v1/complaints/" + duplicate + "/merge", {{"into", duplicate}}).status,
      422);
  ASSERT_EQ(post(chief_, "/api/v1/complaints/" + duplicate + "/merge", {{"into", original}}).status,
            200);
  auto dup = parse(get(neighbour_, "/api/v1/complaints/" + duplicate));
  EXPECT_EQ(dup["status"].as_string(), "closed");
  EXPECT_EQ(dup["merged_into"].as_string(), original);
  // The duplicate's reporter and its supporter now follow the original.
  EXPECT_EQ(parse(get("", "/api/v1/complaints/" + original))["supporters"].as_int64(), 2);
  EXPECT_EQ(post(third, "/api/v1/complaints/" + original + "/support").status, 409);
  // A merged report is not listed twice.
  auto list = get("", "/api/v1/complaints?category=jalan-rusak&page_size=100");
  EXPECT_EQ(list.body.find(duplicate), std::string::npos);
  EXPECT_NE(list.body.find(original), std::string::npos);
}

TEST_P(ComplaintJourney, ClosesAutomaticallyAndEscalatesLateSteps) {
  const std::string resolved = submit(citizen_, report("jalan-rusak", "-7.6400", "111.5100"));
  const std::string late = submit(citizen_, report("sampah", "-7.6410", "111.5110"));
  const std::string unanswered = submit(citizen_, report("jalan-rusak", "-7.6420", "111.5120"));
  ASSERT_EQ(post(desk_, "/api/v1/complaints/" + unanswered + "/verify").status, 200);
  ASSERT_EQ(post(desk_, "/api/v1/complaints/" + resolved + "/verify").status, 200);
  ASSERT_EQ(post(works_, "/api/v1/complaints/" + resolved + "/resolve",
                 {{"answer", "Selesai."},
                  {"photos", boost::json::array{core::base64_encode(tiny_png())}}})
                .status,
            200);
  const auto now = server_->runtime().app().clock.now();
  // Not yet: ten working days have not passed.
  EXPECT_EQ(service().close_due(now), 0);
  EXPECT_EQ(status_of(citizen_, resolved), "resolved");
  // A month later (at least ten working days, even around Lebaran's collective leave).
  EXPECT_GE(service().close_due(core::Timestamp{now.ms + 30 * 86'400'000LL}), 1);
  auto closed = parse(get(citizen_, "/api/v1/complaints/" + resolved));
  EXPECT_EQ(closed["status"].as_string(), "closed");
  EXPECT_TRUE(closed["can"].as_object().at("rate").as_bool());

  // The unverified report passes its three working days: escalated, first in the overdue view.
  EXPECT_GE(service().escalate_due(core::Timestamp{now.ms + 14 * 86'400'000LL}), 1);
  auto overdue = get(desk_, "/api/v1/complaints/queue?overdue=1");
  ASSERT_EQ(overdue.status, 200);
  EXPECT_NE(overdue.body.find(late), std::string::npos);
  // Public works' supervisor is told that its follow-up is late.
  EXPECT_NE(get(chief_, "/api/v1/complaints/queue?overdue=1").body.find(unanswered),
            std::string::npos);
  EXPECT_TRUE(outbox_has("complaints.escalated"));
  EXPECT_EQ(service().escalate_due(core::Timestamp{now.ms + 14 * 86'400'000LL}), 0);  // once
  // Escalation is the agency's business, not on the public timeline.
  EXPECT_EQ(get("", "/api/v1/complaints/" + late).body.find("escalated"), std::string::npos);
}

TEST_P(ComplaintJourney, AnonymousAndConfidentialReportsKeepTheirPromises) {
  auto anon_body = report("jalan-rusak", "-7.6350", "111.5350");
  anon_body["anonymous"] = true;
  const std::string anon = submit(citizen_, anon_body);
  auto secret_body = report("pelayanan-publik", "", "", "35.77.02.1006");
  secret_body["confidential"] = true;
  secret_body["description"] = "Petugas loket meminta uang tambahan.";
  const std::string secret = submit(citizen_, secret_body);

  // Anonymous: nobody, the agency included, can see who reported.
  ASSERT_EQ(post(desk_, "/api/v1/complaints/" + anon + "/verify").status, 200);
  auto who = get(works_, "/api/v1/complaints/" + anon + "/reporter?purpose=konfirmasi%20lokasi");
  EXPECT_EQ(who.status, 403) << who.body;
  EXPECT_EQ(who.body.find("Warga Demo"), std::string::npos);
  auto audit = server_->runtime().database().query(
      "SELECT actor FROM audit_entries WHERE object_id = ? AND action = 'complaints.report.submit'",
      {anon});
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 1u);
  EXPECT_EQ((*audit)[0].text(0), "anonymous");

  // Confidential: not public, not for other citizens, but the reporter and the staff see it.
  EXPECT_EQ(get("", "/api/v1/complaints/" + secret).status, 404);
  EXPECT_EQ(get(neighbour_, "/api/v1/complaints/" + secret).status, 404);
  EXPECT_EQ(get(citizen_, "/api/v1/complaints/" + secret).status, 200);
  EXPECT_EQ(get(desk_, "/api/v1/complaints/" + secret).status, 200);
  EXPECT_EQ(get("", "/api/v1/complaints?page_size=100").body.find(secret), std::string::npos);
  EXPECT_EQ(post(neighbour_, "/api/v1/complaints/" + secret + "/support").status, 404);
  // Acting on it tells nobody that it exists: 404, not 403 or 409.
  EXPECT_EQ(post(neighbour_, "/api/v1/complaints/" + secret + "/confirm").status, 404);
  EXPECT_EQ(post(works_, "/api/v1/complaints/" + secret + "/verify").status, 404);
  EXPECT_EQ(get(works_, "/api/v1/complaints/" + secret + "/reporter?purpose=x").status, 404);

  // A report rejected as spam leaves the public record; its reporter still sees it.
  const std::string spam = submit(neighbour_, report("sampah", "-7.6370", "111.5370"));
  ASSERT_EQ(post(desk_, "/api/v1/complaints/" + spam + "/reject", {{"reason", "spam"}}).status,
            200);
  EXPECT_EQ(get("", "/api/v1/complaints/" + spam).status, 404);
  EXPECT_EQ(get("", "/api/v1/complaints?page_size=100").body.find(spam), std::string::npos);
  EXPECT_EQ(get(neighbour_, "/api/v1/complaints/" + spam).status, 200);

  // A named report's reporter can be seen by the staff handling it, with a purpose that the
  // reporter then finds in their access log.
  const std::string named = submit(citizen_, report("jalan-rusak", "-7.6360", "111.5360"));
  ASSERT_EQ(post(desk_, "/api/v1/complaints/" + named + "/verify").status, 200);
  EXPECT_EQ(get(works_, "/api/v1/complaints/" + named + "/reporter").status, 422);  // no purpose
  EXPECT_EQ(get(desk_, "/api/v1/complaints/" + named + "/reporter?purpose=x").status, 403);
  auto revealed =
      get(works_, "/api/v1/complaints/" + named + "/reporter?purpose=konfirmasi%20lokasi");
  ASSERT_EQ(revealed.status, 200) << revealed.body;
  EXPECT_EQ(parse(revealed)["name"].as_string(), "Warga Demo");
  EXPECT_EQ(revealed.header("cache-control"), "no-store");
  auto log = parse(get(citizen_, "/api/v1/me/access-log"));
  bool logged = false;
  for (const auto& e : log["entries"].as_array())
    logged |= e.as_object().at("purpose").as_string() == "konfirmasi lokasi";
  EXPECT_TRUE(logged);
}

TEST_P(ComplaintJourney, BadInputIsRefusedAndNothingIsStored) {
  auto count = [&] {
    auto rows = server_->runtime().database().query("SELECT COUNT(*) FROM complaints");
    return rows.ok() ? (*rows)[0].int64(0) : -1;
  };
  const int64_t before = count();
  auto send = [&](const std::string& token, const std::string& body,
                  const std::map<std::string, std::string>& headers = kJson) {
    return server_->send("POST", "/api/v1/complaints", body, bearer_headers(token, headers));
  };
  EXPECT_EQ(server_->send("POST", "/api/v1/complaints", "{}", kJson).status, 401);
  EXPECT_EQ(send(citizen_, "{\"category\":").status, 400);
  EXPECT_EQ(send(citizen_, "[1,2]").status, 400);
  EXPECT_EQ(send(citizen_, "category=x", {{"Content-Type", "text/plain"}}).status, 415);
  EXPECT_EQ(send(desk_, boost::json::serialize(report("sampah", "-7.63", "111.52"))).status, 403);

  auto expect_field = [&](boost::json::object body, const std::string& field) {
    auto r = send(citizen_, boost::json::serialize(body));
    EXPECT_EQ(r.status, 422) << field << ": " << r.body;
    EXPECT_TRUE(parse(r)["error"].as_object()["fields"].as_object().contains(field))
        << field << ": " << r.body;
  };
  auto b = report("", "-7.63", "111.52");
  expect_field(b, "category");
  expect_field(report("tidak-ada", "-7.63", "111.52"), "category");
  b = report("sampah", "-7.63", "111.52");
  b["description"] = "";
  expect_field(b, "description");
  b["description"] = std::string(4001, 'a');
  expect_field(b, "description");
  expect_field(report("sampah", "-6.2", "106.8"), "lat");  // Jakarta
  expect_field(report("sampah", "-7.63", ""), "lon");
  expect_field(report("sampah", "utara", "111.52"), "lat");
  b = report("sampah", "-7.63", "111.52");
  b["anonymous"] = "ya";
  expect_field(b, "anonymous");
  b = report("sampah", "-7.63", "111.52");
  b["lat"] = boost::json::array{};
  expect_field(b, "lat");
  b = report("sampah", "-7.63", "111.52");
  b["photos"] = boost::json::array{core::base64_encode("GIF89a not really")};
  expect_field(b, "photos");
  b["photos"] = boost::json::array{"!!not base64!!"};
  expect_field(b, "photos");
  b["photos"] =
      boost::json::array{core::base64_encode(tiny_png()), core::base64_encode(tiny_png()),
                         core::base64_encode(tiny_png()), core::base64_encode(tiny_png())};
  expect_field(b, "photos");
  // A photo over the limit is 413.
  b["photos"] = boost::json::array{core::base64_encode(tiny_png() + std::string(5'000'000, 'x'))};
  EXPECT_EQ(send(citizen_, boost::json::serialize(b)).status, 413);
  EXPECT_EQ(count(), before);

  // Someone else's report, unknown reports, wrong states.
  const std::string t = submit(citizen_, report("sampah", "-7.63", "111.52"));
  EXPECT_EQ(post(neighbour_, "/api/v1/complaints/" + t + "/comments", {{"text", "hai"}}).status,
            404);
  EXPECT_EQ(post(citizen_, "/api/v1/complaints/" + t + "/comments", {{"text", ""}}).status, 422);
  EXPECT_EQ(post(citizen_, "/api/v1/complaints/" + t + "/comments", {{"text", 5}}).status, 422);
  EXPECT_EQ(
      post(citizen_, "/api/v1/complaints/" + t + "/comments", {{"text", "Tambahan info."}}).status,
      200);
  EXPECT_EQ(post(citizen_, "/api/v1/complaints/" + t + "/confirm").status, 409);  // not resolved
  EXPECT_EQ(get("", "/api/v1/complaints/ADU-2026-999999").status, 404);
  EXPECT_EQ(get("", "/api/v1/complaints/../../etc").status, 404);
  EXPECT_EQ(post(desk_, "/api/v1/complaints/" + t + "/reject", {{"reason", "malas"}}).status, 422);
  ASSERT_EQ(post(desk_, "/api/v1/complaints/" + t + "/reject", {{"reason", "incomplete"}}).status,
            200);
  EXPECT_EQ(status_of(citizen_, t), "rejected");
  EXPECT_EQ(post(desk_, "/api/v1/complaints/" + t + "/verify").status, 409);
  EXPECT_EQ(get(citizen_, "/api/v1/complaints?status=bogus").status, 422);
  EXPECT_EQ(get(citizen_, "/api/v1/complaints?from=2026-13-01").status, 422);
  EXPECT_EQ(get(citizen_, "/api/v1/complaints?page_size=1000").status, 422);
  EXPECT_EQ(get(citizen_, "/api/v1/complaints/queue").status, 403);
}

TEST_P(ComplaintJourney, AnswerTemplatesBelongToTheAgency) {
  auto added =
      post(works_, "/api/v1/complaints/templates",
           {{"title", "Penambalan"}, {"body", "Lubang akan ditambal dalam 3 hari kerja."}});
  ASSERT_EQ(added.status, 201) << added.body;
  const std::string id(parse(added)["id"].as_string());
  EXPECT_NE(get(chief_, "/api/v1/complaints/templates").body.find("Penambalan"), std::string::npos);
  EXPECT_EQ(get(desk_, "/api/v1/complaints/templates").body.find("Penambalan"), std::string::npos);
  EXPECT_EQ(server_->send("DELETE", "/api/v1/complaints/templates/" + id, "", bearer_headers(desk_))
                .status,
            404);
  EXPECT_EQ(post(works_, "/api/v1/complaints/templates", {{"title", ""}, {"body", "x"}}).status,
            422);
  EXPECT_EQ(get(citizen_, "/api/v1/complaints/templates").status, 403);
  EXPECT_EQ(
      server_->send("DELETE", "/api/v1/complaints/templates/" + id, "", bearer_headers(works_))
          .status,
      200);
}

// Jakarta's way: the village office (kelurahan) of the report's place verifies first, when it
// is an agency; reports elsewhere still go to the desk.
TEST(ComplaintVillageVerification, TheVillageOfficeVerifiesItsVillagesReports) {
  ServerHarness server([](core::Config& c) { c.complaints.verification = "village"; });
  auto& app = server.runtime().app();
  auto* catalog = catalog::service_of(app);
  ASSERT_NE(catalog, nullptr);
  ASSERT_TRUE(
      catalog->save_agency({"kel-3577011001", {"Kelurahan Oro-oro Ombo", "Oro-oro Ombo"}}).ok());
  ASSERT_TRUE(app.security.accounts
                  .create(security::NewAccount{security::Role::officer, "kel-3577011001",
                                               "Lurah Oro-oro Ombo", "lurah@example.id",
                                               "sawah hijau di tepi desa"},
                          app.clock.now())
                  .ok());
  const std::string citizen = sign_in_bearer(server, kDemoCitizenLogin, kDemoCitizenPassword);
  const std::string village =
      sign_in_bearer(server, "lurah@example.id", "sawah hijau di tepi desa");
  const std::string desk =
      sign_in_bearer(server, "aduan@demo.balai.id", "nasi pecel pincuk daun pisang");
  auto submit = [&](const std::string& village_code) {
    auto r = server.send("POST", "/api/v1/complaints",
                         boost::json::serialize(report("jalan-rusak", "", "", village_code)),
                         bearer_headers(citizen, kJson));
    EXPECT_EQ(r.status, 201) << r.body;
    return std::string(parse(r)["tracking"].as_string());
  };
  const std::string here = submit("35.77.01.1001");
  const std::string elsewhere = submit("35.77.01.1002");  // no village office in the catalog
  auto verifier_of = [&](const std::string& t) {
    return std::string(
        parse(server.get("/api/v1/complaints/" + t, bearer_headers(citizen)))["verifier"]
            .as_string());
  };
  EXPECT_EQ(verifier_of(here), "kel-3577011001");
  EXPECT_EQ(verifier_of(elsewhere), "diskominfo");
  auto verify = [&](const std::string& token, const std::string& t) {
    return server.send("POST", "/api/v1/complaints/" + t + "/verify", "{}",
                       bearer_headers(token, kJson));
  };
  EXPECT_EQ(verify(desk, here).status, 403);
  EXPECT_EQ(verify(village, elsewhere).status, 403);
  ASSERT_EQ(verify(village, here).status, 200);
  EXPECT_EQ(parse(server.get("/api/v1/complaints/" + here))["agency"].as_string(), "dpupr");
  ASSERT_EQ(verify(desk, elsewhere).status, 200);
}

INSTANTIATE_TEST_SUITE_P(Backends, ComplaintJourney, ::testing::ValuesIn(test_database_backends()),
                         backend_test_name);

}  // namespace
}  // namespace balai::testing
