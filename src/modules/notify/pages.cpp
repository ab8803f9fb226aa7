// The development outbox page: what the server would have sent, for a developer to read the
// codes without a mail server. Registered only with notify.dev_outbox (module.cpp).
//   GET /dev/kotak-keluar
#include <fmt/format.h>

#include <boost/json.hpp>

#include "modules/notify/outbox.h"
#include "modules/notify/routes.h"

namespace balai::notify {
namespace {

// "2026-11-27 09:30 WIB": the moment on the city's clock, as a person reads it.
std::string local_time(core::Timestamp t, core::Zone zone) {
  const core::LocalTime local = core::to_local_time(t, zone);
  const core::Date& d = local.date;
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02} {}", d.year, d.month, d.day, local.hour,
                     local.minute, local.second, core::zone_abbreviation(zone));
}

// The body's lines, so the template shows its line breaks without markup in the text.
boost::json::array lines_of(std::string_view body) {
  boost::json::array lines;
  size_t start = 0;
  while (start <= body.size()) {
    size_t end = body.find('\n', start);
    if (end == std::string_view::npos) end = body.size();
    std::string_view line = body.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(boost::json::object{{"line", line}});
    start = end + 1;
  }
  return lines;
}

}  // namespace

void install_pages(app::App& app) {
  app.router.get("/dev/kotak-keluar", [&app](http::Request& req) {
    const std::string& lang = req.context.lang;
    const auto& catalogs = app.renderer.catalogs();
    auto messages = app.outbox.dev_messages(kDevMessagesShown);
    http::Response res = [&] {
      if (!messages) return app.renderer.error_page(req, 503);
      boost::json::array rows;
      for (const DevMessage& m : *messages)
        rows.push_back({
            {"id", m.id},
            {"channel", catalogs.text(lang, "notify.channel." + std::string(to_string(m.channel)))},
            {"to", m.to},
            {"subject", m.subject},
            {"has_subject", !m.subject.empty()},
            {"body_lines", lines_of(m.body)},
            {"kind", m.kind},
            {"created_at", core::format_iso8601(m.created_at, app.config.city.zone)},
            {"created_local", local_time(m.created_at, app.config.city.zone)},
        });
      const bool any = !rows.empty();
      return app.renderer.page(200, "dev_outbox", req,
                               {{"title", catalogs.text(lang, "notify.dev.title")},
                                {"has_messages", any},
                                {"messages", std::move(rows)}});
    }();
    res.headers.set("Cache-Control", "no-store");
    res.headers.set("X-Robots-Tag", "noindex");
    return res;
  });
}

}  // namespace balai::notify
