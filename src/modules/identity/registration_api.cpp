// JSON routes of registration and passwords (IdentityService does the work):
//   POST /api/v1/auth/register            the registration form -> 201 {id, status}
//   POST /api/v1/auth/register/confirm    {id, channel: email|phone, code}
//   POST /api/v1/auth/register/resend     {id, channel}
//   POST /api/v1/auth/password/forgot     {login} -> 202 whether or not the account exists
//   POST /api/v1/auth/password/reset      {login, code, password}
//   POST /api/v1/me/password              {current_password, password}
//   POST /api/v1/me/email                 {email} -> 202, a code goes to the new address
//   POST /api/v1/me/email/confirm         {code}
#include <boost/json.hpp>

#include "http/json.h"
#include "modules/identity/routes.h"
#include "modules/identity/service.h"
#include "security/actor.h"

namespace balai::identity {
namespace {

constexpr uint64_t kFormLimit = 8 * 1024;

std::optional<CodePurpose> channel_purpose(std::string_view channel) {
  if (channel == "email") return CodePurpose::confirm_email;
  if (channel == "phone") return CodePurpose::confirm_phone;
  return std::nullopt;
}

http::Response no_content() {
  http::Response res;
  res.status = 204;
  res.headers.set("Cache-Control", "no-store");
  return res;
}

http::Response accepted() {
  http::Response res = http::json_response(202, boost::json::object{{"accepted", true}});
  res.headers.set("Cache-Control", "no-store");
  return res;
}

}  // namespace

void install_registration_api(app::App& app, IdentityService& service) {
  auto& router = app.router;

  router
      .post("/api/v1/auth/register",
            [&service](http::Request& req) {
              auto o = json_object(req, kFormLimit);
              if (!o) return error(req, o.error());
              RegistrationForm f;
              f.nik = string_field(*o, "nik").value_or("");
              f.full_name = string_field(*o, "full_name").value_or("");
              f.birth_date = string_field(*o, "birth_date").value_or("");
              f.sex = string_field(*o, "sex").value_or("");
              f.street = string_field(*o, "street").value_or("");
              f.village_code = string_field(*o, "village_code").value_or("");
              f.phone = string_field(*o, "phone").value_or("");
              f.email = string_field(*o, "email").value_or("");
              f.password = string_field(*o, "password").value_or("");
              auto id = service.register_citizen(f, facts_of(req, "api"));
              if (!id) return error(req, id.error());
              http::Response res = http::json_response(
                  201, boost::json::object{{"id", *id},
                                           {"status", "pending"},
                                           {"confirm", boost::json::array{"email", "phone"}}});
              res.headers.set("Location", "/api/v1/me");
              res.headers.set("Cache-Control", "no-store");
              return res;
            })
      .body_limit(kFormLimit);

  router
      .post("/api/v1/auth/register/confirm",
            [&service, &app](http::Request& req) {
              auto o = json_object(req, kFormLimit);
              if (!o) return error(req, o.error());
              auto id = string_field(*o, "id");
              auto channel = string_field(*o, "channel");
              auto code = string_field(*o, "code");
              if (!id || !channel || !code) return error(req, missing({"id", "channel", "code"}));
              auto purpose = channel_purpose(*channel);
              if (!purpose)
                return error(req, core::Error{core::ErrorCode::validation_failed,
                                              "channel is email or phone.",
                                              {{"channel", "unknown"}}});
              if (auto s = service.confirm_contact(*id, *purpose, *code, facts_of(req, "api")); !s)
                return error(req, s.error());
              auto account = app.security.accounts.find(*id);
              const bool active = account && *account && (*account)->active;
              http::Response res = http::json_response(
                  200, boost::json::object{{"id", *id},
                                           {"confirmed", *channel},
                                           {"status", active ? "active" : "pending"}});
              res.headers.set("Cache-Control", "no-store");
              return res;
            })
      .body_limit(kFormLimit);

  router
      .post("/api/v1/auth/register/resend",
            [&service](http::Request& req) {
              auto o = json_object(req, kFormLimit);
              if (!o) return error(req, o.error());
              auto id = string_field(*o, "id");
              auto channel = string_field(*o, "channel");
              if (!id || !channel) return error(req, missing({"id", "channel"}));
              auto purpose = channel_purpose(*channel);
              if (!purpose)
                return error(req, core::Error{core::ErrorCode::validation_failed,
                                              "channel is email or phone.",
                                              {{"channel", "unknown"}}});
              if (auto s = service.resend_code(*id, *purpose, facts_of(req, "api")); !s)
                return error(req, s.error());
              return accepted();
            })
      .body_limit(kFormLimit);

  router
      .post("/api/v1/auth/password/forgot",
            [&service](http::Request& req) {
              auto o = json_object(req, kFormLimit);
              if (!o) return error(req, o.error());
              auto login = string_field(*o, "login");
              if (!login || login->empty()) return error(req, missing({"login"}));
              if (auto s = service.request_password_reset(*login, facts_of(req, "api")); !s)
                return error(req, s.error());
              return accepted();
            })
      .body_limit(kFormLimit);

  router
      .post("/api/v1/auth/password/reset",
            [&service](http::Request& req) {
              auto o = json_object(req, kFormLimit);
              if (!o) return error(req, o.error());
              auto login = string_field(*o, "login");
              auto code = string_field(*o, "code");
              auto password = string_field(*o, "password");
              if (!login || !code || !password || password->empty())
                return error(req, missing({"login", "code", "password"}));
              if (auto s = service.reset_password(*login, *code, *password, facts_of(req, "api"));
                  !s)
                return error(req, s.error());
              return no_content();
            })
      .body_limit(kFormLimit);

  router
      .post(
          "/api/v1/me/password",
          [&service](http::Request& req) {
            const auto* actor = security::current_actor(req);
            if (!actor) return unauthenticated(req);
            auto o = json_object(req, kFormLimit);
            if (!o) return error(req, o.error());
            auto current = string_field(*o, "current_password");
            auto password = string_field(*o, "password");
            if (!current || !password || password->empty())
              return error(req, missing({"current_password", "password"}));
            if (auto s = service.change_password(*actor, *current, *password, facts_of(req, "api"));
                !s)
              return error(req, s.error());
            return no_content();
          })
      .body_limit(kFormLimit);

  router
      .post("/api/v1/me/email",
            [&service](http::Request& req) {
              const auto* actor = security::current_actor(req);
              if (!actor) return unauthenticated(req);
              auto o = json_object(req, kFormLimit);
              if (!o) return error(req, o.error());
              auto email = string_field(*o, "email");
              if (!email || email->empty()) return error(req, missing({"email"}));
              if (auto s = service.request_email_change(*actor, *email, facts_of(req, "api")); !s)
                return error(req, s.error());
              return accepted();
            })
      .body_limit(kFormLimit);

  router
      .post("/api/v1/me/email/confirm",
            [&service](http::Request& req) {
              const auto* actor = security::current_actor(req);
              if (!actor) return unauthenticated(req);
              auto o = json_object(req, kFormLimit);
              if (!o) return error(req, o.error());
              auto code = string_field(*o, "code");
              if (!code) return error(req, missing({"code"}));
              if (auto s = service.confirm_email_change(*actor, *code, facts_of(req, "api")); !s)
                return error(req, s.error());
              return no_content();
            })
      .body_limit(kFormLimit);
}

}  // namespace balai::identity
