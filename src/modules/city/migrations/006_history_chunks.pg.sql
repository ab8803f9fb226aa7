-- Rolled-up history is kept in chunks: one row per series and hour holding the points the
-- roll-up moved together, as a JSON array of [observed_ms, value] (src/modules/city/
-- history_store.h). One row per point in city_history cost three b-tree inserts per reading
-- (the table, the series index, the age index), most of the roll-up's time and most of the
-- writes' WAL; a chunk costs those once for all its points.
--
-- first_ms, last_ms: the chunk's earliest and latest point, both inside one UTC hour, so a
-- reader finds every chunk overlapping a window by first_ms alone. points: how many; numbers:
-- how many of them are numbers. A value is a JSON number, or any other JSON value (text,
-- objects).
CREATE TABLE city_history_chunks (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  entity_key BIGINT NOT NULL,
  attr TEXT NOT NULL,
  first_ms BIGINT NOT NULL,
  last_ms BIGINT NOT NULL,
  points INTEGER NOT NULL,
  numbers INTEGER NOT NULL,
  data TEXT NOT NULL
);
CREATE INDEX city_history_chunks_series ON city_history_chunks (entity_key, attr, first_ms);
-- Retention deletes whole chunks once their last point is past the cutoff.
CREATE INDEX city_history_chunks_age ON city_history_chunks (last_ms);

-- The rolled-up rows become chunks (the same statement as the roll-up's, from city_history).
INSERT INTO city_history_chunks (entity_key, attr, first_ms, last_ms, points, numbers, data)
  SELECT entity_key, attr, MIN(observed_ms), MAX(observed_ms), COUNT(*), COUNT(number),
    json_agg(json_build_array(observed_ms, COALESCE(to_json(number), text::json))
      ORDER BY observed_ms, id)::text
  FROM city_history
  GROUP BY entity_key, attr, observed_ms / 3600000;
DROP TABLE city_history;
