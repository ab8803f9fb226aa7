// HTML routes of signing in, for browsers without JavaScript:
//   GET/POST /masuk            sign-in form (NIK or email, password)
//   GET/POST /masuk/kode       the TOTP code (or a recovery code) for staff
//   GET/POST /masuk/pasang-2fa enrolment of TOTP for staff who have none (QR code, then a code)
//   POST     /keluar           sign out
//   GET      /akun             my account: my live sessions, each with "end this session"
//   POST     /akun/sesi/{id}/akhiri
//   GET/POST /akun/konfirmasi  re-authentication before a sensitive action (?next=)
#include <boost/json.hpp>

#include "http/form.h"
#include "http/json.h"
#include "modules/identity/routes.h"
#include "security/authentication.h"
#include "security/policy.h"
#include "security/sessions.h"

namespace balai::identity {
namespace {

std::string text(app::App& app, const http::Request& req, std::string_view key) {
  return std::string(app.renderer.catalogs().text(req.context.lang, key));
}

// The message a refused sign-in shows, and its status.
std::pair<int, std::string> refusal(app::App& app, const http::Request& req, const core::Error& e) {
  switch (e.code) {
    case core::ErrorCode::rate_limited:
      return {429, text(app, req, "auth.too_many")};
    case core::ErrorCode::unauthenticated:
      return {401, text(app, req, e.fields.contains("code") ? "auth.code_wrong" : "auth.wrong")};
    case core::ErrorCode::validation_failed:
      return {422, text(app, req, "auth.code_wrong")};
    default:
      return {503, text(app, req, "auth.unavailable")};
  }
}

http::Response with_retry_after(http::Response res, const core::Error& e) {
  if (auto it = e.fields.find("retry_after"); it != e.fields.end())
    res.headers.set("Retry-After", it->second);
  return res;
}

http::Response sign_in_form(app::App& app, http::Request& req, int status, std::string message,
                            std::string login) {
  boost::json::object model{{"title", text(app, req, "auth.sign_in_title")},
                            {"nav_current", {{"sign_in", true}}},
                            {"login", login},
                            {"next", safe_next(req.query_param("next"))}};
  // Mustache treats an empty string as true: no key at all means no error box.
  if (!message.empty()) model["error"] = message;
  http::Response res = app.renderer.page(status, "sign_in", req, std::move(model));
  res.headers.set("Cache-Control", "no-store");
  return res;
}

http::Response code_form(app::App& app, http::Request& req, int status, std::string message) {
  boost::json::object model{{"title", text(app, req, "auth.code_title")}};
  if (!message.empty()) model["error"] = message;
  http::Response res = app.renderer.page(status, "second_factor", req, std::move(model));
  res.headers.set("Cache-Control", "no-store");
  return res;
}

http::Response confirm_form(app::App& app, http::Request& req, int status, std::string message,
                            bool staff) {
  boost::json::object model{{"title", text(app, req, "auth.confirm_title")},
                            {"nav_current", {{"account", true}}},
                            {"staff", staff},
                            {"next", safe_next(req.query_param("next"))}};
  if (!message.empty()) model["error"] = message;
  http::Response res = app.renderer.page(status, "confirm", req, std::move(model));
  res.headers.set("Cache-Control", "no-store");
  return res;
}

// After a step that rotated the session: the new cookie and where to go next.
http::Response go_on(app::App& app, const security::StartedSession& s, std::string_view to) {
  http::Response res = http::Response::redirect(to);
  res.headers.add("Set-Cookie", app.security.authenticator.session_cookie(s.token));
  res.headers.set("Cache-Control", "no-store");
  return res;
}

std::string form_value(const core::Result<http::Form>& form, std::string_view name) {
  if (!form) return {};
  return std::string(form->get(name).value_or(""));
}

}  // namespace

void install_pages(app::App& app) {
  auto& router = app.router;
  router.get("/masuk", [&app](http::Request& req) {
    if (security::current_actor(req)) return http::Response::redirect("/akun");
    return sign_in_form(app, req, 200, "", "");
  });

  router
      .post("/masuk",
            [&app](http::Request& req) {
              auto form = http::parse_form(req);
              if (!form) return app.renderer.error_page(req, http::status_for(form.error().code));
              const std::string login = form_value(form, "login");
              const std::string password = form_value(form, "password");
              if (login.empty() || password.empty())
                return sign_in_form(app, req, 422, text(app, req, "auth.fill_both"), login);
              auto signed_in = app.security.sign_in.with_password(
                  login, password, attempt_of(req), app.security.authenticator.session_token(req));
              if (!signed_in) {
                auto [status, message] = refusal(app, req, signed_in.error());
                return with_retry_after(sign_in_form(app, req, status, message, login),
                                        signed_in.error());
              }
              switch (signed_in->stage) {
                case security::SessionStage::second_factor:
                  return go_on(app, signed_in->started, "/masuk/kode");
                case security::SessionStage::enrol:
                  return go_on(app, signed_in->started, "/masuk/pasang-2fa");
                case security::SessionStage::full:
                  break;
              }
              return go_on(app, signed_in->started, safe_next(form_value(form, "next")));
            })
      .body_limit(8 * 1024);

  router.get("/masuk/kode", [&app](http::Request& req) {
    auto session = app.security.authenticator.session_of(req);
    if (!session || !*session || (*session)->stage != security::SessionStage::second_factor)
      return http::Response::redirect("/masuk");
    return code_form(app, req, 200, "");
  });

  router
      .post("/masuk/kode",
            [&app](http::Request& req) {
              auto form = http::parse_form(req);
              auto token = app.security.authenticator.session_token(req);
              if (!token) return http::Response::redirect("/masuk");
              auto done = app.security.sign_in.with_second_factor(*token, form_value(form, "code"),
                                                                  attempt_of(req));
              if (!done) {
                if (done.error().code == core::ErrorCode::unauthenticated &&
                    !done.error().fields.contains("code"))
                  return http::Response::redirect("/masuk");
                auto [status, message] = refusal(app, req, done.error());
                return with_retry_after(code_form(app, req, status, message), done.error());
              }
              return go_on(app, *done, "/akun");
            })
      .body_limit(4 * 1024);

  router.get("/masuk/pasang-2fa", [&app](http::Request& req) {
    auto session = app.security.authenticator.session_of(req);
    if (!session || !*session || (*session)->stage != security::SessionStage::enrol)
      return http::Response::redirect("/masuk");
    auto enrolment =
        app.security.sign_in.begin_enrolment(**session, text(app, req, "auth.qr_label"));
    if (!enrolment) return app.renderer.error_page(req, 503);
    http::Response res = app.renderer.page(200, "enrol", req,
                                           {{"title", text(app, req, "auth.enrol_title")},
                                            {"qr_svg", enrolment->qr_svg},
                                            {"secret", enrolment->secret_base32}});
    res.headers.set("Cache-Control", "no-store");
    return res;
  });

  router
      .post("/masuk/pasang-2fa",
            [&app](http::Request& req) {
              auto form = http::parse_form(req);
              auto token = app.security.authenticator.session_token(req);
              if (!token) return http::Response::redirect("/masuk");
              auto done = app.security.sign_in.confirm_enrolment(*token, form_value(form, "code"),
                                                                 attempt_of(req));
              if (!done) {
                if (done.error().code == core::ErrorCode::unauthenticated)
                  return http::Response::redirect("/masuk");
                auto [status, message] = refusal(app, req, done.error());
                http::Response res =
                    app.renderer.page(status, "enrol", req,
                                      {{"title", text(app, req, "auth.enrol_title")},
                                       {"error", message},
                                       {"retry_href", "/masuk/pasang-2fa"}});
                res.headers.set("Cache-Control", "no-store");
                return with_retry_after(std::move(res), done.error());
              }
              boost::json::array codes;
              for (const auto& c : done->recovery_codes) codes.push_back(boost::json::string(c));
              // The page is rendered for the new session: its forms need the new token.
              req.context.csrf_token = app.security.authenticator.csrf_for(done->started.token);
              http::Response res = app.renderer.page(
                  200, "recovery_codes", req,
                  {{"title", text(app, req, "auth.recovery_title")}, {"codes", std::move(codes)}});
              res.headers.add("Set-Cookie",
                              app.security.authenticator.session_cookie(done->started.token));
              res.headers.set("Cache-Control", "no-store");
              return res;
            })
      .body_limit(4 * 1024);

  router.post("/keluar", [&app](http::Request& req) {
    if (auto token = app.security.authenticator.session_token(req))
      if (auto s = app.security.sign_in.sign_out(*token); !s)
        return app.renderer.error_page(req, 503);
    http::Response res = http::Response::redirect("/");
    res.headers.add("Set-Cookie", app.security.authenticator.cleared_session_cookie());
    return res;
  });

  router.get("/akun", [&app](http::Request& req) {
    const auto* actor = security::current_actor(req);
    if (!actor) return http::Response::redirect("/masuk?next=/akun");
    auto account = app.security.accounts.find(actor->id);
    if (!account || !*account) return app.renderer.error_page(req, 503);
    auto list = app.security.sessions.list((*account)->key, app.clock.now());
    if (!list) return app.renderer.error_page(req, 503);
    boost::json::array sessions;
    for (const auto& s : *list)
      sessions.push_back({{"id", s.id},
                          {"client", s.client},
                          {"created", core::format_iso8601(s.created_at, app.config.city.zone)},
                          {"last_seen", core::format_iso8601(s.last_seen_at, app.config.city.zone)},
                          {"current", s.id == actor->session_id}});
    return app.renderer.page(
        200, "account", req,
        {{"title", text(app, req, "account.title")},
         {"nav_current", {{"account", true}}},
         {"name", (*account)->display_name},
         {"role", text(app, req, "roles." + std::string(security::to_string((*account)->role)))},
         {"two_factor", (*account)->totp_enabled},
         {"sessions", std::move(sessions)}});
  });

  // Re-authentication before a sensitive action (an API token, later a bulk export): the
  // password again, and a fresh code for staff. Pages that need it send people here with ?next=.
  router.get("/akun/konfirmasi", [&app](http::Request& req) {
    const auto* actor = security::current_actor(req);
    if (!actor) return http::Response::redirect("/masuk");
    return confirm_form(app, req, 200, "", security::is_staff(actor->role));
  });

  router
      .post("/akun/konfirmasi",
            [&app](http::Request& req) {
              const auto* actor = security::current_actor(req);
              if (!actor) return http::Response::redirect("/masuk");
              auto form = http::parse_form(req);
              auto session = app.security.authenticator.session_of(req);
              if (!session || !*session) return http::Response::redirect("/masuk");
              auto done =
                  app.security.sign_in.reauthenticate(**session, form_value(form, "password"),
                                                      form_value(form, "code"), attempt_of(req));
              if (!done) {
                auto [status, message] = refusal(app, req, done.error());
                return with_retry_after(
                    confirm_form(app, req, status, message, security::is_staff(actor->role)),
                    done.error());
              }
              return http::Response::redirect(safe_next(form_value(form, "next")));
            })
      .body_limit(8 * 1024);

  router.post("/akun/sesi/{id:uuid}/akhiri", [&app](http::Request& req) {
    const auto* actor = security::current_actor(req);
    if (!actor) return http::Response::redirect("/masuk");
    auto session = app.security.sessions.find(req.param("id"));
    if (!session) return app.renderer.error_page(req, 503);
    if (!*session) return app.renderer.error_page(req, 404);
    if (auto s = app.security.policy.authorize(actor, "account.sessions.revoke",
                                               {(*session)->account_id, ""});
        !s)
      return app.renderer.error_page(req, 404);
    if (auto s =
            app.security.sessions.revoke((*session)->account_key, (*session)->id, app.clock.now());
        !s)
      return app.renderer.error_page(req, 503);
    return http::Response::redirect("/akun");
  });
}

}  // namespace balai::identity
