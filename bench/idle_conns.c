// idle_conns: opens N keep-alive connections to an HTTP server, sends one request on each,
// reads the whole response, then keeps every connection open and idle until SIGTERM/SIGINT.
//
//   idle_conns HOST PORT COUNT PATH [SETUP_TIMEOUT_S]
//
// Prints to stdout:
//   "ready open=N failed=F non200=B setup_ms=T"  once every connection answered (or the setup
//                                                timeout passed);
//   "status open=N closed_by_peer=C"             on SIGUSR1;
//   "final open=N closed_by_peer=C"              on SIGTERM/SIGINT, then exits 0.
// A connection the server closes while idle counts in closed_by_peer. Linux only (epoll).
// Built by bench/run with `cc -O2`.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { ST_FREE, ST_CONNECTING, ST_READING, ST_IDLE, ST_DONE };

typedef struct {
  int fd;
  int state;
  size_t sent;         // request bytes written
  size_t head_len;     // bytes of the header collected in head
  long body_left;      // body bytes still to read, once the header is complete (-1 before)
  char* head;          // header buffer while reading, freed once idle
} Conn;

enum { HEAD_CAP = 8192, MAX_IN_FLIGHT = 512 };

static volatile sig_atomic_t g_stop = 0, g_report = 0;
static void on_stop(int s) { (void)s; g_stop = 1; }
static void on_report(int s) { (void)s; g_report = 1; }

static long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static Conn* conns;
static int count, epfd;
static int n_open_idle = 0, n_failed = 0, n_non200 = 0, n_closed_by_peer = 0, in_flight = 0;
static char request[512];
static size_t request_len;
static struct sockaddr_in addr;

static void fail(Conn* c) {
  if (c->fd >= 0) close(c->fd);  // close() also removes it from the epoll set
  c->fd = -1;
  free(c->head);
  c->head = NULL;
  if (c->state == ST_IDLE) {
    --n_open_idle;
    ++n_closed_by_peer;
  } else {
    ++n_failed;
    --in_flight;
  }
  c->state = ST_DONE;
}

static int start_one(int i) {
  Conn* c = &conns[i];
  c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (c->fd < 0) {
    fprintf(stderr, "idle_conns: socket: %s\n", strerror(errno));
    c->state = ST_DONE;
    ++n_failed;
    return -1;
  }
  int one = 1;
  setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  c->state = ST_CONNECTING;
  c->sent = 0;
  c->head_len = 0;
  c->body_left = -1;
  c->head = NULL;
  ++in_flight;
  struct epoll_event ev = {.events = EPOLLOUT | EPOLLIN | EPOLLRDHUP, .data.u32 = (uint32_t)i};
  if (connect(c->fd, (struct sockaddr*)&addr, sizeof addr) < 0 && errno != EINPROGRESS) {
    fprintf(stderr, "idle_conns: connect: %s\n", strerror(errno));
    fail(c);
    return -1;
  }
  if (epoll_ctl(epfd, EPOLL_CTL_ADD, c->fd, &ev) < 0) {
    fprintf(stderr, "idle_conns: epoll_ctl: %s\n", strerror(errno));
    fail(c);
    return -1;
  }
  return 0;
}

// Header complete in c->head[0..c->head_len): find the status and Content-Length.
static int parse_head(Conn* c, size_t header_end) {
  c->head[header_end] = '\0';
  if (strncmp(c->head, "HTTP/1.1 200", 12) != 0 && strncmp(c->head, "HTTP/1.0 200", 12) != 0)
    ++n_non200;
  long len = 0;
  for (char* p = c->head; (p = strcasestr(p, "\r\ncontent-length:")) != NULL; p += 2) {
    len = strtol(p + 17, NULL, 10);
    break;
  }
  return (int)len;
}

static void become_idle(Conn* c) {
  free(c->head);
  c->head = NULL;
  c->state = ST_IDLE;
  --in_flight;
  ++n_open_idle;
  struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP, .data.u32 = (uint32_t)(c - conns)};
  epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

