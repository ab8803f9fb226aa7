// complaint_insert: the raw cost of storing a citizen's report durably, without the server
// around it: what Balai's POST /api/v1/complaints writes, done directly with SQLite, one durable
// transaction per report, with the connection settings of Balai's SQLite backend
// (src/db/sqlite/sqlite_database.cpp: journal_mode=WAL, synchronous=FULL, foreign_keys=ON,
// busy timeout 5000 ms, statements prepared once).
//
//   complaint_insert DB_PATH THREADS SECONDS
//
// Creates the tables the insert touches, as Balai's migrations define them (complaints with its
// seven indexes, complaint_events, complaint_counters, audit_entries, and a one-row accounts
// table for the reporter's foreign key), then starts THREADS threads at once, each with its own
// connection, each storing reports one after another until SECONDS have passed. One report is
// one transaction, as in ComplaintService::submit (src/modules/complaints/reports.cpp):
//   BEGIN IMMEDIATE
//   the year's counter: INSERT ... ON CONFLICT DO NOTHING, UPDATE ... RETURNING last_sequence
//   INSERT INTO complaints (the same 24 columns and values as Store::insert) RETURNING id
//   INSERT INTO complaint_events (the "submitted" event, Store::add_event)
//   the audit chain's head (SELECT seq, hash ... ORDER BY seq DESC LIMIT 1), its SHA-256 over
//   the same canonical text (security/audit.cpp, audit_hash), INSERT INTO audit_entries
//   COMMIT (with synchronous=FULL: the WAL is synced before COMMIT returns)
// With THREADS=1 that is one writer committing sequentially; with more, the threads compete for
// SQLite's write lock (BEGIN IMMEDIATE waits in SQLite's busy handler, as separate processes
// would). A BEGIN that gives up after the busy timeout is counted in busy= and tried again.
// Prints one line:
//   "threads=T rows=N wall_s=W rows_per_s=R cpu_s=C busy=B mean_ms=M p50_ms=A p99_ms=P max_ms=X"
// where the per-row times are wall-clock times of single transactions (BEGIN to COMMIT, waiting
// for the lock included) and cpu_s is the process's user + system CPU time.
// Built by bench/complaints with `cc -O2 ... -lsqlite3 -lsodium -lpthread`.
#define _GNU_SOURCE
#include <pthread.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static const char* g_path;
static double g_deadline;
static int g_failed = 0;

