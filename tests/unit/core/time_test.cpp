#include "core/time.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace balai::core {
namespace {

// 2026-11-27T02:30:00Z, a Friday.
constexpr Timestamp kFriday{1'795'746'600'000};

TEST(CivilDays, EpochIsDayZero) {
  EXPECT_EQ(days_from_civil({1970, 1, 1}), 0);
  EXPECT_EQ(civil_from_days(0), (Date{1970, 1, 1}));
}

TEST(CivilDays, KnownDateMapsToItsDayNumber) {
  EXPECT_EQ(days_from_civil({2000, 3, 1}), 11'017);
  EXPECT_EQ(days_from_civil({1969, 12, 31}), -1);
}

TEST(CivilDays, EveryDayRoundTripsOverFourCenturies) {
  // 1900 (not a leap year), 2000 (leap year), 2100 (not) are all inside.
  const int64_t first = days_from_civil({1800, 1, 1});
  const int64_t last = days_from_civil({2200, 12, 31});
  Date previous = civil_from_days(first - 1);
  for (int64_t day = first; day <= last; ++day) {
    const Date d = civil_from_days(day);
    ASSERT_TRUE(is_valid_date(d)) << day;
    ASSERT_LT(previous, d) << day;
    ASSERT_EQ(days_from_civil(d), day) << d.year << "-" << d.month << "-" << d.day;
    previous = d;
  }
}

TEST(CivilDays, LeapDayFollowsFebruaryTwentyEighthInLeapYears) {
  EXPECT_EQ(civil_from_days(days_from_civil({2024, 2, 28}) + 1), (Date{2024, 2, 29}));
  EXPECT_EQ(civil_from_days(days_from_civil({2000, 2, 28}) + 1), (Date{2000, 2, 29}));
}

TEST(CivilDays, MarchFollowsFebruaryTwentyEighthInCommonYears) {
  EXPECT_EQ(civil_from_days(days_from_civil({2026, 2, 28}) + 1), (Date{2026, 3, 1}));
  EXPECT_EQ(civil_from_days(days_from_civil({1900, 2, 28}) + 1), (Date{1900, 3, 1}));
  EXPECT_EQ(civil_from_days(days_from_civil({2100, 2, 28}) + 1), (Date{2100, 3, 1}));
}

TEST(ValidDate, AcceptsLeapDayOnlyInLeapYears) {
  EXPECT_TRUE(is_valid_date({2024, 2, 29}));
  EXPECT_TRUE(is_valid_date({2000, 2, 29}));
  EXPECT_FALSE(is_valid_date({2026, 2, 29}));
  EXPECT_FALSE(is_valid_date({1900, 2, 29}));
}

TEST(ValidDate, RejectsDaysPastTheEndOfTheMonth) {
  EXPECT_TRUE(is_valid_date({2026, 4, 30}));
  EXPECT_FALSE(is_valid_date({2026, 4, 31}));
  EXPECT_TRUE(is_valid_date({2026, 12, 31}));
  EXPECT_FALSE(is_valid_date({2026, 12, 32}));
}

TEST(ValidDate, RejectsMonthAndDayOutOfRange) {
  EXPECT_FALSE(is_valid_date({2026, 0, 1}));
  EXPECT_FALSE(is_valid_date({2026, 13, 1}));
  EXPECT_FALSE(is_valid_date({2026, 1, 0}));
  EXPECT_FALSE(is_valid_date({2026, -1, 1}));
}

TEST(Zones, OffsetsAreSevenEightAndNineHours) {
  EXPECT_EQ(offset_minutes(Zone::wib), 7 * 60);
  EXPECT_EQ(offset_minutes(Zone::wita), 8 * 60);
  EXPECT_EQ(offset_minutes(Zone::wit), 9 * 60);
}

TEST(Zones, AbbreviationsAreWibWitaWit) {
  EXPECT_EQ(zone_abbreviation(Zone::wib), "WIB");
  EXPECT_EQ(zone_abbreviation(Zone::wita), "WITA");
  EXPECT_EQ(zone_abbreviation(Zone::wit), "WIT");
}

TEST(ParseZone, AcceptsAbbreviationsInAnyCase) {
  EXPECT_EQ(parse_zone("WIB"), Zone::wib);
  EXPECT_EQ(parse_zone("wita"), Zone::wita);
  EXPECT_EQ(parse_zone("Wit"), Zone::wit);
}

TEST(ParseZone, AcceptsIanaNamesOfIndonesianZones) {
  EXPECT_EQ(parse_zone("Asia/Jakarta"), Zone::wib);
  EXPECT_EQ(parse_zone("Asia/Pontianak"), Zone::wib);
  EXPECT_EQ(parse_zone("Asia/Makassar"), Zone::wita);
  EXPECT_EQ(parse_zone("Asia/Jayapura"), Zone::wit);
}

TEST(ParseZone, RejectsOtherZones) {
  EXPECT_EQ(parse_zone("UTC"), std::nullopt);
  EXPECT_EQ(parse_zone("Asia/Singapore"), std::nullopt);
  EXPECT_EQ(parse_zone(""), std::nullopt);
  EXPECT_EQ(parse_zone("WIBX"), std::nullopt);
}

TEST(FormatIso8601, ShowsTheSameMomentInEachZone) {
  EXPECT_EQ(format_iso8601(kFriday, Zone::wib), "2026-11-27T09:30:00+07:00");
  EXPECT_EQ(format_iso8601(kFriday, Zone::wita), "2026-11-27T10:30:00+08:00");
  EXPECT_EQ(format_iso8601(kFriday, Zone::wit), "2026-11-27T11:30:00+09:00");
}

TEST(FormatIso8601, UtcEndsWithZ) {
  EXPECT_EQ(format_iso8601_utc(kFriday), "2026-11-27T02:30:00Z");
}

TEST(FormatIso8601, ShowsMillisecondsOnlyWhenNonZero) {
  EXPECT_EQ(format_iso8601_utc(Timestamp{kFriday.ms + 7}), "2026-11-27T02:30:00.007Z");
  EXPECT_EQ(format_iso8601_utc(Timestamp{kFriday.ms + 1000}), "2026-11-27T02:30:01Z");
}

TEST(FormatIso8601, LocalTimeCrossesMidnightIntoTheNextDay) {
  // 20:00 UTC is 05:00 the next day in WIT.
  const Timestamp t = *parse_iso8601("2026-12-31T20:00:00Z");
  EXPECT_EQ(format_iso8601(t, Zone::wit), "2027-01-01T05:00:00+09:00");
}

TEST(FormatIso8601, HandlesMomentsBeforeTheEpoch) {
  EXPECT_EQ(format_iso8601_utc(Timestamp{-1}), "1969-12-31T23:59:59.999Z");
}

TEST(ParseIso8601, ReadsUtc) {
  EXPECT_EQ(parse_iso8601("2026-11-27T02:30:00Z"), kFriday);
  EXPECT_EQ(parse_iso8601("2026-11-27T02:30:00z"), kFriday);
}

TEST(ParseIso8601, AppliesPositiveOffsets) {
  EXPECT_EQ(parse_iso8601("2026-11-27T09:30:00+07:00"), kFriday);
  EXPECT_EQ(parse_iso8601("2026-11-27T11:30:00+09:00"), kFriday);
}

TEST(ParseIso8601, AppliesNegativeOffsets) {
  EXPECT_EQ(parse_iso8601("2026-11-26T21:00:00-05:30"), kFriday);
}

TEST(ParseIso8601, AcceptsASpaceInsteadOfT) {
  EXPECT_EQ(parse_iso8601("2026-11-27 02:30:00Z"), kFriday);
}

TEST(ParseIso8601, ReadsFractionalSecondsAsMilliseconds) {
  EXPECT_EQ(parse_iso8601("2026-11-27T02:30:00.5Z"), Timestamp{kFriday.ms + 500});
  EXPECT_EQ(parse_iso8601("2026-11-27T02:30:00.123Z"), Timestamp{kFriday.ms + 123});
}

TEST(ParseIso8601, TruncatesDigitsBeyondMilliseconds) {
  EXPECT_EQ(parse_iso8601("2026-11-27T02:30:00.123999Z"), Timestamp{kFriday.ms + 123});
}

TEST(ParseIso8601, RejectsADotWithoutDigits) {
  EXPECT_EQ(parse_iso8601("2026-11-27T02:30:00.Z"), std::nullopt);
}

TEST(ParseIso8601, RejectsAMissingOffset) {
  EXPECT_EQ(parse_iso8601("2026-11-27T09:30:00"), std::nullopt);
  EXPECT_EQ(parse_iso8601("2026-11-27T09:30:00.250"), std::nullopt);
}

TEST(ParseIso8601, RejectsInvalidDates) {
  EXPECT_EQ(parse_iso8601("2026-02-29T00:00:00Z"), std::nullopt);
  EXPECT_EQ(parse_iso8601("2026-13-01T00:00:00Z"), std::nullopt);
  EXPECT_EQ(parse_iso8601("2026-04-31T00:00:00Z"), std::nullopt);
  EXPECT_EQ(parse_iso8601("2026-00-10T00:00:00Z"), std::nullopt);
}

TEST(ParseIso8601, AcceptsLeapDayOfALeapYear) {
  EXPECT_EQ(parse_iso8601("2024-02-29T00:00:00Z"),
            Timestamp{days_from_civil({2024, 2, 29}) * 86'400'000});
}

TEST(ParseIso8601, RejectsTimesOutOfRange) {
  EXPECT_EQ(parse_iso8601("2026-11-27T24:00:00Z"), std::nullopt);
  EXPECT_EQ(parse_iso8601("2026-11-27T23:60:00Z"), std::nullopt);
  EXPECT_EQ(parse_iso8601("2026-11-27T23:59:60Z"), std::nullopt);
}

TEST(ParseIso8601, RejectsMalformedOffsets) {
  EXPECT_EQ(parse_iso8601("2026-11-27T09:30:00+0700"), std::nullopt);
  EXPECT_EQ(parse_iso8601("2026-11-27T09:30:00+07"), std::nullopt);
  EXPECT_EQ(parse_iso8601("2026-11-27T09:30:00+15:00"), std::nullopt);
  EXPECT_EQ(parse_iso8601("2026-11-27T09:30:00+07:60"), std::nullopt);
}

TEST(ParseIso8601, RejectsTrailingText) {
  EXPECT_EQ(parse_iso8601("2026-11-27T02:30:00Z "), std::nullopt);
  EXPECT_EQ(parse_iso8601("2026-11-27T09:30:00+07:00x"), std::nullopt);
}

TEST(ParseIso8601, RejectsMalformedText) {
  EXPECT_EQ(parse_iso8601(""), std::nullopt);
  EXPECT_EQ(parse_iso8601("2026-11-27"), std::nullopt);
  EXPECT_EQ(parse_iso8601("2026/11/27T02:30:00Z"), std::nullopt);
  EXPECT_EQ(parse_iso8601("2026-11-27T2:30:00Z"), std::nullopt);
  EXPECT_EQ(parse_iso8601("+026-11-27T02:30:00Z"), std::nullopt);
}

TEST(ParseIso8601, ReadsBackWhatFormatWrites) {
  for (const Timestamp t :
       {kFriday, Timestamp{kFriday.ms + 999}, Timestamp{0}, Timestamp{-86'400'001}}) {
    for (const Zone z : {Zone::wib, Zone::wita, Zone::wit}) {
      EXPECT_EQ(parse_iso8601(format_iso8601(t, z)), t) << format_iso8601(t, z);
    }
    EXPECT_EQ(parse_iso8601(format_iso8601_utc(t)), t) << format_iso8601_utc(t);
  }
}

TEST(LocalDate, IsTheDateInTheZoneNotInUtc) {
  // 2026-11-27T20:00:00Z is already the 28th in Jakarta.
  const Timestamp t = *parse_iso8601("2026-11-27T20:00:00Z");
  EXPECT_EQ(local_date(t, Zone::wib), (Date{2026, 11, 28}));
}

TEST(LocalDate, StaysOnTheSameDayBeforeLocalMidnight) {
  const Timestamp t = *parse_iso8601("2026-11-27T16:59:59.999Z");  // 23:59:59.999 WIB
  EXPECT_EQ(local_date(t, Zone::wib), (Date{2026, 11, 27}));
}

TEST(LocalTime, IsTheClockInTheZone) {
  const LocalTime wit = to_local_time(*parse_iso8601("2026-11-27T16:59:58Z"), Zone::wit);
  EXPECT_EQ(wit.date, (Date{2026, 11, 28}));
  EXPECT_EQ(wit.hour, 1);
  EXPECT_EQ(wit.minute, 59);
  EXPECT_EQ(wit.second, 58);
  const LocalTime before_epoch = to_local_time(Timestamp{-1}, Zone::wib);  // 06:59:59.999 WIB
  EXPECT_EQ(before_epoch.date, (Date{1970, 1, 1}));
  EXPECT_EQ(before_epoch.hour, 6);
  EXPECT_EQ(before_epoch.second, 59);
}

TEST(StartOfLocalDay, IsLocalMidnightInUtc) {
  EXPECT_EQ(start_of_local_day({2026, 11, 28}, Zone::wib), *parse_iso8601("2026-11-27T17:00:00Z"));
  EXPECT_EQ(start_of_local_day({2026, 11, 28}, Zone::wita), *parse_iso8601("2026-11-27T16:00:00Z"));
  EXPECT_EQ(local_date(start_of_local_day({2026, 3, 1}, Zone::wit), Zone::wit), (Date{2026, 3, 1}));
}

TEST(FormatYearMonth, UsesTheZonesCalendar) {
  const Timestamp t = *parse_iso8601("2026-11-30T18:00:00Z");  // 1 December, 01:00 WIB
  EXPECT_EQ(format_year_month(t, Zone::wib), "2026-12");
  EXPECT_EQ(format_year_month(*parse_iso8601("2026-02-03T04:05:06Z"), Zone::wib), "2026-02");
}

TEST(FormatHttpDate, WritesImfFixdate) {
  EXPECT_EQ(format_http_date(kFriday), "Fri, 27 Nov 2026 02:30:00 GMT");
}

TEST(FormatHttpDate, MatchesTheRfcExample) {
  EXPECT_EQ(format_http_date(Timestamp{784'111'777'000}), "Sun, 06 Nov 1994 08:49:37 GMT");
}

TEST(FormatHttpDate, DropsMilliseconds) {
  EXPECT_EQ(format_http_date(Timestamp{kFriday.ms + 999}), "Fri, 27 Nov 2026 02:30:00 GMT");
}

TEST(FormatHttpDate, NamesTheWeekdayBeforeTheEpoch) {
  EXPECT_EQ(format_http_date(Timestamp{-1000}), "Wed, 31 Dec 1969 23:59:59 GMT");
}

TEST(ManualClock, MovesOnlyWhenTold) {
  ManualClock clock(kFriday);
  EXPECT_EQ(clock.now(), kFriday);
  clock.advance_ms(1500);
  EXPECT_EQ(clock.now(), Timestamp{kFriday.ms + 1500});
  clock.set(Timestamp{42});
  EXPECT_EQ(clock.now(), Timestamp{42});
}

}  // namespace
}  // namespace balai::core
