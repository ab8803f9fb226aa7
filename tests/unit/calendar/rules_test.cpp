// The calendar's pure rules: dates as YYYY-MM-DD, years, weekdays, a holiday's validity.
#include "modules/calendar/rules.h"

#include <gtest/gtest.h>

#include <string>

namespace balai::calendar {
namespace {

TEST(CalendarRules, ReadsAndWritesDatesAsYearMonthDay) {
  const auto d = parse_date("2026-05-01");
  ASSERT_TRUE(d);
  EXPECT_EQ(*d, (core::Date{2026, 5, 1}));
  EXPECT_EQ(format_date(*d), "2026-05-01");
  EXPECT_EQ(format_date({2000, 1, 9}), "2000-01-09");
  EXPECT_TRUE(parse_date("2028-02-29"));  // a leap day
}

TEST(CalendarRules, RefusesDatesThatAreNotRealDaysOrNotExactlyYearMonthDay) {
  for (const char* bad :
       {"", "2026-5-1", "2026-05-1", "01-05-2026", "2026/05/01", "2026-02-29", "2026-13-01",
        "2026-00-10", "2026-04-31", "2026-05-01 ", " 2026-05-01", "2026-05-01T00:00", "20266-05-01",
        "２０２６-05-01", "1999-12-31", "2200-01-01", "+026-05-01", "2026-0a-01"})
    EXPECT_FALSE(parse_date(bad)) << bad;
  EXPECT_TRUE(parse_date("2000-01-01"));
  EXPECT_TRUE(parse_date("2199-12-31"));
}

TEST(CalendarRules, ReadsFourDigitYearsInRange) {
  EXPECT_EQ(parse_year("2026"), 2026);
  for (const char* bad : {"", "26", "1999", "2200", "20266", "2026 ", "-2026", "abcd"})
    EXPECT_FALSE(parse_year(bad)) << bad;
}

TEST(CalendarRules, NamesTheIsoWeekday) {
  EXPECT_EQ(iso_weekday({2026, 5, 1}), 5);    // Friday
  EXPECT_EQ(iso_weekday({2026, 5, 31}), 7);   // Sunday
  EXPECT_EQ(iso_weekday({2026, 6, 1}), 1);    // Monday
  EXPECT_EQ(iso_weekday({1970, 1, 1}), 4);    // Thursday
  EXPECT_EQ(iso_weekday({1969, 12, 29}), 1);  // Monday before the epoch
}

TEST(CalendarRules, AcceptsAHolidayWithBothNames) {
  EXPECT_TRUE(
      validate({{2026, 5, 1}, "Hari Buruh Internasional", "International Labour Day", false}).ok());
  EXPECT_TRUE(validate({{2026, 5, 1}, std::string(120, 'x'), "Ÿ", true}).ok());
}

TEST(CalendarRules, NamesEveryProblemOfAHolidayAtOnce) {
  auto r = validate({{2026, 2, 30}, "", std::string(121, 'x'), false});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::ErrorCode::validation_failed);
  EXPECT_EQ(r.error().fields.at("date"), "invalid");
  EXPECT_EQ(r.error().fields.at("name_id"), "required");
  EXPECT_EQ(r.error().fields.at("name_en"), "too_long");
}

TEST(CalendarRules, CountsNameLengthInCharactersNotBytes) {
  std::string accented;
  for (int i = 0; i < 120; ++i) accented += "é";  // 240 bytes, 120 characters
  EXPECT_TRUE(validate({{2026, 5, 1}, accented, accented, false}).ok());
  accented += "é";
  EXPECT_EQ(validate({{2026, 5, 1}, accented, "x", false}).error().fields.at("name_id"),
            "too_long");
}

TEST(CalendarRules, RefusesControlCharactersAndBrokenUtf8InNames) {
  for (const std::string& bad : {std::string("Libur\x1b[2J"), std::string("Libur\nbaru"),
                                 std::string("Libur\xc2\x85"), std::string("Libur\xff")}) {
    auto r = validate({{2026, 5, 1}, bad, "Holiday", false});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().fields.at("name_id"), "invalid");
  }
}

TEST(CalendarRules, RefusesADateOutsideTheCalendarsYears) {
  EXPECT_EQ(validate({{1999, 12, 31}, "a", "b", false}).error().fields.at("date"), "invalid");
  EXPECT_EQ(validate({{2200, 1, 1}, "a", "b", false}).error().fields.at("date"), "invalid");
  EXPECT_EQ(validate({{0, 0, 0}, "a", "b", false}).error().fields.at("date"), "invalid");
}

}  // namespace
}  // namespace balai::calendar
