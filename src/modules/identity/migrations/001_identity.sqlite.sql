-- Citizens' profiles: one row per citizen account. Every personal field is sealed with the
-- field cipher (context "citizens.<column>/<external_id>"); the NIK is found through the
-- account_logins blind index (kind 'nik'), which also keeps one account per NIK.
CREATE TABLE citizens (
  id INTEGER PRIMARY KEY,
  account_id BIGINT NOT NULL UNIQUE REFERENCES accounts (id) ON DELETE CASCADE,
  external_id TEXT NOT NULL UNIQUE,
  nik BLOB NOT NULL,
  birth_date BLOB NOT NULL,
  sex BLOB NOT NULL,
  address BLOB NOT NULL,
  village_code BLOB NOT NULL,
  phone BLOB NOT NULL,
  email_confirmed_at BIGINT,
  phone_confirmed_at BIGINT,
  assurance TEXT NOT NULL DEFAULT 'unverified',
  assurance_reason TEXT NOT NULL DEFAULT '',
  decided_by TEXT NOT NULL DEFAULT '',
  decided_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX citizens_assurance ON citizens (assurance, updated_at);

-- One-time codes sent to a person (confirm an email or phone, reset a password, confirm a new
-- email). Only a keyed digest of the code is kept.
CREATE TABLE identity_codes (
  id INTEGER PRIMARY KEY,
  external_id TEXT NOT NULL UNIQUE,
  account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  purpose TEXT NOT NULL,
  digest BLOB NOT NULL,
  target BLOB,
  attempts INTEGER NOT NULL DEFAULT 0,
  expires_at BIGINT NOT NULL,
  used_at BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX identity_codes_account ON identity_codes (account_id, purpose, created_at);

-- The KTP photo a citizen uploads for verification; deleted after the decision.
CREATE TABLE ktp_photos (
  id INTEGER PRIMARY KEY,
  external_id TEXT NOT NULL UNIQUE,
  account_id BIGINT NOT NULL UNIQUE REFERENCES accounts (id) ON DELETE CASCADE,
  media_type TEXT NOT NULL,
  photo BLOB NOT NULL,
  uploaded_at BIGINT NOT NULL,
  delete_after BIGINT
);

-- Consents per purpose, append-only: the latest row per purpose is the current choice.
CREATE TABLE consents (
  id INTEGER PRIMARY KEY,
  account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  purpose TEXT NOT NULL,
  granted INTEGER NOT NULL,
  via TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX consents_account ON consents (account_id, purpose, id);

-- Requests under UU 27/2022 (PDP): correction, deletion, restriction of processing. Due 3x24
-- hours after they are made. Kept (without their text) when the account is erased, for the
-- public record of requests handled on time.
CREATE TABLE data_requests (
  id INTEGER PRIMARY KEY,
  external_id TEXT NOT NULL UNIQUE,
  account_id BIGINT NOT NULL REFERENCES accounts (id),
  kind TEXT NOT NULL,
  details BLOB NOT NULL,
  status TEXT NOT NULL DEFAULT 'open',
  due_at BIGINT NOT NULL,
  outcome BLOB,
  handled_by TEXT NOT NULL DEFAULT '',
  handled_at BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX data_requests_status ON data_requests (status, due_at);
CREATE INDEX data_requests_account ON data_requests (account_id, created_at);
