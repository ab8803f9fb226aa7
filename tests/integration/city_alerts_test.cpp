// The city's alerts over real HTTP on both backends: a water level past the flood rule raises
// a public alert, the district's watchers are told by email (the development outbox), the
// agency's officer acknowledges it, and the level falling below the clear threshold resolves
// it; and every way to get it wrong (no session, wrong role, another agency, malformed bodies,
// unknown ids, bad districts, duplicates) gets its own answer.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <thread>

#include "modules/city/alert_service.h"
#include "modules/city/service.h"
#include "modules/notify/outbox.h"
#include "security/accounts.h"
#include "security/api_tokens.h"
#include "support/auth_helpers.h"
#include "support/browser.h"
#include "support/databases.h"
#include "support/server_harness.h"

namespace balai::testing {
namespace {

using Headers = std::map<std::string, std::string>;

boost::json::object parse(const HttpReply& r) {
  boost::system::error_code ec;
  auto v = boost::json::parse(r.body, ec);
  return !ec && v.is_object() ? v.as_object() : boost::json::object{};
}

// The fields an API error names.
std::string error_fields(const HttpReply& r) {
  const auto body = parse(r);
  std::string out;
  if (const auto* e = body.if_contains("error"); e && e->is_object())
    if (const auto* f = e->as_object().if_contains("fields"); f && f->is_object())
      for (const auto& [name, message] : f->as_object())
        out += (out.empty() ? "" : ",") + std::string(name);
  return out;
}

class CityAlerts : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!database_backend_available(GetParam()))
      GTEST_SKIP() << "set BALAI_TEST_PG to run on PostgreSQL";
    database_ = std::make_unique<TempDatabase>(GetParam());
    const std::string url = GetParam() == "sqlite" ? std::string{} : database_->url();
    server_ =
        std::make_unique<ServerHarness>([](core::Config& c) { c.notify.dev_outbox = true; }, url);
    auto river = context().add_device("WaterLevelObserved", "kali-madiun-01", "dpupr");
    ASSERT_TRUE(river.ok()) << river.error().message;
    river_ = river->token;
    auto token = server_->runtime().security().tokens.create(
        security::NewApiToken{"NGSI bridge", security::Role::integrator, "", {}},
        app().clock.now());
    ASSERT_TRUE(token.ok());
    integrator_ = token->token;
    admin_ = sign_in_bearer(*server_, kDemoAdminLogin, kDemoAdminPassword);
    citizen_ = sign_in_bearer(*server_, kDemoCitizenLogin, kDemoCitizenPassword);
    works_ = sign_in_bearer(*server_, "pupr@demo.balai.id", "jalan mulus aspal baru hitam");
    dukcapil_ = sign_in_bearer(*server_, kDemoOfficerLogin, kDemoOfficerPassword);
  }
  void TearDown() override {
    server_.reset();
    database_.reset();
  }

  app::App& app() { return server_->runtime().app(); }
  city::ContextService& context() { return city::service_of(app()); }

  HttpReply call(const std::string& token, const std::string& method, const std::string& target,
                 const std::string& body = {}, Headers headers = {}) {
    if (!token.empty()) headers["Authorization"] = "Bearer " + token;
    if (!body.empty() && !headers.contains("Content-Type"))
      headers["Content-Type"] = "application/json";
    return server_->send(method, target, body, headers);
  }
  HttpReply get(const std::string& token, const std::string& target) {
    return call(token, "GET", target);
  }

  // The river gauge's level, as the device sends it; evaluated before returning.
  void level(double cm) {
    const auto r = call(river_, "POST", "/api/v1/city/readings",
                        R"({"readings":[{"entity":"kali-madiun-01","attr":"waterLevel","value":)" +
                            std::to_string(cm) + "}]}");
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_EQ(parse(r).at("accepted").as_int64(), 1) << r.body;
    city::alert_service_of(app()).drain();
  }

  // The gauge's kecamatan, as an integrator writes it (NGSI-v2).
  void place_river_in(const std::string& district) {
    const auto r = call(integrator_, "POST", "/v2/entities/kali-madiun-01/attrs",
                        R"({"district":{"type":"Text","value":")" + district + R"("}})");
    ASSERT_EQ(r.status, 204) << r.body;
  }

  // The flood rule without its 5-minute wait, through the administrators' API (the server runs
  // on the real clock).
  void flood_rule_at_once() {
    auto rules = parse(get(admin_, "/api/v1/city/alert-rules"));
    ASSERT_TRUE(rules.contains("rules"));
    for (auto& r : rules.at("rules").as_array())
      if (r.at("id").as_string() == "banjir-siaga") r.as_object()["durationMs"] = 0;
    const auto put = call(admin_, "PUT", "/api/v1/city/alert-rules", boost::json::serialize(rules));
    ASSERT_EQ(put.status, 200) << put.body;
  }

  boost::json::array public_alerts(const std::string& query = "") {
    const auto r = get("", "/api/v1/city/alerts" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    auto body = parse(r);
    return body.contains("alerts") ? body.at("alerts").as_array() : boost::json::array{};
  }

  boost::json::array staff_alerts(const std::string& token, const std::string& status) {
    const auto r = get(token, "/api/v1/city/alerts?status=" + status);
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("cache-control"), "no-store");
    auto body = parse(r);
    return body.contains("alerts") ? body.at("alerts").as_array() : boost::json::array{};
  }

  std::string alert_path(int64_t id, const std::string& action) {
    return "/api/v1/city/alerts/" + std::to_string(id) + "/" + action;
  }

  // A raised flood alert's id.
  int64_t raise_flood() {
    flood_rule_at_once();
    level(162);
    auto alerts = public_alerts();
    EXPECT_EQ(alerts.size(), 1u);
    return alerts.empty() ? 0 : alerts[0].at("id").as_int64();
  }

  // The development outbox's messages of `kind`, waiting for delivery with a deadline.
  std::vector<boost::json::object> outbox(const std::string& kind) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    std::vector<boost::json::object> found;
    do {
      EXPECT_TRUE(app().outbox.deliver_due().ok());
      found.clear();
      const auto messages = parse(server_->get("/api/v1/dev/outbox"));
      for (const auto& m : messages.at("messages").as_array())
        if (m.as_object().at("kind").as_string() == kind) found.push_back(m.as_object());
      if (!found.empty()) return found;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    } while (std::chrono::steady_clock::now() < deadline);
    return found;
  }

  std::unique_ptr<TempDatabase> database_;
  std::unique_ptr<ServerHarness> server_;
  std::string river_, integrator_, admin_, citizen_, works_, dukcapil_;
};

