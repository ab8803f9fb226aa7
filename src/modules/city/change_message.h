#pragma once
// The messages of the instances' change bus (MQTT topic balai/v1/changes/{service}/{type}, see
// mqtt_client.h): each instance publishes the context changes it committed, and the others
// append them to their live feeds so that every browser sees every change whichever instance
// it is connected to. One message per (service, entity type) of a write:
//
//   {"instance": "<sender's id>", "changes": [{"id", "type", "path", "attrs": {normalized},
//    "changed": [names], "created": bool, "deleted": bool, "createdMs", "modifiedMs"}]}
//
// Context data only (sensor values about places): nothing personal travels on the bus.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "modules/city/service.h"

namespace balai::city {

struct BusMessage {
  std::string topic;
  std::string payload;
};

// The messages for a write's changes, grouped by service and entity type (in first-seen
// order). Changes whose service or type cannot name a topic are left out (NGSI names allow
// characters MQTT topics reserve; such entities stay local, the caller counts them).
std::vector<BusMessage> bus_messages(std::string_view instance, const std::vector<Changed>& changes,
                                     size_t* left_out = nullptr);

// What another instance published.
struct RemoteChanges {
  std::string instance;
  std::vector<Changed> changes;
};
// Nullopt for a topic that is not a changes topic or a payload that is not a message above
// (a broken or foreign publisher): the caller counts it and goes on.
std::optional<RemoteChanges> parse_bus_message(std::string_view topic, std::string_view payload);

}  // namespace balai::city
