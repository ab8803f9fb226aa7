// JSON routes of signing in (the security layer's SignIn does the work):
//   POST   /api/v1/auth/login           {login, password[, client:"app"]} -> stage, session
//   POST   /api/v1/auth/second-factor   {code} for a session whose stage is second_factor
//   POST   /api/v1/auth/logout
//   GET    /api/v1/auth/sessions        my live sessions
//   DELETE /api/v1/auth/sessions/{id}   end one of them
// Browsers get the session in the HttpOnly cookie; an app that sends "client":"app" gets the
// token in the body instead (to send as "Authorization: Bearer ...") and no cookie.
#include <boost/json.hpp>

#include "core/time.h"
#include "http/json.h"
#include "modules/identity/routes.h"
#include "security/authentication.h"
#include "security/policy.h"
#include "security/sessions.h"

namespace balai::identity {
namespace {

constexpr uint64_t kAuthBodyLimit = 4 * 1024;

boost::json::object session_json(const security::Session& s, core::Zone zone) {
  return {{"id", s.id},
          {"stage", security::to_string(s.stage)},
          {"created_at", core::format_iso8601(s.created_at, zone)},
          {"last_seen_at", core::format_iso8601(s.last_seen_at, zone)},
          {"expires_at", core::format_iso8601(s.expires_at, zone)},
          {"client", s.client}};
}

// The answer to a step that started a session: cookie for browsers, token for apps.
http::Response started(app::App& app, const security::StartedSession& s, bool app_client) {
  auto& auth = app.security.authenticator;
  boost::json::object body{{"stage", security::to_string(s.session.stage)},
                           {"session", session_json(s.session, app.config.city.zone)}};
  if (app_client) {
    body["token"] = s.token;
  } else {
    body["csrf_token"] = auth.csrf_for(s.token);
  }
  http::Response res = http::json_response(200, body);
  if (!app_client) res.headers.add("Set-Cookie", auth.session_cookie(s.token));
  res.headers.set("Cache-Control", "no-store");
  return res;
}

}  // namespace

std::optional<std::string> string_field(const boost::json::object& o, std::string_view name) {
  return http::string_member(o, name);
}

core::Result<boost::json::object> json_object(const http::Request& req, uint64_t limit) {
  return http::parse_json_object(req, {limit, 8});
}

core::Error missing(std::initializer_list<std::string_view> names) {
  core::Error e{core::ErrorCode::validation_failed, "Required fields are missing.", {}};
  for (auto n : names) e.fields[std::string(n)] = "required";
  return e;
}

http::Response error(const http::Request& req, const core::Error& e) {
  http::Response res = http::api_error(req, e);
  if (auto it = e.fields.find("retry_after"); it != e.fields.end())
    res.headers.set("Retry-After", it->second);
  res.headers.set("Cache-Control", "no-store");
  return res;
}

http::Response unauthenticated(const http::Request& req) {
  return error(req, core::make_error(core::ErrorCode::unauthenticated, "Sign in first."));
}

void install_api(app::App& app) {
  app.router
      .post("/api/v1/auth/login",
            [&app](http::Request& req) {
              auto body = http::parse_json_body(req, {kAuthBodyLimit, 4});
              if (!body) return error(req, body.error());
              if (!body->is_object())
                return error(req, core::make_error(core::ErrorCode::bad_request,
                                                   "The body must be a JSON object."));
              const auto& o = body->as_object();
              auto login = string_field(o, "login");
              auto password = string_field(o, "password");
              if (!login || login->empty() || !password || password->empty())
                return error(req, missing({"login", "password"}));
              const bool app_client = string_field(o, "client").value_or("") == "app";
              auto signed_in =
                  app.security.sign_in.with_password(*login, *password, attempt_of(req),
                                                     app.security.authenticator.session_token(req));
              if (!signed_in) return error(req, signed_in.error());
              return started(app, signed_in->started, app_client);
            })
      .body_limit(kAuthBodyLimit);

  app.router
      .post("/api/v1/auth/second-factor",
            [&app](http::Request& req) {
              auto body = http::parse_json_body(req, {kAuthBodyLimit, 4});
              if (!body) return error(req, body.error());
              auto code = body->is_object() ? string_field(body->as_object(), "code")
                                            : std::optional<std::string>{};
              if (!code || code->empty()) return error(req, missing({"code"}));
              auto token = app.security.authenticator.presented_session_token(req);
              if (!token) return unauthenticated(req);
              const bool app_client = !app.security.authenticator.session_token(req);
              auto done = app.security.sign_in.with_second_factor(*token, *code, attempt_of(req));
              if (!done) return error(req, done.error());
              return started(app, *done, app_client);
            })
      .body_limit(kAuthBodyLimit);

  app.router.post("/api/v1/auth/logout", [&app](http::Request& req) {
    if (auto token = app.security.authenticator.presented_session_token(req)) {
      if (auto s = app.security.sign_in.sign_out(*token); !s) return error(req, s.error());
    }
    http::Response res = http::json_response(200, boost::json::object{{"signed_out", true}});
    res.headers.add("Set-Cookie", app.security.authenticator.cleared_session_cookie());
    return res;
  });

  app.router.get("/api/v1/auth/sessions", [&app](http::Request& req) {
    const auto* actor = security::current_actor(req);
    if (auto s = app.security.policy.authorize(actor, "account.sessions.read",
                                               {actor ? actor->id : "", ""});
        !s)
      return error(req, s.error());
    auto account = app.security.accounts.find(actor->id);
    if (!account || !*account) return unauthenticated(req);
    auto list = app.security.sessions.list((*account)->key, app.clock.now());
    if (!list) return error(req, list.error());
    boost::json::array items;
    for (const auto& s : *list) {
      auto j = session_json(s, app.config.city.zone);
      j["current"] = s.id == actor->session_id;
      items.push_back(std::move(j));
    }
    return http::json_response(200, boost::json::object{{"sessions", std::move(items)}});
  });

  app.router.del("/api/v1/auth/sessions/{id:uuid}", [&app](http::Request& req) {
    const auto* actor = security::current_actor(req);
    if (!actor) return unauthenticated(req);
    auto session = app.security.sessions.find(req.param("id"));
    if (!session) return error(req, session.error());
    const core::Error not_found = core::make_error(core::ErrorCode::not_found, "No such session.");
    if (!*session) return error(req, not_found);
    // Someone else's session: the policy refuses (and records the attempt); the answer is the
    // same 404 as for an id that does not exist, so ids cannot be probed.
    if (auto s = app.security.policy.authorize(actor, "account.sessions.revoke",
                                               {(*session)->account_id, ""});
        !s)
      return error(req, not_found);
    if (auto s =
            app.security.sessions.revoke((*session)->account_key, (*session)->id, app.clock.now());
        !s)
      return error(req, s.error());
    http::Response res;
    res.status = 204;
    return res;
  });
}

}  // namespace balai::identity