TEST_P(CityAlerts, FromAFloodWarningToItsEndWithTheDistrictTold) {
  place_river_in("35.77.01");
  const auto watch =
      call(citizen_, "POST", "/api/v1/me/city/alert-districts", R"({"district":"35.77.01"})");
  ASSERT_EQ(watch.status, 201) << watch.body;
  EXPECT_EQ(parse(watch).at("name").as_string(), "Kartoharjo");
  flood_rule_at_once();

  level(149);
  EXPECT_TRUE(public_alerts().empty());
  level(162.5);

  // Everyone sees it, in their language.
  auto alerts = public_alerts();
  ASSERT_EQ(alerts.size(), 1u);
  const auto& a = alerts[0].as_object();
  const int64_t id = a.at("id").as_int64();
  EXPECT_EQ(a.at("rule").as_string(), "banjir-siaga");
  EXPECT_EQ(a.at("severity").as_string(), "danger");
  EXPECT_EQ(a.at("entity").at("id").as_string(), "kali-madiun-01");
  EXPECT_EQ(a.at("entity").at("type").as_string(), "WaterLevelObserved");
  EXPECT_EQ(a.at("attr").as_string(), "waterLevel");
  EXPECT_EQ(a.at("value").to_number<double>(), 162.5);
  EXPECT_EQ(a.at("threshold").to_number<double>(), 150);
  EXPECT_EQ(a.at("district").as_string(), "35.77.01");
  EXPECT_EQ(a.at("title").as_string(), "Peringatan banjir");
  EXPECT_EQ(a.at("status").as_string(), "active");
  EXPECT_TRUE(core::parse_iso8601(a.at("raisedAt").as_string()).has_value());
  EXPECT_EQ(public_alerts("?lang=en").at(0).at("title").as_string(), "Flood warning");

  // The watcher is told, in Indonesian first.
  const auto told = outbox("city.alert_raised");
  ASSERT_EQ(told.size(), 1u);
  EXPECT_EQ(told[0].at("to").as_string(), kDemoCitizenLogin);
  const std::string body(told[0].at("body").as_string());
  EXPECT_NE(body.find("Kecamatan Kartoharjo"), std::string::npos) << body;
  EXPECT_LT(body.find("Peringatan banjir"), body.find("Flood warning")) << body;

  // The agency that owns the gauge acknowledges it, once.
  const auto ack =
      call(works_, "POST", alert_path(id, "acknowledge"), R"({"note":"Tim menuju lokasi"})");
  ASSERT_EQ(ack.status, 200) << ack.body;
  EXPECT_EQ(parse(ack).at("status").as_string(), "acknowledged");
  EXPECT_FALSE(parse(ack).at("acknowledgedBy").is_null());
  EXPECT_EQ(call(works_, "POST", alert_path(id, "acknowledge")).status, 409);
  EXPECT_EQ(public_alerts().at(0).at("status").as_string(), "acknowledged");

  // Still above the clear level: still open; below it: resolved by itself.
  level(141);
  EXPECT_EQ(public_alerts().size(), 1u);
  level(139);
  EXPECT_TRUE(public_alerts().empty());
  const auto resolved = staff_alerts(works_, "resolved");
  ASSERT_EQ(resolved.size(), 1u);
  EXPECT_EQ(resolved[0].at("id").as_int64(), id);
  EXPECT_EQ(resolved[0].at("status").as_string(), "resolved");
  EXPECT_TRUE(resolved[0].at("resolvedBy").is_null());
  EXPECT_EQ(resolved[0].at("note").as_string(), "Tim menuju lokasi");
  EXPECT_EQ(outbox("city.alert_resolved").size(), 1u);

  // A resolved alert takes no more steps.
  EXPECT_EQ(call(works_, "POST", alert_path(id, "resolve")).status, 409);
  EXPECT_EQ(call(works_, "POST", alert_path(id, "acknowledge")).status, 409);
}

