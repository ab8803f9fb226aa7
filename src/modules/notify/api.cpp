// The development outbox as JSON, for tests that read the codes a flow sent. Registered only
// with notify.dev_outbox (module.cpp).
//   GET /api/v1/dev/outbox
#include <boost/json.hpp>

#include "http/json.h"
#include "modules/notify/outbox.h"
#include "modules/notify/routes.h"

namespace balai::notify {

void install_api(app::App& app) {
  app.router.get("/api/v1/dev/outbox", [&app](http::Request& req) {
    auto messages = app.outbox.dev_messages(kDevMessagesShown);
    http::Response res = [&] {
      if (!messages) return http::api_error(req, messages.error());
      boost::json::array list;
      for (const DevMessage& m : *messages)
        list.push_back({{"id", m.id},
                        {"channel", to_string(m.channel)},
                        {"to", m.to},
                        {"subject", m.subject},
                        {"body", m.body},
                        {"kind", m.kind},
                        {"created_at", core::format_iso8601(m.created_at, app.config.city.zone)}});
      return http::json_response(200, boost::json::object{{"messages", std::move(list)}});
    }();
    res.headers.set("Cache-Control", "no-store");
    res.headers.set("X-Robots-Tag", "noindex");
    return res;
  });
}

}  // namespace balai::notify
