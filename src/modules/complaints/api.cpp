// JSON routes of complaints for citizens and the public:
//   GET  /api/v1/complaints/categories            the categories (public)
//   GET  /api/v1/complaints                       public list: category, status, region, from,
//                                                 to (YYYY-MM-DD), page, page_size
//   POST /api/v1/complaints                       citizen: a report (photos as base64)
//   GET  /api/v1/complaints/nearby                open reports near a place: category, lat, lon
//   GET  /api/v1/complaints/statistics[.csv]      public statistics: from, to (YYYY-MM-DD)
//   GET  /api/v1/me/complaints                    my reports
//   GET  /api/v1/complaints/{tracking}            one report (as the viewer may see it)
//   GET  /api/v1/complaints/{tracking}/photos/{id}
//   POST /api/v1/complaints/{tracking}/support    +1 (not on your own)
//   POST /api/v1/complaints/{tracking}/comments   {text}          reporter
//   POST /api/v1/complaints/{tracking}/confirm                    reporter, after resolution
//   POST /api/v1/complaints/{tracking}/reopen     {reason}        reporter, within 10 working days
//   POST /api/v1/complaints/{tracking}/rating     {rating 1-4, comment}
#include <boost/json.hpp>

#include "core/base64.h"
#include "core/text.h"
#include "http/json.h"
#include "modules/complaints/api_support.h"
#include "modules/complaints/json.h"
#include "modules/complaints/routes.h"
#include "security/actor.h"

