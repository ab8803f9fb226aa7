#include "modules/city/history_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <string>
#include <tuple>

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

// Packs the incoming rows up to an id into chunks, one per series and UTC hour, each a JSON array
// of [observed_ms, value]: the number, else the JSON the row holds (a text that is not JSON,
// which append_history never writes, is kept as a string rather than lost).
std::string chunk_sql(db::Dialect dialect) {
  constexpr std::string_view kColumns =
      "INSERT INTO city_history_chunks (entity_key, attr, first_ms, last_ms, points, numbers, "
      "data) SELECT entity_key, attr, MIN(observed_ms), MAX(observed_ms), COUNT(*), "
      "COUNT(number), ";
  if (dialect == db::Dialect::postgresql)
    return fmt::format(
        "{}json_agg(json_build_array(observed_ms, COALESCE(to_json(number), text::json)) "
        "ORDER BY observed_ms, id)::text FROM city_history_incoming WHERE id <= ? "
        "GROUP BY entity_key, attr, observed_ms / {}",
        kColumns, kHourMs);
  return fmt::format(
      "{}json_group_array(json_array(observed_ms, CASE WHEN number IS NOT NULL THEN number "
      "WHEN json_valid(text) THEN json(text) ELSE text END)) "
      "FROM (SELECT * FROM city_history_incoming WHERE id <= ? "
      "ORDER BY entity_key, attr, observed_ms, id) AS sorted "
      "GROUP BY entity_key, attr, observed_ms / {}",
      kColumns, kHourMs);
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

// One point of a raw answer with what orders it: time, then rolled-up before incoming (they
// arrived first), then chunk and position in it, or the incoming row's id.
struct OrderedPoint {
  int64_t observed_ms = 0;
  int part = 0;
  int64_t id = 0;
  size_t position = 0;
  boost::json::value value;
};

// The points of a chunk inside [from, to], numbers as doubles as incoming rows give them.
// internal when the chunk is not the JSON the roll-up writes.
core::Status add_chunk_points(const db::Row& row, const HistoryWindow& window,
                              std::vector<OrderedPoint>& out) {
  boost::system::error_code ec;
  auto data = boost::json::parse(row.text(1), ec);
  if (ec || !data.is_array())
    return core::make_error(core::ErrorCode::internal, "history chunk is not a JSON array");
  const int64_t chunk = row.int64(0);
  size_t position = 0;
  for (auto& item : data.as_array()) {
    const auto* pair = item.if_array();
    if (!pair || pair->size() != 2 || !(*pair)[0].is_number())
      return core::make_error(core::ErrorCode::internal, "history chunk point is not [t, v]");
    const int64_t t = (*pair)[0].to_number<int64_t>();
    if (t < window.from.ms || t > window.to.ms) continue;
    const auto& v = (*pair)[1];
    out.push_back(
        {t, 0, chunk, position++, v.is_number() ? boost::json::value(v.to_number<double>()) : v});
  }
  return {};
}

}  // namespace

core::Result<RollupBatch> HistoryStore::roll_up(int64_t max_rows) {
  RollupBatch batch;
  // The rows stay in the database: sorting, packing and grouping a batch of 200,000 rows in SQL
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
        auto kept = conn.query(chunk_sql(conn.dialect()), {upto});
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
  auto cutoff = [&](int d) { return now.ms - int64_t{d} * core::kDayMs; };
  // Deletes in batches until a batch comes back short or the limit is reached.
  for (int i = 0; days.raw > 0 && i < limits.max_batches; ++i) {
    auto gone = delete_raw_before(cutoff(days.raw), limits.batch_rows);
    if (!gone) return gone.take_error();
    report.raw += gone->points;
    if (gone->chunks < limits.batch_rows) break;
  }
  auto drain_rollups = [&](Resolution resolution, int d, int64_t& deleted) -> core::Status {
    for (int i = 0; d > 0 && i < limits.max_batches; ++i) {
      auto n = delete_rollups_before(resolution, cutoff(d), limits.batch_rows);
      if (!n) return n.take_error();
      deleted += *n;
      if (*n < limits.batch_rows) break;
    }
    return {};
  };
  BALAI_TRY(drain_rollups(Resolution::minute, days.minute, report.minute));
  BALAI_TRY(drain_rollups(Resolution::hour, days.hour, report.hour));
  return report;
}

