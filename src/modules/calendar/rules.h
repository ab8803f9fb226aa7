#pragma once
// Pure rules of the holiday calendar: how a date is written and read (YYYY-MM-DD), which years
// the calendar holds, what a valid holiday is. No I/O; unit-tested alone.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/time.h"
#include "modules/calendar/model.h"

namespace balai::calendar {

// The years a holiday may fall in (and a listing may ask for): wide enough for any calendar an
// office keeps, narrow enough that a typo such as 20266 is refused rather than stored.
inline constexpr int kFirstYear = 2000;
inline constexpr int kLastYear = 2199;
// A holiday's name, per language, in characters (code points).
inline constexpr size_t kMaxNameLength = 120;

// "2026-05-01" -> 1 May 2026. nullopt unless the text is exactly YYYY-MM-DD (ASCII digits, with
// leading zeros), names a real day (no 30 February) and the year is kFirstYear..kLastYear.
std::optional<core::Date> parse_date(std::string_view text);
// 1 May 2026 -> "2026-05-01" (the form parse_date reads, the API's and the database's).
std::string format_date(core::Date date);
// "2026" -> 2026; nullopt unless 4 ASCII digits within kFirstYear..kLastYear.
std::optional<int> parse_year(std::string_view text);

// Day of the week, ISO 8601: 1 Monday ... 6 Saturday, 7 Sunday.
int iso_weekday(core::Date date);

// Ok, or validation_failed naming each bad field: "date" ("invalid": not a real day, or outside
// kFirstYear..kLastYear), "name_id" and "name_en" ("required" when empty, "too_long" over
// kMaxNameLength characters, "invalid" for bytes that are not UTF-8 or control characters).
// Names are checked as given: callers trim what people typed.
[[nodiscard]] core::Status validate(const Holiday& holiday);

}  // namespace balai::calendar
