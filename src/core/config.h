#pragma once
// The effective configuration. Read once at start-up (TOML file, then BALAI_* environment
// overrides; see app/config_loader.h) and immutable afterwards. Every field has a safe default
// so that `balai serve` with no file at all works.

#include <cstdint>
#include <string>
#include <vector>

#include "core/time.h"

namespace balai::core {

struct ServerConfig {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0 picks a free port (tests)
  int io_threads = 2;    // accept/read/write; never block
  // Handlers; blocking database calls allowed. Many, because a handler waiting for its commit
  // holds a worker: with SQLite's group commit, the writes waiting together share one fsync, so
  // the pool bounds the batch (4 workers: ~3 reports per commit; 32: ~15; 64: ~20, and 64
  // clients never wait for a worker). Idle threads cost little; Argon2 hashing is bounded
  // separately (one per core). docs/benchmarks.md, "Complaints".
  int worker_threads = 64;
  int max_connections = 20000;              // beyond it new connections are closed at once
  uint32_t header_limit_bytes = 16 * 1024;  // larger request head -> 431
  uint64_t body_limit_bytes = 1024 * 1024;  // default per route -> 413 (routes may override)
  int header_timeout_ms = 10'000;           // whole request head must arrive within it -> 408
  int body_timeout_ms = 30'000;             // whole body must arrive within it -> 408
  int idle_timeout_ms = 60'000;             // a keep-alive connection with no request is closed
  int write_timeout_ms = 30'000;
  int shutdown_grace_ms = 8'000;  // in-flight requests get this long after SIGTERM
  // TLS: both set -> HTTPS on `port`. TLS 1.2 minimum.
  std::string tls_cert_file;
  std::string tls_key_file;
  // When non-zero (and TLS is on), plain HTTP on this port answers 308 to the HTTPS URL.
  uint16_t redirect_http_port = 0;
  // Public origin used in absolute links and redirects, e.g. "https://balai.example.go.id".
  std::string public_url;
};

struct DatabaseConfig {
  // "sqlite:/var/lib/balai/balai.db" (a relative path is relative to the working directory) or
  // "postgresql://user@host:port/dbname" (libpq URI; password from PGPASSWORD or ~/.pgpass).
  std::string url;  // empty -> sqlite:<data_dir>/balai.db
  int readers = 4;  // SQLite reader connections / PostgreSQL pool size
  int busy_timeout_ms = 5'000;
};

struct CityConfig {
  std::string name = "Kota Madiun";  // shown in the portal header
  std::string name_en = "Madiun City";
  std::string region_code = "35.77";  // Kemendagri code of the regency/city
  Zone zone = Zone::wib;
  // The city's area, "south,west,north,east" in decimal degrees (core::parse_geo_box): places
  // outside it are refused (a complaint about another city), and maps open on its centre.
  std::string area = "-7.6800,111.4800,-7.5700,111.5700";
  // Map tiles for the portal's maps, e.g. "https://tile.openstreetmap.org/{z}/{x}/{y}.png" or
  // the city's own tile server. Empty: maps show pins on a plain background (no third party
  // learns who looks at the map); the tile server's origin is added to the CSP img-src.
  std::string map_tiles;
};

struct SecurityConfig {
  // Key ring (data keys, blind-index key, pepper, audit signing key); created at first start.
  std::string keyring_file;  // empty -> <data_dir>/keyring.json
  // Comma-separated CIDR lists. allow empty: everyone; deny wins over allow.
  std::string firewall_allow;
  std::string firewall_deny;
  // Reverse proxies whose X-Forwarded-For is believed (comma-separated CIDRs); none by default.
  std::string trusted_proxies;
  // General budget per client address (token bucket): burst, then refill per second. Generous,
  // because many citizens share one address behind carrier-grade NAT on mobile networks.
  int api_burst = 300;
  int api_per_second = 50;
  // Bans: this many refused requests within the window ban the address, doubling on repeat.
  int ban_failures = 5;
  int ban_window_ms = 10 * 60 * 1000;
  int ban_first_ms = 10 * 60 * 1000;
  // Sign-in budgets: per client address (token bucket) and per account (failures within
  // ban_window_ms lock the account's sign-in for ban_first_ms, doubling on repeat, capped).
  int login_burst = 20;
  int login_per_minute = 10;
  int register_burst = 5;
  int register_per_hour = 30;
  int account_failures = 5;
  // Argon2id cost of password hashes (see security/passwords.h): memory in KiB and passes.
  // Stored hashes keep working when these change; they are upgraded at the next sign-in.
  int password_hash_memory_kib = 64 * 1024;
  int password_hash_passes = 3;
  // Sessions: idle timeouts (staff are stricter) and one absolute lifetime for everyone.
  int session_idle_minutes_staff = 30;
  int session_idle_minutes_citizen = 120;
  int session_absolute_hours = 12;
  // Origins (scheme://host[:port], comma-separated) besides the server's own that may send
  // cookie-authenticated unsafe requests. Empty: only the own origin.
  std::string allowed_origins;
  // Web application firewall (libmodsecurity + OWASP CRS): off, detect or block.
  std::string waf = "off";
  int waf_paranoia = 1;
  std::string waf_crs_setup = "/etc/modsecurity/crs/crs-setup.conf";
  std::string waf_crs_rules = "/usr/share/modsecurity-crs/rules";
  // Intrusion detection: where alerts are POSTed as JSON (empty: console only), and how many
  // different citizens one staff account may read in an hour before it raises an event.
  std::string alert_webhook;
  // The audit chain's head is signed every 100 entries and at least this often when there are
  // new entries (so a quiet day's last entries are covered too).
  int audit_checkpoint_minutes = 10;
  // Ended sessions are deleted this many days after they ended (they hold the browser name).
  int session_retention_days = 30;
  int staff_reads_per_hour = 60;
};

// Notifications (confirmation codes, password resets, later complaint updates) leave through
// an outbox table; a delivery thread sends them by email (SMTP) or SMS (an HTTP gateway).
struct NotifyConfig {
  // smtp://host:587 (STARTTLS required) or smtps://host:465; empty: no email delivery.
  std::string smtp_url;
  std::string smtp_user;
  std::string smtp_password_file;  // the password is read from this file (never the TOML)
  std::string mail_from = "balai@localhost";
  // An SMS gateway that takes POST {"to":"+62...","text":"..."}; empty: no SMS delivery.
  std::string sms_gateway_url;
  std::string sms_gateway_token_file;  // sent as "Authorization: Bearer <token>"
  // Development only: messages no channel can carry are "delivered" to a page (/dev/kotak-keluar)
  // that shows them, clearly marked. Never on a server citizens use.
  bool dev_outbox = false;
  int max_attempts = 8;  // then the message is marked failed (retries back off exponentially)
};

// Citizen identity (the identity module).
struct IdentityConfig {
  // The agency (catalog code) whose officers verify identities and handle data requests.
  std::string verifying_agency = "disdukcapil";
  // Registrations whose contacts are not confirmed within this many hours are deleted (so a
  // NIK typed by someone else does not stay taken).
  int unconfirmed_hours = 24;
  // KTP photos are deleted this many days after the verification decision (0: at once).
  int ktp_retention_days = 0;
  uint32_t ktp_max_bytes = 5 * 1024 * 1024;
  // One-time codes: digits, lifetime and wrong tries before the code is void.
  int code_minutes = 15;
  int code_attempts = 5;
};

// Complaints (pengaduan): who verifies first, photo limits.
struct ComplaintsConfig {
  // "desk": one central desk agency verifies every new report; "village": the village office
  // (kelurahan) of the report's place verifies it when that office is an agency in the
  // catalog (code village_agency_prefix + the village code without dots), the desk otherwise.
  std::string verification = "desk";
  std::string desk_agency = "diskominfo";
  std::string village_agency_prefix = "kel-";
  uint32_t photo_max_bytes = 4 * 1024 * 1024;
};

// The city's sensors (module city): the MQTT broker, the context's history and its
// subscriptions.
struct SensorsConfig {
  // The MQTT broker devices publish their readings to and Balai's instances share context
  // changes over, "mqtt://host:port" or "mqtts://host:port" (TLS; verified against
  // mqtt_ca_file). Empty: no MQTT (readings over HTTP and NGSI-v2 only, one instance).
  std::string mqtt_url;
  std::string mqtt_user = "balai";  // Balai's own broker user
  // A file holding Balai's broker password. When Balai writes the broker's files (below) and it
  // is missing, Balai creates it with a random password (0600).
  std::string mqtt_password_file;  // empty -> <data_dir>/mqtt-password
  std::string mqtt_ca_file;        // PEM of the CAs that sign the broker's certificate (mqtts)
  // Mosquitto's password_file and acl_file, written by Balai (0600) from the device registry
  // whenever a device is added or revoked; then the broker (its pid in broker_pid_file) is sent
  // SIGHUP to re-read them. Empty: Balai does not manage the broker's files.
  std::string broker_password_file;
  std::string broker_acl_file;
  std::string broker_pid_file;
  // History retention: raw points, per-minute and per-hour roll-ups (days; 0 keeps forever).
  int history_raw_days = 7;
  int history_minute_days = 90;
  int history_hour_days = 0;
  // New history rows wait unindexed until a roll-up moves this many (or the minute's job moves
  // what there is) into the series-ordered history in one transaction: larger batches put more
  // rows of each series on one page (cheaper per row), smaller ones keep the unindexed rows
  // that history reads scan fewer and the writer's pauses shorter.
  int history_rollup_rows = 200'000;
  // NGSI-v2 subscriptions: notification workers and the bounded queue before them.
  int notify_workers = 4;
  int notify_queue = 10'000;
  int notify_timeout_ms = 5'000;
};

struct LogConfig {
  std::string level = "info";
  bool access_log = true;  // one line per request
};

struct Config {
  std::string data_dir = "var";
  std::string web_dir;  // templates, i18n and static files; empty -> found next to the binary
  ServerConfig server;
  DatabaseConfig database;
  CityConfig city;
  SecurityConfig security;
  NotifyConfig notify;
  IdentityConfig identity;
  ComplaintsConfig complaints;
  SensorsConfig sensors;
  LogConfig log;

  // The database URL with the default filled in.
  std::string database_url() const;
  // The key ring's path with the default filled in.
  std::string keyring_path() const;
};

}  // namespace balai::core