core::Result<ExpiredChunks> HistoryStore::delete_raw_before(int64_t cutoff_ms, int64_t max_chunks) {
  ExpiredChunks gone;
  BALAI_TRY(db_.transact([&](db::Connection& conn) -> core::Status {
    auto rows = conn.query(
        "DELETE FROM city_history_chunks WHERE id IN (SELECT id FROM city_history_chunks "
        "WHERE last_ms < ? ORDER BY last_ms, id LIMIT ?) RETURNING points",
        {cutoff_ms, max_chunks});
    if (!rows) return rows.take_error();
    gone = {};
    for (const auto& r : *rows) {
      ++gone.chunks;
      gone.points += r.int64(0);
    }
    return {};
  }));
  return gone;
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
  std::vector<OrderedPoint> points;
  // Chunks in the order of their first points, a page at a time: once more than `limit`
  // points lie before the next page's first point, no later chunk can come before them. A
  // chunk stays inside one UTC hour, so one overlapping the window starts at most an hour
  // before it.
  constexpr int64_t kPage = 256;
  int64_t after_ms = window.from.ms - kHourMs;
  int64_t after_id = 0;
  while (true) {
    auto rows = db_.query(
        "SELECT id, data, first_ms FROM city_history_chunks "
        "WHERE entity_key = ? AND attr = ? AND (first_ms > ? OR (first_ms = ? AND id > ?)) "
        "AND first_ms <= ? AND last_ms >= ? ORDER BY first_ms, id LIMIT ?",
        {entity_key, attr, after_ms, after_ms, after_id, window.to.ms, window.from.ms, kPage});
    if (!rows) return rows.take_error();
    for (const auto& r : *rows) BALAI_TRY(add_chunk_points(r, window, points));
    if (rows->size() < static_cast<size_t>(kPage)) break;
    after_ms = rows->rows.back().int64(2);
    after_id = rows->rows.back().int64(0);
    const auto settled = std::count_if(points.begin(), points.end(), [&](const OrderedPoint& p) {
      return p.observed_ms < after_ms;
    });
    if (static_cast<size_t>(settled) > limit) break;
  }
  auto rows = db_.query(
      "SELECT observed_ms, number, text, id FROM city_history_incoming "
      "WHERE entity_key = ? AND attr = ? AND observed_ms >= ? AND observed_ms <= ? "
      "ORDER BY observed_ms, id LIMIT ?",
      {entity_key, attr, window.from.ms, window.to.ms, static_cast<int64_t>(limit) + 1});
  if (!rows) return rows.take_error();
  for (const auto& r : *rows)
    points.push_back({r.int64(0), 1, r.int64(3), 0, stored_value(r, 1, 2)});
  std::sort(points.begin(), points.end(), [](const OrderedPoint& a, const OrderedPoint& b) {
    return std::tie(a.observed_ms, a.part, a.id, a.position) <
           std::tie(b.observed_ms, b.part, b.id, b.position);
  });
  RawSeries out;
  out.truncated = points.size() > limit;
  out.points.reserve(std::min(points.size(), limit));
  for (auto& p : points) {
    if (out.points.size() == limit) break;
    out.points.push_back({p.observed_ms, std::move(p.value)});
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
      "SELECT EXISTS (SELECT 1 FROM city_history_chunks WHERE entity_key = ? AND attr = ?) "
      "OR EXISTS (SELECT 1 FROM city_history_incoming WHERE entity_key = ? AND attr = ?), "
      "EXISTS (SELECT 1 FROM city_history_chunks WHERE entity_key = ? AND attr = ? "
      "AND numbers > 0) "
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
