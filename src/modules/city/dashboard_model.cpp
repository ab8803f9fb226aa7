#include "modules/city/dashboard_model.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <boost/json/array.hpp>
#include <cmath>
#include <utility>

#include "core/text.h"
#include "modules/city/ispu.h"
#include "modules/city/ngsi_geo.h"
#include "modules/city/rules.h"

namespace balai::city::dashboard {
namespace {

constexpr size_t kNameMaxBytes = 200;  // a longer "name" is not a name: the id is shown

// How an attribute of a built-in type is shown. Attributes not listed are shown with no
// decimals in their spec's unit.
struct Presentation {
  std::string_view type;
  std::string_view attr;
  int decimals = 0;
  double scale = 1;
  std::string_view unit_key;  // a unit other than the spec's ("percent"), "" for the spec's
  bool hidden = false;        // said by the level instead (congestionLevel, ispu, severity)
};

constexpr std::array<Presentation, 10> kPresentations{{
    {"TrafficFlowObserved", "occupancy", 0, 100, "percent", false},
    {"TrafficFlowObserved", "congestionLevel", 0, 1, "", true},
    {"WeatherObserved", "temperature", 1, 1, "", false},
    {"WeatherObserved", "precipitation", 1, 1, "", false},
    {"WeatherObserved", "windSpeed", 1, 1, "", false},
    {"WaterLevelObserved", "flow", 1, 1, "", false},
    {"AirQualityObserved", "ispu", 0, 1, "", true},
    {"SecurityIncident", "severity", 0, 1, "", true},
    {"SecurityIncident", "confidence", 0, 100, "percent", false},
    {"SecurityIncident", "description", 0, 1, "", false},
}};

// The swatches' colours (GOV.UK's palette, which keeps its meanings apart for most colour
// vision; the words carry the meaning anyway). ISPU's come from the regulation (ispu.h).
constexpr std::array<std::string_view, 4> kCongestionColours{"#00703c", "#ffdd00", "#f47738",
                                                             "#d4351c"};
constexpr std::array<std::string_view, 5> kRainColours{"#ffffff", "#d2e2f1", "#5694ca", "#1d70b8",
                                                       "#003078"};
constexpr std::array<std::string_view, 4> kRiverColours{"#00703c", "#ffdd00", "#f47738", "#d4351c"};
constexpr std::array<std::string_view, 5> kSeverityNames{"informational", "low", "medium", "high",
                                                         "critical"};
constexpr std::array<std::string_view, 5> kSeverityColours{"#b1b4b6", "#ffdd00", "#f47738",
                                                           "#d4351c", "#6e1204"};

template <size_t N>
boost::json::object colours_of(const std::array<std::string_view, N>& names,
                               const std::array<std::string_view, N>& colours) {
  boost::json::object out;
  for (size_t i = 0; i < N; ++i) out[names[i]] = colours[i];
  return out;
}

const Presentation* presentation(std::string_view type, std::string_view attr) {
  for (const auto& p : kPresentations)
    if (p.type == type && p.attr == attr) return &p;
  return nullptr;
}

// The attributes worth a 24-hour chart, by type, in the order the page draws them.
std::vector<std::string_view> chart_candidates(std::string_view type) {
  if (type == "TrafficFlowObserved") return {"averageVehicleSpeed"};
  if (type == "WeatherObserved") return {"temperature", "precipitation"};
  if (type == "WaterLevelObserved") return {"waterLevel"};
  if (type == "AirQualityObserved") return {"ispu", "pm25"};
  return {};
}

std::optional<double> number_attr(const Entity& e, std::string_view name) {
  auto it = e.attrs.find(std::string(name));
  if (it == e.attrs.end()) return std::nullopt;
  return numeric_value(it->second.value);
}

std::optional<std::string> text_attr(const Entity& e, std::string_view name) {
  auto it = e.attrs.find(std::string(name));
  if (it == e.attrs.end() || !it->second.value.is_string()) return std::nullopt;
  return std::string(it->second.value.as_string());
}

std::string fill(std::string pattern,
                 std::initializer_list<std::pair<std::string_view, std::string>> values) {
  for (const auto& [name, value] : values) {
    const std::string marker = "{" + std::string(name) + "}";
    for (size_t at = pattern.find(marker); at != std::string::npos;
         at = pattern.find(marker, at + value.size()))
      pattern.replace(at, marker.size(), value);
  }
  return pattern;
}

std::string unit_text(const AttributeSpec& spec, std::string_view unit_key, const Reader& r) {
  if (!unit_key.empty()) return r.text(fmt::format("city_dashboard.units.{}", unit_key));
  if (spec.unit.empty()) return {};
  // The catalog words the unit in the reader's language ("vehicles/h"); the spec's label (in
  // Indonesian) when the catalog has no entry for the code.
  const std::string key = fmt::format("city_dashboard.units.{}", spec.unit);
  std::string words = r.text(key);
  return words == key || words.empty() ? spec.unit_label : words;
}

// The words for a text value: incidents' categories from the catalog, anything else as sent.
std::string text_words(std::string_view type, std::string_view attr, const std::string& value,
                       const Reader& r) {
  auto vocabulary = text_vocabulary(type, attr);
  if (std::find(vocabulary.begin(), vocabulary.end(), value) == vocabulary.end()) return value;
  return r.text(fmt::format("city_dashboard.{}.{}", attr, value));
}

std::optional<Level> congestion_words(const Entity& e, const Reader& r) {
  std::optional<Congestion> level;
  auto speed = number_attr(e, "averageVehicleSpeed");
  auto free_flow = number_attr(e, "freeFlowSpeed");
  if (speed && free_flow) level = congestion_level(*speed, *free_flow);
  if (!level)
    if (auto sent = text_attr(e, "congestionLevel")) level = parse_congestion(*sent);
  if (!level) return std::nullopt;
  return Level{"congestion-" + std::string(to_string(*level)),
               std::string(r.lang == "en" ? label_en(*level) : label_id(*level)),
               std::string(kCongestionColours[static_cast<size_t>(*level)])};
}

std::optional<Level> ispu_words(const Entity& e, const Reader& r) {
  std::optional<Ispu> ispu;
  bool dominant_known = false;
  if (auto sent = number_attr(e, "ispu"); sent && *sent >= 0) {
    const int index = static_cast<int>(std::lround(*sent));
    ispu = Ispu{index, ispu_category(index), Pollutant::pm25};
  } else {
    // The station sends concentrations only: an indication from the latest values (the
    // regulation averages particulates over 24 hours; the history API has those averages).
    std::vector<std::pair<Pollutant, double>> concentrations;
    for (Pollutant p : {Pollutant::pm25, Pollutant::pm10, Pollutant::so2, Pollutant::co,
                        Pollutant::o3, Pollutant::no2, Pollutant::hc})
      if (auto c = number_attr(e, to_string(p))) concentrations.emplace_back(p, *c);
    ispu = overall_ispu(concentrations);
    dominant_known = ispu.has_value();
  }
  if (!ispu) return std::nullopt;
  const IspuCategoryInfo& info = category_info(ispu->category);
  const std::string category(r.lang == "en" ? info.label_en : info.label_id);
  const std::string index = std::to_string(ispu->index);
  if (!dominant_known)
    return Level{
        "ispu-" + std::string(info.key),
        fill(r.text("city_dashboard.ispu.pattern"), {{"index", index}, {"category", category}}),
        std::string(info.colour_hex)};
  return Level{"ispu-" + std::string(info.key),
               fill(r.text("city_dashboard.ispu.pattern_dominant"),
                    {{"index", index},
                     {"category", category},
                     {"pollutant", std::string(display_name(ispu->dominant))}}),
               std::string(info.colour_hex)};
}

core::Timestamp observed_of(const Entity& e, const EntityTypeSpec& spec) {
  int64_t newest = 0;
  for (const auto& attr : spec.attributes) {
    auto it = e.attrs.find(attr.name);
    if (it == e.attrs.end()) continue;
    const auto* md = it->second.metadata.if_contains("dateObserved");
    if (!md || !md->is_object()) continue;
    const auto* v = md->as_object().if_contains("value");
    if (!v || !v->is_string()) continue;
    if (auto t = core::parse_iso8601(v->as_string())) newest = std::max(newest, t->ms);
  }
  return core::Timestamp{newest ? newest : e.modified_ms};
}

int kind_rank(std::string_view type) {
  const EntityTypeSpec* spec = find_entity_type(type);
  return spec ? static_cast<int>(spec->kind) : 99;
}

boost::json::object words_of(const Reader& r, std::string_view group,
                             std::initializer_list<std::string_view> keys) {
  boost::json::object words;
  for (auto key : keys) words[key] = r.text(fmt::format("city_dashboard.{}.{}", group, key));
  return words;
}

}  // namespace

std::string_view to_string(Rain rain) {
  constexpr std::array<std::string_view, 5> kNames{"none", "light", "moderate", "heavy",
                                                   "very_heavy"};
  return kNames[static_cast<size_t>(rain)];
}

std::optional<Rain> rain_intensity(double mm_per_hour) {
  if (!std::isfinite(mm_per_hour) || mm_per_hour < 0) return std::nullopt;
  int rank = 0;
  for (double bound : kRainBounds)
    if (mm_per_hour > bound) ++rank;
  return static_cast<Rain>(rank);
}

std::string_view to_string(RiverStage stage) {
  constexpr std::array<std::string_view, 4> kNames{"normal", "waspada", "siaga", "awas"};
  return kNames[static_cast<size_t>(stage)];
}

std::optional<RiverStages> river_stages(const Entity& e) {
  auto it = e.attrs.find("alertLevels");
  if (it == e.attrs.end() || !it->second.value.is_object()) return std::nullopt;
  const auto& o = it->second.value.as_object();
  auto stage = [&](std::string_view name) -> std::optional<double> {
    const auto* v = o.if_contains(name);
    if (!v) return std::nullopt;
    auto n = numeric_value(*v);
    if (!n || *n < 0) return std::nullopt;
    return n;
  };
  auto waspada = stage("waspada");
  auto siaga = stage("siaga");
  auto awas = stage("awas");
  if (!waspada || !siaga || !awas || !(*waspada < *siaga && *siaga < *awas)) return std::nullopt;
  return RiverStages{*waspada, *siaga, *awas};
}

RiverStage river_stage(double level_cm, const RiverStages& stages) {
  if (level_cm > stages.awas) return RiverStage::awas;
  if (level_cm > stages.siaga) return RiverStage::siaga;
  if (level_cm > stages.waspada) return RiverStage::waspada;
  return RiverStage::normal;
}

bool shown(const Entity& e, bool with_private) {
  const EntityTypeSpec* spec = find_entity_type(e.type);
  return spec && (spec->public_read || with_private);
}

std::optional<Level> level_of(const Entity& e, const Reader& r) {
  const EntityTypeSpec* spec = find_entity_type(e.type);
  if (!spec) return std::nullopt;
  switch (spec->kind) {
    case SensorKind::traffic:
      return congestion_words(e, r);
    case SensorKind::weather: {
      auto rate = number_attr(e, "precipitation");
      auto rain = rate ? rain_intensity(*rate) : std::nullopt;
      if (!rain) return std::nullopt;
      return Level{"rain-" + std::string(to_string(*rain)),
                   r.text(fmt::format("city_dashboard.rain.{}", to_string(*rain))),
                   std::string(kRainColours[static_cast<size_t>(*rain)])};
    }
    case SensorKind::water_level: {
      auto level = number_attr(e, "waterLevel");
      auto stages = river_stages(e);
      if (!level || !stages) return std::nullopt;
      const RiverStage stage = river_stage(*level, *stages);
      return Level{"river-" + std::string(to_string(stage)),
                   r.text(fmt::format("city_dashboard.river.{}", to_string(stage))),
                   std::string(kRiverColours[static_cast<size_t>(stage)])};
    }
    case SensorKind::air_quality:
      return ispu_words(e, r);
    case SensorKind::security: {
      auto severity = text_attr(e, "severity");
      if (!severity) return std::nullopt;
      for (size_t i = 0; i < kSeverityNames.size(); ++i)
        if (kSeverityNames[i] == *severity)
          return Level{"incident-" + *severity,
                       r.text(fmt::format("city_dashboard.severity.{}", *severity)),
                       std::string(kSeverityColours[i])};
      return std::nullopt;
    }
  }
  return std::nullopt;
}

ShownEntity show(const Entity& e, const Reader& r) {
  ShownEntity out;
  out.id = e.id;
  out.type = e.type;
  out.type_label = r.text(fmt::format("city_dashboard.types.{}", e.type));
  const auto name = text_attr(e, "name");
  out.name = name && !core::trim(*name).empty() && name->size() <= kNameMaxBytes
                 ? std::string(core::trim(*name))
                 : e.id;
  if (auto shape = location_of(e); shape && !shape->points.empty())
    out.point = shape->points.front();
  out.observed = core::Timestamp{e.modified_ms};
  const EntityTypeSpec* spec = find_entity_type(e.type);
  if (!spec) return out;
  out.kind = std::string(to_string(spec->kind));
  out.observed = observed_of(e, *spec);
  out.level = level_of(e, r);
  for (const auto& attr : spec->attributes) {
    auto it = e.attrs.find(attr.name);
    if (it == e.attrs.end() || it->second.value.is_null()) continue;
    const Presentation* how = presentation(e.type, attr.name);
    if (how && how->hidden) continue;
    ShownValue v;
    v.attr = attr.name;
    v.label = r.text(fmt::format("city_dashboard.attrs.{}", attr.name));
    v.numeric = attr.numeric;
    if (attr.numeric) {
      auto n = numeric_value(it->second.value);
      if (!n) continue;  // stored before a rule changed: nothing sensible to say
      v.decimals = how ? how->decimals : 0;
      v.scale = how ? how->scale : 1;
      v.text = format_number(*n * v.scale, v.decimals, r.lang);
      v.unit = unit_text(attr, how ? how->unit_key : std::string_view{}, r);
    } else {
      if (!it->second.value.is_string()) continue;
      v.text = text_words(e.type, attr.name, std::string(it->second.value.as_string()), r);
    }
    out.values.push_back(std::move(v));
  }
  for (auto attr : chart_candidates(e.type)) {
    if (!number_attr(e, attr)) continue;
    out.charts.emplace_back(attr);
    if (attr == "ispu") break;  // the index says it; PM2.5 only where no index is sent
  }
  return out;
}

std::string format_value(std::string_view type, std::string_view attr, double value,
                         const Reader& r) {
  const EntityTypeSpec* spec = find_entity_type(type);
  const AttributeSpec* a = spec ? find_attribute(*spec, attr) : nullptr;
  const Presentation* how = presentation(type, attr);
  const int decimals = how ? how->decimals : 0;
  const double scale = how ? how->scale : 1;
  std::string text = format_number(value * scale, decimals, r.lang);
  if (!a) return text;
  const std::string unit = unit_text(*a, how ? how->unit_key : std::string_view{}, r);
  return unit.empty() ? text : text + " " + unit;
}

void sort_for_display(std::vector<ShownEntity>& entities) {
  std::sort(entities.begin(), entities.end(), [](const ShownEntity& a, const ShownEntity& b) {
    const int ra = kind_rank(a.type);
    const int rb = kind_rank(b.type);
    if (ra != rb) return ra < rb;
    if (a.name != b.name) return a.name < b.name;
    return a.id < b.id;
  });
}

std::string format_number(double value, int decimals, std::string_view lang) {
  const bool english = lang == "en";
  std::string plain = fmt::format("{:.{}f}", value, decimals);
  if (plain.find_first_not_of("-0.") == std::string::npos && plain.starts_with('-'))
    plain.erase(0, 1);  // "-0.0" reads as a sign error
  const bool negative = plain.starts_with('-');
  const size_t point = plain.find('.');
  const std::string whole = plain.substr(negative ? 1 : 0, point - (negative ? 1 : 0));
  std::string out = negative ? "-" : "";
  for (size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) out += english ? ',' : '.';
    out += whole[i];
  }
  if (point != std::string::npos) out += (english ? "." : ",") + plain.substr(point + 1);
  return out;
}

