// Working days for deadlines: weekends and the calendar's holidays skipped, counted on the
// city's local dates.
#include "modules/calendar/working_days.h"

#include <gtest/gtest.h>

#include <vector>

namespace balai::calendar {
namespace {

using core::Date;
using core::Timestamp;
using core::Zone;

constexpr int64_t kHour = 3'600'000;

// A local wall-clock time in `zone` as a UTC timestamp.
Timestamp local(Date d, int hour, int minute, Zone zone = Zone::wib) {
  return Timestamp{core::days_from_civil(d) * 24 * kHour + hour * kHour + minute * 60'000 -
                   int64_t{core::offset_minutes(zone)} * 60'000};
}

// 23:59:59.999 local time of `d`: what a deadline on that day is.
Timestamp end_of(Date d, Zone zone = Zone::wib) {
  return Timestamp{local(d, 0, 0, zone).ms + 24 * kHour - 1};
}

// The days around Idul Fitri 1447 H in the 2026 decree: cuti bersama on Friday 20 March, the
// holiday on Saturday and Sunday 21-22 March, cuti bersama on Monday 23 and Tuesday 24 March;
// Nyepi on Thursday 19 March with its cuti bersama on Wednesday 18 March.
std::vector<Date> lebaran_2026() {
  return {{2026, 3, 18}, {2026, 3, 19}, {2026, 3, 20}, {2026, 3, 21},
          {2026, 3, 22}, {2026, 3, 23}, {2026, 3, 24}};
}

TEST(WorkingDays, CountsMondayToFridayAndNeverTheWeekend) {
  const WorkingDays days;
  EXPECT_TRUE(days.is_working_day({2026, 11, 23}));   // Monday
  EXPECT_TRUE(days.is_working_day({2026, 11, 27}));   // Friday
  EXPECT_FALSE(days.is_working_day({2026, 11, 28}));  // Saturday
  EXPECT_FALSE(days.is_working_day({2026, 11, 29}));  // Sunday
  EXPECT_FALSE(days.is_working_day({1969, 12, 28}));  // a Sunday before the epoch
  EXPECT_TRUE(days.is_working_day({1969, 12, 29}));   // and its Monday
}

TEST(WorkingDays, DefaultsToWibWithWeekendsOnly) {
  const WorkingDays days;
  EXPECT_EQ(days.zone(), Zone::wib);
  EXPECT_TRUE(days.is_working_day({2026, 5, 1}));  // Labour Day is not known to it
}

TEST(WorkingDays, SkipsAHolidayOnAFriday) {
  const WorkingDays days({{2026, 5, 1}}, Zone::wib);
  EXPECT_FALSE(days.is_working_day({2026, 5, 1}));
  // Received Thursday 30 April: Friday is Labour Day, so the 1st working day is Monday 4 May.
  EXPECT_EQ(days.deadline_after(local({2026, 4, 30}, 10, 0), 1), end_of({2026, 5, 4}));
  EXPECT_EQ(days.deadline_after(local({2026, 4, 30}, 10, 0), 5), end_of({2026, 5, 8}));
}

TEST(WorkingDays, EndsTheDeadlineAtTheLastMillisecondOfTheLocalDay) {
  const WorkingDays days;
  // Monday 23 November 2026, 09:30 WIB; one working day later is Tuesday 23:59:59.999 WIB,
  // which is 16:59:59.999 UTC.
  const Timestamp deadline = days.deadline_after(local({2026, 11, 23}, 9, 30), 1);
  EXPECT_EQ(core::format_iso8601_utc(deadline), "2026-11-24T16:59:59.999Z");
  EXPECT_EQ(core::format_iso8601(deadline, Zone::wib), "2026-11-24T23:59:59.999+07:00");
}

TEST(WorkingDays, SkipsTheRunOfCutiBersamaAroundIdulFitri) {
  const WorkingDays days(lebaran_2026(), Zone::wib);
  for (const Date& d : lebaran_2026()) EXPECT_FALSE(days.is_working_day(d)) << d.day;
  EXPECT_TRUE(days.is_working_day({2026, 3, 17}));
  EXPECT_TRUE(days.is_working_day({2026, 3, 25}));
  // Received Tuesday 17 March: nothing works until Wednesday 25 March.
  const Timestamp received = local({2026, 3, 17}, 14, 0);
  EXPECT_EQ(days.deadline_after(received, 1), end_of({2026, 3, 25}));
  EXPECT_EQ(days.deadline_after(received, 3), end_of({2026, 3, 27}));
  EXPECT_EQ(days.deadline_after(received, 5), end_of({2026, 3, 31}));
  EXPECT_EQ(days.working_days_between(received, end_of({2026, 3, 24})), 0);
}

TEST(WorkingDays, StartsCountingOnTheNextWorkingDayWhenReceivedOnAWeekend) {
  const WorkingDays days;
  // Saturday and Sunday both lead to Monday as the first working day.
  EXPECT_EQ(days.deadline_after(local({2026, 11, 28}, 8, 0), 1), end_of({2026, 11, 30}));
  EXPECT_EQ(days.deadline_after(local({2026, 11, 29}, 23, 0), 1), end_of({2026, 11, 30}));
  EXPECT_EQ(days.deadline_after(local({2026, 11, 29}, 23, 0), 5), end_of({2026, 12, 4}));
}

TEST(WorkingDays, StartsCountingOnTheNextWorkingDayWhenReceivedOnAHoliday) {
  const WorkingDays days(lebaran_2026(), Zone::wib);
  // Received on cuti bersama (Monday 23 March): the 1st working day is Wednesday 25 March.
  EXPECT_EQ(days.deadline_after(local({2026, 3, 23}, 9, 0), 1), end_of({2026, 3, 25}));
}

TEST(WorkingDays, NeverCountsTheDayOfReceiptWhateverTheHour) {
  const WorkingDays days;
  // Monday 00:00 and 23:59 local both have Tuesday as their first working day.
  EXPECT_EQ(days.deadline_after(local({2026, 11, 23}, 0, 0), 1), end_of({2026, 11, 24}));
  EXPECT_EQ(days.deadline_after(local({2026, 11, 23}, 23, 59), 1), end_of({2026, 11, 24}));
}

TEST(WorkingDays, CrossesTheYearBoundary) {
  const WorkingDays days({{2026, 12, 24}, {2026, 12, 25}, {2027, 1, 1}}, Zone::wib);
  // Wednesday 23 December 2026: Thu 24 and Fri 25 are off, Mon 28 to Thu 31 work, Fri 1
  // January is New Year, Mon 4 January 2027 is the 5th working day.
  const Timestamp received = local({2026, 12, 23}, 11, 0);
  EXPECT_EQ(days.deadline_after(received, 4), end_of({2026, 12, 31}));
  EXPECT_EQ(days.deadline_after(received, 5), end_of({2027, 1, 4}));
  EXPECT_EQ(days.working_days_between(received, end_of({2027, 1, 4})), 5);
}

TEST(WorkingDays, CountsTheLocalDateInWita) {
  const WorkingDays wita({}, Zone::wita);
  const WorkingDays wib({}, Zone::wib);
  EXPECT_EQ(wita.zone(), Zone::wita);
  // 16:30 UTC on Thursday 26 November is 23:30 that Thursday in WIB (+07) but already 00:30
  // on Friday 27 November in WITA (+08): in WITA, Friday is the day of receipt.
  const Timestamp received{core::days_from_civil({2026, 11, 26}) * 24 * kHour + 16 * kHour +
                           30 * 60'000};
  EXPECT_EQ(wita.deadline_after(received, 1), end_of({2026, 11, 30}, Zone::wita));
  EXPECT_EQ(core::format_iso8601(wita.deadline_after(received, 1), Zone::wita),
            "2026-11-30T23:59:59.999+08:00");
  EXPECT_EQ(wib.deadline_after(received, 1), end_of({2026, 11, 27}, Zone::wib));
  const Timestamp monday_noon = local({2026, 11, 30}, 12, 0, Zone::wita);
  EXPECT_EQ(wita.working_days_between(received, monday_noon), 1);
  EXPECT_EQ(wib.working_days_between(received, monday_noon), 2);
}

TEST(WorkingDays, CountsTheLocalDateInWit) {
  const WorkingDays days({{2026, 8, 17}}, Zone::wit);
  // 15:30 UTC on Sunday 16 August is 00:30 on Monday 17 August in WIT (+09), Independence
  // Day: the first working day is Tuesday 18 August, ending at 14:59:59.999 UTC.
  const Timestamp received{core::days_from_civil({2026, 8, 16}) * 24 * kHour + 15 * kHour +
                           30 * 60'000};
  const Timestamp deadline = days.deadline_after(received, 1);
  EXPECT_EQ(deadline, end_of({2026, 8, 18}, Zone::wit));
  EXPECT_EQ(core::format_iso8601_utc(deadline), "2026-08-18T14:59:59.999Z");
  // Seen from WIB the same moment is still Sunday 22:30: a WIB calendar counts Monday, which
  // it does not know as a holiday.
  const WorkingDays wib({}, Zone::wib);
  EXPECT_EQ(wib.deadline_after(received, 1), end_of({2026, 8, 17}, Zone::wib));
}

TEST(WorkingDays, CountsWorkingDaysBetweenAndBackToTheDeadline) {
  const WorkingDays days(lebaran_2026(), Zone::wib);
  for (const Date start : {Date{2026, 3, 13}, Date{2026, 3, 17}, Date{2026, 3, 21},
                           Date{2026, 3, 24}, Date{2026, 12, 31}}) {
    const Timestamp from = local(start, 15, 45);
    for (int n = 1; n <= 12; ++n) {
      const Timestamp deadline = days.deadline_after(from, n);
      EXPECT_EQ(days.working_days_between(from, deadline), n) << start.day << " + " << n;
      // The moment before the deadline's day began, one working day was still to come.
      const Timestamp day_before{deadline.ms - 24 * kHour};
      EXPECT_EQ(days.working_days_between(from, day_before), n - 1) << start.day << " + " << n;
    }
  }
}

TEST(WorkingDays, CountsNothingBackwardsOrWithinOneDay) {
  const WorkingDays days;
  const Timestamp monday = local({2026, 11, 23}, 9, 0);
  const Timestamp friday = local({2026, 11, 27}, 9, 0);
  EXPECT_EQ(days.working_days_between(monday, friday), 4);
  EXPECT_EQ(days.working_days_between(friday, monday), 0);
  EXPECT_EQ(days.working_days_between(monday, local({2026, 11, 23}, 23, 0)), 0);
  EXPECT_EQ(days.working_days_between(monday, monday), 0);
  // A whole week from Monday to Monday is five working days, whichever hours.
  EXPECT_EQ(days.working_days_between(local({2026, 11, 23}, 23, 0), local({2026, 11, 30}, 0, 5)),
            5);
}

TEST(WorkingDays, CountsAWeekendToWeekendSpanLikeTheWeekBetween) {
  const WorkingDays days;
  const Timestamp saturday = local({2026, 11, 21}, 12, 0);
  const Timestamp sunday = local({2026, 11, 29}, 12, 0);
  EXPECT_EQ(days.working_days_between(saturday, sunday), 5);
  EXPECT_EQ(days.working_days_between(local({2026, 11, 22}, 12, 0), local({2026, 11, 28}, 12, 0)),
            5);
}

TEST(WorkingDays, IgnoresRepeatedAndWeekendHolidays) {
  const WorkingDays days({{2026, 5, 1}, {2026, 5, 1}, {2026, 5, 31}}, Zone::wib);
  // Thursday 30 April + 1: Friday off, the weekend (Sunday 31 May is elsewhere) -> Monday.
  EXPECT_EQ(days.deadline_after(local({2026, 4, 30}, 9, 0), 1), end_of({2026, 5, 4}));
  // Sunday 31 May as a holiday changes nothing: Friday 29 May + 1 is Monday 1 June.
  EXPECT_EQ(days.deadline_after(local({2026, 5, 29}, 9, 0), 1), end_of({2026, 6, 1}));
}

TEST(WorkingDays, TreatsAnNBelowOneAsOne) {
  const WorkingDays days;
  const Timestamp monday = local({2026, 11, 23}, 9, 0);
  EXPECT_EQ(days.deadline_after(monday, 0), end_of({2026, 11, 24}));
  EXPECT_EQ(days.deadline_after(monday, -3), end_of({2026, 11, 24}));
}

TEST(WorkingDays, ReachesFarDeadlinesWithoutWalkingEveryDay) {
  const WorkingDays days({{2026, 12, 25}}, Zone::wib);
  const Timestamp monday = local({2026, 11, 23}, 9, 0);
  // 260 working days is 52 weeks, one holiday more: Tuesday 23 November 2027.
  EXPECT_EQ(days.deadline_after(monday, 260), end_of({2027, 11, 23}));
  const Timestamp far = days.deadline_after(monday, 1'000'000);
  EXPECT_EQ(days.working_days_between(monday, far), 1'000'000);
}

}  // namespace
}  // namespace balai::calendar
