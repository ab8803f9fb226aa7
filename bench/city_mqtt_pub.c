// city_mqtt_pub: many sensor devices publishing readings to Balai through its MQTT broker, and
// how fast Balai stores them.
//
//   city_mqtt_pub -p BROKER_PORT -f DEVICES_FILE -B BALAI_DB [options]
//
//   -p PORT      the broker's port on 127.0.0.1 (required)
//   -f FILE      the devices, one "<device id> <token>" a line (`balai device add` prints both;
//                the device id is the MQTT user, the token its password) (required)
//   -B PATH      Balai's SQLite database, read (never written) to count what it stored (required)
//   -d SECONDS   how long the devices publish (8)
//   -q QOS       0 or 1 (1)
//   -a ATTRS     readings per message, 1..7 (7): {"pm25": v, "pm10": v, ...}, AirQualityObserved's
//                attributes in Balai's catalogue (src/modules/city/rules.cpp), values in range
//   -r RATE      messages per second over all devices; 0: as fast as the broker takes them (0)
//   -W WINDOW    messages a device may have unacknowledged (QoS 1) or unsent (QoS 0) (20)
//   -S SECONDS   the count is final when it has not grown for this long after publishing (5)
//   -T SECONDS   longest wait for the count after publishing (300)
//
// Each device has its own connection (client id and user = device id, clean session) and
// publishes to its own topic, balai/v1/devices/<device id>/readings, in turn with the others,
// keeping at most WINDOW messages in flight. One thread runs every connection (libmosquitto's
// external-loop API: poll, loop_read, loop_write, loop_misc). A second thread counts Balai's
// stored readings every 50 ms: Balai stores one history row per accepted reading in
// city_history_incoming, and its roll-up packs them into city_history_chunks (one row per
// series and hour, with its count of points) in the same transaction as it deletes them (new
// ids there, above the highest before the run); so the readings stored are the points of the
// chunks above that id plus the incoming rows, minus those incoming before the run. Nothing
// else writes either table during the run.
// Ingestion is asynchronous (the broker, Balai's queue, batched transactions), so the rate is
// the readings stored divided by the time from the first publish to the moment the count last
// grew; "lost" are readings published (QoS 0: written to the socket; QoS 1: acknowledged by the
// broker) but never stored: dropped by the broker, by Balai's full queue, or refused.
// Prints one line of key=value pairs (see the end of main).
// Built by bench/city with `cc -O2 ... -lmosquitto -lsqlite3 -lpthread`.
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <mosquitto.h>
#include <poll.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

enum { kMaxAttrs = 7 };

static const char* const kAttrs[kMaxAttrs] = {"pm25", "pm10", "so2", "co", "o3", "no2", "ispu"};
static const double kMax[kMaxAttrs] = {150, 250, 80, 4000, 200, 100, 180};

struct Device {
  struct mosquitto* m;
  char id[64];
  char token[256];
  char topic[128];
  int connected;     // 1: CONNACK accepted; -1: refused or lost
  int in_flight;     // published, not yet acknowledged (QoS 1) or written (QoS 0)
  long published;    // messages handed to libmosquitto
  long acknowledged; // on_publish callbacks
};

static int g_port = 0, g_qos = 1, g_attrs = 7, g_window = 20;
static double g_seconds = 8, g_rate = 0, g_settle = 5, g_timeout = 300;
static const char* g_devices_path;
static const char* g_db_path;

// The counter thread's state; guarded by g_mutex.
static pthread_mutex_t g_mutex = PTHREAD_MUTEX_INITIALIZER;
static long long g_base_id = 0;
static long long g_base_incoming = 0;  // rows waiting in city_history_incoming before the run
static long long g_stored = 0;
static double g_last_growth = 0;  // CLOCK_MONOTONIC of the last count that grew
static int g_stop_counting = 0;

static double mono_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void on_connect(struct mosquitto* m, void* obj, int rc) {
  (void)m;
  struct Device* d = obj;
  d->connected = rc == 0 ? 1 : -1;
  if (rc != 0) fprintf(stderr, "city_mqtt_pub: %s refused: %s\n", d->id, mosquitto_connack_string(rc));
}

static void on_disconnect(struct mosquitto* m, void* obj, int rc) {
  (void)m;
  struct Device* d = obj;
  if (rc != 0 && d->connected == 1) {
    fprintf(stderr, "city_mqtt_pub: %s lost its connection (%d)\n", d->id, rc);
    d->connected = -1;
  }
}

