#pragma once
// Delivery of NGSI-v2 notifications: the subscriptions this instance serves (kept in memory,
// compiled once), the listener that turns each committed change into queued notifications, the
// worker threads that POST them with libcurl, and the counters that deliveries change.
//
// Fairness: one dead endpoint must never starve the others. Each subscription has at most one
// POST in flight, and what arrives for it meanwhile waits in its own batch, coalesced (the
// latest state of each entity replaces an earlier one), to go out as one notification when the
// POST in flight ends. The ready queue holds each subscription at most once, so a subscription
// whose endpoint hangs holds at most one worker for at most notify_timeout_ms while the other
// workers serve everyone else; the bound on waiting entities (notify_queue) caps the memory a
// slow endpoint can pin. (Per-endpoint queues would serve many subscriptions of one dead host
// no better: each would still wait for its own timeout.)
//
// Counters (timesSent, lastSuccess, failsCounter, ...) change in memory at each delivery and are
// written to the database by the owner's flush (take_deltas) about once a second, not by each
// delivery: a sensor network sends thousands of changes a second and a write per notification
// would double the database's write load (an fsync per batch on SQLite) for statistics. A crash
// loses at most the last second of counts; GET shows the live values (overlay).
//
// Thread-safe: one mutex guards the registry and the queue; the listener holds it only to
// match and queue (no I/O), so it never blocks the writer for long.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/time.h"
#include "modules/city/subscriptions.h"

namespace balai::city {

struct NotifierSettings {
  int workers = 4;
  size_t queue_limit = 10'000;  // entities waiting in all batches together; beyond: dropped
  long timeout_ms = 5'000;      // one POST, connecting included
};

// One POST as the transport sends it.
struct OutgoingNotification {
  std::string subscription_id;
  std::string url;
  std::string body;           // notification_body()
  std::string service;        // Fiware-Service; "" sends none
  std::string service_paths;  // Fiware-ServicePath: the entities' paths, comma-separated
  AttrsFormat format = AttrsFormat::normalized;  // Ngsiv2-AttrsFormat
};

// POSTs a notification with libcurl (Content-Type: application/json, Fiware-Service,
// Fiware-ServicePath, Ngsiv2-AttrsFormat); blocks for at most `timeout_ms`. Redirects are not
// followed and only http and https are spoken. Any HTTP answer is delivered (its status kept);
// otherwise the failure is libcurl's error text. Each calling thread keeps one curl handle, so
// connections to an endpoint are reused. at_ms is left 0 (the caller stamps it).
Delivery post_notification(const OutgoingNotification& notification, long timeout_ms);

// Whether libcurl reads `url` as an http:// or https:// URL with a host.
bool is_notification_url(std::string_view url);

// How a subscription's stored counters change with what this instance did since the last flush.
struct CounterDelta {
  int64_t key = 0;
  int64_t sent = 0;                  // added to timesSent
  int64_t last_notification_ms = 0;  // 0: unchanged
  int64_t last_success_ms = 0;       // 0: unchanged (with last_success_code)
  int64_t last_success_code = 0;
  int64_t last_failure_ms = 0;  // 0: unchanged (with last_failure_reason)
  std::string last_failure_reason;
  int64_t fails = 0;         // failures since the last success seen here
  bool fails_reset = false;  // a success came: failsCounter restarts at `fails`
  bool stopped = false;      // maxFailsLimit reached: the status becomes failed
  bool empty() const;
};

// The stored subscription as it is once `delta` is applied (counters and status).
void apply_delta(const CounterDelta& delta, Subscription& s);

struct NotifierStats {
  int64_t sent = 0;       // POSTs that got an HTTP answer
  int64_t failed = 0;     // POSTs that did not
  int64_t dropped = 0;    // entity states dropped because the queue was full
  int64_t throttled = 0;  // changes a subscription's throttling left out
};

class Notifier {
 public:
  using Transport = std::function<Delivery(const OutgoingNotification&)>;

  // Starts settings.workers threads that deliver through `transport` (post_notification with
  // the settings' timeout when empty). `clock` must outlive the notifier.
  Notifier(const NotifierSettings& settings, const core::Clock& clock, Transport transport = {});
  // Stops the workers after the POSTs in flight; what still waits is dropped, and changes from
  // then on are ignored. The counters' last changes stay readable through take_deltas().
  // Idempotent; the destructor calls it.
  void stop();
  ~Notifier();
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;

  // --- The subscriptions served ---
  // Adds or replaces one (created, patched) with its stored counters; what this instance has
  // not flushed yet is kept on top, except failures when `failures_cleared` (set active again).
  // bad_request when its subject does not compile (then nothing changes).
  [[nodiscard]] core::Status put(Subscription s, bool failures_cleared = false);
  void erase(int64_t key);
  // A refresh from the database (other instances create, change and delete subscriptions too):
  // call begin_refresh() before reading them, then replace_all() with what was read. When
  // put() or erase() ran in between, replace_all() changes nothing (what was read may be older);
  // the next refresh sees their changes stored.
  uint64_t begin_refresh() const;
  void replace_all(std::vector<Subscription> stored, uint64_t refresh);

  // What this instance did and has not flushed, applied to a stored subscription (GET).
  void overlay(Subscription& s) const;
  // The changes to flush, taken (the next call starts from nothing); give them back with
  // restore() when the flush failed.
  std::vector<CounterDelta> take_deltas();
  void restore(const std::vector<CounterDelta>& deltas);

  // --- Changes ---
  // The ContextService listener: queues a notification for each subscription a change
  // triggers (see decide()). Never waits for the network.
  void on_changes(const std::vector<Changed>& changes);

  NotifierStats stats() const;
  // True when nothing waits and nothing is in flight.
  bool idle() const;

 private:
  struct Entry {
    Subscription sub;  // stored state with `pending` applied: what decisions use
    std::shared_ptr<const SubscriptionMatcher> matcher;
    CounterDelta pending;
    std::vector<Entity> batch;  // waiting states, one per entity (id, type)
    bool queued = false;        // its key is in ready_
    bool in_flight = false;     // a worker is posting for it
  };

  void work();
  void enqueue(int64_t key, Entry& e, const Entity& entity, int64_t now_ms);
  void drop_batch(Entry& e);
  void finish(int64_t key, const Delivery& d);

  const NotifierSettings settings_;
  const core::Clock& clock_;
  Transport transport_;

  mutable std::mutex mutex_;  // guards everything below
  std::condition_variable wake_;
  std::map<int64_t, Entry> entries_;
  std::deque<int64_t> ready_;
  size_t waiting_ = 0;  // entities in all batches
  size_t in_flight_ = 0;
  uint64_t mutations_ = 0;  // put/erase count, for refreshes
  NotifierStats stats_;
  bool stopping_ = false;

  std::vector<std::thread> workers_;
};

}  // namespace balai::city
