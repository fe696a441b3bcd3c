/* Runs a policy module exported by `export --format wasm` natively, through wasm2c (test/export-wasm.test.ts,
 * docs/standalone-wasm.md). The module is translated with the module name "policy":
 *
 *   wasm2c policy.wasm -n policy -o policy.c
 *   cc -O2 -ffp-contract=off -I<dir of wasm-rt-impl.h> policy-harness.c policy.c wasm-rt-impl.c -lm -o policy-harness
 *
 * Usage: policy-harness OBS_FILE. OBS_FILE holds observations back to back, obs_dim little-endian float32
 * each. Prints "obs_dim act_dim", then one line per observation: the act_dim action values as the hex of
 * their float32 bits (so the caller compares bits, not decimal renderings).
 *
 * Or: policy-harness --time N OBS_FILE (bench/cases/edge.ts). Calls act() N times, cycling through the file's
 * observations (each copied in, as a caller would), and prints the nanoseconds per call. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "policy.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#error "this harness copies little-endian floats straight into wasm memory: little-endian hosts only"
#endif

static double seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* act() `calls` times over the observations in `in`; prints ns per call. */
static int time_calls(Z_policy_instance_t *policy, wasm_rt_memory_t *memory, u32 obs, u32 obs_dim, long calls, FILE *in) {
  float buffer[1 << 16];
  size_t n = fread(buffer, 4, sizeof buffer / 4, in) / obs_dim;
  if (n == 0) {
    fprintf(stderr, "no observations to time with\n");
    return 1;
  }
  double start = seconds();
  for (long i = 0; i < calls; i++) {
    memcpy(memory->data + obs, buffer + (size_t)(i % (long)n) * obs_dim, 4u * obs_dim);
    Z_policyZ_act(policy);
  }
  printf("%.1f\n", 1e9 * (seconds() - start) / (double)calls);
  return 0;
}

int main(int argc, char **argv) {
  long calls = 0;
  if (argc == 4 && strcmp(argv[1], "--time") == 0) {
    calls = strtol(argv[2], NULL, 10);
    argv += 2;
    argc -= 2;
  }
  if (argc != 2 || calls < 0) {
    fprintf(stderr, "usage: %s [--time N] OBS_FILE\n", argv[0]);
    return 2;
  }
  FILE *in = fopen(argv[1], "rb");
  if (!in) {
    perror(argv[1]);
    return 2;
  }
  wasm_rt_init();
  Z_policy_init_module();
  Z_policy_instance_t policy;
  Z_policy_instantiate(&policy);

  wasm_rt_memory_t *memory = Z_policyZ_memory(&policy);
  const u32 obs_dim = Z_policyZ_obs_dim(&policy), act_dim = Z_policyZ_act_dim(&policy);
  const u32 obs = Z_policyZ_obs_ptr(&policy), action = Z_policyZ_action_ptr(&policy);
  if ((u64)obs + 4u * obs_dim > memory->size || (u64)action + 4u * act_dim > memory->size) {
    fprintf(stderr, "obs_ptr / action_ptr outside memory\n");
    return 1;
  }
  if (calls > 0) return time_calls(&policy, memory, obs, obs_dim, calls, in);
  printf("%u %u\n", obs_dim, act_dim);
  for (;;) {
    size_t got = fread(memory->data + obs, 4, obs_dim, in);
    if (got == 0 && feof(in)) break;
    if (got != obs_dim) {
      fprintf(stderr, "%s: truncated observation (%zu of %u floats)\n", argv[1], got, obs_dim);
      return 1;
    }
    Z_policyZ_act(&policy);
    for (u32 i = 0; i < act_dim; i++) {
      u32 bits;
      memcpy(&bits, memory->data + action + 4u * i, 4);
      printf(i + 1 < act_dim ? "%08x " : "%08x\n", bits);
    }
  }
  fclose(in);
  Z_policy_free(&policy);
  wasm_rt_free();
  return 0;
}
