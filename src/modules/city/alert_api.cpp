// The city's alerts over JSON:
//   GET    /api/v1/city/alerts                       public: the open public alerts
//   GET    /api/v1/city/alerts?status=open|resolved|all[&limit=]
//                                                    staff of the agency, administrators
//   POST   /api/v1/city/alerts/{id}/acknowledge      {"note": optional}   staff
//   POST   /api/v1/city/alerts/{id}/resolve          {"note": optional}   staff
//   GET    /api/v1/city/alert-rules                  administrators
//   PUT    /api/v1/city/alert-rules                  {"rules": [...]} the whole set
//   GET    /api/v1/me/city/alert-districts           a citizen's watched districts
//   POST   /api/v1/me/city/alert-districts           {"district": "35.77.01"}
//   DELETE /api/v1/me/city/alert-districts           {"district": "35.77.01"}
// Also the alert service itself (a listener of the context service) and its policy grants.
#include <boost/json.hpp>
#include <charconv>

#include "core/log.h"
#include "http/json.h"
#include "modules/city/alert_json.h"
#include "modules/city/alert_pages.h"
#include "modules/city/alert_service.h"
#include "modules/city/routes.h"
#include "modules/regions/directory.h"
#include "security/actor.h"
#include "security/policy.h"

namespace balai::city {
namespace {

constexpr uint64_t kNoteBodyLimit = 8 * 1024;
constexpr uint64_t kRulesBodyLimit = 256 * 1024;
constexpr uint64_t kDistrictBodyLimit = 1024;
constexpr int kPublicCacheMs = 5'000;  // cleared at once when this instance changes an alert
constexpr size_t kDefaultListLimit = 100;

core::Error invalid(std::string field, std::string message) {
  return core::Error{core::ErrorCode::validation_failed,
                     "The request has problems.",
                     {{std::move(field), std::move(message)}}};
}

std::optional<int64_t> parse_key(std::string_view text) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size() || v <= 0) return std::nullopt;
  return v;
}

// The optional note of a staff action: no body (or an empty one) is no note.
core::Result<std::string> note_of(const http::Request& req) {
  if (req.body.empty()) return std::string{};
  auto o = http::parse_json_object(req, {kNoteBodyLimit, 4});
  if (!o) return o.take_error();
  const auto* v = o->if_contains("note");
  if (!v || v->is_null()) return std::string{};
  if (!v->is_string()) return invalid("note", "must be a string");
  return std::string(v->as_string());
}

// The district of a citizen's request: {"district": "35.77.01"} (or ?district= on DELETE).
core::Result<std::string> district_of_request(const http::Request& req) {
  if (req.body.empty()) {
    if (auto q = req.query_param("district")) return *q;
    return invalid("district", "required");
  }
  auto o = http::parse_json_object(req, {kDistrictBodyLimit, 4});
  if (!o) return o.take_error();
  const auto* v = o->if_contains("district");
  if (!v || v->is_null()) return invalid("district", "required");
  if (!v->is_string()) return invalid("district", "must be a string");
  return std::string(v->as_string());
}

core::Result<AlertStatusFilter> filter_of(std::string_view status) {
  if (status == "open" || status == "active") return AlertStatusFilter::open;
  if (status == "resolved") return AlertStatusFilter::resolved;
  if (status == "all") return AlertStatusFilter::all;
  return invalid("status", "\"open\", \"resolved\" or \"all\"");
}

core::Result<size_t> limit_of(const http::Request& req) {
  auto text = req.query_param("limit");
  if (!text) return kDefaultListLimit;
  auto v = parse_key(*text);
  if (!v || *v > 500) return invalid("limit", "from 1 to 500");
  return static_cast<size_t>(*v);
}

boost::json::object district_json(const app::App& app, const std::string& code) {
  const auto* region = app.regions.find(code);
  return boost::json::object{{"code", code}, {"name", region ? region->name : std::string{}}};
}

void grant(security::Policy& policy) {
  using security::Role;
  using security::Scope;
  // Staff of the agency whose device raised an alert handle it; administrators handle all.
  policy.allow(kAlertsManage, Role::officer, Scope::agency);
  policy.allow(kAlertsManage, Role::supervisor, Scope::agency);
  policy.allow(kAlertsManage, Role::admin, Scope::any);
  policy.allow(kAlertRulesManage, Role::admin, Scope::any);
  policy.allow(kAlertWatch, Role::citizen, Scope::own);
}