static const char kSchema[] =
    "CREATE TABLE IF NOT EXISTS accounts (id INTEGER PRIMARY KEY, external_id TEXT NOT NULL);"
    "INSERT OR IGNORE INTO accounts (id, external_id) VALUES (1, "
    "  '0193a3f0-0000-7000-8000-000000000001');"
    "CREATE TABLE IF NOT EXISTS complaint_counters (year INTEGER PRIMARY KEY,"
    "  last_sequence BIGINT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS complaints (id INTEGER PRIMARY KEY, tracking TEXT NOT NULL UNIQUE,"
    "  kind TEXT NOT NULL, category_code TEXT NOT NULL, title TEXT NOT NULL,"
    "  description TEXT NOT NULL, lat_e6 BIGINT, lon_e6 BIGINT, address TEXT NOT NULL,"
    "  village_code TEXT NOT NULL, anonymous INTEGER NOT NULL, confidential INTEGER NOT NULL,"
    "  channel TEXT NOT NULL, source TEXT NOT NULL, status TEXT NOT NULL,"
    "  verifier_agency TEXT NOT NULL, agency_code TEXT NOT NULL DEFAULT '',"
    "  assignee TEXT NOT NULL DEFAULT '', rejection_reason TEXT NOT NULL DEFAULT '',"
    "  supporters BIGINT NOT NULL DEFAULT 0, reopened INTEGER NOT NULL DEFAULT 0, rating INTEGER,"
    "  rating_comment TEXT NOT NULL DEFAULT '', merged_into TEXT NOT NULL DEFAULT '',"
    "  status_note TEXT NOT NULL DEFAULT '', reporter_id BIGINT REFERENCES accounts (id),"
    "  contact BLOB, open311_token TEXT UNIQUE, media_url TEXT NOT NULL DEFAULT '',"
    "  attributes_json TEXT NOT NULL DEFAULT '[]', created_at BIGINT NOT NULL,"
    "  updated_at BIGINT NOT NULL, verified_at BIGINT, dispositioned_at BIGINT,"
    "  followed_up_at BIGINT, resolved_at BIGINT, closed_at BIGINT, due_at BIGINT,"
    "  escalated_at BIGINT);"
    "CREATE INDEX IF NOT EXISTS complaints_created ON complaints (created_at);"
    "CREATE INDEX IF NOT EXISTS complaints_status ON complaints (status, created_at);"
    "CREATE INDEX IF NOT EXISTS complaints_agency ON complaints (agency_code, status);"
    "CREATE INDEX IF NOT EXISTS complaints_verifier ON complaints (verifier_agency, status);"
    "CREATE INDEX IF NOT EXISTS complaints_nearby ON complaints (category_code, status, lat_e6);"
    "CREATE INDEX IF NOT EXISTS complaints_reporter ON complaints (reporter_id);"
    "CREATE INDEX IF NOT EXISTS complaints_due ON complaints (due_at);"
    "CREATE TABLE IF NOT EXISTS complaint_events (id INTEGER PRIMARY KEY,"
    "  complaint_id BIGINT NOT NULL REFERENCES complaints (id), at BIGINT NOT NULL,"
    "  kind TEXT NOT NULL, actor_role TEXT NOT NULL, actor_id TEXT NOT NULL,"
    "  agency_code TEXT NOT NULL, is_public INTEGER NOT NULL, body TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS complaint_events_complaint ON complaint_events (complaint_id, id);"
    "CREATE TABLE IF NOT EXISTS audit_entries (id INTEGER PRIMARY KEY, seq BIGINT NOT NULL UNIQUE,"
    "  at BIGINT NOT NULL, actor TEXT NOT NULL, actor_role TEXT NOT NULL, action TEXT NOT NULL,"
    "  object_type TEXT NOT NULL, object_id TEXT NOT NULL, subject TEXT NOT NULL,"
    "  purpose TEXT NOT NULL, request_id TEXT NOT NULL, prev_hash TEXT NOT NULL,"
    "  hash TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS audit_entries_subject ON audit_entries (subject, at);";

enum {
  kBegin,
  kCounterInsert,
  kCounterNext,
  kComplaint,
  kEvent,
  kAuditHead,
  kAudit,
  kCommit,
  kRollback,
  kStatements
};

static const char* const kSql[kStatements] = {
    "BEGIN IMMEDIATE",
    "INSERT INTO complaint_counters (year, last_sequence) VALUES (?, 0) "
    "ON CONFLICT (year) DO NOTHING",
    "UPDATE complaint_counters SET last_sequence = last_sequence + 1 WHERE year = ? "
    "RETURNING last_sequence",
    "INSERT INTO complaints (tracking, kind, category_code, title, description, lat_e6, "
    "lon_e6, address, village_code, anonymous, confidential, channel, source, status, "
    "verifier_agency, agency_code, reporter_id, contact, open311_token, media_url, "
    "attributes_json, created_at, updated_at, due_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "RETURNING id",
    "INSERT INTO complaint_events (complaint_id, at, kind, actor_role, actor_id, agency_code, "
    "is_public, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    "SELECT seq, hash FROM audit_entries ORDER BY seq DESC LIMIT 1",
    "INSERT INTO audit_entries (seq, at, actor, actor_role, action, object_type, object_id, "
    "subject, purpose, request_id, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "COMMIT",
    "ROLLBACK",
};

