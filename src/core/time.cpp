#include "core/time.h"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <chrono>

namespace balai::core {

int offset_minutes(Zone zone) {
  switch (zone) {
    case Zone::wib:
      return 7 * 60;
    case Zone::wita:
      return 8 * 60;
    case Zone::wit:
      return 9 * 60;
  }
  return 7 * 60;
}

std::string_view zone_abbreviation(Zone zone) {
  switch (zone) {
    case Zone::wib:
      return "WIB";
    case Zone::wita:
      return "WITA";
    case Zone::wit:
      return "WIT";
  }
  return "WIB";
}

namespace {
bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}
}  // namespace

std::optional<Zone> parse_zone(std::string_view text) {
  if (iequals(text, "WIB") || text == "Asia/Jakarta" || text == "Asia/Pontianak") return Zone::wib;
  if (iequals(text, "WITA") || text == "Asia/Makassar" || text == "Asia/Ujung_Pandang")
    return Zone::wita;
  if (iequals(text, "WIT") || text == "Asia/Jayapura") return Zone::wit;
  return std::nullopt;
}

Timestamp SystemClock::now() const {
  using namespace std::chrono;
  return Timestamp{duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count()};
}

int64_t days_from_civil(Date date) {
  int64_t y = date.year;
  const unsigned m = static_cast<unsigned>(date.month);
  const unsigned d = static_cast<unsigned>(date.day);
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

Date civil_from_days(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return Date{static_cast<int>(y + (m <= 2)), static_cast<int>(m), static_cast<int>(d)};
}

bool is_valid_date(Date date) {
  if (date.month < 1 || date.month > 12 || date.day < 1) return false;
  static constexpr std::array<int, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int max = kDays[static_cast<size_t>(date.month - 1)];
  const bool leap = (date.year % 4 == 0 && date.year % 100 != 0) || date.year % 400 == 0;
  if (date.month == 2 && leap) max = 29;
  return date.day <= max;
}

namespace {

int64_t floor_div(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

std::string format_with_offset(Timestamp t, int offset_min) {
  const int64_t local = t.ms + static_cast<int64_t>(offset_min) * 60'000;
  const int64_t days = floor_div(local, kDayMs);
  const int64_t in_day = local - days * kDayMs;
  const Date d = civil_from_days(days);
  const int64_t h = in_day / 3'600'000, mi = in_day / 60'000 % 60, s = in_day / 1000 % 60,
                ms = in_day % 1000;
  std::string out =
      fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", d.year, d.month, d.day, h, mi, s);
  if (ms != 0) out += fmt::format(".{:03}", ms);
  if (offset_min == 0) {
    out += 'Z';
  } else {
    const char sign = offset_min < 0 ? '-' : '+';
    const int a = offset_min < 0 ? -offset_min : offset_min;
    out += fmt::format("{}{:02}:{:02}", sign, a / 60, a % 60);
  }
  return out;
}

bool read_int(std::string_view s, size_t pos, size_t len, int& out) {
  if (pos + len > s.size()) return false;
  for (size_t i = pos; i < pos + len; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  auto r = std::from_chars(s.data() + pos, s.data() + pos + len, out);
  return r.ec == std::errc{};
}
}  // namespace

std::string format_iso8601(Timestamp t, Zone zone) {
  return format_with_offset(t, offset_minutes(zone));
}
std::string format_iso8601_utc(Timestamp t) {
  return format_with_offset(t, 0);
}

std::optional<Timestamp> parse_iso8601(std::string_view s) {
  int y, mo, d, h, mi, sec;
  if (!read_int(s, 0, 4, y) || s.size() < 19 || s[4] != '-' || !read_int(s, 5, 2, mo) ||
      s[7] != '-' || !read_int(s, 8, 2, d) || (s[10] != 'T' && s[10] != ' ') ||
      !read_int(s, 11, 2, h) || s[13] != ':' || !read_int(s, 14, 2, mi) || s[16] != ':' ||
      !read_int(s, 17, 2, sec))
    return std::nullopt;
  if (!is_valid_date({y, mo, d}) || h > 23 || mi > 59 || sec > 59) return std::nullopt;
  size_t pos = 19;
  int64_t frac_ms = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    size_t digits = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (digits < 3) frac_ms = frac_ms * 10 + (s[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (size_t i = digits; i < 3; ++i) frac_ms *= 10;
  }
  int offset = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh, om;
    if (!read_int(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !read_int(s, pos + 4, 2, om) || oh > 14 || om > 59)
      return std::nullopt;
    offset = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  const int64_t days = days_from_civil({y, mo, d});
  const int64_t local = days * kDayMs + ((h * 60LL + mi) * 60 + sec) * 1000 + frac_ms;
  return Timestamp{local - offset * 60'000LL};
}

Date local_date(Timestamp t, Zone zone) {
  const int64_t local = t.ms + offset_minutes(zone) * 60'000LL;
  return civil_from_days(floor_div(local, kDayMs));
}

LocalTime to_local_time(Timestamp t, Zone zone) {
  const int64_t local = t.ms + offset_minutes(zone) * 60'000LL;
  const int64_t days = floor_div(local, kDayMs);
  const int64_t in_day = local - days * kDayMs;
  return {civil_from_days(days), static_cast<int>(in_day / 3'600'000),
          static_cast<int>(in_day / 60'000 % 60), static_cast<int>(in_day / 1000 % 60)};
}

Timestamp start_of_local_day(Date d, Zone zone) {
  return Timestamp{days_from_civil(d) * kDayMs - offset_minutes(zone) * 60'000LL};
}

std::string format_year_month(Timestamp t, Zone zone) {
  const Date d = local_date(t, zone);
  return fmt::format("{:04}-{:02}", d.year, d.month);
}

std::string format_http_date(Timestamp t) {
  static constexpr std::array<const char*, 7> kDays{"Thu", "Fri", "Sat", "Sun",
                                                    "Mon", "Tue", "Wed"};
  static constexpr std::array<const char*, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const int64_t days = floor_div(t.ms, kDayMs);
  const int64_t in_day = t.ms - days * kDayMs;
  const Date d = civil_from_days(days);
  const auto weekday = static_cast<size_t>(((days % 7) + 7) % 7);
  return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT", kDays[weekday], d.day,
                     kMonths[static_cast<size_t>(d.month - 1)], d.year, in_day / 3'600'000,
                     in_day / 60'000 % 60, in_day / 1000 % 60);
}

}  // namespace balai::core
