// city_insert: the raw cost of storing smart-city attribute updates durably, without the server
// around them: what Balai writes for POST /v2/op/update and PATCH /v2/entities/{id}/attrs, done
// directly with SQLite, one durable transaction per request-sized batch, with the connection
// settings of Balai's SQLite backend (src/db/sqlite/sqlite_database.cpp: journal_mode=WAL,
// synchronous=FULL, foreign_keys=ON, temp_store=MEMORY, busy timeout 5000 ms, statements
// prepared once).
//
//   city_insert DB_PATH THREADS SECONDS ENTITIES PER_TX CHANGED TOTAL
//
//   ENTITIES  entities in the table (created at start when the table is empty)
//   PER_TX    entities updated per transaction (a batch request's entities; 1 for a PATCH)
//   CHANGED   attributes changed per entity (1..TOTAL; a PATCH changes 1)
//   TOTAL     attributes an entity has (1..10), all in its attrs JSON
//
// Creates the tables the update touches (city_entities, city_history_incoming), from the file
// named by the environment variable CITY_INSERT_SCHEMA when it is set (bench/city passes the
// schema of Balai's own database, so both write the same tables and indexes), else as Balai's
// migrations city/001_city and city/005_history_incoming define them. Then starts THREADS threads at once, each with
// its own connection, each writing transactions one after another until SECONDS have passed.
// One transaction is what ContextService::apply writes for a request (src/modules/city/
// service.cpp), minus the reads:
//   BEGIN IMMEDIATE
//   per entity: UPDATE city_entities SET attrs_json = ?, lat_e6 = ?, lon_e6 = ?, modified_ms = ?
//               WHERE id = ?   (the entity's whole normalized attrs JSON, as Store::update
//               writes it: {"name": {"type", "value", "metadata"}}, its location included)
//               INSERT INTO city_history_incoming (entity_key, attr, observed_ms, number,
//               text) per changed attribute (Store::append_history)
//   COMMIT (with synchronous=FULL: the WAL is synced before COMMIT returns)
// Balai also reads each entity first (SELECT ... WHERE service = ? AND service_path = ? AND
// entity_id = ? AND entity_type = ?) and parses its JSON; this tool does not: it keeps the
// entities' values in memory, so it is the floor of the work, not a copy of it. Nor does it
// roll up: Balai later packs the incoming rows into city_history_chunks, by series and hour, and
// adds them to city_rollups (src/modules/city/history_store.h); that work is Balai's alone.
// Entities are taken in turn from a counter shared by the threads, so concurrent transactions
// touch different entities. A BEGIN that gives up after the busy timeout is counted in busy=
// and tried again.
// Prints one line:
//   "threads=T tx=N entity_updates=E attr_updates=A wall_s=W attr_updates_per_s=R tx_per_s=X
//    cpu_s=C busy=B mean_ms=M p50_ms=P p99_ms=Q max_ms=Z"
// where the times are wall-clock times of single transactions (BEGIN to COMMIT, waiting for the
// lock included) and cpu_s is the process's user + system CPU time.
// Built by bench/city with `cc -O2 ... -lsqlite3 -lpthread`.
#define _GNU_SOURCE
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

enum { kMaxAttrs = 10 };

// The attributes of the benchmark's entities (bench/city): the seven Balai checks for
// AirQualityObserved (src/modules/city/rules.cpp), then three more of FIWARE's model.
static const char* const kAttrs[kMaxAttrs] = {"pm25", "pm10", "so2", "co", "o3",
                                              "no2", "ispu", "temperature", "relativeHumidity",
                                              "windSpeed"};

static const char kSchema[] =
    "CREATE TABLE IF NOT EXISTS city_entities (id INTEGER PRIMARY KEY,"
    "  service TEXT NOT NULL DEFAULT '', service_path TEXT NOT NULL DEFAULT '/',"
    "  entity_id TEXT NOT NULL, entity_type TEXT NOT NULL, attrs_json TEXT NOT NULL DEFAULT '{}',"
    "  lat_e6 BIGINT, lon_e6 BIGINT, created_ms BIGINT NOT NULL, modified_ms BIGINT NOT NULL,"
    "  UNIQUE (service, service_path, entity_id, entity_type));"
    "CREATE INDEX IF NOT EXISTS city_entities_type ON city_entities (service, entity_type, "
    "  entity_id);"
    "CREATE INDEX IF NOT EXISTS city_entities_id ON city_entities (service, entity_id);"
    "CREATE TABLE IF NOT EXISTS city_history_incoming (id INTEGER PRIMARY KEY,"
    "  entity_key BIGINT NOT NULL, attr TEXT NOT NULL, observed_ms BIGINT NOT NULL,"
    "  number DOUBLE PRECISION, text TEXT);";

