// The pure parts around the alert rules: which writes reach the rule state machines, when a
// reading was observed, a district from an entity's attribute, a state restored after a
// restart, the rule set in force, the citizens' message and the rules' JSON.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "modules/city/alert_evaluator.h"
#include "modules/city/alert_json.h"
#include "modules/city/alert_notice.h"
#include "modules/city/service.h"
#include "modules/regions/directory.h"

namespace balai::city {
namespace {

constexpr int64_t kT0 = 1'800'000'000'000;

StoredRule flood(bool enabled = true) {
  StoredRule s;
  s.rule = default_alert_rules().at(0);
  s.enabled = enabled;
  return s;
}

Attribute number(double v) {
  return Attribute{"Number", boost::json::value(v), {}};
}

Changed river_change(std::vector<std::string> changed_attrs) {
  Changed c;
  c.entity.id = "kali-madiun-01";
  c.entity.type = "WaterLevelObserved";
  c.entity.modified_ms = kT0;
  c.entity.attrs["waterLevel"] = number(162.5);
  c.entity.attrs["flow"] = number(3);
  c.entity.attrs["district"] = Attribute{"Text", "35.77.01", {}};
  c.attrs = std::move(changed_attrs);
  return c;
}

TEST(AlertReadings, TakesTheChangedNumbersAnEnabledRuleWatches) {
  auto readings = readings_for_alerts({river_change({"waterLevel", "flow"})}, {flood()});
  ASSERT_EQ(readings.size(), 1u);
  EXPECT_EQ(readings[0].attr, "waterLevel");
  EXPECT_EQ(readings[0].value, 162.5);
  EXPECT_EQ(readings[0].entity.id, "kali-madiun-01");
  EXPECT_EQ(readings[0].entity.scope.service_path, "/");
  EXPECT_EQ(readings[0].district, "35.77.01");
  EXPECT_EQ(readings[0].at.ms, kT0);
}

TEST(AlertReadings, IgnoresDisabledRulesUnchangedAttributesAndDeletions) {
  EXPECT_TRUE(readings_for_alerts({river_change({"waterLevel"})}, {flood(false)}).empty());
  EXPECT_TRUE(readings_for_alerts({river_change({"flow"})}, {flood()}).empty());
  Changed gone = river_change({});
  gone.deleted = true;
  EXPECT_TRUE(readings_for_alerts({gone}, {flood()}).empty());
}

TEST(AlertReadings, IgnoresValuesThatAreNotNumbers) {
  Changed c = river_change({"waterLevel"});
  c.entity.attrs["waterLevel"] = Attribute{"Text", "tinggi", {}};
  EXPECT_TRUE(readings_for_alerts({c}, {flood()}).empty());
}

TEST(AlertReadings, AnotherTypeWithTheSameAttributeIsNotWatched) {
  Changed c = river_change({"waterLevel"});
  c.entity.type = "WeatherObserved";
  EXPECT_TRUE(readings_for_alerts({c}, {flood()}).empty());
}

TEST(AlertReadings, TheObservationTimeComesFromDateObserved) {
  Entity e = river_change({}).entity;
  e.attrs["waterLevel"].metadata["dateObserved"] =
      boost::json::object{{"type", "DateTime"}, {"value", "2027-01-15T08:00:00+07:00"}};
  EXPECT_EQ(observed_at(e, "waterLevel"), *core::parse_iso8601("2027-01-15T01:00:00Z"));
  EXPECT_EQ(observed_at(e, "flow").ms, kT0);  // no metadata: when the entity changed
  e.attrs["flow"].metadata["dateObserved"] =
      boost::json::object{{"type", "DateTime"}, {"value", "kemarin"}};
  EXPECT_EQ(observed_at(e, "flow").ms, kT0);
}

std::shared_ptr<const regions::Directory> madiun() {
  return regions::Directory::from_rows(
      {{"35", "Jawa Timur", regions::Level::province},
       {"35.77", "Kota Madiun", regions::Level::regency},
       {"35.77.01", "Kartoharjo", regions::Level::district},
       {"35.77.01.1001", "Oro-oro Ombo", regions::Level::village}});
}

TEST(AlertDistrict, ADistrictCodeIsKeptAndAVillageNamesItsDistrict) {
  const auto regions = madiun();
  EXPECT_EQ(district_of("35.77.01", *regions), "35.77.01");
  EXPECT_EQ(district_of("35.77.01.1001", *regions), "35.77.01");
}

TEST(AlertDistrict, AnythingElseIsNoDistrict) {
  const auto regions = madiun();
  for (const char* code : {"", "35.77", "35", "35.77.99", "kartoharjo", "35.77.01 "})
    EXPECT_EQ(district_of(code, *regions), "") << code;
}

TEST(AlertRestore, AnOpenAlertRestoresARaisedStateThatClearsButNeverRaisesAgain) {
  Alert open;
  open.raised_ms = kT0;
  const AlertState state = restored_state(open);
  EXPECT_EQ(state.phase, AlertPhase::active);
  const AlertRule rule = flood().rule;
  auto still = evaluate(rule, state, 170, core::Timestamp{kT0 + 60'000});
  EXPECT_EQ(still.event, AlertEvent::none);
  EXPECT_EQ(still.state.phase, AlertPhase::active);
  auto cleared = evaluate(rule, still.state, 120, core::Timestamp{kT0 + 120'000});
  EXPECT_EQ(cleared.event, AlertEvent::cleared);
}

TEST(AlertRestore, StateKeysTellScopesAndTypesApart) {
  const AlertEntity a{Scope{"", "/"}, "river-01", "WaterLevelObserved"};
  AlertEntity other_path = a;
  other_path.scope.service_path = "/kota";
  AlertEntity other_type = a;
  other_type.type = "WeatherObserved";
  EXPECT_NE(state_key(a), state_key(other_path));
  EXPECT_NE(state_key(a), state_key(other_type));
  EXPECT_EQ(state_key(a), state_key(AlertEntity{Scope{"", "/"}, "river-01", "WaterLevelObserved"}));
}

TEST(AlertRuleBook, InstallsOnlyAChangedRuleSet) {
  RuleBook book;
  EXPECT_TRUE(book.set({flood()}));
  const uint64_t version = book.get()->version;
  EXPECT_FALSE(book.set({flood()}));
  EXPECT_EQ(book.get()->version, version);
  StoredRule changed = flood();
  changed.rule.duration_ms = 0;
  EXPECT_TRUE(book.set({changed}));
  EXPECT_EQ(book.get()->version, version + 1);
  EXPECT_TRUE(book.set({changed, flood(false)}));
}

StoredAlert raised_alert() {
  StoredAlert s;
  Alert& a = s.record.alert;
  a.key = 42;
  a.rule_id = "banjir-siaga";
  a.entity_id = "kali-madiun-01";
  a.entity_type = "WaterLevelObserved";
  a.attr = "waterLevel";
  a.value = 162.5;
  a.threshold = 150;
  a.district = "35.77.01";
  a.title_id = "Peringatan banjir";
  a.title_en = "Flood warning";
  a.status = "active";
  a.raised_ms = core::parse_iso8601("2027-01-15T02:05:00Z")->ms;
  s.record.message_id = "Warga bantaran sungai bersiap mengungsi.";
  s.record.message_en = "Riverside residents should prepare to evacuate.";
  return s;
}

TEST(AlertNoticeText, SaysWhatWhereAndWhenInIndonesianFirst) {
  const auto n =
      compose_notice(raised_alert(), "Kartoharjo", "https://balai.example/kota", core::Zone::wib);
  EXPECT_EQ(n.kind, "city.alert_raised");
  EXPECT_EQ(n.subject, "Peringatan banjir — Kecamatan Kartoharjo (35.77.01)");
  for (const char* part :
       {"162.5 cm", "batas 150 cm", "15-01-2027 09:05 WIB", "kali-madiun-01", "bersiap mengungsi",
        "https://balai.example/kota", "Flood warning", "Kartoharjo district"})
    EXPECT_NE(n.body.find(part), std::string::npos) << part << "\n" << n.body;
  EXPECT_LT(n.body.find("Peringatan banjir"), n.body.find("Flood warning"));
}

TEST(AlertNoticeText, AResolvedAlertSaysItEnded) {
  StoredAlert s = raised_alert();
  s.record.alert.status = "resolved";
  s.record.alert.resolved_ms = s.record.alert.raised_ms + 3'600'000;
  const auto n = compose_notice(s, "", "https://balai.example/kota", core::Zone::wib);
  EXPECT_EQ(n.kind, "city.alert_resolved");
  EXPECT_EQ(n.subject, "Berakhir: Peringatan banjir — 35.77.01");
  EXPECT_NE(n.body.find("10:05 WIB"), std::string::npos) << n.body;
  EXPECT_NE(n.body.find("Ended: Flood warning"), std::string::npos) << n.body;
}

TEST(AlertJson, APublicAlertHasTheContractShapeInTheRequestsLanguage) {
  const Alert& a = raised_alert().record.alert;
  const auto id = public_alert_json(a, "id", core::Zone::wib);
  EXPECT_EQ(id.at("id").as_int64(), 42);
  EXPECT_EQ(id.at("rule").as_string(), "banjir-siaga");
  EXPECT_EQ(id.at("entity").at("type").as_string(), "WaterLevelObserved");
  EXPECT_EQ(id.at("value").as_double(), 162.5);
  EXPECT_EQ(id.at("district").as_string(), "35.77.01");
  EXPECT_EQ(id.at("title").as_string(), "Peringatan banjir");
  EXPECT_EQ(id.at("raisedAt").as_string(), "2027-01-15T09:05:00+07:00");
  EXPECT_EQ(id.size(), 11u);
  EXPECT_EQ(public_alert_json(a, "en", core::Zone::wib).at("title").as_string(), "Flood warning");
}

TEST(AlertJson, RulesRoundTrip) {
  const auto rules = default_alert_rules();
  boost::json::array items;
  for (const auto& r : rules) items.push_back(rule_json(StoredRule{r, true, 0}));
  auto parsed = parse_rules(boost::json::object{{"rules", items}});
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  ASSERT_EQ(parsed->size(), rules.size());
  for (size_t i = 0; i < rules.size(); ++i) EXPECT_EQ((*parsed)[i].rule, rules[i]) << i;
}

std::string problem_fields(const boost::json::value& body) {
  auto parsed = parse_rules(body);
  if (parsed.ok()) return "ok";
  std::string out;
  for (const auto& [field, message] : parsed.error().fields)
    out += (out.empty() ? "" : ",") + field;
  return std::string(core::to_string(parsed.error().code)) + ":" + out;
}

TEST(AlertJson, NamesEveryFieldOfTheWrongTypeOrMissing) {
  boost::json::object rule = rule_json(flood());
  rule["threshold"] = "tinggi";
  rule["durationMs"] = 1.5;
  rule["public"] = "ya";
  rule.erase("attr");
  rule["name"] = boost::json::object{{"id", "Banjir"}};
  rule["severity"] = "critical";
  EXPECT_EQ(problem_fields(boost::json::object{{"rules", boost::json::array{rule, 7}}}),
            "validation_failed:rules[0].attr,rules[0].durationMs,rules[0].name.en,rules[0].public,"
            "rules[0].severity,rules[0].threshold,rules[1]");
}

TEST(AlertJson, RefusesABodyThatIsNotARuleList) {
  EXPECT_EQ(problem_fields(boost::json::array{}), "bad_request:");
  EXPECT_EQ(problem_fields(boost::json::object{{"rules", "semua"}}), "bad_request:");
  EXPECT_EQ(problem_fields(boost::json::object{{"rules", boost::json::array{}}}), "ok");
}

TEST(AlertJson, NamesTheServicesFieldsAsTheJsonDoes) {
  EXPECT_EQ(json_rule_field("rules[0].clear_threshold"), "rules[0].clearThreshold");
  EXPECT_EQ(json_rule_field("rules[12].name_en"), "rules[12].name.en");
  EXPECT_EQ(json_rule_field("rules[1].id"), "rules[1].id");
  EXPECT_EQ(json_rule_field("rules"), "rules");
}

}  // namespace
}  // namespace balai::city
