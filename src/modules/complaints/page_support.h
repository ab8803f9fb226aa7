#pragma once
// Internal to the complaints module: what its citizens' and public HTML pages share (pages.cpp,
// report_pages.cpp). Field errors in the GOV.UK pattern (a summary at the top linking to each
// field, the message again at the field), messages from the i18n catalog, names of categories,
// agencies and regions in the reader's language, times on the city's clock, and the view model
// of a report in a list. Pure functions of their arguments unless stated; thread-safe.

#include <boost/json/object.hpp>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "app/app.h"
#include "core/geo.h"
#include "core/result.h"
#include "core/time.h"
#include "http/form.h"
#include "http/request.h"
#include "http/response.h"
#include "modules/complaints/service.h"

namespace balai::complaints::pages {

// report_pages.cpp: the report form (/pengaduan/baru) and a report's status page with its
// actions (/pengaduan/{tracking}...). Registered after the fixed /pengaduan/... paths.
void install_report_pages(app::App& app, ComplaintService& service);

// The catalog's text for `key` in the request's language.
std::string text(const app::App& app, const http::Request& req, std::string_view key);
// `pattern` with each "{name}" replaced by its value.
std::string fill(std::string pattern,
                 std::initializer_list<std::pair<std::string_view, std::string>> values);
// A form field's value ("" when absent).
std::string value(const http::Form& form, std::string_view name);

// The problems of one submitted form, in the order of its fields.
class FieldErrors {
 public:
  // `field` is the model's name (invalid.<field>), `element_id` the control the summary links
  // to ("" for none), `message` already translated. The first problem of a field is kept.
  void add(std::string field, std::string element_id, std::string message);
  // A problem that belongs to no field: shown in the summary only.
  void add_general(std::string message);
  bool empty() const { return items_.empty(); }
  bool has(std::string_view field) const;
  std::string message(std::string_view field) const;
  // Adds "has_errors", "errors" [{href?, message}] and "invalid" {field: message} to `model`;
  // nothing when there are no errors.
  void put(boost::json::object& model) const;

 private:
  struct Item {
    std::string field;
    std::string element_id;
    std::string message;
  };
  std::vector<Item> items_;
};

// The plain-language message for a service's refusal of a field: the service words its reasons
// for developers ("at most 3 photos"); this picks complaints.errors.<field>.<key> by what the
// reason says, else complaints.errors.<field>.invalid.
std::string field_message(const app::App& app, const http::Request& req, std::string_view field,
                          std::string_view reason);

// Where a service's field error is shown: the service's field name and the control the summary
// links to.
struct FieldTarget {
  std::string field;
  std::string element_id;
};
// Each field of `error` that has a target, in the targets' order, with its message.
void add_service_errors(FieldErrors& errors, const app::App& app, const http::Request& req,
                        const core::Error& error, const std::vector<FieldTarget>& targets);

// "27 Nov 2026 14.05 WIB" ("14:05" in English), on the city's clock.
std::string local_time(const app::App& app, const http::Request& req, core::Timestamp t);
// "27 Nov 2026".
std::string local_day(const app::App& app, const http::Request& req, core::Timestamp t);
// "27 November 2026" for a date.
std::string long_date(const app::App& app, const http::Request& req, core::Date d);
// ISO-8601 with the city's offset, for <time datetime>.
std::string iso_time(const app::App& app, core::Timestamp t);
// "hari ini", "kemarin", "3 hari lalu", or the day itself after a month.
std::string age(const app::App& app, const http::Request& req, core::Timestamp t,
                core::Timestamp now);
// "November 2026" for "2026-11".
std::string month_name(const app::App& app, const http::Request& req, std::string_view month);
// A number as the language writes it: "1.234,5" in Indonesian, "1,234.5" in English.
std::string number(const http::Request& req, double value, int decimals);

// The names a page shows for codes, read once per request: categories (from the service's
// cache), agencies (from the catalog; the code itself when unknown) and regions.
class Names {
 public:
  Names(app::App& app, ComplaintService& service, std::string_view lang);
  std::string category(std::string_view code) const;
  std::string agency(std::string_view code) const;
  // "Oro-oro Ombo, Kartoharjo" (village and district); "" for no code.
  std::string place(std::string_view village_code) const;
  // The district (kecamatan) of a region code, by name.
  std::string district(std::string_view code) const;
  const std::vector<Category>& categories() const { return categories_; }

 private:
  const app::App& app_;
  std::vector<Category> categories_;
  std::string lang_;
  std::map<std::string, std::string, std::less<>> agencies_;
};

// The words for a status ("Menunggu verifikasi"); templates style its badge by the status code.
std::string status_words(const app::App& app, const http::Request& req, Status s);

// What happens next for a report in its status, with its deadline and agency filled in.
std::string next_step(const app::App& app, const http::Request& req, const Complaint& c,
                      const Names& names);

// A report in a list (public list, "my reports"): tracking, href, title, category, status and
// its badge, place, age, supporters, and lat/lon for the map. Never who reported.
boost::json::object summary_model(const app::App& app, const http::Request& req, const Complaint& c,
                                  const Names& names, core::Timestamp now);

// What the maps need (data attributes of the map containers): the city's area, the tile URL,
// the attribution, Leaflet's files and the scripts.
boost::json::object map_model(const app::App& app, const http::Request& req);

// An inline SVG of the city's area with a pin at `p` (the status page's small map without
// JavaScript or tiles): the view model {width, height, x, y, box} of the template's <svg>.
boost::json::object point_in_area(const app::App& app, core::GeoPoint p);

// A page that must not be stored by a browser or a proxy.
http::Response private_page(const app::App& app, int status, std::string_view page,
                            const http::Request& req, boost::json::object model);
// To /masuk, back to `path` (a fixed path of this site) afterwards.
http::Response sign_in_first(std::string_view path);

}  // namespace balai::complaints::pages
