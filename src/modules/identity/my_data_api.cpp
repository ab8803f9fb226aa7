// JSON routes of "Data Saya" and of the staff who handle citizens' data:
//   GET   /api/v1/me                         my personal data, decrypted for me alone
//   PATCH /api/v1/me                         {street, village_code, phone}
//   GET   /api/v1/me/access-log              who read my data, when and why
//   GET   /api/v1/me/consents                my consents and their history
//   PUT   /api/v1/me/consents/{purpose}      {granted: true|false}
//   GET   /api/v1/me/export                  everything, as a JSON file
//   PUT   /api/v1/me/ktp                     a photo of my KTP (image/jpeg|png|webp body)
//   GET   /api/v1/me/data-requests           my correction / deletion / restriction requests
//   POST  /api/v1/me/data-requests           {kind, details}
//   GET   /api/v1/citizens/{id}?purpose=     staff: one citizen, the read audited
//   GET   /api/v1/identity/verifications     officers: identities waiting
//   POST  /api/v1/identity/verifications/{id}/decision   {verified, reason}
//   GET   /api/v1/identity/data-requests     officers: the requests queue
//   POST  /api/v1/identity/data-requests/{id}/outcome    {done, outcome}
//   GET   /api/v1/transparency               public counts
#include <boost/json.hpp>

#include "http/json.h"
#include "modules/identity/json.h"
#include "modules/identity/routes.h"
#include "modules/identity/service.h"
#include "security/actor.h"

