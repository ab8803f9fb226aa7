#include "modules/city/change_message.h"

#include <boost/json.hpp>
#include <map>
#include <utility>

#include "modules/city/mqtt_client.h"
#include "modules/city/store.h"

namespace balai::city {
namespace {

// Written directly (every committed change passes here): the normalized attributes are
// appended as stored rather than copied into a JSON object first.
void append_change_json(std::string& out, const Changed& c) {
  out += R"({"id":)";
  append_json_string(out, c.entity.id);
  out += R"(,"type":)";
  append_json_string(out, c.entity.type);
  out += R"(,"path":)";
  append_json_string(out, c.entity.scope.service_path);
  out += R"(,"attrs":)";
  append_attrs_json(out, c.entity.attrs);
  out += R"(,"changed":)";
  append_json_strings(out, c.attrs);
  out += c.created ? R"(,"created":true)" : R"(,"created":false)";
  out += c.deleted ? R"(,"deleted":true)" : R"(,"deleted":false)";
  out += R"(,"createdMs":)" + std::to_string(c.entity.created_ms);
  out += R"(,"modifiedMs":)" + std::to_string(c.entity.modified_ms) + "}";
}

const boost::json::string* string_field(const boost::json::object& o, std::string_view name) {
  const auto* v = o.if_contains(name);
  return v && v->is_string() ? &v->as_string() : nullptr;
}

std::optional<Changed> change_of(const boost::json::value& v, const ChangesTopic& topic) {
  if (!v.is_object()) return std::nullopt;
  const auto& o = v.as_object();
  const auto* id = string_field(o, "id");
  const auto* type = string_field(o, "type");
  const auto* path = string_field(o, "path");
  const auto* attrs = o.if_contains("attrs");
  const auto* names = o.if_contains("changed");
  const auto* created = o.if_contains("created");
  const auto* deleted = o.if_contains("deleted");
  const auto* created_ms = o.if_contains("createdMs");
  const auto* modified_ms = o.if_contains("modifiedMs");
  if (!id || !type || !path || !attrs || !attrs->is_object() || !names || !names->is_array() ||
      !created || !created->is_bool() || !deleted || !deleted->is_bool() || !created_ms ||
      !created_ms->is_int64() || !modified_ms || !modified_ms->is_int64())
    return std::nullopt;
  // The topic names the type: a message whose changes disagree with it is not ours.
  if (*type != topic.entity_type) return std::nullopt;
  Changed c;
  c.entity.id = std::string(*id);
  c.entity.type = std::string(*type);
  c.entity.scope = {topic.service, std::string(*path)};
  auto parsed = attrs_from_object(attrs->as_object());
  if (!parsed) return std::nullopt;
  c.entity.attrs = std::move(*parsed);
  for (const auto& n : names->as_array()) {
    if (!n.is_string()) return std::nullopt;
    c.attrs.emplace_back(n.as_string());
  }
  c.created = created->as_bool();
  c.deleted = deleted->as_bool();
  c.entity.created_ms = created_ms->as_int64();
  c.entity.modified_ms = modified_ms->as_int64();
  return c;
}

}  // namespace

std::vector<BusMessage> bus_messages(std::string_view instance, const std::vector<Changed>& changes,
                                     size_t* left_out) {
  std::vector<BusMessage> out;  // payload: the changes so far, without the closing "]}"
  std::map<std::string, size_t, std::less<>> index;  // topic -> position in out
  if (left_out) *left_out = 0;
  for (const auto& c : changes) {
    auto topic = changes_topic(c.entity.scope.service, c.entity.type);
    if (!topic) {
      if (left_out) ++*left_out;
      continue;
    }
    auto [it, inserted] = index.emplace(*topic, out.size());
    if (inserted) {
      std::string head = R"({"instance":)";
      append_json_string(head, instance);
      head += R"(,"changes":[)";
      out.push_back({std::move(*topic), std::move(head)});
    } else {
      out[it->second].payload += ',';
    }
    append_change_json(out[it->second].payload, c);
  }
  for (auto& m : out) m.payload += "]}";
  return out;
}

std::optional<RemoteChanges> parse_bus_message(std::string_view topic, std::string_view payload) {
  auto parts = parse_changes_topic(topic);
  if (!parts) return std::nullopt;
  boost::system::error_code ec;
  const boost::json::value doc = boost::json::parse(payload, ec);
  if (ec || !doc.is_object()) return std::nullopt;
  const auto& o = doc.as_object();
  const auto* instance = string_field(o, "instance");
  const auto* changes = o.if_contains("changes");
  if (!instance || instance->empty() || !changes || !changes->is_array()) return std::nullopt;
  RemoteChanges out;
  out.instance = std::string(*instance);
  for (const auto& item : changes->as_array()) {
    auto c = change_of(item, *parts);
    if (!c) return std::nullopt;
    out.changes.push_back(std::move(*c));
  }
  return out;
}

}  // namespace balai::city
