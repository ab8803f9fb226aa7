#include "modules/city/readings_json.h"

#include <boost/json/object.hpp>
#include <string>

namespace balai::city {
namespace {

core::Error malformed(std::string message) {
  return core::make_error(core::ErrorCode::bad_request, std::move(message));
}

core::Result<int64_t> observed_at(const boost::json::object& o, core::Timestamp now,
                                  std::string_view where) {
  const auto* at = o.if_contains("observedAt");
  if (!at) return now.ms;
  if (!at->is_string())
    return malformed(std::string(where) + ": observedAt must be an ISO-8601 string");
  auto t = core::parse_iso8601(at->as_string());
  if (!t)
    return malformed(std::string(where) +
                     ": observedAt must be ISO-8601 with a zone, e.g. 2026-11-28T09:00:00+07:00");
  return t->ms;
}

}  // namespace

core::Result<std::vector<Reading>> parse_readings(const boost::json::value& doc,
                                                  std::string_view entity_id, core::Timestamp now) {
  if (!doc.is_object()) return malformed("The body must be a JSON object.");
  const auto& root = doc.as_object();
  std::vector<Reading> out;
  if (const auto* list = root.if_contains("readings")) {
    if (!list->is_array()) return malformed("readings must be an array.");
    const auto& items = list->as_array();
    if (items.size() > kMaxReadingsPerBatch)
      return malformed("At most " + std::to_string(kMaxReadingsPerBatch) + " readings per batch.");
    out.reserve(items.size());
    for (size_t i = 0; i < items.size(); ++i) {
      const std::string where = "readings[" + std::to_string(i) + "]";
      if (!items[i].is_object()) return malformed(where + " must be an object.");
      const auto& o = items[i].as_object();
      Reading r;
      const auto* entity = o.if_contains("entity");
      if (entity && entity->is_string())
        r.entity_id = entity->as_string();
      else if (!entity && !entity_id.empty())
        r.entity_id = std::string(entity_id);
      else
        return malformed(where + ": entity must be a string.");
      const auto* attr = o.if_contains("attr");
      if (!attr || !attr->is_string() || attr->as_string().empty())
        return malformed(where + ": attr must be a non-empty string.");
      r.attr = attr->as_string();
      const auto* value = o.if_contains("value");
      if (!value) return malformed(where + ": value is missing.");
      r.value = *value;
      if (const auto* unit = o.if_contains("unit")) {
        if (!unit->is_string()) return malformed(where + ": unit must be a string.");
        r.unit = unit->as_string();
      }
      auto at = observed_at(o, now, where);
      if (!at) return at.take_error();
      r.observed_ms = *at;
      out.push_back(std::move(r));
    }
    return out;
  }
  if (entity_id.empty()) return malformed("readings is missing.");
  auto at = observed_at(root, now, "body");
  if (!at) return at.take_error();
  for (const auto& [name, value] : root) {
    if (name == "observedAt") continue;
    out.push_back(Reading{std::string(entity_id), std::string(name), value, "", *at});
  }
  if (out.empty()) return malformed("The body carries no reading.");
  if (out.size() > kMaxReadingsPerBatch)
    return malformed("At most " + std::to_string(kMaxReadingsPerBatch) + " readings per batch.");
  return out;
}

}  // namespace balai::city
