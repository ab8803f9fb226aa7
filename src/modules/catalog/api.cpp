// JSON routes of the catalog: parse -> service -> serialize.
//   GET /api/v1/services          every service, both languages
//   GET /api/v1/services/{code}   one service
#include <boost/json.hpp>

#include "http/json.h"
#include "modules/catalog/routes.h"

namespace balai::catalog {
namespace {

boost::json::object localized(const LocalizedText& t) {
  return {{"id", t.id}, {"en", t.en.empty() ? t.id : t.en}};
}

boost::json::object to_json(const Service& s) {
  boost::json::array reqs;
  for (const auto& r : s.requirements) reqs.push_back(localized(r));
  return {
      {"code", s.code},
      {"category", to_string(s.category)},
      {"agency", {{"code", s.agency_code}, {"name", localized(s.agency_name)}}},
      {"name", localized(s.name)},
      {"summary", localized(s.summary)},
      {"description", localized(s.description)},
      {"requirements", std::move(reqs)},
      {"cost_rupiah", s.cost_rupiah},
      {"processing_days", s.processing_days},
      {"legal_basis", s.legal_basis},
      {"online", s.online},
      {"links", {{"self", "/api/v1/services/" + s.code}, {"page", "/layanan/" + s.code}}},
  };
}

}  // namespace

void install_api(http::Router& router, const CatalogService& service) {
  // Public and the same for everyone: served from memory for a few seconds at a time.
  router
      .get("/api/v1/services",
           [&service](http::Request& req) {
             auto list = service.services();
             if (!list) return http::api_error(req, list.error());
             boost::json::array items;
             for (const auto& s : *list) items.push_back(to_json(s));
             http::Response r =
                 http::json_response(200, boost::json::object{{"services", std::move(items)}});
             r.headers.set("Cache-Control", "public, max-age=60");
             return r;
           })
      .public_cache_ms(5'000);

  router
      .get("/api/v1/services/{code}",
           [&service](http::Request& req) {
             auto s = service.service(req.param("code"));
             if (!s) return http::api_error(req, s.error());
             http::Response r = http::json_response(200, to_json(*s));
             r.headers.set("Cache-Control", "public, max-age=60");
             return r;
           })
      .public_cache_ms(5'000);
}

}  // namespace balai::catalog
