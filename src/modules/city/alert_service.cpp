#include "modules/city/alert_service.h"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "core/text.h"
#include "modules/city/alert_evaluator.h"
#include "modules/city/alert_notice.h"
#include "modules/city/alert_store.h"
#include "modules/city/service.h"
#include "modules/notify/outbox.h"
#include "modules/regions/directory.h"
#include "security/accounts.h"
#include "security/audit.h"
#include "security/policy.h"

namespace balai::city {
namespace {

constexpr size_t kNoteMax = 1'000;           // characters
constexpr size_t kMaxRules = 100;            // a city's rule set, not a data store
constexpr size_t kMaxWatchedDistricts = 50;  // a regency has a few dozen kecamatan at most
constexpr size_t kListMax = 500;

core::Error no_such_alert() {
  return core::make_error(core::ErrorCode::not_found, "No such alert.");
}

core::Error sign_in_first() {
  return core::make_error(core::ErrorCode::unauthenticated, "Sign in first.");
}

std::vector<Alert> alerts_of(std::vector<StoredAlert> stored) {
  std::vector<Alert> out;
  out.reserve(stored.size());
  for (auto& s : stored) out.push_back(std::move(s.record.alert));
  return out;
}

}  // namespace

struct AlertService::Impl {
  Impl(app::App& a, ContextService& c) : app(a), context(c), store(a.db) {}

  app::App& app;
  ContextService& context;
  AlertStore store;
  RuleBook rules;
  std::unique_ptr<AlertEvaluator> evaluator;  // last: its worker uses the members above

  // Whether the actor's role holds `action` for every agency (administrators), rather than
  // for its own agency only. Read from the grants: no authorize() call, which would report a
  // refusal to the intrusion detection for a plain listing.
  bool every_agency(const security::Actor& actor, std::string_view action) const {
    for (const auto& g : app.security.policy.grants(action))
      if (g.role == actor.role && g.scope == security::Scope::any) return true;
    return false;
  }

  // The account behind a staff or citizen actor (0 for an API token without one).
  core::Result<int64_t> account_key(const security::Actor& actor) const {
    if (actor.account_key != 0) return actor.account_key;
    auto account = app.security.accounts.find(actor.id);
    if (!account) return account.take_error();
    if (!*account || !(*account)->active) return int64_t{0};
    return (*account)->key;
  }

  core::Status audit(db::Connection& conn, const security::Actor& actor, std::string_view action,
                     std::string_view object_type, std::string_view object_id,
                     core::Timestamp now) const {
    security::AuditEntry e;
    e.at = now;
    e.actor = actor.id;
    e.actor_role = std::string(security::to_string(actor.role));
    e.action = std::string(action);
    e.object_type = std::string(object_type);
    e.object_id = std::string(object_id);
    return app.security.audit.append(conn, e);
  }

  // Acknowledges or resolves an alert for staff; the alert as it is now.
  core::Result<StoredAlert> transition(const security::Actor* actor, int64_t key,
                                       std::string_view next, std::string_view note);

  core::Status check_district(std::string_view code) const {
    const std::string prefix = app.config.city.region_code + ".";
    const regions::Region* region = app.regions.find(code);
    if (region && region->level == regions::Level::district && code.starts_with(prefix)) return {};
    return core::Error{core::ErrorCode::validation_failed,
                       "Not a district (kecamatan) of the city.",
                       {{"district", "a kecamatan code of the city, e.g. " + prefix + "01"}}};
  }

