// HTML routes of staff accounts in the console (every answer Cache-Control: no-store):
//   GET  /konsol/staf                          every staff account and the form for a new one
//   POST /konsol/staf                          create one: needs a sign-in within the last 15
//                                              minutes; the person gets the initial password
//                                              from the administrator, out of band, and enrols
//                                              TOTP at the first sign-in
//   POST /konsol/staf/{id}/nonaktifkan         deactivate one (never oneself); ends its sessions
// Creating and deactivating are audited ("accounts.create", "accounts.deactivate").
// Names of staff show in full to administrators and auditors; emails only masked.
#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <vector>

#include "core/text.h"
#include "http/form.h"
#include "http/json.h"
#include "modules/catalog/service.h"
#include "modules/console/routes.h"
#include "modules/console/rules.h"
#include "modules/console/staff_rules.h"
#include "security/accounts.h"
#include "security/audit.h"
#include "security/password_policy.h"

namespace balai::console {
namespace {

constexpr uint64_t kFormBodyLimit = 8 * 1024;
constexpr security::Role kStaffRoles[] = {security::Role::officer, security::Role::supervisor,
                                          security::Role::admin, security::Role::auditor};
// The form's fields in their order on the page (the error summary follows it).
constexpr std::string_view kFields[] = {"role", "agency", "name", "email", "password"};

// What the administrator typed, shown again with the problems found (never the password).
struct StaffForm {
  std::string role = "officer";
  std::string agency;
  std::string name;
  std::string email;
  std::map<std::string, std::string> errors;  // field -> reason ("required", "taken", ...)
};

std::string field(const http::Form& form, std::string_view name) {
  return std::string(core::trim(form.get(name).value_or("")));
}

// The message for a field's problem: the reason's own text where the catalog has one
// ("error_password_common"), else the field's general one ("error_password").
std::string error_text(const app::App& app, const http::Request& req, std::string_view name,
                       const std::string& reason) {
  const std::string general = "console_staff.staff.error_" + std::string(name);
  const std::string specific = general + "_" + reason;
  std::string message = text(app, req, specific);
  return message == specific ? text(app, req, general) : message;
}

// Problems the account rules found, under the form's field names (display_name is "name"); a
// field that already has a problem keeps it.
void merge_errors(StaffForm& form, const core::Error& error) {
  for (const auto& [name, reason] : error.fields)
    form.errors.emplace(name == "display_name" ? "name" : name, reason);
}

std::string role_text(const app::App& app, const http::Request& req, security::Role role) {
  return text(app, req, "roles." + std::string(security::to_string(role)));
}

http::Response reauth_page(app::App& app, http::Request& req) {
  return app.renderer.page(403, "console_staff", req,
                           {{"title", text(app, req, "console_staff.reauth.title")},
                            {"nav_current", {{"console", true}}},
                            {"reauth", true}});
}

// Every staff account, oldest first. Role by role, so that citizens' accounts (the many) are
// neither read nor decrypted.
core::Result<std::vector<security::Account>> staff_accounts(const app::App& app) {
  std::vector<security::Account> out;
  for (security::Role role : kStaffRoles) {
    auto some = app.security.accounts.list(role);
    if (!some) return some.take_error();
    for (auto& a : *some) out.push_back(std::move(a));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
  return out;
}

http::Response staff_page(app::App& app, const catalog::CatalogService& catalog, http::Request& req,
                          const security::Actor& actor, int status, const StaffForm& form) {
  auto accounts = staff_accounts(app);
  auto agencies = catalog.agencies();
  if (!accounts || !agencies) return app.renderer.error_page(req, 503);
  const std::string_view lang = req.context.lang;
  std::map<std::string, std::string, std::less<>> agency_names;
  for (const auto& a : *agencies) agency_names[a.code] = a.name.in(lang);
  const bool can_manage = may(app, actor, "console.staff.manage");

  boost::json::array staff;
  for (const auto& a : *accounts) {
    auto known = agency_names.find(a.agency);
    boost::json::object o{{"id", a.id},
                          {"name", a.display_name.empty() ? std::string("—") : a.display_name},
                          {"email", a.email.empty() ? std::string("—") : mask_email(a.email)},
                          {"role", role_text(app, req, a.role)},
                          {"agency", a.agency.empty() ? std::string("—") : a.agency},
                          {"active", a.active},
                          {"two_factor", a.totp_enabled},
                          {"created", local_time(app, a.created_at)},
                          {"deactivatable", can_manage && a.active && a.id != actor.id}};
    if (known != agency_names.end()) o["agency_name"] = known->second;
    staff.push_back(std::move(o));
  }

  boost::json::array roles;
  for (security::Role r : kStaffRoles) {
    const std::string value(security::to_string(r));
    roles.push_back(
        {{"value", value}, {"label", role_text(app, req, r)}, {"selected", form.role == value}});
  }
  boost::json::array agency_options;
  for (const auto& a : *agencies)
    agency_options.push_back({{"value", a.code},
                              {"label", a.name.in(lang) + " (" + a.code + ")"},
                              {"selected", form.agency == a.code}});

  boost::json::array errors;
  boost::json::object invalid;
  for (std::string_view name : kFields) {
    auto found = form.errors.find(std::string(name));
    if (found == form.errors.end()) continue;
    const std::string message = error_text(app, req, name, found->second);
    errors.push_back({{"href", "#staff-" + std::string(name)}, {"message", message}});
    invalid[name] = message;
  }
  const bool has_errors = !errors.empty();
  const bool has_staff = !staff.empty();
  boost::json::object model{
      {"title", text(app, req, "console_staff.staff.title")},
      {"nav_current", {{"console", true}}},
      {"has_staff", has_staff},
      {"staff", std::move(staff)},
      {"can_manage", can_manage},
      {"just_created", req.query_param("dibuat").has_value() && status == 200},
      {"has_errors", has_errors},
      {"errors", std::move(errors)},
      {"invalid", std::move(invalid)},
      {"form",
       {{"name", form.name},
        {"email", form.email},
        {"no_agency", form.agency.empty()},
        {"roles", std::move(roles)},
        {"agencies", std::move(agency_options)}}}};
  return app.renderer.page(status, "console_staff", req, std::move(model));
}

// The answer to a created account: its audit entry, then back to the list with a notice.
http::Response audited_creation(app::App& app, const http::Request& req, const security::Actor& a,
                                const security::Account& created, core::Timestamp now) {
  if (auto s = app.security.audit.append(
          app.db,
          security::AuditEntry{now, a.id, std::string(security::to_string(a.role)),
                               "accounts.create", "account", created.id, "", "", req.request_id});
      !s) {
    // No account that can sign in without its audit entry: switch it off again.
    (void)app.security.accounts.set_active(created.key, false, now);
    return app.renderer.error_page(req, 503);
  }
  return http::Response::redirect("/konsol/staf?dibuat=1");
}

// Adds the problems of the name, the email and the password that `form` does not name yet, so
// that one answer names every problem. The account rules stop at the first group that fails
// (name, email and agency before the password), so the password is checked on its own. Nothing
// is hashed or stored. Fails only when the checks themselves fail.
core::Status other_problems(const app::App& app, const security::NewAccount& request,
                            StaffForm& form) {
  // The role and the agency are this page's to check; an auditor's without a password gets no
  // further than the password rule, before any hashing.
  security::NewAccount probe = request;
  probe.role = security::Role::auditor;
  probe.agency.clear();
  probe.password.clear();
  if (auto checked = app.security.accounts.prepare(probe, {}, app.clock.now()); !checked) {
    if (checked.error().code != core::ErrorCode::validation_failed) return checked.take_error();
    core::Error found = checked.error();
    found.fields.erase("password");
    merge_errors(form, found);
  }
  if (form.errors.contains("password")) return {};
  security::PersonalContext who;
  who.full_name = std::string(core::trim(request.display_name));
  who.email = security::normalize_login(request.email);
  who.city_name = app.config.city.name;
  if (auto s = security::check_password(request.password, who, app.security.common_passwords); !s) {
    auto reason = s.error().fields.find("password");
    form.errors.emplace("password", reason == s.error().fields.end() ? "invalid" : reason->second);
  }
  return {};
}

http::Response list_staff(app::App& app, const catalog::CatalogService& catalog,
                          http::Request& req) {
  auto actor = permitted(app, req, "console.read");
  if (!actor) return refused(app, req, actor.error());
  return staff_page(app, catalog, req, **actor, 200, StaffForm{});
}

http::Response create_staff(app::App& app, const catalog::CatalogService& catalog,
                            http::Request& req) {
  auto actor = permitted(app, req, "console.staff.manage");
  if (!actor) return refused(app, req, actor.error());
  const security::Actor& a = **actor;
  const core::Timestamp now = app.clock.now();
  if (!recently_authenticated(a, now)) return reauth_page(app, req);
  auto parsed = http::parse_form(req);
  if (!parsed) return app.renderer.error_page(req, http::status_for(parsed.error().code));

  StaffForm form{field(*parsed, "role"),
                 field(*parsed, "agency"),
                 field(*parsed, "name"),
                 field(*parsed, "email"),
                 {}};
  const auto role = parse_staff_role(form.role);
  if (!role) form.errors["role"] = "invalid";
  auto agencies = catalog.agencies();
  if (!agencies) return app.renderer.error_page(req, 503);
  if (!form.agency.empty()) {
    bool known = false;
    for (const auto& agency : *agencies) known = known || agency.code == form.agency;
    if (!known) form.errors["agency"] = "unknown";
  } else if (role && needs_agency(*role)) {
    form.errors["agency"] = "required";
  }

  security::NewAccount request;
  request.role = role.value_or(security::Role::auditor);  // only created when the role was read
  request.agency = form.agency;
  request.display_name = form.name;
  request.email = form.email;
  request.password = std::string(parsed->get("password").value_or(""));
  auto& accounts = app.security.accounts;
  int status = 422;
  if (form.errors.empty()) {
    auto created = accounts.create(request, now);
    if (created) return audited_creation(app, req, a, *created, now);
    const core::ErrorCode code = created.error().code;
    if (code != core::ErrorCode::validation_failed && code != core::ErrorCode::conflict)
      return app.renderer.error_page(req, 503);
    merge_errors(form, created.error());
    status = http::status_for(code);
  }
  if (auto found = other_problems(app, request, form); !found)
    return app.renderer.error_page(req, 503);
  return staff_page(app, catalog, req, a, status, form);
}

http::Response deactivate_staff(app::App& app, http::Request& req) {
  auto actor = permitted(app, req, "console.staff.manage");
  if (!actor) return refused(app, req, actor.error());
  const security::Actor& a = **actor;
  const std::string id(req.param("id"));
  auto account = app.security.accounts.find(id);
  if (!account) return app.renderer.error_page(req, 503);
  // Citizens' accounts are not the console's to switch off: as unknown as a made-up id.
  if (!*account || !security::is_staff((*account)->role)) return app.renderer.error_page(req, 404);
  // Locking oneself out is never what an administrator means to do (and could leave none).
  if (id == a.id) return app.renderer.error_page(req, 409);
  if (!(*account)->active) return http::Response::redirect("/konsol/staf");
  const core::Timestamp now = app.clock.now();
  // The entry first, so that no account is switched off unrecorded.
  if (auto s = app.security.audit.append(
          app.db,
          security::AuditEntry{now, a.id, std::string(security::to_string(a.role)),
                               "accounts.deactivate", "account", id, "", "", req.request_id});
      !s)
    return app.renderer.error_page(req, 503);
  // Also ends every session of the account, in the same transaction.
  if (auto s = app.security.accounts.set_active((*account)->key, false, now); !s)
    return app.renderer.error_page(req, 503);
  return http::Response::redirect("/konsol/staf");
}

}  // namespace

void install_staff_pages(app::App& app, const catalog::CatalogService& catalog) {
  using http::Method;
  add_route(app, Method::get, "/konsol/staf",
            [&app, &catalog](http::Request& req) { return list_staff(app, catalog, req); });
  add_route(
      app, Method::post, "/konsol/staf",
      [&app, &catalog](http::Request& req) { return create_staff(app, catalog, req); },
      kFormBodyLimit);
  add_route(
      app, Method::post, "/konsol/staf/{id:uuid}/nonaktifkan",
      [&app](http::Request& req) { return deactivate_staff(app, req); }, 4 * 1024);
}

}  // namespace balai::console
