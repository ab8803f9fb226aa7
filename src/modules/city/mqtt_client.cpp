#include "modules/city/mqtt_client.h"

#include <mosquitto.h>
#include <mqtt_protocol.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <climits>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <utility>
#include <vector>

#include "core/ids.h"
#include "core/log.h"

namespace balai::city {
namespace {

using core::ErrorCode;
using core::make_error;

constexpr std::string_view kDevicesPrefix = "balai/v1/devices/";
constexpr std::string_view kReadingsSuffix = "/readings";
constexpr std::string_view kChangesPrefix = "balai/v1/changes/";
constexpr std::string_view kDefaultServiceLevel = "_";
constexpr size_t kMaxDeviceId = 64;
constexpr size_t kMaxService = 50;  // Orion's limit on Fiware-Service
constexpr size_t kMaxEntityType = 256;

// libmosquitto's global state (and OpenSSL's, for TLS) is set up once per process and never torn
// down: clients may live until exit, and mosquitto_lib_cleanup under a live client is undefined.
void init_library_once() {
  static std::once_flag once;
  std::call_once(once, [] { mosquitto_lib_init(); });
}

bool is_valid_service(std::string_view service) {
  if (service.size() > kMaxService) return false;
  for (const char c : service)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

// One topic level that an NGSI type fills: nothing that would add a level or a wildcard, nothing
// invisible, and valid UTF-8 (the broker drops a client that sends malformed UTF-8).
bool is_valid_entity_type_level(std::string_view type) {
  if (type.empty() || type.size() > kMaxEntityType) return false;
  for (const char c : type) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '/' || c == '+' || c == '#' || u < 0x20 || u == 0x7f) return false;
  }
  return mosquitto_validate_utf8(type.data(), static_cast<int>(type.size())) == MOSQ_ERR_SUCCESS;
}

bool has_nul(std::string_view text) {
  return text.find('\0') != std::string_view::npos;
}

std::string broker_name(const MqttOptions& o) {
  return o.host + ":" + std::to_string(o.port);
}

// A CONNACK's code in words: MQTT 5 reason codes (128 and up) and 3.1.1's return codes.
std::string connack_text(int code) {
  return code >= 128 ? mosquitto_reason_string(code) : mosquitto_connack_string(code);
}

// Refused for the credentials: MQTT 5's 134 bad user name or password and 135 not authorised
// (3.1.1's 4 and 5).
bool refused_for_credentials(int code) {
  return code == 134 || code == 135 || code == 4 || code == 5;
}

}  // namespace

// ---- Topics -----------------------------------------------------------------------------------

