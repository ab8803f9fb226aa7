#pragma once
// The city module's MQTT side, when sensors.mqtt_url is set (DESIGN.md "Scale"):
//
// - Ingestion: devices publish readings to balai/v1/devices/{device}/readings; the broker has
//   authenticated each device by its user name and lets it publish that one topic (the ACL
//   Balai writes, broker_sync.h). Messages go from the client's network thread into a bounded
//   queue; one worker drains it in batches, one transaction per batch
//   (ContextService::ingest_devices), the same checks as every other way in.
// - The change bus: every change this instance commits is published to
//   balai/v1/changes/{service}/{type}; changes other instances publish are appended to this
//   instance's live feed, so a browser sees every change whichever instance serves it.
//   Subscriptions' notifications and alert rules run on the instance that made the change only
//   (once per change, not once per instance).
//
// A broker that is away at start is retried in the background (the portal does not wait for
// it); once connected the client reconnects by itself.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "app/app.h"
#include "modules/city/live_feed.h"
#include "modules/city/mqtt_client.h"
#include "modules/city/service.h"

namespace balai::city {

// Thread-safe snapshot, for /metrics and tests.
struct MqttBridgeCounters {
  uint64_t messages = 0;   // readings messages received
  uint64_t dropped = 0;    // refused because the queue was full
  uint64_t malformed = 0;  // not JSON, not readings, too large, unknown device
  uint64_t batches = 0;    // transactions of the ingestion worker
  uint64_t published = 0;  // change-bus messages sent
  uint64_t received = 0;   // change-bus messages of other instances applied
  uint64_t foreign = 0;    // change-bus messages that were not ours to read
};

class MqttBridge : public app::ModuleState {
 public:
  // Capacity of the ingestion queue, in messages; beyond it messages are dropped and counted.
  static constexpr size_t kQueueCapacity = 100'000;
  // Messages per ingestion transaction at most.
  static constexpr size_t kBatchMessages = 2'000;
  // A readings message larger than this is refused (a device sends a few readings at a time).
  static constexpr size_t kMaxPayload = 256 * 1024;

  // Reads the broker settings; validation_failed for a bad sensors.mqtt_url.
  [[nodiscard]] static core::Result<std::unique_ptr<MqttBridge>> create(app::App& app,
                                                                        ContextService& service,
                                                                        LiveFeed& feed);
  ~MqttBridge() override;
  MqttBridge(const MqttBridge&) = delete;
  MqttBridge& operator=(const MqttBridge&) = delete;

  // Starts the connection (retried in the background) and the ingestion worker, and registers
  // the bus publisher as a listener of the service. Call once, at install.
  void start();

  MqttBridgeCounters counters() const;
  bool connected() const { return client_.connected(); }
  // This instance's id on the bus (its MQTT client id).
  const std::string& instance() const { return client_.client_id(); }

 private:
  MqttBridge(app::App& app, ContextService& service, LiveFeed& feed, MqttOptions options);
  void on_message(std::string_view topic, std::string_view payload);  // network thread
  void publish(const std::vector<Changed>& changes);                  // writer threads
  void run();  // connects, then drains the ingestion queue until stopped
  void ingest(std::deque<std::pair<std::string, std::string>>& batch);

  app::App& app_;
  ContextService& service_;
  LiveFeed& feed_;
  MqttClient client_;
  mutable std::mutex mutex_;  // guards queue_, stop_
  std::condition_variable cv_;
  std::deque<std::pair<std::string, std::string>> queue_;  // device id, payload
  bool stop_ = false;
  std::thread worker_;
  std::atomic<uint64_t> messages_{0}, dropped_{0}, malformed_{0}, batches_{0}, published_{0},
      received_{0}, foreign_{0};
};

// The running bridge, or null when MQTT is off (no sensors.mqtt_url, or a bad one).
MqttBridge* mqtt_bridge_of(app::App& app);

// The client options of a broker URL: "mqtt://host[:port]" (1883) or "mqtts://host[:port]"
// (8883, TLS verified with `ca_file`; required). validation_failed naming the setting.
[[nodiscard]] core::Result<MqttOptions> broker_options(std::string_view url,
                                                       const std::string& ca_file);

}  // namespace balai::city
