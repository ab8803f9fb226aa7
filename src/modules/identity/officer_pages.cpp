// HTML routes of the officers of the verifying agency (identity.verifying_agency, Disdukcapil),
// for browsers without JavaScript (IdentityService does the work and the auditing):
//   GET  /petugas/verifikasi                     identities waiting, oldest first
//   GET  /petugas/verifikasi/{id}                the purpose of opening a citizen's data
//   POST /petugas/verifikasi/{id}/buka           with the purpose: the data, the KTP photo and
//                                                the decision form (the read is audited)
//   GET  /petugas/verifikasi/{id}/ktp            the photo's bytes (audited, never cached)
//   POST /petugas/verifikasi/{id}/putuskan       verified, or rejected with a reason
//   GET  /petugas/permintaan-data                data requests with their deadlines
//   POST /petugas/permintaan-data/{id}/buka      one request with the requester's data (audited)
//   POST /petugas/permintaan-data/{id}           done or refused, with what was done
// Anonymous visitors are sent to sign in; everyone else but these officers gets 403.
#include <boost/json.hpp>

#include "core/text.h"
#include "http/form.h"
#include "http/json.h"
#include "modules/identity/page_support.h"
#include "modules/identity/routes.h"
#include "modules/identity/rules.h"
#include "modules/identity/service.h"
#include "security/actor.h"
#include "security/policy.h"

