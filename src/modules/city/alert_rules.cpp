#include "modules/city/alert_rules.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

#include "core/text.h"
#include "modules/city/rules.h"

namespace balai::city {
namespace {

constexpr int64_t kMaxDurationMs = 24LL * 60 * 60 * 1'000;
constexpr size_t kNameMax = 120;     // characters
constexpr size_t kMessageMax = 500;  // characters
constexpr size_t kIdMax = 64;

bool valid_id(std::string_view id) {
  return !id.empty() && id.size() <= kIdMax && id.front() != '-' &&
         std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
         });
}

// Strictly on the alarming side of the threshold.
bool alarming(const AlertRule& rule, double value) {
  return rule.comparison == Comparison::above ? value > rule.threshold : value < rule.threshold;
}

// Strictly past the clear threshold, on the safe side.
bool cleared(const AlertRule& rule, double value) {
  return rule.comparison == Comparison::above ? value < rule.clear_threshold
                                              : value > rule.clear_threshold;
}

void check_thresholds(const AlertRule& rule, std::map<std::string, std::string>& errors) {
  if (!std::isfinite(rule.threshold)) errors["threshold"] = "must be a finite number";
  if (!std::isfinite(rule.clear_threshold)) errors["clear_threshold"] = "must be a finite number";
  if (errors.count("threshold") || errors.count("clear_threshold")) return;
  if (rule.comparison == Comparison::above && rule.clear_threshold > rule.threshold)
    errors["clear_threshold"] = "must not be above the threshold of an \"above\" rule";
  if (rule.comparison == Comparison::below && rule.clear_threshold < rule.threshold)
    errors["clear_threshold"] = "must not be below the threshold of a \"below\" rule";
}

// For a built-in type: the attribute must be one of its numbers, and the thresholds inside its
// physical range, with room on the alarming side (else the rule could never fire).
void check_against_catalogue(const AlertRule& rule, std::map<std::string, std::string>& errors) {
  const EntityTypeSpec* type = find_entity_type(rule.entity_type);
  if (!type || rule.attr.empty()) return;
  const AttributeSpec* attr = find_attribute(*type, rule.attr);
  if (!attr || !attr->numeric) {
    errors["attr"] = "not a numeric attribute of " + rule.entity_type;
    return;
  }
  if (errors.count("threshold") || errors.count("clear_threshold")) return;
  const bool reachable = rule.comparison == Comparison::above ? rule.threshold < attr->max
                                                              : rule.threshold > attr->min;
  if (rule.threshold < attr->min || rule.threshold > attr->max || !reachable)
    errors["threshold"] = "outside what " + rule.attr + " can reach";
  else if (rule.clear_threshold < attr->min || rule.clear_threshold > attr->max)
    errors["clear_threshold"] = "outside what " + rule.attr + " can reach";
}

void check_text(std::string_view text, std::string_view field, size_t max, bool required,
                std::map<std::string, std::string>& errors) {
  const std::string_view t = core::trim(text);
  if (required && t.empty())
    errors[std::string(field)] = "required";
  else if (core::utf8_length(t) > max)
    errors[std::string(field)] = "at most " + std::to_string(max) + " characters";
}

AlertStep step(AlertPhase phase, core::Timestamp since, core::Timestamp at, AlertEvent event) {
  return AlertStep{AlertState{phase, since, at}, event};
}

}  // namespace

std::string_view to_string(Comparison c) {
  return c == Comparison::above ? "above" : "below";
}

std::optional<Comparison> parse_comparison(std::string_view text) {
  if (text == "above") return Comparison::above;
  if (text == "below") return Comparison::below;
  return std::nullopt;
}

std::string_view to_string(Severity s) {
  constexpr std::array<std::string_view, 3> kNames{"info", "warning", "danger"};
  return kNames[static_cast<size_t>(s)];
}

std::optional<Severity> parse_severity(std::string_view text) {
  for (Severity s : {Severity::info, Severity::warning, Severity::danger})
    if (to_string(s) == text) return s;
  return std::nullopt;
}

std::string_view to_string(AlertPhase p) {
  constexpr std::array<std::string_view, 3> kNames{"normal", "pending", "active"};
  return kNames[static_cast<size_t>(p)];
}

std::string_view to_string(AlertEvent e) {
  constexpr std::array<std::string_view, 3> kNames{"none", "raised", "cleared"};
  return kNames[static_cast<size_t>(e)];
}

