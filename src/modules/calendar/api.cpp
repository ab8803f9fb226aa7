// JSON route of the holiday calendar: public, the same for everyone, cached.
//   GET /api/v1/holidays?year=2026   the national holidays and cuti bersama of a year (default:
//                                    the current year in the city's zone), in date order
#include <boost/json.hpp>

#include "http/json.h"
#include "modules/calendar/routes.h"
#include "modules/calendar/rules.h"

namespace balai::calendar {
namespace {

// Clients and shared caches may keep a year's list a few minutes: a change by an administrator
// reaches them within that.
constexpr std::string_view kCacheControl = "public, max-age=300";
// Kept in the server's memory at most this long (and dropped at once by a change on this
// instance), the same bound another instance's working_days() has.
constexpr int kServerCacheMs = 60'000;

boost::json::object to_json(const Holiday& h) {
  return {{"date", format_date(h.date)},
          {"name", {{"id", h.name_id}, {"en", h.name_en}}},
          {"collective_leave", h.collective_leave}};
}

core::Error bad_year() {
  core::Error e{
      core::ErrorCode::validation_failed,
      "year is a number from " + std::to_string(kFirstYear) + " to " + std::to_string(kLastYear),
      {}};
  e.fields["year"] = "invalid";
  return e;
}

}  // namespace

void install_api(app::App& app, const CalendarService& service) {
  app.router
      .get("/api/v1/holidays",
           [&app, &service](http::Request& req) {
             int year = core::local_date(app.clock.now(), app.config.city.zone).year;
             if (auto text = req.query_param("year")) {
               const auto parsed = parse_year(*text);
               if (!parsed) return http::api_error(req, bad_year());
               year = *parsed;
             }
             auto list = service.holidays(year);
             if (!list) return http::api_error(req, list.error());
             boost::json::array items;
             for (const Holiday& h : *list) items.push_back(to_json(h));
             http::Response r = http::json_response(
                 200, boost::json::object{{"year", year}, {"holidays", std::move(items)}});
             r.headers.set("Cache-Control", kCacheControl);
             return r;
           })
      .public_cache_ms(kServerCacheMs);
}

}  // namespace balai::calendar
