#include "modules/city/alert_evaluator.h"

#include <algorithm>
#include <cmath>

#include "core/log.h"
#include "modules/city/alert_notice.h"
#include "modules/city/rules.h"
#include "modules/city/service.h"
#include "modules/notify/outbox.h"
#include "modules/regions/directory.h"
#include "security/audit.h"

namespace balai::city {
namespace {

constexpr char kKeySeparator = '\x1f';  // cannot occur in NGSI ids, types or service paths

bool watched(const std::vector<StoredRule>& rules, const std::string& type,
             const std::string& attr) {
  return std::any_of(rules.begin(), rules.end(),
                     [&](const StoredRule& r) { return r.enabled && watches(r.rule, type, attr); });
}

}  // namespace

// --- The rules in force ---

std::shared_ptr<const RuleBook::Snapshot> RuleBook::get() const {
  std::lock_guard lock(mutex_);
  return current_;
}

bool RuleBook::set(std::vector<StoredRule> rules) {
  std::lock_guard lock(mutex_);
  auto same = [](const StoredRule& a, const StoredRule& b) {
    return a.rule == b.rule && a.enabled == b.enabled;
  };
  if (std::equal(rules.begin(), rules.end(), current_->rules.begin(), current_->rules.end(), same))
    return false;
  auto next = std::make_shared<Snapshot>();
  next->rules = std::move(rules);
  next->version = current_->version + 1;
  current_ = std::move(next);
  return true;
}

// --- Pure helpers ---

std::vector<AlertReading> readings_for_alerts(const std::vector<Changed>& changed,
                                              const std::vector<StoredRule>& rules) {
  std::vector<AlertReading> out;
  for (const auto& c : changed) {
    if (c.deleted) continue;
    const Entity& e = c.entity;
    for (const auto& name : c.attrs) {
      if (!watched(rules, e.type, name)) continue;
      auto it = e.attrs.find(name);
      if (it == e.attrs.end() || !it->second.value.is_number()) continue;
      AlertReading r;
      r.entity = AlertEntity{e.scope, e.id, e.type};
      r.attr = name;
      r.value = it->second.value.to_number<double>();
      r.at = observed_at(e, name);
      if (auto d = e.attrs.find("district"); d != e.attrs.end() && d->second.value.is_string())
        r.district = std::string(d->second.value.as_string());
      out.push_back(std::move(r));
    }
  }
  return out;
}

core::Timestamp observed_at(const Entity& entity, const std::string& attr) {
  if (auto it = entity.attrs.find(attr); it != entity.attrs.end()) {
    if (auto* md = it->second.metadata.if_contains("dateObserved"); md && md->is_object())
      if (auto* v = md->as_object().if_contains("value"); v && v->is_string())
        if (auto t = core::parse_iso8601(v->as_string())) return *t;
  }
  return core::Timestamp{entity.modified_ms};
}

std::string district_of(std::string_view code, const regions::Directory& regions) {
  const regions::Region* region = regions.find(code);
  if (!region) return {};
  if (region->level == regions::Level::district) return region->code;
  if (region->level == regions::Level::village) {
    const auto lineage = regions.lineage(code);
    for (const auto* r : lineage)
      if (r->level == regions::Level::district) return r->code;
  }
  return {};
}

AlertState restored_state(const Alert& open_alert) {
  const core::Timestamp raised{open_alert.raised_ms};
  return AlertState{AlertPhase::active, raised, raised};
}

std::string state_key(const AlertEntity& entity) {
  std::string key = entity.scope.service;
  for (const std::string* part : {&entity.scope.service_path, &entity.id, &entity.type}) {
    key += kKeySeparator;
    key += *part;
  }
  return key;
}

// --- The worker ---

AlertEvaluator::AlertEvaluator(app::App& app, const AlertStore& store, const RuleBook& rules,
                               const std::vector<StoredAlert>& open_alerts)
    : app_(app), store_(store), rules_(rules), seen_(rules.get()) {
  // An open alert in the database means "raised": a restart never raises it a second time,
  // and the value clearing still resolves it. Pending streaks are not restored: after a
  // restart a condition must hold for the whole duration again (the conservative side).
  for (const auto& s : open_alerts) {
    const AlertEntity entity{s.scope, s.record.alert.entity_id, s.record.alert.entity_type};
    states_[s.record.alert.rule_id][state_key(entity)] = restored_state(s.record.alert);
  }
  worker_ = std::thread([this] { run(); });
}

AlertEvaluator::~AlertEvaluator() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void AlertEvaluator::enqueue(const std::vector<Changed>& changed) {
  const auto rules = rules_.get();
  for (auto& r : readings_for_alerts(changed, rules->rules))
    push(Task{std::move(r), {}, {}}, /*bounded=*/true);
}

void AlertEvaluator::reset(const std::string& rule_id, const AlertEntity& entity) {
  // Never dropped: a staff action is rare and its reset must not be lost.
  push(Task{std::nullopt, rule_id, entity}, /*bounded=*/false);
}

void AlertEvaluator::push(Task task, bool bounded) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    if (bounded && queue_.size() >= kQueueCapacity) {
      if (dropped_++ % 1'000 == 0)
        core::log::warn("city.alert_queue_full", {{"dropped", dropped_}});
      return;
    }
    queue_.push_back(std::move(task));
    ++pushed_;
  }
  wake_.notify_one();
}

