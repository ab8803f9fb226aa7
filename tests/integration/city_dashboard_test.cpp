// The live city dashboard /kota over real HTTP on each database backend, as a browser without
// JavaScript and a screen reader get it: one table of every public sensor (caption, column and
// row headers, values with units, the words for each state, the time observed on the city's
// clock) in Bahasa Indonesia and in English; active public alerts; incidents for staff only;
// entity values escaped; the demo seed; unknown paths and methods refused.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <regex>

#include "core/time.h"
#include "modules/city/alert_service.h"
#include "modules/city/demo.h"
#include "modules/city/service.h"
#include "security/api_tokens.h"
#include "support/browser.h"
#include "support/databases.h"
#include "support/server_harness.h"

namespace balai::testing {
namespace {

const security::Actor kAdmin{
    "test-admin", security::Role::admin, "", security::AuthMethod::session, "", {}};

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

size_t count(const std::string& text, std::string_view part) {
  size_t n = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

class CityDashboard : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!database_backend_available(GetParam()))
      GTEST_SKIP() << "set BALAI_TEST_PG to run on PostgreSQL";
    database_ = std::make_unique<TempDatabase>(GetParam());
    const std::string url = GetParam() == "sqlite" ? std::string{} : database_->url();
    server_ = std::make_unique<ServerHarness>([](core::Config&) {}, url, /*seed_demo=*/false);
  }
  void TearDown() override {
    server_.reset();
    database_.reset();
  }

  app::App& app() { return server_->runtime().app(); }
  city::ContextService& context() { return city::service_of(app()); }
  int64_t now() { return app().clock.now().ms; }

  void add(const std::string& id, const std::string& type, const std::string& name,
           std::map<std::string, city::Attribute> extra = {}) {
    city::EntityChange c;
    c.id = id;
    c.type = type;
    c.attrs = std::move(extra);
    c.attrs["name"] = city::Attribute{"Text", boost::json::value(name), {}};
    c.attrs["location"] = city::Attribute{"geo:point", boost::json::value("-7.6300, 111.5200"), {}};
    auto created = context().create(kAdmin, {}, c, false);
    ASSERT_TRUE(created.ok()) << created.error().message;
  }

  void read(const std::string& id, const std::string& attr, boost::json::value value,
            int64_t observed_ms) {
    auto report =
        context().ingest(kAdmin, {city::Reading{id, attr, std::move(value), "", observed_ms}});
    ASSERT_TRUE(report.ok()) << report.error().message;
    ASSERT_EQ(report->accepted, 1) << (report->refused.empty() ? "" : report->refused[0].message);
  }

  // A small city: a busy road, a rainy station, a high river, an air station, a panic button.
  void small_city(int64_t at) {
    add("jalan-pahlawan", "TrafficFlowObserved", "Jl. Pahlawan",
        {{"freeFlowSpeed", city::Attribute{"Number", boost::json::value(40), {}}}});
    read("jalan-pahlawan", "averageVehicleSpeed", 14.0, at);  // 35% of 40: padat
    read("jalan-pahlawan", "intensity", 1234, at);
    read("jalan-pahlawan", "occupancy", 0.42, at);
    add("cuaca-balai-kota", "WeatherObserved", "Stasiun Cuaca Balai Kota");
    read("cuaca-balai-kota", "temperature", 27.5, at);
    read("cuaca-balai-kota", "precipitation", 12.5, at);  // hujan lebat
    add("kali-madiun-hilir", "WaterLevelObserved", "Kali Madiun Hilir",
        {{"alertLevels",
          city::Attribute{"StructuredValue",
                          boost::json::object{{"waspada", 140}, {"siaga", 170}, {"awas", 200}},
                          {}}}});
    read("kali-madiun-hilir", "waterLevel", 175, at);  // siaga
    add("udara-alun-alun", "AirQualityObserved", "Stasiun Udara Alun-alun");
    read("udara-alun-alun", "ispu", 72, at);  // sedang
    read("udara-alun-alun", "pm25", 31.4, at);
    add("panik-alun-alun", "SecurityIncident", "Tombol Darurat Alun-alun");
    read("panik-alun-alun", "severity", "high", at);
    read("panik-alun-alun", "category", "panic", at);
  }

  // "14.05 WIB" ("14:05 WIB" in English) of a time on the city's clock.
  std::string clock_text(int64_t ms, std::string_view lang = "id") {
    const auto local = core::to_local_time(core::Timestamp{ms}, app().config.city.zone);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d%s%02d", local.hour, lang == "en" ? ":" : ".",
                  local.minute);
    return std::string(buf) + " WIB";
  }

  std::unique_ptr<TempDatabase> database_;
  std::unique_ptr<ServerHarness> server_;
};

