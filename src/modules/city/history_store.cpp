#include "modules/city/history_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <string>

namespace balai::city {
namespace {

// Adds the numeric incoming rows up to an id to their buckets of one resolution: a bucket
// rolled up before (late readings, or a bucket split over two batches) grows by the new part.
// The dialects differ only in the name of the two-argument minimum and maximum. Integer
// division floors for the positive times readings carry (check_reading refuses others).
std::string upsert_sql(db::Dialect dialect, Resolution resolution) {
  const bool pg = dialect == db::Dialect::postgresql;
  return fmt::format(
      "INSERT INTO city_rollups (entity_key, attr, resolution, bucket_ms, count, min, max, sum) "
      "SELECT entity_key, attr, '{2}', (observed_ms / {3}) * {3}, COUNT(*), MIN(number), "
      "MAX(number), SUM(number) FROM city_history_incoming "
      "WHERE id <= ? AND number IS NOT NULL GROUP BY entity_key, attr, 4 "
      "ON CONFLICT (entity_key, attr, resolution, bucket_ms) DO UPDATE SET "
      "count = city_rollups.count + excluded.count, "
      "min = {0}(city_rollups.min, excluded.min), "
      "max = {1}(city_rollups.max, excluded.max), "
      "sum = city_rollups.sum + excluded.sum",
      pg ? "LEAST" : "min", pg ? "GREATEST" : "max", to_string(resolution),
      bucket_width_ms(resolution));
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

core::Result<RollupBatch> HistoryStore::roll_up(int64_t max_rows) {
  RollupBatch batch;
  // The rows stay in the database: sorting, copying and grouping a batch of 200,000 rows in SQL
  // costs a fraction of bringing them into C++ and back. The statements below read the same
  // rows (id <= upto) as long as nothing else commits in between: SQLite's single writer
  // guarantees it, and on PostgreSQL the transaction is SERIALIZABLE, so every statement sees
  // its one snapshot (rows committed meanwhile wait for the next batch) and a second mover
  // deleting the same rows fails and is retried.
  auto status = db_.transact(
      [&](db::Connection& conn) -> core::Status {
        batch = {};
        auto head = conn.query(
            "SELECT MAX(id), COUNT(*) FROM "
            "(SELECT id FROM city_history_incoming ORDER BY id LIMIT ?) AS oldest",
            {max_rows});
        if (!head) return head.take_error();
        if (head->empty() || (*head)[0].is_null(0)) return {};
        const int64_t upto = (*head)[0].int64(0);
        batch.more = (*head)[0].int64(1) == max_rows;
        auto kept = conn.query(
            "INSERT INTO city_history (entity_key, attr, observed_ms, number, text) "
            "SELECT entity_key, attr, observed_ms, number, text FROM city_history_incoming "
            "WHERE id <= ? ORDER BY entity_key, attr, observed_ms",
            {upto});
        if (!kept) return kept.take_error();
        for (Resolution resolution : {Resolution::minute, Resolution::hour}) {
          auto rolled = conn.query(upsert_sql(conn.dialect(), resolution), {upto});
          if (!rolled) return rolled.take_error();
          batch.buckets += rolled->affected;
        }
        auto gone = conn.query("DELETE FROM city_history_incoming WHERE id <= ?", {upto});
        if (!gone) return gone.take_error();
        batch.rows = gone->affected;
        return {};
      },
      db::Isolation::serializable);
  if (!status) return status.take_error();
  return batch;
}

core::Result<int64_t> HistoryStore::catch_up(const JobLimits& limits) {
  int64_t moved = 0;
  for (int i = 0; i < limits.max_batches; ++i) {
    auto batch = roll_up(limits.batch_rows);
    if (!batch) return batch.take_error();
    moved += batch->rows;
    if (!batch->more) break;
  }
  return moved;
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

core::Result<int64_t> HistoryStore::delete_raw_before(int64_t cutoff_ms, int64_t max_rows) {
  return db::execute(db_,
                     "DELETE FROM city_history WHERE id IN (SELECT id FROM city_history "
                     "WHERE observed_ms < ? LIMIT ?)",
                     {cutoff_ms, max_rows});
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
  // Rolled-up rows first among equal times: they arrived before the incoming ones.
  auto rows = db_.query(
      "SELECT observed_ms, number, text, 0 AS part, id FROM city_history "
      "WHERE entity_key = ? AND attr = ? AND observed_ms >= ? AND observed_ms <= ? "
      "UNION ALL "
      "SELECT observed_ms, number, text, 1, id FROM city_history_incoming "
      "WHERE entity_key = ? AND attr = ? AND observed_ms >= ? AND observed_ms <= ? "
      "ORDER BY 1, 4, 5 LIMIT ?",
      {entity_key, attr, window.from.ms, window.to.ms, entity_key, attr, window.from.ms,
       window.to.ms, static_cast<int64_t>(limit) + 1});
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
  // The incoming rows are grouped here as the roll-up will group them. Integer
  // division floors for the positive times readings carry (check_reading refuses others).
  const std::string sql = fmt::format(
      "SELECT bucket_ms, count, min, max, sum FROM city_rollups WHERE entity_key = ? AND attr = ? "
      "AND resolution = ? AND bucket_ms >= ? AND bucket_ms <= ? "
      "UNION ALL "
      "SELECT (observed_ms / {0}) * {0}, COUNT(*), MIN(number), MAX(number), SUM(number) "
      "FROM city_history_incoming WHERE entity_key = ? AND attr = ? AND observed_ms >= ? "
      "AND observed_ms < ? AND number IS NOT NULL GROUP BY 1 "
      "LIMIT ?",
      width);
  auto rows = db_.query(sql, {entity_key, attr, to_string(window.resolution), range.first_ms,
                              range.last_ms, entity_key, attr, range.first_ms,
                              range.last_ms + width, static_cast<int64_t>(limit) + 1});
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
      "SELECT EXISTS (SELECT 1 FROM city_history WHERE entity_key = ? AND attr = ?) "
      "OR EXISTS (SELECT 1 FROM city_history_incoming WHERE entity_key = ? AND attr = ?), "
      "EXISTS (SELECT 1 FROM city_history WHERE entity_key = ? AND attr = ? "
      "AND number IS NOT NULL) "
      "OR EXISTS (SELECT 1 FROM city_history_incoming WHERE entity_key = ? AND attr = ? "
      "AND number IS NOT NULL), "
      "EXISTS (SELECT 1 FROM city_rollups WHERE entity_key = ? AND attr = ?)",
      {entity_key, attr, entity_key, attr, entity_key, attr, entity_key, attr, entity_key, attr});
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
