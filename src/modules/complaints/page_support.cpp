#include "modules/complaints/page_support.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <numbers>

#include "modules/catalog/module.h"
#include "modules/catalog/service.h"
#include "modules/complaints/rules.h"
#include "modules/regions/directory.h"

namespace balai::complaints::pages {
namespace {

// The catalog's text, or "" when the key is missing (the catalog answers the key itself).
std::string lookup(const app::App& app, const http::Request& req, const std::string& key) {
  std::string_view found = app.renderer.catalogs().text(req.context.lang, key);
  return found == key ? std::string() : std::string(found);
}

// The message key of a service's reason for a field: the service words its reasons in English
// for developers; the page words them for the person, by what the reason is about.
std::string_view reason_key(std::string_view field, std::string_view reason) {
  auto says = [&](std::string_view part) { return reason.find(part) != std::string_view::npos; };
  if (reason == "required" || says("required with")) return "required";
  if (field == "photos") {
    if (says("at most")) return "too_many";
    if (says("too large")) return "too_large";
    if (says("could not be read")) return "unreadable";
    return "not_image";
  }
  if (says("outside")) return "outside";
  if (says("before")) return "before";
  if (says("give a map pin")) return "required";
  if (says("at most")) return "too_long";
  if (says("unknown")) return "unknown";
  return "invalid";
}

core::Date local_date_of(const app::App& app, core::Timestamp t) {
  return core::local_date(t, app.config.city.zone);
}

}  // namespace

std::string text(const app::App& app, const http::Request& req, std::string_view key) {
  return std::string(app.renderer.catalogs().text(req.context.lang, key));
}

std::string fill(std::string pattern,
                 std::initializer_list<std::pair<std::string_view, std::string>> values) {
  for (const auto& [name, v] : values) {
    const std::string marker = "{" + std::string(name) + "}";
    for (size_t at = pattern.find(marker); at != std::string::npos;
         at = pattern.find(marker, at + v.size()))
      pattern.replace(at, marker.size(), v);
  }
  return pattern;
}

std::string value(const http::Form& form, std::string_view name) {
  return std::string(form.get(name).value_or(""));
}

void FieldErrors::add(std::string field, std::string element_id, std::string message) {
  if (has(field)) return;
  items_.push_back({std::move(field), std::move(element_id), std::move(message)});
}

void FieldErrors::add_general(std::string message) {
  items_.push_back({"", "", std::move(message)});
}

bool FieldErrors::has(std::string_view field) const {
  return std::any_of(items_.begin(), items_.end(),
                     [&](const Item& i) { return !field.empty() && i.field == field; });
}

std::string FieldErrors::message(std::string_view field) const {
  for (const auto& i : items_)
    if (i.field == field) return i.message;
  return {};
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
  const std::string base = "complaints.errors." + std::string(field) + ".";
  if (auto m = lookup(app, req, base + std::string(reason_key(field, reason))); !m.empty())
    return m;
  if (auto m = lookup(app, req, base + "invalid"); !m.empty()) return m;
  return text(app, req, "complaints.errors.generic");
}

void add_service_errors(FieldErrors& errors, const app::App& app, const http::Request& req,
                        const core::Error& error, const std::vector<FieldTarget>& targets) {
  for (const auto& t : targets) {
    auto it = error.fields.find(t.field);
    if (it == error.fields.end()) continue;
    errors.add(t.field, t.element_id, field_message(app, req, t.field, it->second));
  }
}

std::string local_time(const app::App& app, const http::Request& req, core::Timestamp t) {
  const core::Zone zone = app.config.city.zone;
  const core::LocalTime local = core::to_local_time(t, zone);
  return fmt::format("{} {:02}{}{:02} {}", local_day(app, req, t), local.hour,
                     text(app, req, "complaints.time_separator"), local.minute,
                     core::zone_abbreviation(zone));
}

std::string local_day(const app::App& app, const http::Request& req, core::Timestamp t) {
  const core::Date d = local_date_of(app, t);
  return fmt::format("{} {} {}", d.day,
                     text(app, req, fmt::format("complaints.months_short.m{}", d.month)), d.year);
}

std::string long_date(const app::App& app, const http::Request& req, core::Date d) {
  return fmt::format("{} {} {}", d.day,
                     text(app, req, fmt::format("complaints.months.m{}", d.month)), d.year);
}

std::string iso_time(const app::App& app, core::Timestamp t) {
  return core::format_iso8601(t, app.config.city.zone);
}

std::string age(const app::App& app, const http::Request& req, core::Timestamp t,
                core::Timestamp now) {
  const int64_t days =
      core::days_from_civil(local_date_of(app, now)) - core::days_from_civil(local_date_of(app, t));
  if (days <= 0) return text(app, req, "complaints.age.today");
  if (days == 1) return text(app, req, "complaints.age.yesterday");
  if (days <= 30) return fill(text(app, req, "complaints.age.days"), {{"n", std::to_string(days)}});
  return local_day(app, req, t);
}

std::string month_name(const app::App& app, const http::Request& req, std::string_view month) {
  if (month.size() != 7 || month[4] != '-') return std::string(month);
  const int m = (month[5] - '0') * 10 + (month[6] - '0');
  if (m < 1 || m > 12) return std::string(month);
  return fmt::format("{} {}", text(app, req, fmt::format("complaints.months.m{}", m)),
                     month.substr(0, 4));
}

std::string number(const http::Request& req, double value, int decimals) {
  const bool english = req.context.lang == "en";
  const std::string plain = fmt::format("{:.{}f}", value, decimals);
  const bool negative = plain.starts_with('-');
  const size_t point = plain.find('.');
  const std::string whole = plain.substr(negative ? 1 : 0, point - (negative ? 1 : 0));
  std::string out = negative ? "-" : "";
  for (size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) out += english ? ',' : '.';
    out += whole[i];
  }
  if (point != std::string::npos) out += (english ? "." : ",") + plain.substr(point + 1);
  return out;
}

