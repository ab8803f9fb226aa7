// sse_fanout: how late Balai's live stream (GET /api/v1/city/stream, Server-Sent Events)
// delivers a change to thousands of clients while changes are written at a steady rate.
//
//   BENCH_TOKEN=<integrator token> sse_fanout -p PORT [options]
//
//   -p PORT      Balai's port on 127.0.0.1 (required)
//   -c CLIENTS   stream clients (5000)
//   -s PATH      the stream's path and query (/api/v1/city/stream)
//   -r RATE      entity updates per second the writer makes (1000)
//   -b BATCH     entity updates per request (10): POST /v2/op/update, actionType update
//   -w WRITERS   writer connections, one thread each (16)
//   -d SECONDS   how long the writer writes (10)
//   -D SECONDS   how long the clients keep reading after the last write was answered (3)
//   -e ENTITIES  entities the writer rotates over (100), ids PREFIX plus six digits
//   -x PREFIX    (bench-sse-)
//   -t TYPE      their entity type (AirQualityObserved)
//   -C N         connections being set up at once (256)
//   -S SECONDS   longest wait for every client to be streaming (120)
//
// 1. Opens CLIENTS connections (epoll, non-blocking), sends the stream request on each, and
//    waits until every one has its 200 head: anonymous clients, like the public dashboard.
// 2. Then WRITERS threads write RATE entity updates a second for SECONDS, paced: request k is
//    due at start + k * BATCH / RATE; a free writer takes the next due request, so a slow answer
//    delays the ones after it only when all writers are busy (counted as "late"). Each entity of
//    a request gets two attributes: pm25 (a new value) and sentAt, the wall-clock time (ms since
//    the epoch, with microseconds, a Number) just before the request is sent. The entities must
//    exist with both attributes (bench/city creates them).
// 3. Every client parses its stream ("data:" lines, the change's JSON) and, for each change
//    carrying a sentAt from this run, counts receive time (wall clock when read() returned)
//    minus sentAt. The delays of all (client, change) pairs go into one histogram (0.1 ms
//    steps up to 60 s).
// Requests still unsent at twice SECONDS are skipped (counted), so a server that cannot keep up
// does not stretch the run without end. The tool stops reading DRAIN seconds after the last
// write was answered; "missed" is the pairs
// expected (updates answered 204 x clients streaming when the writer started) minus those
// received. Ingestion-to-client delay thus includes the HTTP request, Balai's commit (fsync),
// its live feed's wake-up interval, the fan-out and the kernel.
// Prints one line of key=value pairs (see the end of main).
// Built by bench/city with `cc -O2 ... -lpthread`. Needs an fd limit above CLIENTS + WRITERS.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { kCarry = 8192, kReadBuffer = 1 << 18, kBuckets = 600001 };  // 0.1 ms steps to 60 s

enum State { kIdle, kConnecting, kHead, kStreaming, kClosed };

struct Client {
  int fd;
  enum State state;
  size_t carry_len;
  char* carry;  // an incomplete line from the last read
  long events;  // changes of this run received
};

// Options.
static int g_port = 0, g_clients = 5000, g_batch = 10, g_writers = 16, g_entities = 100;
static int g_setup_parallel = 256;
static double g_rate = 1000, g_seconds = 10, g_drain = 3, g_setup_timeout = 120;
static const char* g_path = "/api/v1/city/stream";
static const char* g_prefix = "bench-sse-";
static const char* g_type = "AirQualityObserved";
static const char* g_token;

// Shared between the writer threads and main.
static double g_start_mono;      // the writer's start (CLOCK_MONOTONIC seconds)
static double g_start_wall_ms;   // the same on the wall clock: changes older are not counted
static long g_next_request = 0;  // the next request index a writer takes
static long g_requests_total;    // requests the run makes
static long g_updates_ok = 0, g_requests_failed = 0, g_late = 0, g_skipped = 0, g_writers_done = 0;
static double g_last_answer = 0;  // CLOCK_MONOTONIC of the last answer (guarded by g_write_mutex)
static uint64_t g_write_hist[kBuckets];  // request -> answer times
static pthread_mutex_t g_write_mutex = PTHREAD_MUTEX_INITIALIZER;  // guards g_write_hist
static char g_first_error[512];

// The readers' results (main thread only).
static uint64_t g_hist[kBuckets];
static long g_pairs = 0, g_resets = 0, g_other = 0, g_too_long = 0, g_closed = 0;
static long g_connect_failed = 0, g_bad_status = 0;
static double g_max_delay = 0, g_sum_delay = 0;

