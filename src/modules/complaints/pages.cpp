// HTML routes of complaints for citizens and the public, for browsers without JavaScript
// (ComplaintService does the work; JavaScript only adds the maps and the form's helpers):
//   GET /pengaduan             the public list of non-confidential reports: filters (category,
//                              status, kecamatan, from/to), pages, a map of the listed reports
//   GET /pengaduan/saya        my reports, newest first, with their status and next step
//   GET /pengaduan/statistik   the public statistics of a period (from/to): tables and bar charts
// and, in report_pages.cpp, the report form and each report's status page with its actions.
// No page ever shows who reported.
#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>
#include <optional>

#include "http/json.h"
#include "modules/complaints/api_support.h"
#include "modules/complaints/page_support.h"
#include "modules/complaints/routes.h"
#include "modules/regions/directory.h"
#include "security/actor.h"

namespace balai::complaints {
namespace {

using pages::FieldErrors;
using pages::fill;
using pages::Names;
using pages::text;

constexpr int kPageSize = 10;
constexpr Status kStatuses[] = {Status::submitted, Status::dispositioned, Status::in_progress,
                                Status::resolved,  Status::closed,        Status::rejected};

// The query's value of a filter field, as typed ("" when absent).
std::string query(const http::Request& req, std::string_view name) {
  return req.query_param(name).value_or("");
}

// The list filter's fields that went into the page's links: only values that passed the
// filter's checks (known codes, valid dates), so they need no escaping in a URL.
struct ListQuery {
  std::string category, status, region, from, to;

