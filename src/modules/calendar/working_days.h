#pragma once
// Working days (hari kerja) for deadlines: Monday to Friday, except the holidays and cuti
// bersama of the calendar that administrators maintain, counted in the city's time zone.
// A WorkingDays is an immutable value: pure, no I/O, safe to share between threads
// (CalendarService hands out shared_ptr<const WorkingDays> snapshots).
//
//   WorkingDays days({{2026, 5, 1}}, core::Zone::wib);
//   days.deadline_after(received, 5);  // the end of the 5th working day after the day received

#include <cstdint>
#include <vector>

#include "core/time.h"

namespace balai::calendar {

class WorkingDays {
 public:
  // UTC+7 (WIB), weekends only: what deadlines fall back to before any calendar is loaded.
  WorkingDays() = default;
  // `holidays` in any order, repeats allowed; those on a Saturday or Sunday change nothing.
  WorkingDays(std::vector<core::Date> holidays, core::Zone zone);

  // The zone whose local dates are counted (the city's).
  core::Zone zone() const;

  // Monday to Friday and not a holiday.
  bool is_working_day(core::Date date) const;

  // The deadline `n` working days after `start` (n >= 1): the end of the nth working day after
  // start's local date, i.e. 23:59:59.999 local time of that day, as a UTC Timestamp. The day
  // of `start` itself never counts, whatever the hour and whether or not it is a working day:
  // something received on Saturday or on a holiday has its first working day on the next one.
  // An n below 1 counts as 1 (a deadline is never already past when it is set).
  core::Timestamp deadline_after(core::Timestamp start, int n) const;

  // Working days after `from`'s local date up to and including `to`'s local date (0 when to <=
  // from's day). For n >= 1, working_days_between(start, deadline_after(start, n)) == n.
  int working_days_between(core::Timestamp from, core::Timestamp to) const;

 private:
  // Days since 1970-01-01 of the local date of `t` in zone_.
  int64_t local_day(core::Timestamp t) const;
  // Working days in the day numbers (after, through]; 0 when through <= after.
  int64_t working_days_in(int64_t after, int64_t through) const;

  core::Zone zone_ = core::Zone::wib;
  // The holidays that fall on Monday to Friday, as days since 1970-01-01, ascending, unique.
  std::vector<int64_t> weekday_holidays_;
};

}  // namespace balai::calendar
