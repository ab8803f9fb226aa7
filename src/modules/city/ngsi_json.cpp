#include "modules/city/ngsi_json.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cmath>

#include "core/time.h"
#include "http/json.h"
#include "modules/city/ngsi_query.h"
#include "modules/city/service.h"

namespace balai::city::ngsi {
namespace {

constexpr std::string_view kDateCreated = "dateCreated";
constexpr std::string_view kDateModified = "dateModified";

core::Error bad_request(std::string message) {
  return core::make_error(core::ErrorCode::bad_request, std::move(message));
}

bool is_builtin(std::string_view name) {
  return name == kDateCreated || name == kDateModified;
}

bool is_date_type(std::string_view type) {
  return type == "DateTime" || type == "ISO8601";
}

// Orion's date forms: <date>, <date>T<time>, <date>T<time><zone>, where <time> is hh:mm:ss[.sss]
// or hh:mm, and a missing zone means UTC (Orion's rule, not ISO 8601's local time).
std::optional<int64_t> parse_date_time(std::string_view text) {
  std::string s(text);
  if (s.size() == 10) s += "T00:00:00";
  // hh:mm without seconds: the seconds are 00.
  if (s.size() >= 16 && s[10] == 'T' && (s.size() == 16 || s[16] != ':')) s.insert(16, ":00");
  if (auto t = core::parse_iso8601(s)) return t->ms;
  if (auto t = core::parse_iso8601(s + "Z")) return t->ms;
  return std::nullopt;
}

// A DateTime value as the store keeps it: normalised to UTC, so that every reader (queries,
// orderBy, the dashboard) sees one form. Null stays null (no date).
core::Result<boost::json::value> normalised_date(const boost::json::value& value) {
  if (value.is_null()) return value;
  if (!value.is_string()) return bad_request("date has invalid format");
  auto ms = parse_date_time(value.as_string());
  if (!ms) return bad_request("date has invalid format");
  return boost::json::value(format_date_time(*ms));
}

core::Result<boost::json::object> parse_metadata(const boost::json::value& json) {
  if (!json.is_object()) return bad_request("metadata must be a JSON object");
  boost::json::object out;
  for (const auto& [key, item] : json.as_object()) {
    const std::string_view name = key;
    if (!is_valid_name(name)) return bad_request("Invalid characters in metadata name");
    if (!item.is_object()) return bad_request("metadata must be a JSON object");
    boost::json::value value = nullptr;
    std::string type;
    for (const auto& [field, v] : item.as_object()) {
      if (field == "value") {
        value = v;
      } else if (field == "type") {
        if (!v.is_string()) return bad_request("invalid JSON type for metadata type");
        type = v.as_string();
        if (!is_valid_name(type)) return bad_request("Invalid characters in metadata type");
      } else {
        return bad_request("unrecognized property for metadata: /" + std::string(field) + "/");
      }
    }
    if (type.empty()) type = default_type(value);
    if (is_date_type(type)) {
      auto date = normalised_date(value);
      if (!date) return date.take_error();
      value = std::move(*date);
    }
    out[name] = boost::json::object{{"type", type}, {"value", std::move(value)}};
  }
  return out;
}

core::Status check_attribute_name(std::string_view name) {
  if (name.empty()) return bad_request("attribute name length: 0, min length supported: 1");
  if (!is_valid_name(name)) return bad_request("Invalid characters in attribute name");
  // The specification reserves these: they name the entity, every attribute, and the distance
  // of orderBy.
  if (name == "id" || name == "type" || name == "*" || name == "geo:distance")
    return bad_request("invalid attribute name: /" + std::string(name) + "/");
  return {};
}

// The attributes in the order the projection asks for (builtins computed from the entity).
std::vector<std::pair<std::string, Attribute>> projected(const Entity& e, const Projection& p) {
  std::vector<std::pair<std::string, Attribute>> out;
  auto builtin = [&](std::string_view name) {
    const int64_t ms = name == kDateCreated ? e.created_ms : e.modified_ms;
    return Attribute{"DateTime", boost::json::value(format_date_time(ms)), {}};
  };
  if (p.attrs.empty()) {
    for (const auto& [name, a] : e.attrs) out.emplace_back(name, a);
    return out;
  }
  auto listed = [&](const std::string& name) {
    return std::any_of(out.begin(), out.end(), [&](const auto& kv) { return kv.first == name; });
  };
  for (const auto& name : p.attrs) {
    if (name == "*") {
      for (const auto& [user, a] : e.attrs)
        if (std::find(p.attrs.begin(), p.attrs.end(), user) == p.attrs.end() && !listed(user))
          out.emplace_back(user, a);
      continue;
    }
    // A user attribute of a builtin's name wins (Orion's rule).
    if (auto it = e.attrs.find(name); it != e.attrs.end()) {
      if (!listed(name)) out.emplace_back(name, it->second);
    } else if (is_builtin(name) && !listed(name)) {
      out.emplace_back(name, builtin(name));
    }
  }
  return out;
}

}  // namespace

// --- Rendering ---

boost::json::object attribute_json(const Attribute& attribute,
                                   const std::vector<std::string>& metadata) {
  boost::json::object md;
  const bool all =
      metadata.empty() || std::find(metadata.begin(), metadata.end(), "*") != metadata.end();
  for (const auto& [name, item] : attribute.metadata)
    if (all ||
        std::find(metadata.begin(), metadata.end(), std::string_view(name)) != metadata.end())
      md[name] = item;
  return boost::json::object{
      {"type", attribute.type.empty() ? default_type(attribute.value) : attribute.type},
      {"value", attribute.value},
      {"metadata", std::move(md)}};
}

boost::json::value entity_json(const Entity& entity, Form form, const Projection& projection,
                               bool with_id) {
  const auto attrs = projected(entity, projection);
  if (form == Form::values || form == Form::unique) {
    boost::json::array out;
    for (const auto& [name, a] : attrs) {
      if (form == Form::unique && std::find(out.begin(), out.end(), a.value) != out.end()) continue;
      out.push_back(a.value);
    }
    return out;
  }
  boost::json::object out;
  if (with_id) {
    out["id"] = entity.id;
    out["type"] = entity.type;
  }
  for (const auto& [name, a] : attrs)
    out[name] = form == Form::key_values
                    ? a.value
                    : boost::json::value(attribute_json(a, projection.metadata));
  return out;
}

std::string format_date_time(int64_t unix_ms) {
  std::string s = core::format_iso8601_utc(core::Timestamp{unix_ms});
  if (s.find('.') == std::string::npos) s.insert(s.size() - 1, ".000");
  return s;
}

std::string value_text(const boost::json::value& value) {
  // The shortest form that reads back the same ("153.5", where JSON's serializer writes
  // "1.535E2"): text/plain readers parse it as a number of their own.
  return http::json_text(value);
}

// --- Parsing ---

std::string default_type(const boost::json::value& value) {
  if (value.is_number()) return "Number";
  if (value.is_string()) return "Text";
  if (value.is_bool()) return "Boolean";
  if (value.is_null()) return "None";
  return "StructuredValue";
}

std::optional<boost::json::value> parse_document(std::string_view body, size_t max_depth) {
  boost::json::parse_options options;
  options.max_depth = max_depth;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(body, ec, {}, options);
  if (ec) return std::nullopt;
  return v;
}

core::Result<Attribute> parse_attribute(std::string_view name, const boost::json::value& json,
                                        bool key_values) {
  BALAI_TRY(check_attribute_name(name));
  Attribute a;
  if (key_values) {
    a.value = json;
  } else {
    if (!json.is_object())
      return bad_request("attribute must be a JSON object, unless keyValues option is used");
    a.value = nullptr;  // "value" absent: null
    bool value_seen = false;
    for (const auto& [field, v] : json.as_object()) {
      if (field == "value") {
        if (value_seen) return bad_request("duplicated value key in attribute");
        value_seen = true;
        a.value = v;
      } else if (field == "type") {
        if (!v.is_string()) return bad_request("invalid JSON type for attribute type");
        a.type = v.as_string();
        if (!is_valid_name(a.type)) return bad_request("Invalid characters in attribute type");
      } else if (field == "metadata") {
        auto md = parse_metadata(v);
        if (!md) return md.take_error();
        a.metadata = std::move(*md);
      } else {
        return bad_request("unrecognized property for context attribute");
      }
    }
  }
  if (a.type.empty()) a.type = default_type(a.value);
  if (is_date_type(a.type)) {
    auto date = normalised_date(a.value);
    if (!date) return date.take_error();
    a.value = std::move(*date);
  }
  return a;
}

core::Result<ParsedEntity> parse_entity(const boost::json::value& json, bool key_values,
                                        bool id_required) {
  if (!json.is_object()) return bad_request("not a JSON object");
  const auto& o = json.as_object();
  if (o.empty()) return bad_request("empty payload");
  ParsedEntity e;
  bool id_seen = false;
  for (const auto& [key, value] : o) {
    const std::string_view name = key;
    if (name == "id") {
      if (!value.is_string()) return bad_request("Invalid JSON type for entity id");
      e.id = value.as_string();
      id_seen = true;
      if (e.id.empty()) return bad_request("entity id length: 0, min length supported: 1");
      if (!is_valid_name(e.id)) return bad_request("Invalid characters in entity id");
    } else if (name == "type") {
      if (!value.is_string()) return bad_request("Invalid JSON type for entity type");
      e.type = value.as_string();
      if (e.type.empty()) return bad_request("entity type length: 0, min length supported: 1");
      if (!is_valid_name(e.type)) return bad_request("Invalid characters in entity type");
    } else {
      auto a = parse_attribute(name, value, key_values);
      if (!a) return a.take_error();
      e.attrs[std::string(name)] = std::move(*a);
    }
  }
  if (id_required && !id_seen) return bad_request("entity id is missing");
  return e;
}

core::Result<std::map<std::string, Attribute>> parse_attributes(const boost::json::value& json,
                                                                bool key_values) {
  if (!json.is_object()) return bad_request("not a JSON object");
  const auto& o = json.as_object();
  if (o.empty()) return bad_request("empty payload");
  if (o.contains("id")) return bad_request("entity id specified in payload");
  if (o.contains("type")) return bad_request("entity type specified in payload");
  std::map<std::string, Attribute> out;
  for (const auto& [key, value] : o) {
    auto a = parse_attribute(key, value, key_values);
    if (!a) return a.take_error();
    out[std::string(key)] = std::move(*a);
  }
  return out;
}

core::Result<UpdateBatch> parse_update_batch(const boost::json::value& json, bool key_values) {
  if (!json.is_object()) return bad_request("not a JSON object");
  const auto& o = json.as_object();
  if (o.empty()) return bad_request("empty payload");
  if (!o.contains("entities"))
    return bad_request("Invalid JSON payload, mandatory field /entities/ not found");
  if (!o.contains("actionType"))
    return bad_request("Invalid JSON payload, mandatory field /actionType/ not found");
  UpdateBatch batch;
  for (const auto& [key, value] : o) {
    if (key == "actionType") {
      static constexpr std::pair<std::string_view, ActionType> kActions[] = {
          {"append", ActionType::append},
          {"appendStrict", ActionType::append_strict},
          {"update", ActionType::update},
          {"delete", ActionType::remove},
          {"replace", ActionType::replace}};
      const auto* found =
          value.is_string()
              ? std::find_if(std::begin(kActions), std::end(kActions),
                             [&](const auto& a) { return a.first == value.as_string(); })
              : std::end(kActions);
      if (found == std::end(kActions))
        return bad_request(
            "invalid update action type: right ones are: append, appendStrict, delete, "
            "replace, update");
      batch.action = found->second;
    } else if (key == "entities") {
      if (!value.is_array()) return bad_request("/entities/ must be a JSON array");
      if (value.as_array().empty()) return bad_request("empty entities vector");
      for (const auto& item : value.as_array()) {
        auto e = parse_entity(item, key_values, true);
        if (!e) return e.take_error();
        batch.entities.push_back(std::move(*e));
      }
    } else {
      return bad_request("Unrecognized field in JSON payload: /" + std::string(key) + "/");
    }
  }
  return batch;
}

core::Result<QueryBatch> parse_query_batch(const boost::json::value& json) {
  if (!json.is_object()) return bad_request("not a JSON object");
  QueryBatch batch;
  auto names = [](const boost::json::value& v, std::string_view field,
                  std::vector<std::string>& out) -> core::Status {
    const std::string where = "/" + std::string(field) + "/";
    if (!v.is_array()) return bad_request(where + " must be a JSON array");
    for (const auto& item : v.as_array()) {
      if (!item.is_string()) return bad_request("the items of " + where + " must be strings");
      out.emplace_back(item.as_string());
    }
    return {};
  };
  for (const auto& [key, value] : json.as_object()) {
    if (key == "entities") {
      if (!value.is_array()) return bad_request("/entities/ must be a JSON array");
      for (const auto& item : value.as_array()) {
        if (!item.is_object()) return bad_request("the items of /entities/ must be objects");
        EntitySelector s;
        for (const auto& [field, v] : item.as_object()) {
          std::string* target = field == "id"            ? &s.id
                                : field == "idPattern"   ? &s.id_pattern
                                : field == "type"        ? &s.type
                                : field == "typePattern" ? &s.type_pattern
                                                         : nullptr;
          if (!target)
            return bad_request("Unrecognized field in JSON payload: /" + std::string(field) + "/");
          if (!v.is_string() || v.as_string().empty())
            return bad_request("Invalid JSON type for entity " + std::string(field));
          *target = v.as_string();
        }
        if (s.id.empty() == s.id_pattern.empty())
          return bad_request(s.id.empty() ? "nor /id/ nor /idPattern/ present"
                                          : "both /id/ and /idPattern/ present");
        if (!s.type.empty() && !s.type_pattern.empty())
          return bad_request("both /type/ and /typePattern/ present");
        batch.entities.push_back(std::move(s));
      }
    } else if (key == "attrs") {
      BALAI_TRY(names(value, "attrs", batch.attrs));
    } else if (key == "metadata") {
      BALAI_TRY(names(value, "metadata", batch.metadata));
    } else if (key == "expression") {
      if (!value.is_object()) return bad_request("/expression/ must be a JSON object");
      for (const auto& [field, v] : value.as_object()) {
        if (field != "q" && field != "mq" && field != "georel" && field != "geometry" &&
            field != "coords")
          return bad_request("Unrecognized field in JSON payload: /" + std::string(field) + "/");
        if (!v.is_string()) return bad_request("/" + std::string(field) + "/ must be a string");
        batch.expression[std::string(field)] = v.as_string();
      }
    } else {
      return bad_request("Unrecognized field in JSON payload: /" + std::string(key) + "/");
    }
  }
  return batch;
}

core::Result<boost::json::value> parse_text_value(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\n' ||
                           text.front() == '\r'))
    text.remove_prefix(1);
  while (!text.empty() &&
         (text.back() == ' ' || text.back() == '\t' || text.back() == '\n' || text.back() == '\r'))
    text.remove_suffix(1);
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"')
    return boost::json::value(boost::json::string(text.substr(1, text.size() - 2)));
  if (text == "true") return boost::json::value(true);
  if (text == "false") return boost::json::value(false);
  if (text == "null") return boost::json::value(nullptr);
  auto v = parse_document(text, 1);
  if (!v || !v->is_number())
    return bad_request(
        "attribute value type not recognized: not a string, number, boolean or "
        "null");
  return std::move(*v);
}

