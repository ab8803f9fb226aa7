#pragma once
// The live city dashboard (/kota) as data: which entities it shows, each one's current values in
// the reader's language and units, the words for its state (a road's congestion, the rain, a
// river gauge's alert stage, the air's ISPU, an incident's severity) and when it was observed on
// the city's clock. Pure functions of their arguments; no I/O; thread-safe.
//
// dashboard_page.cpp turns these into the page's model; kota.js recomputes the same words from
// live values with the thresholds level_settings() hands it, so both speak with one voice.
//
// Two plain (unmeasured) NGSI attributes of an entity feed the levels, because both differ per
// place and no sensor measures them:
//   TrafficFlowObserved.freeFlowSpeed   km/h of the road when empty (the congestion's yardstick)
//   WaterLevelObserved.alertLevels      {"waspada": cm, "siaga": cm, "awas": cm} of that gauge

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/geo.h"
#include "core/time.h"
#include "modules/city/model.h"

namespace balai::city::dashboard {

// --- Levels (pure rules) ---

// BMKG's classes of hourly rain intensity: none (0), light (up to 5 mm/h), moderate (up to
// 10), heavy (up to 20), very heavy (above 20, the threshold of the default alert rule
// "hujan-sangat-lebat"). A boundary belongs to the lighter class, as alert rules compare
// strictly. nullopt for a negative or non-finite rate.
enum class Rain { none, light, moderate, heavy, very_heavy };
std::string_view to_string(Rain rain);  // "none", "light", "moderate", "heavy", "very_heavy"
std::optional<Rain> rain_intensity(double mm_per_hour);
// The class boundaries in mm/h, ascending: a rate above the i-th is at least class i + 1.
inline constexpr double kRainBounds[] = {0, 5, 10, 20};

// A river gauge's alert stages as Indonesian water authorities name them (Normal, then Waspada,
// Siaga, Awas), in cm above the gauge's zero.
struct RiverStages {
  double waspada = 0;
  double siaga = 0;
  double awas = 0;
};
enum class RiverStage { normal, waspada, siaga, awas };
std::string_view to_string(RiverStage stage);  // "normal", "waspada", "siaga", "awas"
// The stages of a gauge from its attribute "alertLevels"; nullopt when it has none, or they are
// not three finite, non-negative numbers in strictly ascending order.
std::optional<RiverStages> river_stages(const Entity& e);
// The stage of a level: strictly above a stage's threshold is that stage (as alert rules
// compare: exactly at "siaga" is still "waspada").
RiverStage river_stage(double level_cm, const RiverStages& stages);

// The congestion boundaries of congestion_level (rules.h) as shares of the free-flow speed,
// for kota.js: a speed at or above the i-th share is level i (free flow, moderate, heavy),
// below all of them jammed. The unit test holds them to the C++ rule.
inline constexpr double kCongestionShares[] = {0.75, 0.5, 0.25};

// --- What the page shows ---

// The catalog's text for a key ("city_dashboard.attrs.waterLevel") in the reader's language.
using Texts = std::function<std::string(std::string_view key)>;

// Who reads, in which language and on which clock.
struct Reader {
  std::string lang = "id";  // "id" or "en"
  core::Zone zone = core::Zone::wib;
  core::Timestamp now;
  Texts text;
};

// What is said beside an entity's values: words, never colour alone.
struct Level {
  std::string key;    // stable, for styling: "congestion-heavy", "rain-light", "river-siaga",
                      // "ispu-sedang", "incident-high"
  std::string words;  // "Padat", "Hujan ringan", "Siaga", "ISPU 72, Sedang (PM2.5)"
  // "#0072bc": the swatch beside the words (ISPU: the regulation's colour from ispu.h). Drawn
  // as an SVG fill, because the CSP allows no inline style.
  std::string colour;
};

// One value as the table shows it.
struct ShownValue {
  std::string attr;   // "waterLevel"
  std::string label;  // "Tinggi muka air"
  std::string text;   // "153", "1.234,5" (the reader's digits), or a text value's words
  std::string unit;   // "cm", "" for text
  int decimals = 0;
  double scale = 1;  // shown = stored × scale (occupancy, a ratio, is shown in percent)
  bool numeric = true;
};

struct ShownEntity {
  std::string id;
  std::string type;        // NGSI type
  std::string kind;        // SensorKind's name: "traffic", "weather", ...
  std::string type_label;  // "Ruas jalan"
  std::string name;        // its "name" attribute, else its id
  std::vector<ShownValue> values;
  std::optional<Level> level;
  core::Timestamp observed;  // the newest dateObserved of its values, else its last change
  std::optional<core::GeoPoint> point;
  std::vector<std::string> charts;  // attributes worth a 24-hour chart, present ones only
};

// Whether the dashboard shows an entity: the built-in public types (traffic, weather, water,
// air) to everybody, SecurityIncident only when `with_private` (staff and integrators). Types
// Balai does not know are open data over NGSI-v2 but have no units or levels to show here.
bool shown(const Entity& e, bool with_private);

// The entity as the page shows it. Attributes of its type it does not carry are left out.
ShownEntity show(const Entity& e, const Reader& reader);

// The words for an entity's state; nullopt when its values say nothing (a gauge without alert
// stages, a road without speed or free-flow speed, an incident without severity).
std::optional<Level> level_of(const Entity& e, const Reader& reader);

// A value of an attribute of a built-in type as the table writes it, with its unit: "162 cm",
// "42 %" (occupancy), "27,5 °C"; the plain number for an attribute the type does not have.
std::string format_value(std::string_view type, std::string_view attr, double value,
                         const Reader& reader);

// Sections in the order the page lists them (traffic, weather, water, air, security), then by
// name, then by id.
void sort_for_display(std::vector<ShownEntity>& entities);

// A number as the reader's language writes it: "1.234,5" in Indonesian, "1,234.5" in English.
std::string format_number(double value, int decimals, std::string_view lang);

// When something was observed: "14.05 WIB" on the reader's day ("14:05 WIB" in English), else
// "27 Nov 14.05 WIB".
std::string format_observed(core::Timestamp t, const Reader& reader);

// The thresholds and words kota.js needs to say the same as level_of() about live values:
// {"congestion": {"shares", "words", "colours"}, "rain": {"bounds", "words", "colours"},
//  "river": {"words", "colours"}, "ispu": {"categories": [{"key","min","words","colour"}],
//  "breakpoints": {pollutant: [[c, i], ...]}, "names": {pollutant: "PM2.5"}, "max", "pattern",
//  "pattern_dominant"}, "severity": {"words", "colours"}, "category": {"words"},
//  "shown": {type: [attributes with a cell]}, "months": [...], "time_separator", "zone",
//  "offset_minutes"}.
boost::json::object level_settings(const Reader& reader);

}  // namespace balai::city::dashboard
