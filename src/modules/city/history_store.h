#pragma once
// SQL of the city's history (tables city_history_incoming, city_history_chunks, city_rollups;
// see migrations 001_city, 003_history, 005_history_incoming and 006_history_chunks): the
// roll-up that moves new rows into the series-ordered history and aggregates them into
// per-minute and per-hour buckets, retention, and the reads of
// GET /api/v1/city/entities/{id}/history.
//
// Writers append to city_history_incoming (no secondary index: an append costs one page, not
// one page of a series index per reading). The roll-up takes the oldest incoming rows, packs
// each series' points of one UTC hour into a chunk (one row holding a JSON array of
// [observed_ms, value]), adds them to their buckets and deletes them, in one transaction and in
// SQL (the rows never come into C++): a point is either incoming (not rolled up) or in a chunk
// (rolled up), never both, so readers that union the two count it once. A series gets one
// chunk per hour per roll-up: a busy sensor's minute of readings costs a few index entries, not
// three per reading. On PostgreSQL that transaction is SERIALIZABLE: rows committed meanwhile
// wait for the next batch, and of two movers taking the same rows one fails and is retried.
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
  int64_t rows = 0;     // incoming rows moved into chunks
  int64_t buckets = 0;  // city_rollups rows written (minute and hour)
  bool more = false;    // the batch was full: more rows may be waiting
};

// How much one job run may do: batches of `batch_rows` (rows; for raw history's retention,
// chunks), at most `max_batches` of them (each its own transaction), so a backlog is worked off
// over several runs without holding the housekeeping thread, or the writers, for long.
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

// What one retention run deleted: raw points, minute and hour roll-ups.
struct RetentionReport {
  int64_t raw = 0;
  int64_t minute = 0;
  int64_t hour = 0;
};

// The chunks of rolled-up history one retention batch deleted, and the points they held.
struct ExpiredChunks {
  int64_t chunks = 0;
  int64_t points = 0;
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

  // Moves up to `max_rows` of the oldest incoming rows into chunks and adds the numeric
  // ones to their buckets of both resolutions (count and sum add, min and max widen), in one
  // transaction. Safe to run from several threads and instances at once.
  [[nodiscard]] core::Result<RollupBatch> roll_up(int64_t max_rows);
  // The roll-up job: batches until no committed row is waiting or the limit is reached.
  // Returns the rows moved.
  [[nodiscard]] core::Result<int64_t> catch_up(const JobLimits& limits = {});
  // The retention job: raw points, then minute and hour roll-ups older than their days, each
  // within the limits. Incoming rows stay until the roll-up has moved them.
  [[nodiscard]] core::Result<RetentionReport> expire(const RetentionDays& days, core::Timestamp now,
                                                     const JobLimits& limits = {});
  // Deletes up to `max_chunks` chunks of rolled-up history whose last point was observed before
  // `cutoff_ms` (a chunk goes whole: its older points stay until its newest is old enough, at
  // most an hour later). Returns how many chunks and points went.
  [[nodiscard]] core::Result<ExpiredChunks> delete_raw_before(int64_t cutoff_ms,
                                                              int64_t max_chunks);
  // Deletes up to `max_rows` roll-ups of `resolution` whose bucket ended before `cutoff_ms`.
  [[nodiscard]] core::Result<int64_t> delete_rollups_before(Resolution resolution,
                                                            int64_t cutoff_ms, int64_t max_rows);

  // --- Reads ---

  // The stored points of one attribute observed in [from, to], oldest first (rolled up and
  // incoming alike).
  [[nodiscard]] core::Result<RawSeries> raw(int64_t entity_key, std::string_view attr,
                                            const HistoryWindow& window, size_t limit) const;
  // The minute or hour buckets of one attribute for a window (history.h bucket_range): the
  // roll-ups merged with the incoming rows, read in one statement so that a roll-up committing
  // meanwhile is counted exactly once. `limit` bounds the rows read.
  [[nodiscard]] core::Result<BucketSeries> buckets(int64_t entity_key, std::string_view attr,
                                                   const HistoryWindow& window, size_t limit) const;
  [[nodiscard]] core::Result<SeriesFacts> facts(int64_t entity_key, std::string_view attr) const;

  // The entity a live device token (its external id) writes; nullopt for any other token.
  [[nodiscard]] core::Result<std::optional<int64_t>> device_entity(std::string_view token_id) const;

 private:
  db::Database& db_;
};

}  // namespace balai::city
