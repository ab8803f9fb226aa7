#include "security/monitor.h"

#include <boost/json.hpp>

#include "core/log.h"
#include "security/webhook.h"

namespace balai::security {

Monitor::Monitor(SecurityEvents& events, firewall::Firewall& firewall, const core::Clock& clock,
                 MonitorSettings settings)
    : events_(events),
      firewall_(firewall),
      clock_(clock),
      settings_(std::move(settings)),
      detector_(settings_.thresholds),
      thread_([this] { run(); }) {}

Monitor::~Monitor() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void Monitor::observe(ids::Observation observation) {
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() >= settings_.max_queue) {
      ++dropped_;
      return;
    }
    queue_.emplace_back(std::move(observation));
    ++queued_;
  }
  wake_.notify_one();
}

void Monitor::report(SecurityEvent event) {
  {
    std::lock_guard lock(mutex_);
    // Decided events are few (each is a refusal already made) and must not be lost to a flood of
    // observations: they may exceed the bound.
    queue_.emplace_back(std::move(event));
    ++queued_;
  }
  wake_.notify_one();
}

void Monitor::flush() {
  std::unique_lock lock(mutex_);
  const uint64_t target = queued_;
  idle_.wait(lock, [&] { return handled_ >= target; });
}

uint64_t Monitor::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

uint64_t Monitor::alerts_failed() const {
  std::lock_guard lock(mutex_);
  return alerts_failed_;
}

void Monitor::run() {
  for (;;) {
    Item item;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything handled
      item = std::move(queue_.front());
      queue_.pop_front();
    }
    if (auto* o = std::get_if<ids::Observation>(&item)) {
      handle(*o);
    } else {
      store(std::move(std::get<SecurityEvent>(item)));
    }
    {
      std::lock_guard lock(mutex_);
      ++handled_;
    }
    idle_.notify_all();
  }
}

void Monitor::handle(ids::Observation& o) {
  for (ids::Finding& f : detector_.observe(o)) {
    const std::string source = f.source;
    const bool ban = f.ban_source && !source.empty();
    store(SecurityEvent{"", f.at, f.type, f.severity, f.source, f.account, f.detail, {}, ""});
    if (!ban) continue;
    const std::string key = firewall::Firewall::source_key(source);
    if (key.empty()) continue;
    const firewall::Ban b = firewall_.bans().ban(key, clock_.now());
    store(SecurityEvent{"",
                        clock_.now(),
                        "source_banned",
                        ids::Severity::medium,
                        source,
                        "",
                        "banned after " + f.type + " for " +
                            std::to_string((b.until.ms - clock_.now().ms) / 1000) + " s",
                        {},
                        ""});
  }
}

void Monitor::store(SecurityEvent e) {
  if (e.at.ms == 0) e.at = clock_.now();
  if (auto s = events_.record(e); !s)
    core::log::error("security.event_not_stored", {{"type", e.type}, {"error", s.error().message}});
  core::log::warn("security.event", {{"type", e.type}, {"severity", ids::to_string(e.severity)}});
  if (settings_.webhook_url.empty() || e.severity < settings_.alert_from) return;
  const boost::json::object body{{"event", e.type},
                                 {"severity", ids::to_string(e.severity)},
                                 {"at_ms", e.at.ms},
                                 {"source", e.source},
                                 {"detail", e.detail}};
  if (auto s = post_json(settings_.webhook_url, boost::json::serialize(body)); !s) {
    core::log::warn("security.alert_webhook_failed", {{"error", s.error().message}});
    std::lock_guard lock(mutex_);
    ++alerts_failed_;
  }
}

}  // namespace balai::security
