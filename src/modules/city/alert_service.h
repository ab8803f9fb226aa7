#pragma once
// The city's alerts (issue 6): alert rules (alert_rules.h) evaluated on every change of a
// numeric attribute; an alert raised when a rule's condition has held for its duration,
// acknowledged and resolved by staff, or resolved by itself when the value clears; citizens who
// watch a district (kecamatan) are told when an alert is raised there.
//
// Evaluation runs off the writing thread: the context service's listener only copies the
// changed numbers into a bounded queue; one worker thread runs the state machines and does the
// database work (insert, audit, outbox), so ingestion is never slowed by alerts. When the queue
// is full, readings are dropped and counted (an alert is then raised by the next reading).
//
// Thread-safe; every method except the constructor's wiring blocks on the database: worker
// threads only.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "app/app.h"
#include "core/result.h"
#include "core/time.h"
#include "modules/city/alert_rules.h"
#include "security/actor.h"

namespace balai::city {

class ContextService;
struct Changed;

// One raised alert, as the APIs and the dashboard show it.
struct Alert {
  int64_t key = 0;  // random (not a sequence: nobody can count or guess the staff-only ones)
  std::string rule_id;
  std::string severity;  // "info"|"warning"|"danger"
  std::string entity_id;
  std::string entity_type;
  std::string attr;
  double value = 0;      // the value that raised it
  double threshold = 0;  // the rule's threshold when it was raised
  std::string district;  // Kemendagri code of the kecamatan ("35.77.01") or ""
  std::string title_id;  // the rule's name when it was raised, Indonesian
  std::string title_en;
  std::string status;  // "active"|"acknowledged"|"resolved"
  int64_t raised_ms = 0;
  int64_t acknowledged_ms = 0;  // 0: not acknowledged
  int64_t resolved_ms = 0;      // 0: not resolved
  bool public_alert = true;
};

// An alert with what only staff see: who acknowledged and resolved it, and their notes.
struct AlertRecord {
  Alert alert;
  std::string message_id;  // what to do (the rule's message when raised)
  std::string message_en;
  std::string acknowledged_by;  // external id of the staff account; "" none
  std::string resolved_by;      // "" when it resolved by itself (the value cleared)
  std::string note;             // the staff's latest note
};

// Which alerts a staff list shows.
enum class AlertStatusFilter { open, resolved, all };  // open: active or acknowledged

// A rule as administrators manage it.
struct StoredRule {
  AlertRule rule;
  bool enabled = true;
  int64_t updated_ms = 0;
};

// The policy's actions of alerts (granted in install_alerts).
inline constexpr std::string_view kAlertsManage = "city.alerts.manage";  // list all, ack, resolve
inline constexpr std::string_view kAlertRulesManage = "city.alert_rules.manage";
inline constexpr std::string_view kAlertWatch = "city.alerts.watch";  // a citizen's districts

class AlertService : public app::ModuleState {
 public:
  // Loads the rules and the open alerts (an open alert means its rule is "raised" for that
  // entity, so a restart never raises it twice), listens to `context` and starts the worker.
  // Start-up only; throws on a database failure (the program cannot start without it).
  AlertService(app::App& app, ContextService& context);
  // Stops the worker after the queue drains.
  ~AlertService() override;
  AlertService(const AlertService&) = delete;
  AlertService& operator=(const AlertService&) = delete;

  // --- Reads ---
  // Alerts raised or acknowledged, newest first; public ones only when `public_only`.
  [[nodiscard]] core::Result<std::vector<Alert>> active(bool public_only) const;
  // Staff: alerts by status, newest first, at most `limit`. forbidden without kAlertsManage.
  [[nodiscard]] core::Result<std::vector<AlertRecord>> list(const security::Actor* actor,
                                                            AlertStatusFilter filter,
                                                            size_t limit) const;

  // --- Staff ---
  // Acknowledges an active alert. not_found for an unknown key, conflict when it is already
  // acknowledged or resolved, forbidden without kAlertsManage. Audited.
  [[nodiscard]] core::Result<AlertRecord> acknowledge(const security::Actor* actor, int64_t key,
                                                      std::string_view note);
  // Resolves an active or acknowledged alert; conflict when already resolved. Audited; the
  // district's watchers are told it ended. The rule's state for the entity goes back to
  // normal: a value still alarming raises a new alert only after the rule's duration again.
  [[nodiscard]] core::Result<AlertRecord> resolve(const security::Actor* actor, int64_t key,
                                                  std::string_view note);

  // --- Rules (administrators) ---
  [[nodiscard]] core::Result<std::vector<StoredRule>> rules(const security::Actor* actor) const;
  // Replaces the whole rule set (validated with check_alert_rule; ids unique). A changed rule
  // keeps its entities' open alerts; a removed or disabled rule stops evaluating, and its open
  // alerts stay until staff resolve them. Audited.
  [[nodiscard]] core::Status replace_rules(const security::Actor* actor,
                                           const std::vector<StoredRule>& rules);

  // --- Citizens' districts ---
  // The districts (kecamatan codes) the signed-in citizen watches, sorted.
  [[nodiscard]] core::Result<std::vector<std::string>> watched_districts(
      const security::Actor* actor) const;
  // validation_failed for a code that is not a kecamatan, conflict when already watched.
  [[nodiscard]] core::Status watch(const security::Actor* actor, std::string_view district);
  // not_found when not watched.
  [[nodiscard]] core::Status unwatch(const security::Actor* actor, std::string_view district);

  // Re-reads the rules from the database (another instance's administrator may have changed
  // them); the housekeeping job calls it every minute.
  [[nodiscard]] core::Status reload_rules();

  // --- Evaluation (the listener's side) ---
  // Queues the numeric attributes of a write for the worker; never blocks on the database.
  void enqueue(const std::vector<Changed>& changed);
  // Blocks until every reading queued before the call has been evaluated (tests, shutdown).
  void drain();
  // Readings dropped because the queue was full (for /metrics and tests).
  int64_t dropped() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The installed alert service (city::install must have run; install_alerts installs it before
// the dashboard).
AlertService& alert_service_of(app::App& app);

}  // namespace balai::city
