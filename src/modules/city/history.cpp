#include "modules/city/history.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <cmath>
#include <map>

#include "http/json.h"
#include "modules/city/ngsi_json.h"

namespace balai::city {
namespace {

int64_t floor_div(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

// The shortest text that reads back as the same double.
std::string number_text(double value) {
  return fmt::format("{}", value);
}

std::string csv_text(std::string_view text) {
  std::string out = "\"";
  // A leading = + - @ (or a tab or CR) makes a spreadsheet read a formula: keep it text.
  if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos)
    out += '\'';
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string csv_value(const boost::json::value& value) {
  if (value.is_double()) return number_text(value.as_double());
  if (value.is_int64() || value.is_uint64()) return boost::json::serialize(value);
  if (value.is_string()) return csv_text(value.as_string());
  return csv_text(boost::json::serialize(value));
}

// A time from a query string: an unencoded "+" of the offset arrives as a space (form
// encoding), so a space after the time of day is read as "+".
std::optional<core::Timestamp> parse_query_time(std::string_view text) {
  std::string fixed(text);
  if (const size_t space = fixed.find(' ', 11); space != std::string::npos) fixed[space] = '+';
  return core::parse_iso8601(fixed);
}

}  // namespace

core::Error invalid_parameter(std::string name, std::string problem) {
  return core::Error{core::ErrorCode::validation_failed,
                     "The request is not valid.",
                     {{std::move(name), std::move(problem)}}};
}

std::string_view to_string(Resolution resolution) {
  switch (resolution) {
    case Resolution::raw:
      return "raw";
    case Resolution::minute:
      return "minute";
    case Resolution::hour:
      return "hour";
  }
  return "raw";
}

std::optional<Resolution> parse_resolution(std::string_view text) {
  for (Resolution r : {Resolution::raw, Resolution::minute, Resolution::hour})
    if (text == to_string(r)) return r;
  return std::nullopt;
}

int64_t bucket_width_ms(Resolution resolution) {
  switch (resolution) {
    case Resolution::raw:
      return 0;
    case Resolution::minute:
      return kMinuteMs;
    case Resolution::hour:
      return kHourMs;
  }
  return 0;
}

int64_t bucket_start(int64_t unix_ms, Resolution resolution) {
  const int64_t width = bucket_width_ms(resolution);
  if (width == 0) return unix_ms;
  return floor_div(unix_ms, width) * width;
}

void merge(Aggregate& into, const Aggregate& more) {
  if (more.count == 0) return;
  if (into.count == 0) {
    into = more;
    return;
  }
  into.count += more.count;
  into.sum += more.sum;
  into.min = std::min(into.min, more.min);
  into.max = std::max(into.max, more.max);
}

std::vector<Bucket> merge_buckets(std::span<const Bucket> parts) {
  std::map<int64_t, Aggregate> by_start;
  for (const auto& part : parts) merge(by_start[part.start_ms], part.aggregate);
  std::vector<Bucket> out;
  out.reserve(by_start.size());
  for (const auto& [start, aggregate] : by_start)
    if (aggregate.count > 0) out.push_back({start, aggregate});
  return out;
}

core::Result<HistoryWindow> parse_window(std::optional<std::string_view> from,
                                         std::optional<std::string_view> to,
                                         std::optional<std::string_view> resolution,
                                         core::Timestamp now, const WindowLimits& limits) {
  constexpr std::string_view kTimeHint = "an ISO 8601 time with a zone, e.g. 2026-11-28T09:00Z";
  HistoryWindow w;
  w.to = now;
  if (to) {
    auto t = parse_query_time(*to);
    if (!t) return invalid_parameter("to", std::string(kTimeHint));
    w.to = *t;
  }
  w.from = core::Timestamp{w.to.ms - limits.default_span_ms};
  if (from) {
    auto t = parse_query_time(*from);
    if (!t) return invalid_parameter("from", std::string(kTimeHint));
    w.from = *t;
  }
  if (w.from > w.to) return invalid_parameter("from", "must not be later than to");
  const int64_t span = w.to.ms - w.from.ms;
  if (resolution) {
    auto r = parse_resolution(*resolution);
    if (!r) return invalid_parameter("resolution", "raw, minute or hour");
    w.resolution = *r;
  } else if (span <= limits.raw_default_upto_ms) {
    w.resolution = Resolution::raw;
  } else if (span <= limits.minute_default_upto_ms) {
    w.resolution = Resolution::minute;
  } else {
    w.resolution = Resolution::hour;
  }
  if (w.resolution == Resolution::raw && span > limits.raw_max_span_ms)
    return invalid_parameter("from", fmt::format("raw history spans at most {} days",
                                                 limits.raw_max_span_ms / core::kDayMs));
  if (span > limits.bucket_max_span_ms)
    return invalid_parameter("from", fmt::format("history spans at most {} days",
                                                 limits.bucket_max_span_ms / core::kDayMs));
  return w;
}

BucketRange bucket_range(const HistoryWindow& window) {
  return BucketRange{bucket_start(window.from.ms, window.resolution),
                     bucket_start(window.to.ms, window.resolution)};
}

std::string raw_csv(std::span<const RawPoint> points) {
  std::string out = "t,value\r\n";
  for (const auto& p : points)
    out += ngsi::format_date_time(p.observed_ms) + "," + csv_value(p.value) + "\r\n";
  return out;
}

std::string buckets_csv(std::span<const Bucket> buckets) {
  std::string out = "t,count,min,max,avg\r\n";
  for (const auto& b : buckets) {
    const Aggregate& a = b.aggregate;
    out += fmt::format("{},{},{},{},{}\r\n", ngsi::format_date_time(b.start_ms), a.count,
                       number_text(a.min), number_text(a.max), number_text(a.average()));
  }
  return out;
}

std::string raw_points_json(std::span<const RawPoint> points) {
  std::string out = "[";
  for (const auto& p : points) {
    if (out.size() > 1) out += ',';
    out += R"({"t":")" + ngsi::format_date_time(p.observed_ms) + R"(","value":)" +
           http::json_text(p.value) + "}";
  }
  return out + "]";
}

std::string bucket_points_json(std::span<const Bucket> buckets) {
  std::string out = "[";
  for (const auto& b : buckets) {
    if (out.size() > 1) out += ',';
    const Aggregate& a = b.aggregate;
    out += fmt::format(R"({{"t":"{}","count":{},"min":{},"max":{},"avg":{}}})",
                       ngsi::format_date_time(b.start_ms), a.count, number_text(a.min),
                       number_text(a.max), number_text(a.average()));
  }
  return out + "]";
}

std::string csv_file_name(std::string_view entity_id, std::string_view attr,
                          Resolution resolution) {
  std::string name = fmt::format("{}_{}_{}.csv", entity_id, attr, to_string(resolution));
  for (char& c : name) {
    const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '_' || c == '-';
    if (!safe) c = '_';
  }
  return name;
}

}  // namespace balai::city
