#pragma once
// The security monitor: the one place where the server's observations (sign-ins, refusals,
// WAF hits, staff reads) meet intrusion detection, and where findings become stored security
// events, bans and alerts. Callers on any thread (I/O threads included: a 404 is observed
// where it is answered) only queue; one background thread does the detection, the database
// writes, the bans and the webhook, so no request ever waits for them.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <variant>

#include "core/time.h"
#include "security/firewall/firewall.h"
#include "security/ids/detector.h"
#include "security/security_events.h"

namespace balai::security {

struct MonitorSettings {
  ids::Thresholds thresholds;
  std::string webhook_url;                         // "" -> alerts only in the console
  ids::Severity alert_from = ids::Severity::high;  // events at or above go to the webhook
  size_t max_queue = 10'000;  // beyond it observations are dropped (and counted): a flood
                              // must not eat the memory
};

class Monitor {
 public:
  // References must outlive the monitor. Starts the background thread.
  Monitor(SecurityEvents& events, firewall::Firewall& firewall, const core::Clock& clock,
          MonitorSettings settings);
  // Processes what is queued, then stops the thread.
  ~Monitor();
  Monitor(const Monitor&) = delete;
  Monitor& operator=(const Monitor&) = delete;

  // Queues an observation for intrusion detection. Never blocks beyond a short lock.
  void observe(ids::Observation observation);
  // Queues an event the caller already decided on (an account locked, a WAF block).
  void report(SecurityEvent event);
  // Waits until everything queued before the call has been handled (tests, shutdown).
  void flush();

  uint64_t dropped() const;
  uint64_t alerts_failed() const;

 private:
  using Item = std::variant<ids::Observation, SecurityEvent>;
  void run();
  void handle(ids::Observation& o);
  void store(SecurityEvent e);

  SecurityEvents& events_;
  firewall::Firewall& firewall_;
  const core::Clock& clock_;
  MonitorSettings settings_;
  ids::Detector detector_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  std::deque<Item> queue_;
  uint64_t queued_ = 0;
  uint64_t handled_ = 0;
  uint64_t dropped_ = 0;
  uint64_t alerts_failed_ = 0;
  bool stopping_ = false;
  std::thread thread_;  // last: starts after everything above exists
};

}  // namespace balai::security
