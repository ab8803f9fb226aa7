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
