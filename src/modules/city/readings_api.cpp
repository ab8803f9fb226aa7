// POST /api/v1/city/readings: a batch of sensor readings from a device (its own entity) or an
// integrator, in the format of readings_json.h. Each reading is checked alone; the answer says
// how many were stored and why the others were refused (never a silent drop).
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "http/json.h"
#include "modules/city/readings_json.h"
#include "modules/city/routes.h"
#include "security/actor.h"

namespace balai::city {
namespace {

constexpr uint64_t kBodyLimit = 2 * 1024 * 1024;  // ~10,000 readings

}  // namespace

void install_readings_api(app::App& app, ContextService& service) {
  app.router
      .post(
          "/api/v1/city/readings",
          [&app, &service](http::Request& req) {
            const security::Actor* actor = security::current_actor(req);
            if (!actor)
              return http::api_error(req,
                                     core::make_error(core::ErrorCode::unauthenticated,
                                                      "A device or integrator token is needed."));
            auto doc = http::parse_json_body(req, {kBodyLimit, 8});
            if (!doc) return http::api_error(req, doc.error());
            auto readings = parse_readings(*doc, {}, app.clock.now());
            if (!readings) return http::api_error(req, readings.error());
            auto report = service.ingest(*actor, *readings);
            if (!report) return http::api_error(req, report.error());
            boost::json::array refused;
            for (const auto& r : report->refused)
              refused.push_back({{"index", r.index}, {"reason", r.reason}, {"message", r.message}});
            http::Response res =
                http::json_response(200, boost::json::object{{"accepted", report->accepted},
                                                             {"refused", std::move(refused)}});
            res.headers.set("Cache-Control", "no-store");
            return res;
          })
      .body_limit(kBodyLimit);
}

}  // namespace balai::city
