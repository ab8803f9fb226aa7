#pragma once
// Internal to the complaints module: what the officers' and supervisors' HTML pages share
// (staff_pages.cpp: the queue and the answer templates; staff_case_pages.cpp: one report's work
// page and its actions). Field errors in the GOV.UK pattern (a summary at the top linking to
// each field, the message again at the field), texts from the complaints_staff catalog, times
// on the city's clock, and the names of agencies and staff as people read them.

#include <boost/json/object.hpp>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/app.h"
#include "core/result.h"
#include "core/time.h"
#include "http/form.h"
#include "http/request.h"
#include "http/response.h"
#include "modules/complaints/service.h"
#include "security/actor.h"

namespace balai::complaints::staff_pages {

inline constexpr std::string_view kQueuePath = "/petugas/pengaduan";
inline constexpr std::string_view kTemplatesPath = "/petugas/pengaduan/templat";
// A form of text fields: 4,000 characters of answer, percent-encoded, fit with room to spare.
inline constexpr uint64_t kFormLimit = 64 * 1024;

// The catalog's text for `key` in the request's language.
std::string text(const app::App& app, const http::Request& req, std::string_view key);

// A form field's value, surrounding spaces kept ("" when absent): what the person typed comes
// back exactly as typed when the form is shown again.
std::string value(const http::Form& form, std::string_view name);

// The problems of one submitted form, in the order of its fields.
class FieldErrors {
 public:
  // `field` is the model's name (invalid.<field>), `element_id` the control the summary links
  // to, `message` already translated. The first problem of a field is kept.
  void add(std::string field, std::string element_id, std::string message);
  // A problem that belongs to no field (the report changed meanwhile): in the summary only.
  void add_general(std::string message);
  bool empty() const { return items_.empty(); }
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

// Where a service's field error is shown on a page: the service's field name, the model's name
// (also the message's key: complaints_staff.errors.<as>.<kind>) and the control to link to.
struct FieldTarget {
  std::string field;
  std::string as;
  std::string element_id;
};

// The message for a field's machine reason: complaints_staff.errors.<as>.<kind> where kind is
// "required", "too_long" or "invalid" as the reason reads, falling back to .invalid and then to
// complaints_staff.errors.generic.
std::string field_message(const app::App& app, const http::Request& req, std::string_view as,
                          std::string_view reason);

// Each field of a service error that has a target, in the targets' order. Returns false when
// none of the error's fields has a target (the caller shows a general message).
bool add_service_errors(FieldErrors& errors, const app::App& app, const http::Request& req,
                        const core::Error& error, const std::vector<FieldTarget>& targets);

// "27 Nov 2026 14.05 WIB" ("14:05" in English), on the city's clock.
std::string local_time(const app::App& app, const http::Request& req, core::Timestamp t);
// The same moment as ISO-8601 with the city's offset, for <time datetime>.
std::string iso_time(const app::App& app, core::Timestamp t);

// The agencies' names by code, from the catalog, in a language.
std::map<std::string, std::string> agency_names(app::App& app, std::string_view lang);
// The name a map gives `code` (an agency's, a category's, a person's), or the code itself.
std::string name_or_code(const std::map<std::string, std::string>& names, std::string_view code);

// Staff names by external id (accounts that cannot be read stay out of the map).
std::map<std::string, std::string> staff_names(app::App& app, std::vector<std::string> ids);

// The active officers and supervisors of an agency, by name. Accounts has no query by agency,
// so this reads the staff accounts and keeps those of the agency (staff lists are small).
std::vector<security::Account> agency_staff(app::App& app, std::string_view agency);

// The status and category as people read them.
std::string status_label(const app::App& app, const http::Request& req, Status s);

// A page about reports people work on: rendered, and never stored by a browser or a proxy.
http::Response private_page(const app::App& app, int status, std::string_view page,
                            const http::Request& req, boost::json::object model);

// Who may use these pages: officers and supervisors of an agency. nullopt for them; otherwise
// the answer (to /masuk and back to `back` when not signed in, 403 for everyone else).
std::optional<http::Response> refuse_unless_staff(app::App& app, const http::Request& req,
                                                  const security::Actor* actor,
                                                  std::string_view back);

// A service refusal that is not about the input, as an error page (403, 404, 409, 503...).
http::Response refusal_page(app::App& app, const http::Request& req, const core::Error& e);

// The work page of one report and its action routes (staff_case_pages.cpp).
void install_case_pages(app::App& app, ComplaintService& service);

}  // namespace balai::complaints::staff_pages
