#pragma once
// The JSON shapes of alerts (/api/v1/city/alerts, /api/v1/city/alert-rules):
//
//   public alert: {"id": 4521..., "rule": "banjir-siaga", "severity": "danger",
//                  "entity": {"id": "kali-madiun-01", "type": "WaterLevelObserved"},
//                  "attr": "waterLevel", "value": 162.5, "threshold": 150,
//                  "district": "35.77.01", "title": "Peringatan banjir" (request's language),
//                  "status": "active", "raisedAt": "2026-11-28T09:00:00+07:00"}
//   staff alert:  the same, plus "titles" {"id","en"}, "message" {"id","en"}, "public",
//                 "acknowledgedAt", "acknowledgedBy", "resolvedAt", "resolvedBy" (null when
//                 not), "note"
//   rule:         {"id", "entityType", "attr", "comparison": "above"|"below", "threshold",
//                  "clearThreshold", "durationMs", "maxGapMs", "severity", "public",
//                  "enabled", "name": {"id","en"}, "message": {"id","en"}}

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "modules/city/alert_service.h"

namespace balai::city {

boost::json::object public_alert_json(const Alert& a, std::string_view lang, core::Zone zone);
boost::json::object staff_alert_json(const AlertRecord& r, std::string_view lang, core::Zone zone);
boost::json::object rule_json(const StoredRule& r);

// The rules of a PUT body {"rules": [...]}. bad_request when the body is not that shape;
// validation_failed naming every field of the wrong type or missing ("rules[2].threshold").
// The values' own checks are check_alert_rule's (the service's).
[[nodiscard]] core::Result<std::vector<StoredRule>> parse_rules(const boost::json::value& body);

// A field name of the service's rule errors ("rules[0].clear_threshold") as the JSON names it
// ("rules[0].clearThreshold").
std::string json_rule_field(std::string_view field);

}  // namespace balai::city