static double mono_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double wall_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void die(const char* what) {
  fprintf(stderr, "sse_fanout: %s: %s\n", what, strerror(errno));
  exit(1);
}

static size_t bucket_of(double ms) {
  if (!(ms > 0)) return 0;
  const double b = ms * 10.0;
  return b >= kBuckets - 1 ? kBuckets - 1 : (size_t)b;
}

// Nearest-rank percentile of a histogram, in ms (the bucket's upper edge).
static double percentile(const uint64_t* hist, uint64_t total, double p) {
  if (total == 0) return 0;
  uint64_t rank = (uint64_t)ceil(p / 100.0 * (double)total);
  if (rank < 1) rank = 1;
  uint64_t seen = 0;
  for (size_t i = 0; i < kBuckets; ++i) {
    seen += hist[i];
    if (seen >= rank) return (double)(i + 1) / 10.0;
  }
  return (double)kBuckets / 10.0;
}

static struct sockaddr_in server_address(void) {
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons((uint16_t)g_port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

// --- The writer ---

static int connect_blocking(void) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) die("socket");
  struct sockaddr_in a = server_address();
  if (connect(fd, (struct sockaddr*)&a, sizeof a) != 0) die("writer connect");
  const int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

static int write_all(int fd, const char* p, size_t n) {
  while (n > 0) {
    const ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return -1;
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

// Reads one HTTP response (head and Content-Length body) on a keep-alive connection; returns
// its status, or -1 when the connection failed. `body` gets the body's start (for errors).
static int read_response(int fd, char* buf, size_t cap, char* body, size_t body_cap) {
  size_t len = 0;
  char* end = NULL;
  while (!end) {
    if (len == cap - 1) return -1;
    const ssize_t r = read(fd, buf + len, cap - 1 - len);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return -1;
    len += (size_t)r;
    buf[len] = 0;
    end = strstr(buf, "\r\n\r\n");
  }
  int status = 0;
  if (sscanf(buf, "HTTP/1.%*d %d", &status) != 1) return -1;
  long length = 0;
  for (char* line = strstr(buf, "\r\n"); line && line < end; line = strstr(line + 2, "\r\n")) {
    if (strncasecmp(line + 2, "Content-Length:", 15) == 0) length = strtol(line + 17, NULL, 10);
  }
  size_t have = len - (size_t)(end + 4 - buf);
  size_t copied = 0;
  const char* start = end + 4;
  while (1) {
    const size_t take = have < body_cap - 1 - copied ? have : body_cap - 1 - copied;
    memcpy(body + copied, start, take);
    copied += take;
    if ((long)have >= length) break;
    length -= (long)have;
    const ssize_t r = read(fd, buf, cap - 1);
    if (r < 0 && errno == EINTR) {
      have = 0;
      continue;
    }
    if (r <= 0) return -1;
    have = (size_t)r;
    start = buf;
  }
  body[copied] = 0;
  return status;
}

static void* writer(void* arg) {
  (void)arg;
  int fd = connect_blocking();
  char* request = malloc(64 + (size_t)g_batch * 256 + 1024);
  char* body = malloc((size_t)g_batch * 256 + 64);
  char response[8192], error_body[512];
  unsigned seed = (unsigned)(uintptr_t)&fd;
  const double interval = (double)g_batch / g_rate;
  while (1) {
    const long k = __atomic_fetch_add(&g_next_request, 1, __ATOMIC_RELAXED);
    if (k >= g_requests_total) break;
    const double due = g_start_mono + (double)k * interval;
    double now = mono_s();
    // A server that cannot keep up does not stretch the run without end: what is still unsent
    // at twice the planned duration is skipped (and counted).
    if (now > g_start_mono + 2 * g_seconds) {
      __atomic_fetch_add(&g_skipped, 1, __ATOMIC_RELAXED);
      continue;
    }
    if (now < due) {
      struct timespec ts;
      ts.tv_sec = (time_t)due;
      ts.tv_nsec = (long)((due - (double)ts.tv_sec) * 1e9);
      while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR) {
      }
    } else if (now - due > interval) {
      __atomic_fetch_add(&g_late, 1, __ATOMIC_RELAXED);
    }
    const double sent_at = wall_ms();
    size_t len = (size_t)sprintf(body, "{\"actionType\":\"update\",\"entities\":[");
    for (int i = 0; i < g_batch; ++i) {
      const long n = (k * g_batch + i) % g_entities;
      len += (size_t)sprintf(body + len,
                             "%s{\"id\":\"%s%06ld\",\"type\":\"%s\","
                             "\"pm25\":{\"type\":\"Number\",\"value\":%.2f},"
                             "\"sentAt\":{\"type\":\"Number\",\"value\":%.3f}}",
                             i ? "," : "", g_prefix, n, g_type,
                             (double)(rand_r(&seed) % 15000) / 100.0, sent_at);
    }
    len += (size_t)sprintf(body + len, "]}");
    const size_t head = (size_t)sprintf(request,
                                        "POST /v2/op/update HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                                        "Authorization: Bearer %s\r\n"
                                        "Content-Type: application/json\r\n"
                                        "Content-Length: %zu\r\n\r\n",
                                        g_port, g_token, len);
    memcpy(request + head, body, len);
    const double t0 = mono_s();
    int status = -1;
    if (write_all(fd, request, head + len) == 0)
      status = read_response(fd, response, sizeof response, error_body, sizeof error_body);
    const double took_ms = (mono_s() - t0) * 1000.0;
    if (status == 204) {
      __atomic_fetch_add(&g_updates_ok, g_batch, __ATOMIC_RELAXED);
    } else {
      __atomic_fetch_add(&g_requests_failed, 1, __ATOMIC_RELAXED);
      pthread_mutex_lock(&g_write_mutex);
      if (!g_first_error[0])
        snprintf(g_first_error, sizeof g_first_error, "status %d: %.300s", status,
                 status > 0 ? error_body : "connection failed");
      pthread_mutex_unlock(&g_write_mutex);
      if (status < 0) {
        close(fd);
        fd = connect_blocking();
      }
    }
    pthread_mutex_lock(&g_write_mutex);
    ++g_write_hist[bucket_of(took_ms)];
    if (t0 + took_ms / 1000.0 > g_last_answer) g_last_answer = t0 + took_ms / 1000.0;
    pthread_mutex_unlock(&g_write_mutex);
  }
  close(fd);
  free(request);
  free(body);
  __atomic_fetch_add(&g_writers_done, 1, __ATOMIC_RELEASE);
  return NULL;
}

// --- The stream clients ---

static void close_client(int ep, struct Client* c) {
  epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
  close(c->fd);
  c->fd = -1;
  c->state = kClosed;
}

static void start_client(int ep, struct Client* c, long index) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) die("socket (raise the fd limit)");
  struct sockaddr_in a = server_address();
  c->fd = fd;
  c->state = kConnecting;
  if (connect(fd, (struct sockaddr*)&a, sizeof a) != 0 && errno != EINPROGRESS) {
    ++g_connect_failed;
    close(fd);
    c->fd = -1;
    c->state = kClosed;
    return;
  }
  struct epoll_event ev = {.events = EPOLLOUT, .data.u64 = (uint64_t)index};
  if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) != 0) die("epoll_ctl");
}

