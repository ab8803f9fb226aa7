// GET /kota: "Kota Hari Ini" (City Now), the live city dashboard. The server renders everything
// a reader needs without JavaScript: the active public alerts and one table of every shown
// entity's current values with units, the words for its state and when it was observed.
// kota.js (web/static/js) then adds the map, the 24-hour charts (history API) and live updates
// (the SSE stream and the alerts API), so the page never needs a reload.
//
// Everyone sees the public sensor types; staff and integrators also see security incidents
// (panic buttons), and then the page is not stored by browsers or proxies.
//
// GET /api/v1/city/levels: the thresholds and words kota.js recomputes states with
// (dashboard::level_settings), in the request's language. A separate answer rather than part of
// the page: the page's HTML stays inside its budget, and browsers keep this for an hour.
#include <boost/json/array.hpp>
#include <string>

#include "core/geo.h"
#include "core/log.h"
#include "http/json.h"
#include "modules/city/alert_service.h"
#include "modules/city/dashboard_model.h"
#include "modules/city/routes.h"
#include "modules/city/rules.h"
#include "security/actor.h"

namespace balai::city {
namespace {

using dashboard::Reader;
using dashboard::ShownEntity;

Reader reader_of(const app::App& app, const http::Request& req) {
  const web::Catalogs& catalogs = app.renderer.catalogs();
  Reader r;
  // As the renderer chooses (the API routes have no language of their own).
  r.lang = web::choose_language(req.query_param("lang").value_or(""),
                                req.cookie("lang").value_or(""), catalogs);
  r.zone = app.config.city.zone;
  r.now = app.clock.now();
  r.text = [&catalogs, lang = r.lang](std::string_view key) {
    return std::string(catalogs.text(lang, key));
  };
  return r;
}

// The map's settings, as the complaints maps read them (data attributes): the city's area, the
// tile URL template (empty: markers on a plain background, no third party asked), the tile
// server's name for the attribution, and Leaflet's files.
boost::json::object map_model(const app::App& app, const Reader& r) {
  const std::string& tiles = app.config.city.map_tiles;
  std::string host;
  if (auto scheme = tiles.find("://"); scheme != std::string::npos) {
    const size_t start = scheme + 3;
    host = tiles.substr(start, tiles.find('/', start) - start);
  }
  std::string attribution;
  if (!host.empty()) {
    attribution = r.text("city_dashboard.map.attribution");
    if (auto at = attribution.find("{host}"); at != std::string::npos)
      attribution.replace(at, 6, host);
  }
  return {{"area", app.config.city.area},
          {"tiles", tiles},
          {"attribution", attribution},
          {"leaflet_css", app.statics.url_for("vendor/leaflet/leaflet.css")},
          {"leaflet_js", app.statics.url_for("vendor/leaflet/leaflet.js")}};
}

// "-7.63" rather than "-7.630000": every byte of a row counts against the page's budget.
std::string short_degrees(int64_t e6) {
  std::string text = core::format_degrees_e6(e6);
  while (text.ends_with('0')) text.pop_back();
  if (text.ends_with('.')) text.pop_back();
  return text;
}

boost::json::object row_model(const ShownEntity& e, const Reader& r) {
  boost::json::array values;
  for (const auto& v : e.values) {
    boost::json::object o{{"attr", v.attr}, {"label", v.label}, {"text", v.text}};
    if (!v.unit.empty()) o["unit"] = v.unit;
    if (v.numeric) {
      if (v.decimals != 0) o["decimals"] = std::to_string(v.decimals);
      if (v.scale != 1) o["scale"] = dashboard::format_number(v.scale, 0, "en");
    }
    values.push_back(std::move(o));
  }
  boost::json::object row{{"id", e.id},
                          {"type", e.type},
                          {"kind", e.kind},
                          {"type_label", e.type_label},
                          {"name", e.name},
                          {"values", std::move(values)},
                          {"observed", dashboard::format_observed(e.observed, r)},
                          {"observed_iso", core::format_iso8601(e.observed, r.zone)}};
  if (e.level) {
    row["level_key"] = e.level->key;
    row["level_words"] = e.level->words;
    row["level_colour"] = e.level->colour;
  }
  if (e.point) {
    row["lat"] = short_degrees(e.point->lat_e6);
    row["lon"] = short_degrees(e.point->lon_e6);
  }
  std::string charts;
  for (const auto& c : e.charts) charts += (charts.empty() ? "" : ",") + c;
  if (!charts.empty()) row["charts"] = charts;
  return row;
}

boost::json::array alerts_model(const std::vector<Alert>& alerts,
                                const std::vector<ShownEntity>& entities, const Reader& r) {
  boost::json::array out;
  for (const auto& a : alerts) {
    std::string place = a.entity_id;
    for (const auto& e : entities)
      if (e.id == a.entity_id) place = e.name;
    out.push_back({{"severity", a.severity},
                   {"severity_words", r.text("city_dashboard.alert_severity." + a.severity)},
                   {"title", r.lang == "en" ? a.title_en : a.title_id},
                   {"place", place},
                   {"value", dashboard::format_value(a.entity_type, a.attr, a.value, r)},
                   {"raised", dashboard::format_observed(core::Timestamp{a.raised_ms}, r)},
                   {"raised_iso", core::format_iso8601(core::Timestamp{a.raised_ms}, r.zone)}});
  }
  return out;
}

http::Response dashboard_page(app::App& app, ContextService& service, const http::Request& req) {
  const security::Actor* actor = security::current_actor(req);
  const bool with_private = sees_private_types(actor);
  const Reader r = reader_of(app, req);

  std::vector<std::string> types;
  for (const auto& spec : builtin_entity_types())
    if (spec.public_read || with_private) types.push_back(spec.type);
  // The city's own tenant (the default service), every service path.
  auto stored = service.candidates("", PathFilter{{}, {"/"}}, types, {});
  if (!stored) {
    core::log::error("city.dashboard_read_failed", {{"error", stored.error().message}});
    return app.renderer.error_page(req, http::status_for(stored.error().code));
  }
  std::vector<ShownEntity> entities;
  for (const auto& s : *stored)
    if (dashboard::shown(s.entity, with_private)) entities.push_back(dashboard::show(s.entity, r));
  dashboard::sort_for_display(entities);

  boost::json::array rows;
  for (const auto& e : entities) rows.push_back(row_model(e, r));
  std::string type_list;
  for (const auto& t : types) type_list += (type_list.empty() ? "" : ",") + t;

  boost::json::object model{{"title", r.text("city_dashboard.title")},
                            {"nav_current", {{"city", true}}},
                            {"updated", dashboard::format_observed(r.now, r)},
                            {"updated_iso", core::format_iso8601(r.now, r.zone)},
                            {"rows", std::move(rows)},
                            {"has_rows", !entities.empty()},
                            {"types", type_list},
                            {"map", map_model(app, r)},
                            {"kota_css", app.statics.url_for("css/kota.css")},
                            {"kota_js", app.statics.url_for("js/kota.js")}};

  // Alerts are a second source: when they cannot be read, the values are still worth showing.
  auto alerts = alert_service_of(app).active(/*public_only=*/true);
  if (alerts) {
    model["has_alerts"] = !alerts->empty();
    model["alerts"] = alerts_model(*alerts, entities, r);
  } else {
    core::log::error("city.dashboard_alerts_failed", {{"error", alerts.error().message}});
    model["alerts_failed"] = true;
  }

  http::Response res = app.renderer.page(200, "city/kota", req, std::move(model));
  if (with_private) res.headers.set("Cache-Control", "no-store");
  return res;
}

}  // namespace

void install_dashboard(app::App& app, ContextService& service) {
  app.router.get(
      "/kota", [&app, &service](http::Request& req) { return dashboard_page(app, service, req); });
  // Memory only (catalog texts and constants): answered on the I/O thread.
  app.router
      .get("/api/v1/city/levels",
           [&app](http::Request& req) {
             http::Response res =
                 http::json_response(200, dashboard::level_settings(reader_of(app, req)));
             // Shared caches may keep it only when the URL names the language (a cookie may
             // choose it otherwise).
             res.headers.set("Cache-Control", req.query_param("lang") ? "public, max-age=3600"
                                                                      : "private, max-age=3600");
             return res;
           })
      .inline_io();
}

}  // namespace balai::city