TEST_P(CityDashboard, ShowsEveryPublicSensorInOneAccessibleTableInIndonesian) {
  const int64_t at = now() - 5 * 60'000;
  small_city(at);
  const auto r = server_->get("/kota");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(contains(r.header("content-type"), "text/html"));
  EXPECT_TRUE(contains(r.body, "<html lang=\"id\">"));
  EXPECT_TRUE(contains(r.body, "<h1 class=\"heading-xl\">Kota Hari Ini</h1>"));
  // A table a screen reader can walk: caption, column headers, one row header per sensor.
  EXPECT_TRUE(contains(r.body, "<caption"));
  EXPECT_EQ(count(r.body, "<th scope=\"col\">"), 5u);
  EXPECT_EQ(count(r.body, "<th scope=\"row\">"), 4u) << "the four public sensors";
  for (const char* name :
       {"Jl. Pahlawan", "Stasiun Cuaca Balai Kota", "Kali Madiun Hilir", "Stasiun Udara Alun-alun"})
    EXPECT_TRUE(contains(r.body, std::string("<th scope=\"row\">") + name + "</th>")) << name;
  // Values with their units in Indonesian writing, and the words for each state.
  EXPECT_TRUE(contains(r.body, "<b>1.234</b> kendaraan/jam</li>"));
  EXPECT_TRUE(contains(r.body, "<b>14</b> km/jam</li>"));
  EXPECT_TRUE(contains(r.body, "<b>42</b> %</li>"));
  EXPECT_TRUE(contains(r.body, "<b>27,5</b> °C</li>"));
  EXPECT_TRUE(contains(r.body, "<b>175</b> cm</li>"));
  EXPECT_TRUE(contains(r.body, "<b>31</b> µg/m³</li>"));
  EXPECT_TRUE(contains(r.body, "<span data-level-words>Padat</span>"));
  EXPECT_TRUE(contains(r.body, "<span data-level-words>Hujan lebat</span>"));
  EXPECT_TRUE(contains(r.body, "<span data-level-words>Siaga</span>"));
  EXPECT_TRUE(contains(r.body, "<span data-level-words>ISPU 72, Sedang</span>"));
  EXPECT_TRUE(contains(r.body, "fill=\"#0072bc\"")) << "ISPU sedang's colour, beside its words";
  // The time observed on the city's clock, machine-readable too.
  EXPECT_TRUE(contains(r.body, clock_text(at) + "</time>")) << clock_text(at);
  EXPECT_TRUE(std::regex_search(r.body, std::regex("<time datetime=\"[0-9T:.-]+\\+07:00\"")));
  // Incidents are not for everyone; the page says nothing of them.
  EXPECT_FALSE(contains(r.body, "Tombol Darurat"));
  EXPECT_FALSE(contains(r.body, "data-entity=\"panik-alun-alun\""));
}

TEST_P(CityDashboard, SpeaksEnglishOnRequest) {
  const int64_t at = now() - 60'000;
  small_city(at);
  const auto r = server_->get("/kota?lang=en");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(contains(r.body, "<html lang=\"en\">"));
  EXPECT_TRUE(contains(r.body, "<h1 class=\"heading-xl\">City Now</h1>"));
  EXPECT_TRUE(contains(r.body, "Water level <b>175</b> cm</li>"));
  EXPECT_TRUE(contains(r.body, "<b>1,234</b> vehicles/h</li>"));
  EXPECT_TRUE(contains(r.body, "<span data-level-words>Heavy</span>"));
  EXPECT_TRUE(contains(r.body, "<span data-level-words>Heavy rain</span>"));
  EXPECT_TRUE(contains(r.body, "<span data-level-words>Warning (Siaga)</span>"));
  EXPECT_TRUE(contains(r.body, "<span data-level-words>ISPU 72, Moderate</span>"));
  EXPECT_TRUE(contains(r.body, clock_text(at, "en") + "</time>"));
  EXPECT_FALSE(contains(r.body, "Kota Hari Ini</h1>"));
}

