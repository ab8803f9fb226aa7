#pragma once
// Time as the whole system sees it: UTC milliseconds since the epoch (what the database stores),
// shown in the city's fixed zone. Indonesia has no daylight saving, so a zone is an offset.

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace balai::core {

// A point in time, UTC milliseconds. A distinct type so a duration or an id is never passed
// where a time belongs.
struct Timestamp {
  int64_t ms = 0;
  friend auto operator<=>(const Timestamp&, const Timestamp&) = default;
};

// Indonesian time zones: WIB (UTC+7, Sumatra, Java, West/Central Kalimantan), WITA (UTC+8,
// Bali, Nusa Tenggara, Sulawesi, South/East/North Kalimantan), WIT (UTC+9, Maluku, Papua).
enum class Zone { wib, wita, wit };

// Offset of a zone from UTC in minutes.
int offset_minutes(Zone zone);
// "WIB", "WITA", "WIT".
std::string_view zone_abbreviation(Zone zone);
// Parses "WIB"/"WITA"/"WIT" or the IANA names that map to them (Asia/Jakarta, Asia/Makassar,
// Asia/Jayapura, and their neighbours); case-insensitive for the abbreviations.
std::optional<Zone> parse_zone(std::string_view text);

// Source of the current time. Injected so rules that depend on time are tested with a clock
// the test moves. Implementations are thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp now() const = 0;
};

// The real wall clock.
class SystemClock final : public Clock {
 public:
  Timestamp now() const override;
};

// A clock that stands still until told to move; for tests.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Timestamp start) : now_ms_(start.ms) {}
  Timestamp now() const override { return Timestamp{now_ms_.load()}; }
  void advance_ms(int64_t ms) { now_ms_ += ms; }
  void set(Timestamp t) { now_ms_ = t.ms; }

 private:
  std::atomic<int64_t> now_ms_;  // read by server threads while the test moves it
};

// A civil date (proleptic Gregorian).
struct Date {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  friend auto operator<=>(const Date&, const Date&) = default;
};

// Days since 1970-01-01 for a civil date, and back (Howard Hinnant's algorithms).
int64_t days_from_civil(Date date);
Date civil_from_days(int64_t days);
bool is_valid_date(Date date);

// ISO-8601 with the zone's offset, milliseconds when non-zero: "2026-11-27T09:30:00+07:00".
std::string format_iso8601(Timestamp t, Zone zone);
// ISO-8601 in UTC with "Z".
std::string format_iso8601_utc(Timestamp t);
// Parses ISO-8601 "YYYY-MM-DDTHH:MM:SS[.fff](Z|+HH:MM|-HH:MM)"; a missing offset is rejected
// because a time without a zone is ambiguous across Indonesia.
std::optional<Timestamp> parse_iso8601(std::string_view text);
inline constexpr int64_t kDayMs = 86'400'000;

// The civil date of a moment in a zone.
Date local_date(Timestamp t, Zone zone);
// A moment on the zone's clock: its date and the time of day.
struct LocalTime {
  Date date;
  int hour = 0;    // 0..23
  int minute = 0;  // 0..59
  int second = 0;  // 0..59
};
LocalTime to_local_time(Timestamp t, Zone zone);
// The first moment (00:00) of a civil date in a zone.
Timestamp start_of_local_day(Date d, Zone zone);
// "2026-11": the year and month of a moment in a zone (statistics by month).
std::string format_year_month(Timestamp t, Zone zone);
// RFC 7231 IMF-fixdate for HTTP headers ("Fri, 27 Nov 2026 09:30:00 GMT").
std::string format_http_date(Timestamp t);

}  // namespace balai::core
