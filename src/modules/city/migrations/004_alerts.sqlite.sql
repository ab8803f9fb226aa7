-- Alerts (src/modules/city/alert_service.h): the rules administrators maintain, the alerts they
-- raise, and the citizens who asked to be told about alerts in a district (kecamatan).

-- Threshold rules with duration and hysteresis (alert_rules.h). position: the order the console
-- shows them in. Seeded with the defaults of default_alert_rules() (a test keeps them equal).
CREATE TABLE city_alert_rules (
  rule_id TEXT PRIMARY KEY,
  position INTEGER NOT NULL,
  entity_type TEXT NOT NULL,
  attr TEXT NOT NULL,
  comparison TEXT NOT NULL CHECK (comparison IN ('above', 'below')),
  threshold DOUBLE PRECISION NOT NULL,
  clear_threshold DOUBLE PRECISION NOT NULL,
  duration_ms BIGINT NOT NULL,
  max_gap_ms BIGINT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'danger')),
  public_alert INTEGER NOT NULL DEFAULT 1 CHECK (public_alert IN (0, 1)),
  enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  name_id TEXT NOT NULL,
  name_en TEXT NOT NULL,
  message_id TEXT NOT NULL DEFAULT '',
  message_en TEXT NOT NULL DEFAULT '',
  updated_ms BIGINT NOT NULL
);

INSERT INTO city_alert_rules (rule_id, position, entity_type, attr, comparison, threshold,
  clear_threshold, duration_ms, max_gap_ms, severity, public_alert, enabled, name_id, name_en,
  message_id, message_en, updated_ms) VALUES
('banjir-siaga', 1, 'WaterLevelObserved', 'waterLevel', 'above', 150, 140, 300000, 900000,
 'danger', 1, 1, 'Peringatan banjir', 'Flood warning',
 'Tinggi muka air di atas 150 cm. Warga bantaran sungai bersiap mengungsi dan ikuti arahan BPBD.',
 'The water level is above 150 cm. Riverside residents should prepare to evacuate and follow BPBD''s instructions.',
 0),
('udara-sangat-tidak-sehat', 2, 'AirQualityObserved', 'ispu', 'above', 200, 180, 600000, 900000,
 'danger', 1, 1, 'Udara sangat tidak sehat', 'Very unhealthy air',
 'ISPU di atas 200. Kurangi kegiatan di luar ruangan dan gunakan masker bila harus keluar.',
 'ISPU is above 200. Limit time outdoors and wear a mask if you must go out.',
 0),
('hujan-sangat-lebat', 3, 'WeatherObserved', 'precipitation', 'above', 20, 10, 600000, 900000,
 'warning', 1, 1, 'Hujan sangat lebat', 'Very heavy rain',
 'Hujan sangat lebat. Waspadai genangan, banjir dan pohon tumbang.',
 'Very heavy rain. Watch for waterlogging, floods and falling trees.',
 0);

-- One row per raised alert. id: random (53 bits, safe in JSON), the public id: a sequence would
-- let anyone count the staff-only alerts. The entity is named by its scope, id and type (and
-- entity_key while it exists); the rule's thresholds, names and messages are copied, so an
-- alert reads the same after its rule changes. agency_code: the agency of the entity's device,
-- whose staff handle it ("" : administrators). *_by: the staff account (NULL: the system, or an
-- API token, which the audit log names).
CREATE TABLE city_alerts (
  id INTEGER PRIMARY KEY,
  rule_id TEXT NOT NULL,
  entity_key BIGINT REFERENCES city_entities (id) ON DELETE SET NULL,
  entity_service TEXT NOT NULL,
  entity_path TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  entity_type TEXT NOT NULL,
  attr TEXT NOT NULL,
  value DOUBLE PRECISION NOT NULL,
  threshold DOUBLE PRECISION NOT NULL,
  district_code TEXT NOT NULL DEFAULT '',
  agency_code TEXT NOT NULL DEFAULT '',
  severity TEXT NOT NULL,
  public_alert INTEGER NOT NULL CHECK (public_alert IN (0, 1)),
  title_id TEXT NOT NULL,
  title_en TEXT NOT NULL,
  message_id TEXT NOT NULL DEFAULT '',
  message_en TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('active', 'acknowledged', 'resolved')),
  raised_ms BIGINT NOT NULL,
  acknowledged_ms BIGINT,
  acknowledged_by BIGINT REFERENCES accounts (id),
  resolved_ms BIGINT,
  resolved_by BIGINT REFERENCES accounts (id),
  note TEXT NOT NULL DEFAULT ''
);
-- At most one open alert per rule and entity, whatever several instances do at once.
CREATE UNIQUE INDEX city_alerts_open ON city_alerts
  (rule_id, entity_service, entity_path, entity_id, entity_type) WHERE status <> 'resolved';
CREATE INDEX city_alerts_status ON city_alerts (status, raised_ms);

-- Citizens who asked to be told of alerts in a district (Kemendagri kecamatan code).
CREATE TABLE city_alert_watchers (
  account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  district_code TEXT NOT NULL,
  created_ms BIGINT NOT NULL,
  PRIMARY KEY (account_id, district_code)
);
CREATE INDEX city_alert_watchers_district ON city_alert_watchers (district_code);