void install_alert_routes(app::App& app, AlertService& alerts) {
  const core::Zone zone = app.config.city.zone;

  app.router
      .get("/api/v1/city/alerts",
           [&alerts, zone](http::Request& req) {
             const std::string lang = req.context.lang;
             if (auto status = req.query_param("status")) {
               auto filter = filter_of(*status);
               if (!filter) return http::api_error(req, filter.error());
               auto limit = limit_of(req);
               if (!limit) return http::api_error(req, limit.error());
               auto list = alerts.list(security::current_actor(req), *filter, *limit);
               if (!list) return http::api_error(req, list.error());
               boost::json::array items;
               for (const auto& r : *list) items.push_back(staff_alert_json(r, lang, zone));
               return http::private_json_response(
                   200, boost::json::object{{"alerts", std::move(items)}});
             }
             auto open = alerts.active(/*public_only=*/true);
             if (!open) return http::api_error(req, open.error());
             boost::json::array items;
             for (const auto& a : *open) items.push_back(public_alert_json(a, lang, zone));
             return http::json_response(200, boost::json::object{{"alerts", std::move(items)}});
           })
      .public_cache_ms(kPublicCacheMs);

  auto staff_action = [&app, &alerts, zone](bool resolve) {
    return [&app, &alerts, zone, resolve](http::Request& req) {
      const auto* actor = security::current_actor(req);
      // Who asks comes before what the body says (401/403 before 400/415): staff of an agency
      // (the alert's own agency is checked once it is read) and administrators.
      const security::Resource own_agency{{}, actor ? std::string_view(actor->agency) : ""};
      if (auto allowed = app.security.policy.authorize(actor, kAlertsManage, own_agency); !allowed)
        return http::api_error(req, allowed.error());
      auto key = parse_key(req.param("id"));
      if (!key)
        return http::api_error(req, core::make_error(core::ErrorCode::not_found, "No such alert."));
      auto note = note_of(req);
      if (!note) return http::api_error(req, note.error());
      auto done =
          resolve ? alerts.resolve(actor, *key, *note) : alerts.acknowledge(actor, *key, *note);
      if (!done) return http::api_error(req, done.error());
      return http::private_json_response(200, staff_alert_json(*done, req.context.lang, zone));
    };
  };
  app.router.post("/api/v1/city/alerts/{id:int}/acknowledge", staff_action(false))
      .body_limit(kNoteBodyLimit);
  app.router.post("/api/v1/city/alerts/{id:int}/resolve", staff_action(true))
      .body_limit(kNoteBodyLimit);

  auto rules_answer = [](const std::vector<StoredRule>& rules) {
    boost::json::array items;
    for (const auto& r : rules) items.push_back(rule_json(r));
    return http::private_json_response(200, boost::json::object{{"rules", std::move(items)}});
  };
  app.router.get("/api/v1/city/alert-rules", [&alerts, rules_answer](http::Request& req) {
    auto rules = alerts.rules(security::current_actor(req));
    if (!rules) return http::api_error(req, rules.error());
    return rules_answer(*rules);
  });
  app.router
      .put("/api/v1/city/alert-rules",
           [&alerts, rules_answer](http::Request& req) {
             const auto* actor = security::current_actor(req);
             // Who may change the rules comes before what the body says.
             auto current = alerts.rules(actor);
             if (!current) return http::api_error(req, current.error());
             auto body = http::parse_json_body(req, {kRulesBodyLimit, 8});
             if (!body) return http::api_error(req, body.error());
             auto rules = parse_rules(*body);
             if (!rules) return http::api_error(req, rules.error());
             auto status = alerts.replace_rules(actor, *rules);
             if (!status) {
               core::Error e = status.error();
               std::map<std::string, std::string> fields;
               for (auto& [field, message] : e.fields) fields[json_rule_field(field)] = message;
               e.fields = std::move(fields);
               return http::api_error(req, e);
             }
             auto now = alerts.rules(actor);
             if (!now) return http::api_error(req, now.error());
             return rules_answer(*now);
           })
      .body_limit(kRulesBodyLimit);

  app.router.get("/api/v1/me/city/alert-districts", [&alerts, &app](http::Request& req) {
    auto districts = alerts.watched_districts(security::current_actor(req));
    if (!districts) return http::api_error(req, districts.error());
    boost::json::array items;
    for (const auto& code : *districts) items.push_back(district_json(app, code));
    return http::private_json_response(200, boost::json::object{{"districts", std::move(items)}});
  });
  app.router
      .post("/api/v1/me/city/alert-districts",
            [&alerts, &app](http::Request& req) {
              const auto* actor = security::current_actor(req);
              if (!actor)
                return http::api_error(
                    req, core::make_error(core::ErrorCode::unauthenticated, "Sign in first."));
              auto district = district_of_request(req);
              if (!district) return http::api_error(req, district.error());
              auto status = alerts.watch(actor, *district);
              if (!status) return http::api_error(req, status.error());
              return http::private_json_response(201, district_json(app, *district));
            })
      .body_limit(kDistrictBodyLimit);
  app.router
      .del("/api/v1/me/city/alert-districts",
           [&alerts](http::Request& req) {
             const auto* actor = security::current_actor(req);
             if (!actor)
               return http::api_error(
                   req, core::make_error(core::ErrorCode::unauthenticated, "Sign in first."));
             auto district = district_of_request(req);
             if (!district) return http::api_error(req, district.error());
             auto status = alerts.unwatch(actor, *district);
             if (!status) return http::api_error(req, status.error());
             http::Response res;
             res.status = 204;
             res.headers.set("Cache-Control", "no-store");
             return res;
           })
      .body_limit(kDistrictBodyLimit);
}

}  // namespace

void install_alerts(app::App& app, ContextService& service) {
  grant(app.security.policy);
  auto owned = std::make_unique<AlertService>(app, service);
  AlertService& alerts = *owned;
  app.states.push_back(std::move(owned));
  // Another instance's administrator may have changed the rules.
  app.jobs.push_back(
      {"city.alert_rules_reload", [&alerts](core::Timestamp) {
         auto status = alerts.reload_rules();
         if (!status)
           core::log::error("city.alert_rules_reload_failed", {{"error", status.error().message}});
       }});
  install_alert_routes(app, alerts);
  install_alert_pages(app, alerts);
}

}  // namespace balai::city
