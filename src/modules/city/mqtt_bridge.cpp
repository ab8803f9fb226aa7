#include "modules/city/mqtt_bridge.h"

#include <boost/json/parse.hpp>
#include <charconv>
#include <utility>

#include "core/log.h"
#include "modules/city/broker_sync.h"
#include "modules/city/change_message.h"
#include "modules/city/readings_json.h"

namespace balai::city {
namespace {

// How long to wait before trying a broker that was away at start again.
constexpr auto kConnectRetry = std::chrono::seconds(5);

core::Error bad_url() {
  return core::Error{core::ErrorCode::validation_failed,
                     "sensors.mqtt_url is not a broker address.",
                     {{"sensors.mqtt_url", "mqtt://host[:port] or mqtts://host[:port]"}}};
}

}  // namespace

core::Result<MqttOptions> broker_options(std::string_view url, const std::string& ca_file) {
  MqttOptions o;
  bool tls = false;
  if (url.starts_with("mqtt://")) {
    url.remove_prefix(7);
  } else if (url.starts_with("mqtts://")) {
    url.remove_prefix(8);
    tls = true;
  } else {
    return bad_url();
  }
  if (url.ends_with('/')) url.remove_suffix(1);
  o.port = tls ? 8883 : 1883;
  std::string_view host = url;
  std::string_view port;
  if (url.starts_with('[')) {  // [IPv6]:port
    const size_t close = url.find(']');
    if (close == std::string_view::npos) return bad_url();
    host = url.substr(1, close - 1);
    std::string_view rest = url.substr(close + 1);
    if (!rest.empty()) {
      if (!rest.starts_with(':')) return bad_url();
      port = rest.substr(1);
    }
  } else if (const size_t colon = url.rfind(':'); colon != std::string_view::npos) {
    host = url.substr(0, colon);
    port = url.substr(colon + 1);
  }
  if (host.empty() || host.find_first_of("/@?# ") != std::string_view::npos) return bad_url();
  if (!port.empty() || url.ends_with(':')) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc{} || end != port.data() + port.size() || value == 0 || value > 65535)
      return bad_url();
    o.port = static_cast<uint16_t>(value);
  }
  o.host = std::string(host);
  if (tls) {
    if (ca_file.empty())
      return core::Error{core::ErrorCode::validation_failed,
                         "sensors.mqtt_url is mqtts:// but sensors.mqtt_ca_file is not set.",
                         {{"sensors.mqtt_ca_file", "a PEM file of the broker's CA"}}};
    o.tls_ca_file = ca_file;
  }
  return o;
}

MqttBridge* mqtt_bridge_of(app::App& app) {
  for (auto& state : app.states)
    if (auto* b = dynamic_cast<MqttBridge*>(state.get())) return b;
  return nullptr;
}

core::Result<std::unique_ptr<MqttBridge>> MqttBridge::create(app::App& app, ContextService& service,
                                                             LiveFeed& feed) {
  const auto& s = app.config.sensors;
  auto options = broker_options(s.mqtt_url, s.mqtt_ca_file);
  if (!options) return options.take_error();
  options->username = s.mqtt_user;
  auto password = balai_broker_password(app.config);
  if (!password) return password.take_error();
  options->password = std::move(*password);
  return std::unique_ptr<MqttBridge>(new MqttBridge(app, service, feed, std::move(*options)));
}

MqttBridge::MqttBridge(app::App& app, ContextService& service, LiveFeed& feed, MqttOptions options)
    : app_(app), service_(service), feed_(feed), client_(std::move(options)) {
  client_.set_on_message(
      [this](std::string_view topic, std::string_view payload) { on_message(topic, payload); });
}

MqttBridge::~MqttBridge() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
  // client_'s destructor then disconnects and joins its network thread.
}

