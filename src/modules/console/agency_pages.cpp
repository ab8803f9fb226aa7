// HTML routes of the city's agencies (OPD) in the console (every answer Cache-Control: no-store):
//   GET  /konsol/instansi    every agency of the catalog and the form to add one or rename one
//                            (?kode=<code> fills the form with that agency's names)
//   POST /konsol/instansi    save one: a new code adds an agency, a known code renames it
// Saving is audited ("agencies.save"); administrators only, auditors read.
#include <boost/json.hpp>
#include <map>

#include "core/text.h"
#include "http/form.h"
#include "http/json.h"
#include "modules/catalog/service.h"
#include "modules/console/routes.h"
#include "modules/console/staff_rules.h"
#include "security/audit.h"

namespace balai::console {
namespace {

constexpr uint64_t kFormBodyLimit = 4 * 1024;

// The form's fields in their order on the page, with the id of their input.
constexpr std::pair<std::string_view, std::string_view> kFields[] = {
    {"code", "agency-code"}, {"name_id", "agency-name-id"}, {"name_en", "agency-name-en"}};

struct AgencyForm {
  AgencyInput typed;
  std::map<std::string, std::string> errors;  // field -> reason (only the field names are used)
};

std::string field(const http::Form& form, std::string_view name) {
  return std::string(core::trim(form.get(name).value_or("")));
}

http::Response agencies_page(app::App& app, const catalog::CatalogService& catalog,
                             http::Request& req, const security::Actor& actor, int status,
                             const AgencyForm& form) {
  auto list = catalog.agencies();
  if (!list) return app.renderer.error_page(req, 503);
  boost::json::array agencies;
  for (const auto& a : *list)
    agencies.push_back({{"code", a.code},
                        {"name_id", a.name.id},
                        {"name_en", a.name.en.empty() ? std::string("—") : a.name.en}});
  boost::json::array errors;
  boost::json::object invalid;
  for (const auto& [name, id] : kFields) {
    if (!form.errors.contains(std::string(name))) continue;
    const std::string message = text(app, req, "console_staff.agencies.error_" + std::string(name));
    errors.push_back({{"href", "#" + std::string(id)}, {"message", message}});
    invalid[name] = message;
  }
  const bool has_errors = !errors.empty();
  const bool has_agencies = !agencies.empty();
  return app.renderer.page(status, "console_agencies", req,
                           {{"title", text(app, req, "console_staff.agencies.title")},
                            {"nav_current", {{"console", true}}},
                            {"has_agencies", has_agencies},
                            {"agencies", std::move(agencies)},
                            {"can_manage", may(app, actor, "console.agencies.manage")},
                            {"has_errors", has_errors},
                            {"errors", std::move(errors)},
                            {"invalid", std::move(invalid)},
                            {"form",
                             {{"code", form.typed.code},
                              {"name_id", form.typed.name_id},
                              {"name_en", form.typed.name_en}}}});
}

http::Response list_agencies(app::App& app, const catalog::CatalogService& catalog,
                             http::Request& req) {
  auto actor = permitted(app, req, "console.read");
  if (!actor) return refused(app, req, actor.error());
  AgencyForm form;
  // "Rename" links fill the form with an agency's current names; an unknown code fills nothing.
  if (auto code = req.query_param("kode"); code && is_agency_code(*code)) {
    auto list = catalog.agencies();
    if (!list) return app.renderer.error_page(req, 503);
    for (const auto& a : *list)
      if (a.code == *code) form.typed = AgencyInput{a.code, a.name.id, a.name.en};
  }
  return agencies_page(app, catalog, req, **actor, 200, form);
}

http::Response save_agency(app::App& app, catalog::CatalogService& catalog, http::Request& req) {
  auto actor = permitted(app, req, "console.agencies.manage");
  if (!actor) return refused(app, req, actor.error());
  const security::Actor& a = **actor;
  auto parsed = http::parse_form(req);
  if (!parsed) return app.renderer.error_page(req, http::status_for(parsed.error().code));
  AgencyForm form;
  form.typed =
      AgencyInput{field(*parsed, "code"), field(*parsed, "name_id"), field(*parsed, "name_en")};
  if (auto valid = validate(form.typed, /*english_required=*/true); !valid) {
    form.errors = valid.error().fields;
    return agencies_page(app, catalog, req, a, 422, form);
  }
  const core::Timestamp now = app.clock.now();
  // The entry is written before the change, so no agency is added or renamed unrecorded.
  if (auto s = app.security.audit.append(
          app.db,
          security::AuditEntry{now, a.id, std::string(security::to_string(a.role)), "agencies.save",
                               "agency", form.typed.code, "", "", req.request_id});
      !s)
    return app.renderer.error_page(req, 503);
  const catalog::Agency agency{form.typed.code, {form.typed.name_id, form.typed.name_en}};
  if (auto saved = catalog.save_agency(agency); !saved) {
    if (saved.error().code != core::ErrorCode::validation_failed)
      return app.renderer.error_page(req, 503);
    // The catalog's own rules passed ours already; should they ever differ, say so at the field.
    for (const auto& [name, reason] : saved.error().fields)
      form.errors[name == "code" ? "code" : name == "name.en" ? "name_en" : "name_id"] = reason;
    return agencies_page(app, catalog, req, a, 422, form);
  }
  return http::Response::redirect("/konsol/instansi");
}

}  // namespace

void install_agency_pages(app::App& app, catalog::CatalogService& catalog) {
  using http::Method;
  add_route(app, Method::get, "/konsol/instansi",
            [&app, &catalog](http::Request& req) { return list_agencies(app, catalog, req); });
  add_route(
      app, Method::post, "/konsol/instansi",
      [&app, &catalog](http::Request& req) { return save_agency(app, catalog, req); },
      kFormBodyLimit);
}

}  // namespace balai::console