// One complete line of a client's input (without its line break).
static void on_line(struct Client* c, const char* line, size_t len, double now_ms) {
  if (c->state == kHead) {
    if (len == 0 || (len == 1 && line[0] == '\r')) {
      c->state = kStreaming;
      return;
    }
    if (len > 5 && memcmp(line, "HTTP/", 5) == 0) {
      const char* sp = memchr(line, ' ', len);
      if (!sp || strncmp(sp + 1, "200", 3) != 0) ++g_bad_status;
    }
    return;
  }
  if (len >= 5 && memcmp(line, "data:", 5) == 0) {
    static const char kKey[] = "\"sentAt\":";
    const char* at = memmem(line, len, kKey, sizeof kKey - 1);
    if (!at) {
      ++g_other;
      return;
    }
    const double sent = strtod(at + sizeof kKey - 1, NULL);
    if (sent < g_start_wall_ms) return;  // a change from before this run
    double delay = now_ms - sent;
    if (delay < 0) delay = 0;
    ++g_hist[bucket_of(delay)];
    ++g_pairs;
    ++c->events;
    g_sum_delay += delay;
    if (delay > g_max_delay) g_max_delay = delay;
  } else if (len >= 12 && memcmp(line, "event: reset", 12) == 0) {
    ++g_resets;
  }
}