enum { kBegin, kUpdate, kHistory, kCommit, kRollback, kStatements };

static const char* const kSql[kStatements] = {
    "BEGIN IMMEDIATE",
    "UPDATE city_entities SET attrs_json = ?, lat_e6 = ?, lon_e6 = ?, modified_ms = ? WHERE id = ?",
    "INSERT INTO city_history_incoming (entity_key, attr, observed_ms, number, text) "
    "VALUES (?, ?, ?, ?, ?)",
    "COMMIT",
    "ROLLBACK",
};

static const char* g_path;
static double g_deadline;
static int g_failed = 0;
static long g_entities, g_per_tx, g_changed, g_total;
static long g_next = 0;         // the next entity to update (shared counter)
static long long* g_first_key;  // id of entity 0; entities have consecutive ids

struct Thread {
  long index;
  double* times_ms;  // one per transaction, grown as needed
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
  fprintf(stderr, "city_insert: %s: %s\n", what, db ? sqlite3_errmsg(db) : "?");
  __atomic_store_n(&g_failed, 1, __ATOMIC_RELAXED);
}

static int run(sqlite3_stmt* s) {
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
  }
  sqlite3_reset(s);
  sqlite3_clear_bindings(s);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

// A value inside the attribute's plausible range (rules.cpp), different on every call.
static double value_of(int attr, unsigned* seed) {
  static const double kMax[kMaxAttrs] = {150, 250, 80, 4000, 200, 100, 180, 15, 95, 12};
  return (double)(rand_r(seed) % 100000) / 100000.0 * kMax[attr] + (attr == 7 ? 20 : 0);
}

// The entity's place (lat -7.68..-7.57, lon 111.48..111.57: Balai's default city.area).
static void place_of(long n, long long* lat_e6, long long* lon_e6) {
  *lat_e6 = -7570001 - (long long)((n * 7919) % 109999);
  *lon_e6 = 111480001 + (long long)((n * 104729) % 89999);
}