void AlertEvaluator::drain() {
  std::unique_lock lock(mutex_);
  const uint64_t target = pushed_;
  handled_changed_.wait(lock, [&] { return handled_ >= target || !worker_.joinable(); });
}

int64_t AlertEvaluator::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

void AlertEvaluator::run() {
  for (;;) {
    Task task;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything queued was handled
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    follow_rule_changes();
    handle(task);
    {
      std::lock_guard lock(mutex_);
      ++handled_;
    }
    handled_changed_.notify_all();
  }
}

// When the rules change, a pending streak of a changed or removed rule starts again (it was
// measured against another threshold); raised states stay, their alerts are still open.
void AlertEvaluator::follow_rule_changes() {
  auto now = rules_.get();
  if (now->version == seen_->version) return;
  for (auto it = states_.begin(); it != states_.end();) {
    auto find = [&](const RuleBook::Snapshot& s) -> const StoredRule* {
      for (const auto& r : s.rules)
        if (r.rule.id == it->first) return &r;
      return nullptr;
    };
    const StoredRule* before = find(*seen_);
    const StoredRule* after = find(*now);
    if (!before || !after || !(before->rule == after->rule) || before->enabled != after->enabled) {
      std::erase_if(it->second,
                    [](const auto& kv) { return kv.second.phase != AlertPhase::active; });
    }
    it = it->second.empty() ? states_.erase(it) : std::next(it);
  }
  seen_ = std::move(now);
}

void AlertEvaluator::handle(const Task& task) {
  if (!task.reading) {
    auto rule = states_.find(task.rule_id);
    if (rule == states_.end()) return;
    auto state = rule->second.find(state_key(task.entity));
    if (state == rule->second.end() || state->second.phase != AlertPhase::active) return;
    state->second = AlertState{AlertPhase::normal, app_.clock.now(), state->second.last};
    return;
  }
  const AlertReading& r = *task.reading;
  const std::string key = state_key(r.entity);
  for (const auto& stored : seen_->rules) {
    if (!stored.enabled || !watches(stored.rule, r.entity.type, r.attr)) continue;
    AlertState& state = states_[stored.rule.id][key];
    const AlertStep step = evaluate(stored.rule, state, r.value, r.at);
    core::Status done;
    if (step.event == AlertEvent::raised) done = raise(stored.rule, r);
    if (step.event == AlertEvent::cleared) done = clear(stored.rule, r);
    // A failed write keeps the old state, so the next reading tries again.
    if (done) {
      state = step.state;
    } else {
      core::log::error("city.alert_write_failed",
                       {{"rule", stored.rule.id}, {"error", done.error().message}});
    }
  }
}

