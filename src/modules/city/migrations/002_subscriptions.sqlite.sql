-- NGSI-v2 subscriptions (see src/modules/city/subscriptions.h): a city system is told by an
-- HTTP POST to its URL when entities it names change. definition_json: the subscription as the
-- API writes it (subject, notification, expires, throttling) without its status and counters,
-- which have columns of their own because the notifier updates them about once a second.
-- owner_id: the external id of the API token or account that created it. Nothing here is
-- personal data: the subjects are sensors and places.
CREATE TABLE city_subscriptions (
  id INTEGER PRIMARY KEY,
  external_id TEXT NOT NULL UNIQUE,
  service TEXT NOT NULL DEFAULT '',
  service_path TEXT NOT NULL DEFAULT '/#',
  owner_id TEXT NOT NULL,
  definition_json TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'active',
  times_sent BIGINT NOT NULL DEFAULT 0,
  last_notification_ms BIGINT,
  last_success_ms BIGINT,
  last_success_code BIGINT,
  last_failure_ms BIGINT,
  last_failure_reason TEXT,
  fails_counter BIGINT NOT NULL DEFAULT 0,
  created_ms BIGINT NOT NULL,
  modified_ms BIGINT NOT NULL
);
CREATE INDEX city_subscriptions_service ON city_subscriptions (service, owner_id, id);