TEST_P(CityAlerts, AStaffOnlyAlertReachesNeitherThePublicNorTheDistrictsCitizens) {
  place_river_in("35.77.01");
  ASSERT_EQ(call(citizen_, "POST", "/api/v1/me/city/alert-districts", R"({"district":"35.77.01"})")
                .status,
            201);
  auto rules = parse(get(admin_, "/api/v1/city/alert-rules"));
  for (auto& r : rules.at("rules").as_array()) {
    if (r.at("id").as_string() != "banjir-siaga") continue;
    r.as_object()["durationMs"] = 0;
    r.as_object()["public"] = false;
  }
  ASSERT_EQ(call(admin_, "PUT", "/api/v1/city/alert-rules", boost::json::serialize(rules)).status,
            200);
  level(170);
  ASSERT_EQ(staff_alerts(works_, "open").size(), 1u);
  EXPECT_TRUE(public_alerts().empty());
  // Nothing for the watcher (FromAFloodWarningToItsEndWithTheDistrictTold shows the same
  // watcher mailed when the rule is public).
  ASSERT_TRUE(app().outbox.deliver_due().ok());
  const auto messages = parse(server_->get("/api/v1/dev/outbox"));
  for (const auto& m : messages.at("messages").as_array())
    EXPECT_NE(m.at("kind").as_string(), "city.alert_raised") << m;
}

TEST_P(CityAlerts, StaffResolveAnAlertByHand) {
  place_river_in("35.77.01.1001");  // a village: its kecamatan is the alert's district
  ASSERT_EQ(call(citizen_, "POST", "/api/v1/me/city/alert-districts", R"({"district":"35.77.01"})")
                .status,
            201);
  const int64_t id = raise_flood();
  EXPECT_EQ(public_alerts().at(0).at("district").as_string(), "35.77.01");
  const auto done = call(admin_, "POST", alert_path(id, "resolve"), R"({"note":"Sensor rusak"})");
  ASSERT_EQ(done.status, 200) << done.body;
  const auto body = parse(done);
  EXPECT_EQ(body.at("status").as_string(), "resolved");
  EXPECT_FALSE(body.at("resolvedBy").is_null());
  EXPECT_TRUE(body.at("acknowledgedAt").is_null());
  EXPECT_EQ(body.at("note").as_string(), "Sensor rusak");
  EXPECT_TRUE(public_alerts().empty());
  EXPECT_EQ(staff_alerts(admin_, "all").size(), 1u);
  EXPECT_TRUE(staff_alerts(admin_, "open").empty());
  EXPECT_EQ(outbox("city.alert_resolved").size(), 1u);
}

