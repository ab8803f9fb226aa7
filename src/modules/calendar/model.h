#pragma once
// The holiday calendar's types. Working-day deadlines (a complaint answered within 5 working
// days, a permit decided within 10) skip weekends and the days listed here.

#include <string>

#include "core/time.h"

namespace balai::calendar {

// A day the city's offices are closed although it is a weekday or not: a national holiday
// (libur nasional) or a day of cuti bersama (collective leave that the joint decree of three
// ministers, the SKB 3 Menteri, sets beside a holiday; government offices close on it too).
// At most one per date.
struct Holiday {
  core::Date date;
  std::string name_id;  // Bahasa Indonesia, as the decree names it ("Hari Buruh Internasional")
  std::string name_en;  // English
  bool collective_leave = false;  // cuti bersama
};

}  // namespace balai::calendar
