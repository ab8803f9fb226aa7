#pragma once
// MQTT for the smart city: sensors publish their readings to a Mosquitto broker, and Balai's
// instances share context changes with each other over the same broker (the multi-instance bus,
// DESIGN.md "Scale"). libmosquitto stays behind a pimpl: mosquitto.h is included by
// mqtt_client.cpp only, as Boost is by src/http/.
//
// The topic scheme (fixed; devices are built against it, so a change is a new version prefix):
//
//   balai/v1/devices/{device_id}/readings
//       A device publishes its readings here (a JSON payload, QoS 0 or 1). The broker's ACL lets
//       device {device_id} (its MQTT username) write this one topic and nothing else; Balai
//       subscribes to balai/v1/devices/+/readings. device_id: [A-Za-z0-9_-]{1,64}.
//
//   balai/v1/changes/{service or _}/{entity_type}
//       Each Balai instance publishes the context changes it made, so the other instances update
//       their caches and live streams; every instance subscribes to balai/v1/changes/#.
//       {service} is the NGSI-v2 Fiware-Service ([a-z0-9_]{1,50}); "_" stands for the default
//       service "" because an MQTT topic level cannot be empty in a useful way.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace balai::city {

// ---- Topics -----------------------------------------------------------------------------------

inline constexpr std::string_view kReadingsTopicFilter = "balai/v1/devices/+/readings";
// What Balai's instances subscribe to: a shared subscription (group "balai"), so that the broker
// hands each reading to one instance of the group, not to every instance; messages arrive with
// their own topic.
inline constexpr std::string_view kSharedReadingsFilter =
    "$share/balai/balai/v1/devices/+/readings";
inline constexpr std::string_view kChangesTopicFilter = "balai/v1/changes/#";

// [A-Za-z0-9_-]{1,64}: the characters a device id may have, so that it is one safe MQTT topic
// level (no '+', '#', '/') and one safe token in the broker's password and ACL files.
bool is_valid_device_id(std::string_view device_id);

// "balai/v1/devices/{device_id}/readings". Precondition: is_valid_device_id(device_id)
// (checked; an invalid id is a bug in the caller and throws std::invalid_argument).
std::string readings_topic(std::string_view device_id);

// The device id of a readings topic, or nullopt when `topic` is not exactly
// balai/v1/devices/{valid device id}/readings. Untrusted input: any text is safe.
std::optional<std::string> device_id_from_readings_topic(std::string_view topic);

// "balai/v1/changes/{service or _}/{entity_type}". validation_failed when the service is not
// [a-z0-9_]{0,50} or the entity type is empty, longer than 256 bytes, or holds a character that
// would change the topic's structure ('/', '+', '#', NUL) or a control character.
[[nodiscard]] core::Result<std::string> changes_topic(std::string_view service,
                                                      std::string_view entity_type);

// The parts of a changes topic; service "" for the default service ("_" in the topic).
struct ChangesTopic {
  std::string service;
  std::string entity_type;
  bool operator==(const ChangesTopic&) const = default;
};
// Nullopt when `topic` is not a changes topic that changes_topic() could have produced.
std::optional<ChangesTopic> parse_changes_topic(std::string_view topic);

// ---- Client -----------------------------------------------------------------------------------

struct MqttOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 1883;
  std::string client_id;  // "" -> "balai-" + random hex (two instances must never share one)
  std::string username;   // "" -> no credentials (anonymous)
  std::string password;   // never logged, never in an error message
  int keepalive_s = 30;   // 0 (none) or 5..65535
  // True: the broker forgets subscriptions and queued QoS 1 messages when the client goes away.
  // The client re-subscribes after every reconnect either way.
  bool clean_session = true;
  // A PEM file of the CAs that sign the broker's certificate; set -> TLS (the broker's name is
  // verified against `host`). nullopt -> plain TCP (a broker on localhost or a private network).
  std::optional<std::string> tls_ca_file;
  // Reconnect backoff after the broker went away: min, doubling up to max.
  std::chrono::seconds reconnect_min{1};
  std::chrono::seconds reconnect_max{30};
  // How long connect() waits for the broker's answer (CONNACK) after the TCP connection.
  std::chrono::milliseconds connect_timeout{10'000};
};

// For /metrics. Monotonic over the client's life.
struct MqttCounters {
  uint64_t messages_in = 0;   // messages delivered to the on_message handler
  uint64_t messages_out = 0;  // publish() calls the library accepted (queued or sent)
  uint64_t reconnects = 0;    // successful connections after the first one
};

// One connection to an MQTT broker (MQTT 5) with its own network thread.
//
// Life: construct, set_on_message, connect(); then subscribe/publish from any thread. After the
// first successful connect() the client reconnects by itself whenever the connection drops
// (backoff reconnect_min..reconnect_max) and subscribes again to every filter it was given.
// The destructor disconnects and joins the network thread; it blocks until that thread ends.
class MqttClient {
 public:
  // Called on the client's network thread for every message, with views valid only during the
  // call. It must not block for long (the connection's keep-alive and every other message wait
  // on it) and must not destroy the client; copy what it needs and hand heavy work on.
  using MessageHandler = std::function<void(std::string_view topic, std::string_view payload)>;

  explicit MqttClient(MqttOptions options);
  ~MqttClient();
  MqttClient(const MqttClient&) = delete;
  MqttClient& operator=(const MqttClient&) = delete;

  // Sets the handler of incoming messages. Call before connect(): the network thread reads it
  // without a lock afterwards.
  void set_on_message(MessageHandler handler);

  // Connects and starts the network thread. Blocks for the TCP connection and up to
  // connect_timeout for the broker's answer. Errors (the message names host and port, and the
  // user name, never the password):
  //   unavailable     - broker unreachable, TLS failure, or no answer in time;
  //   unauthenticated - the broker refused the credentials (or anonymous access);
  //   conflict        - already connected (connect() is called once).
  // After an error the client is idle and connect() may be called again.
  [[nodiscard]] core::Status connect();

  // Subscribes now when connected, and again after every reconnect. `no_local`: the broker does
  // not send back what this client publishes on the filter (MQTT 5's No Local option).
  // validation_failed for an invalid filter or a QoS other than 0, 1, 2. Thread-safe. Does not
  // wait for the SUBACK: a filter the broker's ACL denies is accepted here and simply delivers
  // nothing.
  [[nodiscard]] core::Status subscribe(std::string_view topic_filter, int qos,
                                       bool no_local = false);

  // Queues a message for sending. unavailable while disconnected (a reading published then is
  // lost, by design: a sensor's next reading replaces it), validation_failed for an invalid
  // topic (wildcards, empty), a QoS other than 0, 1, 2, or a payload over MQTT's limit.
  // Thread-safe; never blocks on the network.
  [[nodiscard]] core::Status publish(std::string_view topic, std::string_view payload, int qos,
                                     bool retain);

  // True between the broker's acceptance and the loss of the connection. Thread-safe.
  bool connected() const;

  // Thread-safe snapshot.
  MqttCounters counters() const;

  // The options' client id, or the generated one.
  const std::string& client_id() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace balai::city
