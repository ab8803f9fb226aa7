#include "app/demo_sensors.h"

#include <boost/json.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <thread>

#include "app/runtime.h"
#include "core/files.h"
#include "core/log.h"
#include "modules/city/broker_sync.h"
#include "modules/city/demo.h"
#include "modules/city/module.h"
#include "modules/city/mqtt_bridge.h"
#include "modules/city/mqtt_client.h"
#include "modules/city/service.h"
#include "security/policy.h"

namespace balai::app {
namespace {

volatile std::sig_atomic_t g_stop = 0;
extern "C" void on_signal(int) {
  g_stop = 1;
}

int fail(const std::string& message) {
  core::log::flush();
  std::fprintf(stderr, "balai: %s\n", message.c_str());
  return 1;
}

struct Credentials {
  std::string device_id;
  std::string token;
};

// entity id -> its device's credentials, as an earlier run left them.
std::map<std::string, Credentials> read_credentials(const std::string& path) {
  std::map<std::string, Credentials> out;
  std::ifstream in(path);
  if (!in) return out;
  const std::string text((std::istreambuf_iterator<char>(in)), {});
  boost::system::error_code ec;
  const auto doc = boost::json::parse(text, ec);
  if (ec || !doc.is_object()) return out;
  for (const auto& [entity, v] : doc.as_object()) {
    const auto* o = v.if_object();
    if (!o || !o->contains("device") || !o->contains("token")) continue;
    const auto* device = o->at("device").if_string();
    const auto* token = o->at("token").if_string();
    if (device && token) out[std::string(entity)] = {std::string(*device), std::string(*token)};
  }
  return out;
}

core::Status write_credentials(const std::string& path,
                               const std::map<std::string, Credentials>& credentials) {
  boost::json::object doc;
  for (const auto& [entity, c] : credentials)
    doc[entity] = boost::json::object{{"device", c.device_id}, {"token", c.token}};
  return core::write_file_atomically(path, boost::json::serialize(doc) + "\n", 0600);
}

// One reading as a device sends it: {"readings": [{"entity", "attr", "value", "observedAt"}]}.
std::string payload_of(const std::vector<const city::Reading*>& readings) {
  boost::json::array items;
  for (const city::Reading* r : readings)
    items.push_back({{"entity", r->entity_id},
                     {"attr", r->attr},
                     {"value", r->value},
                     {"observedAt", core::format_iso8601_utc(core::Timestamp{r->observed_ms})}});
  return boost::json::serialize(boost::json::object{{"readings", std::move(items)}});
}

}  // namespace

int run_demo_sensors(const core::Config& config, int interval_s, int rounds) {
  if (config.sensors.mqtt_url.empty())
    return fail("demo sensors needs sensors.mqtt_url (and a broker): see docs/operations.md 22");
  auto broker = city::broker_options(config.sensors.mqtt_url, config.sensors.mqtt_ca_file);
  if (!broker) return fail(broker.error().message);
  // This process only publishes, as devices do: without the MQTT URL its own city module starts
  // no bridge (it would otherwise take a share of the readings it publishes).
  core::Config local = config;
  local.sensors.mqtt_url.clear();
  auto rt = Runtime::open(local);
  if (!rt) return fail(rt.error().message);
  if (auto migrated = (*rt)->migrate(); !migrated) return fail(migrated.error().message);
  if (auto seeded = (*rt)->seed_demo(); !seeded) return fail(seeded.error().message);
  city::allow_actions((*rt)->security().policy);
  city::ContextService context((*rt)->app());

  // One device per demo sensor, registered once.
  const std::string path = config.data_dir + "/demo-devices.json";
  auto credentials = read_credentials(path);
  bool added = false;
  for (const auto& e : city::demo_sensors()) {
    if (credentials.contains(e.entity_id)) continue;
    auto device = context.add_device(e.entity_type, e.entity_id, "");
    if (!device) return fail(device.error().message);
    credentials[e.entity_id] = {device->device_id, device->token};
    added = true;
  }
  if (added) {
    if (auto written = write_credentials(path, credentials); !written)
      return fail(written.error().message);
  }
  if (auto synced = city::sync_broker_files(config, context); !synced)
    return fail(synced.error().message);

  // Each device its own connection, as real ones: the broker checks each one's password and ACL.
  // A broker that has just been told about new devices re-reads its files a moment later.
  std::map<std::string, std::unique_ptr<city::MqttClient>> clients;
  for (const auto& [entity, c] : credentials) {
    city::MqttOptions o = *broker;
    o.username = c.device_id;
    o.password = c.token;
    auto client = std::make_unique<city::MqttClient>(o);
    core::Status connected;
    for (int attempt = 0; attempt < 50; ++attempt) {
      connected = client->connect();
      if (connected || connected.error().code != core::ErrorCode::unauthenticated) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    if (!connected) return fail(connected.error().message);
    clients[entity] = std::move(client);
  }
  // The handlers come before the announcement, which scripts may answer with a signal at once.
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  std::printf("demo sensors: %zu devices connected to %s; Ctrl-C stops\n", clients.size(),
              config.sensors.mqtt_url.c_str());
  std::fflush(stdout);
  for (int round = 0; !g_stop && (rounds <= 0 || round < rounds); ++round) {
    const int64_t now = (*rt)->app().clock.now().ms;
    const auto readings = city::demo_readings(config.city.zone, now);
    std::map<std::string, std::vector<const city::Reading*>> by_entity;
    for (const auto& r : readings) by_entity[r.entity_id].push_back(&r);
    size_t sent = 0;
    for (const auto& [entity, items] : by_entity) {
      auto it = clients.find(entity);
      if (it == clients.end()) continue;
      const auto& c = credentials.at(entity);
      if (it->second->publish(city::readings_topic(c.device_id), payload_of(items), 1, false))
        sent += items.size();
    }
    std::printf("published %zu readings\n", sent);
    std::fflush(stdout);
    if (rounds > 0 && round + 1 >= rounds) break;
    for (int i = 0; i < interval_s * 10 && !g_stop; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  // QoS 1 messages still queued go out before the clients disconnect (their destructors).
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  return 0;
}

}  // namespace balai::app
