#pragma once
// Threshold alerts on sensor attributes ("the river at Kali Madiun is above 150 cm"), as a pure
// state machine per (rule, entity): a condition must hold continuously for a duration before an
// alert is raised (one wet reading is not a flood), and once raised it clears only past a
// second, safer threshold (hysteresis), so a value wavering around the threshold raises one
// alert, not a stream of them. No I/O; the service keeps the state per (rule, entity).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace balai::city {

// Which side of the threshold is the alarming one. Strict on both sides: "above 150" is
// > 150, so a value exactly at the threshold is not alarming; an active alert clears when the
// value is strictly past the clear threshold (for above: < clear_threshold), so a value
// exactly at the clear threshold keeps it active.
enum class Comparison { above, below };
std::string_view to_string(Comparison c);  // "above", "below"
std::optional<Comparison> parse_comparison(std::string_view text);

enum class Severity { info, warning, danger };
std::string_view to_string(Severity s);  // "info", "warning", "danger"
std::optional<Severity> parse_severity(std::string_view text);

struct AlertRule {
  std::string id;           // stable, lower-case letters, digits and '-': "banjir-siaga"
  std::string entity_type;  // NGSI type whose entities it watches: "WaterLevelObserved"
  std::string attr;         // the numeric attribute: "waterLevel"
  Comparison comparison = Comparison::above;
  double threshold = 0;  // the alarming side begins strictly past it
  // Where an active alert clears: for above, clear_threshold <= threshold and the alert clears
  // when value < clear_threshold; for below, the mirror image. Equal: no hysteresis.
  double clear_threshold = 0;
  int64_t duration_ms = 0;  // how long the condition must hold before raising; 0: at once
  // A pending condition not heard of for longer than this cannot be said to have held
  // continuously: the next reading starts the wait again. 0: no limit. It never clears an
  // active alert (a gauge that goes silent during a flood has not seen the flood end).
  int64_t max_gap_ms = 15 * 60 * 1'000;
  Severity severity = Severity::warning;
  bool public_alert = true;  // shown to citizens (the public dashboard, the public API)
  std::string name_id;       // "Peringatan banjir"
  std::string name_en;       // "Flood warning"
  std::string message_id;    // what to do, in Indonesian
  std::string message_en;
  bool operator==(const AlertRule&) const = default;
};

// Checks a rule definition; validation_failed listing every bad field otherwise: id format,
// entity_type and attr present (and, for a built-in type, attr one of its numeric attributes
// with the thresholds inside its range), finite thresholds, the clear threshold on the safe
// side of the threshold, durations not negative (and at most a day), names present (name_id
// and name_en, at most 120 characters; messages at most 500).
[[nodiscard]] core::Status check_alert_rule(const AlertRule& rule);

// Whether a rule watches this attribute of entities of this type.
bool watches(const AlertRule& rule, std::string_view entity_type, std::string_view attr);

// The rules a new city starts with (the demo's, and a sensible default).
std::vector<AlertRule> default_alert_rules();

// --- The state machine ---

enum class AlertPhase {
  normal,   // no alert
  pending,  // the condition holds, for less than the duration so far
  active,   // raised
};
std::string_view to_string(AlertPhase p);  // "normal", "pending", "active"

// The state of one rule for one entity. A default-constructed state is "normal, never heard".
struct AlertState {
  AlertPhase phase = AlertPhase::normal;
  core::Timestamp since;  // pending: the first reading of the streak; active: when raised;
                          // normal: when it left pending or active (0 if it never did)
  core::Timestamp last;   // the newest reading applied; older ones are ignored
  bool operator==(const AlertState&) const = default;
};

enum class AlertEvent { none, raised, cleared };
std::string_view to_string(AlertEvent e);  // "none", "raised", "cleared"

struct AlertStep {
  AlertState state;
  AlertEvent event = AlertEvent::none;
};

// The next state after a reading of `value` observed at `at`, and what happened. A reading
// older than state.last (out of order) or not finite changes nothing; one at the same time as
// state.last is applied (a re-delivery leaves the state as it was). Precondition: the rule
// passed check_alert_rule.
AlertStep evaluate(const AlertRule& rule, const AlertState& state, double value,
                   core::Timestamp at);

}  // namespace balai::city
