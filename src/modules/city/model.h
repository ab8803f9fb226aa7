#pragma once
// The smart city's context, in FIWARE NGSI-v2's terms (the Orion Context Broker's API): an
// entity (a road segment, a weather station, a river gauge, an air-quality station, a panic
// button) has a type and attributes; each attribute has a type, a value and metadata. Devices
// write the attributes of their own entities; every change is kept as history; alert rules
// watch attributes; changes go live to browsers (SSE) and to subscribed systems.
//
// Values are JSON (boost::json::value) because NGSI-v2 attributes are JSON: a number, a string,
// a boolean, null, or a structured value (object/array) that queries reach with dotted paths.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/geo.h"

namespace balai::city {

// One attribute of an entity as NGSI-v2 normalized form carries it.
struct Attribute {
  std::string type;              // "Number", "Text", "Boolean", "DateTime", "geo:point", ...
  boost::json::value value;      // null when absent
  boost::json::object metadata;  // name -> {"type": ..., "value": ...}
  bool operator==(const Attribute&) const = default;
};

// The tenant an entity lives in: NGSI-v2 `Fiware-Service` (lower-case letters, digits and
// underscore; "" is the default service) and `Fiware-ServicePath` ("/" the root; "/a/b").
struct Scope {
  std::string service;
  std::string service_path = "/";
  bool operator==(const Scope&) const = default;
};

struct Entity {
  std::string id;    // NGSI id, e.g. "urn:ngsi-ld:WaterLevel:kali-madiun-01" or "river-01"
  std::string type;  // e.g. "WaterLevelObserved"
  Scope scope;
  std::map<std::string, Attribute> attrs;  // ordered: answers are deterministic
  int64_t created_ms = 0;
  int64_t modified_ms = 0;
  bool operator==(const Entity&) const = default;
};

// The kinds of device Balai knows out of the box (the registry accepts others as plain NGSI
// types; these carry physical ranges, units and the dashboard's sections).
enum class SensorKind { traffic, weather, water_level, air_quality, security };
std::string_view to_string(SensorKind k);  // "traffic", "weather", "water_level", ...
std::optional<SensorKind> parse_sensor_kind(std::string_view text);

// What an attribute of a known entity type may hold: readings outside the range or in another
// unit are refused (and counted), never stored.
struct AttributeSpec {
  std::string name;        // "waterLevel"
  std::string unit;        // UN/CEFACT code, as NGSI's "unitCode" metadata: "CMT" (cm), "CEL"
  std::string unit_label;  // what people read: "cm", "°C", "µg/m³"
  bool numeric = true;     // false: a text value (e.g. an incident's category)
  double min = 0;          // physical range (inclusive) of a numeric value
  double max = 0;
  bool operator==(const AttributeSpec&) const = default;
};

struct EntityTypeSpec {
  std::string type;  // NGSI type, e.g. "WaterLevelObserved"
  SensorKind kind = SensorKind::weather;
  bool public_read = true;  // NGSI-v2 reads without a token
  std::vector<AttributeSpec> attributes;
};

// One measured value as ingestion receives it (MQTT, HTTP batch, NGSI update all end here).
struct Reading {
  std::string entity_id;
  std::string attr;
  boost::json::value value;
  std::string unit;  // "" when the sender gave none (the spec's unit is assumed)
  int64_t observed_ms = 0;
};

// A device: a credential that may write the attributes of its own entities only.
struct Device {
  int64_t key = 0;        // internal
  std::string id;         // public, e.g. "dev-01J..."
  std::string entity_id;  // the entity it writes
  std::string entity_type;
  std::string agency;  // the agency that owns it ("" none)
  int64_t created_ms = 0;
  bool revoked = false;
};

}  // namespace balai::city
