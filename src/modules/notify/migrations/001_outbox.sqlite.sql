-- The notification outbox (see src/modules/notify/outbox.h). A row is written inside the
-- transaction that caused the message; delivery threads of any instance claim due rows.
-- Recipient, subject and body are encrypted by the application (XChaCha20-Poly1305, key id
-- inside), each bound to its column and the row's external id; channel and kind stay clear for
-- counting.
--   state: queued (waiting, or retrying at next_attempt_at) -> sending (claimed by one instance
--   until claimed_until; a lease that ends unfinished makes the row claimable again) -> sent;
--   failed after notify.max_attempts; dev when shown on the development outbox instead.
CREATE TABLE outbox_messages (
  id INTEGER PRIMARY KEY,
  external_id TEXT NOT NULL UNIQUE,
  channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
  kind TEXT NOT NULL,
  recipient BLOB NOT NULL,
  subject BLOB NOT NULL,
  body BLOB NOT NULL,
  state TEXT NOT NULL DEFAULT 'queued'
    CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'dev')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  claimed_until BIGINT,
  last_error TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  sent_at BIGINT
);
-- Due messages: state = 'queued' AND next_attempt_at <= now (and expired 'sending' leases).
CREATE INDEX outbox_messages_due ON outbox_messages (state, next_attempt_at);
