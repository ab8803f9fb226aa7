#include "modules/city/change_message.h"

#include <boost/json.hpp>
#include <map>
#include <utility>

#include "modules/city/mqtt_client.h"
#include "modules/city/store.h"

namespace balai::city {
namespace {

boost::json::object change_json(const Changed& c) {
  boost::json::array names;
  for (const auto& n : c.attrs) names.emplace_back(n);
  return {{"id", c.entity.id},
          {"type", c.entity.type},
          {"path", c.entity.scope.service_path},
          {"attrs", attrs_to_object(c.entity.attrs)},
          {"changed", std::move(names)},
          {"created", c.created},
          {"deleted", c.deleted},
          {"createdMs", c.entity.created_ms},
          {"modifiedMs", c.entity.modified_ms}};
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
  std::vector<std::pair<std::string, boost::json::array>> groups;  // topic -> changes
  std::map<std::string, size_t> index;
  if (left_out) *left_out = 0;
  for (const auto& c : changes) {
    auto topic = changes_topic(c.entity.scope.service, c.entity.type);
    if (!topic) {
      if (left_out) ++*left_out;
      continue;
    }
    auto [it, inserted] = index.emplace(*topic, groups.size());
    if (inserted) groups.emplace_back(std::move(*topic), boost::json::array{});
    groups[it->second].second.push_back(change_json(c));
  }
  std::vector<BusMessage> out;
  out.reserve(groups.size());
  for (auto& [topic, items] : groups) {
    boost::json::object payload{{"instance", instance}, {"changes", std::move(items)}};
    out.push_back({std::move(topic), boost::json::serialize(payload)});
  }
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