static void on_readable(int ep, struct Client* c, char* buf) {
  memcpy(buf, c->carry, c->carry_len);
  const ssize_t r = read(c->fd, buf + c->carry_len, kReadBuffer - c->carry_len);
  if (r < 0 && (errno == EAGAIN || errno == EINTR)) return;
  if (r <= 0) {
    ++g_closed;
    close_client(ep, c);
    return;
  }
  const double now = wall_ms();
  const size_t len = c->carry_len + (size_t)r;
  size_t start = 0;
  while (start < len) {
    const char* nl = memchr(buf + start, '\n', len - start);
    if (!nl) break;
    const size_t end = (size_t)(nl - buf);
    on_line(c, buf + start, end - start, now);
    start = end + 1;
  }
  c->carry_len = len - start;
  if (c->carry_len > kCarry) {
    ++g_too_long;  // a line longer than the carry buffer: dropped
    c->carry_len = 0;
  }
  memcpy(c->carry, buf + start, c->carry_len);
}

static void on_writable(int ep, struct Client* c, long index) {
  int err = 0;
  socklen_t len = sizeof err;
  getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
  if (err != 0) {
    ++g_connect_failed;
    close_client(ep, c);
    return;
  }
  char request[1024];
  const int n = snprintf(request, sizeof request,
                         "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nAccept: text/event-stream\r\n"
                         "Cache-Control: no-cache\r\n\r\n",
                         g_path, g_port);
  if (write(c->fd, request, (size_t)n) != n) {
    ++g_connect_failed;
    close_client(ep, c);
    return;
  }
  c->state = kHead;
  struct epoll_event ev = {.events = EPOLLIN, .data.u64 = (uint64_t)index};
  epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
}

