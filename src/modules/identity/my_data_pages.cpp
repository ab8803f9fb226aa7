// HTML routes of "Data Saya" (a citizen's own data under UU 27/2022) and of the public
// transparency figures, for browsers without JavaScript (IdentityService does the work):
//   GET  /data-saya                     my data, who read it, consents, export, requests,
//                                       identity verification, contact and password forms
//   POST /data-saya/persetujuan         the consents (one checkbox per purpose)
//   POST /data-saya/permintaan          a correction / deletion / restriction request
//   POST /data-saya/ktp                 a photo of my KTP (multipart)
//   POST /data-saya/kontak              street, region and phone
//   POST /data-saya/kontak/konfirmasi   the code sent to a new phone number (or send it again)
//   POST /data-saya/email               a new email address (a code goes to it)
//   POST /data-saya/email/konfirmasi    the code sent to the new email address
//   POST /data-saya/sandi               a new password (signs out everywhere)
//   GET  /transparansi                  public counts: reads per agency, requests, security events
// Each POST answers 303 back to /data-saya?ok=<what>#<section> (no personal data in the
// address), or shows the page again with the errors (422).
#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>
#include <memory>
#include <optional>

#include "core/text.h"
#include "http/form.h"
#include "http/json.h"
#include "modules/catalog/service.h"
#include "modules/identity/page_support.h"
#include "modules/identity/routes.h"
#include "modules/identity/rules.h"
#include "modules/identity/service.h"
#include "modules/regions/picker.h"
#include "security/actor.h"
#include "security/authentication.h"