static const char kGenesis[] = "0000000000000000000000000000000000000000000000000000000000000000";
static const char kActor[] = "0193a3f0-0000-7000-8000-000000000001";
static const char kDescription[] =
    "Tumpukan sampah di tepi jalan belum diangkut sejak tiga hari, baunya sampai ke rumah warga.";

struct Thread {
  long index;
  double* times_ms;  // one per stored report, grown as needed
  long count, capacity;
  long busy;
};

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long long now_ms_utc(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void fail(sqlite3* db, const char* what) {
  fprintf(stderr, "complaint_insert: %s: %s\n", what, db ? sqlite3_errmsg(db) : "?");
  __atomic_store_n(&g_failed, 1, __ATOMIC_RELAXED);
}

// Steps a statement to its end; the first row's first column goes to *first (if asked).
static int run(sqlite3_stmt* s, long long* first) {
  int rc, rows = 0;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW)
    if (rows++ == 0 && first) *first = sqlite3_column_int64(s, 0);
  sqlite3_reset(s);
  sqlite3_clear_bindings(s);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

// The audit chain's canonical text: each field as "<length>:<bytes>\n" (security/audit.cpp).
static void put(char* out, size_t* len, const char* field) {
  *len += (size_t)sprintf(out + *len, "%zu:%s\n", strlen(field), field);
}

static void bind_text(sqlite3_stmt* s, int i, const char* v) {
  sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
}

// One report in one durable transaction. SQLITE_BUSY from BEGIN: the caller tries again.
static int store_report(sqlite3* db, sqlite3_stmt** st, long n, unsigned* seed) {
  const long long now = now_ms_utc();
  int rc = run(st[kBegin], NULL);
  if (rc != SQLITE_OK) return rc;
  const int year = 2026;
  long long sequence = 0, key = 0, head_seq = 0;
  sqlite3_bind_int(st[kCounterInsert], 1, year);
  if ((rc = run(st[kCounterInsert], NULL)) != SQLITE_OK) goto rollback;
  sqlite3_bind_int(st[kCounterNext], 1, year);
  if ((rc = run(st[kCounterNext], &sequence)) != SQLITE_OK) goto rollback;
  char tracking[40];
  snprintf(tracking, sizeof tracking, "ADU-%04d-%06lld", year, sequence);

  // A place inside the city's area (-7.68..-7.57, 111.48..111.57), different for every report.
  const long long lat_e6 = -7570001 - (long long)(rand_r(seed) % 109999);
  const long long lon_e6 = 111480001 + (long long)(rand_r(seed) % 89999);
  sqlite3_stmt* c = st[kComplaint];
  bind_text(c, 1, tracking);
  bind_text(c, 2, "pengaduan");
  bind_text(c, 3, "sampah");
  bind_text(c, 4, "");
  bind_text(c, 5, kDescription);
  sqlite3_bind_int64(c, 6, lat_e6);
  sqlite3_bind_int64(c, 7, lon_e6);
  bind_text(c, 8, "");
  bind_text(c, 9, "");
  sqlite3_bind_int(c, 10, 0);
  sqlite3_bind_int(c, 11, 0);
  bind_text(c, 12, "none");
  bind_text(c, 13, "api");
  bind_text(c, 14, "submitted");
  bind_text(c, 15, "diskominfo");
  bind_text(c, 16, "");
  sqlite3_bind_int64(c, 17, 1);
  sqlite3_bind_null(c, 18);
  sqlite3_bind_null(c, 19);
  bind_text(c, 20, "");
  bind_text(c, 21, "[]");
  sqlite3_bind_int64(c, 22, now);
  sqlite3_bind_int64(c, 23, now);
  sqlite3_bind_int64(c, 24, now + 3LL * 86400000);
  if ((rc = run(c, &key)) != SQLITE_OK) goto rollback;

  sqlite3_stmt* e = st[kEvent];
  sqlite3_bind_int64(e, 1, key);
  sqlite3_bind_int64(e, 2, now);
  bind_text(e, 3, "submitted");
  bind_text(e, 4, "reporter");
  bind_text(e, 5, "");
  bind_text(e, 6, "");
  sqlite3_bind_int(e, 7, 1);
  bind_text(e, 8, "");
  if ((rc = run(e, NULL)) != SQLITE_OK) goto rollback;

  char prev[80];
  snprintf(prev, sizeof prev, "%s", kGenesis);
  sqlite3_stmt* h = st[kAuditHead];
  while ((rc = sqlite3_step(h)) == SQLITE_ROW) {
    head_seq = sqlite3_column_int64(h, 0);
    snprintf(prev, sizeof prev, "%s", (const char*)sqlite3_column_text(h, 1));
  }
  sqlite3_reset(h);
  if (rc != SQLITE_DONE) goto rollback;
  const long long seq = head_seq + 1;
  char seq_text[24], at_text[24], request_id[32], canonical[1024], hash[65];
  snprintf(seq_text, sizeof seq_text, "%lld", seq);
  snprintf(at_text, sizeof at_text, "%lld", now);
  snprintf(request_id, sizeof request_id, "bench%07lx%012lx", (unsigned long)n & 0xfffffff,
           (unsigned long)n);
  size_t len = 0;
  const char* fields[] = {prev,        seq_text,  at_text, kActor,     "citizen",
                          "complaints.report.submit", "complaint", tracking, "", "", request_id};
  for (size_t i = 0; i < sizeof fields / sizeof *fields; ++i) put(canonical, &len, fields[i]);
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, (const unsigned char*)canonical, len);
  sodium_bin2hex(hash, sizeof hash, digest, sizeof digest);
  sqlite3_stmt* a = st[kAudit];
  sqlite3_bind_int64(a, 1, seq);
  sqlite3_bind_int64(a, 2, now);
  bind_text(a, 3, kActor);
  bind_text(a, 4, "citizen");
  bind_text(a, 5, "complaints.report.submit");
  bind_text(a, 6, "complaint");
  bind_text(a, 7, tracking);
  bind_text(a, 8, "");
  bind_text(a, 9, "");
  bind_text(a, 10, request_id);
  bind_text(a, 11, prev);
  bind_text(a, 12, hash);
  if ((rc = run(a, NULL)) != SQLITE_OK) goto rollback;

  if ((rc = run(st[kCommit], NULL)) != SQLITE_OK) goto rollback;
  return SQLITE_OK;

rollback:
  fail(db, "a statement of the report's transaction failed");
  run(st[kRollback], NULL);
  return rc;
}

