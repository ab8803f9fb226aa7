#pragma once
// Internal to the alert service: the rules in force, and the worker that runs the rule state
// machines (alert_rules.h) over the context's changes and raises and clears alerts in the
// database. The context service's listener only copies numbers into a bounded queue (it runs
// on the writing thread, which must not wait for alerts); one worker thread owns every state
// and does the database work (insert, audit, messages to the district's watchers).

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "app/app.h"
#include "core/time.h"
#include "modules/city/alert_rules.h"
#include "modules/city/alert_service.h"
#include "modules/city/alert_store.h"
#include "modules/city/model.h"

namespace balai::regions {
class Directory;
}

namespace balai::city {

struct Changed;

// The rules in force, shared between the listener (which readings matter), the worker and the
// administrators' API. Replaced whole; readers keep the snapshot they took. Thread-safe.
class RuleBook {
 public:
  struct Snapshot {
    std::vector<StoredRule> rules;
    uint64_t version = 0;
  };
  std::shared_ptr<const Snapshot> get() const;
  // Installs `rules` unless they equal the ones in force; true when they changed.
  bool set(std::vector<StoredRule> rules);

 private:
  mutable std::mutex mutex_;  // guards current_
  std::shared_ptr<const Snapshot> current_ = std::make_shared<Snapshot>();
};

// One numeric attribute of a committed write, as the worker evaluates it.
struct AlertReading {
  AlertEntity entity;
  std::string attr;
  double value = 0;
  core::Timestamp at;    // when it was observed
  std::string district;  // the entity's "district" attribute as written ("" none)
};

// The readings of a write that some enabled rule watches (numbers only; deletions none).
std::vector<AlertReading> readings_for_alerts(const std::vector<Changed>& changed,
                                              const std::vector<StoredRule>& rules);
// When an attribute was observed: its "dateObserved" metadata, else the entity's change time.
core::Timestamp observed_at(const Entity& entity, const std::string& attr);
// The kecamatan of a "district" attribute: a district code as is, a village code's district;
// "" for anything the region table does not know as either.
std::string district_of(std::string_view code, const regions::Directory& regions);
// A rule's state for an entity after a restart: raised, since the open alert was raised.
AlertState restored_state(const Alert& open_alert);

class AlertEvaluator {
 public:
  static constexpr size_t kQueueCapacity = 10'000;

  // Restores the states of `open_alerts` and starts the worker thread.
  AlertEvaluator(app::App& app, const AlertStore& store, const RuleBook& rules,
                 const std::vector<StoredAlert>& open_alerts);
  // Evaluates what is queued, then stops the worker.
  ~AlertEvaluator();
  AlertEvaluator(const AlertEvaluator&) = delete;
  AlertEvaluator& operator=(const AlertEvaluator&) = delete;

  // Queues the readings of a write; never blocks on the database. Readings beyond the queue's
  // capacity are dropped and counted.
  void enqueue(const std::vector<Changed>& changed);
  // Staff resolved the open alert of a rule for an entity: its state goes back to normal, so a
  // value still alarming raises again only after the rule's duration.
  void reset(const std::string& rule_id, const AlertEntity& entity);
  // Blocks until everything queued before the call has been handled.
  void drain();
  int64_t dropped() const;

 private:
  struct Task {
    std::optional<AlertReading> reading;  // else a reset
    std::string rule_id;                  // reset: the rule
    AlertEntity entity;                   // reset: the entity
  };
  // rule id -> entity key (state_key) -> state. Only the worker thread touches it.
  using States = std::map<std::string, std::map<std::string, AlertState>>;

  void push(Task task, bool bounded);
  void run();
  void handle(const Task& task);
  void follow_rule_changes();
  [[nodiscard]] core::Status raise(const AlertRule& rule, const AlertReading& reading);
  [[nodiscard]] core::Status clear(const AlertRule& rule, const AlertReading& reading);

  app::App& app_;
  const AlertStore& store_;
  const RuleBook& rules_;
  std::shared_ptr<const RuleBook::Snapshot> seen_;  // the rules the states belong to (worker)
  States states_;                                   // worker only

  mutable std::mutex mutex_;  // guards queue_, stopping_, pushed_, handled_, dropped_
  std::condition_variable wake_;
  std::condition_variable handled_changed_;
  std::deque<Task> queue_;
  bool stopping_ = false;
  uint64_t pushed_ = 0;
  uint64_t handled_ = 0;
  int64_t dropped_ = 0;
  std::thread worker_;  // last: starts after everything above exists
};

// The key of an entity in the states.
std::string state_key(const AlertEntity& entity);

}  // namespace balai::city
