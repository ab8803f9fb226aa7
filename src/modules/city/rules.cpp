#include "modules/city/rules.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

namespace balai::city {
namespace {

AttributeSpec number(std::string name, std::string unit, std::string label, double min,
                     double max) {
  return AttributeSpec{std::move(name), std::move(unit), std::move(label), true, min, max};
}

AttributeSpec text(std::string name) {
  return AttributeSpec{std::move(name), "", "", false, 0, 0};
}

// Names follow FIWARE Smart Data Models where a model exists (dataModel.Transportation
// TrafficFlowObserved, dataModel.Weather WeatherObserved, dataModel.Environment
// AirQualityObserved); where Balai's meaning differs from the model's, the line says so.
// Ranges are physical plausibility (what a working sensor can report in Indonesia), never
// health or alert thresholds: a reading outside them is a broken sensor or a wrong unit.
std::vector<EntityTypeSpec> make_catalogue() {
  std::vector<EntityTypeSpec> types;

  types.push_back({"TrafficFlowObserved",
                   SensorKind::traffic,
                   true,
                   {
                       // FIWARE's intensity is a count over the observation period; Balai
                       // normalises it to an hourly rate so stations with different periods
                       // compare. ~2,200 vehicles/h a lane, up to 8 lanes, with margin.
                       number("intensity", "H10", "kendaraan/jam", 0, 20'000),
                       number("averageVehicleSpeed", "KMH", "km/jam", 0, 200),
                       // As FIWARE: the fraction of the period a vehicle occupied the detector.
                       number("occupancy", "C62", "rasio 0–1", 0, 1),
                       // Computed by Balai from the speed (congestion_level); a camera that
                       // computes it itself may send it, in the same vocabulary.
                       text("congestionLevel"),
                   }});

  types.push_back({"WeatherObserved",
                   SensorKind::weather,
                   true,
                   {
                       // Indonesia's lowlands never leave 10..40 °C, its peaks go below zero.
                       number("temperature", "CEL", "°C", -10, 50),
                       // FIWARE uses a 0..1 fraction; Indonesian stations (BMKG's AWS) report
                       // percent, so Balai keeps percent and says so with "P1".
                       number("relativeHumidity", "P1", "%", 0, 100),
                       // FIWARE's precipitation is an amount (l/m²); Balai's is the rain rate,
                       // because warnings (BMKG's intensity classes) are rates. The hourly world
                       // record is about 305 mm.
                       number("precipitation", "H67", "mm/jam", 0, 300),
                       number("windSpeed", "MTS", "m/s", 0, 75),
                       // Clockwise from north. FIWARE's examples also use -180..180; Balai
                       // accepts the compass form only, so a direction is stored one way.
                       number("windDirection", "DD", "°", 0, 360),
                   }});

  // No FIWARE model is a river gauge alone (WeatherObserved.streamGauge is one attribute of a
  // weather station); the name follows the *Observed pattern.
  types.push_back({"WaterLevelObserved",
                   SensorKind::water_level,
                   true,
                   {
                       // Above the gauge's zero; 20 m covers the largest rivers' flood stages.
                       number("waterLevel", "CMT", "cm", 0, 2'000),
                       // Optional: only gauges with a rating curve report discharge.
                       number("flow", "MQS", "m³/detik", 0, 100'000),
                   }});

  types.push_back({"AirQualityObserved",
                   SensorKind::air_quality,
                   true,
                   {
                       // All in µg/m³ (GQ), the unit of the ISPU tables, CO included (FIWARE's
                       // examples give CO in mg/m³, "GP"; a station sending GP is refused so
                       // the two are never mixed). Peat-fire haze has taken PM10 past
                       // 3,000 µg/m³ in Kalimantan, hence the wide ranges.
                       number("pm25", "GQ", "µg/m³", 0, 5'000),
                       number("pm10", "GQ", "µg/m³", 0, 5'000),
                       number("so2", "GQ", "µg/m³", 0, 10'000),
                       number("co", "GQ", "µg/m³", 0, 100'000),
                       number("o3", "GQ", "µg/m³", 0, 2'000),
                       number("no2", "GQ", "µg/m³", 0, 5'000),
                       // Indeks Standar Pencemar Udara: computed by Balai (ispu.h) or sent by a
                       // station that computes it; a pure number on the regulation's 0..500.
                       number("ispu", "C62", "ISPU", 0, 500),
                   }});

  // Panic buttons and CCTV analytics. Not public: an incident's place and kind are for the
  // command centre, not for everyone.
  types.push_back({"SecurityIncident",
                   SensorKind::security,
                   false,
                   {
                       text("category"),
                       // FIWARE Alert's severity vocabulary.
                       text("severity"),
                       text("description"),
                       // A video analytic's confidence in its own detection.
                       number("confidence", "C62", "rasio 0–1", 0, 1),
                   }});
  return types;
}

constexpr std::array<std::string_view, 4> kCongestionNames{"free_flow", "moderate", "heavy",
                                                           "jammed"};
// What a panic button or a camera reports. Close to FIWARE Alert's subCategory where it has
// one (buildingFire -> fire, carAccident -> accident, civilDisorder/crowdRisk -> crowd, flood).
constexpr std::array<std::string_view, 9> kIncidentCategories{
    "panic", "crowd", "fire", "accident", "flood", "intrusion", "vandalism", "medical", "other"};
constexpr std::array<std::string_view, 5> kIncidentSeverities{"informational", "low", "medium",
                                                              "high", "critical"};

struct Vocabulary {
  std::string_view type;
  std::string_view attr;
  std::span<const std::string_view> values;
};
const std::array<Vocabulary, 3> kVocabularies{{
    {"TrafficFlowObserved", "congestionLevel", kCongestionNames},
    {"SecurityIncident", "category", kIncidentCategories},
    {"SecurityIncident", "severity", kIncidentSeverities},
}};

bool iequals_ascii(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
           return lower(x) == lower(y);
         });
}

bool has_control_characters(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return c < 0x20 || c == 0x7f;
  });
}

bool unit_matches(const AttributeSpec& spec, std::string_view unit) {
  if (unit.empty()) return true;
  if (spec.unit.empty()) return false;  // text: no unit may be given
  return iequals_ascii(unit, spec.unit) || unit == spec.unit_label;
}

// "0..2000 cm", "-10..50 °C": how a range reads in a message.
std::string range_text(const AttributeSpec& spec) {
  return fmt::format("{}..{} {}", spec.min, spec.max, spec.unit_label);
}

Rejection reject(RejectReason reason, std::string message) {
  return Rejection{reason, std::move(message)};
}

std::optional<Rejection> check_value(const EntityTypeSpec& type, const AttributeSpec& spec,
                                     const Reading& r) {
  if (spec.numeric) {
    auto v = numeric_value(r.value);
    if (!v) return reject(RejectReason::wrong_type, spec.name + " must be a finite number");
    if (!unit_matches(spec, r.unit))
      return reject(RejectReason::wrong_unit,
                    spec.name + " must be in " + spec.unit + " (" + spec.unit_label + ")");
    if (*v < spec.min || *v > spec.max)
      return reject(RejectReason::out_of_range, spec.name + " must be within " + range_text(spec));
    return std::nullopt;
  }
  const auto* s = r.value.if_string();
  if (!s) return reject(RejectReason::wrong_type, spec.name + " must be text");
  if (!unit_matches(spec, r.unit))
    return reject(RejectReason::wrong_unit, spec.name + " takes no unit");
  const std::string_view value(s->data(), s->size());
  if (value.size() > kTextMaxBytes || has_control_characters(value))
    return reject(
        RejectReason::out_of_range,
        fmt::format("{} must be at most {} bytes of plain text", spec.name, kTextMaxBytes));
  auto allowed = text_vocabulary(type.type, spec.name);
  if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), value) == allowed.end())
    return reject(RejectReason::out_of_range,
                  fmt::format("{} must be one of: {}", spec.name, fmt::join(allowed, ", ")));
  return std::nullopt;
}

}  // namespace

const std::vector<EntityTypeSpec>& builtin_entity_types() {
  static const std::vector<EntityTypeSpec> types = make_catalogue();
  return types;
}

const EntityTypeSpec* find_entity_type(std::string_view type) {
  for (const auto& spec : builtin_entity_types())
    if (spec.type == type) return &spec;
  return nullptr;
}

const AttributeSpec* find_attribute(const EntityTypeSpec& spec, std::string_view name) {
  for (const auto& a : spec.attributes)
    if (a.name == name) return &a;
  return nullptr;
}

std::span<const std::string_view> text_vocabulary(std::string_view type, std::string_view attr) {
  for (const auto& v : kVocabularies)
    if (v.type == type && v.attr == attr) return v.values;
  return {};
}

std::string_view to_string(RejectReason reason) {
  switch (reason) {
    case RejectReason::unknown_entity:
      return "unknown_entity";
    case RejectReason::unknown_attribute:
      return "unknown_attribute";
    case RejectReason::wrong_type:
      return "wrong_type";
    case RejectReason::out_of_range:
      return "out_of_range";
    case RejectReason::wrong_unit:
      return "wrong_unit";
    case RejectReason::future_time:
      return "future_time";
    case RejectReason::too_old:
      return "too_old";
  }
  return "unknown_attribute";
}

std::optional<double> numeric_value(const boost::json::value& value) {
  double v = 0;
  if (const auto* d = value.if_double())
    v = *d;
  else if (const auto* i = value.if_int64())
    v = static_cast<double>(*i);
  else if (const auto* u = value.if_uint64())
    v = static_cast<double>(*u);
  else
    return std::nullopt;
  if (!std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<Rejection> check_reading(const EntityTypeSpec& spec, const Reading& reading,
                                       core::Timestamp now, const ReadingLimits& limits) {
  const AttributeSpec* attr = find_attribute(spec, reading.attr);
  if (!attr)
    return reject(RejectReason::unknown_attribute, spec.type + " has no attribute " + reading.attr);
  if (auto bad = check_value(spec, *attr, reading)) return bad;
  if (reading.observed_ms > now.ms + limits.clock_skew_ms)
    return reject(RejectReason::future_time, fmt::format("observed more than {} s in the future",
                                                         limits.clock_skew_ms / 1000));
  if (reading.observed_ms < now.ms - limits.max_age_ms)
    return reject(RejectReason::too_old,
                  fmt::format("observed more than {} hours ago", limits.max_age_ms / 3'600'000));
  return std::nullopt;
}

core::Error to_error(const Rejection& rejection, std::string_view attr) {
  core::Error e{core::ErrorCode::validation_failed, "The reading was refused.", {}};
  e.fields[std::string(attr)] = rejection.message;
  return e;
}

// --- Traffic ---

std::string_view to_string(Congestion level) {
  return kCongestionNames[static_cast<size_t>(level)];
}

std::optional<Congestion> parse_congestion(std::string_view text) {
  for (size_t i = 0; i < kCongestionNames.size(); ++i)
    if (kCongestionNames[i] == text) return static_cast<Congestion>(i);
  return std::nullopt;
}

std::string_view label_id(Congestion level) {
  constexpr std::array<std::string_view, 4> kLabels{"Lancar", "Ramai lancar", "Padat", "Macet"};
  return kLabels[static_cast<size_t>(level)];
}

std::string_view label_en(Congestion level) {
  constexpr std::array<std::string_view, 4> kLabels{"Free flow", "Moderate", "Heavy", "Jammed"};
  return kLabels[static_cast<size_t>(level)];
}

// Speed as a share of free-flow speed is how the US Highway Capacity Manual grades urban
// streets (LOS A..F, F at 30% and below); four bands of 25% are coarser, enough for a public
// map, and read the same on every road whatever its speed limit.
std::optional<Congestion> congestion_level(double avg_speed_kmh, double free_flow_kmh) {
  if (!std::isfinite(avg_speed_kmh) || !std::isfinite(free_flow_kmh) || free_flow_kmh <= 0 ||
      avg_speed_kmh < 0)
    return std::nullopt;
  // Multiplied out rather than divided, so the boundaries are exact (30 of 40 is 75%).
  if (4 * avg_speed_kmh >= 3 * free_flow_kmh) return Congestion::free_flow;
  if (2 * avg_speed_kmh >= free_flow_kmh) return Congestion::moderate;
  if (4 * avg_speed_kmh >= free_flow_kmh) return Congestion::heavy;
  return Congestion::jammed;
}

bool is_congested(Congestion level) {
  return level == Congestion::heavy || level == Congestion::jammed;
}

}  // namespace balai::city