bool is_valid_name(std::string_view name) {
  return is_valid_field(name);
}

// --- Errors ---

Failure failure_of(const core::Error& error) {
  using core::ErrorCode;
  std::string description = error.message;
  switch (error.code) {
    case ErrorCode::bad_request:
      return {400, "BadRequest", description};
    case ErrorCode::not_found:
      return {404, "NotFound", description};
    case ErrorCode::conflict:
      if (description == kAlreadyExists) return {422, "Unprocessable", description};
      return {409, "TooManyResults", description};
    case ErrorCode::validation_failed:
      if (description.starts_with("Invalid characters")) return {400, "BadRequest", description};
      // Orion's answer to a second location without defaultLocation (the spec's spatial index
      // limit).
      if (description.starts_with("more than one geo attribute"))
        return {413, "NoResourcesAvailable", description};
      for (const auto& [field, why] : error.fields) description += " " + field + ": " + why;
      return {422, "Unprocessable", description};
    case ErrorCode::unauthenticated:
      return {401, "Unauthorized", description};
    case ErrorCode::forbidden:
      return {403, "Forbidden", description};
    case ErrorCode::payload_too_large:
      return {413, "RequestEntityTooLarge", description};
    case ErrorCode::unsupported_media:
      return {415, "UnsupportedMediaType", description};
    case ErrorCode::rate_limited:
      return {429, "TooManyRequests", description};
    case ErrorCode::unavailable:
      return {503, "ServiceUnavailable", "The service is not available now; try again later."};
    case ErrorCode::internal:
      break;
  }
  return {500, "InternalServerError", "An internal error occurred."};
}

std::string error_body(const Failure& failure) {
  return boost::json::serialize(
      boost::json::object{{"error", failure.error}, {"description", failure.description}});
}

}  // namespace balai::city::ngsi
