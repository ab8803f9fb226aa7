-- The privacy notice of each service (UU 27/2022 PDP): the personal data items it collects
-- (a JSON list of {"id": ..., "en": ...}, like requirements_json), why, who sees it and how
-- long it is kept. Existing rows get an empty notice until an administrator fills it in.
ALTER TABLE services ADD COLUMN personal_data_json TEXT NOT NULL DEFAULT '[]';
ALTER TABLE services ADD COLUMN privacy_purpose_id TEXT NOT NULL DEFAULT '';
ALTER TABLE services ADD COLUMN privacy_purpose_en TEXT NOT NULL DEFAULT '';
ALTER TABLE services ADD COLUMN privacy_recipients_id TEXT NOT NULL DEFAULT '';
ALTER TABLE services ADD COLUMN privacy_recipients_en TEXT NOT NULL DEFAULT '';
ALTER TABLE services ADD COLUMN privacy_retention_id TEXT NOT NULL DEFAULT '';
ALTER TABLE services ADD COLUMN privacy_retention_en TEXT NOT NULL DEFAULT '';
