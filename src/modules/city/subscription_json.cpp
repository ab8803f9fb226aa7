#include "modules/city/subscription_json.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <cmath>
#include <set>
#include <utility>
#include <vector>

#include "core/time.h"
#include "modules/city/ngsi_json.h"
#include "modules/city/notifier.h"

namespace balai::city::ngsi {
namespace {

core::Error bad(std::string message) {
  return core::make_error(core::ErrorCode::bad_request, std::move(message));
}

// A field name in a message: echoed when it is a plausible name, never a megabyte of it.
std::string named(std::string_view key) {
  return is_valid_name(key) ? "/" + std::string(key) + "/" : std::string("a field");
}

core::Error unknown_field(std::string_view where, std::string_view key) {
  return bad("unrecognized field in " + std::string(where) + ": " + named(key));
}

core::Result<std::string> text_of(const boost::json::value& v, std::string_view what) {
  if (!v.is_string()) return bad(std::string(what) + " is not a string");
  return std::string(v.get_string());
}

// An array of names (attribute, metadata): strings that are valid NGSI names ("*" too when
// `star`), duplicates dropped, order kept.
core::Result<std::vector<std::string>> names_of(const boost::json::value& v, std::string_view what,
                                                bool star) {
  if (!v.is_array()) return bad(std::string(what) + " is not an array");
  const auto& items = v.get_array();
  if (items.size() > kQueryMaxListItems)
    return bad(std::string(what) + " has more than " + std::to_string(kQueryMaxListItems) +
               " items");
  std::vector<std::string> out;
  for (const auto& item : items) {
    if (!item.is_string()) return bad(std::string(what) + " element is not a string");
    const std::string name(item.get_string());
    if (!(star && name == "*") && !is_valid_name(name))
      return bad("invalid character in " + std::string(what) + " element");
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  }
  return out;
}

// An integer >= `min` given as a JSON number with no fraction.
core::Result<int64_t> integer_of(const boost::json::value& v, std::string_view what, int64_t min) {
  std::optional<int64_t> n;
  if (v.is_int64()) n = v.get_int64();
  if (v.is_uint64() && v.get_uint64() <= static_cast<uint64_t>(INT64_MAX))
    n = static_cast<int64_t>(v.get_uint64());
  if (v.is_double() && std::trunc(v.get_double()) == v.get_double() &&
      std::fabs(v.get_double()) < 9e15)
    n = static_cast<int64_t>(v.get_double());
  if (!n || *n < min)
    return bad(std::string(what) + " must be an integer not less than " + std::to_string(min));
  return *n;
}

// An ISO 8601 date by NGSI-v2's DateTime rule (the same one attributes follow: a missing zone is
// UTC), as UTC milliseconds.
core::Result<int64_t> date_of(const boost::json::value& v) {
  if (!v.is_string()) return bad("expires is not a string");
  auto a =
      parse_attribute("expires", boost::json::object{{"type", "DateTime"}, {"value", v}}, false);
  if (!a || !a->value.is_string()) return bad("expires has an invalid format");
  auto t = core::parse_iso8601(a->value.get_string());
  if (!t) return bad("expires has an invalid format");
  return t->ms;
}

core::Result<SubjectEntity> subject_entity_of(const boost::json::value& v) {
  if (!v.is_object()) return bad("subject entities element is not an object");
  SubjectEntity e;
  for (const auto& [key, item] : v.get_object()) {
    std::string* target = nullptr;
    if (key == "id") target = &e.id;
    if (key == "idPattern") target = &e.id_pattern;
    if (key == "type") target = &e.type;
    if (key == "typePattern") target = &e.type_pattern;
    if (!target) return unknown_field("subject entities element", key);
    if (!item.is_string())
      return bad("subject entities element " + std::string(key) + " is not a string");
    *target = std::string(item.get_string());
  }
  const auto& o = v.get_object();
  if (o.contains("id") && o.contains("idPattern"))
    return bad("subject entities element has id and idPattern");
  if (!o.contains("id") && !o.contains("idPattern"))
    return bad("subject entities element has no id nor idPattern");
  if (o.contains("type") && o.contains("typePattern"))
    return bad("subject entities element has type and typePattern");
  if (o.contains("id") && !is_valid_name(e.id)) return bad("Invalid characters in entity id");
  if (o.contains("type") && !is_valid_name(e.type)) return bad("Invalid characters in entity type");
  return e;
}

core::Status parse_condition(const boost::json::value& v, SubscriptionSpec& spec) {
  if (!v.is_object()) return bad("condition is not an object");
  spec.condition_attrs.clear();
  spec.expression.clear();
  for (const auto& [key, item] : v.get_object()) {
    if (key == "attrs") {
      auto attrs = names_of(item, "condition attrs", /*star=*/false);
      if (!attrs) return attrs.take_error();
      spec.condition_attrs = std::move(*attrs);
    } else if (key == "expression") {
      if (!item.is_object()) return bad("expression is not an object");
      for (const auto& [name, text] : item.get_object()) {
        if (name != "q" && name != "mq" && name != "georel" && name != "geometry" &&
            name != "coords")
          return unknown_field("expression", name);
        if (!text.is_string()) return bad("expression " + std::string(name) + " is not a string");
        spec.expression[std::string(name)] = std::string(text.get_string());
      }
    } else {
      return unknown_field("condition", key);
    }
  }
  return {};
}

core::Status parse_subject(const boost::json::value& v, SubscriptionSpec& spec) {
  if (!v.is_object()) return bad("subject is not an object");
  const auto& o = v.get_object();
  for (const auto& [key, item] : o)
    if (key != "entities" && key != "condition") return unknown_field("subject", key);
  if (!o.contains("entities")) return bad("no subject entities specified");
  const auto& entities = o.at("entities");
  if (!entities.is_array()) return bad("subject entities is not an array");
  if (entities.get_array().empty()) return bad("subject entities is empty");
  if (entities.get_array().size() > kMaxSubjectEntities)
    return bad("subject entities has more than " + std::to_string(kMaxSubjectEntities) + " items");
  spec.entities.clear();
  for (const auto& item : entities.get_array()) {
    auto e = subject_entity_of(item);
    if (!e) return e.take_error();
    if (std::find(spec.entities.begin(), spec.entities.end(), *e) == spec.entities.end())
      spec.entities.push_back(std::move(*e));
  }
  spec.condition_attrs.clear();
  spec.expression.clear();
  if (auto it = o.find("condition"); it != o.end()) return parse_condition(it->value(), spec);
  return {};
}

core::Status parse_http(const boost::json::value& v, SubscriptionSpec& spec) {
  if (!v.is_object()) return bad("http notification is not an object");
  for (const auto& [key, item] : v.get_object())
    if (key != "url") return unknown_field("http notification", key);
  const auto* url = v.get_object().if_contains("url");
  if (!url) return bad("http notification has no url");
  auto text = text_of(*url, "url");
  if (!text) return text.take_error();
  if (text->size() > kMaxUrl || !is_notification_url(*text))
    return bad("Invalid notification url: an http:// or https:// URL with a host is required");
  spec.url = std::move(*text);
  return {};
}

// Fields GET shows that a client cannot set: ignored when sent back.
bool read_only_notification_field(std::string_view key) {
  static const std::set<std::string_view> kFields = {
      "timesSent",   "lastNotification",  "lastSuccess", "lastSuccessCode",
      "lastFailure", "lastFailureReason", "failsCounter"};
  return kFields.contains(key);
}

core::Status parse_notification(const boost::json::value& v, SubscriptionSpec& spec) {
  if (!v.is_object()) return bad("notification is not an object");
  const auto& o = v.get_object();
  spec.attrs.clear();
  spec.except_attrs.clear();
  spec.metadata.clear();
  spec.format = AttrsFormat::normalized;
  spec.max_fails_limit = 0;
  spec.url.clear();
  for (const auto& [key, item] : o) {
    core::Status s;
    if (key == "http") {
      s = parse_http(item, spec);
    } else if (key == "attrs" || key == "exceptAttrs" || key == "metadata") {
      auto names = names_of(item, "notification " + std::string(key), /*star=*/true);
      if (!names) return names.take_error();
      (key == "attrs"      ? spec.attrs
       : key == "metadata" ? spec.metadata
                           : spec.except_attrs) = std::move(*names);
    } else if (key == "attrsFormat") {
      auto format = item.is_string() ? parse_attrs_format(item.get_string()) : std::nullopt;
      if (!format)
        return bad("invalid attrsFormat, accepted values: normalized, keyValues, values");
      spec.format = *format;
    } else if (key == "maxFailsLimit") {
      auto limit = integer_of(item, "maxFailsLimit", 1);
      if (!limit) return limit.take_error();
      spec.max_fails_limit = *limit;
    } else if (key == "onlyChangedAttrs" || key == "covered") {
      // Orion's options; Balai implements their default (false) only.
      if (!item.is_bool()) return bad(std::string(key) + " is not a boolean");
      if (item.get_bool()) return bad(std::string(key) + " true is not supported");
    } else if (key == "httpCustom" || key == "mqtt" || key == "mqttCustom") {
      return bad(std::string(key) + " notifications are not supported: use http");
    } else if (!read_only_notification_field(key)) {
      return unknown_field("notification", key);
    }
    if (!s) return s;
  }
  if (spec.url.empty()) return bad("notification has no http field");
  if (o.contains("attrs") && o.contains("exceptAttrs"))
    return bad("notification has both attrs and exceptAttrs");
  return {};
}

// The fields of a body on top of `spec`; `creating` requires subject and notification.
core::Result<SubscriptionSpec> apply(const boost::json::value& json, SubscriptionSpec spec,
                                     bool creating) {
  if (!json.is_object()) return bad("not a JSON object");
  const auto& o = json.as_object();
  if (o.empty()) return bad("empty payload");
  if (creating && !o.contains("subject")) return bad("no subject for subscription specified");
  if (creating && !o.contains("notification"))
    return bad("no notification for subscription specified");
  for (const auto& [key, item] : o) {
    core::Status s;
    if (key == "subject") {
      s = parse_subject(item, spec);
    } else if (key == "notification") {
      s = parse_notification(item, spec);
    } else if (key == "description") {
      auto text = text_of(item, "description");
      if (!text) return text.take_error();
      if (text->size() > kMaxDescription) return bad("max description length exceeded");
      spec.description = std::move(*text);
    } else if (key == "expires") {
      if (item.is_null()) {
        spec.expires_ms.reset();
        continue;
      }
      auto at = date_of(item);
      if (!at) return at.take_error();
      spec.expires_ms = *at;
    } else if (key == "status") {
      auto status = item.is_string() ? parse_subscription_status(item.get_string()) : std::nullopt;
      if (!status || *status == SubscriptionStatus::failed)
        return bad("status is not valid: it has to be either active or inactive");
      spec.status = *status;
    } else if (key == "throttling") {
      auto seconds = integer_of(item, "throttling", 0);
      if (!seconds) return seconds.take_error();
      spec.throttling_s = *seconds;
    } else if (key != "id") {
      return unknown_field("subscription", key);
    }
    if (!s) return s.error();
  }
  return spec;
}

boost::json::array array_of(const std::vector<std::string>& names) {
  return boost::json::array(names.begin(), names.end());
}

// The definition's JSON, shared by GET (with the counters added) and the store.
boost::json::object definition_object(const SubscriptionSpec& spec) {
  boost::json::object out;
  if (!spec.description.empty()) out["description"] = spec.description;
  boost::json::array entities;
  for (const auto& e : spec.entities) {
    boost::json::object item;
    if (!e.id.empty()) item["id"] = e.id;
    if (!e.id_pattern.empty()) item["idPattern"] = e.id_pattern;
    if (!e.type.empty()) item["type"] = e.type;
    if (!e.type_pattern.empty()) item["typePattern"] = e.type_pattern;
    entities.push_back(std::move(item));
  }
  boost::json::object condition{{"attrs", array_of(spec.condition_attrs)}};
  if (!spec.expression.empty()) {
    boost::json::object expression;
    for (const auto& [name, text] : spec.expression) expression[name] = text;
    condition["expression"] = std::move(expression);
  }
  out["subject"] =
      boost::json::object{{"entities", std::move(entities)}, {"condition", std::move(condition)}};
  boost::json::object notification;
  if (!spec.except_attrs.empty())
    notification["exceptAttrs"] = array_of(spec.except_attrs);
  else
    notification["attrs"] = array_of(spec.attrs);
  if (!spec.metadata.empty()) notification["metadata"] = array_of(spec.metadata);
  notification["attrsFormat"] = to_string(spec.format);
  notification["http"] = boost::json::object{{"url", spec.url}};
  if (spec.max_fails_limit > 0) notification["maxFailsLimit"] = spec.max_fails_limit;
  out["notification"] = std::move(notification);
  if (spec.expires_ms) out["expires"] = format_date_time(*spec.expires_ms);
  if (spec.throttling_s > 0) out["throttling"] = spec.throttling_s;
  return out;
}

}  // namespace

core::Result<SubscriptionSpec> parse_subscription(const boost::json::value& json) {
  return apply(json, SubscriptionSpec{}, /*creating=*/true);
}

core::Result<SubscriptionSpec> parse_subscription_update(const boost::json::value& json,
                                                         const SubscriptionSpec& current) {
  return apply(json, current, /*creating=*/false);
}

boost::json::object subscription_json(const Subscription& s, int64_t now_ms) {
  boost::json::object def = definition_object(s.spec);
  // Orion's order: id, description, subject, notification, expires, status, throttling.
  boost::json::object out{{"id", s.id}};
  for (std::string_view key : {"description", "subject", "notification", "expires"})
    if (auto* v = def.if_contains(key)) out[key] = std::move(*v);
  boost::json::object& n = out["notification"].as_object();
  const DeliveryCounters& c = s.counters;
  if (c.times_sent > 0) n["timesSent"] = c.times_sent;
  if (c.last_notification_ms > 0) n["lastNotification"] = format_date_time(c.last_notification_ms);
  if (c.last_failure_ms > 0) {
    n["lastFailure"] = format_date_time(c.last_failure_ms);
    n["lastFailureReason"] = c.last_failure_reason;
  }
  if (c.last_success_ms > 0) {
    n["lastSuccess"] = format_date_time(c.last_success_ms);
    n["lastSuccessCode"] = c.last_success_code;
  }
  if (c.fails_counter > 0) n["failsCounter"] = c.fails_counter;
  out["status"] = reported_status(s, now_ms);
  if (auto* v = def.if_contains("throttling")) out["throttling"] = *v;
  return out;
}

std::string definition_json(const SubscriptionSpec& spec) {
  return boost::json::serialize(definition_object(spec));
}

core::Result<SubscriptionSpec> parse_definition(std::string_view text) {
  auto json = parse_document(text);
  if (!json) return core::make_error(core::ErrorCode::internal, "stored subscription is not JSON");
  return parse_subscription(*json);
}

}  // namespace balai::city::ngsi