TEST_P(CityAlerts, OnlyTheAgencysStaffAndAdministratorsHandleAnAlert) {
  const int64_t id = raise_flood();
  EXPECT_EQ(call("", "POST", alert_path(id, "acknowledge")).status, 401);
  EXPECT_EQ(call(citizen_, "POST", alert_path(id, "acknowledge")).status, 403);
  EXPECT_EQ(call(citizen_, "POST", alert_path(id, "resolve")).status, 403);
  EXPECT_EQ(call(dukcapil_, "POST", alert_path(id, "acknowledge")).status, 403);
  EXPECT_EQ(call(integrator_, "POST", alert_path(id, "resolve")).status, 403);
  EXPECT_EQ(public_alerts().at(0).at("status").as_string(), "active");

  // Lists: staff see their agency's alerts, administrators every alert, others none.
  EXPECT_EQ(get("", "/api/v1/city/alerts?status=all").status, 401);
  EXPECT_EQ(get(citizen_, "/api/v1/city/alerts?status=all").status, 403);
  EXPECT_EQ(staff_alerts(works_, "all").size(), 1u);
  EXPECT_TRUE(staff_alerts(dukcapil_, "all").empty());
  EXPECT_EQ(staff_alerts(admin_, "open").size(), 1u);
  const auto bad = get(admin_, "/api/v1/city/alerts?status=semua");
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(error_fields(bad), "status");
  EXPECT_EQ(get(admin_, "/api/v1/city/alerts?status=all&limit=0").status, 422);
}

TEST_P(CityAlerts, StaffActionsRefuseMalformedBodiesAndUnknownAlerts) {
  const int64_t id = raise_flood();
  const std::string ack = alert_path(id, "acknowledge");
  EXPECT_EQ(call(works_, "POST", ack, "{\"note\":").status, 400);
  EXPECT_EQ(call(works_, "POST", ack, "[]").status, 400);
  EXPECT_EQ(call(works_, "POST", ack, "catatan", {{"Content-Type", "text/plain"}}).status, 415);
  const auto wrong_type = call(works_, "POST", ack, R"({"note":5})");
  EXPECT_EQ(wrong_type.status, 422);
  EXPECT_EQ(error_fields(wrong_type), "note");
  const auto too_long =
      call(works_, "POST", ack, R"({"note":")" + std::string(1'001, 'a') + R"("})");
  EXPECT_EQ(too_long.status, 422);
  EXPECT_EQ(error_fields(too_long), "note");
  EXPECT_EQ(call(works_, "POST", ack, R"({"note":")" + std::string(9'000, 'a') + R"("})").status,
            413);
  // The caller is checked before the body.
  EXPECT_EQ(call("", "POST", ack, "{\"note\":").status, 401);
  EXPECT_EQ(call(citizen_, "POST", ack, "catatan", {{"Content-Type", "text/plain"}}).status, 403);
  EXPECT_EQ(public_alerts().at(0).at("status").as_string(), "active");

  EXPECT_EQ(call(admin_, "POST", alert_path(id + 1, "acknowledge")).status, 404);
  EXPECT_EQ(call(admin_, "POST", "/api/v1/city/alerts/99999999999999999999/resolve").status, 404);
  EXPECT_EQ(call(admin_, "POST", "/api/v1/city/alerts/banjir/resolve").status, 404);
}

