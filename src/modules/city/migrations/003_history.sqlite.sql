-- The history's roll-up and retention (src/modules/city/history_store.h).

-- The roll-up reads history rows after the highest id it has aggregated, so ids must never be
-- handed out twice. A plain INTEGER PRIMARY KEY reuses the id of a deleted last row (an entity
-- deleted with its history, or retention emptying the table); AUTOINCREMENT never does. SQLite
-- cannot add it to a table, so the table is rebuilt with its rows and ids.
CREATE TABLE city_history_rebuilt (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  entity_key BIGINT NOT NULL,
  attr TEXT NOT NULL,
  observed_ms BIGINT NOT NULL,
  number DOUBLE PRECISION,
  text TEXT
);
INSERT INTO city_history_rebuilt (id, entity_key, attr, observed_ms, number, text)
  SELECT id, entity_key, attr, observed_ms, number, text FROM city_history;
DROP TABLE city_history;
ALTER TABLE city_history_rebuilt RENAME TO city_history;
CREATE INDEX city_history_series ON city_history (entity_key, attr, observed_ms);

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