static double thread_cpu_s(void) {
  struct rusage ru;
  getrusage(RUSAGE_THREAD, &ru);
  return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
         (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static double process_cpu_s(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
         (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

int main(int argc, char** argv) {
  int opt;
  while ((opt = getopt(argc, argv, "p:c:s:r:b:w:d:D:e:x:t:C:S:")) != -1) {
    switch (opt) {
      case 'p': g_port = atoi(optarg); break;
      case 'c': g_clients = atoi(optarg); break;
      case 's': g_path = optarg; break;
      case 'r': g_rate = atof(optarg); break;
      case 'b': g_batch = atoi(optarg); break;
      case 'w': g_writers = atoi(optarg); break;
      case 'd': g_seconds = atof(optarg); break;
      case 'D': g_drain = atof(optarg); break;
      case 'e': g_entities = atoi(optarg); break;
      case 'x': g_prefix = optarg; break;
      case 't': g_type = optarg; break;
      case 'C': g_setup_parallel = atoi(optarg); break;
      case 'S': g_setup_timeout = atof(optarg); break;
      default:
        fprintf(stderr, "usage: BENCH_TOKEN=... %s -p PORT [-c clients] [-s path] [-r rate] "
                        "[-b batch] [-w writers] [-d seconds] [-D drain] [-e entities] "
                        "[-x prefix] [-t type] [-C parallel] [-S setup_timeout]\n", argv[0]);
        return 2;
    }
  }
  g_token = getenv("BENCH_TOKEN");
  if (!g_token || !*g_token) {
    fprintf(stderr, "sse_fanout: BENCH_TOKEN is not set\n");
    return 2;
  }
  if (g_port <= 0 || g_clients < 0 || g_batch < 1 || g_batch > 1000 || g_writers < 1 ||
      !(g_rate > 0) || !(g_seconds > 0) || g_entities < 1 || g_setup_parallel < 1) {
    fprintf(stderr, "sse_fanout: bad options\n");
    return 2;
  }
  g_requests_total = (long)ceil(g_seconds * g_rate / g_batch);

  // 1. The stream clients.
  const int ep = epoll_create1(EPOLL_CLOEXEC);
  if (ep < 0) die("epoll_create1");
  struct Client* clients = calloc((size_t)g_clients, sizeof *clients);
  char* carry = malloc((size_t)g_clients * kCarry + 1);
  char* buf = malloc(kReadBuffer + 1);
  if (!clients || !carry || !buf) die("malloc");
  for (int i = 0; i < g_clients; ++i) {
    clients[i].fd = -1;
    clients[i].carry = carry + (size_t)i * kCarry;
  }
  struct epoll_event events[1024];
  const double setup_start = mono_s();
  int started = 0, setting_up = 0, streaming = 0;
  while (streaming + g_connect_failed + g_closed < g_clients) {
    while (started < g_clients && setting_up < g_setup_parallel) {
      start_client(ep, &clients[started], started);
      ++started;
      ++setting_up;
    }
    if (mono_s() - setup_start > g_setup_timeout) break;
    const int n = epoll_wait(ep, events, 1024, 100);
    for (int i = 0; i < n; ++i) {
      const long index = (long)events[i].data.u64;
      struct Client* c = &clients[index];
      if (c->state == kConnecting)
        on_writable(ep, c, index);
      else if (c->state == kHead || c->state == kStreaming)
        on_readable(ep, c, buf);
    }
    // Recounted from the states (a few thousand clients: cheap next to the I/O).
    streaming = 0;
    for (int i = 0; i < started; ++i) streaming += clients[i].state == kStreaming;
    setting_up = 0;
    for (int i = 0; i < started; ++i)
      setting_up += clients[i].state == kConnecting || clients[i].state == kHead;
  }
  const double setup_s = mono_s() - setup_start;
  const int streaming_at_start = streaming;

  // 2. The writer.
  g_start_wall_ms = wall_ms();
  g_start_mono = mono_s() + 0.05;
  pthread_t* writers = calloc((size_t)g_writers, sizeof *writers);
  for (int i = 0; i < g_writers; ++i)
    if (pthread_create(&writers[i], NULL, writer, NULL) != 0) die("pthread_create");

  // 3. Read until the writers are done and DRAIN seconds have passed.
  const double reader_cpu_before = thread_cpu_s();
  double drain_until = 0;
  while (1) {
    const double now = mono_s();
    if (drain_until == 0 &&
        __atomic_load_n(&g_writers_done, __ATOMIC_ACQUIRE) == g_writers)
      drain_until = now + g_drain;
    if (drain_until > 0 && now >= drain_until) break;
    const int n = epoll_wait(ep, events, 1024, 10);
    for (int i = 0; i < n; ++i) {
      const long index = (long)events[i].data.u64;
      struct Client* c = &clients[index];
      if (c->state == kHead || c->state == kStreaming) on_readable(ep, c, buf);
    }
  }
  const double run_s = mono_s() - g_start_mono;
  const double reader_cpu = thread_cpu_s() - reader_cpu_before;
  for (int i = 0; i < g_writers; ++i) pthread_join(writers[i], NULL);
  const double write_s = g_last_answer - g_start_mono;  // first due time to last answer
  int open_at_end = 0;
  for (int i = 0; i < g_clients; ++i) open_at_end += clients[i].state == kStreaming;

  const long expected = g_updates_ok * (long)streaming_at_start;
  uint64_t writes = 0;
  for (size_t i = 0; i < kBuckets; ++i) writes += g_write_hist[i];
  long clients_complete = 0;
  for (int i = 0; i < g_clients; ++i) clients_complete += clients[i].events == g_updates_ok;
  printf("clients=%d streaming=%d connect_failed=%ld bad_status=%ld setup_s=%.2f "
         "closed_during_run=%ld open_at_end=%d rate=%.0f batch=%d writers=%d seconds=%.1f "
         "requests=%lu requests_failed=%ld late=%ld skipped=%ld updates_ok=%ld write_s=%.2f updates_per_s=%.1f "
         "write_p50_ms=%.1f write_p99_ms=%.1f pairs=%ld expected=%ld missed=%ld "
         "clients_complete=%ld resets=%ld other_events=%ld lines_too_long=%ld "
         "p50_ms=%.1f p90_ms=%.1f p99_ms=%.1f max_ms=%.1f mean_ms=%.1f "
         "reader_cpu_s=%.2f process_cpu_s=%.2f run_s=%.2f\n",
         g_clients, streaming_at_start, g_connect_failed, g_bad_status, setup_s, g_closed,
         open_at_end, g_rate, g_batch, g_writers, g_seconds, (unsigned long)writes,
         g_requests_failed, g_late, g_skipped, g_updates_ok, write_s,
         write_s > 0 ? (double)g_updates_ok / write_s : 0.0,
         percentile(g_write_hist, writes, 50), percentile(g_write_hist, writes, 99), g_pairs,
         expected, expected - g_pairs, clients_complete, g_resets, g_other, g_too_long,
         percentile(g_hist, (uint64_t)g_pairs, 50), percentile(g_hist, (uint64_t)g_pairs, 90),
         percentile(g_hist, (uint64_t)g_pairs, 99), g_max_delay,
         g_pairs ? g_sum_delay / (double)g_pairs : 0.0, reader_cpu, process_cpu_s(), run_s);
  if (g_first_error[0]) printf("first write error: %s\n", g_first_error);
  return 0;
}