  std::string href(int page) const {
    std::string q;
    auto add = [&](std::string_view name, const std::string& v) {
      if (v.empty()) return;
      q += q.empty() ? '?' : '&';
      q += name;
      q += '=';
      q += v;
    };
    add("category", category);
    add("status", status);
    add("region", region);
    add("from", from);
    add("to", to);
    if (page > 1) add("page", std::to_string(page));
    return "/pengaduan" + q;
  }
};

// The element each filter field's error links to.
const std::vector<pages::FieldTarget>& filter_targets() {
  static const std::vector<pages::FieldTarget> targets{
      {"category", "filter-category"}, {"status", "filter-status"}, {"region", "filter-region"},
      {"from", "filter-from"},         {"to", "filter-to"},         {"page", "daftar"}};
  return targets;
}

http::Response list_page(app::App& app, ComplaintService& service, const http::Request& req) {
  const Names names(app, service, req.context.lang);
  const core::Timestamp now = app.clock.now();
  boost::json::object model{{"title", text(app, req, "complaints.list.title")},
                            {"nav_current", {{"complaints", true}}},
                            {"new_href", "/pengaduan/baru"}};
  FieldErrors errors;
  auto filter = filter_from_query(req, app.config.city.zone);
  if (!filter) {
    pages::add_service_errors(errors, app, req, filter.error(), filter_targets());
    if (errors.empty()) errors.add_general(text(app, req, "complaints.errors.generic"));
  }

  // The form, as the person chose.
  ListQuery chosen;
  const std::string category = query(req, "category"), status = query(req, "status"),
                    region = query(req, "region");
  boost::json::array categories, statuses, districts;
  for (const auto& c : names.categories()) {
    categories.push_back(
        {{"code", c.code}, {"name", c.name(req.context.lang)}, {"selected", c.code == category}});
    if (c.code == category) chosen.category = category;
  }
  for (Status s : kStatuses) {
    const std::string code(to_string(s));
    statuses.push_back(
        {{"code", code}, {"name", pages::status_words(app, req, s)}, {"selected", code == status}});
    if (code == status) chosen.status = status;
  }
  for (const auto* d : app.regions.children(app.config.city.region_code)) {
    districts.push_back({{"code", d->code}, {"name", d->name}, {"selected", d->code == region}});
    if (d->code == region) chosen.region = region;
  }
  model["categories"] = std::move(categories);
  model["statuses"] = std::move(statuses);
  model["districts"] = std::move(districts);
  model["from"] = query(req, "from");
  model["to"] = query(req, "to");
  if (filter && filter->from) chosen.from = query(req, "from");
  if (filter && filter->to) chosen.to = query(req, "to");
  const bool filtered = !category.empty() || !status.empty() || !region.empty() ||
                        !query(req, "from").empty() || !query(req, "to").empty();
  if (filtered) model["filtered"] = true;

  if (filter) {
    auto page = service.public_list(*filter);
    if (!page) return app.renderer.error_page(req, http::status_for(page.error().code));
    boost::json::array items;
    bool pins = false;
    for (const auto& c : page->items) {
      auto item = pages::summary_model(app, req, c, names, now);
      pins = pins || c.location.has_value();
      items.push_back(std::move(item));
    }
    model["has_items"] = !items.empty();
    model["items"] = std::move(items);
    model["total_text"] = fill(text(app, req, "complaints.list.total"),
                               {{"n", pages::number(req, static_cast<double>(page->total), 0)}});
    const int64_t pages_count =
        std::max<int64_t>(1, (page->total + filter->page_size - 1) / filter->page_size);
    if (pages_count > 1) {
      boost::json::object nav{{"text", fill(text(app, req, "complaints.list.page_of"),
                                            {{"page", std::to_string(filter->page)},
                                             {"pages", std::to_string(pages_count)}})}};
      if (filter->page > 1)
        nav["previous_href"] =
            chosen.href(static_cast<int>(std::min<int64_t>(filter->page - 1, pages_count)));
      if (filter->page < pages_count) nav["next_href"] = chosen.href(filter->page + 1);
      model["pagination"] = std::move(nav);
    }
    if (pins) model["map"] = pages::map_model(app, req);
  }
  errors.put(model);
  return app.renderer.page(errors.empty() ? 200 : 422, "complaints/list", req, std::move(model));
}

// The answer to anyone but a signed-in citizen (these pages are a citizen's own); nullopt for
// a citizen.
std::optional<http::Response> refuse_non_citizen(app::App& app, const http::Request& req,
                                                 const security::Actor* actor,
                                                 std::string_view path) {
  if (!actor) return pages::sign_in_first(path);
  if (actor->role != security::Role::citizen) return app.renderer.error_page(req, 403);
  return std::nullopt;
}

http::Response mine_page(app::App& app, ComplaintService& service, const http::Request& req) {
  const auto* actor = security::current_actor(req);
  if (auto refused = refuse_non_citizen(app, req, actor, "/pengaduan/saya"))
    return std::move(*refused);
  auto list = service.mine(*actor);
  if (!list) return app.renderer.error_page(req, http::status_for(list.error().code));
  const Names names(app, service, req.context.lang);
  const core::Timestamp now = app.clock.now();
  boost::json::array items;
  for (const auto& c : *list) {
    auto item = pages::summary_model(app, req, c, names, now);
    item["next_step"] = pages::next_step(app, req, c, names);
    if (c.anonymous) item["anonymous"] = true;
    if (c.confidential) item["confidential"] = true;
    items.push_back(std::move(item));
  }
  boost::json::object model{{"title", text(app, req, "complaints.mine.title")},
                            {"nav_current", {{"complaints", true}}},
                            {"has_items", !items.empty()},
                            {"items", std::move(items)}};
  return pages::private_page(app, 200, "complaints/mine", req, std::move(model));
}

// --- Statistics ---------------------------------------------------------------------------

struct ChartRow {
  std::string label;
  int64_t count = 0;
};

// A horizontal bar chart drawn on the server (no chart library): each row's label above its
// bar, the count after the bar. The table beside it holds the same numbers.
boost::json::object chart(const app::App& app, const http::Request& req, std::string_view id,
                          std::string_view name, const std::vector<ChartRow>& rows) {
  constexpr int kRow = 44, kBarMax = 300;
  int64_t max = 0;
  const ChartRow* top = nullptr;
  for (const auto& r : rows)
    if (r.count > max) max = r.count, top = &r;
  boost::json::array bars;
  for (size_t i = 0; i < rows.size(); ++i) {
    const int y = static_cast<int>(i) * kRow;
    const int width = max == 0 ? 0
                               : std::max<int>(rows[i].count > 0 ? 2 : 0,
                                               static_cast<int>(rows[i].count * kBarMax / max));
    bars.push_back({{"label", rows[i].label},
                    {"count", pages::number(req, static_cast<double>(rows[i].count), 0)},
                    {"label_y", y + 16},
                    {"bar_y", y + 22},
                    {"width", width},
                    {"count_x", width + 8},
                    {"count_y", y + 34}});
  }
  std::string summary =
      fill(text(app, req, "complaints.stats.chart_alt"), {{"name", std::string(name)}});
  if (top)
    summary += " " + fill(text(app, req, "complaints.stats.chart_top"),
                          {{"label", top->label},
                           {"n", pages::number(req, static_cast<double>(top->count), 0)}});
  return {{"id", id},
          {"name", name},
          {"alt", summary},
          {"height", std::max<int>(kRow, static_cast<int>(rows.size()) * kRow)},
          {"bars", std::move(bars)},
          {"has_rows", !rows.empty()}};
}

// "5,2 jam" below two days, "3,4 hari" from then on; "—" when nothing was measured.
std::string duration(const app::App& app, const http::Request& req, std::optional<int64_t> ms) {
  if (!ms) return "—";
  const double hours = static_cast<double>(*ms) / 3'600'000.0;
  if (hours < 48)
    return fill(text(app, req, "complaints.stats.hours"), {{"n", pages::number(req, hours, 1)}});
  return fill(text(app, req, "complaints.stats.days"), {{"n", pages::number(req, hours / 24, 1)}});
}

std::string percent(const http::Request& req, double share) {
  return pages::number(req, share * 100, 0) + "%";
}

std::string rating(const app::App& app, const http::Request& req, std::optional<double> r) {
  if (!r) return "—";
  return fill(text(app, req, "complaints.stats.rating_of_4"), {{"n", pages::number(req, *r, 1)}});
}

http::Response statistics_page(app::App& app, ComplaintService& service, const http::Request& req) {
  const Names names(app, service, req.context.lang);
  const core::Timestamp now = app.clock.now();
  boost::json::object model{{"title", text(app, req, "complaints.stats.title")},
                            {"nav_current", {{"complaints", true}}},
                            {"from", query(req, "from")},
                            {"to", query(req, "to")}};
  FieldErrors errors;
  auto period = period_from_query(req, app.config.city.zone, now);
  if (!period) {
    pages::add_service_errors(errors, app, req, period.error(),
                              {{"from", "stats-from"}, {"to", "stats-to"}});
    errors.put(model);
    return app.renderer.page(422, "complaints/statistics", req, std::move(model));
  }
  auto s = service.statistics(period->first, period->second);
  if (!s) return app.renderer.error_page(req, http::status_for(s.error().code));

  const core::Zone zone = app.config.city.zone;
  const core::Date first = core::local_date(period->first, zone);
  const core::Date last = core::local_date(core::Timestamp{period->second.ms - 1}, zone);
  const std::string range = fmt::format("from={:04}-{:02}-{:02}&to={:04}-{:02}-{:02}", first.year,
                                        first.month, first.day, last.year, last.month, last.day);
  model["has_period"] = true;
  model["period"] =
      fill(text(app, req, "complaints.stats.period"),
           {{"from", pages::long_date(app, req, first)}, {"to", pages::long_date(app, req, last)}});
  model["csv_href"] = "/api/v1/complaints/statistics.csv?" + range;
  model["json_href"] = "/api/v1/complaints/statistics?" + range;
  model["has_reports"] = s->total > 0;
  auto count = [&](int64_t n) { return pages::number(req, static_cast<double>(n), 0); };
  model["total"] = count(s->total);
  model["median_verify"] = duration(app, req, s->median_verify_ms);
  model["median_resolve"] = duration(app, req, s->median_resolve_ms);
  model["verified_in_time"] = percent(req, s->verified_in_time);
  model["followed_up_in_time"] = percent(req, s->followed_up_in_time);
  model["reopened"] = count(s->reopened);
  model["average_rating"] =
      s->average_rating
          ? fill(text(app, req, "complaints.stats.rating_summary"),
                 {{"rating", rating(app, req, s->average_rating)}, {"n", count(s->ratings)}})
          : text(app, req, "complaints.stats.no_ratings");

  // One table and one chart per dimension, in the reader's words; the most first, except the
  // months (in order) and the statuses (in the order a report goes through them).
  enum class Order { most_first, as_given };
  auto section = [&](std::string_view id, std::string_view name_key,
                     std::vector<Statistics::Count> counts, Order order, auto&& label_of) {
    if (order == Order::most_first)
      std::stable_sort(counts.begin(), counts.end(),
                       [](const auto& a, const auto& b) { return a.count > b.count; });
    std::vector<ChartRow> rows;
    boost::json::array table;
    for (const auto& c : counts) {
      rows.push_back({label_of(c.key), c.count});
      table.push_back({{"label", rows.back().label}, {"count", count(c.count)}});
    }
    const std::string name = text(app, req, name_key);
    boost::json::object o = chart(app, req, id, name, rows);
    o["rows"] = std::move(table);
    return o;
  };
  boost::json::array sections;
  sections.push_back(section("kategori", "complaints.stats.by_category", s->by_category,
                             Order::most_first,
                             [&](const std::string& k) { return names.category(k); }));
  std::vector<Statistics::Count> by_status;
  for (Status st : kStatuses)
    for (const auto& c : s->by_status)
      if (c.key == to_string(st)) by_status.push_back(c);
  sections.push_back(section("status", "complaints.stats.by_status", by_status, Order::as_given,
                             [&](const std::string& k) {
                               auto st = parse_status(k);
                               return st ? pages::status_words(app, req, *st) : k;
                             }));
  sections.push_back(section("kecamatan", "complaints.stats.by_region", s->by_region,
                             Order::most_first, [&](const std::string& k) {
                               return k.empty() ? text(app, req, "complaints.stats.no_region")
                                                : names.district(k);
                             }));
  sections.push_back(section("bulan", "complaints.stats.by_month", s->by_month, Order::as_given,
                             [&](const std::string& k) { return pages::month_name(app, req, k); }));
  model["sections"] = std::move(sections);

  std::vector<Statistics::AgencyRecord> records = s->agencies;
  std::stable_sort(records.begin(), records.end(),
                   [](const auto& a, const auto& b) { return a.handled > b.handled; });
  std::vector<ChartRow> handled;
  boost::json::array agencies;
  for (const auto& a : records) {
    handled.push_back({names.agency(a.agency), a.handled});
    agencies.push_back({{"name", names.agency(a.agency)},
                        {"handled", count(a.handled)},
                        {"resolved", count(a.resolved)},
                        {"reopened", count(a.reopened)},
                        {"rating", rating(app, req, a.average_rating)}});
  }
  auto agency_chart =
      chart(app, req, "perangkat-daerah", text(app, req, "complaints.stats.by_agency"), handled);
  agency_chart["rows"] = std::move(agencies);
  model["agencies"] = std::move(agency_chart);
  return app.renderer.page(200, "complaints/statistics", req, std::move(model));
}

}  // namespace

void install_pages(app::App& app, ComplaintService& service) {
  // The fixed paths first: /pengaduan/{tracking} (report_pages.cpp) would take them otherwise.
  app.router.get("/pengaduan",
                 [&app, &service](http::Request& req) { return list_page(app, service, req); });
  app.router.get("/pengaduan/saya",
                 [&app, &service](http::Request& req) { return mine_page(app, service, req); });
  app.router.get("/pengaduan/statistik", [&app, &service](http::Request& req) {
    return statistics_page(app, service, req);
  });
  pages::install_report_pages(app, service);
}

}  // namespace balai::complaints
