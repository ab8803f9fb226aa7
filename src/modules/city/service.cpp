#include "modules/city/service.h"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "core/ids.h"
#include "core/log.h"
#include "modules/city/broker_files.h"
#include "modules/city/history_store.h"
#include "modules/city/mqtt_client.h"
#include "modules/city/ngsi_geo.h"
#include "modules/city/ngsi_json.h"
#include "security/api_tokens.h"
#include "security/policy.h"

namespace balai::city {
namespace {

constexpr std::string_view kDefaultType = "Thing";  // NGSI-v2's type for an entity without one

core::Error not_found() {
  return core::make_error(core::ErrorCode::not_found,
                          "The requested entity has not been found. Check type and id");
}

std::optional<core::GeoPoint> point_of(const Entity& e) {
  auto shape = location_of(e);
  if (!shape || shape->points.empty()) return std::nullopt;
  return shape->points.front();
}

// The unit a writer stated for an attribute: its "unitCode" metadata.
std::string unit_of(const Attribute& a) {
  if (auto* md = a.metadata.if_contains("unitCode"); md && md->is_object())
    if (auto* v = md->as_object().if_contains("value"); v && v->is_string())
      return std::string(v->as_string());
  return {};
}

// When an attribute's value was observed (its "dateObserved" metadata); 0 when it has none.
int64_t observed_ms_of(const Attribute& a) {
  if (auto* md = a.metadata.if_contains("dateObserved"); md && md->is_object())
    if (auto* v = md->as_object().if_contains("value"); v && v->is_string())
      if (auto t = core::parse_iso8601(v->as_string())) return t->ms;
  return 0;
}

// A reading as the attribute the entity keeps: typed, with its unit and observation time.
Attribute attribute_of(const Reading& r, const AttributeSpec* spec) {
  Attribute a;
  a.value = r.value;
  a.type = ngsi::default_type(r.value);
  const std::string unit = spec ? spec->unit : r.unit;
  if (!unit.empty())
    a.metadata["unitCode"] = boost::json::object{{"type", "Text"}, {"value", unit}};
  a.metadata["dateObserved"] = boost::json::object{
      {"type", "DateTime"}, {"value", core::format_iso8601_utc(core::Timestamp{r.observed_ms})}};
  return a;
}

// An existing attribute after an update (NGSI-v2, as Orion does it): the new value; the new
// type, or the old one when the writer gave none; the old metadata with the new ones added or
// replaced by name, so that a PATCH of the value alone keeps unitCode and the like.
Attribute updated(const Attribute& old, const Attribute& next) {
  Attribute a = next;
  if (a.type.empty()) a.type = old.type;
  a.metadata = old.metadata;
  for (const auto& [name, md] : next.metadata) a.metadata[name] = md;
  return a;
}

core::Status check_names(const std::vector<EntityChange>& changes) {
  for (const auto& c : changes)
    if (!ngsi::is_valid_name(c.id) || (!c.type.empty() && !ngsi::is_valid_name(c.type)))
      return core::make_error(core::ErrorCode::bad_request,
                              "Invalid characters in entity id or type");
  return {};
}

// The history rows a write of `changes` appends.
int64_t history_rows(const std::vector<EntityChange>& changes, UpdateMode mode) {
  int64_t rows = 0;
  if (mode != UpdateMode::remove)
    for (const auto& c : changes) rows += static_cast<int64_t>(c.attrs.size());
  return rows;
}

}  // namespace

ContextService::ContextService(app::App& app)
    : app_(app), store_(app.db), roll_up_thread_([this] { roll_up_loop(); }) {}

ContextService::~ContextService() {
  {
    std::lock_guard lock(roll_up_mutex_);
    stopping_ = true;
  }
  roll_up_wake_.notify_all();
  roll_up_thread_.join();
}

bool sees_private_types(const security::Actor* actor) {
  return actor && (actor->role == security::Role::device ||
                   actor->role == security::Role::integrator || security::is_staff(actor->role));
}

ContextService& service_of(app::App& app) {
  for (auto& state : app.states)
    if (auto* s = dynamic_cast<ContextService*>(state.get())) return *s;
  throw std::logic_error("city::install has not run");
}

core::Result<std::optional<Entity>> ContextService::find(std::string_view service,
                                                         const PathFilter& paths,
                                                         std::string_view id,
                                                         std::string_view type) const {
  auto found = store_.find(service, paths, id, type);
  if (!found) return found.take_error();
  if (!*found) return std::optional<Entity>{};
  return std::optional<Entity>(std::move((*found)->entity));
}

core::Result<std::vector<StoredEntity>> ContextService::candidates(
    std::string_view service, const PathFilter& paths, const std::vector<std::string>& types,
    const std::vector<std::string>& ids) const {
  return store_.candidates(service, paths, types, ids);
}

core::Result<std::vector<TypeSummary>> ContextService::types(std::string_view service,
                                                             const PathFilter& paths) const {
  return store_.types(service, paths);
}

core::Result<std::optional<ContextService::DeviceGrant>> ContextService::device_grant(
    const security::Actor& actor) const {
  {
    std::lock_guard lock(devices_mutex_);
    if (auto it = devices_.find(actor.id); it != devices_.end())
      return std::optional<DeviceGrant>(it->second);
  }
  auto rows = app_.db.query(
      "SELECT d.entity_key, e.entity_id, e.entity_type FROM city_devices d JOIN city_entities e "
      "ON e.id = d.entity_key WHERE d.token_id = ? AND d.revoked_ms IS NULL",
      {actor.id});
  if (!rows) return rows.take_error();
  if (rows->empty()) return std::optional<DeviceGrant>{};
  DeviceGrant g{(*rows)[0].int64(0), (*rows)[0].text(1), (*rows)[0].text(2)};
  std::lock_guard lock(devices_mutex_);
  devices_[actor.id] = g;
  return std::optional<DeviceGrant>(g);
}

core::Result<std::optional<ContextService::DeviceGrant>> ContextService::device_grant_by_name(
    std::string_view device_id) const {
  const int64_t now_ms = app_.clock.now().ms;
  {
    std::lock_guard lock(devices_mutex_);
    if (auto it = devices_by_name_.find(device_id);
        it != devices_by_name_.end() && now_ms - it->second.cached_ms < kDeviceCacheMs) {
      if (it->second.entity_key == 0) return std::optional<DeviceGrant>{};  // known unknown
      return std::optional<DeviceGrant>(it->second);
    }
  }
  auto rows = app_.db.query(
      "SELECT d.entity_key, e.entity_id, e.entity_type FROM city_devices d JOIN city_entities e "
      "ON e.id = d.entity_key WHERE d.external_id = ? AND d.revoked_ms IS NULL",
      {device_id});
  if (!rows) return rows.take_error();
  // Unknown names are cached too (as key 0), so a stranger publishing fast costs one query a
  // minute, not one per message. The map is bounded by the broker: only users in its password
  // file can publish at all.
  DeviceGrant g;
  g.cached_ms = now_ms;
  if (!rows->empty()) g = {(*rows)[0].int64(0), (*rows)[0].text(1), (*rows)[0].text(2), now_ms};
  std::lock_guard lock(devices_mutex_);
  devices_by_name_[std::string(device_id)] = g;
  if (g.entity_key == 0) return std::optional<DeviceGrant>{};
  return std::optional<DeviceGrant>(g);
}

core::Result<std::optional<std::string>> ContextService::device_entity(
    std::string_view device_id) const {
  auto grant = device_grant_by_name(device_id);
  if (!grant) return grant.take_error();
  if (!*grant) return std::optional<std::string>{};
  return std::optional<std::string>((*grant)->entity_id);
}

core::Status ContextService::authorize_write(const security::Actor& actor,
                                             const StoredEntity* target) const {
  if (actor.role != security::Role::device)
    return app_.security.policy.authorize(&actor, kContextWrite);
  // A device owns exactly the entity it was registered for.
  auto grant = device_grant(actor);
  if (!grant) return grant.take_error();
  const bool own = *grant && target && (*grant)->entity_key == target->key;
  return app_.security.policy.authorize(&actor, kContextWrite,
                                        {own ? std::string_view(actor.id) : std::string_view{}});
}

core::Status ContextService::check_attributes(const std::string& type,
                                              const std::map<std::string, Attribute>& attrs,
                                              int64_t observed_ms) const {
  const EntityTypeSpec* spec = find_entity_type(type);
  const core::Timestamp now = app_.clock.now();
  for (const auto& [name, a] : attrs) {
    if (!ngsi::is_valid_name(name))
      return core::Error{core::ErrorCode::validation_failed,
                         "Invalid characters in attribute name",
                         {{name, "invalid name"}}};
    BALAI_TRY(check_geo_attribute(a));
    if (!spec || !find_attribute(*spec, name)) continue;  // not a measured attribute: plain NGSI
    Reading r{"", name, a.value, unit_of(a), observed_ms ? observed_ms : now.ms};
    if (auto rejection = check_reading(*spec, r, now)) return to_error(*rejection, name);
  }
  return {};
}

core::Result<bool> ContextService::create(const security::Actor& actor, const Scope& scope,
                                          const EntityChange& change, bool upsert) {
  if (!ngsi::is_valid_name(change.id))
    return core::make_error(core::ErrorCode::bad_request, "Invalid characters in entity id");
  const std::string type = change.type.empty() ? std::string(kDefaultType) : change.type;
  if (!ngsi::is_valid_name(type))
    return core::make_error(core::ErrorCode::bad_request, "Invalid characters in entity type");
  bool created = false;
  std::vector<Changed> changed;
  auto status = app_.db.transact([&](db::Connection& conn) -> core::Status {
    changed.clear();
    auto existing = store_.find_for_update(conn, scope, change.id, type);
    if (!existing) return existing.take_error();
    if (*existing && !upsert)
      return core::make_error(core::ErrorCode::conflict, std::string(kAlreadyExists));
    BALAI_TRY(authorize_write(actor, existing->has_value() ? &**existing : nullptr));
    BALAI_TRY(check_attributes(type, change.attrs, change.observed_ms));
    const int64_t now = app_.clock.now().ms;
    Entity e;
    if (*existing) {
      e = (*existing)->entity;
    } else {
      e.id = change.id;
      e.type = type;
      e.scope = scope;
      e.created_ms = now;
    }
    e.modified_ms = now;
    std::vector<std::string> names;
    for (const auto& [name, a] : change.attrs) {
      e.attrs[name] = a;
      names.push_back(name);
    }
    BALAI_TRY(check_entity_location(e));
    int64_t key = 0;
    if (*existing) {
      key = (*existing)->key;
      BALAI_TRY(store_.update(conn, key, e, point_of(e)));
    } else {
      auto inserted = store_.insert(conn, e, point_of(e));
      if (!inserted) return inserted.take_error();
      key = *inserted;
    }
    const int64_t at = change.observed_ms ? change.observed_ms : now;
    HistoryBatch history;
    for (const auto& [name, a] : change.attrs) history.add(key, name, at, a.value);
    BALAI_TRY(store_.append_history(conn, history));
    created = !*existing;
    changed.push_back({std::move(e), std::move(names), created, false});
    return {};
  });
  if (!status) return status.take_error();
  committed(changed, static_cast<int64_t>(change.attrs.size()));
  return created;
}

core::Status ContextService::apply(const security::Actor& actor, const Scope& scope,
                                   const std::vector<EntityChange>& changes, UpdateMode mode) {
  BALAI_TRY(check_names(changes));
  std::vector<Changed> changed;
  auto status = app_.db.transact([&](db::Connection& conn) -> core::Status {
    changed.clear();
    return apply_in(conn, actor, scope, changes, mode, changed);
  });
  if (!status) return status;
  committed(changed, history_rows(changes, mode));
  return status;
}

void ContextService::apply_async(const security::Actor& actor, const Scope& scope,
                                 std::vector<EntityChange> changes, UpdateMode mode,
                                 std::function<void(core::Status)> done) {
  if (auto bad = check_names(changes); !bad) return done(std::move(bad));
  struct Write {
    security::Actor actor;
    Scope scope;
    std::vector<EntityChange> changes;
    UpdateMode mode;
    std::vector<Changed> changed;
  };
  auto w = std::make_shared<Write>(Write{actor, scope, std::move(changes), mode, {}});
  app_.db.transact_async(
      [this, w](db::Connection& conn) -> core::Status {
        w->changed.clear();
        return apply_in(conn, w->actor, w->scope, w->changes, w->mode, w->changed);
      },
      [this, w, done = std::move(done)](core::Status status) {
        if (status) committed(w->changed, history_rows(w->changes, w->mode));
        done(std::move(status));
      });
}

core::Status ContextService::apply_in(db::Connection& conn, const security::Actor& actor,
                                      const Scope& scope, const std::vector<EntityChange>& changes,
                                      UpdateMode mode, std::vector<Changed>& changed) {
  HistoryBatch history;
  const int64_t now = app_.clock.now().ms;
  for (const auto& c : changes) {
    std::optional<StoredEntity> existing;
    if (c.type.empty()) {
      // An update may name the entity by id alone when the id has one type.
      auto found = store_.find(scope.service, PathFilter{{scope.service_path}, {}}, c.id);
      if (!found) return found.take_error();
      if (*found) {
        auto locked = store_.find_for_update(conn, scope, c.id, (*found)->entity.type);
        if (!locked) return locked.take_error();
        existing = std::move(*locked);
      }
    } else {
      auto locked = store_.find_for_update(conn, scope, c.id, c.type);
      if (!locked) return locked.take_error();
      existing = std::move(*locked);
    }
    if (!existing && mode != UpdateMode::append) return not_found();
    BALAI_TRY(authorize_write(actor, existing ? &*existing : nullptr));

    Entity e;
    if (existing) {
      e = existing->entity;
    } else {
      e.id = c.id;
      e.type = c.type.empty() ? std::string(kDefaultType) : c.type;
      e.scope = scope;
      e.created_ms = now;
    }
    std::vector<std::string> names;
    switch (mode) {
      case UpdateMode::append:
        for (const auto& [name, a] : c.attrs) {
          auto it = e.attrs.find(name);
          e.attrs[name] = it == e.attrs.end() ? a : updated(it->second, a);
        }
        break;
      case UpdateMode::append_strict:
        for (const auto& [name, a] : c.attrs) {
          if (e.attrs.contains(name))
            return core::make_error(
                core::ErrorCode::validation_failed,
                "one or more of the attributes in the request already exist: [ " + name + " ]");
          e.attrs[name] = a;
        }
        break;
      case UpdateMode::update:
        for (const auto& [name, a] : c.attrs) {
          auto it = e.attrs.find(name);
          if (it == e.attrs.end())
            return core::make_error(core::ErrorCode::validation_failed,
                                    "do not exist: " + c.id + " - [ " + name + " ]");
          it->second = updated(it->second, a);
        }
        break;
      case UpdateMode::replace:
        e.attrs = c.attrs;
        break;
      case UpdateMode::remove:
        if (c.attrs.empty()) {
          BALAI_TRY(store_.remove(conn, existing->key));
          changed.push_back({e, {}, false, true});
          continue;
        }
        for (const auto& [name, a] : c.attrs) {
          if (!e.attrs.erase(name))
            return core::make_error(core::ErrorCode::validation_failed,
                                    "do not exist: " + c.id + " - [ " + name + " ]");
        }
        break;
    }
    for (auto& [name, a] : e.attrs)
      if (a.type.empty()) a.type = ngsi::default_type(a.value);
    for (const auto& [name, a] : c.attrs) names.push_back(name);
    if (mode != UpdateMode::remove) BALAI_TRY(check_attributes(e.type, c.attrs, c.observed_ms));
    BALAI_TRY(check_entity_location(e));
    e.modified_ms = now;
    int64_t key = 0;
    if (existing) {
      key = existing->key;
      BALAI_TRY(store_.update(conn, key, e, point_of(e)));
    } else {
      auto inserted = store_.insert(conn, e, point_of(e));
      if (!inserted) return inserted.take_error();
      key = *inserted;
    }
    if (mode != UpdateMode::remove) {
      const int64_t at = c.observed_ms ? c.observed_ms : now;
      for (const auto& [name, a] : c.attrs) history.add(key, name, at, e.attrs[name].value);
    }
    changed.push_back({std::move(e), std::move(names), !existing, false});
  }
  return store_.append_history(conn, history);
}

core::Status ContextService::remove(const security::Actor& actor, const Scope& scope,
                                    std::string_view id, std::string_view type) {
  EntityChange c;
  c.id = std::string(id);
  c.type = std::string(type);
  return apply(actor, scope, {c}, UpdateMode::remove);
}

core::Result<IngestReport> ContextService::ingest(const security::Actor& actor,
                                                  const std::vector<Reading>& readings) {
  std::optional<DeviceGrant> grant;
  if (actor.role == security::Role::device) {
    auto g = device_grant(actor);
    if (!g) return g.take_error();
    if (!*g) return core::make_error(core::ErrorCode::forbidden, "This device is not registered.");
    grant = **g;
  } else {
    BALAI_TRY(app_.security.policy.authorize(&actor, kContextWrite));
  }
  const core::Timestamp now = app_.clock.now();
  IngestReport report;
  std::vector<Changed> changed;
  auto status = app_.db.transact([&](db::Connection& conn) -> core::Status {
    changed.clear();
    report = {};
    HistoryBatch history;
    BALAI_TRY(ingest_group(conn, grant, readings, now, report, changed, history));
    return store_.append_history(conn, history);
  });
  if (!status) return status.take_error();
  count("accepted", report.accepted);
  for (const auto& r : report.refused) count(r.reason);
  committed(changed, report.accepted);
  return report;
}

core::Result<std::vector<IngestReport>> ContextService::ingest_devices(
    std::vector<DeviceReadings> batches) {
  // The messages of one device are applied together: its entity is read, merged and written
  // once per transaction, not once per message (a device publishing every second has many
  // messages in a batch). `origin` maps each merged reading back to its message and position.
  struct DeviceGroup {
    std::optional<DeviceGrant> grant;
    std::vector<Reading> readings;
    std::vector<std::pair<size_t, size_t>> origin;  // (message, reading)
  };
  std::vector<DeviceGroup> groups;
  std::map<std::string_view, size_t> group_of;
  std::vector<size_t> counts(batches.size());  // readings per message, before they are moved
  for (size_t b = 0; b < batches.size(); ++b) {
    counts[b] = batches[b].readings.size();
    auto [it, inserted] = group_of.emplace(batches[b].device_id, groups.size());
    if (inserted) {
      auto g = device_grant_by_name(batches[b].device_id);
      if (!g) return g.take_error();
      groups.push_back({std::move(*g), {}, {}});
    }
    DeviceGroup& group = groups[it->second];
    for (size_t i = 0; i < batches[b].readings.size(); ++i) {
      group.readings.push_back(std::move(batches[b].readings[i]));
      group.origin.emplace_back(b, i);
    }
  }
  const core::Timestamp now = app_.clock.now();
  std::vector<IngestReport> reports;
  std::vector<Changed> changed;
  auto status = app_.db.transact([&](db::Connection& conn) -> core::Status {
    changed.clear();
    reports.assign(batches.size(), IngestReport{});
    HistoryBatch history;
    for (const auto& group : groups) {
      IngestReport merged;
      if (group.grant) {
        BALAI_TRY(ingest_group(conn, group.grant, group.readings, now, merged, changed, history));
      } else {
        for (size_t i = 0; i < group.readings.size(); ++i)
          merged.refused.push_back({i, std::string(to_string(RejectReason::unknown_entity)),
                                    "This device is not registered."});
      }
      for (auto& r : merged.refused) {
        const auto [b, i] = group.origin[r.index];
        reports[b].refused.push_back({i, std::move(r.reason), std::move(r.message)});
      }
    }
    for (size_t b = 0; b < batches.size(); ++b)
      reports[b].accepted = static_cast<int64_t>(counts[b] - reports[b].refused.size());
    return store_.append_history(conn, history);
  });
  if (!status) return status.take_error();
  int64_t rows = 0;
  for (const auto& report : reports) {
    count("accepted", report.accepted);
    for (const auto& r : report.refused) count(r.reason);
    rows += report.accepted;
  }
  committed(changed, rows);
  return reports;
}

core::Status ContextService::ingest_group(db::Connection& conn,
                                          const std::optional<DeviceGrant>& grant,
                                          const std::vector<Reading>& readings, core::Timestamp now,
                                          IngestReport& report, std::vector<Changed>& changed,
                                          HistoryBatch& history) {
  const Scope scope;  // devices' entities live in the default service and path
  auto refuse = [&](size_t i, RejectReason reason, std::string message) {
    report.refused.push_back({i, std::string(to_string(reason)), std::move(message)});
  };
  // Readings of one entity are applied together, in the order of their times.
  std::map<std::string, std::vector<size_t>> by_entity;
  for (size_t i = 0; i < readings.size(); ++i) {
    const Reading& r = readings[i];
    if (grant && r.entity_id != grant->entity_id) {
      refuse(i, RejectReason::unknown_entity, "This device may not write " + r.entity_id + ".");
      continue;
    }
    by_entity[r.entity_id].push_back(i);
  }
  for (auto& [entity_id, indexes] : by_entity) {
    std::optional<StoredEntity> target;
    if (grant) {
      auto locked = store_.find_for_update(conn, scope, entity_id, grant->entity_type);
      if (!locked) return locked.take_error();
      target = std::move(*locked);
    } else {
      auto found = store_.find(scope.service, PathFilter{{"/"}, {}}, entity_id);
      if (!found && found.error().code != core::ErrorCode::conflict) return found.take_error();
      if (found && *found) {
        auto locked = store_.find_for_update(conn, scope, entity_id, (*found)->entity.type);
        if (!locked) return locked.take_error();
        target = std::move(*locked);
      }
    }
    if (!target) {
      for (size_t i : indexes) refuse(i, RejectReason::unknown_entity, "No such entity.");
      continue;
    }
    Entity& e = target->entity;
    const EntityTypeSpec* spec = find_entity_type(e.type);
    std::stable_sort(indexes.begin(), indexes.end(), [&](size_t a, size_t b) {
      return readings[a].observed_ms < readings[b].observed_ms;
    });
    std::vector<std::string> names;
    for (size_t i : indexes) {
      const Reading& r = readings[i];
      if (spec) {
        if (auto rejection = check_reading(*spec, r, now)) {
          refuse(i, rejection->reason, rejection->message);
          continue;
        }
      } else if (r.value.is_null() || !ngsi::is_valid_name(r.attr)) {
        refuse(i, RejectReason::wrong_type, "A reading needs an attribute name and a value.");
        continue;
      }
      history.add(target->key, r.attr, r.observed_ms, r.value);
      // The current value is the latest observation: a reading a device buffered while offline
      // joins the history but does not replace a newer one.
      auto current = e.attrs.find(r.attr);
      if (current == e.attrs.end() || observed_ms_of(current->second) <= r.observed_ms)
        e.attrs[r.attr] = attribute_of(r, spec ? find_attribute(*spec, r.attr) : nullptr);
      if (std::find(names.begin(), names.end(), r.attr) == names.end()) names.push_back(r.attr);
      ++report.accepted;
    }
    if (names.empty()) continue;
    e.modified_ms = now.ms;
    BALAI_TRY(store_.update(conn, target->key, e, point_of(e)));
    changed.push_back({e, std::move(names), false, false});
  }
  return {};
}

IngestCounts ContextService::counts() const {
  std::lock_guard lock(counts_mutex_);
  return counts_;
}

void ContextService::count(std::string_view reason, int64_t n) {
  std::lock_guard lock(counts_mutex_);
  if (reason == "accepted")
    counts_.accepted += n;
  else
    counts_.rejected[std::string(reason)] += n;
}

core::Result<NewDevice> ContextService::add_device(std::string_view type,
                                                   std::string_view entity_id,
                                                   std::string_view agency) {
  if (!find_entity_type(type))
    return core::Error{core::ErrorCode::validation_failed,
                       "Unknown device type.",
                       {{"type", "one of the built-in entity types"}}};
  if (!ngsi::is_valid_name(entity_id))
    return core::Error{core::ErrorCode::validation_failed,
                       "Invalid entity id.",
                       {{"entity", "1..256 printable characters, none of <>\"'=;()&?/#"}}};
  const core::Timestamp now = app_.clock.now();
  NewDevice out;
  out.device_id = "dev-" + core::random_hex_id().substr(0, 16);
  out.entity_id = std::string(entity_id);
  out.entity_type = std::string(type);
  auto token =
      app_.security.tokens.create({"device " + out.device_id + " (" + out.entity_id + ")",
                                   security::Role::device, std::string(agency), std::nullopt},
                                  now);
  if (!token) return token.take_error();
  out.token = token->token;
  const std::string mqtt_password = password_file_line(out.device_id, out.token);
  const Scope scope;
  auto status = app_.db.transact([&](db::Connection& conn) -> core::Status {
    auto existing = store_.find_for_update(conn, scope, entity_id, type);
    if (!existing) return existing.take_error();
    int64_t key = 0;
    if (*existing) {
      key = (*existing)->key;
    } else {
      Entity e;
      e.id = out.entity_id;
      e.type = out.entity_type;
      e.created_ms = e.modified_ms = now.ms;
      auto inserted = store_.insert(conn, e, std::nullopt);
      if (!inserted) return inserted.take_error();
      key = *inserted;
    }
    auto r = conn.query(
        "INSERT INTO city_devices (external_id, token_id, entity_key, mqtt_password, agency_code, "
        "created_ms) VALUES (?, ?, ?, ?, ?, ?)",
        {out.device_id, token->info.id, key, mqtt_password, agency, now.ms});
    if (!r) return r.take_error();
    return {};
  });
  if (!status) return status.take_error();
  return out;
}

core::Status ContextService::revoke_device(std::string_view device_id) {
  const core::Timestamp now = app_.clock.now();
  auto rows = app_.db.query(
      "SELECT token_id FROM city_devices WHERE external_id = ? AND revoked_ms IS NULL",
      {device_id});
  if (!rows) return rows.take_error();
  if (rows->empty())
    return core::make_error(core::ErrorCode::not_found, "No such device, or already revoked.");
  const std::string token_id = (*rows)[0].text(0);
  // The token first: once it is revoked the device can no longer write over HTTP, whatever
  // happens next; the broker's files are the caller's to rewrite.
  BALAI_TRY(app_.security.tokens.revoke(token_id, now));
  BALAI_TRY(app_.db.transact([&](db::Connection& conn) -> core::Status {
    auto r = conn.query(
        "UPDATE city_devices SET revoked_ms = ? WHERE external_id = ? AND revoked_ms IS NULL",
        {now.ms, device_id});
    if (!r) return r.take_error();
    return {};
  }));
  std::lock_guard lock(devices_mutex_);
  devices_.erase(token_id);
  devices_by_name_.erase(std::string(device_id));
  return {};
}

core::Result<std::vector<BrokerUser>> ContextService::broker_users() const {
  auto rows = app_.db.query(
      "SELECT external_id, mqtt_password FROM city_devices WHERE revoked_ms IS NULL ORDER BY id",
      {});
  if (!rows) return rows.take_error();
  std::vector<BrokerUser> users;
  users.reserve(rows->size());
  for (const auto& row : *rows) users.push_back({row.text(0), row.text(1)});
  return users;
}

void ContextService::listen(Listener listener) {
  listeners_.push_back(std::move(listener));
}

void ContextService::committed(const std::vector<Changed>& changed, int64_t history_rows) {
  notify(changed);
  roll_up_when_due(history_rows);
}

void ContextService::roll_up_when_due(int64_t new_rows) {
  const int64_t due = app_.config.sensors.history_rollup_rows;
  if (rows_since_roll_up_.fetch_add(new_rows) + new_rows < due) return;
  {
    std::lock_guard lock(roll_up_mutex_);
    roll_up_due_ = true;
  }
  roll_up_wake_.notify_one();
}

void ContextService::roll_up_loop() {
  for (;;) {
    {
      std::unique_lock lock(roll_up_mutex_);
      roll_up_wake_.wait(lock, [this] { return stopping_ || roll_up_due_; });
      if (stopping_) return;
      roll_up_due_ = false;
    }
    rows_since_roll_up_ = 0;
    // One big batch: only many rows of each series at once make the sorted move cheap.
    const int64_t due = app_.config.sensors.history_rollup_rows;
    auto moved = HistoryStore(app_.db).catch_up(JobLimits{due, 2});
    if (!moved) core::log::warn("city.history_rollup_failed", {{"error", moved.error().message}});
  }
}

void ContextService::notify(const std::vector<Changed>& changed) const {
  if (changed.empty()) return;
  for (const auto& l : listeners_) l(changed);
}

}  // namespace balai::city