void MqttBridge::start() {
  // Subscriptions are remembered and sent at every (re)connection. Readings at QoS 0: devices
  // publish at QoS 1 to the broker (their delivery is acknowledged there), and the broker then
  // streams them to Balai without a PUBACK round trip per message (at QoS 1 its window of 20
  // messages in flight held Balai to a few thousand readings a second while its queue overflowed).
  // A reading is lost only if Balai's connection drops while it is on its way.
  (void)client_.subscribe(kSharedReadingsFilter, 0);
  // No Local: the broker keeps this instance's own changes from coming back to it.
  (void)client_.subscribe(kChangesTopicFilter, 0, /*no_local=*/true);
  service_.listen([this](const std::vector<Changed>& changes) { publish(changes); });
  worker_ = std::thread([this] { run(); });
}

MqttBridgeCounters MqttBridge::counters() const {
  return {messages_.load(),  dropped_.load(),  malformed_.load(), batches_.load(),
          published_.load(), received_.load(), foreign_.load()};
}

void MqttBridge::on_message(std::string_view topic, std::string_view payload) {
  if (auto device = device_id_from_readings_topic(topic)) {
    ++messages_;
    std::lock_guard lock(mutex_);
    if (queue_.size() >= kQueueCapacity) {
      ++dropped_;
      return;
    }
    queue_.emplace_back(std::move(*device), std::string(payload));
    if (queue_.size() == 1) cv_.notify_one();
    return;
  }
  auto remote = parse_bus_message(topic, payload);
  if (!remote) {
    ++foreign_;
    return;
  }
  if (remote->instance == instance()) return;  // our own, already in our feed
  ++received_;
  feed_.append(remote->changes, app_.clock.now().ms);
}

void MqttBridge::publish(const std::vector<Changed>& changes) {
  if (!client_.connected()) return;  // the live view of other instances misses it; no backlog
  for (const auto& m : bus_messages(instance(), changes)) {
    if (client_.publish(m.topic, m.payload, 0, false)) ++published_;
  }
}

void MqttBridge::run() {
  // Connect, retrying while the broker is away (the client reconnects by itself afterwards).
  for (;;) {
    auto connected = client_.connect();
    if (connected) {
      core::log::info("city.mqtt_connected", {{"client", instance()}});
      break;
    }
    core::log::warn("city.mqtt_unavailable", {{"error", connected.error().message}});
    std::unique_lock lock(mutex_);
    if (cv_.wait_for(lock, kConnectRetry, [this] { return stop_; })) return;
  }
  std::deque<std::pair<std::string, std::string>> batch;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
      if (stop_) return;
      const size_t n = std::min(queue_.size(), kBatchMessages);
      for (size_t i = 0; i < n; ++i) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    ingest(batch);
    batch.clear();
  }
}

void MqttBridge::ingest(std::deque<std::pair<std::string, std::string>>& batch) {
  const core::Timestamp now = app_.clock.now();
  std::vector<DeviceReadings> readings;
  readings.reserve(batch.size());
  for (auto& [device, payload] : batch) {
    auto refuse = [&](std::string_view reason) {
      ++malformed_;
      service_.count_refused(reason);
    };
    if (payload.size() > kMaxPayload) {
      refuse("too_large");
      continue;
    }
    auto entity = service_.device_entity(device);
    if (!entity) {
      core::log::warn("city.mqtt_ingest_failed", {{"error", entity.error().message}});
      continue;
    }
    if (!*entity) {
      refuse("unknown_entity");
      continue;
    }
    boost::system::error_code ec;
    const boost::json::value doc = boost::json::parse(payload, ec);
    if (ec) {
      refuse("malformed");
      continue;
    }
    auto parsed = parse_readings(doc, **entity, now);
    if (!parsed) {
      refuse("malformed");
      continue;
    }
    readings.push_back({std::move(device), std::move(*parsed)});
  }
  if (readings.empty()) return;
  ++batches_;
  auto reports = service_.ingest_devices(std::move(readings));
  if (!reports) core::log::warn("city.mqtt_ingest_failed", {{"error", reports.error().message}});
}

}  // namespace balai::city
