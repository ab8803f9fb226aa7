#include "modules/city/module.h"

#include "core/log.h"
#include "modules/city/broker_sync.h"
#include "modules/city/live_feed.h"
#include "modules/city/mqtt_bridge.h"
#include "modules/city/routes.h"
#include "modules/city/service.h"
#include "security/policy.h"

namespace balai::city {

void allow_actions(security::Policy& policy) {
  using security::Role;
  using security::Scope;
  // A device writes its own entity only (the service names it the owner of that one entity);
  // integrators (other city systems) and administrators write any.
  policy.allow(kContextWrite, Role::device, Scope::own);
  policy.allow(kContextWrite, Role::integrator, Scope::any);
  policy.allow(kContextWrite, Role::admin, Scope::any);
  policy.allow(kDevicesManage, Role::admin, Scope::any);
}

namespace {

// The live feed lives as long as the app (streams read it until the server stops).
struct LiveState final : app::ModuleState {
  explicit LiveState(http::EventStreams& streams) : feed(streams) {}
  LiveFeed feed;
};

// The broker's files first (devices registered while Balai was down), then the bridge. A
// broker problem is logged, never fatal: readings still arrive over HTTP and NGSI-v2.
void start_mqtt(app::App& app, ContextService& service, LiveFeed& feed) {
  if (auto synced = sync_broker_files(app.config, service); !synced)
    core::log::error("city.broker_files_failed", {{"error", synced.error().message}});
  if (app.config.sensors.mqtt_url.empty()) return;
  auto bridge = MqttBridge::create(app, service, feed);
  if (!bridge) {
    core::log::error("city.mqtt_disabled", {{"error", bridge.error().message}});
    return;
  }
  (*bridge)->start();
  const MqttBridge* b = bridge->get();
  auto gauge = [&app, b](std::string name, std::string help, uint64_t MqttBridgeCounters::*field) {
    app.gauges.push_back({std::move(name), std::move(help),
                          [b, field] { return static_cast<double>(b->counters().*field); }});
  };
  gauge("balai_city_mqtt_messages", "Readings messages received from the broker since start.",
        &MqttBridgeCounters::messages);
  gauge("balai_city_mqtt_dropped",
        "Readings messages dropped because the ingestion queue was full.",
        &MqttBridgeCounters::dropped);
  gauge("balai_city_mqtt_malformed",
        "Readings messages refused whole: not JSON, not readings, too large, unknown device.",
        &MqttBridgeCounters::malformed);
  gauge("balai_city_mqtt_batches", "Ingestion transactions of the MQTT worker since start.",
        &MqttBridgeCounters::batches);
  gauge("balai_city_bus_published", "Change-bus messages this instance published since start.",
        &MqttBridgeCounters::published);
  gauge("balai_city_bus_received", "Change-bus messages of other instances applied since start.",
        &MqttBridgeCounters::received);
  app.states.push_back(std::move(*bridge));
}

}  // namespace

void install(app::App& app) {
  allow_actions(app.security.policy);
  auto live = std::make_unique<LiveState>(app.streams);
  LiveFeed& feed = live->feed;
  app.states.push_back(std::move(live));
  auto service = std::make_unique<ContextService>(app);
  ContextService& s = *service;
  app.states.push_back(std::move(service));
  app.gauges.push_back({"balai_city_readings_accepted",
                        "Sensor readings and attribute updates stored since start.",
                        [&s] { return static_cast<double>(s.counts().accepted); }});
  app.gauges.push_back({"balai_city_readings_rejected",
                        "Sensor readings refused since start, whatever the reason.", [&s] {
                          int64_t n = 0;
                          for (const auto& [reason, count] : s.counts().rejected) n += count;
                          return static_cast<double>(n);
                        }});
  app.gauges.push_back({"balai_city_stream_clients", "Live streams (Server-Sent Events) open.",
                        [&app] { return static_cast<double>(app.streams.open()); }});
  s.listen([&feed, &app](const std::vector<Changed>& changed) {
    feed.append(changed, app.clock.now().ms);
  });
  install_readings_api(app, s);
  install_stream_api(app, feed);
  // /v2/subscriptions before the rest of /v2: install_ngsi_api ends with /v2's catch-all.
  install_subscriptions(app, s);
  install_ngsi_api(app, s);
  install_history(app, s);
  install_alerts(app, s);
  install_dashboard(app, s);
  start_mqtt(app, s, feed);
}

}  // namespace balai::city