  core::Result<int64_t> citizen(const security::Actor* actor) const {
    if (!actor) return sign_in_first();
    BALAI_TRY(app.security.policy.authorize(actor, kAlertWatch, {actor->id, ""}));
    auto key = account_key(*actor);
    if (!key) return key.take_error();
    if (*key == 0) return sign_in_first();
    return *key;
  }
};

core::Result<StoredAlert> AlertService::Impl::transition(const security::Actor* actor, int64_t key,
                                                         std::string_view next,
                                                         std::string_view note) {
  if (!actor) return sign_in_first();
  BALAI_TRY(app.security.policy.authorize(actor, kAlertsManage, {"", actor->agency}));
  const std::string_view trimmed = core::trim(note);
  if (core::utf8_length(trimmed) > kNoteMax)
    return core::Error{core::ErrorCode::validation_failed,
                       "The note is too long.",
                       {{"note", "at most 1000 characters"}}};
  auto by = account_key(*actor);
  if (!by) return by.take_error();
  // A resolution tells the district's watchers the alert ended: their addresses are read (and
  // decrypted) before the transaction, for the district the alert has now.
  std::string district;
  std::vector<std::string> addresses;
  if (next == "resolved") {
    auto current = store.find(key);
    if (!current) return current.take_error();
    if (*current) district = (*current)->record.alert.district;
    auto found = watcher_addresses(app, store, district);
    if (!found) return found.take_error();
    addresses = std::move(*found);
  }
  std::optional<StoredAlert> done;
  auto status = app.db.transact([&](db::Connection& conn) -> core::Status {
    done.reset();
    auto found = store.find_for_update(conn, key);
    if (!found) return found.take_error();
    if (!*found) return no_such_alert();
    StoredAlert s = std::move(**found);
    BALAI_TRY(app.security.policy.authorize(actor, kAlertsManage, {"", s.agency}));
    Alert& a = s.record.alert;
    if (a.status == "resolved")
      return core::make_error(core::ErrorCode::conflict, "The alert is already resolved.");
    if (a.status == next)
      return core::make_error(core::ErrorCode::conflict, "The alert is already acknowledged.");
    const core::Timestamp now = app.clock.now();
    if (!trimmed.empty()) s.record.note = std::string(trimmed);
    BALAI_TRY(store.set_status(conn, a.key, next, now, *by, s.record.note));
    a.status = std::string(next);
    if (next == "resolved") {
      a.resolved_ms = now.ms;
      s.record.resolved_by = *by ? actor->id : "";
    } else {
      a.acknowledged_ms = now.ms;
      s.record.acknowledged_by = *by ? actor->id : "";
    }
    BALAI_TRY(audit(conn, *actor,
                    next == "resolved" ? "city.alert.resolve" : "city.alert.acknowledge",
                    "city_alert", std::to_string(a.key), now));
    if (a.district == district) BALAI_TRY(queue_notices(app, conn, s, addresses));
    done = std::move(s);
    return {};
  });
  if (!status) return status.take_error();
  if (!addresses.empty()) app.outbox.wake();
  app.cache.clear();
  return std::move(*done);
}

AlertService::AlertService(app::App& app, ContextService& context)
    : impl_(std::make_unique<Impl>(app, context)) {
  auto rules = impl_->store.rules();
  if (!rules)
    throw std::runtime_error("city alerts: cannot read the rules: " + rules.error().message);
  impl_->rules.set(std::move(*rules));
  auto open = impl_->store.open(false);
  if (!open)
    throw std::runtime_error("city alerts: cannot read open alerts: " + open.error().message);
  impl_->evaluator = std::make_unique<AlertEvaluator>(app, impl_->store, impl_->rules, *open);
  Impl* impl = impl_.get();
  context.listen(
      [impl](const std::vector<Changed>& changed) { impl->evaluator->enqueue(changed); });
}

AlertService::~AlertService() = default;

core::Result<std::vector<Alert>> AlertService::active(bool public_only) const {
  auto open = impl_->store.open(public_only);
  if (!open) return open.take_error();
  return alerts_of(std::move(*open));
}

core::Result<std::vector<AlertRecord>> AlertService::list(const security::Actor* actor,
                                                          AlertStatusFilter filter,
                                                          size_t limit) const {
  if (!actor) return sign_in_first();
  BALAI_TRY(impl_->app.security.policy.authorize(actor, kAlertsManage, {"", actor->agency}));
  std::optional<std::string> agency;
  if (!impl_->every_agency(*actor, kAlertsManage)) agency = actor->agency;
  auto found = impl_->store.list(filter, agency, std::clamp<size_t>(limit, 1, kListMax));
  if (!found) return found.take_error();
  std::vector<AlertRecord> out;
  out.reserve(found->size());
  for (auto& s : *found) out.push_back(std::move(s.record));
  return out;
}

core::Result<AlertRecord> AlertService::acknowledge(const security::Actor* actor, int64_t key,
                                                    std::string_view note) {
  auto done = impl_->transition(actor, key, "acknowledged", note);
  if (!done) return done.take_error();
  return std::move(done->record);
}

core::Result<AlertRecord> AlertService::resolve(const security::Actor* actor, int64_t key,
                                                std::string_view note) {
  auto done = impl_->transition(actor, key, "resolved", note);
  if (!done) return done.take_error();
  // The rule's state for the entity goes back to normal (the evaluator's worker owns it).
  const Alert& a = done->record.alert;
  impl_->evaluator->reset(a.rule_id, AlertEntity{done->scope, a.entity_id, a.entity_type});
  return std::move(done->record);
}

core::Result<std::vector<StoredRule>> AlertService::rules(const security::Actor* actor) const {
  if (!actor) return sign_in_first();
  BALAI_TRY(impl_->app.security.policy.authorize(actor, kAlertRulesManage));
  return impl_->store.rules();
}

core::Status AlertService::replace_rules(const security::Actor* actor,
                                         const std::vector<StoredRule>& rules) {
  if (!actor) return sign_in_first();
  BALAI_TRY(impl_->app.security.policy.authorize(actor, kAlertRulesManage));
  core::Error problems{core::ErrorCode::validation_failed, "The alert rules have problems.", {}};
  if (rules.size() > kMaxRules) problems.fields["rules"] = "at most 100 rules";
  std::set<std::string> ids;
  for (size_t i = 0; i < rules.size(); ++i) {
    const std::string prefix = "rules[" + std::to_string(i) + "].";
    auto checked = check_alert_rule(rules[i].rule);
    if (!checked)
      for (const auto& [field, message] : checked.error().fields)
        problems.fields[prefix + field] = message;
    if (!ids.insert(rules[i].rule.id).second) problems.fields[prefix + "id"] = "used twice";
  }
  if (!problems.fields.empty()) return problems;
  auto status = impl_->app.db.transact([&](db::Connection& conn) -> core::Status {
    const core::Timestamp now = impl_->app.clock.now();
    BALAI_TRY(impl_->store.replace_rules(conn, rules, now));
    return impl_->audit(conn, *actor, "city.alert_rules.replace", "city_alert_rules", "", now);
  });
  if (!status) return status;
  return reload_rules();
}

core::Status AlertService::reload_rules() {
  auto rules = impl_->store.rules();
  if (!rules) return rules.take_error();
  impl_->rules.set(std::move(*rules));
  return {};
}

core::Result<std::vector<std::string>> AlertService::watched_districts(
    const security::Actor* actor) const {
  auto key = impl_->citizen(actor);
  if (!key) return key.take_error();
  return impl_->store.districts_of(*key);
}

core::Status AlertService::watch(const security::Actor* actor, std::string_view district) {
  auto key = impl_->citizen(actor);
  if (!key) return key.take_error();
  BALAI_TRY(impl_->check_district(district));
  auto current = impl_->store.districts_of(*key);
  if (!current) return current.take_error();
  if (std::find(current->begin(), current->end(), district) != current->end())
    return core::make_error(core::ErrorCode::conflict, "You already follow this district.");
  if (current->size() >= kMaxWatchedDistricts)
    return core::Error{core::ErrorCode::validation_failed,
                       "You follow too many districts.",
                       {{"district", "at most 50 districts"}}};
  auto added = impl_->store.add_watch(*key, district, impl_->app.clock.now());
  if (!added) return added.take_error();
  if (!*added)
    return core::make_error(core::ErrorCode::conflict, "You already follow this district.");
  return {};
}

core::Status AlertService::unwatch(const security::Actor* actor, std::string_view district) {
  auto key = impl_->citizen(actor);
  if (!key) return key.take_error();
  BALAI_TRY(impl_->check_district(district));
  auto removed = impl_->store.remove_watch(*key, district);
  if (!removed) return removed.take_error();
  if (!*removed)
    return core::make_error(core::ErrorCode::not_found, "You do not follow this district.");
  return {};
}

void AlertService::enqueue(const std::vector<Changed>& changed) {
  impl_->evaluator->enqueue(changed);
}

void AlertService::drain() {
  impl_->evaluator->drain();
}

int64_t AlertService::dropped() const {
  return impl_->evaluator->dropped();
}

AlertService& alert_service_of(app::App& app) {
  for (auto& state : app.states)
    if (auto* s = dynamic_cast<AlertService*>(state.get())) return *s;
  throw std::logic_error("city::install has not run");
}

}  // namespace balai::city
