#include "modules/city/alert_rules.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

namespace balai::city {
namespace {

constexpr int64_t kMinute = 60'000;
constexpr int64_t kT0 = 1'800'000'000'000;

core::Timestamp at_minute(double minutes) {
  return core::Timestamp{kT0 + static_cast<int64_t>(minutes * kMinute)};
}

// Water level above 150 cm for 5 minutes; clears below 140.
AlertRule flood_rule() {
  AlertRule r;
  r.id = "banjir-siaga";
  r.entity_type = "WaterLevelObserved";
  r.attr = "waterLevel";
  r.comparison = Comparison::above;
  r.threshold = 150;
  r.clear_threshold = 140;
  r.duration_ms = 5 * kMinute;
  r.max_gap_ms = 15 * kMinute;
  r.severity = Severity::danger;
  r.name_id = "Peringatan banjir";
  r.name_en = "Flood warning";
  return r;
}

// Feeds readings {minute, value} from a state; returns the final step and every event.
struct Run {
  AlertStep last;
  std::vector<AlertEvent> events;  // the non-none events, in order
};
Run feed(const AlertRule& rule, const std::vector<std::pair<double, double>>& readings,
         AlertState state = {}) {
  Run run{{state, AlertEvent::none}, {}};
  for (const auto& [minute, value] : readings) {
    run.last = evaluate(rule, run.last.state, value, at_minute(minute));
    if (run.last.event != AlertEvent::none) run.events.push_back(run.last.event);
  }
  return run;
}

using Events = std::vector<AlertEvent>;

std::string problems(const AlertRule& rule) {
  auto status = check_alert_rule(rule);
  if (status.ok()) return "ok";
  std::string out;
  for (const auto& [field, message] : status.error().fields)
    out += (out.empty() ? "" : ",") + field;
  return out;
}

// --- Checking a rule ---

TEST(AlertRuleCheck, AcceptsAWellFormedRule) {
  EXPECT_EQ(problems(flood_rule()), "ok");
}

TEST(AlertRuleCheck, TheDefaultRulesAreValid) {
  const auto rules = default_alert_rules();
  ASSERT_GE(rules.size(), 2u);
  for (const auto& r : rules) EXPECT_EQ(problems(r), "ok") << r.id;
}

TEST(AlertRuleCheck, TheDefaultsHoldTheFloodAndAirRules) {
  const auto rules = default_alert_rules();
  const AlertRule& flood = rules.at(0);
  EXPECT_EQ(flood.entity_type, "WaterLevelObserved");
  EXPECT_EQ(flood.attr, "waterLevel");
  EXPECT_EQ(flood.threshold, 150);
  EXPECT_EQ(flood.clear_threshold, 140);
  EXPECT_EQ(flood.duration_ms, 5 * kMinute);
  EXPECT_EQ(flood.name_id, "Peringatan banjir");
  const AlertRule& air = rules.at(1);
  EXPECT_EQ(air.attr, "ispu");
  EXPECT_EQ(air.threshold, 200);
  EXPECT_EQ(air.clear_threshold, 180);
  EXPECT_EQ(air.duration_ms, 10 * kMinute);
}

TEST(AlertRuleCheck, RefusesABadId) {
  for (const char* id : {"", "Banjir", "banjir siaga", "-banjir", "banjir_siaga"}) {
    AlertRule r = flood_rule();
    r.id = id;
    EXPECT_EQ(problems(r), "id") << id;
  }
  AlertRule r = flood_rule();
  r.id = std::string(65, 'a');
  EXPECT_EQ(problems(r), "id");
}

TEST(AlertRuleCheck, NeedsAnEntityTypeAndAnAttribute) {
  AlertRule r = flood_rule();
  r.entity_type = "";
  r.attr = " ";
  EXPECT_EQ(problems(r), "attr,entity_type");
}

TEST(AlertRuleCheck, TheAttributeMustBeANumberOfABuiltInType) {
  AlertRule r = flood_rule();
  r.attr = "temperature";
  EXPECT_EQ(problems(r), "attr");
  AlertRule text = flood_rule();
  text.entity_type = "SecurityIncident";
  text.attr = "category";
  EXPECT_EQ(problems(text), "attr");
}

TEST(AlertRuleCheck, AnyAttributeOfAnUnknownTypeIsAccepted) {
  AlertRule r = flood_rule();
  r.entity_type = "ParkingSpot";
  r.attr = "occupancyRate";
  r.threshold = 1e6;
  r.clear_threshold = 1e6;
  EXPECT_EQ(problems(r), "ok");
}

TEST(AlertRuleCheck, RefusesAClearThresholdOnTheAlarmingSide) {
  AlertRule above = flood_rule();
  above.clear_threshold = 151;
  EXPECT_EQ(problems(above), "clear_threshold");

  AlertRule below = flood_rule();
  below.comparison = Comparison::below;
  below.threshold = 20;
  below.clear_threshold = 19;
  EXPECT_EQ(problems(below), "clear_threshold");
  below.clear_threshold = 30;
  EXPECT_EQ(problems(below), "ok");
}

TEST(AlertRuleCheck, AClearThresholdEqualToTheThresholdMeansNoHysteresis) {
  AlertRule r = flood_rule();
  r.clear_threshold = r.threshold;
  EXPECT_EQ(problems(r), "ok");
}

TEST(AlertRuleCheck, RefusesNonFiniteThresholds) {
  AlertRule r = flood_rule();
  r.threshold = std::nan("");
  r.clear_threshold = INFINITY;
  EXPECT_EQ(problems(r), "clear_threshold,threshold");
}

TEST(AlertRuleCheck, RefusesThresholdsTheAttributeCannotReach) {
  AlertRule r = flood_rule();
  r.threshold = 2000;  // waterLevel's maximum: "above 2000" can never happen
  r.clear_threshold = 1900;
  EXPECT_EQ(problems(r), "threshold");
  r.threshold = -5;
  r.clear_threshold = -10;
  EXPECT_EQ(problems(r), "threshold");

  AlertRule below = flood_rule();
  below.comparison = Comparison::below;
  below.threshold = 0;  // waterLevel's minimum: "below 0" can never happen
  below.clear_threshold = 10;
  EXPECT_EQ(problems(below), "threshold");

  AlertRule clear = flood_rule();
  clear.clear_threshold = -1;
  EXPECT_EQ(problems(clear), "clear_threshold");
}

TEST(AlertRuleCheck, RefusesNegativeOrOverlongDurations) {
  AlertRule r = flood_rule();
  r.duration_ms = -1;
  EXPECT_EQ(problems(r), "duration_ms");
  r.duration_ms = 24 * 60 * kMinute + 1;
  EXPECT_EQ(problems(r), "duration_ms");
  r.duration_ms = 0;
  EXPECT_EQ(problems(r), "ok");
  r.max_gap_ms = -1;
  EXPECT_EQ(problems(r), "max_gap_ms");
  r.max_gap_ms = 0;
  EXPECT_EQ(problems(r), "ok");
}

TEST(AlertRuleCheck, NeedsNamesInBothLanguagesAndBoundsTheTexts) {
  AlertRule r = flood_rule();
  r.name_id = "  ";
  r.name_en = "";
  EXPECT_EQ(problems(r), "name_en,name_id");
  AlertRule longer = flood_rule();
  longer.name_id = std::string(121, 'a');
  longer.message_en = std::string(501, 'a');
  EXPECT_EQ(problems(longer), "message_en,name_id");
}

TEST(AlertRuleCheck, AnswersValidationFailed) {
  AlertRule r = flood_rule();
  r.duration_ms = -1;
  auto status = check_alert_rule(r);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, core::ErrorCode::validation_failed);
}

TEST(AlertRuleCheck, NamesRoundTrip) {
  for (auto c : {Comparison::above, Comparison::below})
    EXPECT_EQ(parse_comparison(to_string(c)), c);
  for (auto s : {Severity::info, Severity::warning, Severity::danger})
    EXPECT_EQ(parse_severity(to_string(s)), s);
  EXPECT_EQ(to_string(Severity::danger), "danger");
  EXPECT_FALSE(parse_severity("critical"));
  EXPECT_FALSE(parse_comparison(">"));
  EXPECT_EQ(to_string(AlertPhase::pending), "pending");
  EXPECT_EQ(to_string(AlertEvent::raised), "raised");
  EXPECT_EQ(to_string(AlertEvent::cleared), "cleared");
}

TEST(AlertRuleCheck, WatchesItsOwnTypeAndAttributeOnly) {
  const AlertRule r = flood_rule();
  EXPECT_TRUE(watches(r, "WaterLevelObserved", "waterLevel"));
  EXPECT_FALSE(watches(r, "WaterLevelObserved", "flow"));
  EXPECT_FALSE(watches(r, "WeatherObserved", "waterLevel"));
}

// --- The state machine ---

TEST(AlertState, StaysNormalBelowTheThreshold) {
  auto run = feed(flood_rule(), {{0, 120}, {1, 149}, {10, 149.9}});
  EXPECT_EQ(run.last.state.phase, AlertPhase::normal);
  EXPECT_TRUE(run.events.empty());
}

TEST(AlertState, ExactlyAtTheThresholdIsNotAbove) {
  auto run = feed(flood_rule(), {{0, 150}, {10, 150}});
  EXPECT_EQ(run.last.state.phase, AlertPhase::normal);
  EXPECT_TRUE(run.events.empty());
}

TEST(AlertState, WaitsForTheDurationBeforeRaising) {
  auto run = feed(flood_rule(), {{0, 151}, {2, 155}, {4.9, 160}});
  EXPECT_EQ(run.last.state.phase, AlertPhase::pending);
  EXPECT_EQ(run.last.state.since, at_minute(0));
  EXPECT_TRUE(run.events.empty());

  auto step = evaluate(flood_rule(), run.last.state, 158, at_minute(5));  // exactly 5 minutes
  EXPECT_EQ(step.event, AlertEvent::raised);
  EXPECT_EQ(step.state.phase, AlertPhase::active);
  EXPECT_EQ(step.state.since, at_minute(5));
}

TEST(AlertState, ADurationOfZeroRaisesOnTheFirstReading) {
  AlertRule r = flood_rule();
  r.duration_ms = 0;
  auto step = evaluate(r, AlertState{}, 151, at_minute(0));
  EXPECT_EQ(step.event, AlertEvent::raised);
  EXPECT_EQ(step.state.phase, AlertPhase::active);
}

TEST(AlertState, AnInterruptedConditionStartsTheWaitAgain) {
  auto run = feed(flood_rule(), {{0, 151}, {4, 155}, {4.5, 150}, {5, 152}, {9, 160}});
  EXPECT_EQ(run.last.state.phase, AlertPhase::pending);
  EXPECT_EQ(run.last.state.since, at_minute(5));
  EXPECT_TRUE(run.events.empty());
  auto raised = feed(flood_rule(), {{10, 160}}, run.last.state);
  EXPECT_EQ(raised.events, Events{AlertEvent::raised});
}

TEST(AlertState, FlappingAroundTheThresholdRaisesOnce) {
  auto run = feed(flood_rule(), {{0, 151},
                                 {5, 152},  // raised
                                 {6, 149},
                                 {7, 151},
                                 {8, 145},
                                 {9, 153},
                                 {10, 140},  // exactly the clear threshold: still active
                                 {11, 155}});
  EXPECT_EQ(run.events, Events{AlertEvent::raised});
  EXPECT_EQ(run.last.state.phase, AlertPhase::active);
  EXPECT_EQ(run.last.state.since, at_minute(5));
}

TEST(AlertState, ClearsOnlyBelowTheClearThreshold) {
  auto run = feed(flood_rule(), {{0, 151}, {5, 152}, {6, 140}});
  EXPECT_EQ(run.last.state.phase, AlertPhase::active);
  auto step = evaluate(flood_rule(), run.last.state, 139.9, at_minute(7));
  EXPECT_EQ(step.event, AlertEvent::cleared);
  EXPECT_EQ(step.state.phase, AlertPhase::normal);
  EXPECT_EQ(step.state.since, at_minute(7));
}

TEST(AlertState, AfterClearingTheFullDurationIsNeededAgain) {
  auto run = feed(flood_rule(), {{0, 151}, {5, 152}, {6, 130}, {7, 151}, {11, 152}});
  EXPECT_EQ(run.events, (Events{AlertEvent::raised, AlertEvent::cleared}));
  EXPECT_EQ(run.last.state.phase, AlertPhase::pending);
  auto again = feed(flood_rule(), {{12, 152}}, run.last.state);
  EXPECT_EQ(again.events, Events{AlertEvent::raised});
}

TEST(AlertState, WithoutHysteresisClearsJustBelowTheThreshold) {
  AlertRule r = flood_rule();
  r.clear_threshold = r.threshold;
  auto run = feed(r, {{0, 151}, {5, 151}, {6, 150}});
  EXPECT_EQ(run.last.state.phase, AlertPhase::active);  // 150 is neither above nor below
  auto step = evaluate(r, run.last.state, 149.99, at_minute(7));
  EXPECT_EQ(step.event, AlertEvent::cleared);
}

TEST(AlertState, IgnoresAReadingOlderThanTheLastOne) {
  auto run = feed(flood_rule(), {{0, 151}, {5, 152}});
  ASSERT_EQ(run.last.state.phase, AlertPhase::active);
  auto late = evaluate(flood_rule(), run.last.state, 100, at_minute(4));
  EXPECT_EQ(late.event, AlertEvent::none);
  EXPECT_EQ(late.state, run.last.state);
}

TEST(AlertState, AnOlderReadingCannotShortenTheWait) {
  // 152 at minute 3 arrives first; 151 observed at minute 0 arrives late and is ignored, so
  // the wait still runs from minute 3.
  auto run = feed(flood_rule(), {{3, 152}, {0, 151}, {6, 153}});
  EXPECT_EQ(run.last.state.phase, AlertPhase::pending);
  EXPECT_EQ(run.last.state.since, at_minute(3));
  EXPECT_TRUE(run.events.empty());
}

TEST(AlertState, AReDeliveredReadingChangesNothing) {
  auto run = feed(flood_rule(), {{0, 151}, {5, 152}});
  auto again = evaluate(flood_rule(), run.last.state, 152, at_minute(5));
  EXPECT_EQ(again.event, AlertEvent::none);
  EXPECT_EQ(again.state, run.last.state);
}

TEST(AlertState, ASilenceLongerThanTheMaximumGapRestartsTheWait) {
  auto run = feed(flood_rule(), {{0, 151}, {20, 155}});  // 20 minutes of silence > 15
  EXPECT_EQ(run.last.state.phase, AlertPhase::pending);
  EXPECT_EQ(run.last.state.since, at_minute(20));
  EXPECT_TRUE(run.events.empty());
}

TEST(AlertState, ASilenceWithinTheMaximumGapKeepsTheWait) {
  auto run = feed(flood_rule(), {{0, 151}, {15, 155}});  // exactly 15 minutes
  EXPECT_EQ(run.events, Events{AlertEvent::raised});
}

TEST(AlertState, WithoutAGapLimitAnySilenceKeepsTheWait) {
  AlertRule r = flood_rule();
  r.max_gap_ms = 0;
  auto run = feed(r, {{0, 151}, {600, 155}});
  EXPECT_EQ(run.events, Events{AlertEvent::raised});
}

TEST(AlertState, SilenceNeverClearsAnActiveAlert) {
  auto run = feed(flood_rule(), {{0, 151}, {5, 152}, {300, 145}});
  EXPECT_TRUE(run.events == Events{AlertEvent::raised});
  EXPECT_EQ(run.last.state.phase, AlertPhase::active);
  EXPECT_EQ(run.last.state.last, at_minute(300));
}

TEST(AlertState, IgnoresNonFiniteValues) {
  auto run = feed(flood_rule(), {{0, 151}});
  auto step = evaluate(flood_rule(), run.last.state, std::nan(""), at_minute(1));
  EXPECT_EQ(step.event, AlertEvent::none);
  EXPECT_EQ(step.state, run.last.state);
}

TEST(AlertState, BelowRulesMirrorAboveRules) {
  // Traffic crawling: average speed below 10 km/h for 5 minutes; clears above 20.
  AlertRule r = flood_rule();
  r.entity_type = "TrafficFlowObserved";
  r.attr = "averageVehicleSpeed";
  r.comparison = Comparison::below;
  r.threshold = 10;
  r.clear_threshold = 20;
  ASSERT_EQ(problems(r), "ok");
  auto run = feed(r, {{0, 10}, {1, 9}, {6, 5}, {7, 15}, {8, 20}});
  EXPECT_EQ(run.events, Events{AlertEvent::raised});
  EXPECT_EQ(run.last.state.phase, AlertPhase::active);
  auto step = evaluate(r, run.last.state, 20.5, at_minute(9));
  EXPECT_EQ(step.event, AlertEvent::cleared);
}

TEST(AlertState, ADefaultStateIsNormal) {
  const AlertState s;
  EXPECT_EQ(s.phase, AlertPhase::normal);
  EXPECT_EQ(s.since, core::Timestamp{});
  EXPECT_EQ(s.last, core::Timestamp{});
}

}  // namespace
}  // namespace balai::city
