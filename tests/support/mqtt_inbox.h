#pragma once
// Test helpers for MQTT: what a client received, and polling until a condition holds.

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "modules/city/mqtt_client.h"

namespace balai::testing {

// Polls `condition` every 10 ms until it holds or `deadline` passes; returns whether it held.
inline bool eventually(const std::function<bool()>& condition,
                       std::chrono::milliseconds deadline = std::chrono::seconds(10)) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

// What a client received, filled on its network thread.
class Inbox {
 public:
  city::MqttClient::MessageHandler handler() {
    return [this](std::string_view topic, std::string_view payload) {
      std::lock_guard lock(mutex_);
      messages_.emplace_back(std::string(topic), std::string(payload));
    };
  }
  std::vector<std::pair<std::string, std::string>> messages() const {
    std::lock_guard lock(mutex_);
    return messages_;
  }
  size_t size() const {
    std::lock_guard lock(mutex_);
    return messages_.size();
  }
  bool has(std::string_view topic, std::string_view payload) const {
    std::lock_guard lock(mutex_);
    for (const auto& [t, p] : messages_)
      if (t == topic && p == payload) return true;
    return false;
  }
  bool has_topic(std::string_view topic) const {
    std::lock_guard lock(mutex_);
    for (const auto& [t, p] : messages_)
      if (t == topic) return true;
    return false;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::pair<std::string, std::string>> messages_;
};

}  // namespace balai::testing
