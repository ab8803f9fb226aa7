-- The smart city's context (see src/modules/city/model.h). Sensor readings are about places and
-- things, never about people: nothing here is personal data.

-- Entities: the current state, NGSI-v2 normalized attributes as JSON
-- ({"name": {"type": ..., "value": ..., "metadata": {...}}}). An entity is identified by its
-- id and type within a service (tenant) and service path, as in Orion. lat_e6/lon_e6: the
-- point of its geo attribute (a shape's first point) for a coarse index; exact geo matching is
-- done in C++ (ngsi_geo).
CREATE TABLE city_entities (
  id INTEGER PRIMARY KEY,
  service TEXT NOT NULL DEFAULT '',
  service_path TEXT NOT NULL DEFAULT '/',
  entity_id TEXT NOT NULL,
  entity_type TEXT NOT NULL,
  attrs_json TEXT NOT NULL DEFAULT '{}',
  lat_e6 BIGINT,
  lon_e6 BIGINT,
  created_ms BIGINT NOT NULL,
  modified_ms BIGINT NOT NULL,
  UNIQUE (service, service_path, entity_id, entity_type)
);
CREATE INDEX city_entities_type ON city_entities (service, entity_type, entity_id);
CREATE INDEX city_entities_id ON city_entities (service, entity_id);

-- Every change of an attribute, kept as a time series (roll-ups below; retention by the job
-- city.history_retention). number: numeric values; text: any other value as JSON.
CREATE TABLE city_history (
  id INTEGER PRIMARY KEY,
  entity_key BIGINT NOT NULL,
  attr TEXT NOT NULL,
  observed_ms BIGINT NOT NULL,
  number DOUBLE PRECISION,
  text TEXT
);
CREATE INDEX city_history_series ON city_history (entity_key, attr, observed_ms);

-- Per-minute and per-hour aggregates of numeric attributes.
CREATE TABLE city_rollups (
  entity_key BIGINT NOT NULL,
  attr TEXT NOT NULL,
  resolution TEXT NOT NULL,
  bucket_ms BIGINT NOT NULL,
  count BIGINT NOT NULL,
  min DOUBLE PRECISION NOT NULL,
  max DOUBLE PRECISION NOT NULL,
  sum DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (entity_key, attr, resolution, bucket_ms)
);

-- Devices: a device authenticates over HTTP with an API token of role "device" (its external
-- id is token_id) and over MQTT as user <external_id> with the same secret; it may write its
-- own entity only. mqtt_password: the broker's password-file line (PBKDF2, never the secret).
CREATE TABLE city_devices (
  id INTEGER PRIMARY KEY,
  external_id TEXT NOT NULL UNIQUE,
  token_id TEXT NOT NULL UNIQUE,
  entity_key BIGINT NOT NULL REFERENCES city_entities (id) ON DELETE CASCADE,
  mqtt_password TEXT NOT NULL,
  agency_code TEXT NOT NULL DEFAULT '',
  created_ms BIGINT NOT NULL,
  revoked_ms BIGINT
);
CREATE INDEX city_devices_entity ON city_devices (entity_key);
