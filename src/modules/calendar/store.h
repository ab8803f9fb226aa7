#pragma once
// SQL of the holiday calendar, through db::Database (table `holidays`, one row per date, the
// date written YYYY-MM-DD so that text order is date order). Blocking: worker threads only.
// Thread-safe (no state of its own).

#include <optional>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "db/database.h"
#include "modules/calendar/model.h"

namespace balai::calendar {

class Store {
 public:
  // `db` outlives the store.
  explicit Store(db::Database& db) : db_(db) {}

  // The holidays of one year, in date order.
  [[nodiscard]] core::Result<std::vector<Holiday>> list_year(int year) const;
  // The dates of every holiday (for WorkingDays).
  [[nodiscard]] core::Result<std::vector<core::Date>> all_dates() const;

  // Inside the caller's transaction: adds the holiday; false (and nothing written) when its date
  // already has one. Race-free between instances: the date is the key.
  [[nodiscard]] core::Result<bool> insert(db::Connection& conn, const Holiday& holiday,
                                          core::Timestamp now) const;
  // Inside the caller's transaction: removes the holiday of `date`; false when there is none.
  [[nodiscard]] core::Result<bool> remove(db::Connection& conn, core::Date date) const;

 private:
  db::Database& db_;
};

}  // namespace balai::calendar