bool is_valid_device_id(std::string_view device_id) {
  if (device_id.empty() || device_id.size() > kMaxDeviceId) return false;
  for (const char c : device_id) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string readings_topic(std::string_view device_id) {
  if (!is_valid_device_id(device_id))
    throw std::invalid_argument("readings_topic: invalid device id");
  std::string topic(kDevicesPrefix);
  topic += device_id;
  topic += kReadingsSuffix;
  return topic;
}

std::optional<std::string> device_id_from_readings_topic(std::string_view topic) {
  if (!topic.starts_with(kDevicesPrefix) || !topic.ends_with(kReadingsSuffix)) return std::nullopt;
  if (topic.size() < kDevicesPrefix.size() + kReadingsSuffix.size()) return std::nullopt;
  const std::string_view id = topic.substr(
      kDevicesPrefix.size(), topic.size() - kDevicesPrefix.size() - kReadingsSuffix.size());
  if (!is_valid_device_id(id)) return std::nullopt;  // also refuses a '/' (an extra level)
  return std::string(id);
}

core::Result<std::string> changes_topic(std::string_view service, std::string_view entity_type) {
  // "_" is the default service's level; a tenant literally named "_" would be read back as the
  // default one, so it is refused rather than silently merged.
  if (!is_valid_service(service) || service == kDefaultServiceLevel)
    return make_error(ErrorCode::validation_failed,
                      "service must be lower-case letters, digits and underscores (at most 50)");
  if (!is_valid_entity_type_level(entity_type))
    return make_error(ErrorCode::validation_failed,
                      "entity type must be 1 to 256 bytes of UTF-8 without '/', '+', '#' or "
                      "control characters");
  std::string topic(kChangesPrefix);
  topic += service.empty() ? kDefaultServiceLevel : service;
  topic += '/';
  topic += entity_type;
  return topic;
}

std::optional<ChangesTopic> parse_changes_topic(std::string_view topic) {
  if (!topic.starts_with(kChangesPrefix)) return std::nullopt;
  topic.remove_prefix(kChangesPrefix.size());
  const size_t slash = topic.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  std::string_view service = topic.substr(0, slash);
  const std::string_view type = topic.substr(slash + 1);
  if (service.empty()) return std::nullopt;
  if (service == kDefaultServiceLevel) {
    service = {};
  } else if (!is_valid_service(service)) {
    return std::nullopt;
  }
  if (!is_valid_entity_type_level(type)) return std::nullopt;
  return ChangesTopic{std::string(service), std::string(type)};
}

// ---- Client -----------------------------------------------------------------------------------

struct MqttClient::Impl {
  MqttOptions options;
  std::string client_id;
  mosquitto* mosq = nullptr;
  MessageHandler on_message;  // written before connect(), read by the network thread only

  std::atomic<bool> connected{false};
  std::atomic<uint64_t> messages_in{0};
  std::atomic<uint64_t> messages_out{0};
  std::atomic<uint64_t> reconnects{0};

  // Guards everything below. Never held while calling into libmosquitto, whose callbacks run
  // under its own lock on the network thread and take this one.
  std::mutex mutex;
  std::condition_variable answered;  // connect() waits on it for the first CONNACK
  struct Subscription {
    std::string filter;
    int qos = 0;
    bool no_local = false;
  };
  std::vector<Subscription> subscriptions;  // replayed on reconnect

  static int subscribe_now(mosquitto* m, const Subscription& s) {
    return mosquitto_subscribe_v5(m, nullptr, s.filter.c_str(), s.qos,
                                  s.no_local ? MQTT_SUB_OPT_NO_LOCAL : 0, nullptr);
  }
  bool loop_running = false;        // the network thread exists (connect() succeeded or waits)
  bool connecting = false;          // connect() is waiting for the first answer
  std::optional<int> first_answer;  // the CONNACK code connect() waits for
  bool lost_before_answer = false;  // the connection closed before any CONNACK
  bool ever_connected = false;      // a later successful CONNACK is a reconnect
  // connect() succeeded and stop_loop() has not begun: only then are drops and refusals news
  // worth a log line (a failed connect() reports through its Status instead).
  bool established = false;

  // Disconnects and joins the network thread. Safe when nothing runs.
  void stop_loop() {
    {
      std::lock_guard lock(mutex);
      if (!loop_running) return;
      established = false;
    }
    // Marks the client as leaving so the network thread stops reconnecting; its return value
    // only says whether a DISCONNECT could be sent, which does not matter here.
    mosquitto_disconnect(mosq);
    mosquitto_loop_stop(mosq, false);
    std::lock_guard lock(mutex);
    loop_running = false;
    connecting = false;
    connected = false;
  }

  static void handle_connect(mosquitto* mosq, void* self, int rc) {
    static_cast<Impl*>(self)->on_connect(mosq, rc);
  }
  static void handle_disconnect(mosquitto*, void* self, int rc) {
    static_cast<Impl*>(self)->on_disconnect(rc);
  }
  static void handle_message(mosquitto*, void* self, const mosquitto_message* message) {
    auto* impl = static_cast<Impl*>(self);
    impl->messages_in.fetch_add(1, std::memory_order_relaxed);
    if (!impl->on_message || message->topic == nullptr) return;
    const std::string_view payload(static_cast<const char*>(message->payload),
                                   message->payload == nullptr ? 0 : message->payloadlen);
    impl->on_message(message->topic, payload);
  }

  void on_connect(mosquitto* m, int rc) {
    std::vector<Subscription> resubscribe;
    bool reconnected = false;
    bool loud = false;
    {
      std::lock_guard lock(mutex);
      loud = established;
      if (connecting && !first_answer) {
        first_answer = rc;
        answered.notify_all();
      }
      if (rc == 0) {
        // Set under the lock so that subscribe() either sees the connection or is in the list.
        connected = true;
        reconnected = ever_connected;
        ever_connected = true;
        resubscribe = subscriptions;
      }
    }
    if (rc != 0) {
      // During reconnects the library keeps trying with backoff: the broker's password file may
      // be fixed by an administrator without restarting Balai.
      if (loud)
        core::log::warn("city.mqtt.refused", {{"broker", broker_name(options)},
                                              {"client_id", client_id},
                                              {"reason", connack_text(rc)}});
      return;
    }
    if (reconnected) {
      reconnects.fetch_add(1, std::memory_order_relaxed);
      core::log::info("city.mqtt.reconnected",
                      {{"broker", broker_name(options)}, {"client_id", client_id}});
    }
    for (const auto& sub_of : resubscribe) {
      const int sub = subscribe_now(m, sub_of);
      if (sub != MOSQ_ERR_SUCCESS)
        core::log::warn("city.mqtt.subscribe_failed",
                        {{"client_id", client_id}, {"reason", mosquitto_strerror(sub)}});
    }
  }

  void on_disconnect(int rc) {
    connected = false;
    bool loud = false;
    {
      std::lock_guard lock(mutex);
      loud = established;
      if (connecting && !first_answer) {
        lost_before_answer = true;
        answered.notify_all();
      }
    }
    // rc 0: we asked for it (destructor, failed connect()); anything else is a lost connection
    // that the network thread will try to restore.
    if (rc != 0 && loud)
      core::log::warn("city.mqtt.connection_lost", {{"broker", broker_name(options)},
                                                    {"client_id", client_id},
                                                    {"reason", mosquitto_strerror(rc)}});
  }
};

MqttClient::MqttClient(MqttOptions options) : impl_(std::make_unique<Impl>()) {
  init_library_once();
  impl_->options = std::move(options);
  impl_->client_id = impl_->options.client_id.empty()
                         ? "balai-" + core::random_hex_id().substr(0, 16)
                         : impl_->options.client_id;
  impl_->mosq = mosquitto_new(impl_->client_id.c_str(), impl_->options.clean_session, impl_.get());
  if (impl_->mosq == nullptr)
    throw std::runtime_error("mqtt: cannot create a client (invalid client id or out of memory)");
  // MQTT 5 for No Local: an instance need not receive its own change-bus messages back.
  mosquitto_int_option(impl_->mosq, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
  mosquitto_connect_callback_set(impl_->mosq, &Impl::handle_connect);
  mosquitto_disconnect_callback_set(impl_->mosq, &Impl::handle_disconnect);
  mosquitto_message_callback_set(impl_->mosq, &Impl::handle_message);
  const auto min_s =
      static_cast<unsigned>(std::max<int64_t>(1, impl_->options.reconnect_min.count()));
  const auto max_s =
      static_cast<unsigned>(std::max<int64_t>(min_s, impl_->options.reconnect_max.count()));
  mosquitto_reconnect_delay_set(impl_->mosq, min_s, max_s, true);
}

MqttClient::~MqttClient() {
  impl_->stop_loop();
  mosquitto_destroy(impl_->mosq);
}

void MqttClient::set_on_message(MessageHandler handler) {
  impl_->on_message = std::move(handler);
}

core::Status MqttClient::connect() {
  Impl& d = *impl_;
  const MqttOptions& o = d.options;
  const std::string broker = broker_name(o);
  {
    std::lock_guard lock(d.mutex);
    if (d.loop_running)
      return make_error(ErrorCode::conflict, "MQTT client is already connected to " + broker);
  }

  // libmosquitto refuses 1..4 (too short to detect a dead link in time) and over 65535.
  if (o.keepalive_s != 0 && (o.keepalive_s < 5 || o.keepalive_s > 65535))
    return make_error(ErrorCode::validation_failed, "MQTT keepalive must be 0 or 5 to 65535 s");
  if (has_nul(o.username) || has_nul(o.password))
    return make_error(ErrorCode::validation_failed, "MQTT user name or password holds a NUL byte");
  const int cred =
      mosquitto_username_pw_set(d.mosq, o.username.empty() ? nullptr : o.username.c_str(),
                                o.password.empty() ? nullptr : o.password.c_str());
  if (cred != MOSQ_ERR_SUCCESS)
    return make_error(ErrorCode::validation_failed, "MQTT user name or password is invalid: " +
                                                        std::string(mosquitto_strerror(cred)));
  if (o.tls_ca_file) {
    const int tls =
        mosquitto_tls_set(d.mosq, o.tls_ca_file->c_str(), nullptr, nullptr, nullptr, nullptr);
    if (tls != MOSQ_ERR_SUCCESS)
      return make_error(ErrorCode::unavailable,
                        "MQTT TLS CA file cannot be used: " + std::string(mosquitto_strerror(tls)));
  }

  {
    std::lock_guard lock(d.mutex);
    d.connecting = true;
    d.first_answer.reset();
    d.lost_before_answer = false;
  }
  const auto not_connecting = [&] {
    std::lock_guard lock(d.mutex);
    d.connecting = false;
  };

  // Blocking TCP (and TLS) connection: an unreachable broker is reported here, at once, instead
  // of turning into silent retries on the network thread.
  errno = 0;
  const int rc = mosquitto_connect(d.mosq, o.host.c_str(), o.port, o.keepalive_s);
  if (rc != MOSQ_ERR_SUCCESS) {
    const int err = errno;
    not_connecting();
    std::string why =
        rc == MOSQ_ERR_ERRNO && err != 0 ? std::strerror(err) : mosquitto_strerror(rc);
    return make_error(ErrorCode::unavailable, "MQTT broker " + broker + " is unreachable: " + why);
  }
  if (const int loop = mosquitto_loop_start(d.mosq); loop != MOSQ_ERR_SUCCESS) {
    not_connecting();
    return make_error(ErrorCode::internal, "MQTT network thread did not start: " +
                                               std::string(mosquitto_strerror(loop)));
  }

  std::optional<int> answer;
  bool lost = false;
  {
    std::unique_lock lock(d.mutex);
    d.loop_running = true;
    d.answered.wait_for(lock, o.connect_timeout,
                        [&] { return d.first_answer.has_value() || d.lost_before_answer; });
    answer = d.first_answer;
    lost = d.lost_before_answer;
    d.connecting = false;
    d.established = answer == 0;
  }
  if (answer == 0) return {};

  d.stop_loop();
  {
    // A CONNACK that came after the timeout made no connection this client ever used: the next
    // successful connect() is the first, not a reconnect.
    std::lock_guard lock(d.mutex);
    d.ever_connected = false;
  }
  if (answer) {
    const bool refused_credentials = refused_for_credentials(*answer);
    std::string message = "MQTT broker " + broker + " refused the connection";
    message += o.username.empty() ? " without credentials" : " of user '" + o.username + "'";
    message += ": ";
    message += connack_text(*answer);
    return make_error(refused_credentials ? ErrorCode::unauthenticated : ErrorCode::unavailable,
                      std::move(message));
  }
  return make_error(ErrorCode::unavailable,
                    "MQTT broker " + broker +
                        (lost ? " closed the connection before answering"
                              : " did not answer within the connect timeout"));
}

core::Status MqttClient::subscribe(std::string_view topic_filter, int qos, bool no_local) {
  if (qos < 0 || qos > 2)
    return make_error(ErrorCode::validation_failed, "MQTT QoS must be 0, 1 or 2");
  const std::string filter(topic_filter);
  if (filter.empty() || has_nul(filter) ||
      mosquitto_sub_topic_check(filter.c_str()) != MOSQ_ERR_SUCCESS ||
      mosquitto_validate_utf8(filter.data(), static_cast<int>(filter.size())) != MOSQ_ERR_SUCCESS)
    return make_error(ErrorCode::validation_failed, "invalid MQTT topic filter");
  const Impl::Subscription wanted{filter, qos, no_local};
  bool now = false;
  {
    std::lock_guard lock(impl_->mutex);
    bool known = false;
    for (auto& s : impl_->subscriptions) {
      if (s.filter == filter) {
        s = wanted;
        known = true;
      }
    }
    if (!known) impl_->subscriptions.push_back(wanted);
    now = impl_->connected;
  }
  if (!now) return {};  // on_connect subscribes when the connection is (re)established
  const int rc = Impl::subscribe_now(impl_->mosq, wanted);
  if (rc == MOSQ_ERR_SUCCESS || rc == MOSQ_ERR_NO_CONN) return {};  // NO_CONN: replayed later
  return make_error(ErrorCode::unavailable,
                    "MQTT subscribe failed: " + std::string(mosquitto_strerror(rc)));
}

core::Status MqttClient::publish(std::string_view topic, std::string_view payload, int qos,
                                 bool retain) {
  if (qos < 0 || qos > 2)
    return make_error(ErrorCode::validation_failed, "MQTT QoS must be 0, 1 or 2");
  const std::string name(topic);
  if (name.empty() || has_nul(name) || mosquitto_pub_topic_check(name.c_str()) != MOSQ_ERR_SUCCESS)
    return make_error(ErrorCode::validation_failed, "invalid MQTT topic");
  if (payload.size() > static_cast<size_t>(INT_MAX))
    return make_error(ErrorCode::validation_failed, "MQTT payload too large");
  // Checked first so that a QoS 1 message is not queued inside the library while disconnected
  // (the contract is: unavailable means not sent, and will not be).
  if (!impl_->connected) return make_error(ErrorCode::unavailable, "MQTT client is not connected");
  const int rc = mosquitto_publish(impl_->mosq, nullptr, name.c_str(),
                                   static_cast<int>(payload.size()), payload.data(), qos, retain);
  switch (rc) {
    case MOSQ_ERR_SUCCESS:
      impl_->messages_out.fetch_add(1, std::memory_order_relaxed);
      return {};
    case MOSQ_ERR_NO_CONN:
    case MOSQ_ERR_CONN_LOST:
      return make_error(ErrorCode::unavailable, "MQTT client is not connected");
    case MOSQ_ERR_INVAL:
    case MOSQ_ERR_PAYLOAD_SIZE:
    case MOSQ_ERR_OVERSIZE_PACKET:
    case MOSQ_ERR_MALFORMED_UTF8:
    case MOSQ_ERR_QOS_NOT_SUPPORTED:
      return make_error(ErrorCode::validation_failed,
                        "MQTT publish refused: " + std::string(mosquitto_strerror(rc)));
    default:
      return make_error(ErrorCode::unavailable,
                        "MQTT publish failed: " + std::string(mosquitto_strerror(rc)));
  }
}

bool MqttClient::connected() const {
  return impl_->connected;
}

MqttCounters MqttClient::counters() const {
  return {impl_->messages_in.load(std::memory_order_relaxed),
          impl_->messages_out.load(std::memory_order_relaxed),
          impl_->reconnects.load(std::memory_order_relaxed)};
}

const std::string& MqttClient::client_id() const {
  return impl_->client_id;
}

}  // namespace balai::city