static void on_event(int i, uint32_t events) {
  Conn* c = &conns[i];
  if (c->state == ST_CONNECTING) {
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) {
      fail(c);
      return;
    }
    while (c->sent < request_len) {
      ssize_t n = write(c->fd, request + c->sent, request_len - c->sent);
      if (n < 0) {
        if (errno == EAGAIN) return;
        fail(c);
        return;
      }
      c->sent += (size_t)n;
    }
    c->state = ST_READING;
    c->head = malloc(HEAD_CAP + 1);
    struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP, .data.u32 = (uint32_t)i};
    epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
    return;
  }
  if (c->state == ST_READING) {
    char buf[65536];
    for (;;) {
      ssize_t n = read(c->fd, buf, sizeof buf);
      if (n == 0) {
        fail(c);
        return;
      }
      if (n < 0) {
        if (errno == EAGAIN) return;
        fail(c);
        return;
      }
      size_t off = 0;
      if (c->body_left < 0) {
        size_t take = (size_t)n;
        if (take > HEAD_CAP - c->head_len) take = HEAD_CAP - c->head_len;
        memcpy(c->head + c->head_len, buf, take);
        const size_t before = c->head_len;
        c->head_len += take;
        c->head[c->head_len] = '\0';
        char* end = strstr(c->head, "\r\n\r\n");
        if (end == NULL) {
          if (c->head_len >= HEAD_CAP) fail(c);
          continue;
        }
        const size_t header_end = (size_t)(end - c->head) + 4;
        c->body_left = parse_head(c, header_end);
        off = header_end - before;  // bytes of this read that belonged to the header
      }
      c->body_left -= (long)((size_t)n - off);
      if (c->body_left <= 0) {
        become_idle(c);
        return;
      }
    }
  }
  if (c->state == ST_IDLE) {
    // An idle connection got readable: data (unexpected) or the server closing it.
    char buf[4096];
    ssize_t n = read(c->fd, buf, sizeof buf);
    if (n == 0 || (n < 0 && errno != EAGAIN) || (events & (EPOLLHUP | EPOLLERR))) fail(c);
  }
}

int main(int argc, char** argv) {
  if (argc < 5) {
    fprintf(stderr, "usage: %s HOST PORT COUNT PATH [SETUP_TIMEOUT_S]\n", argv[0]);
    return 2;
  }
  const char* host = argv[1];
  const int port = atoi(argv[2]);
  count = atoi(argv[3]);
  const char* path = argv[4];
  const long setup_timeout_ms = (argc > 5 ? atol(argv[5]) : 60) * 1000L;

  struct rlimit rl;
  getrlimit(RLIMIT_NOFILE, &rl);
  rl.rlim_cur = rl.rlim_max;
  setrlimit(RLIMIT_NOFILE, &rl);
  if ((long)rl.rlim_cur < count + 16) {
    fprintf(stderr, "idle_conns: file-descriptor limit %ld is below %d connections\n",
            (long)rl.rlim_cur, count);
    return 1;
  }

  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_port = htons((uint16_t)port);
  if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) {
    fprintf(stderr, "idle_conns: HOST must be an IPv4 address\n");
    return 2;
  }
  request_len = (size_t)snprintf(request, sizeof request,
                                 "GET %s HTTP/1.1\r\nHost: %s:%d\r\nUser-Agent: balai-bench-idle\r\n"
                                 "Accept: */*\r\n\r\n",
                                 path, host, port);

  struct sigaction sa = {0};
  sa.sa_handler = on_stop;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  sa.sa_handler = on_report;
  sigaction(SIGUSR1, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);

  conns = calloc((size_t)count, sizeof *conns);
  epfd = epoll_create1(EPOLL_CLOEXEC);
  struct epoll_event* evs = calloc(1024, sizeof *evs);

  const long t0 = now_ms();
  int next = 0, announced = 0;
  for (;;) {
    while (!g_stop && next < count && in_flight < MAX_IN_FLIGHT) start_one(next++);
    if (!announced && next == count && in_flight == 0) {
      printf("ready open=%d failed=%d non200=%d setup_ms=%ld\n", n_open_idle, n_failed, n_non200,
             now_ms() - t0);
      fflush(stdout);
      announced = 1;
    }
    if (!announced && now_ms() - t0 > setup_timeout_ms) {
      printf("ready open=%d failed=%d non200=%d setup_ms=%ld timeout in_flight=%d started=%d\n",
             n_open_idle, n_failed, n_non200, now_ms() - t0, in_flight, next);
      fflush(stdout);
      announced = 1;
    }
    if (g_report) {
      g_report = 0;
      printf("status open=%d closed_by_peer=%d\n", n_open_idle, n_closed_by_peer);
      fflush(stdout);
    }
    if (g_stop) break;
    const int n = epoll_wait(epfd, evs, 1024, announced ? 1000 : 100);
    if (n < 0 && errno != EINTR) {
      perror("idle_conns: epoll_wait");
      return 1;
    }
    for (int k = 0; k < n; ++k) on_event((int)evs[k].data.u32, evs[k].events);
  }
  printf("final open=%d closed_by_peer=%d\n", n_open_idle, n_closed_by_peer);
  fflush(stdout);
  return 0;
}
