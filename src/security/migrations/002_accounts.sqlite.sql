-- Accounts and how they authenticate. Personal data (name, email) is encrypted by the
-- application (XChaCha20-Poly1305, key id inside); lookups go through keyed blind indexes.
CREATE TABLE accounts (
  id INTEGER PRIMARY KEY,
  external_id TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL,
  agency_code TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'active',
  display_name BLOB NOT NULL,
  email BLOB,
  password_hash TEXT NOT NULL,
  totp_secret BLOB,
  totp_last_step BIGINT NOT NULL DEFAULT 0,
  totp_enabled_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

-- One row per way to name an account at sign-in (its email, later its NIK).
CREATE TABLE account_logins (
  lookup BLOB PRIMARY KEY,
  kind TEXT NOT NULL,
  account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE
);
CREATE INDEX account_logins_account ON account_logins (account_id);

CREATE TABLE recovery_codes (
  account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  code_hash TEXT NOT NULL,
  used_at BIGINT,
  PRIMARY KEY (account_id, code_hash)
);

CREATE TABLE sessions (
  id INTEGER PRIMARY KEY,
  external_id TEXT NOT NULL UNIQUE,
  token_hash TEXT NOT NULL UNIQUE,
  account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  stage TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  idle_ms BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  authenticated_at BIGINT NOT NULL,
  client BLOB NOT NULL,
  revoked_at BIGINT
);
CREATE INDEX sessions_account ON sessions (account_id, revoked_at);

CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  external_id TEXT NOT NULL UNIQUE,
  token_hash TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  agency_code TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  expires_at BIGINT,
  revoked_at BIGINT,
  last_used_at BIGINT
);

-- Networks a staff account has signed in from (a sign-in from a new one raises an event).
CREATE TABLE staff_networks (
  account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  network TEXT NOT NULL,
  first_seen BIGINT NOT NULL,
  last_seen BIGINT NOT NULL,
  PRIMARY KEY (account_id, network)
);

-- What intrusion detection found, and what the firewall and the WAF refused.
CREATE TABLE security_events (
  id INTEGER PRIMARY KEY,
  external_id TEXT NOT NULL UNIQUE,
  at BIGINT NOT NULL,
  type TEXT NOT NULL,
  severity TEXT NOT NULL,
  source TEXT NOT NULL,
  account TEXT NOT NULL,
  detail TEXT NOT NULL,
  acknowledged_at BIGINT,
  acknowledged_by TEXT
);
CREATE INDEX security_events_at ON security_events (at);