// The normalized attrs JSON Store::update writes (std::map order: names sorted by byte).
static size_t attrs_json(char* out, size_t cap, const double* values, long n) {
  long long lat, lon;
  place_of(n, &lat, &lon);
  // Balai keeps the names in std::map order; these are already sorted except for the three
  // FIWARE extras, which only moves bytes around: the length is what matters here.
  size_t len = (size_t)snprintf(out, cap, "{");
  for (long a = 0; a < g_total; ++a)
    len += (size_t)snprintf(out + len, cap - len,
                            "\"%s\":{\"type\":\"Number\",\"value\":%.6g,\"metadata\":{}},",
                            kAttrs[a], values[a]);
  len += (size_t)snprintf(out + len, cap - len,
                          "\"location\":{\"type\":\"geo:json\",\"value\":{\"type\":\"Point\","
                          "\"coordinates\":[%.6f,%.6f]},\"metadata\":{}}}",
                          (double)lon / 1e6, (double)lat / 1e6);
  return len;
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

// One transaction: PER_TX entities from the shared counter, CHANGED attributes each.
static int store_batch(sqlite3* db, sqlite3_stmt** st, unsigned* seed, long* rotation) {
  static __thread char json[4096];
  double values[kMaxAttrs];
  const long long now = now_ms_utc();
  int rc = run(st[kBegin]);
  if (rc != SQLITE_OK) return rc;
  const long first = __atomic_fetch_add(&g_next, g_per_tx, __ATOMIC_RELAXED);
  for (long i = 0; i < g_per_tx; ++i) {
    const long n = (first + i) % g_entities;
    for (long a = 0; a < g_total; ++a) values[a] = value_of((int)a, seed);
    const size_t len = attrs_json(json, sizeof json, values, n);
    long long lat, lon;
    place_of(n, &lat, &lon);
    const long long key = *g_first_key + n;
    sqlite3_stmt* u = st[kUpdate];
    sqlite3_bind_text(u, 1, json, (int)len, SQLITE_STATIC);
    sqlite3_bind_int64(u, 2, lat);
    sqlite3_bind_int64(u, 3, lon);
    sqlite3_bind_int64(u, 4, now);
    sqlite3_bind_int64(u, 5, key);
    if ((rc = run(u)) != SQLITE_OK) goto rollback;
    // The changed attributes: all of them for a batch, the next in turn for a PATCH.
    for (long c = 0; c < g_changed; ++c) {
      const long a = (*rotation + c) % g_total;
      sqlite3_stmt* h = st[kHistory];
      sqlite3_bind_int64(h, 1, key);
      sqlite3_bind_text(h, 2, kAttrs[a], -1, SQLITE_STATIC);
      sqlite3_bind_int64(h, 3, now);
      sqlite3_bind_double(h, 4, values[a]);
      sqlite3_bind_null(h, 5);
      if ((rc = run(h)) != SQLITE_OK) goto rollback;
    }
    *rotation = (*rotation + g_changed) % g_total;
  }
  if ((rc = run(st[kCommit])) != SQLITE_OK) goto rollback;
  return SQLITE_OK;

rollback:
  fail(db, "a statement of the batch's transaction failed");
  run(st[kRollback]);
  return rc;
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
  long rotation = t->index % g_total;
  while (!__atomic_load_n(&g_failed, __ATOMIC_RELAXED)) {
    const double start = now_s();
    if (start >= g_deadline) break;
    const int rc = store_batch(db, st, &seed, &rotation);
    if ((rc & 0xff) == SQLITE_BUSY) {
      ++t->busy;  // the busy timeout passed waiting for the write lock
      continue;
    }
    if (rc != SQLITE_OK) break;
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

// Reads the whole schema file named by CITY_INSERT_SCHEMA; NULL when unset.
static char* schema_from_env(void) {
  const char* path = getenv("CITY_INSERT_SCHEMA");
  if (!path || !*path) return NULL;
  FILE* f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "city_insert: cannot read %s\n", path);
    exit(1);
  }
  fseek(f, 0, SEEK_END);
  const long size = ftell(f);
  fseek(f, 0, SEEK_SET);
  char* text = malloc((size_t)size + 1);
  if (!text || fread(text, 1, (size_t)size, f) != (size_t)size) {
    fprintf(stderr, "city_insert: cannot read %s\n", path);
    exit(1);
  }
  text[size] = 0;
  fclose(f);
  return text;
}

// Creates the tables and, when there are none, the ENTITIES entities (ids consecutive).
static int prepare_db(long long* first_key) {
  sqlite3* db = open_db();
  if (!db) return 1;
  sqlite3_stmt* s = NULL;
  char* msg = NULL;
  // The schema once per file (a file from an earlier round already has it).
  if (sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master WHERE name = 'city_entities'",
                         -1, &s, NULL) != SQLITE_OK ||
      sqlite3_step(s) != SQLITE_ROW) {
    fail(db, "schema check");
    return 1;
  }
  const int exists = sqlite3_column_int(s, 0) > 0;
  sqlite3_finalize(s);
  if (!exists) {
    char* custom = schema_from_env();
    if (sqlite3_exec(db, custom ? custom : kSchema, NULL, NULL, &msg) != SQLITE_OK) {
      fprintf(stderr, "city_insert: schema: %s\n", msg ? msg : "?");
      return 1;
    }
    free(custom);
  }
  long long have = 0;
  if (sqlite3_prepare_v2(db, "SELECT count(*), min(id) FROM city_entities WHERE entity_id LIKE 'raw-%'",
                         -1, &s, NULL) != SQLITE_OK ||
      sqlite3_step(s) != SQLITE_ROW) {
    fail(db, "count entities");
    return 1;
  }
  have = sqlite3_column_int64(s, 0);
  *first_key = sqlite3_column_int64(s, 1);
  sqlite3_finalize(s);
  if (have == g_entities) {
    sqlite3_close_v2(db);
    return 0;
  }
  if (have != 0) {
    fprintf(stderr, "city_insert: %s holds %lld entities, not %ld: use a fresh file\n", g_path,
            have, g_entities);
    return 1;
  }
  sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  if (sqlite3_prepare_v2(db,
                         "INSERT INTO city_entities (service, service_path, entity_id, "
                         "entity_type, attrs_json, lat_e6, lon_e6, created_ms, modified_ms) "
                         "VALUES ('', '/', ?, 'AirQualityObserved', ?, ?, ?, ?, ?) RETURNING id",
                         -1, &s, NULL) != SQLITE_OK) {
    fail(db, "insert entity");
    return 1;
  }
  unsigned seed = 1;
  char id[32], json[4096];
  double values[kMaxAttrs];
  const long long now = now_ms_utc();
  for (long n = 0; n < g_entities; ++n) {
    for (long a = 0; a < g_total; ++a) values[a] = value_of((int)a, &seed);
    long long lat, lon;
    place_of(n, &lat, &lon);
    snprintf(id, sizeof id, "raw-%06ld", n);
    const size_t len = attrs_json(json, sizeof json, values, n);
    sqlite3_bind_text(s, 1, id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 2, json, (int)len, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 3, lat);
    sqlite3_bind_int64(s, 4, lon);
    sqlite3_bind_int64(s, 5, now);
    sqlite3_bind_int64(s, 6, now);
    if (sqlite3_step(s) != SQLITE_ROW) {
      fail(db, "insert entity");
      return 1;
    }
    const long long key = sqlite3_column_int64(s, 0);
    if (n == 0) *first_key = key;
    if (key != *first_key + n) {
      fprintf(stderr, "city_insert: entity ids are not consecutive\n");
      return 1;
    }
    sqlite3_reset(s);
  }
  sqlite3_finalize(s);
  if (sqlite3_exec(db, "COMMIT", NULL, NULL, &msg) != SQLITE_OK) {
    fprintf(stderr, "city_insert: commit: %s\n", msg ? msg : "?");
    return 1;
  }
  sqlite3_close_v2(db);
  return 0;
}