static void on_publish(struct mosquitto* m, void* obj, int mid) {
  (void)m;
  (void)mid;
  struct Device* d = obj;
  --d->in_flight;
  ++d->acknowledged;
}

static sqlite3* open_db(void) {
  sqlite3* db = NULL;
  if (sqlite3_open_v2(g_db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
    fprintf(stderr, "city_mqtt_pub: cannot open %s: %s\n", g_db_path, sqlite3_errmsg(db));
    exit(1);
  }
  sqlite3_busy_timeout(db, 5000);
  return db;
}

static long long query_int(sqlite3* db, sqlite3_stmt* s) {
  long long v = -1;
  if (sqlite3_step(s) == SQLITE_ROW) v = sqlite3_column_int64(s, 0);
  sqlite3_reset(s);
  (void)db;
  return v;
}

static void* counter(void* arg) {
  (void)arg;
  sqlite3* db = open_db();
  sqlite3_stmt* s = NULL;
  if (sqlite3_prepare_v2(db,
                         "SELECT (SELECT coalesce(sum(points), 0) FROM city_history_chunks WHERE id > ?) + "
                         "(SELECT count(*) FROM city_history_incoming) - ?",
                         -1, &s, NULL) != SQLITE_OK) {
    fprintf(stderr, "city_mqtt_pub: %s\n", sqlite3_errmsg(db));
    exit(1);
  }
  sqlite3_bind_int64(s, 1, g_base_id);
  sqlite3_bind_int64(s, 2, g_base_incoming);
  for (;;) {
    const long long n = query_int(db, s);
    const double now = mono_s();
    pthread_mutex_lock(&g_mutex);
    if (n > g_stored) {
      g_stored = n;
      g_last_growth = now;
    }
    const int stop = g_stop_counting;
    pthread_mutex_unlock(&g_mutex);
    if (stop) break;
    usleep(50 * 1000);
  }
  sqlite3_finalize(s);
  sqlite3_close_v2(db);
  return NULL;
}

static int read_devices(struct Device** out) {
  FILE* f = fopen(g_devices_path, "r");
  if (!f) {
    fprintf(stderr, "city_mqtt_pub: cannot read %s\n", g_devices_path);
    exit(1);
  }
  int n = 0, cap = 0;
  struct Device* ds = NULL;
  char id[64], token[256];
  while (fscanf(f, "%63s %255s", id, token) == 2) {
    if (n == cap) {
      cap = cap ? 2 * cap : 256;
      ds = realloc(ds, (size_t)cap * sizeof *ds);
    }
    memset(&ds[n], 0, sizeof ds[n]);
    snprintf(ds[n].id, sizeof ds[n].id, "%s", id);
    snprintf(ds[n].token, sizeof ds[n].token, "%s", token);
    snprintf(ds[n].topic, sizeof ds[n].topic, "balai/v1/devices/%s/readings", id);
    ++n;
  }
  fclose(f);
  *out = ds;
  return n;
}

// One pass of the external loop over every connection: poll, then read, write, housekeeping.
static void pump(struct Device* ds, int n, struct pollfd* fds, int timeout_ms) {
  for (int i = 0; i < n; ++i) {
    fds[i].fd = ds[i].m ? mosquitto_socket(ds[i].m) : -1;
    fds[i].events = POLLIN | (ds[i].m && mosquitto_want_write(ds[i].m) ? POLLOUT : 0);
    fds[i].revents = 0;
  }
  poll(fds, (nfds_t)n, timeout_ms);
  for (int i = 0; i < n; ++i) {
    if (!ds[i].m || fds[i].fd < 0) continue;
    if (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) mosquitto_loop_read(ds[i].m, 16);
    if (mosquitto_want_write(ds[i].m)) mosquitto_loop_write(ds[i].m, 16);
    mosquitto_loop_misc(ds[i].m);
  }
}

int main(int argc, char** argv) {
  int opt;
  while ((opt = getopt(argc, argv, "p:f:B:d:q:a:r:W:S:T:")) != -1) {
    switch (opt) {
      case 'p': g_port = atoi(optarg); break;
      case 'f': g_devices_path = optarg; break;
      case 'B': g_db_path = optarg; break;
      case 'd': g_seconds = atof(optarg); break;
      case 'q': g_qos = atoi(optarg); break;
      case 'a': g_attrs = atoi(optarg); break;
      case 'r': g_rate = atof(optarg); break;
      case 'W': g_window = atoi(optarg); break;
      case 'S': g_settle = atof(optarg); break;
      case 'T': g_timeout = atof(optarg); break;
      default:
        fprintf(stderr, "usage: %s -p PORT -f DEVICES_FILE -B BALAI_DB [-d seconds] [-q qos] "
                        "[-a attrs] [-r rate] [-W window] [-S settle] [-T timeout]\n", argv[0]);
        return 2;
    }
  }
  if (g_port <= 0 || !g_devices_path || !g_db_path || (g_qos != 0 && g_qos != 1) ||
      g_attrs < 1 || g_attrs > kMaxAttrs || g_window < 1 || !(g_seconds > 0) || g_rate < 0) {
    fprintf(stderr, "city_mqtt_pub: bad options (see the comment at the top of the source)\n");
    return 2;
  }
  struct Device* ds = NULL;
  const int n = read_devices(&ds);
  if (n == 0) {
    fprintf(stderr, "city_mqtt_pub: no devices in %s\n", g_devices_path);
    return 1;
  }
  struct pollfd* fds = calloc((size_t)n, sizeof *fds);

  // Where Balai's history stands before the run.
  {
    sqlite3* db = open_db();
    sqlite3_stmt* s = NULL;
    if (sqlite3_prepare_v2(db, "SELECT coalesce(max(id), 0) FROM city_history_chunks", -1, &s, NULL) !=
        SQLITE_OK) {
      fprintf(stderr, "city_mqtt_pub: %s\n", sqlite3_errmsg(db));
      return 1;
    }
    g_base_id = query_int(db, s);
    sqlite3_finalize(s);
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM city_history_incoming", -1, &s, NULL) !=
        SQLITE_OK) {
      fprintf(stderr, "city_mqtt_pub: %s\n", sqlite3_errmsg(db));
      return 1;
    }
    g_base_incoming = query_int(db, s);
    sqlite3_finalize(s);
    sqlite3_close_v2(db);
  }

  // Connect every device and wait for its CONNACK.
  mosquitto_lib_init();
  const double connect_start = mono_s();
  for (int i = 0; i < n; ++i) {
    struct Device* d = &ds[i];
    d->m = mosquitto_new(d->id, true, d);
    if (!d->m) {
      fprintf(stderr, "city_mqtt_pub: mosquitto_new failed\n");
      return 1;
    }
    mosquitto_int_option(d->m, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
    mosquitto_max_inflight_messages_set(d->m, (unsigned)g_window);
    mosquitto_username_pw_set(d->m, d->id, d->token);
    mosquitto_connect_callback_set(d->m, on_connect);
    mosquitto_disconnect_callback_set(d->m, on_disconnect);
    mosquitto_publish_callback_set(d->m, on_publish);
    const int rc = mosquitto_connect(d->m, "127.0.0.1", g_port, 60);
    if (rc != MOSQ_ERR_SUCCESS) {
      fprintf(stderr, "city_mqtt_pub: connect %s: %s\n", d->id, mosquitto_strerror(rc));
      return 1;
    }
  }
  int connected = 0, refused = 0;
  while (mono_s() - connect_start < 60) {
    pump(ds, n, fds, 50);
    connected = refused = 0;
    for (int i = 0; i < n; ++i) {
      connected += ds[i].connected == 1;
      refused += ds[i].connected == -1;
    }
    if (connected + refused == n) break;
  }
  const double connect_s = mono_s() - connect_start;
  if (connected == 0) {
    fprintf(stderr, "city_mqtt_pub: no device could connect\n");
    return 1;
  }

  pthread_t counter_thread;
  pthread_create(&counter_thread, NULL, counter, NULL);

  // Publish for SECONDS, in turn, each device keeping at most WINDOW messages in flight.
  unsigned seed = 42;
  char payload[512];
  long published = 0, errors = 0;
  const double start = mono_s();
  const double end = start + g_seconds;
  int next = 0;
  struct rusage ru_before;
  getrusage(RUSAGE_SELF, &ru_before);
  while (mono_s() < end) {
    const double now = mono_s();
    long allowed = g_rate > 0 ? (long)((now - start) * g_rate) + 1 - published : 1L << 40;
    int idle_pass = 1;
    for (int tried = 0; tried < n && allowed > 0; ++tried) {
      struct Device* d = &ds[next];
      next = (next + 1) % n;
      if (d->connected != 1 || d->in_flight >= g_window) continue;
      size_t len = (size_t)snprintf(payload, sizeof payload, "{");
      for (int a = 0; a < g_attrs; ++a)
        len += (size_t)snprintf(payload + len, sizeof payload - len, "%s\"%s\":%.2f",
                                a ? "," : "", kAttrs[a],
                                (double)(rand_r(&seed) % 10000) / 10000.0 * kMax[a]);
      len += (size_t)snprintf(payload + len, sizeof payload - len, "}");
      const int rc = mosquitto_publish(d->m, NULL, d->topic, (int)len, payload, g_qos, false);
      if (rc != MOSQ_ERR_SUCCESS) {
        ++errors;
        continue;
      }
      ++d->in_flight;
      ++d->published;
      ++published;
      --allowed;
      idle_pass = 0;
    }
    pump(ds, n, fds, idle_pass ? 1 : 0);
  }
  const double publish_s = mono_s() - start;
  // Until every message is acknowledged (QoS 1) or written (QoS 0), at most 30 s more.
  const double flush_start = mono_s();
  long in_flight = 0;
  do {
    pump(ds, n, fds, 10);
    in_flight = 0;
    for (int i = 0; i < n; ++i)
      if (ds[i].connected == 1) in_flight += ds[i].in_flight;
  } while (in_flight > 0 && mono_s() - flush_start < 30);
  const double flushed_s = mono_s() - start;
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  const double cpu = (double)(ru.ru_utime.tv_sec - ru_before.ru_utime.tv_sec) +
                     (double)(ru.ru_utime.tv_usec - ru_before.ru_utime.tv_usec) / 1e6 +
                     (double)(ru.ru_stime.tv_sec - ru_before.ru_stime.tv_sec) +
                     (double)(ru.ru_stime.tv_usec - ru_before.ru_stime.tv_usec) / 1e6;
  long acknowledged = 0;
  for (int i = 0; i < n; ++i) acknowledged += ds[i].acknowledged;
  const long long expected = (long long)acknowledged * g_attrs;

  // Wait until Balai has stored them all, or the count stopped growing.
  long long stored = 0;
  double last_growth = 0;
  for (;;) {
    usleep(50 * 1000);
    pthread_mutex_lock(&g_mutex);
    stored = g_stored;
    last_growth = g_last_growth;
    pthread_mutex_unlock(&g_mutex);
    const double now = mono_s();
    if (stored >= expected) break;
    if (now - (last_growth > 0 ? last_growth : start + publish_s) > g_settle) break;
    if (now - start - publish_s > g_timeout) break;
  }
  pthread_mutex_lock(&g_mutex);
  g_stop_counting = 1;
  pthread_mutex_unlock(&g_mutex);
  pthread_join(counter_thread, NULL);
  pthread_mutex_lock(&g_mutex);
  stored = g_stored;
  last_growth = g_last_growth;
  pthread_mutex_unlock(&g_mutex);

  for (int i = 0; i < n; ++i) {
    mosquitto_disconnect(ds[i].m);
    mosquitto_loop_write(ds[i].m, 1);
    mosquitto_destroy(ds[i].m);
  }
  mosquitto_lib_cleanup();

  const double store_s = last_growth > 0 ? last_growth - start : 0;
  printf("devices=%d connected=%d refused=%d connect_s=%.2f qos=%d attrs=%d rate=%.0f window=%d "
         "publish_s=%.2f published=%ld publish_errors=%ld acknowledged=%ld flushed_s=%.2f "
         "messages_per_s=%.1f readings_published=%lld stored=%lld lost=%lld store_s=%.2f "
         "readings_per_s=%.1f publisher_cpu_s=%.2f\n",
         n, connected, refused, connect_s, g_qos, g_attrs, g_rate, g_window, publish_s, published,
         errors, acknowledged, flushed_s, publish_s > 0 ? (double)published / publish_s : 0.0,
         expected, stored, expected - stored, store_s,
         store_s > 0 ? (double)stored / store_s : 0.0, cpu);
  return 0;
}
