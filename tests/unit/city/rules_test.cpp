#include "modules/city/rules.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <stdexcept>
#include <string>

namespace balai::city {
namespace {

constexpr core::Timestamp kNow{1'800'000'000'000};

const EntityTypeSpec& type(std::string_view name) {
  const EntityTypeSpec* spec = find_entity_type(name);
  if (!spec) throw std::runtime_error("no built-in type " + std::string(name));
  return *spec;
}

Reading reading(std::string attr, boost::json::value value, std::string unit = "",
                int64_t observed_ms = kNow.ms) {
  return Reading{"river-01", std::move(attr), std::move(value), std::move(unit), observed_ms};
}

// "ok", or the reason's stable name: one string to compare in every test.
std::string verdict(const EntityTypeSpec& spec, const Reading& r,
                    const ReadingLimits& limits = {}) {
  auto rejection = check_reading(spec, r, kNow, limits);
  return rejection ? std::string(to_string(rejection->reason)) : "ok";
}

std::string water(boost::json::value value, std::string unit = "", int64_t at = kNow.ms) {
  return verdict(type("WaterLevelObserved"), reading("waterLevel", std::move(value), unit, at));
}

// --- The catalogue ---

TEST(CityCatalogue, HasTheFiveBuiltInTypesInOrder) {
  const auto& types = builtin_entity_types();
  ASSERT_EQ(types.size(), 5u);
  EXPECT_EQ(types[0].type, "TrafficFlowObserved");
  EXPECT_EQ(types[1].type, "WeatherObserved");
  EXPECT_EQ(types[2].type, "WaterLevelObserved");
  EXPECT_EQ(types[3].type, "AirQualityObserved");
  EXPECT_EQ(types[4].type, "SecurityIncident");
}

TEST(CityCatalogue, EachTypeHasItsSensorKind) {
  EXPECT_EQ(type("TrafficFlowObserved").kind, SensorKind::traffic);
  EXPECT_EQ(type("WeatherObserved").kind, SensorKind::weather);
  EXPECT_EQ(type("WaterLevelObserved").kind, SensorKind::water_level);
  EXPECT_EQ(type("AirQualityObserved").kind, SensorKind::air_quality);
  EXPECT_EQ(type("SecurityIncident").kind, SensorKind::security);
}

TEST(CityCatalogue, FindsTypesByExactNgsiName) {
  EXPECT_NE(find_entity_type("WeatherObserved"), nullptr);
  EXPECT_EQ(find_entity_type("weatherobserved"), nullptr);
  EXPECT_EQ(find_entity_type("ParkingSpot"), nullptr);
  EXPECT_EQ(find_entity_type(""), nullptr);
}

TEST(CityCatalogue, FindsAttributesOfAType) {
  const auto* level = find_attribute(type("WaterLevelObserved"), "waterLevel");
  ASSERT_NE(level, nullptr);
  EXPECT_EQ(level->unit, "CMT");
  EXPECT_EQ(find_attribute(type("WaterLevelObserved"), "temperature"), nullptr);
}

TEST(CityCatalogue, OnlySecurityIncidentsAreHiddenFromThePublic) {
  for (const auto& spec : builtin_entity_types())
    EXPECT_EQ(spec.public_read, spec.type != "SecurityIncident") << spec.type;
}

TEST(CityCatalogue, NumericAttributesHaveAUnitALabelAndARange) {
  for (const auto& spec : builtin_entity_types()) {
    for (const auto& a : spec.attributes) {
      if (!a.numeric) continue;
      EXPECT_FALSE(a.unit.empty()) << spec.type << "." << a.name;
      EXPECT_FALSE(a.unit_label.empty()) << spec.type << "." << a.name;
      EXPECT_LT(a.min, a.max) << spec.type << "." << a.name;
    }
  }
}

TEST(CityCatalogue, TextAttributesTakeNoUnit) {
  for (const auto& spec : builtin_entity_types()) {
    for (const auto& a : spec.attributes) {
      if (a.numeric) continue;
      EXPECT_TRUE(a.unit.empty()) << spec.type << "." << a.name;
    }
  }
}

TEST(CityCatalogue, AttributeNamesAreUniqueWithinAType) {
  for (const auto& spec : builtin_entity_types()) {
    std::set<std::string> names;
    for (const auto& a : spec.attributes)
      EXPECT_TRUE(names.insert(a.name).second) << spec.type << "." << a.name;
  }
}

TEST(CityCatalogue, UsesUnCefactUnitCodes) {
  auto unit = [](std::string_view t, std::string_view a) {
    return find_attribute(type(t), a)->unit;
  };
  EXPECT_EQ(unit("TrafficFlowObserved", "intensity"), "H10");
  EXPECT_EQ(unit("TrafficFlowObserved", "averageVehicleSpeed"), "KMH");
  EXPECT_EQ(unit("TrafficFlowObserved", "occupancy"), "C62");
  EXPECT_EQ(unit("WeatherObserved", "temperature"), "CEL");
  EXPECT_EQ(unit("WeatherObserved", "relativeHumidity"), "P1");
  EXPECT_EQ(unit("WeatherObserved", "precipitation"), "H67");
  EXPECT_EQ(unit("WeatherObserved", "windSpeed"), "MTS");
  EXPECT_EQ(unit("WeatherObserved", "windDirection"), "DD");
  EXPECT_EQ(unit("WaterLevelObserved", "waterLevel"), "CMT");
  EXPECT_EQ(unit("WaterLevelObserved", "flow"), "MQS");
  for (const char* pollutant : {"pm25", "pm10", "so2", "co", "o3", "no2"})
    EXPECT_EQ(unit("AirQualityObserved", pollutant), "GQ") << pollutant;
  EXPECT_EQ(unit("AirQualityObserved", "ispu"), "C62");
}

TEST(CityCatalogue, LabelsReadAsIndonesiansWriteThem) {
  EXPECT_EQ(find_attribute(type("WaterLevelObserved"), "waterLevel")->unit_label, "cm");
  EXPECT_EQ(find_attribute(type("WeatherObserved"), "temperature")->unit_label, "°C");
  EXPECT_EQ(find_attribute(type("TrafficFlowObserved"), "averageVehicleSpeed")->unit_label,
            "km/jam");
  EXPECT_EQ(find_attribute(type("AirQualityObserved"), "pm25")->unit_label, "µg/m³");
}

TEST(CityCatalogue, IspuSpansTheRegulationsScale) {
  const auto* ispu = find_attribute(type("AirQualityObserved"), "ispu");
  EXPECT_EQ(ispu->min, 0);
  EXPECT_EQ(ispu->max, 500);
}

TEST(CityCatalogue, IncidentCategoriesAndSeveritiesHaveAVocabulary) {
  auto categories = text_vocabulary("SecurityIncident", "category");
  for (std::string_view c : {"panic", "crowd", "fire", "accident"})
    EXPECT_NE(std::find(categories.begin(), categories.end(), c), categories.end()) << c;
  EXPECT_EQ(text_vocabulary("SecurityIncident", "severity").size(), 5u);
  EXPECT_EQ(text_vocabulary("TrafficFlowObserved", "congestionLevel").size(), 4u);
  EXPECT_TRUE(text_vocabulary("SecurityIncident", "description").empty());
  EXPECT_TRUE(text_vocabulary("ParkingSpot", "category").empty());
}

TEST(CityCatalogue, CongestionVocabularyIsTheCongestionNames) {
  for (std::string_view name : text_vocabulary("TrafficFlowObserved", "congestionLevel"))
    EXPECT_TRUE(parse_congestion(name).has_value()) << name;
}

// --- Readings ---

TEST(CityReading, AcceptsAReadingInRangeWithoutUnit) {
  EXPECT_EQ(water(152.5), "ok");
}

TEST(CityReading, AcceptsIntegerJsonNumbers) {
  EXPECT_EQ(water(boost::json::value(std::int64_t{150})), "ok");
  EXPECT_EQ(water(boost::json::value(std::uint64_t{150})), "ok");
}

TEST(CityReading, RefusesAnUnknownAttribute) {
  EXPECT_EQ(verdict(type("WaterLevelObserved"), reading("waterlevel", 10.0)), "unknown_attribute");
  EXPECT_EQ(verdict(type("WaterLevelObserved"), reading("temperature", 10.0)), "unknown_attribute");
}

TEST(CityReading, RefusesTextForANumber) {
  EXPECT_EQ(water("152.5"), "wrong_type");
}

TEST(CityReading, RefusesBooleansNullsAndStructuresForANumber) {
  EXPECT_EQ(water(true), "wrong_type");
  EXPECT_EQ(water(nullptr), "wrong_type");
  EXPECT_EQ(water(boost::json::array{1, 2}), "wrong_type");
  EXPECT_EQ(water(boost::json::object{{"value", 1}}), "wrong_type");
}

TEST(CityReading, RefusesNonFiniteNumbers) {
  EXPECT_EQ(water(std::numeric_limits<double>::quiet_NaN()), "wrong_type");
  EXPECT_EQ(water(std::numeric_limits<double>::infinity()), "wrong_type");
  EXPECT_EQ(water(-std::numeric_limits<double>::infinity()), "wrong_type");
}

TEST(CityReading, RefusesANumberForText) {
  EXPECT_EQ(verdict(type("SecurityIncident"), reading("category", 3)), "wrong_type");
}

TEST(CityReading, RangeIsInclusiveAtBothEnds) {
  EXPECT_EQ(water(0.0), "ok");
  EXPECT_EQ(water(2000.0), "ok");
}

TEST(CityReading, RefusesValuesOutsideThePhysicalRange) {
  EXPECT_EQ(water(-0.1), "out_of_range");
  EXPECT_EQ(water(2000.1), "out_of_range");
  EXPECT_EQ(verdict(type("WeatherObserved"), reading("temperature", -10.5)), "out_of_range");
  EXPECT_EQ(verdict(type("WeatherObserved"), reading("temperature", -10.0)), "ok");
  EXPECT_EQ(verdict(type("AirQualityObserved"), reading("ispu", 501)), "out_of_range");
  EXPECT_EQ(verdict(type("TrafficFlowObserved"), reading("occupancy", 1.01)), "out_of_range");
}

TEST(CityReading, AcceptsTheUnitCodeInAnyCase) {
  EXPECT_EQ(water(100.0, "CMT"), "ok");
  EXPECT_EQ(water(100.0, "cmt"), "ok");
}

TEST(CityReading, AcceptsTheUnitLabel) {
  EXPECT_EQ(water(100.0, "cm"), "ok");
  EXPECT_EQ(verdict(type("WeatherObserved"), reading("temperature", 30.0, "°C")), "ok");
}

TEST(CityReading, RefusesAnotherUnit) {
  EXPECT_EQ(water(1.0, "MTR"), "wrong_unit");
  EXPECT_EQ(water(100.0, "mm"), "wrong_unit");
  EXPECT_EQ(water(100.0, "CM"), "wrong_unit");  // the label is matched exactly
  EXPECT_EQ(verdict(type("AirQualityObserved"), reading("co", 1.2, "GP")), "wrong_unit");
}

TEST(CityReading, JudgesTheUnitBeforeTheRange) {
  // 5000 mm would be out of the cm range; the unit is what is wrong.
  EXPECT_EQ(water(5000.0, "MMT"), "wrong_unit");
}

TEST(CityReading, RefusesAUnitOnText) {
  EXPECT_EQ(verdict(type("SecurityIncident"), reading("category", "fire", "C62")), "wrong_unit");
  EXPECT_EQ(verdict(type("SecurityIncident"), reading("category", "fire", "")), "ok");
}

TEST(CityReading, TextMustBeInTheVocabularyWhereThereIsOne) {
  const auto& incident = type("SecurityIncident");
  EXPECT_EQ(verdict(incident, reading("category", "panic")), "ok");
  EXPECT_EQ(verdict(incident, reading("category", "Panic")), "out_of_range");
  EXPECT_EQ(verdict(incident, reading("severity", "critical")), "ok");
  EXPECT_EQ(verdict(incident, reading("severity", "extreme")), "out_of_range");
  EXPECT_EQ(verdict(type("TrafficFlowObserved"), reading("congestionLevel", "jammed")), "ok");
  EXPECT_EQ(verdict(type("TrafficFlowObserved"), reading("congestionLevel", "macet")),
            "out_of_range");
}

TEST(CityReading, FreeTextIsBoundedAndPlain) {
  const auto& incident = type("SecurityIncident");
  EXPECT_EQ(verdict(incident, reading("description", "Kerumunan di alun-alun")), "ok");
  EXPECT_EQ(verdict(incident, reading("description", boost::json::string(kTextMaxBytes, 'a'))),
            "ok");
  EXPECT_EQ(verdict(incident, reading("description", boost::json::string(kTextMaxBytes + 1, 'a'))),
            "out_of_range");
  EXPECT_EQ(verdict(incident, reading("description", "baris\nbaru")), "out_of_range");
}

TEST(CityReading, AcceptsATimeUpToTheClockSkewAhead) {
  EXPECT_EQ(water(1.0, "", kNow.ms + 60'000), "ok");
  EXPECT_EQ(water(1.0, "", kNow.ms + 60'001), "future_time");
}

TEST(CityReading, AcceptsATimeUpToTheMaximumAgeBehind) {
  const int64_t week = 7LL * 24 * 3600 * 1000;
  EXPECT_EQ(water(1.0, "", kNow.ms - week), "ok");
  EXPECT_EQ(water(1.0, "", kNow.ms - week - 1), "too_old");
}

TEST(CityReading, TimeLimitsAreConfigurable) {
  const ReadingLimits strict{1'000, 3'600'000};
  const auto& gauge = type("WaterLevelObserved");
  EXPECT_EQ(verdict(gauge, reading("waterLevel", 1.0, "", kNow.ms + 1'001), strict), "future_time");
  EXPECT_EQ(verdict(gauge, reading("waterLevel", 1.0, "", kNow.ms - 3'600'001), strict), "too_old");
  EXPECT_EQ(verdict(gauge, reading("waterLevel", 1.0, "", kNow.ms - 3'600'000), strict), "ok");
}

TEST(CityReading, AReadingWithoutATimeIsTooOld) {
  // Ingestion stamps readings that came without a time; a zero time is a bug upstream.
  EXPECT_EQ(water(1.0, "", 0), "too_old");
}

TEST(CityReading, TheMessageNamesTheAttributeAndTheRule) {
  auto rejection = check_reading(type("WaterLevelObserved"), reading("waterLevel", 2500.0), kNow);
  ASSERT_TRUE(rejection);
  EXPECT_EQ(rejection->message, "waterLevel must be within 0..2000 cm");
}

TEST(CityReading, ReasonsHaveStableNames) {
  EXPECT_EQ(to_string(RejectReason::unknown_entity), "unknown_entity");
  EXPECT_EQ(to_string(RejectReason::unknown_attribute), "unknown_attribute");
  EXPECT_EQ(to_string(RejectReason::wrong_type), "wrong_type");
  EXPECT_EQ(to_string(RejectReason::out_of_range), "out_of_range");
  EXPECT_EQ(to_string(RejectReason::wrong_unit), "wrong_unit");
  EXPECT_EQ(to_string(RejectReason::future_time), "future_time");
  EXPECT_EQ(to_string(RejectReason::too_old), "too_old");
}

TEST(CityReading, ARejectionBecomesAValidationError) {
  const core::Error e =
      to_error(Rejection{RejectReason::wrong_unit, "waterLevel must be in CMT"}, "waterLevel");
  EXPECT_EQ(e.code, core::ErrorCode::validation_failed);
  EXPECT_EQ(e.fields.at("waterLevel"), "waterLevel must be in CMT");
}

TEST(CityReading, NumericValueReadsEveryJsonNumberKind) {
  EXPECT_EQ(numeric_value(boost::json::value(1.5)), 1.5);
  EXPECT_EQ(numeric_value(boost::json::value(std::int64_t{-3})), -3.0);
  EXPECT_EQ(numeric_value(boost::json::value(std::uint64_t{7})), 7.0);
  EXPECT_FALSE(numeric_value(boost::json::value("1.5")));
  EXPECT_FALSE(numeric_value(boost::json::value(std::nan(""))));
}

// --- Traffic ---

TEST(CityCongestion, GradesSpeedAgainstFreeFlow) {
  EXPECT_EQ(congestion_level(50, 50), Congestion::free_flow);
  EXPECT_EQ(congestion_level(30, 50), Congestion::moderate);
  EXPECT_EQ(congestion_level(20, 50), Congestion::heavy);
  EXPECT_EQ(congestion_level(5, 50), Congestion::jammed);
  EXPECT_EQ(congestion_level(0, 50), Congestion::jammed);
}

TEST(CityCongestion, ABoundaryBelongsToTheBetterLevel) {
  EXPECT_EQ(congestion_level(30, 40), Congestion::free_flow);  // exactly 75%
  EXPECT_EQ(congestion_level(29.99, 40), Congestion::moderate);
  EXPECT_EQ(congestion_level(20, 40), Congestion::moderate);  // exactly 50%
  EXPECT_EQ(congestion_level(19.99, 40), Congestion::heavy);
  EXPECT_EQ(congestion_level(10, 40), Congestion::heavy);  // exactly 25%
  EXPECT_EQ(congestion_level(9.99, 40), Congestion::jammed);
}

TEST(CityCongestion, FasterThanFreeFlowIsFreeFlow) {
  EXPECT_EQ(congestion_level(90, 60), Congestion::free_flow);
}

TEST(CityCongestion, RefusesMeaninglessSpeeds) {
  EXPECT_FALSE(congestion_level(30, 0));
  EXPECT_FALSE(congestion_level(30, -40));
  EXPECT_FALSE(congestion_level(-1, 40));
  EXPECT_FALSE(congestion_level(std::nan(""), 40));
  EXPECT_FALSE(congestion_level(30, std::numeric_limits<double>::infinity()));
}

TEST(CityCongestion, LevelsHaveStableNamesAndBothLanguagesLabels) {
  EXPECT_EQ(to_string(Congestion::free_flow), "free_flow");
  EXPECT_EQ(to_string(Congestion::jammed), "jammed");
  EXPECT_EQ(label_id(Congestion::free_flow), "Lancar");
  EXPECT_EQ(label_id(Congestion::moderate), "Ramai lancar");
  EXPECT_EQ(label_id(Congestion::heavy), "Padat");
  EXPECT_EQ(label_id(Congestion::jammed), "Macet");
  EXPECT_EQ(label_en(Congestion::heavy), "Heavy");
  for (auto level :
       {Congestion::free_flow, Congestion::moderate, Congestion::heavy, Congestion::jammed})
    EXPECT_EQ(parse_congestion(to_string(level)), level);
  EXPECT_FALSE(parse_congestion("macet"));
}

TEST(CityCongestion, HeavyAndJammedCountAsCongested) {
  EXPECT_FALSE(is_congested(Congestion::free_flow));
  EXPECT_FALSE(is_congested(Congestion::moderate));
  EXPECT_TRUE(is_congested(Congestion::heavy));
  EXPECT_TRUE(is_congested(Congestion::jammed));
}

}  // namespace
}  // namespace balai::city
