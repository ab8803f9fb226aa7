// JSON routes of the region-code table: public, immutable data, cached by everyone.
//   GET /api/v1/regions?parent=CODE   the regions directly under CODE (none: the provinces)
//   GET /api/v1/regions/{code}        one region with its lineage from the province down
#include <boost/json.hpp>

#include "http/json.h"
#include "modules/regions/routes.h"

namespace balai::regions {
namespace {

// The table changes only with a new release of the program (a new data file).
constexpr std::string_view kCacheControl = "public, max-age=86400";
// Kept in the server's memory this long; the cache bounds its own size.
constexpr int kServerCacheMs = 10 * 60 * 1000;

boost::json::object to_json(const Region& r) {
  return {{"code", r.code}, {"name", r.name}, {"level", to_string(r.level)}};
}

core::Error malformed(std::string field) {
  core::Error e{core::ErrorCode::bad_request,
                "a region code is digits in the form 35, 35.77, 35.77.01 or 35.77.01.1001",
                {}};
  e.fields[std::move(field)] = "malformed";
  return e;
}

core::Error unknown(std::string field) {
  core::Error e{core::ErrorCode::not_found, "no region has this code", {}};
  e.fields[std::move(field)] = "unknown_region";
  return e;
}

http::Response cacheable(const boost::json::value& body) {
  http::Response r = http::json_response(200, body);
  r.headers.set("Cache-Control", kCacheControl);
  return r;
}

}  // namespace

void install_api(http::Router& router, const Directory& regions) {
  router
      .get("/api/v1/regions",
           [&regions](http::Request& req) {
             const std::string parent_code = req.query_param("parent").value_or("");
             boost::json::value parent = nullptr;
             if (!parent_code.empty()) {
               if (!level_of(parent_code)) return http::api_error(req, malformed("parent"));
               const Region* p = regions.find(parent_code);
               if (p == nullptr) return http::api_error(req, unknown("parent"));
               parent = to_json(*p);
             }
             boost::json::array items;
             for (const Region* r : regions.children(parent_code)) items.push_back(to_json(*r));
             return cacheable(
                 boost::json::object{{"parent", std::move(parent)}, {"regions", std::move(items)}});
           })
      .public_cache_ms(kServerCacheMs);

  router
      .get("/api/v1/regions/{code}",
           [&regions](http::Request& req) {
             const std::string_view code = req.param("code");
             if (!level_of(code)) return http::api_error(req, malformed("code"));
             const std::vector<const Region*> lineage = regions.lineage(code);
             if (lineage.empty()) return http::api_error(req, unknown("code"));
             boost::json::object body = to_json(*lineage.back());
             boost::json::array chain;
             for (const Region* r : lineage) chain.push_back(to_json(*r));
             body["lineage"] = std::move(chain);
             return cacheable(body);
           })
      .public_cache_ms(kServerCacheMs);
}

}  // namespace balai::regions