static int by_value(const void* a, const void* b) {
  const double x = *(const double*)a, y = *(const double*)b;
  return (x > y) - (x < y);
}

int main(int argc, char** argv) {
  if (argc != 8) {
    fprintf(stderr, "usage: %s DB_PATH THREADS SECONDS ENTITIES PER_TX CHANGED TOTAL\n", argv[0]);
    return 2;
  }
  g_path = argv[1];
  const long threads = strtol(argv[2], NULL, 10);
  const double seconds = strtod(argv[3], NULL);
  g_entities = strtol(argv[4], NULL, 10);
  g_per_tx = strtol(argv[5], NULL, 10);
  g_changed = strtol(argv[6], NULL, 10);
  g_total = strtol(argv[7], NULL, 10);
  if (threads < 1 || threads > 1024 || !(seconds > 0) || g_entities < 1 || g_per_tx < 1 ||
      g_per_tx > g_entities || g_total < 1 || g_total > kMaxAttrs || g_changed < 1 ||
      g_changed > g_total) {
    fprintf(stderr,
            "city_insert: THREADS 1-1024, SECONDS > 0, PER_TX 1-ENTITIES, TOTAL 1-%d, "
            "CHANGED 1-TOTAL\n",
            kMaxAttrs);
    return 2;
  }
  static long long first_key = 0;
  if (prepare_db(&first_key) != 0) return 1;
  g_first_key = &first_key;

  struct Thread* ts = calloc((size_t)threads, sizeof *ts);
  pthread_t* ids = calloc((size_t)threads, sizeof *ids);
  if (!ts || !ids) return 1;
  struct rusage before;
  getrusage(RUSAGE_SELF, &before);
  const double start = now_s();
  g_deadline = start + seconds;
  for (long i = 0; i < threads; ++i) {
    ts[i].index = i;
    if (pthread_create(&ids[i], NULL, worker, &ts[i]) != 0) {
      fprintf(stderr, "city_insert: pthread_create failed\n");
      return 1;
    }
  }
  for (long i = 0; i < threads; ++i) pthread_join(ids[i], NULL);
  const double wall = now_s() - start;
  if (g_failed) return 1;

  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  const double cpu =
      (double)(ru.ru_utime.tv_sec - before.ru_utime.tv_sec) +
      (double)(ru.ru_utime.tv_usec - before.ru_utime.tv_usec) / 1e6 +
      (double)(ru.ru_stime.tv_sec - before.ru_stime.tv_sec) +
      (double)(ru.ru_stime.tv_usec - before.ru_stime.tv_usec) / 1e6;
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
  const long entity_updates = total * g_per_tx;
  const long attr_updates = entity_updates * g_changed;
  printf("threads=%ld tx=%ld entity_updates=%ld attr_updates=%ld wall_s=%.3f "
         "attr_updates_per_s=%.2f tx_per_s=%.2f cpu_s=%.2f busy=%ld mean_ms=%.2f p50_ms=%.2f "
         "p99_ms=%.2f max_ms=%.2f\n",
         threads, total, entity_updates, attr_updates, wall, (double)attr_updates / wall,
         (double)total / wall, cpu, busy, total ? sum / (double)total : 0.0,
         total ? all[p50 < 0 ? 0 : p50] : 0.0, total ? all[p99 < 0 ? 0 : p99] : 0.0,
         total ? all[total - 1] : 0.0);
  return 0;
}
