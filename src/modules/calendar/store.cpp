#include "modules/calendar/store.h"

#include "modules/calendar/rules.h"

namespace balai::calendar {
namespace {

// A stored date that does not read back (a hand-edited row) is left out rather than breaking
// every deadline: the rows come from validated input and the seed migration.
std::optional<core::Date> stored_date(const db::Row& row) {
  return parse_date(row.text(0));
}

}  // namespace

core::Result<std::vector<Holiday>> Store::list_year(int year) const {
  const core::Date first{year, 1, 1};
  const core::Date last{year, 12, 31};
  auto rows = db_.query(
      "SELECT date, name_id, name_en, collective_leave FROM holidays "
      "WHERE date >= ? AND date <= ? ORDER BY date",
      {format_date(first), format_date(last)});
  if (!rows) return rows.take_error();
  std::vector<Holiday> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) {
    const auto date = stored_date(r);
    if (!date) continue;
    out.push_back(Holiday{*date, r.text(1), r.text(2), r.int64(3) != 0});
  }
  return out;
}

core::Result<std::vector<core::Date>> Store::all_dates() const {
  auto rows = db_.query("SELECT date FROM holidays ORDER BY date");
  if (!rows) return rows.take_error();
  std::vector<core::Date> out;
  out.reserve(rows->size());
  for (const auto& r : *rows)
    if (const auto date = stored_date(r)) out.push_back(*date);
  return out;
}

core::Result<bool> Store::insert(db::Connection& conn, const Holiday& holiday,
                                 core::Timestamp now) const {
  // ON CONFLICT DO NOTHING rather than a failing INSERT: a failed statement would lose the
  // caller's whole transaction on PostgreSQL.
  auto r = conn.query(
      "INSERT INTO holidays (date, name_id, name_en, collective_leave, created_at) "
      "VALUES (?, ?, ?, ?, ?) ON CONFLICT (date) DO NOTHING",
      {format_date(holiday.date), holiday.name_id, holiday.name_en, holiday.collective_leave, now});
  if (!r) return r.take_error();
  return r->affected > 0;
}

core::Result<bool> Store::remove(db::Connection& conn, core::Date date) const {
  auto r = conn.query("DELETE FROM holidays WHERE date = ?", {format_date(date)});
  if (!r) return r.take_error();
  return r->affected > 0;
}

}  // namespace balai::calendar
