#include "modules/identity/page_support.h"

#include <fmt/format.h>

#include <boost/json.hpp>

#include "http/json.h"

namespace balai::identity::pages {
namespace {

// The catalog's text, or "" when the key is missing (the catalog answers the key itself).
std::string lookup(const app::App& app, const http::Request& req, const std::string& key) {
  std::string_view found = app.renderer.catalogs().text(req.context.lang, key);
  return found == key ? std::string() : std::string(found);
}

}  // namespace

std::string text(const app::App& app, const http::Request& req, std::string_view key) {
  return std::string(app.renderer.catalogs().text(req.context.lang, key));
}

std::string text_or(const app::App& app, const http::Request& req, std::string_view key,
                    std::string_view fallback) {
  if (auto found = lookup(app, req, std::string(key)); !found.empty()) return found;
  return text(app, req, fallback);
}

std::string value(const http::Form& form, std::string_view name) {
  return std::string(form.get(name).value_or(""));
}

void FieldErrors::add(std::string field, std::string element_id, std::string message) {
  if (has(field)) return;  // the first problem of a field is the one to fix first
  items_.push_back({std::move(field), std::move(element_id), std::move(message)});
}

void FieldErrors::add_general(std::string message) {
  items_.push_back({"", "", std::move(message)});
}

bool FieldErrors::has(std::string_view field) const {
  for (const auto& i : items_)
    if (!field.empty() && i.field == field) return true;
  return false;
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

std::string field_message(const app::App& app, const http::Request& req, std::string_view field,
                          std::string_view reason) {
  const std::string base = "identity.errors." + std::string(field) + ".";
  if (auto m = lookup(app, req, base + std::string(reason)); !m.empty()) return m;
  if (auto m = lookup(app, req, base + "invalid"); !m.empty()) return m;
  return text(app, req, "identity.errors.generic");
}

void add_service_errors(FieldErrors& errors, const app::App& app, const http::Request& req,
                        const core::Error& error, const std::vector<FieldTarget>& targets) {
  for (const auto& t : targets) {
    auto it = error.fields.find(t.field);
    if (it == error.fields.end()) continue;
    errors.add(t.as.empty() ? t.field : t.as, t.element_id,
               field_message(app, req, t.field, it->second));
  }
}

AgencyNames::AgencyNames(app::App& app) : store_(app.db), catalog_(store_, app.clock, app.cache) {}

std::map<std::string, std::string> AgencyNames::in(std::string_view lang) const {
  std::map<std::string, std::string> names;
  if (auto agencies = catalog_.agencies())
    for (const auto& a : *agencies) names[a.code] = a.name.in(lang);
  return names;
}

std::string local_time(const app::App& app, const http::Request& req, core::Timestamp t) {
  const core::Zone zone = app.config.city.zone;
  const core::LocalTime local = core::to_local_time(t, zone);
  const core::Date& d = local.date;
  return fmt::format("{} {} {} {:02}{}{:02} {}", d.day,
                     text(app, req, fmt::format("identity.months_short.m{}", d.month)), d.year,
                     local.hour, text(app, req, "identity.time_separator"), local.minute,
                     core::zone_abbreviation(zone));
}

std::string iso_time(const app::App& app, core::Timestamp t) {
  return core::format_iso8601(t, app.config.city.zone);
}

std::string long_date(const app::App& app, const http::Request& req, core::Date d) {
  return fmt::format("{} {} {}", d.day, text(app, req, fmt::format("identity.months.m{}", d.month)),
                     d.year);
}

std::string month_name(const app::App& app, const http::Request& req, std::string_view month) {
  // "2026-11": the year, then the month's number.
  if (month.size() != 7 || month[4] != '-') return std::string(month);
  const int m = (month[5] - '0') * 10 + (month[6] - '0');
  if (m < 1 || m > 12) return std::string(month);
  return fmt::format("{} {}", text(app, req, fmt::format("identity.months.m{}", m)),
                     month.substr(0, 4));
}

http::Response private_page(const app::App& app, int status, std::string_view page,
                            const http::Request& req, boost::json::object model) {
  http::Response res = app.renderer.page(status, page, req, std::move(model));
  res.headers.set("Cache-Control", "no-store");
  return res;
}

http::Response sign_in_first(std::string_view path) {
  http::Response res = http::Response::redirect("/masuk?next=" + std::string(path));
  res.headers.set("Cache-Control", "no-store");
  return res;
}

void add_retry_after(http::Response& res, const core::Error& error) {
  if (auto it = error.fields.find("retry_after"); it != error.fields.end())
    res.headers.set("Retry-After", it->second);
}

int form_status(const core::Error& error) {
  return error.code == core::ErrorCode::unauthenticated ? 422 : http::status_for(error.code);
}

}  // namespace balai::identity::pages
