// The history of an entity's attribute, and the jobs that keep it small:
//   GET /api/v1/city/entities/{id}/history?attr=A[&from=ISO][&to=ISO][&resolution=raw|minute|hour]
//                                         [&type=T][&format=csv|json]
// JSON {"entity","type","attr","unit","unitLabel","resolution","from","to","points":[...]}, or
// CSV (format=csv, or an Accept header asking for text/csv and not for JSON) offered as a
// download. Raw points are every stored value observed in [from, to]; minute and hour points
// are the whole UTC buckets that [from, to] touches, read from the roll-ups plus the raw rows
// not rolled up yet, so an answer is complete up to the moment it is read.
//
// Tenancy as NGSI-v2 reads (Fiware-Service, Fiware-ServicePath: every path by default). Who may
// read: anyone, for the built-in types that are public (EntityTypeSpec::public_read); any other
// type (SecurityIncident, and types Balai does not know, whose attributes may be anything)
// needs the action city.history.read: staff and integrators for every entity, a device for its
// own. Anonymous callers get 401, others without the grant 403.
//
// Jobs: city.history_rollup moves new history rows into chunks and aggregates the
// numeric ones into city_rollups (history_store.h); then
// city.history_retention deletes what is older than config.sensors.history_*_days.
#include <fmt/format.h>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <tuple>

#include "core/log.h"
#include "core/text.h"
#include "http/json.h"
#include "modules/city/history.h"
#include "modules/city/history_store.h"
#include "modules/city/ngsi_http.h"
#include "modules/city/routes.h"
#include "security/policy.h"