std::string format_observed(core::Timestamp t, const Reader& r) {
  const core::LocalTime local = core::to_local_time(t, r.zone);
  const core::LocalTime today = core::to_local_time(r.now, r.zone);
  const std::string clock = fmt::format("{:02}{}{:02} {}", local.hour, r.lang == "en" ? ":" : ".",
                                        local.minute, core::zone_abbreviation(r.zone));
  if (local.date == today.date) return clock;
  return fmt::format("{} {} {}", local.date.day,
                     r.text(fmt::format("city_dashboard.months.m{}", local.date.month)), clock);
}

boost::json::object level_settings(const Reader& r) {
  boost::json::object out;
  boost::json::object congestion_words;
  for (Congestion c :
       {Congestion::free_flow, Congestion::moderate, Congestion::heavy, Congestion::jammed})
    congestion_words[to_string(c)] = r.lang == "en" ? label_en(c) : label_id(c);
  out["congestion"] = {
      {"shares", boost::json::array(std::begin(kCongestionShares), std::end(kCongestionShares))},
      {"words", std::move(congestion_words)},
      {"colours", colours_of<4>({"free_flow", "moderate", "heavy", "jammed"}, kCongestionColours)}};
  out["rain"] = {
      {"bounds", boost::json::array(std::begin(kRainBounds), std::end(kRainBounds))},
      {"words", words_of(r, "rain", {"none", "light", "moderate", "heavy", "very_heavy"})},
      {"colours",
       colours_of<5>({"none", "light", "moderate", "heavy", "very_heavy"}, kRainColours)}};
  out["river"] = {
      {"words", words_of(r, "river", {"normal", "waspada", "siaga", "awas"})},
      {"colours", colours_of<4>({"normal", "waspada", "siaga", "awas"}, kRiverColours)}};

  boost::json::array categories;
  for (IspuCategory c : {IspuCategory::baik, IspuCategory::sedang, IspuCategory::tidak_sehat,
                         IspuCategory::sangat_tidak_sehat, IspuCategory::berbahaya}) {
    const IspuCategoryInfo& info = category_info(c);
    categories.push_back({{"key", info.key},
                          {"min", info.min},
                          {"words", r.lang == "en" ? info.label_en : info.label_id},
                          {"colour", info.colour_hex}});
  }
  boost::json::object breakpoints;
  boost::json::object names;
  for (Pollutant p : {Pollutant::pm25, Pollutant::pm10, Pollutant::so2, Pollutant::co,
                      Pollutant::o3, Pollutant::no2, Pollutant::hc}) {
    boost::json::array table;
    for (const auto& b : ispu_breakpoints(p)) table.push_back({b.concentration, b.index});
    breakpoints[to_string(p)] = std::move(table);
    names[to_string(p)] = display_name(p);
  }
  out["ispu"] = {{"categories", std::move(categories)},
                 {"breakpoints", std::move(breakpoints)},
                 {"names", std::move(names)},
                 {"max", kIspuMax},
                 {"pattern", r.text("city_dashboard.ispu.pattern")},
                 {"pattern_dominant", r.text("city_dashboard.ispu.pattern_dominant")}};
  out["severity"] = {
      {"words", words_of(r, "severity", {"informational", "low", "medium", "high", "critical"})},
      {"colours", colours_of(kSeverityNames, kSeverityColours)}};
  out["category"] = {{"words", words_of(r, "category",
                                        {"panic", "crowd", "fire", "accident", "flood", "intrusion",
                                         "vandalism", "medical", "other"})}};
  // The attributes each type has a cell for: a change to another one of these means the table
  // lacks a cell (kota.js reloads it); any other attribute is plain NGSI or said by the level.
  boost::json::object shown_attrs;
  for (const auto& spec : builtin_entity_types()) {
    boost::json::array names_of_type;
    for (const auto& attr : spec.attributes) {
      const Presentation* how = presentation(spec.type, attr.name);
      if (!how || !how->hidden) names_of_type.emplace_back(attr.name);
    }
    shown_attrs[spec.type] = std::move(names_of_type);
  }
  out["shown"] = std::move(shown_attrs);
  boost::json::array months;
  for (int m = 1; m <= 12; ++m)
    months.emplace_back(r.text(fmt::format("city_dashboard.months.m{}", m)));
  out["months"] = std::move(months);
  out["time_separator"] = r.lang == "en" ? ":" : ".";
  out["zone"] = core::zone_abbreviation(r.zone);
  out["offset_minutes"] = core::offset_minutes(r.zone);
  return out;
}

}  // namespace balai::city::dashboard