TEST_P(CityDashboard, WorksWithoutJavaScriptAndLoadsScriptsOnlyFromFiles) {
  small_city(now());
  const auto r = server_->get("/kota");
  ASSERT_EQ(r.status, 200);
  // Everything a reader needs is in the HTML; the map and charts start hidden (JavaScript
  // reveals them), so nothing empty is shown without it.
  EXPECT_TRUE(contains(r.body, "<table class=\"table kota-table\""));
  EXPECT_TRUE(contains(r.body, "data-kota-map-section hidden"));
  EXPECT_TRUE(contains(r.body, "data-kota-charts-section hidden"));
  // No inline script or style (the CSP forbids them): every script has a source.
  EXPECT_FALSE(std::regex_search(r.body, std::regex("<script(?![^>]*\\bsrc=)")));
  EXPECT_FALSE(contains(r.body, "style=\""));
  EXPECT_TRUE(contains(r.body, "/static/js/kota."));
  EXPECT_TRUE(contains(r.body, "/static/vendor/leaflet/leaflet."));
  EXPECT_TRUE(contains(r.header("content-security-policy"), "script-src 'self'"));
  // The live parts name what they read: the stream limited to the shown types.
  EXPECT_TRUE(contains(r.body,
                       "data-types=\"TrafficFlowObserved,WeatherObserved,"
                       "WaterLevelObserved,AirQualityObserved\""));
  // The scripts it links are served.
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.body, m, std::regex("src=\"(/static/js/kota[^\"]+)\"")));
  EXPECT_EQ(server_->get(m[1]).status, 200);
  ASSERT_TRUE(std::regex_search(r.body, m, std::regex("href=\"(/static/css/kota[^\"]+)\"")));
  EXPECT_EQ(server_->get(m[1]).status, 200);
}

