// argon2_hash: the raw cost of the password hash Balai computes at every sign-in, without the
// server around it: crypto_pwhash (Argon2id v1.3) with Balai's default parameters (t=3,
// m=64 MiB, one lane; src/security/passwords.h) over a 32-byte input, which is what Balai
// hashes (HMAC-SHA-256 of the pepper and the password).
//
//   argon2_hash THREADS HASHES_PER_THREAD [OPSLIMIT [MEMLIMIT_MIB]]
//
// Starts THREADS threads at once; each computes HASHES_PER_THREAD hashes, one after another, each
// with a fresh random salt, exactly as a worker thread signing people in would. Prints one line:
//   "threads=T hashes=N wall_s=W hashes_per_s=H cpu_s=C mean_ms=M p50_ms=A p99_ms=B max_ms=X"
// where the per-hash times are wall-clock times of single hashes (over all threads) and cpu_s is
// the process's user + system CPU time. Exits 1 if a hash fails (out of memory).
// Built by bench/security with `cc -O2 ... -lsodium -lpthread`.
#define _GNU_SOURCE
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static unsigned long long g_opslimit = 3;
static size_t g_memlimit = (size_t)64 << 20;
static long g_per_thread;
static double* g_times_ms;  // one slot per hash: thread i uses [i * g_per_thread, ...)
static int g_failed = 0;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void* worker(void* arg) {
  const long index = (long)arg;
  unsigned char input[32], salt[crypto_pwhash_SALTBYTES], out[32];
  randombytes_buf(input, sizeof input);
  for (long i = 0; i < g_per_thread; ++i) {
    randombytes_buf(salt, sizeof salt);
    const double start = now_s();
    if (crypto_pwhash(out, sizeof out, (const char*)input, sizeof input, salt, g_opslimit,
                      g_memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
      __atomic_store_n(&g_failed, 1, __ATOMIC_RELAXED);
      return NULL;
    }
    g_times_ms[index * g_per_thread + i] = (now_s() - start) * 1000.0;
  }
  return NULL;
}

static int by_value(const void* a, const void* b) {
  const double x = *(const double*)a, y = *(const double*)b;
  return (x > y) - (x < y);
}

int main(int argc, char** argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s THREADS HASHES_PER_THREAD [OPSLIMIT [MEMLIMIT_MIB]]\n", argv[0]);
    return 2;
  }
  const long threads = strtol(argv[1], NULL, 10);
  g_per_thread = strtol(argv[2], NULL, 10);
  if (argc > 3) g_opslimit = strtoull(argv[3], NULL, 10);
  if (argc > 4) g_memlimit = (size_t)strtoull(argv[4], NULL, 10) << 20;
  if (threads < 1 || threads > 256 || g_per_thread < 1) {
    fprintf(stderr, "argon2_hash: THREADS must be 1-256 and HASHES_PER_THREAD at least 1\n");
    return 2;
  }
  if (sodium_init() < 0) {
    fprintf(stderr, "argon2_hash: sodium_init failed\n");
    return 1;
  }
  const long total = threads * g_per_thread;
  g_times_ms = calloc((size_t)total, sizeof *g_times_ms);
  pthread_t* ids = calloc((size_t)threads, sizeof *ids);
  if (!g_times_ms || !ids) return 1;

  const double start = now_s();
  for (long t = 0; t < threads; ++t) {
    if (pthread_create(&ids[t], NULL, worker, (void*)t) != 0) {
      fprintf(stderr, "argon2_hash: pthread_create failed\n");
      return 1;
    }
  }
  for (long t = 0; t < threads; ++t) pthread_join(ids[t], NULL);
  const double wall = now_s() - start;
  if (g_failed) {
    fprintf(stderr, "argon2_hash: crypto_pwhash failed (out of memory?)\n");
    return 1;
  }

  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  const double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
                     (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
  double sum = 0;
  for (long i = 0; i < total; ++i) sum += g_times_ms[i];
  qsort(g_times_ms, (size_t)total, sizeof *g_times_ms, by_value);
  // Nearest-rank percentiles.
  const long p50 = (total * 50 + 99) / 100 - 1, p99 = (total * 99 + 99) / 100 - 1;
  printf("threads=%ld hashes=%ld wall_s=%.3f hashes_per_s=%.2f cpu_s=%.2f mean_ms=%.1f"
         " p50_ms=%.1f p99_ms=%.1f max_ms=%.1f\n",
         threads, total, wall, (double)total / wall, cpu, sum / (double)total,
         g_times_ms[p50 < 0 ? 0 : p50], g_times_ms[p99 < 0 ? 0 : p99], g_times_ms[total - 1]);
  free(ids);
  free(g_times_ms);
  return 0;
}
