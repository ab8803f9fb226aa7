-- The holiday calendar that working-day deadlines use: national holidays (libur nasional) and
-- cuti bersama, maintained by administrators (/konsol/hari-libur, `balai holiday`). One row per
-- date, written YYYY-MM-DD so that text order is date order. created_at is 0 for the rows the
-- program's own migrations seed.
CREATE TABLE holidays (
  date TEXT PRIMARY KEY CHECK (length(date) = 10),
  name_id TEXT NOT NULL,
  name_en TEXT NOT NULL,
  collective_leave INTEGER NOT NULL DEFAULT 0 CHECK (collective_leave IN (0, 1)),
  created_at BIGINT NOT NULL
);