core::Status check_alert_rule(const AlertRule& rule) {
  std::map<std::string, std::string> errors;
  if (!valid_id(rule.id))
    errors["id"] = "1 to 64 lower-case letters, digits and '-', not starting with '-'";
  if (core::trim(rule.entity_type).empty()) errors["entity_type"] = "required";
  if (core::trim(rule.attr).empty()) errors["attr"] = "required";
  check_thresholds(rule, errors);
  check_against_catalogue(rule, errors);
  if (rule.duration_ms < 0 || rule.duration_ms > kMaxDurationMs)
    errors["duration_ms"] = "from 0 to 86400000 (a day)";
  if (rule.max_gap_ms < 0 || rule.max_gap_ms > kMaxDurationMs)
    errors["max_gap_ms"] = "from 0 (no limit) to 86400000 (a day)";
  check_text(rule.name_id, "name_id", kNameMax, true, errors);
  check_text(rule.name_en, "name_en", kNameMax, true, errors);
  check_text(rule.message_id, "message_id", kMessageMax, false, errors);
  check_text(rule.message_en, "message_en", kMessageMax, false, errors);
  if (errors.empty()) return {};
  core::Error e{core::ErrorCode::validation_failed, "The alert rule has problems.", {}};
  e.fields = std::move(errors);
  return e;
}

bool watches(const AlertRule& rule, std::string_view entity_type, std::string_view attr) {
  return rule.entity_type == entity_type && rule.attr == attr;
}

std::vector<AlertRule> default_alert_rules() {
  std::vector<AlertRule> rules;

  AlertRule flood;
  flood.id = "banjir-siaga";
  flood.entity_type = "WaterLevelObserved";
  flood.attr = "waterLevel";
  flood.threshold = 150;        // cm above the gauge's zero; each river's own level differs,
  flood.clear_threshold = 140;  // so a city tunes these per gauge
  flood.duration_ms = 5 * 60 * 1'000;
  flood.severity = Severity::danger;
  flood.name_id = "Peringatan banjir";
  flood.name_en = "Flood warning";
  flood.message_id =
      "Tinggi muka air di atas 150 cm. Warga bantaran sungai bersiap mengungsi dan ikuti arahan "
      "BPBD.";
  flood.message_en =
      "The water level is above 150 cm. Riverside residents should prepare to evacuate and "
      "follow BPBD's instructions.";
  rules.push_back(flood);

  // ISPU above 200 is the regulation's "Sangat Tidak Sehat" (very unhealthy).
  AlertRule air;
  air.id = "udara-sangat-tidak-sehat";
  air.entity_type = "AirQualityObserved";
  air.attr = "ispu";
  air.threshold = 200;
  air.clear_threshold = 180;
  air.duration_ms = 10 * 60 * 1'000;
  air.severity = Severity::danger;
  air.name_id = "Udara sangat tidak sehat";
  air.name_en = "Very unhealthy air";
  air.message_id =
      "ISPU di atas 200. Kurangi kegiatan di luar ruangan dan gunakan masker bila harus keluar.";
  air.message_en = "ISPU is above 200. Limit time outdoors and wear a mask if you must go out.";
  rules.push_back(air);

  // BMKG's hourly rain classes: above 20 mm/h is "sangat lebat" (very heavy).
  AlertRule rain;
  rain.id = "hujan-sangat-lebat";
  rain.entity_type = "WeatherObserved";
  rain.attr = "precipitation";
  rain.threshold = 20;
  rain.clear_threshold = 10;
  rain.duration_ms = 10 * 60 * 1'000;
  rain.severity = Severity::warning;
  rain.name_id = "Hujan sangat lebat";
  rain.name_en = "Very heavy rain";
  rain.message_id = "Hujan sangat lebat. Waspadai genangan, banjir dan pohon tumbang.";
  rain.message_en = "Very heavy rain. Watch for waterlogging, floods and falling trees.";
  rules.push_back(rain);

  return rules;
}

AlertStep evaluate(const AlertRule& rule, const AlertState& state, double value,
                   core::Timestamp at) {
  if (at < state.last || !std::isfinite(value)) return AlertStep{state, AlertEvent::none};
  const bool alarm = alarming(rule, value);

  switch (state.phase) {
    case AlertPhase::normal:
      if (!alarm) return step(AlertPhase::normal, state.since, at, AlertEvent::none);
      if (rule.duration_ms == 0) return step(AlertPhase::active, at, at, AlertEvent::raised);
      return step(AlertPhase::pending, at, at, AlertEvent::none);

    case AlertPhase::pending: {
      if (!alarm) return step(AlertPhase::normal, at, at, AlertEvent::none);
      // Silence too long to vouch for: this reading starts the wait again.
      const bool gap = rule.max_gap_ms > 0 && at.ms - state.last.ms > rule.max_gap_ms;
      const core::Timestamp since = gap ? at : state.since;
      if (at.ms - since.ms >= rule.duration_ms)
        return step(AlertPhase::active, at, at, AlertEvent::raised);
      return step(AlertPhase::pending, since, at, AlertEvent::none);
    }

    case AlertPhase::active:
      if (cleared(rule, value)) return step(AlertPhase::normal, at, at, AlertEvent::cleared);
      return step(AlertPhase::active, state.since, at, AlertEvent::none);
  }
  return AlertStep{state, AlertEvent::none};
}

}  // namespace balai::city
