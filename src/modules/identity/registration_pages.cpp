// HTML routes of registration and passwords, for browsers without JavaScript
// (IdentityService does the work):
//   GET/POST /daftar               the registration form (NIK, name, birth date, sex, address,
//                                  phone, email, password); the region picker's refresh button
//                                  shows the form again with the next level filled
//   GET/POST /daftar/konfirmasi    ?akun=<id>: the codes sent to the email and the phone, and
//                                  "send again" per channel; both confirmed: the account is active
//   GET/POST /lupa-sandi           ask for a reset code (NIK or email); the same answer whether
//                                  or not an account exists
//   POST     /lupa-sandi/atur      the code and a new password
//   GET      /sandi-diganti        "your password was changed: sign in again"
#include <fmt/format.h>

#include <boost/json.hpp>

#include "core/text.h"
#include "http/form.h"
#include "http/json.h"
#include "modules/catalog/service.h"
#include "modules/identity/page_support.h"
#include "modules/identity/routes.h"
#include "modules/identity/service.h"
#include "modules/regions/picker.h"
#include "security/accounts.h"
#include "security/actor.h"

namespace balai::identity {
namespace {

using pages::FieldErrors;
using pages::text;
using pages::value;

constexpr uint64_t kFormLimit = 16 * 1024;
// The field prefix of the registration form's region picker (alamat_province, ...).
constexpr std::string_view kPicker = "alamat";

// What the registration form holds, as typed (never the password, which is not shown again).
struct RegistrationInput {
  RegistrationForm form;
  std::string day, month, year;
  std::string region;  // the deepest region the picker names consistently
};

bool digits(std::string_view s, size_t min, size_t max) {
  if (s.size() < min || s.size() > max) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// The GOV.UK date pattern's three fields as the service's "YYYY-MM-DD": "" when all are empty
// (the rules say "required"), something the rules refuse when they do not make a date.
std::string date_of(std::string_view day, std::string_view month, std::string_view year) {
  if (day.empty() && month.empty() && year.empty()) return {};
  if (!digits(day, 1, 2) || !digits(month, 1, 2) || !digits(year, 4, 4)) return "invalid";
  return fmt::format("{}-{:0>2}-{:0>2}", year, month, day);
}

RegistrationInput read_registration(const app::App& app, const http::Form& f) {
  RegistrationInput in;
  in.form.nik = value(f, "nik");
  in.form.full_name = value(f, "full_name");
  in.day = std::string(core::trim(value(f, "lahir_hari")));
  in.month = std::string(core::trim(value(f, "lahir_bulan")));
  in.year = std::string(core::trim(value(f, "lahir_tahun")));
  in.form.birth_date = date_of(in.day, in.month, in.year);
  in.form.sex = value(f, "sex");
  in.form.street = value(f, "street");
  in.region = regions::chosen_region(app.regions, f, kPicker);
  in.form.village_code = in.region;
  in.form.phone = value(f, "phone");
  in.form.email = value(f, "email");
  in.form.password = value(f, "password");
  return in;
}

// The registration form, fresh (`in` null: the city's own regency chosen in the picker) or as
// the person filled it. `error` (when set) is the service's refusal, shown at each field.
http::Response registration_page(app::App& app, const http::Request& req, int status,
                                 const RegistrationInput* in, const core::Error* error) {
  boost::json::object model{
      {"title", text(app, req, "identity.register.title")},
      {"nav_current", {{"register", true}}},
      {"privacy_href", catalog::privacy_notice_path(catalog::kPortalAccountServiceCode)}};
  boost::json::object v;
  if (in) {
    v = {{"nik", in->form.nik},     {"full_name", in->form.full_name},
         {"day", in->day},          {"month", in->month},
         {"year", in->year},        {"street", in->form.street},
         {"phone", in->form.phone}, {"email", in->form.email}};
    if (in->form.sex == "female") model["sex_female"] = true;
    if (in->form.sex == "male") model["sex_male"] = true;
  }
  model["v"] = std::move(v);

  regions::PickerOptions options;
  options.legend = text(app, req, "identity.register.address_legend");
  options.script_url = app.statics.url_for(regions::kPickerScript);
  if (error)
    if (auto it = error->fields.find("village_code"); it != error->fields.end())
      options.error = pages::field_message(app, req, "village_code", it->second);
  boost::json::object picker = regions::picker_view(
      app.regions, kPicker, in ? in->region : app.config.city.region_code, options);
  const std::string focus(picker["focus_id"].as_string());
  model["region"] = std::move(picker);

  FieldErrors errors;
  if (error) {
    core::Error e = *error;
    if (e.fields.contains("display_name") && !e.fields.contains("full_name"))
      e.fields["full_name"] = e.fields["display_name"];
    pages::add_service_errors(errors, app, req, e,
                              {{"nik", "nik"},
                               {"full_name", "full-name"},
                               {"birth_date", "lahir-hari"},
                               {"sex", "sex-male"},
                               {"street", "street"},
                               {"village_code", focus},
                               {"phone", "phone"},
                               {"email", "email"},
                               {"password", "password"}});
    if (e.code == core::ErrorCode::rate_limited)
      errors.add_general(text(app, req, "identity.errors.too_many_registrations"));
    else if (errors.empty())
      errors.add_general(text(app, req, "identity.errors.generic"));
  }
  errors.put(model);
  http::Response res = pages::private_page(app, status, "register", req, std::move(model));
  if (error) pages::add_retry_after(res, *error);
  return res;
}

// --- Confirmation of the contacts ---------------------------------------------------------

struct PendingRegistration {
  std::string id;
  bool active = false;
  bool email_done = false;
  bool phone_done = false;
};

// The registration named by ?akun=, or the status to answer (404 unknown, 503 unavailable).
core::Result<PendingRegistration> registration_of(app::App& app, IdentityService& service,
                                                  const http::Request& req) {
  const std::string id = req.query_param("akun").value_or("");
  if (id.empty() || id.size() > 64)
    return core::make_error(core::ErrorCode::not_found, "No such registration.");
  auto account = app.security.accounts.find(id);
  if (!account) return account.take_error();
  if (!*account || (*account)->role != security::Role::citizen)
    return core::make_error(core::ErrorCode::not_found, "No such registration.");
  PendingRegistration p{(*account)->id, (*account)->active};
  auto citizen = service.store().find_citizen((*account)->key);
  if (!citizen) return citizen.take_error();
  if (!*citizen) return core::make_error(core::ErrorCode::not_found, "No such registration.");
  p.email_done = (*citizen)->email_confirmed_at.has_value();
  p.phone_done = (*citizen)->phone_confirmed_at.has_value();
  return p;
}

http::Response confirm_page(app::App& app, const http::Request& req, int status,
                            const PendingRegistration& p, const FieldErrors& errors,
                            std::string_view sent) {
  boost::json::object model{{"title", text(app, req, "identity.confirm.title")},
                            {"nav_current", {{"register", true}}},
                            {"action", "/daftar/konfirmasi?akun=" + p.id}};
  if (p.active) {
    model["active"] = true;
    model["title"] = text(app, req, "identity.confirm.active_title");
  } else {
    model[p.email_done ? "email_done" : "email_pending"] = true;
    model[p.phone_done ? "phone_done" : "phone_pending"] = true;
  }
  std::string note = text(app, req, "identity.confirm.expiry_note");
  if (auto at = note.find("{hours}"); at != std::string::npos)
    note.replace(at, 7, std::to_string(app.config.identity.unconfirmed_hours));
  model["expiry_note"] = note;
  if (sent == "email" || sent == "phone")
    model["sent_message"] = text(app, req, "identity.confirm.sent_" + std::string(sent));
  errors.put(model);
  return pages::private_page(app, status, "register_confirm", req, std::move(model));
}

http::Response confirm_post(app::App& app, IdentityService& service, http::Request& req) {
  auto form = http::parse_form(req);
  if (!form) return app.renderer.error_page(req, http::status_for(form.error().code));
  auto p = registration_of(app, service, req);
  if (!p) return app.renderer.error_page(req, http::status_for(p.error().code));
  const std::string again = "/daftar/konfirmasi?akun=" + p->id;
  const RequestFacts facts = facts_of(req, "portal");

  // "Send the code again" for one channel.
  if (auto channel = form->get("kirim_ulang")) {
    if (*channel != "email" && *channel != "phone") return app.renderer.error_page(req, 400);
    const CodePurpose purpose =
        *channel == "email" ? CodePurpose::confirm_email : CodePurpose::confirm_phone;
    auto sent = service.resend_code(p->id, purpose, facts);
    if (!sent) {
      switch (sent.error().code) {
        case core::ErrorCode::conflict:  // confirmed meanwhile: show what is left
          return http::Response::redirect(again);
        case core::ErrorCode::rate_limited: {
          FieldErrors errors;
          errors.add_general(text(app, req, "identity.errors.too_many_codes"));
          http::Response res = confirm_page(app, req, 429, *p, errors, "");
          pages::add_retry_after(res, sent.error());
          return res;
        }
        default:
          return app.renderer.error_page(req, http::status_for(sent.error().code));
      }
    }
    return http::Response::redirect(again + "&terkirim=" + std::string(*channel));
  }

  if (p->active) return http::Response::redirect(again);
  FieldErrors errors;
  struct Channel {
    bool done;
    const char* field;
    const char* element;
    CodePurpose purpose;
  };
  for (const Channel& c :
       {Channel{p->email_done, "email_code", "email-code", CodePurpose::confirm_email},
        Channel{p->phone_done, "phone_code", "phone-code", CodePurpose::confirm_phone}}) {
    if (c.done) continue;
    const std::string code(core::trim(value(*form, c.field)));
    if (code.empty()) {
      errors.add(c.field, c.element, pages::field_message(app, req, c.field, "required"));
      continue;
    }
    auto confirmed = service.confirm_contact(p->id, c.purpose, code, facts);
    if (confirmed) continue;
    if (confirmed.error().code != core::ErrorCode::unauthenticated)
      return app.renderer.error_page(req, http::status_for(confirmed.error().code));
    errors.add(c.field, c.element, pages::field_message(app, req, c.field, "wrong"));
  }
  if (errors.empty()) return http::Response::redirect(again);
  auto now = registration_of(app, service, req);  // what was confirmed just now
  if (!now) return app.renderer.error_page(req, http::status_for(now.error().code));
  return confirm_page(app, req, 422, *now, errors, "");
}

// --- Passwords ------------------------------------------------------------------------------

http::Response forgot_page(app::App& app, const http::Request& req, int status,
                           std::string_view login, const FieldErrors& errors) {
  boost::json::object model{{"title", text(app, req, "identity.forgot.title")},
                            {"nav_current", {{"sign_in", true}}},
                            {"login", login}};
  errors.put(model);
  return pages::private_page(app, status, "password_forgot", req, std::move(model));
}

// The reset form: after a code was asked for (`sent`), or again with errors.
http::Response reset_page(app::App& app, const http::Request& req, int status,
                          std::string_view login, bool sent, const FieldErrors& errors) {
  boost::json::object model{{"title", text(app, req, "identity.reset.title")},
                            {"nav_current", {{"sign_in", true}}},
                            {"login", login}};
  if (sent) {
    std::string message = text(app, req, "identity.reset.sent");
    if (auto at = message.find("{minutes}"); at != std::string::npos)
      message.replace(at, 9, std::to_string(app.config.identity.code_minutes));
    model["sent_message"] = message;
  }
  errors.put(model);
  return pages::private_page(app, status, "password_reset", req, std::move(model));
}

}  // namespace

void install_registration_pages(app::App& app, IdentityService& service) {
  auto& router = app.router;

  router.get("/daftar", [&app](http::Request& req) {
    if (security::current_actor(req)) return http::Response::redirect("/akun");
    return registration_page(app, req, 200, nullptr, nullptr);
  });

  router
      .post("/daftar",
            [&app, &service](http::Request& req) {
              auto form = http::parse_form(req);
              if (!form) return app.renderer.error_page(req, http::status_for(form.error().code));
              const RegistrationInput in = read_registration(app, *form);
              // The picker's "refresh" button: the person has not finished; show the form
              // again with the next level of regions, nothing checked, nothing stored.
              if (regions::refresh_requested(*form, kPicker))
                return registration_page(app, req, 200, &in, nullptr);
              auto id = service.register_citizen(in.form, facts_of(req, "portal"));
              if (!id) {
                const core::ErrorCode code = id.error().code;
                if (code != core::ErrorCode::validation_failed &&
                    code != core::ErrorCode::conflict && code != core::ErrorCode::rate_limited)
                  return app.renderer.error_page(req, http::status_for(code));
                return registration_page(app, req, http::status_for(code), &in, &id.error());
              }
              return http::Response::redirect("/daftar/konfirmasi?akun=" + *id);
            })
      .body_limit(kFormLimit);

  router.get("/daftar/konfirmasi", [&app, &service](http::Request& req) {
    auto p = registration_of(app, service, req);
    if (!p) return app.renderer.error_page(req, http::status_for(p.error().code));
    return confirm_page(app, req, 200, *p, FieldErrors{}, req.query_param("terkirim").value_or(""));
  });

  router
      .post("/daftar/konfirmasi",
            [&app, &service](http::Request& req) { return confirm_post(app, service, req); })
      .body_limit(kFormLimit);

  router.get("/lupa-sandi",
             [&app](http::Request& req) { return forgot_page(app, req, 200, "", FieldErrors{}); });

  router
      .post("/lupa-sandi",
            [&app, &service](http::Request& req) {
              auto form = http::parse_form(req);
              if (!form) return app.renderer.error_page(req, http::status_for(form.error().code));
              const std::string login(core::trim(value(*form, "login")));
              FieldErrors errors;
              if (login.empty()) {
                errors.add("login", "login", pages::field_message(app, req, "login", "required"));
                return forgot_page(app, req, 422, login, errors);
              }
              auto asked = service.request_password_reset(login, facts_of(req, "portal"));
              if (!asked) {
                if (asked.error().code != core::ErrorCode::rate_limited)
                  return app.renderer.error_page(req, http::status_for(asked.error().code));
                errors.add_general(text(app, req, "identity.errors.too_many_attempts"));
                http::Response res = forgot_page(app, req, 429, login, errors);
                pages::add_retry_after(res, asked.error());
                return res;
              }
              // The same answer whether or not an account exists: the reset form, with the
              // login already typed (in the page, never in the address).
              return reset_page(app, req, 200, login, true, FieldErrors{});
            })
      .body_limit(kFormLimit);

  router.get("/lupa-sandi/atur", [&app](http::Request& req) {
    return reset_page(app, req, 200, "", false, FieldErrors{});
  });

  router
      .post("/lupa-sandi/atur",
            [&app, &service](http::Request& req) {
              auto form = http::parse_form(req);
              if (!form) return app.renderer.error_page(req, http::status_for(form.error().code));
              const std::string login(core::trim(value(*form, "login")));
              const std::string code(core::trim(value(*form, "code")));
              const std::string password = value(*form, "password");
              FieldErrors errors;
              if (login.empty())
                errors.add("login", "login", pages::field_message(app, req, "login", "required"));
              if (code.empty())
                errors.add("code", "code", pages::field_message(app, req, "code", "required"));
              if (password.empty())
                errors.add("password", "password",
                           pages::field_message(app, req, "password", "required"));
              if (!errors.empty()) return reset_page(app, req, 422, login, false, errors);
              auto done = service.reset_password(login, code, password, facts_of(req, "portal"));
              if (!done) {
                const auto& e = done.error();
                if (e.code == core::ErrorCode::unauthenticated)
                  errors.add("code", "code", pages::field_message(app, req, "code", "wrong"));
                else if (e.code == core::ErrorCode::validation_failed)
                  pages::add_service_errors(errors, app, req, e, {{"password", "password"}});
                else
                  return app.renderer.error_page(req, http::status_for(e.code));
                if (errors.empty()) errors.add_general(text(app, req, "identity.errors.generic"));
                return reset_page(app, req, 422, login, false, errors);
              }
              return http::Response::redirect("/sandi-diganti");
            })
      .body_limit(kFormLimit);

  router.get("/sandi-diganti", [&app](http::Request& req) {
    return app.renderer.page(
        200, "password_reset", req,
        {{"title", text(app, req, "identity.reset.done_title")}, {"done", true}});
  });
}

}  // namespace balai::identity