namespace balai::complaints {
namespace {

constexpr int kPublicCacheMs = 5'000;

// Reads the report fields of a JSON body; type errors are collected in `errors`.
Submission submission_from(const boost::json::object& o,
                           std::map<std::string, std::string>& errors) {
  Submission s;
  auto text = [&](std::string_view name, std::string& out) {
    auto* v = o.if_contains(name);
    if (!v || v->is_null()) return;
    if (!v->is_string()) {
      errors[std::string(name)] = "must be a string";
      return;
    }
    out = std::string(v->as_string());
  };
  auto number_or_text = [&](std::string_view name, std::string& out) {
    auto* v = o.if_contains(name);
    if (!v || v->is_null()) return;
    if (v->is_string()) {
      out = std::string(v->as_string());
    } else if (v->is_double()) {
      char buf[40];
      std::snprintf(buf, sizeof buf, "%.7f", v->as_double());
      out = buf;
    } else if (v->is_int64() || v->is_uint64()) {
      out = boost::json::serialize(*v);
    } else {
      errors[std::string(name)] = "must be a number";
    }
  };
  auto flag = [&](std::string_view name, bool& out) {
    auto* v = o.if_contains(name);
    if (!v || v->is_null()) return;
    if (!v->is_bool()) {
      errors[std::string(name)] = "must be true or false";
      return;
    }
    out = v->as_bool();
  };
  text("kind", s.kind);
  text("category", s.category);
  text("title", s.title);
  text("description", s.description);
  number_or_text("lat", s.lat);
  number_or_text("lon", s.lon);
  text("address", s.address);
  text("village_code", s.village_code);
  text("channel", s.channel);
  flag("anonymous", s.anonymous);
  flag("confidential", s.confidential);
  if (auto* photos = o.if_contains("photos"); photos && !photos->is_null()) {
    if (!photos->is_array()) {
      errors["photos"] = "must be an array of base64 strings";
    } else {
      for (const auto& p : photos->as_array()) {
        auto bytes = p.is_string() ? core::base64_decode(p.as_string()) : std::nullopt;
        if (!bytes) {
          errors["photos"] = "must be an array of base64 strings";
          break;
        }
        s.photos.push_back({std::move(*bytes)});
      }
    }
  }
  return s;
}

}  // namespace

void install_api(app::App& app, ComplaintService& service) {
  const core::Zone zone = app.config.city.zone;
  // A body with three photos at the limit, base64-encoded, and the text fields.
  const uint64_t report_limit =
      rules::kMaxPhotos * (app.config.complaints.photo_max_bytes / 3 + 1) * 4 + 64 * 1024;

  app.router
      .get("/api/v1/complaints/categories",
           [&service](http::Request& req) {
             auto all = service.categories();
             if (!all) return http::api_error(req, all.error());
             boost::json::array items;
             for (const auto& c : **all) items.push_back(json::category(c, req.context.lang));
             return http::json_response(200, boost::json::object{{"categories", std::move(items)}});
           })
      .public_cache_ms(kPublicCacheMs);

  app.router
      .get("/api/v1/complaints",
           [&service, &app, zone](http::Request& req) {
             auto filter = filter_from_query(req, app.config.city.zone);
             if (!filter) return http::api_error(req, filter.error());
             auto page = service.public_list(*filter);
             if (!page) return http::api_error(req, page.error());
             const auto now = app.clock.now();
             boost::json::array items;
             for (const auto& c : page->items) items.push_back(json::complaint(c, zone, now));
             return http::json_response(200, boost::json::object{{"complaints", std::move(items)},
                                                                 {"total", page->total},
                                                                 {"page", filter->page},
                                                                 {"page_size", filter->page_size}});
           })
      .public_cache_ms(kPublicCacheMs);

  app.router
      .post("/api/v1/complaints",
            [&service, &app, zone](http::Request& req) {
              const auto* actor = security::current_actor(req);
              if (!actor) return http::api_error(req, sign_in_first());
              if (actor->role == security::Role::integrator)
                return http::api_error(req, core::make_error(core::ErrorCode::forbidden,
                                                             "Integrators file reports through "
                                                             "Open311 (/open311/v2/requests)."));
              auto body = http::parse_json_object(req, {req.route->body_limit, 8});
              if (!body) return http::api_error(req, body.error());
              std::map<std::string, std::string> errors;
              Submission s = submission_from(*body, errors);
              if (!errors.empty()) {
                core::Error e{core::ErrorCode::validation_failed, "The report has problems.", {}};
                e.fields = std::move(errors);
                return http::api_error(req, e);
              }
              auto stored = service.submit(*actor, s, facts_of(req, "api"));
              if (!stored) return http::api_error(req, stored.error());
              http::Response res = http::private_json_response(
                  201, json::complaint(*stored, zone, app.clock.now(), true));
              res.headers.set("Location", "/api/v1/complaints/" + stored->tracking);
              return res;
            })
      .body_limit(report_limit);

  app.router.get("/api/v1/complaints/nearby", [&service, &app, zone](http::Request& req) {
    auto category = req.query_param("category");
    auto lat = req.query_param("lat");
    auto lon = req.query_param("lon");
    core::Error missing = missing_fields({});
    if (!category) missing.fields["category"] = "required";
    if (!lat) missing.fields["lat"] = "required";
    if (!lon) missing.fields["lon"] = "required";
    if (!missing.fields.empty()) return http::api_error(req, missing);
    auto point = core::parse_geo_point(*lat, *lon);
    if (!point) {
      core::Error bad{
          core::ErrorCode::validation_failed, "Coordinates must be decimal degrees.", {}};
      if (!core::parse_degrees_e6(*lat, 90)) bad.fields["lat"] = "not a latitude";
      if (!core::parse_degrees_e6(*lon, 180)) bad.fields["lon"] = "not a longitude";
      return http::api_error(req, bad);
    }
    auto found = service.nearby(*category, *point);
    if (!found) {
      if (found.error().code == core::ErrorCode::not_found)
        return http::api_error(req, core::Error{core::ErrorCode::validation_failed,
                                                "Unknown category.",
                                                {{"category", "unknown category"}}});
      return http::api_error(req, found.error());
    }
    const auto now = app.clock.now();
    boost::json::array items;
    for (const auto& n : *found) {
      auto o = json::complaint(n.complaint, zone, now);
      o["distance_m"] = n.distance_m;
      items.push_back(std::move(o));
    }
    return http::json_response(200, boost::json::object{{"complaints", std::move(items)}});
  });

  auto statistics = [&service](http::Request& req, bool csv) {
    auto period = period_from_query(req, service.app().config.city.zone, service.app().clock.now());
    if (!period) return http::api_error(req, period.error());
    auto s = service.statistics(period->first, period->second);
    if (!s) return http::api_error(req, s.error());
    if (!csv) return http::json_response(200, json::statistics(*s));
    http::Response res = http::Response::text(200, json::statistics_csv(*s));
    res.headers.set("Content-Type", "text/csv; charset=utf-8");
    res.headers.set("Content-Disposition", "attachment; filename=\"statistik-pengaduan.csv\"");
    return res;
  };
  app.router
      .get("/api/v1/complaints/statistics",
           [statistics](http::Request& req) { return statistics(req, false); })
      .public_cache_ms(60'000);
  app.router
      .get("/api/v1/complaints/statistics.csv",
           [statistics](http::Request& req) { return statistics(req, true); })
      .public_cache_ms(60'000);

  app.router.get("/api/v1/me/complaints", [&service, &app, zone](http::Request& req) {
    const auto* actor = security::current_actor(req);
    if (!actor) return http::api_error(req, sign_in_first());
    auto list = service.mine(*actor);
    if (!list) return http::api_error(req, list.error());
    const auto now = app.clock.now();
    boost::json::array items;
    for (const auto& c : *list) items.push_back(json::complaint(c, zone, now, true));
    return http::private_json_response(200, boost::json::object{{"complaints", std::move(items)}});
  });

  app.router.get("/api/v1/complaints/{tracking}", [&service, &app, zone](http::Request& req) {
    auto v = service.view(security::current_actor(req), req.param("tracking"));
    if (!v) return http::api_error(req, v.error());
    return http::private_json_response(200, json::view(*v, zone, app.clock.now()));
  });

  app.router.get("/api/v1/complaints/{tracking}/photos/{id:uuid}", [&service](http::Request& req) {
    const auto* actor = security::current_actor(req);
    auto photo = service.photo(actor, req.param("tracking"), req.param("id"));
    if (!photo) return http::api_error(req, photo.error());
    http::Response res;
    res.status = 200;
    res.body = std::move(photo->bytes);
    res.headers.set("Content-Type", photo->media_type);
    // Public reports' photos are public; a confidential one's never leaves a private cache.
    res.headers.set("Cache-Control", actor ? "private, no-store" : "public, max-age=86400");
    return res;
  });

  auto reporter_action = [&app](std::string_view pattern, auto&& act) {
    app.router
        .post(pattern,
              [act](http::Request& req) {
                const auto* actor = security::current_actor(req);
                if (!actor) return http::api_error(req, sign_in_first());
                boost::json::object body;
                if (!req.body.empty() || req.content_type() == "application/json") {
                  auto parsed = http::parse_json_object(req, {16 * 1024, 4});
                  if (!parsed) return http::api_error(req, parsed.error());
                  body = std::move(*parsed);
                }
                core::Status s = act(*actor, req, body);
                if (!s) return http::api_error(req, s.error());
                return http::private_json_response(200, boost::json::object{{"ok", true}});
              })
        .body_limit(16 * 1024);
  };
  reporter_action(
      "/api/v1/complaints/{tracking}/support",
      [&service](const security::Actor& a, http::Request& req, const boost::json::object&) {
        return service.support(a, req.param("tracking"), facts_of(req, "api"));
      });
  reporter_action("/api/v1/complaints/{tracking}/comments",
                  [&service](const security::Actor& a, http::Request& req,
                             const boost::json::object& o) -> core::Status {
                    auto text = http::string_member(o, "text");
                    if (!text) return missing_fields({"text"});
                    return service.comment(a, req.param("tracking"), *text, facts_of(req, "api"));
                  });
  reporter_action(
      "/api/v1/complaints/{tracking}/confirm",
      [&service](const security::Actor& a, http::Request& req, const boost::json::object&) {
        return service.confirm(a, req.param("tracking"), facts_of(req, "api"));
      });
  reporter_action("/api/v1/complaints/{tracking}/reopen",
                  [&service](const security::Actor& a, http::Request& req,
                             const boost::json::object& o) -> core::Status {
                    auto reason = http::string_member(o, "reason");
                    if (!reason) return missing_fields({"reason"});
                    return service.reopen(a, req.param("tracking"), *reason, facts_of(req, "api"));
                  });
  reporter_action(
      "/api/v1/complaints/{tracking}/rating",
      [&service](const security::Actor& a, http::Request& req,
                 const boost::json::object& o) -> core::Status {
        auto* rating = o.if_contains("rating");
        if (!rating) return missing_fields({"rating"});
        if (!rating->is_int64())
          return core::Error{
              core::ErrorCode::validation_failed, "Rate from 1 to 4.", {{"rating", "1 to 4"}}};
        auto comment = o.if_contains("comment");
        if (comment && !comment->is_string() && !comment->is_null())
          return core::Error{core::ErrorCode::validation_failed,
                             "The comment must be text.",
                             {{"comment", "must be a string"}}};
        const std::string text =
            comment && comment->is_string() ? std::string(comment->as_string()) : std::string();
        const int64_t r = rating->as_int64();
        return service.rate(a, req.param("tracking"), r < 0 || r > 100 ? 0 : static_cast<int>(r),
                            text, facts_of(req, "api"));
      });
}

}  // namespace balai::complaints