namespace balai::identity {
namespace {

using pages::FieldErrors;
using pages::text;
using pages::value;

constexpr uint64_t kFormLimit = 16 * 1024;
constexpr const char* kVerify = "identity.verify";
constexpr const char* kHandleRequests = "identity.requests.handle";

// The answer to anyone who may not do `action` for the verifying agency; nullopt for those who
// may. `back` is where a person who is not signed in returns after signing in.
std::optional<http::Response> refuse_unless(app::App& app, const http::Request& req,
                                            const security::Actor* actor, std::string_view action,
                                            std::string_view back) {
  if (!actor) return pages::sign_in_first(back);
  if (!app.security.policy.authorize(actor, action, {"", app.config.identity.verifying_agency}))
    return app.renderer.error_page(req, 403);
  return std::nullopt;
}

// A service refusal as a page: 403 and 404 as such, anything else as the error page.
http::Response refusal_page(app::App& app, const http::Request& req, const core::Error& e) {
  return app.renderer.error_page(req, http::status_for(e.code));
}

// --- Identity verification ----------------------------------------------------------------

http::Response queue_page(app::App& app, IdentityService& service, const http::Request& req,
                          const security::Actor& officer, int status, const FieldErrors& errors) {
  auto queue = service.verification_queue(officer);
  if (!queue) return refusal_page(app, req, queue.error());
  boost::json::array rows;
  for (const auto& c : *queue)
    rows.push_back({{"id", c.citizen_id},
                    {"uploaded", pages::local_time(app, req, c.uploaded_at)},
                    {"uploaded_iso", pages::iso_time(app, c.uploaded_at)}});
  boost::json::object model{{"title", text(app, req, "identity.officer.queue_title")},
                            {"nav_current", {{"officer_verify", true}}},
                            {"has_cases", !rows.empty()},
                            {"cases", std::move(rows)}};
  if (req.query_param("ok") == std::optional<std::string>("decided"))
    model["ok_message"] = text(app, req, "identity.officer.decided");
  errors.put(model);
  return pages::private_page(app, status, "officer_verifications", req, std::move(model));
}

boost::json::object citizen_model(const app::App& app, const http::Request& req, const Profile& p) {
  const Citizen& c = p.citizen;
  return {
      {"id", c.id},
      {"nik", c.nik},
      {"full_name", c.full_name},
      {"birth_date", pages::long_date(app, req, c.birth_date)},
      {"sex", text(app, req, "identity.fields." + std::string(to_string(c.sex)))},
      {"street", c.street},
      {"region", p.region_names},
      {"phone", c.phone},
      {"email", c.email},
      {"assurance", text(app, req, "identity.assurance." + std::string(to_string(c.assurance)))}};
}

// The case page: the purpose form (no data yet), or the data with the photo and the decision.
http::Response case_page(app::App& app, const http::Request& req, int status,
                         std::string_view citizen_id, std::string_view purpose,
                         const Profile* profile, const FieldErrors& errors,
                         std::string_view decision = "", std::string_view reason = "") {
  boost::json::object model{{"title", text(app, req, "identity.officer.case_title")},
                            {"nav_current", {{"officer_verify", true}}},
                            {"id", citizen_id},
                            {"purpose", purpose}};
  if (profile) {
    boost::json::object c = citizen_model(app, req, *profile);
    c["pending"] = profile->citizen.assurance == Assurance::pending;
    c["has_photo"] = profile->citizen.has_ktp_photo;
    model["citizen"] = std::move(c);
    boost::json::array reasons;
    for (std::string_view r : rules::rejection_reasons())
      reasons.push_back({{"value", r},
                         {"id", "alasan-" + std::string(r)},
                         {"label", text(app, req, "identity.rejection." + std::string(r))},
                         {"checked", r == reason}});
    model["reasons"] = std::move(reasons);
    if (decision == "verified") model["decision_verified"] = true;
    if (decision == "rejected") model["decision_rejected"] = true;
  }
  errors.put(model);
  return pages::private_page(app, status, "officer_case", req, std::move(model));
}

// --- Data requests ------------------------------------------------------------------------

boost::json::object request_row(const app::App& app, const http::Request& req, const DataRequest& r,
                                core::Timestamp now) {
  const bool open = r.status == DataRequestStatus::open;
  boost::json::object o{
      {"id", r.id},
      {"kind", text(app, req, "identity.request_kind." + std::string(to_string(r.kind)))},
      {"status", text(app, req, "identity.request_status." + std::string(to_string(r.status)))},
      {"created", pages::local_time(app, req, r.created_at)},
      {"created_iso", pages::iso_time(app, r.created_at)},
      {"due", pages::local_time(app, req, r.due_at)},
      {"due_iso", pages::iso_time(app, r.due_at)},
      {"open", open},
      {"overdue", open && now > r.due_at},
      {"in_time", rules::handled_in_time(r, now)}};
  if (r.handled_at) {
    o["handled"] = pages::local_time(app, req, *r.handled_at);
    o["handled_iso"] = pages::iso_time(app, *r.handled_at);
  }
  return o;
}

http::Response requests_page(app::App& app, IdentityService& service, const http::Request& req,
                             const security::Actor& officer, int status,
                             const FieldErrors& errors) {
  auto queue = service.data_request_queue(officer);
  if (!queue) return refusal_page(app, req, queue.error());
  const core::Timestamp now = app.clock.now();
  boost::json::array rows;
  // The details hold personal data: they are shown per request, when the read is audited.
  for (const auto& r : *queue) rows.push_back(request_row(app, req, r, now));
  boost::json::object model{{"title", text(app, req, "identity.officer.requests_title")},
                            {"nav_current", {{"officer_requests", true}}},
                            {"has_requests", !rows.empty()},
                            {"requests", std::move(rows)}};
  if (req.query_param("ok") == std::optional<std::string>("handled"))
    model["ok_message"] = text(app, req, "identity.officer.handled");
  errors.put(model);
  return pages::private_page(app, status, "officer_requests", req, std::move(model));
}

// One request with its details and the requester's data, read with the purpose of handling it
// (audited, shown to the citizen). `done`/`outcome` refill the form after an error.
http::Response request_page(app::App& app, IdentityService& service, const http::Request& req,
                            const security::Actor& officer, std::string_view id, int status,
                            const FieldErrors& errors, std::string_view done = "",
                            std::string_view outcome = "") {
  auto queue = service.data_request_queue(officer);
  if (!queue) return refusal_page(app, req, queue.error());
  const DataRequest* request = nullptr;
  for (const auto& r : *queue)
    if (r.id == id) request = &r;
  if (!request) return app.renderer.error_page(req, 404);
  auto profile = service.citizen_for_staff(officer, request->citizen_id,
                                           "penanganan permintaan data " + request->id,
                                           facts_of(req, "portal"));
  if (!profile) return refusal_page(app, req, profile.error());
  boost::json::object r = request_row(app, req, *request, app.clock.now());
  r["details"] = request->details;
  if (!request->outcome.empty()) r["outcome"] = request->outcome;
  boost::json::object model{{"title", text(app, req, "identity.officer.request_title")},
                            {"nav_current", {{"officer_requests", true}}},
                            {"request", std::move(r)},
                            {"citizen", citizen_model(app, req, *profile)},
                            {"outcome_text", outcome}};
  if (done == "done") model["done_checked"] = true;
  if (done == "refused") model["refused_checked"] = true;
  errors.put(model);
  return pages::private_page(app, status, "officer_requests", req, std::move(model));
}

}  // namespace

void install_officer_pages(app::App& app, IdentityService& service) {
  auto& router = app.router;

  router.get("/petugas/verifikasi", [&app, &service](http::Request& req) {
    const auto* officer = security::current_actor(req);
    if (auto refused = refuse_unless(app, req, officer, kVerify, "/petugas/verifikasi"))
      return std::move(*refused);
    return queue_page(app, service, req, *officer, 200, FieldErrors{});
  });

  router.get("/petugas/verifikasi/{id:uuid}", [&app](http::Request& req) {
    const auto* officer = security::current_actor(req);
    if (auto refused = refuse_unless(app, req, officer, kVerify, "/petugas/verifikasi"))
      return std::move(*refused);
    return case_page(app, req, 200, req.param("id"),
                     text(app, req, "identity.officer.default_purpose"), nullptr, FieldErrors{});
  });

  router
      .post(
          "/petugas/verifikasi/{id:uuid}/buka",
          [&app, &service](http::Request& req) {
            const auto* officer = security::current_actor(req);
            if (auto refused = refuse_unless(app, req, officer, kVerify, "/petugas/verifikasi"))
              return std::move(*refused);
            auto form = http::parse_form(req);
            if (!form) return app.renderer.error_page(req, http::status_for(form.error().code));
            const std::string purpose(core::trim(value(*form, "tujuan")));
            auto profile = service.citizen_for_staff(*officer, req.param("id"), purpose,
                                                     facts_of(req, "portal"));
            if (!profile) {
              if (profile.error().code != core::ErrorCode::validation_failed)
                return refusal_page(app, req, profile.error());
              FieldErrors errors;
              pages::add_service_errors(errors, app, req, profile.error(), {{"purpose", "tujuan"}});
              return case_page(app, req, 422, req.param("id"), purpose, nullptr, errors);
            }
            return case_page(app, req, 200, req.param("id"), purpose, &*profile, FieldErrors{});
          })
      .body_limit(kFormLimit);

  router.get("/petugas/verifikasi/{id:uuid}/ktp", [&app, &service](http::Request& req) {
    const auto* officer = security::current_actor(req);
    if (auto refused = refuse_unless(app, req, officer, kVerify, "/petugas/verifikasi"))
      return std::move(*refused);
    auto photo = service.ktp_photo_for_officer(*officer, req.param("id"), facts_of(req, "portal"));
    if (!photo) return refusal_page(app, req, photo.error());
    http::Response res;
    res.status = 200;
    res.body = std::move(photo->bytes);
    res.headers.set("Content-Type", photo->media_type);
    res.headers.set("Cache-Control", "no-store");
    res.headers.set("X-Content-Type-Options", "nosniff");
    res.headers.set("Content-Disposition", "inline");
    return res;
  });

  router
      .post("/petugas/verifikasi/{id:uuid}/putuskan",
            [&app, &service](http::Request& req) {
              const auto* officer = security::current_actor(req);
              if (auto refused = refuse_unless(app, req, officer, kVerify, "/petugas/verifikasi"))
                return std::move(*refused);
              auto form = http::parse_form(req);
              if (!form) return app.renderer.error_page(req, http::status_for(form.error().code));
              const std::string decision = value(*form, "keputusan");
              const std::string reason = value(*form, "alasan");
              const std::string purpose(core::trim(value(*form, "tujuan")));
              FieldErrors errors;
              if (decision != "verified" && decision != "rejected") {
                errors.add("decision", "keputusan-verified",
                           pages::field_message(app, req, "decision", "required"));
              } else {
                auto decided =
                    service.decide_identity(*officer, req.param("id"), decision == "verified",
                                            reason, facts_of(req, "portal"));
                if (decided) return http::Response::redirect("/petugas/verifikasi?ok=decided");
                const auto& e = decided.error();
                if (e.code == core::ErrorCode::conflict) {
                  FieldErrors taken;
                  taken.add_general(text(app, req, "identity.officer.not_waiting"));
                  return queue_page(app, service, req, *officer, 409, taken);
                }
                if (e.code != core::ErrorCode::validation_failed) return refusal_page(app, req, e);
                pages::add_service_errors(errors, app, req, e,
                                          {{"reason", "alasan-photo_unreadable"}});
                if (errors.empty()) errors.add_general(text(app, req, "identity.errors.generic"));
              }
              // The form again, with the data: another read, under the purpose already given.
              auto profile = service.citizen_for_staff(*officer, req.param("id"), purpose,
                                                       facts_of(req, "portal"));
              if (!profile) return refusal_page(app, req, profile.error());
              return case_page(app, req, 422, req.param("id"), purpose, &*profile, errors, decision,
                               reason);
            })
      .body_limit(kFormLimit);

  router.get("/petugas/permintaan-data", [&app, &service](http::Request& req) {
    const auto* officer = security::current_actor(req);
    if (auto refused =
            refuse_unless(app, req, officer, kHandleRequests, "/petugas/permintaan-data"))
      return std::move(*refused);
    return requests_page(app, service, req, *officer, 200, FieldErrors{});
  });

  router
      .post("/petugas/permintaan-data/{id:uuid}/buka",
            [&app, &service](http::Request& req) {
              const auto* officer = security::current_actor(req);
              if (auto refused =
                      refuse_unless(app, req, officer, kHandleRequests, "/petugas/permintaan-data"))
                return std::move(*refused);
              return request_page(app, service, req, *officer, req.param("id"), 200, FieldErrors{});
            })
      .body_limit(kFormLimit);

  router
      .post("/petugas/permintaan-data/{id:uuid}",
            [&app, &service](http::Request& req) {
              const auto* officer = security::current_actor(req);
              if (auto refused =
                      refuse_unless(app, req, officer, kHandleRequests, "/petugas/permintaan-data"))
                return std::move(*refused);
              auto form = http::parse_form(req);
              if (!form) return app.renderer.error_page(req, http::status_for(form.error().code));
              const std::string done = value(*form, "hasil");
              const std::string outcome = value(*form, "outcome");
              FieldErrors errors;
              if (done != "done" && done != "refused") {
                errors.add("result", "hasil-done",
                           pages::field_message(app, req, "result", "required"));
                if (core::trim(outcome).empty())
                  errors.add("outcome", "outcome",
                             pages::field_message(app, req, "outcome", "required"));
              } else {
                auto handled = service.handle_data_request(
                    *officer, req.param("id"), done == "done", outcome, facts_of(req, "portal"));
                if (handled) return http::Response::redirect("/petugas/permintaan-data?ok=handled");
                const auto& e = handled.error();
                if (e.code == core::ErrorCode::conflict) {
                  FieldErrors taken;
                  taken.add_general(text(app, req, "identity.officer.already_handled"));
                  return requests_page(app, service, req, *officer, 409, taken);
                }
                if (e.code != core::ErrorCode::validation_failed) return refusal_page(app, req, e);
                pages::add_service_errors(errors, app, req, e, {{"outcome", "outcome"}});
                if (errors.empty()) errors.add_general(text(app, req, "identity.errors.generic"));
              }
              return request_page(app, service, req, *officer, req.param("id"), 422, errors, done,
                                  outcome);
            })
      .body_limit(kFormLimit);
}

}  // namespace balai::identity