namespace balai::city {
namespace {

constexpr std::string_view kHistoryRead = "city.history.read";
// An answer holds at most this many points (a month of raw readings every 30 s is 89,280); a
// request for more is refused with advice rather than cut short without a word.
constexpr size_t kMaxPoints = 100'000;

void allow_history_reads(security::Policy& policy) {
  using security::Role;
  using security::Scope;
  for (Role role : {Role::officer, Role::supervisor, Role::admin, Role::auditor, Role::integrator})
    policy.allow(kHistoryRead, role, Scope::any);
  policy.allow(kHistoryRead, Role::device, Scope::own);  // its own entity (see authorize_read)
}

// Whether the actor may read the history of `e`.
core::Status authorize_read(const security::Policy& policy, const HistoryStore& store,
                            const security::Actor* actor, const StoredEntity& e) {
  const EntityTypeSpec* spec = find_entity_type(e.entity.type);
  if (spec && spec->public_read) return {};
  if (!actor)
    return core::make_error(core::ErrorCode::unauthenticated,
                            "This history is not public: send a token or sign in.");
  std::string_view owner;
  if (actor->role == security::Role::device) {
    auto own = store.device_entity(actor->id);
    if (!own) return own.take_error();
    if (*own && **own == e.key) owner = actor->id;
  }
  return policy.authorize(actor, kHistoryRead, {owner});
}

// CSV when asked by format=csv, or by an Accept header that wants text/csv and not JSON.
core::Result<bool> wants_csv(const http::Request& req) {
  if (auto format = req.query_param("format")) {
    if (*format == "csv") return true;
    if (*format == "json") return false;
    return invalid_parameter("format", "csv or json");
  }
  const std::string accept = core::ascii_lower(req.headers.get("Accept").value_or(""));
  return accept.find("text/csv") != std::string::npos &&
         accept.find("application/json") == std::string::npos;
}

std::optional<std::string_view> as_view(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  return std::string_view(*text);
}

// The unit of an attribute: the built-in spec's, else the unitCode its writer gave.
std::pair<std::string, std::string> unit_of(const AttributeSpec* spec, const Attribute* current) {
  if (spec) return {spec->unit, spec->unit_label};
  if (current)
    if (auto* md = current->metadata.if_contains("unitCode"); md && md->is_object())
      if (auto* v = md->as_object().if_contains("value"); v && v->is_string())
        return {std::string(v->as_string()), ""};
  return {"", ""};
}

struct Answer {
  const StoredEntity* entity = nullptr;
  std::string attr;
  std::string unit;
  std::string unit_label;
  HistoryWindow window;
  bool csv = false;
  bool public_read = false;
};

http::Response respond(const Answer& a, const std::string& points_json, std::string csv) {
  http::Response res;
  if (a.csv) {
    res = http::Response::text(200, std::move(csv));
    res.headers.set("Content-Type", "text/csv; charset=utf-8");
    res.headers.set("Content-Disposition",
                    "attachment; filename=\"" +
                        csv_file_name(a.entity->entity.id, a.attr, a.window.resolution) + "\"");
  } else {
    boost::json::object head{{"entity", a.entity->entity.id},
                             {"type", a.entity->entity.type},
                             {"attr", a.attr},
                             {"unit", a.unit},
                             {"unitLabel", a.unit_label},
                             {"resolution", to_string(a.window.resolution)},
                             {"from", ngsi::format_date_time(a.window.from.ms)},
                             {"to", ngsi::format_date_time(a.window.to.ms)}};
    // The points are written by history.h (shortest numbers); they close the object.
    std::string body = boost::json::serialize(head);
    body.pop_back();
    body += R"(,"points":)" + points_json + "}";
    res = http::Response::json(200, std::move(body));
  }
  // Public answers may be kept a little; others never by anyone but the client.
  res.headers.set("Cache-Control", a.public_read ? "public, max-age=30" : "no-store");
  res.headers.set("Vary", "Accept, Fiware-Service, Fiware-ServicePath");
  return res;
}

core::Error too_many_points() {
  return invalid_parameter("from",
                           fmt::format("the answer would hold more than {} points: ask for a "
                                       "shorter span or a coarser resolution",
                                       kMaxPoints));
}

http::Response history(const app::App& app, ContextService& service, const HistoryStore& store,
                       http::Request& req) {
  const auto fail = [&req](const core::Error& e) { return http::api_error(req, e); };
  // The request's syntax first (400), then the entity (404), then who asks (401/403).
  auto tenant = ngsi::tenant_of(req, /*for_read=*/true);
  if (!tenant) return fail(tenant.error());
  Answer a;
  a.attr = req.query_param("attr").value_or("");
  if (a.attr.empty()) return fail(invalid_parameter("attr", "required: the attribute's name"));
  const std::string type = req.query_param("type").value_or("");
  auto csv = wants_csv(req);
  if (!csv) return fail(csv.error());
  a.csv = *csv;
  const auto from = req.query_param("from"), to = req.query_param("to"),
             resolution = req.query_param("resolution");
  auto window = parse_window(as_view(from), as_view(to), as_view(resolution), app.clock.now());
  if (!window) return fail(window.error());
  a.window = *window;

  std::vector<std::string> types;
  if (!type.empty()) types.push_back(type);
  auto found =
      service.candidates(tenant->service, tenant->paths, types, {std::string(req.param("id"))});
  if (!found) return fail(found.error());
  if (found->empty())
    return fail(core::make_error(core::ErrorCode::not_found, "There is no such entity."));
  if (found->size() > 1)
    return fail(core::make_error(core::ErrorCode::conflict,
                                 "Several entities have this id: name the type (type=...)."));
  const StoredEntity& e = found->front();
  a.entity = &e;
  // Refused reads of a non-public entity look like a missing one (as NGSI-v2's reads do): a
  // 401 or 403 would tell a stranger that a panic button with this id exists.
  if (auto allowed = authorize_read(app.security.policy, store, security::current_actor(req), e);
      !allowed)
    return fail(core::make_error(core::ErrorCode::not_found, "There is no such entity."));

  const EntityTypeSpec* spec = find_entity_type(e.entity.type);
  a.public_read = spec && spec->public_read;
  const AttributeSpec* attr_spec = spec ? find_attribute(*spec, a.attr) : nullptr;
  auto current_it = e.entity.attrs.find(a.attr);
  const Attribute* current = current_it == e.entity.attrs.end() ? nullptr : &current_it->second;
  // An attribute is known by the type's spec, the entity's state, or (removed since) its history.
  bool numeric = attr_spec ? attr_spec->numeric : current && current->value.is_number();
  if (!attr_spec && !current) {
    auto facts = store.facts(e.key, a.attr);
    if (!facts) return fail(facts.error());
    if (!facts->any)
      return fail(core::Error{core::ErrorCode::not_found,
                              "The entity has no such attribute and no history of one.",
                              {{"attr", "unknown attribute"}}});
    numeric = facts->numeric;
  }
  if (a.window.resolution != Resolution::raw && !numeric)
    return fail(invalid_parameter("resolution",
                                  "the attribute is not numeric: only raw history is available"));
  std::tie(a.unit, a.unit_label) = unit_of(attr_spec, current);

  if (a.window.resolution == Resolution::raw) {
    auto series = store.raw(e.key, a.attr, a.window, kMaxPoints);
    if (!series) return fail(series.error());
    if (series->truncated) return fail(too_many_points());
    if (a.csv) return respond(a, {}, raw_csv(series->points));
    return respond(a, raw_points_json(series->points), {});
  }
  // Each bucket is at most two rows (its roll-up and the part not rolled up yet).
  auto series = store.buckets(e.key, a.attr, a.window, 2 * kMaxPoints);
  if (!series) return fail(series.error());
  if (series->truncated || series->buckets.size() > kMaxPoints) return fail(too_many_points());
  if (a.csv) return respond(a, {}, buckets_csv(series->buckets));
  return respond(a, bucket_points_json(series->buckets), {});
}

RetentionDays retention_days(const core::SensorsConfig& sensors) {
  return RetentionDays{sensors.history_raw_days, sensors.history_minute_days,
                       sensors.history_hour_days};
}

}  // namespace

void install_history(app::App& app, ContextService& service) {
  allow_history_reads(app.security.policy);
  HistoryStore store(app.db);  // a reference to the database: copied into each user
  // The roll-up first, so that retention in the same round may delete what it just rolled up.
  app.jobs.push_back(
      {"city.history_rollup",
       [store, rows_per_batch = app.config.sensors.history_rollup_rows](core::Timestamp) mutable {
         auto rows = store.catch_up(JobLimits{rows_per_batch, 20});
         if (!rows)
           core::log::warn("city.history_rollup_failed", {{"error", rows.error().message}});
         else if (*rows > 0)
           core::log::debug("city.history_rolled_up", {{"rows", *rows}});
       }});
  app.jobs.push_back(
      {"city.history_retention",
       [store, days = retention_days(app.config.sensors)](core::Timestamp now) mutable {
         auto report = store.expire(days, now);
         if (!report) {
           core::log::warn("city.history_retention_failed", {{"error", report.error().message}});
           return;
         }
         if (report->raw + report->minute + report->hour > 0)
           core::log::info(
               "city.history_expired",
               {{"raw", report->raw}, {"minute", report->minute}, {"hour", report->hour}});
       }});
  app.router.get("/api/v1/city/entities/{id}/history", [&app, &service, store](http::Request& req) {
    return history(app, service, store, req);
  });
}

}  // namespace balai::city
