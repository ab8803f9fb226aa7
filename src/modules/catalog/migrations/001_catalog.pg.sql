CREATE TABLE agencies (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name_id TEXT NOT NULL,
  name_en TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE services (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  agency_id BIGINT NOT NULL REFERENCES agencies (id),
  category TEXT NOT NULL,
  icon TEXT NOT NULL,
  name_id TEXT NOT NULL,
  name_en TEXT NOT NULL,
  summary_id TEXT NOT NULL,
  summary_en TEXT NOT NULL,
  description_id TEXT NOT NULL,
  description_en TEXT NOT NULL,
  requirements_json TEXT NOT NULL,
  privacy_id TEXT NOT NULL,
  privacy_en TEXT NOT NULL,
  cost_rupiah BIGINT NOT NULL CHECK (cost_rupiah >= 0),
  processing_days INTEGER NOT NULL CHECK (processing_days >= 0),
  legal_basis TEXT NOT NULL,
  online INTEGER NOT NULL DEFAULT 0,
  position INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE INDEX services_agency_id ON services (agency_id);