core::Status AlertEvaluator::raise(const AlertRule& rule, const AlertReading& r) {
  StoredAlert s;
  s.scope = r.entity.scope;
  Alert& a = s.record.alert;
  a.rule_id = rule.id;
  a.severity = std::string(to_string(rule.severity));
  a.entity_id = r.entity.id;
  a.entity_type = r.entity.type;
  a.attr = r.attr;
  a.value = r.value;
  a.threshold = rule.threshold;
  a.district = district_of(r.district, app_.regions);
  a.title_id = rule.name_id;
  a.title_en = rule.name_en;
  a.status = "active";
  a.raised_ms = app_.clock.now().ms;
  // Public only when the rule says so and the entity's readings are public themselves: an alert
  // on a staff-only type (panic buttons) never reaches the public list, /kota or citizens.
  const EntityTypeSpec* spec = find_entity_type(a.entity_type);
  a.public_alert = rule.public_alert && (!spec || spec->public_read);
  s.record.message_id = rule.message_id;
  s.record.message_en = rule.message_en;
  auto addresses = watcher_addresses(app_, store_, a.district);
  if (!addresses) return addresses.take_error();
  bool raised = false;
  auto status = app_.db.transact([&](db::Connection& conn) -> core::Status {
    raised = false;
    auto facts = store_.entity_facts(conn, r.entity);
    if (!facts) return facts.take_error();
    s.agency = facts->agency;
    auto key = store_.insert(conn, s, facts->key);
    if (!key) return key.take_error();
    if (!*key) return {};  // another instance raised it first
    a.key = **key;
    security::AuditEntry e;
    e.at = core::Timestamp{a.raised_ms};
    e.action = "city.alert.raise";
    e.object_type = "city_alert";
    e.object_id = std::to_string(a.key);
    BALAI_TRY(app_.security.audit.append(conn, e));
    BALAI_TRY(queue_notices(app_, conn, s, *addresses));
    raised = true;
    return {};
  });
  if (!status) return status;
  if (raised) {
    core::log::info("city.alert_raised", {{"rule", rule.id}, {"alert", a.key}});
    app_.outbox.wake();
    app_.cache.clear();
  }
  return {};
}

core::Status AlertEvaluator::clear(const AlertRule& rule, const AlertReading& r) {
  std::optional<StoredAlert> resolved;
  // The watchers of the district the entity names now; told only when the alert was raised
  // there too (read before the transaction: it decrypts their addresses).
  const std::string district = district_of(r.district, app_.regions);
  auto addresses = watcher_addresses(app_, store_, district);
  if (!addresses) return addresses.take_error();
  auto status = app_.db.transact([&](db::Connection& conn) -> core::Status {
    resolved.reset();
    auto open = store_.open_for_update(conn, rule.id, r.entity);
    if (!open) return open.take_error();
    if (!*open) return {};  // staff resolved it already
    StoredAlert s = std::move(**open);
    const core::Timestamp now = app_.clock.now();
    BALAI_TRY(store_.set_status(conn, s.record.alert.key, "resolved", now, 0, s.record.note));
    s.record.alert.status = "resolved";
    s.record.alert.resolved_ms = now.ms;
    security::AuditEntry e;
    e.at = now;
    e.action = "city.alert.resolve";
    e.object_type = "city_alert";
    e.object_id = std::to_string(s.record.alert.key);
    BALAI_TRY(app_.security.audit.append(conn, e));
    if (s.record.alert.district == district) BALAI_TRY(queue_notices(app_, conn, s, *addresses));
    resolved = std::move(s);
    return {};
  });
  if (!status) return status;
  if (resolved) {
    core::log::info("city.alert_cleared",
                    {{"rule", rule.id}, {"alert", resolved->record.alert.key}});
    app_.outbox.wake();
    app_.cache.clear();
  }
  return {};
}

}  // namespace balai::city
