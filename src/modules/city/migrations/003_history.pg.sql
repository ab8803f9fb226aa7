-- The history's roll-up and retention (src/modules/city/history_store.h). city_history.id is
-- an identity, never handed out twice, as the roll-up's watermark needs (SQLite's variant
-- rebuilds the table for the same guarantee).

-- Retention deletes by age: raw points, and roll-ups of one resolution.
CREATE INDEX city_history_observed ON city_history (observed_ms);
CREATE INDEX city_rollups_age ON city_rollups (resolution, bucket_ms);

-- How far the jobs have got: "rollup" is the highest city_history.id aggregated into
-- city_rollups (retention never deletes a raw row above it).
CREATE TABLE city_history_watermarks (
  name TEXT PRIMARY KEY,
  history_id BIGINT NOT NULL,
  updated_ms BIGINT NOT NULL
);
INSERT INTO city_history_watermarks (name, history_id, updated_ms) VALUES ('rollup', 0, 0);
