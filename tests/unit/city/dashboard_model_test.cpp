#include "modules/city/dashboard_model.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>

#include "modules/city/ispu.h"
#include "modules/city/rules.h"

namespace balai::city::dashboard {
namespace {

// 2026-11-28 09:00 WIB.
constexpr int64_t kNineAm = 1'795'831'200'000;

// A catalog with the few texts these tests read; any other key comes back as itself.
Reader reader(std::string lang = "id") {
  static const std::map<std::string, std::string, std::less<>> id{
      {"city_dashboard.rain.heavy", "Hujan lebat"},
      {"city_dashboard.river.siaga", "Siaga"},
      {"city_dashboard.ispu.pattern", "ISPU {index}, {category}"},
      {"city_dashboard.ispu.pattern_dominant", "ISPU {index}, {category} ({pollutant})"},
      {"city_dashboard.severity.high", "Tinggi"},
      {"city_dashboard.attrs.waterLevel", "Tinggi muka air"},
      {"city_dashboard.attrs.occupancy", "Okupansi"},
      {"city_dashboard.units.CMT", "cm"},
      {"city_dashboard.units.percent", "%"},
      {"city_dashboard.units.KMH", "km/jam"},
      {"city_dashboard.category.panic", "Tombol darurat ditekan"},
      {"city_dashboard.months.m11", "Nov"},
  };
  Reader r;
  r.lang = std::move(lang);
  r.zone = core::Zone::wib;
  r.now = core::Timestamp{kNineAm};
  r.text = [](std::string_view key) {
    auto it = id.find(key);
    return it == id.end() ? std::string(key) : it->second;
  };
  return r;
}

Attribute number(double v, int64_t observed_ms = 0) {
  Attribute a{"Number", boost::json::value(v), {}};
  if (observed_ms)
    a.metadata["dateObserved"] = boost::json::object{
        {"type", "DateTime"}, {"value", core::format_iso8601_utc(core::Timestamp{observed_ms})}};
  return a;
}

Attribute text(std::string_view v) {
  return Attribute{"Text", boost::json::value(v), {}};
}

Entity entity(std::string id, std::string type, std::map<std::string, Attribute> attrs) {
  Entity e;
  e.id = std::move(id);
  e.type = std::move(type);
  e.attrs = std::move(attrs);
  e.modified_ms = kNineAm - 60'000;
  return e;
}

// --- Rain ---

TEST(RainIntensity, FollowsBmkgsHourlyClassesWithBoundariesInTheLighterClass) {
  EXPECT_EQ(rain_intensity(0), Rain::none);
  EXPECT_EQ(rain_intensity(0.1), Rain::light);
  EXPECT_EQ(rain_intensity(5), Rain::light);
  EXPECT_EQ(rain_intensity(5.1), Rain::moderate);
  EXPECT_EQ(rain_intensity(10), Rain::moderate);
  EXPECT_EQ(rain_intensity(20), Rain::heavy);
  EXPECT_EQ(rain_intensity(20.1), Rain::very_heavy);
  EXPECT_EQ(rain_intensity(-0.1), std::nullopt);
  EXPECT_EQ(rain_intensity(std::numeric_limits<double>::quiet_NaN()), std::nullopt);
  EXPECT_EQ(rain_intensity(std::numeric_limits<double>::infinity()), std::nullopt);
}

// --- Rivers ---

TEST(RiverStages, ReadsAGaugesThreeAscendingStages) {
  auto stages_of = [](boost::json::value v) {
    return river_stages(entity("g", "WaterLevelObserved",
                               {{"alertLevels", Attribute{"StructuredValue", std::move(v), {}}}}));
  };
  auto ok = stages_of(boost::json::object{{"waspada", 120}, {"siaga", 150.5}, {"awas", 180}});
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->waspada, 120);
  EXPECT_EQ(ok->siaga, 150.5);
  EXPECT_EQ(ok->awas, 180);
  EXPECT_FALSE(stages_of(boost::json::object{{"waspada", 120}, {"siaga", 150}}));
  EXPECT_FALSE(stages_of(boost::json::object{{"waspada", 150}, {"siaga", 150}, {"awas", 180}}));
  EXPECT_FALSE(stages_of(boost::json::object{{"waspada", -1}, {"siaga", 150}, {"awas", 180}}));
  EXPECT_FALSE(stages_of(boost::json::object{{"waspada", "120"}, {"siaga", 150}, {"awas", 180}}));
  EXPECT_FALSE(stages_of(boost::json::value("120,150,180")));
  EXPECT_FALSE(river_stages(entity("g", "WaterLevelObserved", {})));
}

TEST(RiverStage, IsAStageOnlyStrictlyAboveItsThresholdAsAlertRulesCompare) {
  const RiverStages s{120, 150, 180};
  EXPECT_EQ(river_stage(0, s), RiverStage::normal);
  EXPECT_EQ(river_stage(120, s), RiverStage::normal);
  EXPECT_EQ(river_stage(120.5, s), RiverStage::waspada);
  EXPECT_EQ(river_stage(150, s), RiverStage::waspada);
  EXPECT_EQ(river_stage(151, s), RiverStage::siaga);
  EXPECT_EQ(river_stage(180, s), RiverStage::siaga);
  EXPECT_EQ(river_stage(181, s), RiverStage::awas);
}

// --- Congestion: the shares kota.js uses are the C++ rule's ---

TEST(CongestionShares, AreTheBoundariesOfTheCongestionRule) {
  const Congestion levels[] = {Congestion::free_flow, Congestion::moderate, Congestion::heavy,
                               Congestion::jammed};
  for (size_t i = 0; i < std::size(kCongestionShares); ++i) {
    EXPECT_EQ(congestion_level(kCongestionShares[i] * 40, 40), levels[i]) << i;
    EXPECT_EQ(congestion_level(kCongestionShares[i] * 40 - 0.01, 40), levels[i + 1]) << i;
  }
}

// --- Levels ---

TEST(LevelOf, SaysARoadsCongestionFromItsSpeedAndFreeFlowSpeedElseFromWhatWasSent) {
  auto road = entity("r", "TrafficFlowObserved",
                     {{"averageVehicleSpeed", number(14)}, {"freeFlowSpeed", number(40)}});
  auto level = level_of(road, reader());
  ASSERT_TRUE(level);
  EXPECT_EQ(level->key, "congestion-heavy");
  EXPECT_EQ(level->words, "Padat");
  EXPECT_EQ(level->colour, "#f47738");
  EXPECT_EQ(level_of(road, reader("en"))->words, "Heavy");

  auto camera = entity("c", "TrafficFlowObserved",
                       {{"averageVehicleSpeed", number(14)}, {"congestionLevel", text("jammed")}});
  EXPECT_EQ(level_of(camera, reader())->words, "Macet");
  auto nothing = entity("n", "TrafficFlowObserved", {{"averageVehicleSpeed", number(14)}});
  EXPECT_FALSE(level_of(nothing, reader()));
}

TEST(LevelOf, SaysTheRainTheRiverStageAndAnIncidentsSeverity) {
  auto station = entity("w", "WeatherObserved", {{"precipitation", number(12.5)}});
  EXPECT_EQ(level_of(station, reader())->words, "Hujan lebat");
  EXPECT_EQ(level_of(station, reader())->key, "rain-heavy");

  auto gauge =
      entity("g", "WaterLevelObserved",
             {{"waterLevel", number(175)},
              {"alertLevels",
               Attribute{"StructuredValue",
                         boost::json::object{{"waspada", 140}, {"siaga", 170}, {"awas", 200}},
                         {}}}});
  EXPECT_EQ(level_of(gauge, reader())->words, "Siaga");
  EXPECT_EQ(level_of(gauge, reader())->key, "river-siaga");
  auto bare_gauge = entity("b", "WaterLevelObserved", {{"waterLevel", number(175)}});
  EXPECT_FALSE(level_of(bare_gauge, reader())) << "no stages, nothing to say";

  auto button = entity("p", "SecurityIncident", {{"severity", text("high")}});
  EXPECT_EQ(level_of(button, reader())->words, "Tinggi");
  EXPECT_FALSE(level_of(entity("q", "SecurityIncident", {{"severity", text("odd")}}), reader()));
}

TEST(LevelOf, SaysTheIspuWithTheRegulationsWordsAndColour) {
  auto sent = entity("a", "AirQualityObserved", {{"ispu", number(72)}, {"pm25", number(500)}});
  auto level = level_of(sent, reader());
  ASSERT_TRUE(level);
  EXPECT_EQ(level->words, "ISPU 72, Sedang") << "the station's index wins";
  EXPECT_EQ(level->key, "ispu-sedang");
  EXPECT_EQ(level->colour, category_info(IspuCategory::sedang).colour_hex);
  EXPECT_EQ(level_of(sent, reader("en"))->words, "ISPU 72, Moderate");

  auto measured = entity("b", "AirQualityObserved", {{"pm25", number(40)}, {"o3", number(50)}});
  EXPECT_EQ(level_of(measured, reader())->words, "ISPU 81, Sedang (PM2.5)");
  EXPECT_FALSE(level_of(entity("c", "AirQualityObserved", {}), reader()));
}

// --- What the table shows ---

TEST(Show, ListsTheTypesAttributesInOrderWithUnitsAndWithoutWhatTheLevelSays) {
  auto road = entity("jalan-pahlawan", "TrafficFlowObserved",
                     {{"name", text("Jl. Pahlawan")},
                      {"occupancy", number(0.42)},
                      {"averageVehicleSpeed", number(14.4)},
                      {"congestionLevel", text("heavy")},
                      {"location", Attribute{"geo:point", boost::json::value("-7.63, 111.52"), {}}},
                      {"freeFlowSpeed", number(40)}});
  const ShownEntity shown = show(road, reader());
  EXPECT_EQ(shown.name, "Jl. Pahlawan");
  EXPECT_EQ(shown.kind, "traffic");
  ASSERT_EQ(shown.values.size(), 2u) << "congestionLevel is the level, freeFlowSpeed no value";
  EXPECT_EQ(shown.values[0].attr, "averageVehicleSpeed");
  EXPECT_EQ(shown.values[0].text, "14");
  EXPECT_EQ(shown.values[0].unit, "km/jam");
  EXPECT_EQ(shown.values[1].attr, "occupancy");
  EXPECT_EQ(shown.values[1].label, "Okupansi");
  EXPECT_EQ(shown.values[1].text, "42");
  EXPECT_EQ(shown.values[1].unit, "%");
  EXPECT_EQ(shown.values[1].scale, 100);
  ASSERT_TRUE(shown.point);
  EXPECT_EQ(shown.point->lat_e6, -7'630'000);
  EXPECT_EQ(shown.charts, std::vector<std::string>{"averageVehicleSpeed"});
}

TEST(Show, NamesByTheNameAttributeElseTheIdAndWordsIncidentCategories) {
  EXPECT_EQ(show(entity("x-1", "WeatherObserved", {}), reader()).name, "x-1");
  EXPECT_EQ(show(entity("x-2", "WeatherObserved", {{"name", text("   ")}}), reader()).name, "x-2");
  EXPECT_EQ(
      show(entity("x-3", "WeatherObserved", {{"name", text(std::string(201, 'a'))}}), reader())
          .name,
      "x-3");
  auto button = show(entity("p", "SecurityIncident", {{"category", text("panic")}}), reader());
  ASSERT_EQ(button.values.size(), 1u);
  EXPECT_EQ(button.values[0].text, "Tombol darurat ditekan");
  EXPECT_FALSE(button.values[0].numeric);
}

TEST(Show, TakesTheNewestObservationTimeElseTheLastChange) {
  const int64_t older = kNineAm - 3'600'000;
  const int64_t newer = kNineAm - 600'000;
  auto gauge = entity("g", "WaterLevelObserved",
                      {{"waterLevel", number(150, older)}, {"flow", number(12, newer)}});
  EXPECT_EQ(show(gauge, reader()).observed.ms, newer);
  auto unobserved = entity("u", "WaterLevelObserved", {{"waterLevel", number(150)}});
  EXPECT_EQ(show(unobserved, reader()).observed.ms, kNineAm - 60'000);
}

TEST(Shown, ShowsPublicBuiltInTypesAndIncidentsOnlyWithPrivateAccess) {
  EXPECT_TRUE(shown(entity("a", "AirQualityObserved", {}), false));
  EXPECT_FALSE(shown(entity("p", "SecurityIncident", {}), false));
  EXPECT_TRUE(shown(entity("p", "SecurityIncident", {}), true));
  EXPECT_FALSE(shown(entity("t", "Thing", {}), true)) << "no units, no levels";
}

TEST(SortForDisplay, GroupsBySectionThenName) {
  std::vector<ShownEntity> list{show(entity("b", "AirQualityObserved", {}), reader()),
                                show(entity("z", "TrafficFlowObserved", {}), reader()),
                                show(entity("a", "TrafficFlowObserved", {}), reader()),
                                show(entity("w", "WeatherObserved", {}), reader())};
  sort_for_display(list);
  EXPECT_EQ(list[0].id, "a");
  EXPECT_EQ(list[1].id, "z");
  EXPECT_EQ(list[2].id, "w");
  EXPECT_EQ(list[3].id, "b");
}

// --- Formats ---

TEST(FormatNumber, WritesDigitsAsEachLanguageDoes) {
  EXPECT_EQ(format_number(1234.5, 1, "id"), "1.234,5");
  EXPECT_EQ(format_number(1234.5, 1, "en"), "1,234.5");
  EXPECT_EQ(format_number(1234567, 0, "id"), "1.234.567");
  EXPECT_EQ(format_number(-12.34, 1, "id"), "-12,3");
  EXPECT_EQ(format_number(-0.01, 1, "id"), "0,0") << "no minus sign on a rounded zero";
  EXPECT_EQ(format_number(999.96, 1, "en"), "1,000.0");
}

TEST(FormatValue, WritesAValueAsTheTableDoesWithItsUnit) {
  EXPECT_EQ(format_value("WaterLevelObserved", "waterLevel", 181.6, reader()), "182 cm");
  EXPECT_EQ(format_value("TrafficFlowObserved", "occupancy", 0.42, reader()), "42 %");
  EXPECT_EQ(format_value("Thing", "x", 1234.4, reader("en")), "1,234");
}

TEST(FormatObserved, SaysTheClockTodayAndTheDayOtherwise) {
  EXPECT_EQ(format_observed(core::Timestamp{kNineAm - 55 * 60'000}, reader()), "08.05 WIB");
  EXPECT_EQ(format_observed(core::Timestamp{kNineAm - 55 * 60'000}, reader("en")), "08:05 WIB");
  EXPECT_EQ(format_observed(core::Timestamp{kNineAm - 10 * 3'600'000}, reader()),
            "27 Nov 23.00 WIB");
}

// --- What kota.js gets ---

TEST(LevelSettings, HandsTheScriptTheRulesNumbersAndWords) {
  const auto s = level_settings(reader());
  const auto& shares = s.at("congestion").at("shares").as_array();
  ASSERT_EQ(shares.size(), 3u);
  EXPECT_EQ(shares[0].as_double(), 0.75);
  EXPECT_EQ(s.at("congestion").at("words").at("heavy").as_string(), "Padat");
  const auto& pm25 = s.at("ispu").at("breakpoints").at("pm25").as_array();
  ASSERT_EQ(pm25.size(), ispu_breakpoints(Pollutant::pm25).size());
  EXPECT_EQ(pm25[1].as_array()[0].as_double(), 15.5);
  EXPECT_EQ(pm25[1].as_array()[1].as_int64(), 50);
  const auto& categories = s.at("ispu").at("categories").as_array();
  ASSERT_EQ(categories.size(), 5u);
  EXPECT_EQ(categories[1].at("colour").as_string(), "#0072bc");
  EXPECT_EQ(categories[1].at("min").as_int64(), 51);
  EXPECT_EQ(s.at("offset_minutes").as_int64(), 420);
  EXPECT_EQ(s.at("zone").as_string(), "WIB");
  const auto& traffic = s.at("shown").at("TrafficFlowObserved").as_array();
  EXPECT_EQ(traffic.size(), 3u) << "intensity, speed, occupancy; congestionLevel is the level";
}

}  // namespace
}  // namespace balai::city::dashboard
