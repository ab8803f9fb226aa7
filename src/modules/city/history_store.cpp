#include "modules/city/history_store.h"

#include <fmt/format.h>

#include <boost/json/parse.hpp>
#include <string>

namespace balai::city {
namespace {

// The watermark row of the roll-up in city_history_watermarks.
constexpr std::string_view kRollupMark = "rollup";

// Upserts one bucket: a bucket rolled up before (late readings, or a bucket split over two
// batches) grows by the new part. The dialects differ only in the name of the two-argument
// minimum and maximum.
std::string upsert_sql(db::Dialect dialect) {
  const bool pg = dialect == db::Dialect::postgresql;
  return fmt::format(
      "INSERT INTO city_rollups (entity_key, attr, resolution, bucket_ms, count, min, max, sum) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (entity_key, attr, resolution, bucket_ms) DO UPDATE SET "
      "count = city_rollups.count + excluded.count, "
      "min = {}(city_rollups.min, excluded.min), "
      "max = {}(city_rollups.max, excluded.max), "
      "sum = city_rollups.sum + excluded.sum",
      pg ? "LEAST" : "min", pg ? "GREATEST" : "max");
}

// A stored value: the number, else the JSON text of any other value (a text that is not JSON,
// which append_history never writes, is kept as a string rather than lost).
boost::json::value stored_value(const db::Row& row, size_t number, size_t text) {
  if (!row.is_null(number)) return row.real(number);
  if (row.is_null(text)) return nullptr;
  boost::system::error_code ec;
  auto v = boost::json::parse(row.text(text), ec);
  if (ec) return boost::json::value(row.text(text));
  return v;
}

}  // namespace

core::Result<int64_t> HistoryStore::committed_high_water() {
  constexpr std::string_view kMax = "SELECT COALESCE(MAX(id), 0) FROM city_history";
  if (db_.dialect() == db::Dialect::sqlite) {
    // One writer at a time: ids are handed out and committed in order.
    auto rows = db_.query(kMax);
    if (!rows) return rows.take_error();
    return (*rows)[0].int64(0);
  }
  // SHARE conflicts with the inserts' ROW EXCLUSIVE: granted once every transaction that has
  // inserted a row has ended, so no id at or below the maximum read here can appear later. New
  // inserts wait only until this transaction commits, right after.
  int64_t high = 0;
  auto status = db_.transact([&](db::Connection& conn) -> core::Status {
    BALAI_TRY(conn.execute_script("LOCK TABLE city_history IN SHARE MODE"));
    auto rows = conn.query(kMax);
    if (!rows) return rows.take_error();
    high = (*rows)[0].int64(0);
    return {};
  });
  if (!status) return status.take_error();
  return high;
}

core::Result<RollupBatch> HistoryStore::roll_up(int64_t max_rows, core::Timestamp now) {
  auto high = committed_high_water();
  if (!high) return high.take_error();
  RollupBatch batch;
  auto status = db_.transact([&](db::Connection& conn) -> core::Status {
    batch = {};
    std::string mark_sql = "SELECT history_id FROM city_history_watermarks WHERE name = ?";
    // Another instance rolling up at the same time waits here, then reads the moved watermark.
    if (conn.dialect() == db::Dialect::postgresql) mark_sql += " FOR UPDATE";
    auto mark = conn.query(mark_sql, {kRollupMark});
    if (!mark) return mark.take_error();
    if (mark->empty())
      return core::make_error(core::ErrorCode::internal, "the roll-up watermark is missing");
    const int64_t after = (*mark)[0].int64(0);
    if (after >= *high) return {};
    auto rows = conn.query(
        "SELECT id, entity_key, attr, observed_ms, number FROM city_history "
        "WHERE id > ? AND id <= ? AND number IS NOT NULL ORDER BY id LIMIT ?",
        {after, *high, max_rows});
    if (!rows) return rows.take_error();
    std::vector<HistoryPoint> points;
    points.reserve(rows->size());
    for (const auto& r : *rows)
      points.push_back({r.int64(0), r.int64(1), r.text(2), r.int64(3), r.real(4)});
    batch.points = static_cast<int64_t>(points.size());
    batch.more = batch.points == max_rows;
    // A full batch stops at its last row; otherwise every row up to the high water is done
    // (the text rows among them have nothing to roll up).
    const int64_t upto = batch.more ? points.back().id : *high;
    const std::string upsert = upsert_sql(conn.dialect());
    for (const auto& [key, a] : rollups_of(points)) {
      auto r = conn.query(upsert, {key.entity_key, key.attr, to_string(key.resolution),
                                   key.bucket_ms, a.count, a.min, a.max, a.sum});
      if (!r) return r.take_error();
      ++batch.buckets;
    }
    auto moved = conn.query(
        "UPDATE city_history_watermarks SET history_id = ?, updated_ms = ? WHERE name = ?",
        {upto, now.ms, kRollupMark});
    if (!moved) return moved.take_error();
    return {};
  });
  if (!status) return status.take_error();
  return batch;
}

core::Result<int64_t> HistoryStore::catch_up(core::Timestamp now, const JobLimits& limits) {
  int64_t points = 0;
  for (int i = 0; i < limits.max_batches; ++i) {
    auto batch = roll_up(limits.batch_rows, now);
    if (!batch) return batch.take_error();
    points += batch->points;
    if (!batch->more) break;
  }
  return points;
}

core::Result<RetentionReport> HistoryStore::expire(const RetentionDays& days, core::Timestamp now,
                                                   const JobLimits& limits) {
  RetentionReport report;
  // Deletes in batches until a batch comes back short or the limit is reached.
  auto drain = [&](auto&& delete_batch, int64_t& deleted) -> core::Status {
    for (int i = 0; i < limits.max_batches; ++i) {
      auto n = delete_batch();
      if (!n) return n.take_error();
      deleted += *n;
      if (*n < limits.batch_rows) break;
    }
    return {};
  };
  auto cutoff = [&](int d) { return now.ms - int64_t{d} * core::kDayMs; };
  if (days.raw > 0)
    BALAI_TRY(
        drain([&] { return delete_raw_before(cutoff(days.raw), limits.batch_rows); }, report.raw));
  if (days.minute > 0)
    BALAI_TRY(drain(
        [&] {
          return delete_rollups_before(Resolution::minute, cutoff(days.minute), limits.batch_rows);
        },
        report.minute));
  if (days.hour > 0)
    BALAI_TRY(drain(
        [&] {
          return delete_rollups_before(Resolution::hour, cutoff(days.hour), limits.batch_rows);
        },
        report.hour));
  return report;
}

core::Result<int64_t> HistoryStore::rolled_up_to() const {
  auto rows =
      db_.query("SELECT history_id FROM city_history_watermarks WHERE name = ?", {kRollupMark});
  if (!rows) return rows.take_error();
  if (rows->empty())
    return core::make_error(core::ErrorCode::internal, "the roll-up watermark is missing");
  return (*rows)[0].int64(0);
}

core::Result<int64_t> HistoryStore::delete_raw_before(int64_t cutoff_ms, int64_t max_rows) {
  return db::execute(
      db_,
      "DELETE FROM city_history WHERE id IN (SELECT id FROM city_history WHERE observed_ms < ? "
      "AND id <= (SELECT history_id FROM city_history_watermarks WHERE name = ?) LIMIT ?)",
      {cutoff_ms, kRollupMark, max_rows});
}

core::Result<int64_t> HistoryStore::delete_rollups_before(Resolution resolution, int64_t cutoff_ms,
                                                          int64_t max_rows) {
  // A bucket goes once it has ended before the cutoff: start + width <= cutoff.
  return db::execute(db_,
                     "DELETE FROM city_rollups WHERE (entity_key, attr, resolution, bucket_ms) IN "
                     "(SELECT entity_key, attr, resolution, bucket_ms FROM city_rollups "
                     "WHERE resolution = ? AND bucket_ms <= ? LIMIT ?)",
                     {to_string(resolution), cutoff_ms - bucket_width_ms(resolution), max_rows});
}

core::Result<RawSeries> HistoryStore::raw(int64_t entity_key, std::string_view attr,
                                          const HistoryWindow& window, size_t limit) const {
  auto rows = db_.query(
      "SELECT observed_ms, number, text FROM city_history WHERE entity_key = ? AND attr = ? "
      "AND observed_ms >= ? AND observed_ms <= ? ORDER BY observed_ms, id LIMIT ?",
      {entity_key, attr, window.from.ms, window.to.ms, static_cast<int64_t>(limit) + 1});
  if (!rows) return rows.take_error();
  RawSeries out;
  out.truncated = rows->size() > limit;
  out.points.reserve(std::min(rows->size(), limit));
  for (const auto& r : *rows) {
    if (out.points.size() == limit) break;
    out.points.push_back({r.int64(0), stored_value(r, 1, 2)});
  }
  return out;
}

core::Result<BucketSeries> HistoryStore::buckets(int64_t entity_key, std::string_view attr,
                                                 const HistoryWindow& window, size_t limit) const {
  const BucketRange range = bucket_range(window);
  const int64_t width = bucket_width_ms(window.resolution);
  // The rows after the watermark are grouped here as the roll-up would group them. Integer
  // division floors for the positive times readings carry (check_reading refuses others).
  const std::string sql = fmt::format(
      "SELECT bucket_ms, count, min, max, sum FROM city_rollups WHERE entity_key = ? AND attr = ? "
      "AND resolution = ? AND bucket_ms >= ? AND bucket_ms <= ? "
      "UNION ALL "
      "SELECT (observed_ms / {0}) * {0}, COUNT(*), MIN(number), MAX(number), SUM(number) "
      "FROM city_history WHERE entity_key = ? AND attr = ? AND observed_ms >= ? "
      "AND observed_ms < ? AND number IS NOT NULL "
      "AND id > (SELECT history_id FROM city_history_watermarks WHERE name = ?) GROUP BY 1 "
      "LIMIT ?",
      width);
  auto rows = db_.query(sql, {entity_key, attr, to_string(window.resolution), range.first_ms,
                              range.last_ms, entity_key, attr, range.first_ms,
                              range.last_ms + width, kRollupMark, static_cast<int64_t>(limit) + 1});
  if (!rows) return rows.take_error();
  BucketSeries out;
  out.truncated = rows->size() > limit;
  std::vector<Bucket> parts;
  parts.reserve(rows->size());
  for (const auto& r : *rows)
    parts.push_back({r.int64(0), Aggregate{r.int64(1), r.real(2), r.real(3), r.real(4)}});
  out.buckets = merge_buckets(parts);
  return out;
}

core::Result<SeriesFacts> HistoryStore::facts(int64_t entity_key, std::string_view attr) const {
  // Roll-ups outlive raw rows (retention), so they count as numeric history too.
  auto rows = db_.query(
      "SELECT EXISTS (SELECT 1 FROM city_history WHERE entity_key = ? AND attr = ?), "
      "EXISTS (SELECT 1 FROM city_history WHERE entity_key = ? AND attr = ? "
      "AND number IS NOT NULL), "
      "EXISTS (SELECT 1 FROM city_rollups WHERE entity_key = ? AND attr = ?)",
      {entity_key, attr, entity_key, attr, entity_key, attr});
  if (!rows) return rows.take_error();
  const auto& r = (*rows)[0];
  const bool rolled = r.int64(2) != 0;
  return SeriesFacts{r.int64(0) != 0 || rolled, r.int64(1) != 0 || rolled};
}

core::Result<std::optional<int64_t>> HistoryStore::device_entity(std::string_view token_id) const {
  auto rows = db_.query(
      "SELECT entity_key FROM city_devices WHERE token_id = ? AND revoked_ms IS NULL", {token_id});
  if (!rows) return rows.take_error();
  if (rows->empty()) return std::optional<int64_t>{};
  return std::optional<int64_t>((*rows)[0].int64(0));
}

}  // namespace balai::city
