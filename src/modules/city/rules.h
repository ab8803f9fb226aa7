#pragma once
// The city module's pure rules for sensor data: the catalogue of entity types Balai knows out
// of the box (their attributes, units and physical ranges), the check every reading passes
// before it is stored, and the traffic congestion level. No I/O; unit-tested alone.
//
// Units are UN/CEFACT Recommendation 20 common codes, as FIWARE's NGSI "unitCode" metadata
// carries them. The codes used here:
//   CEL degree Celsius       P1  percent              H67 millimetre per hour
//   MTS metre per second     DD  degree (angle)       KMH kilometre per hour
//   CMT centimetre           MQS cubic metre/second   GQ  microgram per cubic metre
//   C62 one (a pure number)  H10 reciprocal hour (vehicles per hour: Rec 20 has no "vehicle")

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "modules/city/model.h"

namespace balai::city {

// --- The catalogue ---

// The built-in entity types, in a fixed order: TrafficFlowObserved, WeatherObserved,
// WaterLevelObserved, AirQualityObserved, SecurityIncident. Built once, never changed;
// thread-safe to read.
const std::vector<EntityTypeSpec>& builtin_entity_types();

// The built-in spec of an NGSI type; nullptr for a type Balai does not know (such entities are
// stored as plain NGSI, unchecked). The pointer lives as long as the program.
const EntityTypeSpec* find_entity_type(std::string_view type);

// The spec of one attribute of a type; nullptr when the type has no such attribute.
const AttributeSpec* find_attribute(const EntityTypeSpec& spec, std::string_view name);

// The values a text attribute of a built-in type may take (e.g. SecurityIncident.category:
// "panic", "crowd", "fire", ...); empty when any short text is allowed.
std::span<const std::string_view> text_vocabulary(std::string_view type, std::string_view attr);

// --- Readings ---

// Why a reading was refused. The names (to_string) are stable: they are the label values of
// the ingestion's rejection counter, so renaming one breaks dashboards.
enum class RejectReason {
  unknown_entity,     // no such entity, or the device may not write it (ingestion decides)
  unknown_attribute,  // the entity's type has no such attribute
  wrong_type,         // text for a number, a number for text, null, NaN or infinity
  out_of_range,       // outside the physical range; text too long or not in the vocabulary
  wrong_unit,         // a unit other than the attribute's (code or label)
  future_time,        // observed later than now plus the allowed clock skew
  too_old,            // observed earlier than now minus the maximum age
};
std::string_view to_string(RejectReason reason);  // "unknown_entity", "wrong_unit", ...

// How far a reading's time may stray from the server's clock. Devices' clocks drift and
// buffered readings arrive late; beyond these, a time is more likely wrong than real.
struct ReadingLimits {
  int64_t clock_skew_ms = 60'000;                   // into the future
  int64_t max_age_ms = 7LL * 24 * 60 * 60 * 1'000;  // into the past (a week of buffering)
};

inline constexpr size_t kTextMaxBytes = 500;  // a text attribute's value (UTF-8 bytes)

// A refused reading: the reason to count, and a message for logs and the API (it names the
// attribute and the rule, never more than the reading itself carried).
struct Rejection {
  RejectReason reason = RejectReason::unknown_attribute;
  std::string message;
};

// Checks one reading against its entity's type, in this order (the first failing rule wins):
// the attribute exists; the value has its type (a finite JSON number for numeric attributes, a
// string of at most kTextMaxBytes without control characters for text); the unit is empty (the
// spec's is assumed), the spec's code (any case) or the spec's label; the value lies in the
// range (inclusive) or the vocabulary; the observed time lies in [now - max_age,
// now + clock_skew] (both ends accepted). The unit comes before the range because a value in
// another unit cannot be judged against this one's range. nullopt: accepted. Never returns
// unknown_entity (the caller, which resolves the entity, does). Pure; thread-safe.
[[nodiscard]] std::optional<Rejection> check_reading(const EntityTypeSpec& spec,
                                                     const Reading& reading, core::Timestamp now,
                                                     const ReadingLimits& limits = {});

// The rejection as an API error: validation_failed, the attribute as the field.
core::Error to_error(const Rejection& rejection, std::string_view attr);

// A JSON number as a double (int64, uint64 or double); nullopt for anything else and for NaN
// or infinity.
std::optional<double> numeric_value(const boost::json::value& value);

// --- Traffic ---

// How congested a road is, from the average speed against the road's free-flow speed (the
// speed when it is empty). Four levels, as Indonesian traffic reports speak of them.
enum class Congestion {
  free_flow,  // "lancar": speed >= 75% of free flow
  moderate,   // "ramai lancar": 50% <= speed < 75%
  heavy,      // "padat": 25% <= speed < 50%
  jammed,     // "macet": speed < 25%
};
std::string_view to_string(Congestion level);  // "free_flow", "moderate", "heavy", "jammed"
std::optional<Congestion> parse_congestion(std::string_view text);
std::string_view label_id(Congestion level);  // "Lancar", "Ramai lancar", "Padat", "Macet"
std::string_view label_en(Congestion level);  // "Free flow", "Moderate", "Heavy", "Jammed"

// The level for an average speed and a free-flow speed, both km/h. A boundary belongs to the
// better level (exactly 75% is free flow). A speed above free flow is free flow. nullopt when
// free_flow_kmh is not positive, or either speed is negative or not finite.
std::optional<Congestion> congestion_level(double avg_speed_kmh, double free_flow_kmh);

// Whether a level counts as FIWARE TrafficFlowObserved's boolean `congested` (heavy or jammed).
bool is_congested(Congestion level);

}  // namespace balai::city
