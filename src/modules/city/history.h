#pragma once
// The city's history as time series, in pure functions: the buckets of the per-minute and
// per-hour roll-ups, merging partial aggregates (a late reading for a bucket already rolled up
// adds to it), the time window a history request asks for (GET
// /api/v1/city/entities/{id}/history), and the answer's CSV and JSON points. No I/O;
// thread-safe. The SQL is in history_store.*, the route and the jobs in history_api.cpp.
//
// Buckets are UTC epoch minutes and hours: a bucket starts at a multiple of 60,000 or
// 3,600,000 ms since 1970-01-01T00:00Z, whatever the city's zone. Indonesia's zones are whole
// hours from UTC (WIB +7, WITA +8, WIT +9), so an hour bucket is also a local clock hour.

#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace balai::city {

// How fine a history answer is: every stored point, or one aggregate per minute or hour.
enum class Resolution { raw, minute, hour };
std::string_view to_string(Resolution resolution);  // "raw", "minute", "hour"
std::optional<Resolution> parse_resolution(std::string_view text);

inline constexpr int64_t kMinuteMs = 60'000;
inline constexpr int64_t kHourMs = 3'600'000;

// The width of a bucket: kMinuteMs or kHourMs; 0 for raw (no buckets).
int64_t bucket_width_ms(Resolution resolution);

// The start of the bucket that holds `unix_ms` (floor, also before 1970). Raw: `unix_ms`.
int64_t bucket_start(int64_t unix_ms, Resolution resolution);

// Count, minimum, maximum and sum of numeric points; the average is derived, so aggregates of
// parts merge exactly into the aggregate of the whole.
struct Aggregate {
  int64_t count = 0;
  double min = 0;
  double max = 0;
  double sum = 0;

  static Aggregate of(double value) { return Aggregate{1, value, value, value}; }
  double average() const { return count ? sum / static_cast<double>(count) : 0; }
  bool operator==(const Aggregate&) const = default;
};

// Adds `more` into `into`: counts and sums add, the range widens to hold both. An empty side
// (count 0) leaves the other as it was.
void merge(Aggregate& into, const Aggregate& more);

// One bucket of an answer.
struct Bucket {
  int64_t start_ms = 0;
  Aggregate aggregate;
  bool operator==(const Bucket&) const = default;
};

// Partial aggregates of one series (roll-ups and the raw rows not rolled up yet, possibly for
// the same bucket) merged into one bucket each, oldest first.
std::vector<Bucket> merge_buckets(std::span<const Bucket> parts);

// --- The window a request asks for ---

struct HistoryWindow {
  core::Timestamp from;
  core::Timestamp to;
  Resolution resolution = Resolution::raw;
};

// How long a window may be, and which resolution a request without one gets.
struct WindowLimits {
  int64_t default_span_ms = core::kDayMs;             // `from` absent: `to` minus this
  int64_t raw_max_span_ms = 31 * core::kDayMs;        // raw answers
  int64_t bucket_max_span_ms = 366 * core::kDayMs;    // minute and hour answers
  int64_t raw_default_upto_ms = 6 * kHourMs;          // no resolution: raw up to this span
  int64_t minute_default_upto_ms = 3 * core::kDayMs;  // then minute up to this, then hour
};

// A query parameter the history API cannot use: validation_failed (422) naming it in `fields`,
// as every /api/v1 parameter error.
core::Error invalid_parameter(std::string name, std::string problem);

// The window of a request's `from`, `to` and `resolution` parameters (nullopt: absent). Times
// are ISO 8601 with a zone (core::parse_iso8601; a space before the offset is read as the "+"
// a query string turned into it); `to` defaults to `now`, `from` to `to` minus
// the default span. invalid_parameter (422), the parameter named in `fields`, for a time or a
// resolution that does not parse, `from` after `to`, or a span longer than its resolution
// allows. Both ends are included.
[[nodiscard]] core::Result<HistoryWindow> parse_window(std::optional<std::string_view> from,
                                                       std::optional<std::string_view> to,
                                                       std::optional<std::string_view> resolution,
                                                       core::Timestamp now,
                                                       const WindowLimits& limits = {});

// The buckets a window answers: every bucket that holds a moment of [from, to], whole (its
// aggregate is the whole bucket's, not clipped to the window). Precondition: not raw.
struct BucketRange {
  int64_t first_ms = 0;  // start of the first bucket
  int64_t last_ms = 0;   // start of the last bucket
};
BucketRange bucket_range(const HistoryWindow& window);

// --- Answers ---

// One stored point: a number, or the JSON of another value (text attributes).
struct RawPoint {
  int64_t observed_ms = 0;
  boost::json::value value;
};

// "t,value" and a line per point: times ISO 8601 UTC with milliseconds, numbers in their
// shortest exact form, other values quoted (text as itself, anything else as JSON; a text that
// starts like a spreadsheet formula gets a leading apostrophe). Lines end in CRLF (RFC 4180).
std::string raw_csv(std::span<const RawPoint> points);
// "t,count,min,max,avg" and a line per bucket (t: the bucket's start).
std::string buckets_csv(std::span<const Bucket> buckets);

// The JSON array of the answer's "points", serialized: [{"t":...,"value":...}] or
// [{"t":...,"count":n,"min":..,"max":..,"avg":..}]. Numbers in their shortest exact form
// ("153.2", not Boost.JSON's "1.532E2").
std::string raw_points_json(std::span<const RawPoint> points);
std::string bucket_points_json(std::span<const Bucket> buckets);

// The file name a CSV download is offered under: "<entity>_<attr>_<resolution>.csv" with every
// character outside [A-Za-z0-9._-] replaced by "_" (safe inside a quoted header parameter).
std::string csv_file_name(std::string_view entity_id, std::string_view attr, Resolution resolution);

}  // namespace balai::city
