// HTML routes of the holiday calendar in the administrators' console (every answer
// Cache-Control: no-store):
//   GET  /konsol/hari-libur?tahun=2026   the holidays of a year (default: the current one) and
//                                        the form to add one
//   POST /konsol/hari-libur              add one (fields date, name_id, name_en, collective)
//   POST /konsol/hari-libur/hapus        remove the holiday of `date`
// Administrators change the calendar; auditors read it. The service audits every change.
#include <boost/json.hpp>
#include <map>

#include "core/text.h"
#include "http/form.h"
#include "http/json.h"
#include "modules/calendar/routes.h"
#include "modules/calendar/rules.h"
#include "security/policy.h"

namespace balai::calendar {
namespace {

constexpr uint64_t kFormBodyLimit = 4 * 1024;
constexpr std::string_view kPath = "/konsol/hari-libur";

// The add form's fields in their order on the page, with the id of their input.
constexpr std::pair<std::string_view, std::string_view> kFields[] = {
    {"date", "holiday-date"}, {"name_id", "holiday-name-id"}, {"name_en", "holiday-name-en"}};

// What the person typed into the add form, and what is wrong with it.
struct HolidayForm {
  std::string date;
  std::string name_id;
  std::string name_en;
  bool collective = false;
  std::map<std::string, std::string> errors;  // field -> reason (validate()'s, "taken", ...)
};

// A page answer: the page's state beyond the list.
struct PageState {
  int status = 200;
  int year = 0;
  HolidayForm form;
  bool added = false;
  bool removed = false;
};

void add_route(app::App& app, http::Method method, std::string_view pattern,
               std::function<http::Response(http::Request&)> handler) {
  auto route = app.router.add(method, pattern, [h = std::move(handler)](http::Request& req) {
    http::Response res = h(req);
    res.headers.set("Cache-Control", "no-store");
    return res;
  });
  if (method == http::Method::post) route.body_limit(kFormBodyLimit);
}

std::string text(const app::App& app, const http::Request& req, std::string_view key) {
  return std::string(app.renderer.catalogs().text(req.context.lang, key));
}

// The actor of `req` when the policy grants them `action`; unauthenticated or forbidden
// otherwise (a refusal of a signed-in actor reaches intrusion detection).
core::Result<const security::Actor*> permitted(app::App& app, const http::Request& req,
                                               std::string_view action) {
  const security::Actor* actor = security::current_actor(req);
  BALAI_TRY(app.security.policy.authorize(actor, action));
  return actor;
}

// Whether to show the buttons that change something. Not a refusal: browsing tells intrusion
// detection nothing.
bool may(const app::App& app, const security::Actor& actor, std::string_view action) {
  for (const security::Grant& g : app.security.policy.grants(action))
    if (g.role == actor.role && g.scope == security::Scope::any) return true;
  return false;
}

http::Response refused(app::App& app, const http::Request& req, const core::Error& error) {
  if (error.code == core::ErrorCode::unauthenticated)
    return http::Response::redirect("/masuk?next=" + std::string(kPath));
  return app.renderer.error_page(req, http::status_for(error.code));
}

int current_year(const app::App& app) {
  return core::local_date(app.clock.now(), app.config.city.zone).year;
}

std::string year_href(int year) {
  return std::string(kPath) + "?tahun=" + std::to_string(year);
}

// "Jumat, 1 Mei 2026" / "Friday, 1 May 2026".
std::string long_date(const app::App& app, const http::Request& req, core::Date d) {
  return text(app, req, "calendar.weekday." + std::to_string(iso_weekday(d))) + ", " +
         std::to_string(d.day) + " " + text(app, req, "calendar.month." + std::to_string(d.month)) +
         " " + std::to_string(d.year);
}

boost::json::value year_link(int year) {
  if (year < kFirstYear || year > kLastYear) return false;
  return boost::json::object{{"href", year_href(year)}, {"number", year}};
}

http::Response holidays_page(app::App& app, const CalendarService& service, http::Request& req,
                             const security::Actor& actor, const PageState& state) {
  auto list = service.holidays(state.year);
  if (!list) return app.renderer.error_page(req, 503);
  const bool can_manage = may(app, actor, kManageHolidays);
  boost::json::array holidays;
  for (const Holiday& h : *list)
    holidays.push_back({{"date", format_date(h.date)},
                        {"long_date", long_date(app, req, h.date)},
                        {"name_id", h.name_id},
                        {"name_en", h.name_en},
                        {"collective", h.collective_leave},
                        {"kind", text(app, req,
                                      h.collective_leave ? "calendar.holidays.kind_collective"
                                                         : "calendar.holidays.kind_holiday")}});
  boost::json::array errors;
  boost::json::object invalid;
  for (const auto& [name, id] : kFields) {
    auto it = state.form.errors.find(std::string(name));
    if (it == state.form.errors.end()) continue;
    const std::string message =
        text(app, req, "calendar.holidays.error." + it->first + "_" + it->second);
    // A refused removal has no field on the page: its message points at the list.
    const bool removal = it->second == "not_found";
    errors.push_back(
        {{"href", "#" + std::string(removal ? "holiday-list" : id)}, {"message", message}});
    if (!removal) invalid[name] = message;
  }
  const bool has_errors = !errors.empty();
  const bool has_holidays = !holidays.empty();
  const HolidayForm& f = state.form;
  return app.renderer.page(state.status, "calendar/holidays", req,
                           {{"title", text(app, req, "calendar.holidays.title")},
                            {"nav_current", {{"console", true}}},
                            {"shown_year", state.year},
                            {"previous_year", year_link(state.year - 1)},
                            {"next_year", year_link(state.year + 1)},
                            {"has_holidays", has_holidays},
                            {"holidays", std::move(holidays)},
                            {"can_manage", can_manage},
                            {"added", state.added && state.status == 200},
                            {"removed", state.removed && state.status == 200},
                            {"has_errors", has_errors},
                            {"errors", std::move(errors)},
                            {"invalid", std::move(invalid)},
                            {"form",
                             {{"date", f.date},
                              {"name_id", f.name_id},
                              {"name_en", f.name_en},
                              {"collective", f.collective}}}});
}

std::string field(const http::Form& form, std::string_view name) {
  return std::string(core::trim(form.get(name).value_or("")));
}

// The status of a change refused because of the person's input, with its problems copied into
// `form`; 0 when the refusal is not about the input (the database is unavailable, ...).
int take_problems(const core::Error& error, HolidayForm& form) {
  switch (error.code) {
    case core::ErrorCode::validation_failed:
    case core::ErrorCode::conflict:
    case core::ErrorCode::not_found:
      for (const auto& [name, reason] : error.fields) form.errors[name] = reason;
      return http::status_for(error.code);
    default:
      return 0;
  }
}

http::Response list_holidays(app::App& app, const CalendarService& service, http::Request& req) {
  auto actor = permitted(app, req, kReadHolidays);
  if (!actor) return refused(app, req, actor.error());
  PageState state;
  state.year = current_year(app);
  if (auto asked = req.query_param("tahun")) state.year = parse_year(*asked).value_or(state.year);
  state.added = req.query_param("ditambah").has_value();
  state.removed = req.query_param("dihapus").has_value();
  return holidays_page(app, service, req, **actor, state);
}

http::Response add_holiday(app::App& app, CalendarService& service, http::Request& req) {
  auto actor = permitted(app, req, kManageHolidays);
  if (!actor) return refused(app, req, actor.error());
  auto parsed = http::parse_form(req);
  if (!parsed) return app.renderer.error_page(req, http::status_for(parsed.error().code));
  PageState state;
  state.form.date = field(*parsed, "date");
  state.form.name_id = field(*parsed, "name_id");
  state.form.name_en = field(*parsed, "name_en");
  state.form.collective = parsed->get("collective").has_value();
  // An unreadable date still goes to the service as an impossible one, so that one answer
  // names every problem of the form.
  const core::Date date = parse_date(state.form.date).value_or(core::Date{0, 0, 0});
  const Holiday holiday{date, state.form.name_id, state.form.name_en, state.form.collective};
  auto added = service.add_holiday(**actor, holiday, req.request_id);
  if (added) return http::Response::redirect(year_href(date.year) + "&ditambah=1");
  state.status = take_problems(added.error(), state.form);
  if (state.status == 0) return app.renderer.error_page(req, http::status_for(added.error().code));
  state.year = date.year >= kFirstYear && date.year <= kLastYear ? date.year : current_year(app);
  return holidays_page(app, service, req, **actor, state);
}

http::Response remove_holiday(app::App& app, CalendarService& service, http::Request& req) {
  auto actor = permitted(app, req, kManageHolidays);
  if (!actor) return refused(app, req, actor.error());
  auto parsed = http::parse_form(req);
  if (!parsed) return app.renderer.error_page(req, http::status_for(parsed.error().code));
  // The field comes from the page's own button: anything but a date is a forged request.
  const auto date = parse_date(field(*parsed, "date"));
  if (!date) return app.renderer.error_page(req, 400);
  auto removed = service.remove_holiday(**actor, *date, req.request_id);
  if (removed) return http::Response::redirect(year_href(date->year) + "&dihapus=1");
  PageState state;
  state.year = date->year;
  state.status = take_problems(removed.error(), state.form);
  if (state.status == 0)
    return app.renderer.error_page(req, http::status_for(removed.error().code));
  return holidays_page(app, service, req, **actor, state);
}

}  // namespace

void install_pages(app::App& app, CalendarService& service) {
  using http::Method;
  add_route(app, Method::get, kPath,
            [&app, &service](http::Request& req) { return list_holidays(app, service, req); });
  add_route(app, Method::post, kPath,
            [&app, &service](http::Request& req) { return add_holiday(app, service, req); });
  add_route(app, Method::post, std::string(kPath) + "/hapus",
            [&app, &service](http::Request& req) { return remove_holiday(app, service, req); });
}

}  // namespace balai::calendar