namespace balai::identity {
namespace {

constexpr uint64_t kJsonLimit = 16 * 1024;

const security::Actor* actor_or_null(const http::Request& req) {
  return security::current_actor(req);
}

std::optional<bool> bool_field(const boost::json::object& o, std::string_view name) {
  auto* v = o.if_contains(name);
  if (!v || !v->is_bool()) return std::nullopt;
  return v->as_bool();
}

}  // namespace

void install_my_data_api(app::App& app, IdentityService& service) {
  auto& router = app.router;
  const core::Zone zone = app.config.city.zone;

  router.get("/api/v1/me", [&service, zone](http::Request& req) {
    const auto* actor = actor_or_null(req);
    if (!actor) return unauthenticated(req);
    auto profile = service.my_profile(*actor);
    if (!profile) return error(req, profile.error());
    return http::private_json_response(200, profile_json(*profile, zone));
  });

  router
      .patch("/api/v1/me",
             [&service, zone](http::Request& req) {
               const auto* actor = actor_or_null(req);
               if (!actor) return unauthenticated(req);
               auto o = json_object(req, kJsonLimit);
               if (!o) return error(req, o.error());
               auto current = service.my_profile(*actor);
               if (!current) return error(req, current.error());
               const Citizen& c = current->citizen;
               for (const char* name : {"street", "village_code", "phone"}) {
                 if (auto* v = o->if_contains(name); v && !v->is_string())
                   return error(req, core::Error{core::ErrorCode::validation_failed,
                                                 "Must be a string.",
                                                 {{name, "not_a_string"}}});
               }
               auto s = service.update_my_contact(
                   *actor, string_field(*o, "street").value_or(c.street),
                   string_field(*o, "village_code").value_or(c.village_code),
                   string_field(*o, "phone").value_or(c.phone), facts_of(req, "api"));
               if (!s) return error(req, s.error());
               auto updated = service.my_profile(*actor);
               if (!updated) return error(req, updated.error());
               return http::private_json_response(200, profile_json(*updated, zone));
             })
      .body_limit(kJsonLimit);

  router.get("/api/v1/me/access-log", [&service, zone](http::Request& req) {
    const auto* actor = actor_or_null(req);
    if (!actor) return unauthenticated(req);
    auto log = service.my_access_log(*actor);
    if (!log) return error(req, log.error());
    boost::json::array items;
    for (const auto& a : *log) items.push_back(access_json(a, zone));
    return http::private_json_response(200, boost::json::object{{"entries", std::move(items)}});
  });

  router.get("/api/v1/me/consents", [&service, zone](http::Request& req) {
    const auto* actor = actor_or_null(req);
    if (!actor) return unauthenticated(req);
    auto history = service.my_consents(*actor);
    if (!history) return error(req, history.error());
    boost::json::object current;
    boost::json::array items;
    for (const auto& c : *history) {
      if (!current.contains(c.purpose)) current[c.purpose] = c.granted;
      items.push_back(consent_json(c, zone));
    }
    return http::private_json_response(
        200, boost::json::object{{"current", std::move(current)}, {"history", std::move(items)}});
  });

  router
      .put("/api/v1/me/consents/{purpose}",
           [&service](http::Request& req) {
             const auto* actor = actor_or_null(req);
             if (!actor) return unauthenticated(req);
             auto o = json_object(req, kJsonLimit);
             if (!o) return error(req, o.error());
             auto granted = bool_field(*o, "granted");
             if (!granted)
               return error(req, core::Error{core::ErrorCode::validation_failed,
                                             "granted must be true or false.",
                                             {{"granted", "required"}}});
             if (auto s = service.set_consent(*actor, req.param("purpose"), *granted,
                                              facts_of(req, "api"));
                 !s)
               return error(req, s.error());
             return http::private_json_response(
                 200,
                 boost::json::object{{"purpose", req.param("purpose")}, {"granted", *granted}});
           })
      .body_limit(kJsonLimit);

  router.get("/api/v1/me/export", [&service, &app, zone](http::Request& req) {
    const auto* actor = actor_or_null(req);
    if (!actor) return unauthenticated(req);
    auto data = service.export_my_data(*actor, facts_of(req, "api"));
    if (!data) return error(req, data.error());
    http::Response res =
        http::private_json_response(200, export_json(*data, zone, app.clock.now()));
    res.headers.set("Content-Disposition", "attachment; filename=\"data-saya.json\"");
    return res;
  });

  router
      .put("/api/v1/me/ktp",
           [&service](http::Request& req) {
             const auto* actor = actor_or_null(req);
             if (!actor) return unauthenticated(req);
             const std::string type = req.content_type();
             if (type != "image/jpeg" && type != "image/png" && type != "image/webp")
               return error(req, core::make_error(core::ErrorCode::unsupported_media,
                                                  "Send the photo as image/jpeg, image/png or "
                                                  "image/webp."));
             if (auto s = service.upload_ktp(*actor, req.body, facts_of(req, "api")); !s)
               return error(req, s.error());
             http::Response res;
             res.status = 204;
             return res;
           })
      .body_limit(app.config.identity.ktp_max_bytes + 1024);

  router.get("/api/v1/me/data-requests", [&service, &app, zone](http::Request& req) {
    const auto* actor = actor_or_null(req);
    if (!actor) return unauthenticated(req);
    auto list = service.my_data_requests(*actor);
    if (!list) return error(req, list.error());
    boost::json::array items;
    for (const auto& r : *list) items.push_back(data_request_json(r, zone, app.clock.now(), false));
    return http::private_json_response(200, boost::json::object{{"requests", std::move(items)}});
  });

  router
      .post("/api/v1/me/data-requests",
            [&service, &app, zone](http::Request& req) {
              const auto* actor = actor_or_null(req);
              if (!actor) return unauthenticated(req);
              auto o = json_object(req, kJsonLimit);
              if (!o) return error(req, o.error());
              auto made = service.make_data_request(*actor, string_field(*o, "kind").value_or(""),
                                                    string_field(*o, "details").value_or(""),
                                                    facts_of(req, "api"));
              if (!made) return error(req, made.error());
              return http::private_json_response(
                  201, data_request_json(*made, zone, app.clock.now(), false));
            })
      .body_limit(kJsonLimit);

  router.get("/api/v1/citizens/{id:uuid}", [&service, zone](http::Request& req) {
    const auto* actor = actor_or_null(req);
    if (!actor) return unauthenticated(req);
    auto profile = service.citizen_for_staff(
        *actor, req.param("id"), req.query_param("purpose").value_or(""), facts_of(req, "api"));
    if (!profile) return error(req, profile.error());
    return http::private_json_response(200, profile_json(*profile, zone));
  });

  router.get("/api/v1/identity/verifications", [&service, zone](http::Request& req) {
    const auto* actor = actor_or_null(req);
    if (!actor) return unauthenticated(req);
    auto queue = service.verification_queue(*actor);
    if (!queue) return error(req, queue.error());
    boost::json::array items;
    for (const auto& c : *queue)
      items.push_back({{"citizen_id", c.citizen_id},
                       {"uploaded_at", core::format_iso8601(c.uploaded_at, zone)}});
    return http::private_json_response(200, boost::json::object{{"waiting", std::move(items)}});
  });

  router
      .post("/api/v1/identity/verifications/{id:uuid}/decision",
            [&service](http::Request& req) {
              const auto* actor = actor_or_null(req);
              if (!actor) return unauthenticated(req);
              auto o = json_object(req, kJsonLimit);
              if (!o) return error(req, o.error());
              auto verified = bool_field(*o, "verified");
              if (!verified) return error(req, missing({"verified"}));
              if (auto s = service.decide_identity(*actor, req.param("id"), *verified,
                                                   string_field(*o, "reason").value_or(""),
                                                   facts_of(req, "api"));
                  !s)
                return error(req, s.error());
              return http::private_json_response(
                  200,
                  boost::json::object{{"citizen_id", req.param("id")}, {"verified", *verified}});
            })
      .body_limit(kJsonLimit);

  router.get("/api/v1/identity/data-requests", [&service, &app, zone](http::Request& req) {
    const auto* actor = actor_or_null(req);
    if (!actor) return unauthenticated(req);
    auto queue = service.data_request_queue(*actor);
    if (!queue) return error(req, queue.error());
    boost::json::array items;
    for (const auto& r : *queue) {
      // The queue shows kinds and deadlines; the details are read per request (audited).
      auto j = data_request_json(r, zone, app.clock.now(), true);
      j.erase("details");
      j.erase("outcome");
      items.push_back(std::move(j));
    }
    return http::private_json_response(200, boost::json::object{{"requests", std::move(items)}});
  });

  router
      .post("/api/v1/identity/data-requests/{id:uuid}/outcome",
            [&service, &app, zone](http::Request& req) {
              const auto* actor = actor_or_null(req);
              if (!actor) return unauthenticated(req);
              auto o = json_object(req, kJsonLimit);
              if (!o) return error(req, o.error());
              auto done = bool_field(*o, "done");
              if (!done) return error(req, missing({"done"}));
              auto handled = service.handle_data_request(*actor, req.param("id"), *done,
                                                         string_field(*o, "outcome").value_or(""),
                                                         facts_of(req, "api"));
              if (!handled) return error(req, handled.error());
              return http::private_json_response(
                  200, data_request_json(*handled, zone, app.clock.now(), true));
            })
      .body_limit(kJsonLimit);

  router.get("/api/v1/transparency", [&service, &app](http::Request& req) {
    auto figures = service.transparency(app.clock.now());
    if (!figures) return error(req, figures.error());
    http::Response res = http::json_response(200, transparency_json(*figures));
    res.headers.set("Cache-Control", "public, max-age=300");
    return res;
  });
}

}  // namespace balai::identity
