// HTML routes of API tokens in the console (every answer Cache-Control: no-store):
//   GET  /konsol/token               every token (never its secret) and the form for a new one
//   POST /konsol/token               create one: needs a sign-in within the last 15 minutes;
//                                    the secret is shown on the answer page, once
//   POST /konsol/token/{id}/cabut    revoke one
// Creating and revoking are audited ("tokens.create", "tokens.revoke").
#include <boost/json.hpp>
#include <map>

#include "core/text.h"
#include "http/form.h"
#include "http/json.h"
#include "modules/console/routes.h"
#include "modules/console/rules.h"
#include "security/api_tokens.h"
#include "security/audit.h"

namespace balai::console {
namespace {

constexpr uint64_t kFormBodyLimit = 8 * 1024;

// What the person typed into the form, shown again with the problems found.
struct TokenForm {
  std::string name;
  std::string role = "integrator";
  std::string agency;
  std::string expires;
  std::map<std::string, std::string> errors;  // field -> reason (only the field names are used)
};

std::string field(const http::Form& form, std::string_view name) {
  return std::string(core::trim(form.get(name).value_or("")));
}

http::Response tokens_page(app::App& app, http::Request& req, const security::Actor& actor,
                           int status, const TokenForm& typed) {
  auto list = app.security.tokens.list();
  if (!list) return app.renderer.error_page(req, 503);
  const core::Timestamp now = app.clock.now();
  boost::json::array tokens;
  for (const auto& t : *list) {
    const TokenStatus st = token_status(t, now);
    boost::json::object o{
        {"id", t.id},
        {"name", t.name},
        {"role", text(app, req, "console.tokens.role_" + std::string(security::to_string(t.role)))},
        {"agency", t.agency.empty() ? std::string("—") : t.agency},
        {"created", local_time(app, t.created_at)},
        {"status", text(app, req, "console.tokens.status_" + std::string(to_string(st)))},
        {"revocable", st != TokenStatus::revoked}};
    if (t.expires_at) o["expires"] = local_time(app, *t.expires_at);
    if (t.last_used_at) o["last_used"] = local_time(app, *t.last_used_at);
    tokens.push_back(std::move(o));
  }
  // The error summary lists the fields in the order of the form, each linked to its input.
  boost::json::array errors;
  boost::json::object invalid;
  for (std::string_view name : {"name", "role", "agency", "expires"}) {
    if (!typed.errors.contains(std::string(name))) continue;
    errors.push_back({{"href", "#token-" + std::string(name)},
                      {"message", text(app, req, "console.tokens.error_" + std::string(name))}});
    invalid[name] = text(app, req, "console.tokens.error_" + std::string(name));
  }
  const bool has_errors = !errors.empty();
  const bool has_tokens = !tokens.empty();
  return app.renderer.page(status, "console_tokens", req,
                           {{"title", text(app, req, "console.tokens.title")},
                            {"nav_current", {{"console", true}}},
                            {"has_tokens", has_tokens},
                            {"tokens", std::move(tokens)},
                            {"can_manage", may(app, actor, "console.tokens.manage")},
                            {"has_errors", has_errors},
                            {"errors", std::move(errors)},
                            {"invalid", std::move(invalid)},
                            {"form",
                             {{"name", typed.name},
                              {"agency", typed.agency},
                              {"expires", typed.expires},
                              {"device", typed.role == "device"},
                              {"integrator", typed.role != "device"}}}});
}

http::Response list_tokens(app::App& app, http::Request& req) {
  auto actor = permitted(app, req, "console.read");
  if (!actor) return refused(app, req, actor.error());
  return tokens_page(app, req, **actor, 200, TokenForm{});
}

http::Response create_token(app::App& app, http::Request& req) {
  auto actor = permitted(app, req, "console.tokens.manage");
  if (!actor) return refused(app, req, actor.error());
  const security::Actor& a = **actor;
  const core::Timestamp now = app.clock.now();
  if (!recently_authenticated(a, now))
    return app.renderer.page(
        403, "console_reauth", req,
        {{"title", text(app, req, "console.reauth.title")}, {"nav_current", {{"console", true}}}});
  auto form = http::parse_form(req);
  if (!form) return app.renderer.error_page(req, http::status_for(form.error().code));

  TokenForm typed{field(*form, "name"),
                  field(*form, "role"),
                  field(*form, "agency"),
                  field(*form, "expires"),
                  {}};
  // The service is the authority on what a valid token is. What cannot even be parsed is handed
  // to it as a value it refuses (a citizen's role, zero days), so one answer names every field.
  security::NewApiToken request;
  request.name = typed.name;
  request.role = security::parse_role(typed.role).value_or(security::Role::citizen);
  request.agency = typed.agency;
  auto days = parse_expires_days(typed.expires);
  request.expires_days = days ? *days : std::optional<int>(0);
  auto created = app.security.tokens.create(request, now);
  if (!created) {
    if (created.error().code != core::ErrorCode::validation_failed)
      return app.renderer.error_page(req, 503);
    typed.errors = created.error().fields;
    return tokens_page(app, req, a, 422, typed);
  }
  const security::ApiToken& info = created->info;
  const std::string role(security::to_string(a.role));
  if (auto s = app.security.audit.append(
          app.db, security::AuditEntry{now, a.id, role, "tokens.create", "api_token", info.id, "",
                                       "", req.request_id});
      !s) {
    // No live token without its audit entry: take it back.
    (void)app.security.tokens.revoke(info.id, now);
    return app.renderer.error_page(req, 503);
  }
  boost::json::object model{
      {"title", text(app, req, "console.tokens.created_title")},
      {"nav_current", {{"console", true}}},
      {"token", created->token},
      {"name", info.name},
      {"role",
       text(app, req, "console.tokens.role_" + std::string(security::to_string(info.role)))}};
  if (info.expires_at) model["expires"] = local_time(app, *info.expires_at);
  return app.renderer.page(200, "console_token_created", req, std::move(model));
}

http::Response revoke_token(app::App& app, http::Request& req) {
  auto actor = permitted(app, req, "console.tokens.manage");
  if (!actor) return refused(app, req, actor.error());
  const security::Actor& a = **actor;
  const core::Timestamp now = app.clock.now();
  const std::string id(req.param("id"));
  if (auto s = app.security.tokens.revoke(id, now); !s)
    return app.renderer.error_page(req, s.error().code == core::ErrorCode::not_found ? 404 : 503);
  if (auto s = app.security.audit.append(
          app.db, security::AuditEntry{now, a.id, std::string(security::to_string(a.role)),
                                       "tokens.revoke", "api_token", id, "", "", req.request_id});
      !s)
    return app.renderer.error_page(req, 503);
  return http::Response::redirect("/konsol/token");
}

}  // namespace

void install_token_pages(app::App& app) {
  using http::Method;
  add_route(app, Method::get, "/konsol/token",
            [&app](http::Request& req) { return list_tokens(app, req); });
  add_route(
      app, Method::post, "/konsol/token",
      [&app](http::Request& req) { return create_token(app, req); }, kFormBodyLimit);
  add_route(
      app, Method::post, "/konsol/token/{id:uuid}/cabut",
      [&app](http::Request& req) { return revoke_token(app, req); }, 4 * 1024);
}

}  // namespace balai::console
