#pragma once
// Internal to the identity module: what its HTML pages share (registration_pages.cpp,
// my_data_pages.cpp, officer_pages.cpp). Field errors in the GOV.UK pattern (a summary at the
// top linking to each field, the message again at the field), messages from the i18n catalog,
// and times as people read them on the city's clock.

#include <boost/json/object.hpp>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "app/app.h"
#include "core/result.h"
#include "core/time.h"
#include "http/form.h"
#include "http/request.h"
#include "http/response.h"
#include "modules/catalog/service.h"

namespace balai::identity::pages {

// The catalog's text for `key` in the request's language.
std::string text(const app::App& app, const http::Request& req, std::string_view key);

// The catalog's text for `key`, or for `fallback` when the catalog has no `key` (a value from
// the database the catalog does not name).
std::string text_or(const app::App& app, const http::Request& req, std::string_view key,
                    std::string_view fallback);

// A form field's value ("" when absent).
std::string value(const http::Form& form, std::string_view name);

// The problems of one submitted form, in the order of its fields.
class FieldErrors {
 public:
  // `field` is the model's name (invalid.<field>), `element_id` the control the summary links
  // to, `message` already translated.
  void add(std::string field, std::string element_id, std::string message);
  // A problem that belongs to no field (too many attempts): shown in the summary only.
  void add_general(std::string message);
  bool empty() const { return items_.empty(); }
  bool has(std::string_view field) const;
  // Adds "has_errors", "errors" [{href?, message}] and "invalid" {field: message} to `model`.
  // Nothing when there are no errors (mustache treats "" and [] as values to show).
  void put(boost::json::object& model) const;

 private:
  struct Item {
    std::string field;
    std::string element_id;
    std::string message;
  };
  std::vector<Item> items_;
};

// The plain-language message for a field's machine reason ("nik", "wrong_length"):
// identity.errors.<field>.<reason>, else identity.errors.<field>.invalid, else
// identity.errors.generic.
std::string field_message(const app::App& app, const http::Request& req, std::string_view field,
                          std::string_view reason);

// Where a service's field error is shown: the service's field name (also the message's key),
// the control the summary links to, and the model's name when the form calls it otherwise
// ("" for the same name).
struct FieldTarget {
  std::string field;
  std::string element_id;
  std::string as;
};

// Each field of a service error that has a target, in the targets' order, with its message.
void add_service_errors(FieldErrors& errors, const app::App& app, const http::Request& req,
                        const core::Error& error, const std::vector<FieldTarget>& targets);

// The agencies' names by code, from the catalog, in a language; the code itself when the
// catalog does not know it (or cannot be read: the page still shows who read what).
class AgencyNames {
 public:
  explicit AgencyNames(app::App& app);
  std::map<std::string, std::string> in(std::string_view lang) const;

 private:
  catalog::Store store_;
  catalog::CatalogService catalog_;
};

// "27 Nov 2026 14.05 WIB" ("14:05" in English), on the city's clock.
std::string local_time(const app::App& app, const http::Request& req, core::Timestamp t);
// The same moment as ISO-8601 with the city's offset, for <time datetime>.
std::string iso_time(const app::App& app, core::Timestamp t);
// "1 Juli 1990".
std::string long_date(const app::App& app, const http::Request& req, core::Date d);
// "November 2026" for "2026-11".
std::string month_name(const app::App& app, const http::Request& req, std::string_view month);

// A page of personal data: rendered, and never stored by a browser or a proxy.
http::Response private_page(const app::App& app, int status, std::string_view page,
                            const http::Request& req, boost::json::object model);

// The answer to a person who is not signed in: to /masuk, back to `path` afterwards (a fixed
// path of this site).
http::Response sign_in_first(std::string_view path);

// Adds Retry-After from an error's "retry_after" field.
void add_retry_after(http::Response& res, const core::Error& error);

// The status a form shows for a service error (422 for validation, as the error says otherwise).
int form_status(const core::Error& error);

}  // namespace balai::identity::pages
