-- Complaints (see src/modules/complaints/model.h). The report's text, place and photos are the
-- public record (unless confidential) and are written to be published: the portal warns the
-- reporter not to put personal data in them. Who reported is never in clear: the account link
-- is an internal key, and an Open311 reporter's name, email and phone are sealed by the
-- application in `contact` (bound to "complaints.contact/<tracking>").

-- Categories (the Open311 services), each routed to an agency by default.
CREATE TABLE complaint_categories (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name_id TEXT NOT NULL,
  name_en TEXT NOT NULL,
  description_id TEXT NOT NULL,
  description_en TEXT NOT NULL,
  agency_code TEXT NOT NULL,
  physical INTEGER NOT NULL DEFAULT 0,
  nearby_radius_m INTEGER NOT NULL DEFAULT 0,
  attributes_json TEXT NOT NULL DEFAULT '[]',
  position INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

-- Routing rules: a category's reports in a region go to another agency (longest prefix wins).
CREATE TABLE complaint_routes (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  category_code TEXT NOT NULL,
  region_prefix TEXT NOT NULL,
  agency_code TEXT NOT NULL,
  UNIQUE (category_code, region_prefix)
);

-- The last tracking number given out per year (ADU-<year>-<n>).
CREATE TABLE complaint_counters (
  year INTEGER PRIMARY KEY,
  last_sequence BIGINT NOT NULL
);

CREATE TABLE complaints (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tracking TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  category_code TEXT NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  lat_e6 BIGINT,
  lon_e6 BIGINT,
  address TEXT NOT NULL,
  village_code TEXT NOT NULL,
  anonymous INTEGER NOT NULL,
  confidential INTEGER NOT NULL,
  channel TEXT NOT NULL,
  source TEXT NOT NULL,
  status TEXT NOT NULL,
  verifier_agency TEXT NOT NULL,
  agency_code TEXT NOT NULL DEFAULT '',
  assignee TEXT NOT NULL DEFAULT '',
  rejection_reason TEXT NOT NULL DEFAULT '',
  supporters BIGINT NOT NULL DEFAULT 0,
  reopened INTEGER NOT NULL DEFAULT 0,
  rating INTEGER,
  rating_comment TEXT NOT NULL DEFAULT '',
  merged_into TEXT NOT NULL DEFAULT '',
  status_note TEXT NOT NULL DEFAULT '',
  reporter_id BIGINT REFERENCES accounts (id),
  contact BYTEA,
  open311_token TEXT UNIQUE,
  media_url TEXT NOT NULL DEFAULT '',
  attributes_json TEXT NOT NULL DEFAULT '[]',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  verified_at BIGINT,
  dispositioned_at BIGINT,
  followed_up_at BIGINT,
  resolved_at BIGINT,
  closed_at BIGINT,
  due_at BIGINT,
  escalated_at BIGINT
);
CREATE INDEX complaints_created ON complaints (created_at);
CREATE INDEX complaints_status ON complaints (status, created_at);
CREATE INDEX complaints_agency ON complaints (agency_code, status);
CREATE INDEX complaints_verifier ON complaints (verifier_agency, status);
CREATE INDEX complaints_nearby ON complaints (category_code, status, lat_e6);
CREATE INDEX complaints_reporter ON complaints (reporter_id);
CREATE INDEX complaints_due ON complaints (due_at);

-- The timeline. Internal notes (public = 0) are never shown outside the agencies.
CREATE TABLE complaint_events (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  complaint_id BIGINT NOT NULL REFERENCES complaints (id),
  at BIGINT NOT NULL,
  kind TEXT NOT NULL,
  actor_role TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  agency_code TEXT NOT NULL,
  is_public INTEGER NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX complaint_events_complaint ON complaint_events (complaint_id, id);

-- Photos with their metadata (EXIF, XMP, ICC) removed before storage.
CREATE TABLE complaint_photos (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  external_id TEXT NOT NULL UNIQUE,
  complaint_id BIGINT NOT NULL REFERENCES complaints (id),
  is_after INTEGER NOT NULL,
  media_type TEXT NOT NULL,
  bytes BYTEA NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX complaint_photos_complaint ON complaint_photos (complaint_id);

-- Supporters (+1) follow the report's public updates.
CREATE TABLE complaint_supporters (
  complaint_id BIGINT NOT NULL REFERENCES complaints (id),
  account_id BIGINT NOT NULL REFERENCES accounts (id),
  at BIGINT NOT NULL,
  PRIMARY KEY (complaint_id, account_id)
);

-- Answers an agency's officers reuse.
CREATE TABLE complaint_templates (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  external_id TEXT NOT NULL UNIQUE,
  agency_code TEXT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX complaint_templates_agency ON complaint_templates (agency_code);
