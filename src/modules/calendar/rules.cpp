#include "modules/calendar/rules.h"

#include <fmt/format.h>

#include "core/text.h"

namespace balai::calendar {
namespace {

bool year_in_range(int year) {
  return year >= kFirstYear && year <= kLastYear;
}

// The value of `text` as unsigned decimal digits, or -1 when it holds anything else.
int digits_value(std::string_view text) {
  if (text.empty()) return -1;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  return value;
}

// C0 controls, DEL and C1 controls (U+0080..U+009F, encoded 0xC2 0x80..0x9F): a name goes to
// pages, JSON and the operator's terminal, where none of them belongs.
bool has_control_character(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f) return true;
    if (c == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
        static_cast<unsigned char>(text[i + 1]) <= 0x9f)
      return true;
  }
  return false;
}

void check_name(std::string_view name, const char* field, core::Error& e) {
  if (name.empty()) {
    e.fields[field] = "required";
  } else if (!core::is_valid_utf8(name) || has_control_character(name)) {
    e.fields[field] = "invalid";
  } else if (core::utf8_length(name) > kMaxNameLength) {
    e.fields[field] = "too_long";
  }
}

}  // namespace

std::optional<core::Date> parse_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const core::Date date{digits_value(text.substr(0, 4)), digits_value(text.substr(5, 2)),
                        digits_value(text.substr(8, 2))};
  if (!year_in_range(date.year) || !core::is_valid_date(date)) return std::nullopt;
  return date;
}

std::string format_date(core::Date date) {
  return fmt::format("{:04}-{:02}-{:02}", date.year, date.month, date.day);
}

std::optional<int> parse_year(std::string_view text) {
  if (text.size() != 4) return std::nullopt;
  const int year = digits_value(text);
  if (!year_in_range(year)) return std::nullopt;
  return year;
}

int iso_weekday(core::Date date) {
  // 1970-01-01 was a Thursday (ISO 4); floor modulo keeps earlier dates right too.
  const int64_t days = core::days_from_civil(date);
  const int64_t monday_based = ((days + 3) % 7 + 7) % 7;  // 0 Monday ... 6 Sunday
  return static_cast<int>(monday_based) + 1;
}

core::Status validate(const Holiday& holiday) {
  core::Error e{core::ErrorCode::validation_failed, "The holiday is not valid.", {}};
  if (!year_in_range(holiday.date.year) || !core::is_valid_date(holiday.date))
    e.fields["date"] = "invalid";
  check_name(holiday.name_id, "name_id", e);
  check_name(holiday.name_en, "name_en", e);
  if (!e.fields.empty()) return e;
  return {};
}

}  // namespace balai::calendar
