#include "modules/complaints/staff_page_support.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>

#include "http/json.h"
#include "modules/catalog/module.h"
#include "modules/catalog/service.h"
#include "security/policy.h"

namespace balai::complaints::staff_pages {
namespace {

// The catalog's text, or "" when the key is missing (the catalog answers the key itself).
std::string lookup(const app::App& app, const http::Request& req, const std::string& key) {
  std::string_view found = app.renderer.catalogs().text(req.context.lang, key);
  return found == key ? std::string() : std::string(found);
}

// The service's reasons are short English phrases for API clients ("required", "at most 4000
// characters", "an after photo is required for this category"); the pages need three kinds.
std::string_view reason_kind(std::string_view reason) {
  if (reason.find("required") != std::string_view::npos) return "required";
  if (reason.starts_with("at most")) return "too_long";
  return "invalid";
}

}  // namespace

std::string text(const app::App& app, const http::Request& req, std::string_view key) {
  return std::string(app.renderer.catalogs().text(req.context.lang, key));
}

std::string value(const http::Form& form, std::string_view name) {
  return std::string(form.get(name).value_or(""));
}

void FieldErrors::add(std::string field, std::string element_id, std::string message) {
  for (const auto& i : items_)
    if (!field.empty() && i.field == field) return;
  items_.push_back({std::move(field), std::move(element_id), std::move(message)});
}

void FieldErrors::add_general(std::string message) {
  items_.push_back({"", "", std::move(message)});
}

void FieldErrors::put(boost::json::object& model) const {
  if (items_.empty()) return;
  boost::json::array list;
  boost::json::object invalid;
  for (const auto& i : items_) {
    boost::json::object entry{{"message", i.message}};
    if (!i.element_id.empty()) entry["href"] = "#" + i.element_id;
    list.push_back(std::move(entry));
    if (!i.field.empty()) invalid[i.field] = i.message;
  }
  model["has_errors"] = true;
  model["errors"] = std::move(list);
  model["invalid"] = std::move(invalid);
}

std::string field_message(const app::App& app, const http::Request& req, std::string_view as,
                          std::string_view reason) {
  const std::string base = "complaints_staff.errors." + std::string(as) + ".";
  if (auto m = lookup(app, req, base + std::string(reason_kind(reason))); !m.empty()) return m;
  if (auto m = lookup(app, req, base + "invalid"); !m.empty()) return m;
  return text(app, req, "complaints_staff.errors.generic");
}

bool add_service_errors(FieldErrors& errors, const app::App& app, const http::Request& req,
                        const core::Error& error, const std::vector<FieldTarget>& targets) {
  bool any = false;
  for (const auto& t : targets) {
    auto it = error.fields.find(t.field);
    if (it == error.fields.end()) continue;
    errors.add(t.as, t.element_id, field_message(app, req, t.as, it->second));
    any = true;
  }
  return any;
}

std::string local_time(const app::App& app, const http::Request& req, core::Timestamp t) {
  const core::Zone zone = app.config.city.zone;
  const core::LocalTime local = core::to_local_time(t, zone);
  const core::Date& d = local.date;
  return fmt::format("{} {} {} {:02}{}{:02} {}", d.day,
                     text(app, req, fmt::format("complaints_staff.months_short.m{}", d.month)),
                     d.year, local.hour, text(app, req, "complaints_staff.time_separator"),
                     local.minute, core::zone_abbreviation(zone));
}

std::string iso_time(const app::App& app, core::Timestamp t) {
  return core::format_iso8601(t, app.config.city.zone);
}

std::map<std::string, std::string> agency_names(app::App& app, std::string_view lang) {
  std::map<std::string, std::string> names;
  if (auto* catalog = catalog::service_of(app))
    if (auto agencies = catalog->agencies())
      for (const auto& a : *agencies) names[a.code] = a.name.in(lang);
  return names;
}

std::string name_or_code(const std::map<std::string, std::string>& names, std::string_view code) {
  auto it = names.find(std::string(code));
  return it == names.end() ? std::string(code) : it->second;
}

std::map<std::string, std::string> staff_names(app::App& app, std::vector<std::string> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::erase(ids, std::string());
  std::map<std::string, std::string> names;
  if (ids.empty()) return names;
  if (auto accounts = app.security.accounts.find_many(ids))
    for (const auto& a : *accounts) names[a.id] = a.display_name;
  return names;
}

std::vector<security::Account> agency_staff(app::App& app, std::string_view agency) {
  std::vector<security::Account> out;
  for (auto role : {security::Role::officer, security::Role::supervisor}) {
    auto list = app.security.accounts.list(role);
    if (!list) continue;
    for (auto& a : *list)
      if (a.active && a.agency == agency) out.push_back(std::move(a));
  }
  std::sort(out.begin(), out.end(), [](const security::Account& a, const security::Account& b) {
    return a.display_name < b.display_name;
  });
  return out;
}

std::string status_label(const app::App& app, const http::Request& req, Status s) {
  return text(app, req, "complaints_staff.status." + std::string(to_string(s)));
}

http::Response private_page(const app::App& app, int status, std::string_view page,
                            const http::Request& req, boost::json::object model) {
  http::Response res = app.renderer.page(status, page, req, std::move(model));
  res.headers.set("Cache-Control", "no-store");
  return res;
}

std::optional<http::Response> refuse_unless_staff(app::App& app, const http::Request& req,
                                                  const security::Actor* actor,
                                                  std::string_view back) {
  if (!actor) {
    http::Response res = http::Response::redirect("/masuk?next=" + std::string(back));
    res.headers.set("Cache-Control", "no-store");
    return res;
  }
  // The policy records a refusal of a signed-in person (intrusion detection counts them).
  if (!app.security.policy.authorize(actor, "complaints.handle", {"", actor->agency}))
    return app.renderer.error_page(req, 403);
  return std::nullopt;
}

http::Response refusal_page(app::App& app, const http::Request& req, const core::Error& e) {
  return app.renderer.error_page(req, http::status_for(e.code));
}

}  // namespace balai::complaints::staff_pages
