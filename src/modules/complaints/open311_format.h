#pragma once
// The documents of Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) in both of its
// formats. Each document is built once as a small tree and written either as XML (the
// specification's own format: a root element, lists as repeated child elements) or as JSON (the
// "Spark convention" mapping of that XML: the root element's name dropped, lists as arrays).
// Texts are Bahasa Indonesia (the category's name_id and description_id): the portal's language
// choice is a cookie, and Open311 routes are cookie-free and shared through the public cache.
// Pure: no I/O; thread-safe.

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/time.h"
#include "modules/complaints/model.h"

namespace balai::complaints::open311 {

enum class Format { json, xml };

// A resource file name split at its format suffix: "services.json" -> {"services", json},
// "ADU-2026-000123.xml" -> {"ADU-2026-000123", xml}. Nullopt for any other suffix, no suffix or
// nothing before it.
struct Resource {
  std::string name;
  Format format = Format::json;
};
std::optional<Resource> parse_resource(std::string_view file);

// "application/json; charset=utf-8" or "text/xml; charset=utf-8" (the specification's headers).
std::string_view content_type(Format format);

// Service discovery (http://wiki.open311.org/Service_Discovery): one endpoint, both formats.
struct Discovery {
  std::string changeset;     // sortable: when the services or their definitions last changed
  std::string contact;       // how to reach the people behind the API
  std::string key_service;   // how to get an API key
  std::string endpoint_url;  // ".../open311/v2"
  std::string type = "production";
};
std::string discovery(const Discovery& d, Format format);

// GET services: every category as a service (service_code = code, group = the agency's code,
// metadata = whether it has attributes, type "realtime", keywords "").
std::string services(std::span<const Category> categories, Format format);

// GET services/{code}: the category's attributes ordered by their `order` and numbered from 1
// (the specification's order is a positive integer, 1 shown first); variable is always true
// (every attribute asks for input); datatype_description is "".
std::string service_definition(const Category& category, Format format);

// What publishing a report needs besides the report.
struct Publication {
  core::Zone zone = core::Zone::wib;  // the city's: datetimes carry its offset
  std::string base_url;  // public origin ("https://balai.example.go.id"); "" -> relative links
};

// One report as Open311 shows it. Never anything about who reported it.
struct ServiceRequest {
  const Complaint* complaint = nullptr;  // not owned; must outlive the call that writes it
  std::string service_name;              // the category's name; "" -> the category code
  std::string first_photo_id;            // "" when the report has no photo (or it is not known)
};

// GET requests and GET requests/{id}: the list (one element for one request).
// status open|closed (complaints::is_open), status_notes = the latest public note,
// agency_responsible = the agency after disposition ("" before), service_notice "",
// requested/updated_datetime = created_at/updated_at, expected_datetime = the current step's
// deadline while open (null otherwise), address, address_id = the village code, zipcode "",
// lat/long in decimal degrees (null without a pin), media_url = the one the client gave, else the
// first photo's public URL, else null.
std::string service_requests(std::span<const ServiceRequest> requests,
                             const Publication& publication, Format format);

// The answer to POST requests: the new report's number and its token (the specification
// returns one or the other; Balai returns both, so a client that only knows tokens works too),
// a service notice and account_id null (accounts are never linked through Open311).
struct Created {
  std::string service_request_id;
  std::string token;
  std::string service_notice;
};
std::string created(const Created& c, Format format);

// GET tokens/{token}.
std::string token_answer(std::string_view service_request_id, std::string_view token,
                         Format format);

// The error list: [{"code":400,"description":"..."}] / <errors><error><code>...
struct Problem {
  int code = 400;
  std::string description;
};
std::string errors(std::span<const Problem> problems, Format format);

}  // namespace balai::complaints::open311
