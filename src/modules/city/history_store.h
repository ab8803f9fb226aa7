#pragma once
// SQL of the city's history (tables city_history, city_rollups, city_history_watermarks; see
// migrations 001_city and 003_history): the incremental roll-up into per-minute and per-hour
// buckets, retention, and the reads of GET /api/v1/city/entities/{id}/history.
//
// The roll-up remembers the highest city_history.id it has aggregated (the watermark) and reads
// only rows after it, a bounded batch per transaction. Ids only grow (PostgreSQL: an identity;
// SQLite: AUTOINCREMENT since migration 003, so a deleted last row's id is never handed out
// again). On PostgreSQL a lower id may commit after a higher one; the roll-up therefore first
// waits, for an instant, until every insert in flight has finished (a SHARE lock on
// city_history) and reads no further than the highest id committed then.
//
// Thread-safe; every method blocks on the database: worker or housekeeping threads only.

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "db/database.h"
#include "modules/city/history.h"

namespace balai::city {

// What one roll-up batch did.
struct RollupBatch {
  int64_t points = 0;   // numeric history rows aggregated
  int64_t buckets = 0;  // city_rollups rows written (minute and hour)
  bool more = false;    // the batch was full: rows may be waiting after the new watermark
};

// How much one job run may do: batches of `batch_rows`, at most `max_batches` of them (each its
// own transaction), so a backlog is worked off over several runs without holding the
// housekeeping thread, or the writers, for long.
struct JobLimits {
  int64_t batch_rows = 5'000;
  int max_batches = 20;
};

// How long history is kept, in days (0: forever); config.sensors.history_*_days.
struct RetentionDays {
  int raw = 7;
  int minute = 90;
  int hour = 0;
};

// What one retention run deleted.
struct RetentionReport {
  int64_t raw = 0;
  int64_t minute = 0;
  int64_t hour = 0;
};

// What a series holds, for the API's "unknown attribute" and "not numeric" answers.
struct SeriesFacts {
  bool any = false;      // at least one history row
  bool numeric = false;  // at least one numeric history row
};

// The points of a raw answer (at most the limit asked for; `truncated` when more exist).
struct RawSeries {
  std::vector<RawPoint> points;
  bool truncated = false;
};

// The buckets of a minute or hour answer (`truncated`: more rows than the limit asked for).
struct BucketSeries {
  std::vector<Bucket> buckets;
  bool truncated = false;
};

class HistoryStore {
 public:
  explicit HistoryStore(db::Database& db) : db_(db) {}

  // --- Roll-up and retention (the jobs) ---

  // Aggregates up to `max_rows` numeric history rows after the watermark into both
  // resolutions (adding to buckets that exist: count and sum add, min and max widen) and moves
  // the watermark past them, all in one transaction. Text rows are passed over. Safe to run
  // from several instances at once (the watermark row is locked on PostgreSQL).
  [[nodiscard]] core::Result<RollupBatch> roll_up(int64_t max_rows, core::Timestamp now);
  // The roll-up job: batches until every committed row is rolled up or the limit is reached.
  // Returns the points rolled up.
  [[nodiscard]] core::Result<int64_t> catch_up(core::Timestamp now, const JobLimits& limits = {});
  // The retention job: raw points, then minute and hour roll-ups older than their days, each
  // within the limits. Raw rows not rolled up yet stay.
  [[nodiscard]] core::Result<RetentionReport> expire(const RetentionDays& days, core::Timestamp now,
                                                     const JobLimits& limits = {});
  // The id of the last history row rolled up (0: none yet).
  [[nodiscard]] core::Result<int64_t> rolled_up_to() const;
  // Deletes up to `max_rows` history rows observed before `cutoff_ms` that are already rolled
  // up (rows after the watermark are kept whatever their age). Returns how many went.
  [[nodiscard]] core::Result<int64_t> delete_raw_before(int64_t cutoff_ms, int64_t max_rows);
  // Deletes up to `max_rows` roll-ups of `resolution` whose bucket ended before `cutoff_ms`.
  [[nodiscard]] core::Result<int64_t> delete_rollups_before(Resolution resolution,
                                                            int64_t cutoff_ms, int64_t max_rows);

  // --- Reads ---

  // The stored points of one attribute observed in [from, to], oldest first.
  [[nodiscard]] core::Result<RawSeries> raw(int64_t entity_key, std::string_view attr,
                                            const HistoryWindow& window, size_t limit) const;
  // The minute or hour buckets of one attribute for a window (history.h bucket_range): the
  // roll-ups merged with the raw rows not rolled up yet, read in one statement so that a
  // roll-up committing meanwhile is counted exactly once. `limit` bounds the rows read.
  [[nodiscard]] core::Result<BucketSeries> buckets(int64_t entity_key, std::string_view attr,
                                                   const HistoryWindow& window, size_t limit) const;
  [[nodiscard]] core::Result<SeriesFacts> facts(int64_t entity_key, std::string_view attr) const;

  // The entity a live device token (its external id) writes; nullopt for any other token.
  [[nodiscard]] core::Result<std::optional<int64_t>> device_entity(std::string_view token_id) const;

 private:
  // The highest history id every insert up to now has committed below (see the file comment).
  [[nodiscard]] core::Result<int64_t> committed_high_water();

  db::Database& db_;
};

}  // namespace balai::city