static sqlite3* open_db(void) {
  sqlite3* db = NULL;
  if (sqlite3_open_v2(g_path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      NULL) != SQLITE_OK) {
    fail(db, "open");
    return NULL;
  }
  sqlite3_busy_timeout(db, 5000);
  if (sqlite3_exec(db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL) != SQLITE_OK ||
      sqlite3_exec(db, "PRAGMA synchronous=FULL", NULL, NULL, NULL) != SQLITE_OK ||
      sqlite3_exec(db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL) != SQLITE_OK ||
      sqlite3_exec(db, "PRAGMA temp_store=MEMORY", NULL, NULL, NULL) != SQLITE_OK) {
    fail(db, "pragma");
    sqlite3_close_v2(db);
    return NULL;
  }
  return db;
}

static void* worker(void* arg) {
  struct Thread* t = arg;
  sqlite3* db = open_db();
  if (!db) return NULL;
  sqlite3_stmt* st[kStatements] = {0};
  for (int i = 0; i < kStatements; ++i) {
    if (sqlite3_prepare_v3(db, kSql[i], -1, SQLITE_PREPARE_PERSISTENT, &st[i], NULL) != SQLITE_OK) {
      fail(db, kSql[i]);
      goto done;
    }
  }
  unsigned seed = (unsigned)(t->index * 7919 + 17);
  long n = t->index * 100000000L;
  while (!__atomic_load_n(&g_failed, __ATOMIC_RELAXED)) {
    const double start = now_s();
    if (start >= g_deadline) break;
    const int rc = store_report(db, st, n, &seed);
    if ((rc & 0xff) == SQLITE_BUSY) {
      ++t->busy;  // the busy timeout passed waiting for the write lock
      continue;
    }
    if (rc != SQLITE_OK) break;
    ++n;
    if (t->count == t->capacity) {
      t->capacity = t->capacity ? 2 * t->capacity : 4096;
      t->times_ms = realloc(t->times_ms, (size_t)t->capacity * sizeof *t->times_ms);
      if (!t->times_ms) {
        fail(NULL, "out of memory");
        break;
      }
    }
    t->times_ms[t->count++] = (now_s() - start) * 1000.0;
  }
done:
  for (int i = 0; i < kStatements; ++i) sqlite3_finalize(st[i]);
  sqlite3_close_v2(db);
  return NULL;
}

