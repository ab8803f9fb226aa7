-- New history rows land in city_history_incoming, a table without secondary indexes, in the
-- order they arrive; the roll-up moves them in batches into city_history, sorted by series, and
-- aggregates them into city_rollups in the same transaction (src/modules/city/history_store.h).
-- Writing each reading straight into city_history's series index touched one index page per
-- reading: a batch of 1,000 readings wrote about 4 MB to the WAL. The move touches each series'
-- page once per batch.
--
-- Every row of city_history is therefore rolled up, and the watermark that separated rolled-up
-- rows from new ones is gone: the rows after it become incoming rows.
CREATE TABLE city_history_incoming (
  id INTEGER PRIMARY KEY,
  entity_key BIGINT NOT NULL,
  attr TEXT NOT NULL,
  observed_ms BIGINT NOT NULL,
  number DOUBLE PRECISION,
  text TEXT
);
INSERT INTO city_history_incoming (entity_key, attr, observed_ms, number, text)
  SELECT entity_key, attr, observed_ms, number, text FROM city_history
  WHERE id > (SELECT history_id FROM city_history_watermarks WHERE name = 'rollup') ORDER BY id;
DELETE FROM city_history
  WHERE id > (SELECT history_id FROM city_history_watermarks WHERE name = 'rollup');
DROP TABLE city_history_watermarks;
