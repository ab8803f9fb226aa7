// GET /api/v1/city/stream: Server-Sent Events of the city's changes, for the live dashboard
// and for other systems. Filters: `type` (entity types, comma separated) and `area`
// ("south,west,north,east"); anonymous clients and citizens get public entity types only (staff,
// integrators and devices every type: sees_private_types). A reconnecting
// client sends Last-Event-ID and gets what it missed, or an event "reset" when that is gone
// (reload the current state, then follow the stream again).
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "core/geo.h"
#include "core/text.h"
#include "http/event_stream.h"
#include "http/json.h"
#include "modules/city/live_feed.h"
#include "modules/city/routes.h"
#include "security/actor.h"

namespace balai::city {
namespace {

constexpr size_t kMaxTypes = 20;

class StreamFeed final : public http::EventFeed {
 public:
  StreamFeed(const LiveFeed& feed, uint64_t after, bool reset, std::vector<std::string> types,
             std::optional<core::GeoBox> area, bool public_only)
      : feed_(feed),
        cursor_(after),
        reset_(reset),
        types_(std::move(types)),
        area_(area),
        public_only_(public_only) {}

  bool collect(http::EventBatch& out) override {
    if (first_) {
      first_ = false;
      out.text += "retry: 3000\n\n";  // reconnect after 3 s, not the browser's default
      if (reset_) http::append_event(out.text, feed_.event_id(cursor_), "reset", "{}");
    }
    bool lost = false;
    if (types_.empty() && !area_) {
      // Most streams (every dashboard) have no filter: they share one text per position.
      out.shared = feed_.batch_since(cursor_, public_only_, lost, cursor_);
      if (lost) http::append_event(out.text, "", "reset", "{}");
      return true;
    }
    auto items = feed_.since(cursor_, lost);
    if (lost) http::append_event(out.text, "", "reset", "{}");
    for (const auto& item : items) {
      cursor_ = item->seq;
      if (wanted(*item)) out.text += item->event;
    }
    return true;
  }

 private:
  bool wanted(const LiveItem& item) const {
    if (public_only_ && !item.public_read) return false;
    if (!types_.empty() &&
        std::find(types_.begin(), types_.end(), item.entity_type) == types_.end())
      return false;
    if (area_ && (!item.point || !area_->contains(*item.point))) return false;
    return true;
  }

  const LiveFeed& feed_;
  uint64_t cursor_;
  bool reset_;
  bool first_ = true;
  std::vector<std::string> types_;
  std::optional<core::GeoBox> area_;
  bool public_only_;
};

http::Response bad_parameter(const http::Request& req, std::string_view name,
                             std::string_view problem) {
  return http::api_error(req, core::Error{core::ErrorCode::validation_failed,
                                          "The request is not valid.",
                                          {{std::string(name), std::string(problem)}}});
}

}  // namespace

void install_stream_api(app::App& app, const LiveFeed& feed) {
  app.router.get("/api/v1/city/stream", [&feed](http::Request& req) {
    std::vector<std::string> types;
    if (auto t = req.query_param("type"); t && !t->empty()) {
      std::string_view rest = *t;
      while (true) {
        const size_t comma = rest.find(',');
        const std::string name(core::trim(rest.substr(0, comma)));
        if (name.empty() || name.size() > 256)
          return bad_parameter(req, "type", "a list of entity types");
        types.push_back(name);
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
      }
      if (types.size() > kMaxTypes) return bad_parameter(req, "type", "at most 20 types");
    }
    std::optional<core::GeoBox> area;
    if (auto a = req.query_param("area"); a && !a->empty()) {
      area = core::parse_geo_box(*a);
      if (!area) return bad_parameter(req, "area", "south,west,north,east in decimal degrees");
    }
    uint64_t after = feed.last();
    bool reset = false;
    if (auto last = req.headers.get("Last-Event-ID"); last && !last->empty()) {
      if (auto seq = feed.parse_event_id(*last))
        after = std::min(*seq, after);
      else
        reset = true;  // from before a restart, or another instance's: the client reloads
    }
    const bool public_only = !sees_private_types(security::current_actor(req));
    return http::Response::event_stream(
        std::make_shared<StreamFeed>(feed, after, reset, std::move(types), area, public_only));
  });
}

}  // namespace balai::city