namespace balai::identity {
namespace {

using pages::FieldErrors;
using pages::text;
using pages::value;

constexpr uint64_t kFormLimit = 16 * 1024;
constexpr std::string_view kPicker = "kontak";
constexpr size_t kAccessShown = 50;
constexpr size_t kConsentHistoryShown = 20;
constexpr std::string_view kOkKinds[] = {"consents",   "request",      "ktp",
                                         "contact",    "phone",        "phone_code_sent",
                                         "email_code", "email_changed"};

// What a form on the page was sent with, when the page is shown again because of errors.
struct Resubmitted {
  FieldErrors errors;
  std::optional<std::string> street, region, phone;  // the contact form
  std::string kind, details;                         // the request form
  std::string new_email;                             // the email form
};

std::string or_dash(std::string_view s) {
  return s.empty() ? std::string("—") : std::string(s);
}

boost::json::object profile_model(const app::App& app, const http::Request& req, const Profile& p) {
  const Citizen& c = p.citizen;
  boost::json::object o{
      {"nik", c.nik},
      {"full_name", c.full_name},
      {"birth_date", pages::long_date(app, req, c.birth_date)},
      {"sex", text(app, req, "identity.fields." + std::string(to_string(c.sex)))},
      {"street", c.street},
      {"region", p.region_names},
      {"phone", c.phone},
      {"email", c.email},
      {"registered", pages::local_time(app, req, c.created_at)},
      {"registered_iso", pages::iso_time(app, c.created_at)},
      {"email_confirmed", c.email_confirmed_at.has_value()},
      {"phone_confirmed", c.phone_confirmed_at.has_value()},
      {"assurance", text(app, req, "identity.assurance." + std::string(to_string(c.assurance)))},
      {"assurance_" + std::string(to_string(c.assurance)), true}};
  if (c.assurance == Assurance::rejected && !c.assurance_reason.empty())
    o["rejection_reason"] = text(app, req, "identity.rejection." + c.assurance_reason);
  if (c.decided_at) {
    o["decided"] = pages::local_time(app, req, *c.decided_at);
    o["decided_iso"] = pages::iso_time(app, *c.decided_at);
  }
  return o;
}

boost::json::object request_model(const app::App& app, const http::Request& req,
                                  const DataRequest& r, core::Timestamp now) {
  const bool in_time = rules::handled_in_time(r, now);
  boost::json::object o{
      {"id", r.id},
      {"kind", text(app, req, "identity.request_kind." + std::string(to_string(r.kind)))},
      {"details", r.details},
      {"status", text(app, req, "identity.request_status." + std::string(to_string(r.status)))},
      {"created", pages::local_time(app, req, r.created_at)},
      {"created_iso", pages::iso_time(app, r.created_at)},
      {"due", pages::local_time(app, req, r.due_at)},
      {"due_iso", pages::iso_time(app, r.due_at)},
      {"in_time", in_time},
      {"open", r.status == DataRequestStatus::open}};
  if (!r.outcome.empty()) o["outcome"] = r.outcome;
  if (r.handled_at) {
    o["handled"] = pages::local_time(app, req, *r.handled_at);
    o["handled_iso"] = pages::iso_time(app, *r.handled_at);
  }
  return o;
}

http::Response my_data_page(app::App& app, IdentityService& service,
                            const pages::AgencyNames& agencies, const http::Request& req,
                            const security::Actor& actor, int status, Resubmitted in) {
  auto profile = service.my_profile(actor);
  if (!profile) return app.renderer.error_page(req, http::status_for(profile.error().code));
  auto log = service.my_access_log(actor);
  auto consents = service.my_consents(actor);
  auto requests = service.my_data_requests(actor);
  if (!log || !consents || !requests) return app.renderer.error_page(req, 503);
  const core::Timestamp now = app.clock.now();
  const Citizen& c = profile->citizen;

  boost::json::object model{{"title", text(app, req, "identity.my_data.title")},
                            {"nav_current", {{"my_data", true}}},
                            {"me", profile_model(app, req, *profile)}};
  if (auto ok = req.query_param("ok"))
    for (std::string_view kind : kOkKinds)
      if (*ok == kind) model["ok_message"] = text(app, req, "identity.my_data.ok." + *ok);

  // Who read my data.
  const auto names = agencies.in(req.context.lang);
  boost::json::array access;
  for (size_t i = 0; i < log->size() && i < kAccessShown; ++i) {
    const AccessLogEntry& a = (*log)[i];
    auto agency = names.find(a.agency_code);
    access.push_back(
        {{"at", pages::local_time(app, req, a.at)},
         {"at_iso", pages::iso_time(app, a.at)},
         {"who", a.actor_name.empty() ? text(app, req, "identity.access.system") : a.actor_name},
         {"role",
          a.actor_role.empty() ? std::string("—") : text(app, req, "roles." + a.actor_role)},
         {"agency", agency != names.end() ? agency->second : or_dash(a.agency_code)},
         {"what",
          pages::text_or(app, req, "identity.object." + a.object_type, "identity.object.other")},
         {"purpose", or_dash(a.purpose)}});
  }
  if (!access.empty()) {
    model["has_access"] = true;
    model["access"] = std::move(access);
  }
  if (log->size() > kAccessShown) model["access_more"] = true;

  // Consents: the current state of each purpose (the newest change), and the history.
  boost::json::array purposes;
  for (std::string_view p : rules::consent_purposes()) {
    bool granted = false;
    for (const auto& h : *consents)
      if (h.purpose == p) {
        granted = h.granted;
        break;
      }
    const std::string key = "identity.consent." + std::string(p);
    purposes.push_back({{"value", p},
                        {"id", "setuju-" + std::string(p)},
                        {"label", text(app, req, key + ".label")},
                        {"hint", text(app, req, key + ".hint")},
                        {"checked", granted}});
  }
  model["purposes"] = std::move(purposes);
  boost::json::array history;
  for (size_t i = 0; i < consents->size() && i < kConsentHistoryShown; ++i) {
    const ConsentChange& h = (*consents)[i];
    history.push_back(
        {{"at", pages::local_time(app, req, h.at)},
         {"at_iso", pages::iso_time(app, h.at)},
         {"label", text(app, req, "identity.consent." + h.purpose + ".label")},
         {"change",
          text(app, req, h.granted ? "identity.consent.given" : "identity.consent.withdrawn")},
         {"via", text(app, req, "identity.consent.via_" + (h.via == "api" ? h.via : "portal"))}});
  }
  if (!history.empty()) {
    model["has_consent_history"] = true;
    model["consent_history"] = std::move(history);
  }

  // Requests.
  boost::json::array list;
  for (const DataRequest& r : *requests) list.push_back(request_model(app, req, r, now));
  if (!list.empty()) {
    model["has_requests"] = true;
    model["requests"] = std::move(list);
  }
  boost::json::array kinds;
  for (DataRequestKind k :
       {DataRequestKind::correction, DataRequestKind::deletion, DataRequestKind::restriction}) {
    const std::string name(to_string(k));
    kinds.push_back({{"value", name},
                     {"id", "permintaan-" + name},
                     {"label", text(app, req, "identity.request_kind." + name)},
                     {"hint", text(app, req, "identity.request_kind_hint." + name)},
                     {"checked", in.kind == name}});
  }
  model["kinds"] = std::move(kinds);
  model["request_details"] = in.details;

  // Identity verification.
  if (c.assurance != Assurance::verified) model["can_upload"] = true;

  // Contact.
  regions::PickerOptions options;
  options.legend = text(app, req, "identity.register.address_legend");
  options.script_url = app.statics.url_for(regions::kPickerScript);
  if (in.errors.has("contact_village"))
    options.error = pages::field_message(app, req, "village_code", "required");
  model["contact_region"] =
      regions::picker_view(app.regions, kPicker, in.region.value_or(c.village_code), options);
  model["contact_street"] = in.street.value_or(c.street);
  model["contact_phone"] = in.phone.value_or(c.phone);
  if (!c.phone_confirmed_at) model["phone_unconfirmed"] = true;
  model["privacy_href"] = catalog::privacy_notice_path(catalog::kPortalAccountServiceCode);

  // Email: the code's form once a code went to the new address, and again while it is wrong.
  model["new_email"] = in.new_email;
  if (req.query_param("ok") == "email_code" || in.errors.has("email_code"))
    model["email_code_form"] = true;

  in.errors.put(model);
  return pages::private_page(app, status, "my_data", req, std::move(model));
}

// The answer to anyone but a signed-in citizen (Data Saya is theirs alone); nullopt for them.
std::optional<http::Response> refuse_non_citizen(app::App& app, const http::Request& req,
                                                 const security::Actor* actor) {
  if (!actor) return pages::sign_in_first("/data-saya");
  if (actor->role != security::Role::citizen) return app.renderer.error_page(req, 403);
  return std::nullopt;
}

// A form POST of Data Saya: refused to anyone but a signed-in citizen, the form parsed (its
// errors answered with their status) before `body` runs.
template <class Body>
http::Handler citizen_post(app::App& app, Body body) {
  return [&app, body = std::move(body)](http::Request& req) {
    const auto* actor = security::current_actor(req);
    if (auto refused = refuse_non_citizen(app, req, actor)) return std::move(*refused);
    auto form = http::parse_form(req);
    if (!form) return app.renderer.error_page(req, http::status_for(form.error().code));
    return body(req, *actor, *form);
  };
}

// The page again with an email change's error at the new address's field: 422, 409 when another
// account has the address, 429 with Retry-After when too many codes were sent.
http::Response email_change_refused(app::App& app, IdentityService& service,
                                    const pages::AgencyNames& agencies, const http::Request& req,
                                    const security::Actor& actor, const core::Error& e,
                                    Resubmitted in) {
  pages::add_service_errors(in.errors, app, req, e, {{"email", "new-email", "new_email"}});
  if (e.code == core::ErrorCode::rate_limited)
    in.errors.add_general(text(app, req, "identity.errors.too_many_codes"));
  if (in.errors.empty()) return app.renderer.error_page(req, http::status_for(e.code));
  http::Response res =
      my_data_page(app, service, agencies, req, actor, pages::form_status(e), std::move(in));
  pages::add_retry_after(res, e);
  return res;
}

http::Response back(std::string_view ok, std::string_view section) {
  return http::Response::redirect(fmt::format("/data-saya?ok={}#{}", ok, section));
}

boost::json::object count_row(std::string month, std::string label, int64_t count) {
  return {{"month", std::move(month)}, {"label", std::move(label)}, {"count", count}};
}

}  // namespace

void install_my_data_pages(app::App& app, IdentityService& service) {
  auto& router = app.router;
  auto agencies = std::make_shared<pages::AgencyNames>(app);

  router.get("/data-saya", [&app, &service, agencies](http::Request& req) {
    const auto* signed_in = security::current_actor(req);
    if (auto refused = refuse_non_citizen(app, req, signed_in)) return std::move(*refused);
    const security::Actor& actor = *signed_in;
    return my_data_page(app, service, *agencies, req, actor, 200, {});
  });

  router
      .post("/data-saya/persetujuan",
            citizen_post(
                app,
                [&app, &service](http::Request& req, const security::Actor& actor,
                                 const http::Form& form) {
                  const auto chosen = form.all("setuju");
                  for (std::string_view p : rules::consent_purposes()) {
                    const bool granted = std::find(chosen.begin(), chosen.end(), p) != chosen.end();
                    if (auto s = service.set_consent(actor, p, granted, facts_of(req, "portal"));
                        !s)
                      return app.renderer.error_page(req, http::status_for(s.error().code));
                  }
                  return back("consents", "persetujuan");
                }))
      .body_limit(kFormLimit);

  router
      .post("/data-saya/permintaan",
            citizen_post(
                app,
                [&app, &service, agencies](http::Request& req, const security::Actor& actor,
                                           const http::Form& form) {
                  Resubmitted in;
                  in.kind = value(form, "kind");
                  in.details = value(form, "details");
                  auto made = service.make_data_request(actor, in.kind, in.details,
                                                        facts_of(req, "portal"));
                  if (made) return back("request", "permintaan");
                  if (made.error().code != core::ErrorCode::validation_failed)
                    return app.renderer.error_page(req, http::status_for(made.error().code));
                  pages::add_service_errors(
                      in.errors, app, req, made.error(),
                      {{"kind", "permintaan-correction"}, {"details", "permintaan-details"}});
                  return my_data_page(app, service, *agencies, req, actor, 422, std::move(in));
                }))
      .body_limit(kFormLimit);

  router
      .post("/data-saya/ktp",
            [&app, &service, agencies](http::Request& req) {
              const auto* signed_in = security::current_actor(req);
              if (auto refused = refuse_non_citizen(app, req, signed_in))
                return std::move(*refused);
              const security::Actor& actor = *signed_in;
              http::FormLimits limits;
              limits.max_files = 1;
              limits.max_file_bytes = app.config.identity.ktp_max_bytes;
              auto form = http::parse_form(req, limits);
              Resubmitted in;
              if (!form) {
                if (form.error().code != core::ErrorCode::payload_too_large)
                  return app.renderer.error_page(req, http::status_for(form.error().code));
                in.errors.add("ktp", "ktp", pages::field_message(app, req, "ktp", "too_large"));
                return my_data_page(app, service, *agencies, req, actor, 413, std::move(in));
              }
              const std::string_view bytes =
                  form->files.empty() ? std::string_view{} : std::string_view(form->files[0].data);
              auto uploaded = service.upload_ktp(actor, bytes, facts_of(req, "portal"));
              if (uploaded) return back("ktp", "verifikasi");
              const auto& e = uploaded.error();
              pages::add_service_errors(in.errors, app, req, e, {{"ktp", "ktp"}});
              if (in.errors.empty()) return app.renderer.error_page(req, http::status_for(e.code));
              return my_data_page(app, service, *agencies, req, actor, pages::form_status(e),
                                  std::move(in));
            })
      .body_limit(app.config.identity.ktp_max_bytes + 16 * 1024);

  router
      .post("/data-saya/kontak",
            citizen_post(
                app,
                [&app, &service, agencies](http::Request& req, const security::Actor& actor,
                                           const http::Form& form) {
                  Resubmitted in;
                  in.street = value(form, "street");
                  in.region = regions::chosen_region(app.regions, form, kPicker);
                  in.phone = value(form, "phone");
                  if (regions::refresh_requested(form, kPicker))
                    return my_data_page(app, service, *agencies, req, actor, 200, std::move(in));
                  auto s = service.update_my_contact(actor, *in.street, *in.region, *in.phone,
                                                     facts_of(req, "portal"));
                  if (s) return back("contact", "kontak");
                  if (s.error().code != core::ErrorCode::validation_failed)
                    return app.renderer.error_page(req, http::status_for(s.error().code));
                  // The picker's first level still to choose: where its error's link leads.
                  const auto view = regions::picker_view(app.regions, kPicker, *in.region);
                  pages::add_service_errors(
                      in.errors, app, req, s.error(),
                      {{"street", "contact-street", "contact_street"},
                       {"village_code", std::string(view.at("focus_id").as_string()),
                        "contact_village"},
                       {"phone", "contact-phone", "contact_phone"}});
                  return my_data_page(app, service, *agencies, req, actor, 422, std::move(in));
                }))
      .body_limit(kFormLimit);

  router
      .post("/data-saya/kontak/konfirmasi",
            citizen_post(
                app,
                [&app, &service, agencies](http::Request& req, const security::Actor& actor,
                                           const http::Form& form) {
                  Resubmitted in;
                  if (form.get("kirim_ulang")) {
                    auto sent = service.resend_code(actor.id, CodePurpose::confirm_phone,
                                                    facts_of(req, "portal"));
                    if (sent) return back("phone_code_sent", "kontak");
                    if (sent.error().code == core::ErrorCode::conflict)
                      return back("phone", "kontak");
                    if (sent.error().code != core::ErrorCode::rate_limited)
                      return app.renderer.error_page(req, http::status_for(sent.error().code));
                    in.errors.add_general(text(app, req, "identity.errors.too_many_codes"));
                    http::Response res =
                        my_data_page(app, service, *agencies, req, actor, 429, std::move(in));
                    pages::add_retry_after(res, sent.error());
                    return res;
                  }
                  const std::string code(core::trim(value(form, "phone_code")));
                  if (code.empty()) {
                    in.errors.add("phone_code", "phone-code",
                                  pages::field_message(app, req, "phone_code", "required"));
                    return my_data_page(app, service, *agencies, req, actor, 422, std::move(in));
                  }
                  auto confirmed = service.confirm_contact(actor.id, CodePurpose::confirm_phone,
                                                           code, facts_of(req, "portal"));
                  if (confirmed) return back("phone", "kontak");
                  if (confirmed.error().code != core::ErrorCode::unauthenticated)
                    return app.renderer.error_page(req, http::status_for(confirmed.error().code));
                  in.errors.add("phone_code", "phone-code",
                                pages::field_message(app, req, "phone_code", "wrong"));
                  return my_data_page(app, service, *agencies, req, actor, 422, std::move(in));
                }))
      .body_limit(kFormLimit);

  router
      .post("/data-saya/email",
            citizen_post(
                app,
                [&app, &service, agencies](http::Request& req, const security::Actor& actor,
                                           const http::Form& form) {
                  Resubmitted in;
                  in.new_email = std::string(core::trim(value(form, "new_email")));
                  if (in.new_email.empty()) {
                    in.errors.add("new_email", "new-email",
                                  pages::field_message(app, req, "email", "required"));
                    return my_data_page(app, service, *agencies, req, actor, 422, std::move(in));
                  }
                  auto sent =
                      service.request_email_change(actor, in.new_email, facts_of(req, "portal"));
                  if (sent) return back("email_code", "email");
                  return email_change_refused(app, service, *agencies, req, actor, sent.error(),
                                              std::move(in));
                }))
      .body_limit(kFormLimit);

  router
      .post("/data-saya/email/konfirmasi",
            citizen_post(
                app,
                [&app, &service, agencies](http::Request& req, const security::Actor& actor,
                                           const http::Form& form) {
                  Resubmitted in;
                  const std::string code(core::trim(value(form, "email_code")));
                  if (code.empty()) {
                    in.errors.add("email_code", "email-code",
                                  pages::field_message(app, req, "email_code", "required"));
                    return my_data_page(app, service, *agencies, req, actor, 422, std::move(in));
                  }
                  auto confirmed =
                      service.confirm_email_change(actor, code, facts_of(req, "portal"));
                  if (confirmed) return back("email_changed", "email");
                  if (confirmed.error().code != core::ErrorCode::unauthenticated)
                    return email_change_refused(app, service, *agencies, req, actor,
                                                confirmed.error(), std::move(in));
                  in.errors.add("email_code", "email-code",
                                pages::field_message(app, req, "email_code", "wrong"));
                  return my_data_page(app, service, *agencies, req, actor, 422, std::move(in));
                }))
      .body_limit(kFormLimit);

  router
      .post("/data-saya/sandi",
            citizen_post(
                app,
                [&app, &service, agencies](http::Request& req, const security::Actor& actor,
                                           const http::Form& form) {
                  const std::string current = value(form, "current_password");
                  const std::string fresh = value(form, "new_password");
                  Resubmitted in;
                  if (current.empty())
                    in.errors.add("current_password", "current-password",
                                  pages::field_message(app, req, "current_password", "required"));
                  if (fresh.empty())
                    in.errors.add("new_password", "new-password",
                                  pages::field_message(app, req, "password", "required"));
                  if (in.errors.empty()) {
                    auto changed =
                        service.change_password(actor, current, fresh, facts_of(req, "portal"));
                    if (changed) {
                      // Every session ended, this one too: sign in again with the new password.
                      http::Response res = http::Response::redirect("/sandi-diganti");
                      res.headers.add("Set-Cookie",
                                      app.security.authenticator.cleared_session_cookie());
                      return res;
                    }
                    if (changed.error().code != core::ErrorCode::validation_failed)
                      return app.renderer.error_page(req, http::status_for(changed.error().code));
                    pages::add_service_errors(in.errors, app, req, changed.error(),
                                              {{"current_password", "current-password"},
                                               {"password", "new-password", "new_password"}});
                    if (in.errors.empty())
                      in.errors.add_general(text(app, req, "identity.errors.generic"));
                  }
                  return my_data_page(app, service, *agencies, req, actor, 422, std::move(in));
                }))
      .body_limit(kFormLimit);

  router.get("/transparansi", [&app, &service, agencies](http::Request& req) {
    auto figures = service.transparency(app.clock.now());
    if (!figures) return app.renderer.error_page(req, http::status_for(figures.error().code));
    const auto names = agencies->in(req.context.lang);
    boost::json::array reads, requests, events;
    for (const auto& m : figures->reads_by_agency) {
      auto name = names.find(m.key);
      reads.push_back(count_row(pages::month_name(app, req, m.month),
                                name != names.end() ? name->second : m.key, m.count));
    }
    for (const auto& m : figures->requests)
      requests.push_back({{"month", pages::month_name(app, req, m.month)},
                          {"made", m.made},
                          {"in_time", m.handled_in_time},
                          {"late", m.late_or_overdue}});
    for (const auto& m : figures->security_events) {
      events.push_back(count_row(pages::month_name(app, req, m.month),
                                 text(app, req, "console.severity." + m.key), m.count));
    }
    boost::json::object model{{"title", text(app, req, "identity.transparency.title")},
                              {"nav_current", {{"transparency", true}}}};
    model["has_reads"] = !reads.empty();
    model["reads"] = std::move(reads);
    model["has_requests"] = !requests.empty();
    model["requests"] = std::move(requests);
    model["has_events"] = !events.empty();
    model["events"] = std::move(events);
    return app.renderer.page(200, "transparency", req, std::move(model));
  });
}

}  // namespace balai::identity
