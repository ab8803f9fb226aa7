#include "modules/city/alert_json.h"

#include <boost/json/array.hpp>
#include <limits>

namespace balai::city {
namespace {

constexpr size_t kMaxRulesInBody = 1'000;  // the service allows fewer; this bounds the parsing

boost::json::value time_or_null(int64_t ms, core::Zone zone) {
  if (ms == 0) return nullptr;
  return boost::json::value(core::format_iso8601(core::Timestamp{ms}, zone));
}

boost::json::value text_or_null(const std::string& s) {
  if (s.empty()) return nullptr;
  return boost::json::value(s);
}

boost::json::object pair(const std::string& id, const std::string& en) {
  return boost::json::object{{"id", id}, {"en", en}};
}

// Reads one rule object; each type error goes into `errors` under `prefix` + the JSON name.
StoredRule read_rule(const boost::json::object& o, const std::string& prefix,
                     std::map<std::string, std::string>& errors) {
  StoredRule s;
  AlertRule& r = s.rule;
  auto missing = [&](std::string_view name) { errors[prefix + std::string(name)] = "required"; };
  auto text = [&](const boost::json::object& from, std::string_view name, std::string_view path,
                  std::string& out, bool required) {
    const auto* v = from.if_contains(name);
    if (!v || v->is_null()) {
      if (required) missing(path);
      return;
    }
    if (!v->is_string()) {
      errors[prefix + std::string(path)] = "must be a string";
      return;
    }
    out = std::string(v->as_string());
  };
  auto number = [&](std::string_view name, double& out) {
    const auto* v = o.if_contains(name);
    if (!v || v->is_null()) return missing(name);
    if (!v->is_number()) {
      errors[prefix + std::string(name)] = "must be a number";
      return;
    }
    out = v->to_number<double>();
  };
  auto whole = [&](std::string_view name, int64_t& out, bool required) {
    const auto* v = o.if_contains(name);
    if (!v || v->is_null()) {
      if (required) missing(name);
      return;
    }
    if (v->is_int64()) {
      out = v->as_int64();
    } else if (v->is_uint64() && v->as_uint64() <= uint64_t(std::numeric_limits<int64_t>::max())) {
      out = static_cast<int64_t>(v->as_uint64());
    } else {
      errors[prefix + std::string(name)] = "must be a whole number of milliseconds";
    }
  };
  auto flag = [&](std::string_view name, bool& out) {
    const auto* v = o.if_contains(name);
    if (!v || v->is_null()) return;
    if (!v->is_bool()) {
      errors[prefix + std::string(name)] = "must be true or false";
      return;
    }
    out = v->as_bool();
  };
  auto texts = [&](std::string_view name, std::string& id, std::string& en, bool required) {
    const auto* v = o.if_contains(name);
    if (!v || v->is_null()) {
      if (required) missing(name);
      return;
    }
    if (!v->is_object()) {
      errors[prefix + std::string(name)] = "must be an object {\"id\": ..., \"en\": ...}";
      return;
    }
    const std::string n(name);
    text(v->as_object(), "id", n + ".id", id, required);
    text(v->as_object(), "en", n + ".en", en, required);
  };

  text(o, "id", "id", r.id, true);
  text(o, "entityType", "entityType", r.entity_type, true);
  text(o, "attr", "attr", r.attr, true);
  std::string comparison = "above";
  text(o, "comparison", "comparison", comparison, false);
  if (auto c = parse_comparison(comparison))
    r.comparison = *c;
  else if (!errors.count(prefix + "comparison"))
    errors[prefix + "comparison"] = "\"above\" or \"below\"";
  number("threshold", r.threshold);
  number("clearThreshold", r.clear_threshold);
  whole("durationMs", r.duration_ms, true);
  whole("maxGapMs", r.max_gap_ms, false);
  std::string severity;
  text(o, "severity", "severity", severity, true);
  if (!errors.count(prefix + "severity")) {  // present and a string: "" is no severity either
    if (auto sv = parse_severity(severity))
      r.severity = *sv;
    else
      errors[prefix + "severity"] = "\"info\", \"warning\" or \"danger\"";
  }
  flag("public", r.public_alert);
  flag("enabled", s.enabled);
  texts("name", r.name_id, r.name_en, true);
  texts("message", r.message_id, r.message_en, false);
  return s;
}

}  // namespace

boost::json::object public_alert_json(const Alert& a, std::string_view lang, core::Zone zone) {
  return boost::json::object{
      {"id", a.key},
      {"rule", a.rule_id},
      {"severity", a.severity},
      {"entity", boost::json::object{{"id", a.entity_id}, {"type", a.entity_type}}},
      {"attr", a.attr},
      {"value", a.value},
      {"threshold", a.threshold},
      {"district", a.district},
      {"title", lang == "en" ? a.title_en : a.title_id},
      {"status", a.status},
      {"raisedAt", core::format_iso8601(core::Timestamp{a.raised_ms}, zone)},
  };
}

boost::json::object staff_alert_json(const AlertRecord& r, std::string_view lang, core::Zone zone) {
  boost::json::object o = public_alert_json(r.alert, lang, zone);
  o["titles"] = pair(r.alert.title_id, r.alert.title_en);
  o["message"] = pair(r.message_id, r.message_en);
  o["public"] = r.alert.public_alert;
  o["acknowledgedAt"] = time_or_null(r.alert.acknowledged_ms, zone);
  o["acknowledgedBy"] = text_or_null(r.acknowledged_by);
  o["resolvedAt"] = time_or_null(r.alert.resolved_ms, zone);
  o["resolvedBy"] = text_or_null(r.resolved_by);
  o["note"] = r.note;
  return o;
}

boost::json::object rule_json(const StoredRule& s) {
  const AlertRule& r = s.rule;
  return boost::json::object{
      {"id", r.id},
      {"entityType", r.entity_type},
      {"attr", r.attr},
      {"comparison", to_string(r.comparison)},
      {"threshold", r.threshold},
      {"clearThreshold", r.clear_threshold},
      {"durationMs", r.duration_ms},
      {"maxGapMs", r.max_gap_ms},
      {"severity", to_string(r.severity)},
      {"public", r.public_alert},
      {"enabled", s.enabled},
      {"name", pair(r.name_id, r.name_en)},
      {"message", pair(r.message_id, r.message_en)},
  };
}

core::Result<std::vector<StoredRule>> parse_rules(const boost::json::value& body) {
  const auto* list = body.is_object() ? body.as_object().if_contains("rules") : nullptr;
  if (!list || !list->is_array())
    return core::make_error(core::ErrorCode::bad_request,
                            "Send {\"rules\": [...]} with every rule.");
  const auto& items = list->as_array();
  if (items.size() > kMaxRulesInBody)
    return core::make_error(core::ErrorCode::payload_too_large, "Too many rules.");
  std::vector<StoredRule> rules;
  std::map<std::string, std::string> errors;
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string prefix = "rules[" + std::to_string(i) + "].";
    if (!items[i].is_object()) {
      errors["rules[" + std::to_string(i) + "]"] = "must be an object";
      continue;
    }
    rules.push_back(read_rule(items[i].as_object(), prefix, errors));
  }
  if (errors.empty()) return rules;
  core::Error e{core::ErrorCode::validation_failed, "The alert rules have problems.", {}};
  e.fields = std::move(errors);
  return e;
}

std::string json_rule_field(std::string_view field) {
  static const std::map<std::string, std::string, std::less<>> kNames{
      {"entity_type", "entityType"}, {"clear_threshold", "clearThreshold"},
      {"duration_ms", "durationMs"}, {"max_gap_ms", "maxGapMs"},
      {"name_id", "name.id"},        {"name_en", "name.en"},
      {"message_id", "message.id"},  {"message_en", "message.en"},
  };
  const size_t dot = field.rfind('.');
  const std::string_view head = dot == std::string_view::npos ? "" : field.substr(0, dot + 1);
  const std::string_view name = dot == std::string_view::npos ? field : field.substr(dot + 1);
  auto it = kNames.find(name);
  return std::string(head) + (it == kNames.end() ? std::string(name) : it->second);
}

}  // namespace balai::city