TEST_P(CityAlerts, OnlyAdministratorsSeeAndChangeTheRules) {
  EXPECT_EQ(get("", "/api/v1/city/alert-rules").status, 401);
  EXPECT_EQ(get(citizen_, "/api/v1/city/alert-rules").status, 403);
  EXPECT_EQ(get(works_, "/api/v1/city/alert-rules").status, 403);
  const auto rules = get(admin_, "/api/v1/city/alert-rules");
  ASSERT_EQ(rules.status, 200);
  EXPECT_EQ(rules.header("cache-control"), "no-store");
  EXPECT_EQ(parse(rules).at("rules").as_array().size(), 3u);
  EXPECT_EQ(call(works_, "PUT", "/api/v1/city/alert-rules", rules.body).status, 403);
  EXPECT_EQ(call(citizen_, "PUT", "/api/v1/city/alert-rules", rules.body).status, 403);
  EXPECT_EQ(call("", "PUT", "/api/v1/city/alert-rules", rules.body).status, 401);
}

TEST_P(CityAlerts, TheRulesApiNamesEveryBadField) {
  const std::string path = "/api/v1/city/alert-rules";
  auto rules = parse(get(admin_, path));
  auto put = [&](const boost::json::value& body) {
    return call(admin_, "PUT", path, boost::json::serialize(body));
  };
  EXPECT_EQ(call(admin_, "PUT", path, "{\"rules\":[").status, 400);
  EXPECT_EQ(put(boost::json::object{{"rules", "semua"}}).status, 400);

  auto with = [&](auto change) {
    auto copy = rules;
    change(copy.at("rules").as_array().at(0).as_object());
    return copy;
  };
  const auto wrong_type = put(with([](auto& r) { r["threshold"] = "tinggi"; }));
  EXPECT_EQ(wrong_type.status, 422);
  EXPECT_EQ(error_fields(wrong_type), "rules[0].threshold");
  const auto missing = put(with([](auto& r) { r.erase("name"); }));
  EXPECT_EQ(error_fields(missing), "rules[0].name");
  const auto unsafe_clear = put(with([](auto& r) { r["clearThreshold"] = 160; }));
  EXPECT_EQ(unsafe_clear.status, 422);
  EXPECT_EQ(error_fields(unsafe_clear), "rules[0].clearThreshold");
  const auto negative = put(with([](auto& r) { r["durationMs"] = -1; }));
  EXPECT_EQ(error_fields(negative), "rules[0].durationMs");
  for (const char* bad : {"", "bahaya"}) {
    const auto severity = put(with([&](auto& r) { r["severity"] = bad; }));
    EXPECT_EQ(severity.status, 422) << "severity \"" << bad << "\"";
    EXPECT_EQ(error_fields(severity), "rules[0].severity");
  }

  auto twice = rules;
  twice.at("rules").as_array().push_back(twice.at("rules").as_array().at(0));
  const auto duplicate = put(twice);
  EXPECT_EQ(duplicate.status, 422);
  EXPECT_EQ(error_fields(duplicate), "rules[3].id");

  boost::json::array many;
  for (int i = 0; i < 2'000; ++i) many.push_back(rules.at("rules").as_array().at(0));
  EXPECT_EQ(put(boost::json::object{{"rules", many}}).status, 413);

  // Nothing of it was stored.
  EXPECT_EQ(parse(get(admin_, path)), rules);
}

TEST_P(CityAlerts, ACitizenFollowsTheCitysDistrictsOnly) {
  const std::string path = "/api/v1/me/city/alert-districts";
  EXPECT_EQ(call(citizen_, "POST", path, R"({"district":"35.77.02"})").status, 201);
  EXPECT_EQ(call(citizen_, "POST", path, R"({"district":"35.77.02"})").status, 409);
  for (const char* bad : {"99.99.99", "35.77", "35.77.01.1001", "35.78.01", ""}) {
    const auto r = call(citizen_, "POST", path, std::string(R"({"district":")") + bad + "\"}");
    EXPECT_EQ(r.status, 422) << bad;
    EXPECT_EQ(error_fields(r), "district") << bad;
  }
  const auto missing = call(citizen_, "POST", path, "{}");
  EXPECT_EQ(missing.status, 422);
  EXPECT_EQ(error_fields(missing), "district");
  EXPECT_EQ(call(citizen_, "POST", path, R"({"district":3577})").status, 422);
  EXPECT_EQ(call(citizen_, "POST", path, R"({"district":)").status, 400);
  EXPECT_EQ(call(citizen_, "POST", path, "35.77.01", {{"Content-Type", "text/plain"}}).status, 415);

  const auto mine = get(citizen_, path);
  ASSERT_EQ(mine.status, 200);
  EXPECT_EQ(mine.header("cache-control"), "no-store");
  const auto districts = parse(mine).at("districts").as_array();
  ASSERT_EQ(districts.size(), 1u);
  EXPECT_EQ(districts[0].at("code").as_string(), "35.77.02");

  // Another citizen's list is their own.
  auto created = app().security.accounts.create(
      security::NewAccount{security::Role::citizen, "", "Tetangga Baik", "tetangga@example.id",
                           "rumah joglo di pinggir sawah"},
      app().clock.now());
  ASSERT_TRUE(created.ok());
  const auto neighbour =
      sign_in_bearer(*server_, "tetangga@example.id", "rumah joglo di pinggir sawah");
  EXPECT_TRUE(parse(get(neighbour, path)).at("districts").as_array().empty());
  EXPECT_EQ(call(neighbour, "DELETE", path, R"({"district":"35.77.02"})").status, 404);

  EXPECT_EQ(call(citizen_, "DELETE", path, R"({"district":"35.77.02"})").status, 204);
  EXPECT_EQ(call(citizen_, "DELETE", path, R"({"district":"35.77.02"})").status, 404);
  EXPECT_TRUE(parse(get(citizen_, path)).at("districts").as_array().empty());
}

TEST_P(CityAlerts, OnlySignedInCitizensFollowDistricts) {
  const std::string path = "/api/v1/me/city/alert-districts";
  EXPECT_EQ(get("", path).status, 401);
  EXPECT_EQ(call("", "POST", path, R"({"district":"35.77.01"})").status, 401);
  EXPECT_EQ(call("", "DELETE", path, R"({"district":"35.77.01"})").status, 401);
  EXPECT_EQ(get(works_, path).status, 403);
  EXPECT_EQ(call(admin_, "POST", path, R"({"district":"35.77.01"})").status, 403);
  EXPECT_EQ(call(river_, "POST", path, R"({"district":"35.77.01"})").status, 403);
}

TEST_P(CityAlerts, ACookieSessionNeedsItsFormTokenToFollowADistrict) {
  Browser browser(*server_);
  browser.set_cookie(Browser::kSessionCookie,
                     sign_in_bearer(*server_, kDemoCitizenLogin, kDemoCitizenPassword));
  const std::string path = "/api/v1/me/city/alert-districts";
  const Headers json{{"Content-Type", "application/json"}};
  EXPECT_EQ(browser.send("POST", path, R"({"district":"35.77.01"})", json).status, 403);
  ASSERT_EQ(browser.get("/pengaduan/baru").status, 200);
  ASSERT_FALSE(browser.csrf().empty());
  Headers with_token = json;
  with_token["X-CSRF-Token"] = browser.csrf();
  EXPECT_EQ(browser.send("POST", path, R"({"district":"35.77.01"})", with_token).status, 201);
  EXPECT_EQ(browser.send("DELETE", path, R"({"district":"35.77.01"})", json).status, 403);
  EXPECT_EQ(parse(browser.get(path)).at("districts").as_array().size(), 1u);
}

TEST_P(CityAlerts, AnAlertOutsideAWatchedDistrictTellsNobody) {
  place_river_in("35.77.02");
  ASSERT_EQ(call(citizen_, "POST", "/api/v1/me/city/alert-districts", R"({"district":"35.77.01"})")
                .status,
            201);
  raise_flood();
  EXPECT_EQ(public_alerts().at(0).at("district").as_string(), "35.77.02");
  ASSERT_TRUE(app().outbox.deliver_due().ok());
  const auto messages = parse(server_->get("/api/v1/dev/outbox"));
  for (const auto& m : messages.at("messages").as_array())
    EXPECT_NE(m.at("kind").as_string(), "city.alert_raised");
}

INSTANTIATE_TEST_SUITE_P(Backends, CityAlerts, ::testing::ValuesIn(test_database_backends()),
                         backend_test_name);

}  // namespace
}  // namespace balai::testing
