// JSON routes of the catalog: parse -> service -> serialize.
//   GET /api/v1/services          every service, both languages (?q=&category=&online=)
//   POST /api/v1/services/query   the same search with a JSON body
//   GET /api/v1/services/{code}   one service, with its privacy notice
#include <boost/json.hpp>

#include "http/json.h"
#include "modules/catalog/routes.h"
#include "modules/catalog/rules.h"
#include "modules/catalog/service.h"

namespace balai::catalog {
namespace {

boost::json::object localized(const LocalizedText& t) {
  return {{"id", t.id}, {"en", t.en.empty() ? t.id : t.en}};
}

boost::json::array localized_list(const std::vector<LocalizedText>& list) {
  boost::json::array out;
  for (const auto& t : list) out.push_back(localized(t));
  return out;
}

// What the service does with personal data (UU 27/2022 PDP), as the notice page shows it.
boost::json::object privacy_notice_json(const Service& s) {
  const PrivacyNotice& n = s.privacy_notice;
  return {
      {"collects_personal_data", n.collects_personal_data()},
      {"summary", localized(s.privacy)},
      {"data_items", localized_list(n.data_items)},
      {"purpose", localized(n.purpose)},
      {"legal_basis", s.legal_basis},
      {"recipients", localized(n.recipients)},
      {"retention", localized(n.retention)},
      {"controller", {{"code", s.agency_code}, {"name", localized(s.agency_name)}}},
      {"rights_page", "/data-saya"},
      {"page", privacy_notice_path(s.code)},
  };
}

boost::json::object to_json(const Service& s) {
  return {
      {"code", s.code},
      {"category", to_string(s.category)},
      {"agency", {{"code", s.agency_code}, {"name", localized(s.agency_name)}}},
      {"name", localized(s.name)},
      {"summary", localized(s.summary)},
      {"description", localized(s.description)},
      {"requirements", localized_list(s.requirements)},
      {"cost_rupiah", s.cost_rupiah},
      {"processing_days", s.processing_days},
      {"legal_basis", s.legal_basis},
      {"online", s.online},
      {"links",
       {{"self", "/api/v1/services/" + s.code},
        {"page", "/layanan/" + s.code},
        {"privacy_notice", privacy_notice_path(s.code)}}},
  };
}

http::Response service_list(const std::vector<Service>& list) {
  boost::json::array items;
  for (const auto& s : list) items.push_back(to_json(s));
  return http::json_response(200, boost::json::object{{"services", std::move(items)}});
}

core::Error invalid_field(std::string field, std::string why) {
  core::Error e{core::ErrorCode::validation_failed, "the query is invalid", {}};
  e.fields[std::move(field)] = std::move(why);
  return e;
}

// Reads a query from the URL (?q=&category=&online=).
core::Result<ServiceQuery> query_from_url(const http::Request& req) {
  ServiceQuery q;
  q.text = req.query_param("q").value_or("");
  if (auto c = req.query_param("category")) {
    Category cat;
    if (!parse_category(*c, cat)) return invalid_field("category", "unknown category");
    q.category = cat;
  }
  if (auto o = req.query_param("online")) {
    if (*o != "true" && *o != "false") return invalid_field("online", "must be true or false");
    q.online = *o == "true";
  }
  return q;
}

// Reads a query from a JSON object {"q": "...", "category": "...", "online": true}.
core::Result<ServiceQuery> query_from_json(const boost::json::value& body) {
  if (!body.is_object()) return invalid_field("body", "must be a JSON object");
  ServiceQuery q;
  for (const auto& [key, value] : body.as_object()) {
    if (key == "q") {
      if (!value.is_string()) return invalid_field("q", "must be a string");
      q.text = value.as_string();
    } else if (key == "category") {
      Category cat;
      if (!value.is_string()) return invalid_field("category", "must be a string");
      if (!parse_category(value.as_string(), cat))
        return invalid_field("category", "unknown category");
      q.category = cat;
    } else if (key == "online") {
      if (!value.is_bool()) return invalid_field("online", "must be true or false");
      q.online = value.as_bool();
    } else {
      return invalid_field(std::string(key), "unknown field");
    }
  }
  return q;
}

}  // namespace

void install_api(http::Router& router, const CatalogService& service) {
  // Public and the same for everyone: served from memory for a few seconds at a time.
  router
      .get("/api/v1/services",
           [&service](http::Request& req) {
             auto query = query_from_url(req);
             if (!query) return http::api_error(req, query.error());
             auto list = service.search(*query);
             if (!list) return http::api_error(req, list.error());
             http::Response r = service_list(*list);
             r.headers.set("Cache-Control", "public, max-age=60");
             return r;
           })
      .public_cache_ms(5'000);

  // Small JSON bodies only: a query is a few fields.
  router
      .post("/api/v1/services/query",
            [&service](http::Request& req) {
              auto body = http::parse_json_body(req, {.max_bytes = 4096, .max_depth = 4});
              if (!body) return http::api_error(req, body.error());
              auto query = query_from_json(*body);
              if (!query) return http::api_error(req, query.error());
              auto list = service.search(*query);
              if (!list) return http::api_error(req, list.error());
              return service_list(*list);
            })
      .body_limit(4096);

  router
      .get("/api/v1/services/{code}",
           [&service](http::Request& req) {
             auto s = service.service(req.param("code"));
             if (!s) return http::api_error(req, s.error());
             // The list leaves the notice out to stay small; one service carries it whole.
             boost::json::object body = to_json(*s);
             body["privacy_notice"] = privacy_notice_json(*s);
             http::Response r = http::json_response(200, std::move(body));
             r.headers.set("Cache-Control", "public, max-age=60");
             return r;
           })
      .public_cache_ms(5'000);
}

}  // namespace balai::catalog