Names::Names(app::App& app, ComplaintService& service, std::string_view lang)
    : app_(app), lang_(lang) {
  if (auto all = service.categories(); all && *all) categories_ = **all;
  if (auto* catalog = catalog::service_of(app))
    if (auto list = catalog->agencies())
      for (const auto& a : *list) agencies_[a.code] = a.name.in(lang);
}

std::string Names::category(std::string_view code) const {
  for (const auto& c : categories_)
    if (c.code == code) return c.name(lang_);
  return std::string(code);
}

std::string Names::agency(std::string_view code) const {
  auto it = agencies_.find(code);
  return it != agencies_.end() ? it->second : std::string(code);
}

std::string Names::place(std::string_view village_code) const {
  if (village_code.empty()) return {};
  const auto lineage = app_.regions.lineage(village_code);
  std::string out;
  for (auto it = lineage.rbegin(); it != lineage.rend(); ++it) {
    if ((*it)->level < regions::Level::district) break;
    if (!out.empty()) out += ", ";
    out += (*it)->name;
  }
  return out.empty() ? std::string(village_code) : out;
}

std::string Names::district(std::string_view code) const {
  for (const auto* r : app_.regions.lineage(code))
    if (r->level == regions::Level::district) return r->name;
  return std::string(code);
}

std::string status_words(const app::App& app, const http::Request& req, Status s) {
  return text(app, req, "complaints.status." + std::string(to_string(s)));
}

std::string next_step(const app::App& app, const http::Request& req, const Complaint& c,
                      const Names& names) {
  if (!c.merged_into.empty()) return text(app, req, "complaints.next.merged");
  const std::string due = c.due_at ? local_time(app, req, *c.due_at) : std::string();
  std::string key = "complaints.next." + std::string(to_string(c.status));
  if (due.empty() && c.status != Status::rejected && c.status != Status::closed) key += "_undated";
  return fill(text(app, req, key),
              {{"due", due},
               {"agency", c.agency_code.empty() ? std::string() : names.agency(c.agency_code)}});
}

