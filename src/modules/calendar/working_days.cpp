#include "modules/calendar/working_days.h"

#include <algorithm>
#include <limits>

namespace balai::calendar {
namespace {

constexpr int64_t kMsPerDay = 86'400'000;

int64_t floor_div(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

// 0 Monday ... 6 Sunday for a day number (1970-01-01, day 0, was a Thursday).
int64_t weekday_of(int64_t day) {
  return day + 3 - floor_div(day + 3, 7) * 7;
}

bool is_weekday(int64_t day) {
  return weekday_of(day) < 5;
}

// Monday-to-Friday days from an arbitrary Monday far in the past up to and including `day`,
// up to a constant: weekdays_through(b) - weekdays_through(a) counts those in (a, b].
int64_t weekdays_through(int64_t day) {
  const int64_t shifted = day + 3;  // 0 is a Monday
  const int64_t weeks = floor_div(shifted, 7);
  const int64_t into_week = shifted - weeks * 7;  // 0..6
  return weeks * 5 + std::min<int64_t>(into_week + 1, 5);
}

}  // namespace

WorkingDays::WorkingDays(std::vector<core::Date> holidays, core::Zone zone) : zone_(zone) {
  weekday_holidays_.reserve(holidays.size());
  for (const core::Date& d : holidays) {
    const int64_t day = core::days_from_civil(d);
    if (is_weekday(day)) weekday_holidays_.push_back(day);
  }
  std::sort(weekday_holidays_.begin(), weekday_holidays_.end());
  weekday_holidays_.erase(std::unique(weekday_holidays_.begin(), weekday_holidays_.end()),
                          weekday_holidays_.end());
}

core::Zone WorkingDays::zone() const {
  return zone_;
}

bool WorkingDays::is_working_day(core::Date date) const {
  const int64_t day = core::days_from_civil(date);
  return is_weekday(day) &&
         !std::binary_search(weekday_holidays_.begin(), weekday_holidays_.end(), day);
}

int64_t WorkingDays::local_day(core::Timestamp t) const {
  return floor_div(t.ms + int64_t{core::offset_minutes(zone_)} * 60'000, kMsPerDay);
}

int64_t WorkingDays::working_days_in(int64_t after, int64_t through) const {
  if (through <= after) return 0;
  const auto first = std::upper_bound(weekday_holidays_.begin(), weekday_holidays_.end(), after);
  const auto last = std::upper_bound(first, weekday_holidays_.end(), through);
  return weekdays_through(through) - weekdays_through(after) - (last - first);
}

core::Timestamp WorkingDays::deadline_after(core::Timestamp start, int n) const {
  const int64_t wanted = std::max(n, 1);
  const int64_t from = local_day(start);
  // Every 7 days hold 5 weekdays, so `wanted` working days and every weekday holiday lie within
  // 2 * (wanted + holidays) + 7 days: search that span for the first day that completes them.
  int64_t lo = from + 1;
  int64_t hi = from + 2 * (wanted + static_cast<int64_t>(weekday_holidays_.size())) + 7;
  while (lo < hi) {
    const int64_t mid = lo + (hi - lo) / 2;
    if (working_days_in(from, mid) >= wanted) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  const int64_t local_end_ms = (lo + 1) * kMsPerDay - 1;
  return core::Timestamp{local_end_ms - int64_t{core::offset_minutes(zone_)} * 60'000};
}

int WorkingDays::working_days_between(core::Timestamp from, core::Timestamp to) const {
  const int64_t count = working_days_in(local_day(from), local_day(to));
  return static_cast<int>(std::min<int64_t>(count, std::numeric_limits<int>::max()));
}

}  // namespace balai::calendar
