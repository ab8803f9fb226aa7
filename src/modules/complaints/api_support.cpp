#include "modules/complaints/api_support.h"

#include <charconv>

#include "http/json.h"
#include "modules/regions/directory.h"

namespace balai::complaints {
namespace {

core::Error bad_param(std::string_view name, std::string_view why) {
  return core::Error{core::ErrorCode::validation_failed,
                     "A query parameter is not valid.",
                     {{std::string(name), std::string(why)}}};
}

std::optional<int> parse_int(std::string_view text, int lo, int hi) {
  int v = 0;
  auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  if (r.ec != std::errc{} || r.ptr != text.data() + text.size() || v < lo || v > hi)
    return std::nullopt;
  return v;
}

}  // namespace

core::Error sign_in_first() {
  return core::make_error(core::ErrorCode::unauthenticated, "Sign in first.");
}

core::Error missing_fields(std::initializer_list<std::string_view> names) {
  core::Error e{core::ErrorCode::validation_failed, "Required fields are missing.", {}};
  for (auto n : names) e.fields[std::string(n)] = "required";
  return e;
}

std::optional<core::Date> parse_day(std::string_view t) {
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
  auto y = parse_int(t.substr(0, 4), 1900, 9999);
  auto m = parse_int(t.substr(5, 2), 1, 12);
  auto d = parse_int(t.substr(8, 2), 1, 31);
  if (!y || !m || !d) return std::nullopt;
  core::Date date{*y, *m, *d};
  if (!core::is_valid_date(date)) return std::nullopt;
  return date;
}

core::Result<Filter> filter_from_query(const http::Request& req, core::Zone zone) {
  Filter f;
  f.page_size = 20;
  if (auto v = req.query_param("category"); v && !v->empty()) f.category = *v;
  if (auto v = req.query_param("status"); v && !v->empty()) {
    f.status = parse_status(*v);
    if (!f.status) return bad_param("status", "unknown status");
  }
  if (auto v = req.query_param("region"); v && !v->empty()) {
    if (!regions::level_of(*v)) return bad_param("region", "not a region code");
    f.region_prefix = *v;
  }
  if (auto v = req.query_param("from"); v && !v->empty()) {
    auto d = parse_day(*v);
    if (!d) return bad_param("from", "YYYY-MM-DD");
    f.from = core::start_of_local_day(*d, zone);
  }
  if (auto v = req.query_param("to"); v && !v->empty()) {
    auto d = parse_day(*v);
    if (!d) return bad_param("to", "YYYY-MM-DD");
    f.to = core::Timestamp{core::start_of_local_day(*d, zone).ms + core::kDayMs};
  }
  if (f.from && f.to && f.to->ms <= f.from->ms) return bad_param("to", "before from");
  if (auto v = req.query_param("page"); v && !v->empty()) {
    auto p = parse_int(*v, 1, 100'000);
    if (!p) return bad_param("page", "a whole number from 1");
    f.page = *p;
  }
  if (auto v = req.query_param("page_size"); v && !v->empty()) {
    auto p = parse_int(*v, 1, 100);
    if (!p) return bad_param("page_size", "1 to 100");
    f.page_size = *p;
  }
  return f;
}

core::Result<std::pair<core::Timestamp, core::Timestamp>> period_from_query(
    const http::Request& req, core::Zone zone, core::Timestamp now) {
  const core::Date today = core::local_date(now, zone);
  core::Timestamp to{core::start_of_local_day(today, zone).ms + core::kDayMs};
  core::Timestamp from{to.ms - 365 * core::kDayMs};
  if (auto v = req.query_param("from"); v && !v->empty()) {
    auto d = parse_day(*v);
    if (!d) return bad_param("from", "YYYY-MM-DD");
    from = core::start_of_local_day(*d, zone);
  }
  if (auto v = req.query_param("to"); v && !v->empty()) {
    auto d = parse_day(*v);
    if (!d) return bad_param("to", "YYYY-MM-DD");
    to = core::Timestamp{core::start_of_local_day(*d, zone).ms + core::kDayMs};
  }
  if (to.ms <= from.ms) return bad_param("to", "before from");
  if (to.ms - from.ms > 5 * 366 * core::kDayMs) return bad_param("from", "at most 5 years");
  return std::make_pair(from, to);
}

}  // namespace balai::complaints