boost::json::object summary_model(const app::App& app, const http::Request& req, const Complaint& c,
                                  const Names& names, core::Timestamp now) {
  boost::json::object o{
      {"tracking", c.tracking},
      {"href", "/pengaduan/" + c.tracking},
      {"title", rules::display_title(c.title, c.description)},
      {"category", names.category(c.category_code)},
      {"status", status_words(app, req, c.status)},
      {"status_code", to_string(c.status)},
      {"age", age(app, req, c.created_at, now)},
      {"created", local_time(app, req, c.created_at)},
      {"created_iso", iso_time(app, c.created_at)},
      {"supporters", c.supporters},
      {"supporters_text", fill(text(app, req,
                                    c.supporters == 1 ? "complaints.list.supporter_one"
                                                      : "complaints.list.supporters"),
                               {{"n", number(req, static_cast<double>(c.supporters), 0)}})}};
  // Only what is there: mustache shows a section for any string, even an empty one.
  if (auto place = names.place(c.village_code); !place.empty()) o["place"] = std::move(place);
  if (!c.address.empty()) o["address"] = c.address;
  if (c.location) {
    o["lat"] = core::format_degrees_e6(c.location->lat_e6);
    o["lon"] = core::format_degrees_e6(c.location->lon_e6);
  }
  return o;
}

boost::json::object map_model(const app::App& app, const http::Request& req) {
  const std::string& tiles = app.config.city.map_tiles;
  std::string host;
  if (auto scheme = tiles.find("://"); scheme != std::string::npos) {
    const size_t start = scheme + 3;
    host = tiles.substr(start, tiles.find('/', start) - start);
  }
  return {{"area", app.config.city.area},
          {"tiles", tiles},
          {"attribution",
           host.empty() ? std::string()
                        : fill(text(app, req, "complaints.map.attribution"), {{"host", host}})},
          {"leaflet_css", app.statics.url_for("vendor/leaflet/leaflet.css")},
          {"leaflet_js", app.statics.url_for("vendor/leaflet/leaflet.js")},
          {"map_js", app.statics.url_for("js/complaint-map.js")},
          {"form_js", app.statics.url_for("js/complaint-form.js")}};
}

boost::json::object point_in_area(const app::App& app, core::GeoPoint p) {
  // An equirectangular view of the city's box: east-west shrinks with the cosine of the
  // latitude, so the box keeps its shape on the page.
  const auto box = core::parse_geo_box(app.config.city.area)
                       .value_or(core::GeoBox{{p.lat_e6 - 10'000, p.lon_e6 - 10'000},
                                              {p.lat_e6 + 10'000, p.lon_e6 + 10'000}});
  const double lat_span = std::max<int64_t>(1, box.north_east.lat_e6 - box.south_west.lat_e6);
  const double lon_span = std::max<int64_t>(1, box.north_east.lon_e6 - box.south_west.lon_e6) *
                          std::cos(box.center().lat_e6 / 1e6 * std::numbers::pi / 180.0);
  constexpr double kWidth = 300;
  const double height = std::clamp(kWidth * lat_span / lon_span, 120.0, 400.0);
  const double fx = static_cast<double>(p.lon_e6 - box.south_west.lon_e6) /
                    std::max<int64_t>(1, box.north_east.lon_e6 - box.south_west.lon_e6);
  const double fy = static_cast<double>(box.north_east.lat_e6 - p.lat_e6) / lat_span;
  return {{"width", static_cast<int>(kWidth)},
          {"height", static_cast<int>(height)},
          {"x", static_cast<int>(std::clamp(fx, 0.0, 1.0) * (kWidth - 20) + 10)},
          {"y", static_cast<int>(std::clamp(fy, 0.0, 1.0) * (height - 20) + 10)},
          {"box_width", static_cast<int>(kWidth - 4)},
          {"box_height", static_cast<int>(height - 4)}};
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

}  // namespace balai::complaints::pages
