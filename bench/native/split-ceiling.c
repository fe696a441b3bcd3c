// The host's two-core ceiling for the split the threaded engine does, in C (no WebAssembly): windows of 5
// "updates" of 10 C = A·B at 256³ (SSE, 4-row register blocks), on one thread, then split by rows between the
// calling thread and one pthread worker (a generation word it spins on, a done counter the caller spins on —
// the engine's hand-off without its sleeps); prints the quantiles of the per-window ratio, two ÷ one, and of
// each side's time per product. bench/thread-windows.ts measures the engine the same way.
//   gcc -O3 -mno-avx -msse4.2 -pthread bench/native/split-ceiling.c -o /tmp/split-ceiling && /tmp/split-ceiling 20
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { N = 256, JOBS = 10, WINDOW = 5, MAX_WINDOWS = 100000 };
static float A[N * N], B[N * N], C[N * N];
static atomic_int generation, done;

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

// C[i0:i1, :] = A[i0:i1, :] · B, four rows at a time: acc[r][j] += A[i + r, p] · B[p, j] (vectorised along j).
static void rows(int i0, int i1) {
  for (int i = i0; i < i1; i += 4) {
    float acc[4][N];
    memset(acc, 0, sizeof acc);
    for (int p = 0; p < N; p++) {
      const float *b = B + p * N, a0 = A[i * N + p], a1 = A[(i + 1) * N + p], a2 = A[(i + 2) * N + p], a3 = A[(i + 3) * N + p];
      for (int j = 0; j < N; j++) { acc[0][j] += a0 * b[j]; acc[1][j] += a1 * b[j]; acc[2][j] += a2 * b[j]; acc[3][j] += a3 * b[j]; }
    }
    memcpy(C + i * N, acc, sizeof acc);
  }
}

static void *worker(void *unused) {
  (void)unused;
  for (int seen = 0;;) {
    int g;
    while ((g = atomic_load(&generation)) == seen) {}
    seen = g;
    rows(N / 2, N);
    atomic_fetch_add(&done, 1);
  }
  return NULL;
}

static int ascending(const void *x, const void *y) {
  double a = *(const double *)x, b = *(const double *)y;
  return a < b ? -1 : a > b;
}

static void quantiles(const char *name, double *v, int n, int digits) {
  qsort(v, n, sizeof *v, ascending);
  printf("%s %.*f / %.*f / %.*f / %.*f / %.*f\n", name, digits, v[n / 10], digits, v[n / 4], digits, v[n / 2], digits, v[3 * n / 4], digits, v[9 * n / 10]);
}

int main(int argc, char **argv) {
  double seconds = argc > 1 ? atof(argv[1]) : 20;
  static double ratio[MAX_WINDOWS], one[MAX_WINDOWS], two[MAX_WINDOWS];
  for (int i = 0; i < N * N; i++) { A[i] = (float)(i % 7 - 3); B[i] = (float)(i % 5 - 2); }
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  int n = 0;
  for (double end = now() + seconds; now() < end && n < MAX_WINDOWS; n++) {
    double s = now();
    for (int c = 0; c < WINDOW * JOBS; c++) rows(0, N);
    double t1 = now() - s;
    s = now();
    for (int c = 0; c < WINDOW * JOBS; c++) {
      atomic_store(&done, 0);
      atomic_fetch_add(&generation, 1);
      rows(0, N / 2);
      while (atomic_load(&done) < 1) {}
    }
    double t2 = now() - s;
    ratio[n] = t2 / t1; one[n] = t1 / (WINDOW * JOBS) * 1e6; two[n] = t2 / (WINDOW * JOBS) * 1e6;
  }
  printf("%d windows of %d products, quantiles p10 / p25 / median / p75 / p90\n", n, WINDOW * JOBS);
  quantiles("2 / 1:", ratio, n, 3);
  quantiles("1 thread, µs per product:", one, n, 0);
  quantiles("2 threads, µs per product:", two, n, 0);
  return 0;
}