TEST_P(CityDashboard, EscapesWhatSensorsAndIntegratorsWrote) {
  add("jalan-x", "TrafficFlowObserved", "<script>alert(1)</script> & \"Jl. X\"");
  read("jalan-x", "averageVehicleSpeed", 33.0, now());
  add("udara-x", "AirQualityObserved", "Udara <img src=x onerror=alert(2)>");
  read("udara-x", "pm25", 40.0, now());
  const auto r = server_->get("/kota");
  ASSERT_EQ(r.status, 200);
  EXPECT_FALSE(contains(r.body, "<script>alert(1)"));
  EXPECT_FALSE(contains(r.body, "<img src=x"));
  EXPECT_TRUE(contains(r.body, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Jl. X&quot;"));
  EXPECT_TRUE(contains(r.body, "Udara &lt;img src=x onerror=alert(2)&gt;"));
  // A station without an index: an indication from its concentration, with the pollutant.
  EXPECT_TRUE(contains(r.body, "ISPU 81, Sedang (PM2.5)")) << "PM2.5 40 µg/m³";
}

TEST_P(CityDashboard, ShowsIncidentsToStaffOnlyAndThenIsNotStored) {
  small_city(now());
  auto token = server_->runtime().security().tokens.create(
      security::NewApiToken{"command centre", security::Role::integrator, "", {}},
      app().clock.now());
  ASSERT_TRUE(token.ok());
  const auto staff = server_->get("/kota", {{"Authorization", "Bearer " + token->token}});
  ASSERT_EQ(staff.status, 200);
  EXPECT_TRUE(contains(staff.body, "<th scope=\"row\">Tombol Darurat Alun-alun</th>"));
  EXPECT_TRUE(contains(staff.body, "<b>Tombol darurat ditekan</b>"));
  EXPECT_TRUE(contains(staff.body, "<span data-level-words>Tinggi</span>"));
  EXPECT_EQ(staff.header("cache-control"), "no-store");
  EXPECT_TRUE(contains(staff.body, ",SecurityIncident\""));

  const auto anonymous = server_->get("/kota");
  EXPECT_FALSE(contains(anonymous.body, "Tombol Darurat"));
  EXPECT_NE(anonymous.header("cache-control"), "no-store");
}

TEST_P(CityDashboard, ListsActivePublicAlerts) {
  small_city(now() - 20 * 60'000);
  auto before = server_->get("/kota");
  EXPECT_TRUE(contains(before.body, "Tidak ada peringatan saat ini."));
  // The river stays above the flood rule's 150 cm for ten minutes.
  const int64_t start = now() - 10 * 60'000;
  read("kali-madiun-hilir", "waterLevel", 181, start);
  read("kali-madiun-hilir", "waterLevel", 183, start + 5 * 60'000);
  read("kali-madiun-hilir", "waterLevel", 186, start + 10 * 60'000);
  city::alert_service_of(app()).drain();
  auto active = city::alert_service_of(app()).active(true);
  ASSERT_TRUE(active.ok());
  ASSERT_FALSE(active->empty()) << "the default flood rule raised an alert";

  const auto r = server_->get("/kota");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(contains(r.body, "kota-alert--danger"));
  EXPECT_TRUE(contains(r.body,
                       "<strong class=\"kota-alert__severity\">Bahaya:</strong> "
                       "Peringatan banjir, Kali Madiun Hilir"))
      << r.body.substr(r.body.find("kota-alerts"), 600);
  EXPECT_TRUE(contains(r.body, "data-kota-no-alerts hidden"));
  const auto en = server_->get("/kota?lang=en");
  EXPECT_TRUE(contains(en.body, "Danger:</strong> Flood warning, Kali Madiun Hilir"));
}

TEST_P(CityDashboard, HandsTheScriptItsThresholdsAndWordsInTheReadersLanguage) {
  const auto id = server_->get("/api/v1/city/levels?lang=id");
  ASSERT_EQ(id.status, 200);
  EXPECT_TRUE(contains(id.header("content-type"), "application/json"));
  EXPECT_EQ(id.header("cache-control"), "public, max-age=3600");
  const auto body = boost::json::parse(id.body).as_object();
  EXPECT_EQ(body.at("river").at("words").at("siaga").as_string(), "Siaga");
  EXPECT_EQ(body.at("congestion").at("words").at("jammed").as_string(), "Macet");
  EXPECT_EQ(body.at("zone").as_string(), "WIB");
  const auto en = server_->get("/api/v1/city/levels?lang=en");
  ASSERT_EQ(en.status, 200);
  EXPECT_EQ(boost::json::parse(en.body).at("congestion").at("words").at("jammed").as_string(),
            "Jammed");
  // Without ?lang= the cookie may choose: no shared cache may keep it.
  const auto cookie = server_->get("/api/v1/city/levels", {{"Cookie", "lang=en"}});
  ASSERT_EQ(cookie.status, 200);
  EXPECT_EQ(cookie.header("cache-control"), "private, max-age=3600");
  EXPECT_EQ(
      server_->send("POST", "/api/v1/city/levels", "{}", {{"Content-Type", "application/json"}})
          .status,
      405);
}

TEST_P(CityDashboard, SaysSoWhenNoSensorHasSentAnything) {
  const auto r = server_->get("/kota");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(contains(r.body, "Belum ada sensor kota yang mengirim data."));
  EXPECT_FALSE(contains(r.body, "<table"));
}

TEST_P(CityDashboard, RefusesOtherPathsAndMethods) {
  EXPECT_EQ(server_->get("/kota/jalan-pahlawan").status, 404);
  EXPECT_EQ(server_->get("/kota/peta").status, 404);
  // A form post without the page's token is refused before routing (CSRF); with it, the page
  // says it only answers GET.
  EXPECT_EQ(
      server_->send("POST", "/kota", "x=1", {{"Content-Type", "application/x-www-form-urlencoded"}})
          .status,
      403);
  Browser browser(*server_);
  ASSERT_EQ(browser.get("/masuk").status, 200);
  ASSERT_FALSE(browser.csrf().empty());
  const auto post = browser.post_form("/kota", {{"x", "1"}});
  EXPECT_EQ(post.status, 405);
  EXPECT_TRUE(contains(post.header("allow"), "GET"));
  for (const char* method : {"PUT", "DELETE", "PATCH"})
    EXPECT_EQ(browser.send(method, "/kota", "", {{"X-CSRF-Token", browser.csrf()}}).status, 405)
        << method;
  EXPECT_EQ(
      server_->send("POST", "/api/v1/city/levels", "{}", {{"Content-Type", "application/json"}})
          .status,
      405);
}

TEST_P(CityDashboard, DemoSeedFillsTheDashboardOnceWithADayOfHistory) {
  ASSERT_TRUE(city::seed_demo(app()).ok());
  auto history_rows = [&] {
    auto rows = app().db.query("SELECT COALESCE(SUM(points), 0) FROM city_history_chunks", {});
    EXPECT_TRUE(rows.ok());
    return rows.ok() && !rows->empty() ? (*rows)[0].int64(0) : -1;
  };
  const int64_t first = history_rows();
  EXPECT_GT(first, 5'000) << "24 hours every 10 minutes";
  auto incoming = app().db.query("SELECT COUNT(*) FROM city_history_incoming", {});
  ASSERT_TRUE(incoming.ok());
  EXPECT_EQ((*incoming)[0].int64(0), 0) << "the seeded day is rolled up at once";
  ASSERT_TRUE(city::seed_demo(app()).ok()) << "idempotent";
  EXPECT_EQ(history_rows(), first) << "a second seed writes no second history";

  const auto r = server_->get("/kota");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(count(r.body, "<th scope=\"row\">"), 12u) << "5 roads, 2 + 3 + 2 stations";
  EXPECT_TRUE(contains(r.body, "Kali Madiun, Pos Nambangan (hilir)"));
  EXPECT_TRUE(contains(r.body, "Stasiun Udara Taman"));
  EXPECT_FALSE(contains(r.body, "Tombol Darurat")) << "panic buttons are for staff";
  EXPECT_EQ(count(r.body, "data-lat=\""), 12u) << "every sensor has its place on the map";
  auto buttons = context().find("", city::PathFilter{{}, {"/"}}, "panik-alun-alun");
  ASSERT_TRUE(buttons.ok());
  ASSERT_TRUE(buttons->has_value());
}

INSTANTIATE_TEST_SUITE_P(Backends, CityDashboard, ::testing::ValuesIn(test_database_backends()),
                         backend_test_name);

}  // namespace
}  // namespace balai::testing