static int by_value(const void* a, const void* b) {
  const double x = *(const double*)a, y = *(const double*)b;
  return (x > y) - (x < y);
}

int main(int argc, char** argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s DB_PATH THREADS SECONDS\n", argv[0]);
    return 2;
  }
  g_path = argv[1];
  const long threads = strtol(argv[2], NULL, 10);
  const double seconds = strtod(argv[3], NULL);
  if (threads < 1 || threads > 1024 || !(seconds > 0)) {
    fprintf(stderr, "complaint_insert: THREADS must be 1-1024 and SECONDS more than 0\n");
    return 2;
  }
  if (sodium_init() < 0) {
    fprintf(stderr, "complaint_insert: sodium_init failed\n");
    return 1;
  }
  sqlite3* db = open_db();
  if (!db) return 1;
  char* msg = NULL;
  if (sqlite3_exec(db, kSchema, NULL, NULL, &msg) != SQLITE_OK) {
    fprintf(stderr, "complaint_insert: schema: %s\n", msg ? msg : "?");
    return 1;
  }
  sqlite3_close_v2(db);

  struct Thread* ts = calloc((size_t)threads, sizeof *ts);
  pthread_t* ids = calloc((size_t)threads, sizeof *ids);
  if (!ts || !ids) return 1;
  const double start = now_s();
  g_deadline = start + seconds;
  for (long i = 0; i < threads; ++i) {
    ts[i].index = i;
    if (pthread_create(&ids[i], NULL, worker, &ts[i]) != 0) {
      fprintf(stderr, "complaint_insert: pthread_create failed\n");
      return 1;
    }
  }
  for (long i = 0; i < threads; ++i) pthread_join(ids[i], NULL);
  const double wall = now_s() - start;
  if (g_failed) return 1;

  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  const double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
                     (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
  long total = 0, busy = 0;
  for (long i = 0; i < threads; ++i) total += ts[i].count, busy += ts[i].busy;
  double* all = malloc((size_t)(total ? total : 1) * sizeof *all);
  if (!all) return 1;
  long k = 0;
  double sum = 0;
  for (long i = 0; i < threads; ++i)
    for (long j = 0; j < ts[i].count; ++j) sum += (all[k++] = ts[i].times_ms[j]);
  qsort(all, (size_t)total, sizeof *all, by_value);
  // Nearest-rank percentiles.
  const long p50 = (total * 50 + 99) / 100 - 1, p99 = (total * 99 + 99) / 100 - 1;
  printf("threads=%ld rows=%ld wall_s=%.3f rows_per_s=%.2f cpu_s=%.2f busy=%ld mean_ms=%.2f"
         " p50_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
         threads, total, wall, (double)total / wall, cpu, busy, total ? sum / (double)total : 0.0,
         total ? all[p50 < 0 ? 0 : p50] : 0.0, total ? all[p99 < 0 ? 0 : p99] : 0.0,
         total ? all[total - 1] : 0.0);
  return 0;
}
