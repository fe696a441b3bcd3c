// Env step time of the MuJoCo tasks: one env.step() of the registered env (wrappers, ctrl, mj_step ×
// frame skip, mj_rnePostConstraint, obs/reward/info), actions uniform in the action box. Each step is
// timed on its own with performance.now() (resets on episode ends are not timed); we report the median
// and the 10th/90th percentiles per step. With --expose-gc it also reports the JS heap bytes allocated
// per step over blocks of steps (≈ 0 expected: step() allocates nothing; the figure includes the resets'
// result objects and process.memoryUsage()'s own).
// Self-contained: `envStepSection()` returns the figures; bench/index.ts prints them.
import { createEnv, MUJOCO_ENV_IDS, type MujocoEnvHandle, type MujocoEnvId } from '../../src/envs/registry.js';
import { Rng } from '../../src/rng.js';

export interface EnvStepResult {
  id: MujocoEnvId;
  frameSkip: number;
  /** Seconds of simulated time per env step. */
  dt: number;
  /** Median, 10th and 90th percentile of one env.step(), µs. */
  medianUs: number;
  p10Us: number;
  p90Us: number;
  /** Timed steps. */
  steps: number;
  /** JS heap bytes allocated per step, resets included (undefined without --expose-gc). */
  allocatedBytesPerStep?: number;
}

export interface EnvStepOptions {
  /** Timed steps per task (default 20 000; quick 3 000). */
  steps?: number;
  quick?: boolean;
  ids?: readonly MujocoEnvId[];
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

function actionTable(env: MujocoEnvHandle, n: number, seed: number): Float32Array[] {
  const rng = new Rng(seed);
  const { low, high } = env.actionSpace;
  return Array.from({ length: n }, () => Float32Array.from(low, (lo, i) => rng.uniform(lo, high[i])));
}

/** Steps `n` times, resetting on episode ends; per-step times in `out` when given. */
function drive(env: MujocoEnvHandle, actions: Float32Array[], n: number, out?: number[]): void {
  for (let i = 0; i < n; i++) {
    const a = actions[i % actions.length];
    const t0 = performance.now();
    const r = env.step(a);
    const t1 = performance.now();
    if (out) out.push((t1 - t0) * 1000);
    if (r.terminated || r.truncated) env.reset();
  }
}

/** Heap bytes per step over blocks of `n` steps with the bench's actions, resetting on episode ends
 *  (each reset returns one small { obs, info } object); the least over 8 blocks, as the first blocks
 *  still allocate for V8's tier-ups of this loop. */
function allocationPerStep(env: MujocoEnvHandle, actions: Float32Array[], n: number): number | undefined {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return undefined;
  let best = Infinity;
  for (let block = 0; block < 8; block++) {
    env.reset();
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < n; i++) {
      const r = env.step(actions[i % actions.length]);
      if (r.terminated || r.truncated) env.reset();
    }
    const bytes = process.memoryUsage().heapUsed - before;
    if (bytes >= 0) best = Math.min(best, bytes / n); // negative: a GC ran inside the block
  }
  return Number.isFinite(best) ? best : undefined;
}

export async function envStepSection(opts: EnvStepOptions = {}): Promise<EnvStepResult[]> {
  const steps = opts.steps ?? (opts.quick ? 3_000 : 20_000);
  const results: EnvStepResult[] = [];
  for (const id of opts.ids ?? MUJOCO_ENV_IDS) {
    const env = await createEnv(id, { seed: 1 });
    try {
      env.reset();
      const actions = actionTable(env, 4096, 7);
      drive(env, actions, Math.min(2_000, steps)); // warm-up: JIT tiers
      const times: number[] = [];
      drive(env, actions, steps, times);
      times.sort((x, y) => x - y);
      results.push({
        id, frameSkip: env.unwrapped.frameSkip, dt: env.dt,
        medianUs: percentile(times, 0.5), p10Us: percentile(times, 0.1), p90Us: percentile(times, 0.9), steps,
        allocatedBytesPerStep: allocationPerStep(env, actions, opts.quick ? 1_000 : 4_000),
      });
    } finally {
      env.close();
    }
  }
  return results;
}

/** A plain table of the results (for a quick look: `tsx bench/cases/env-step.ts`). */
export function envStepTable(rows: EnvStepResult[]): string {
  const head = '| task | frame skip (dt) | env step, median µs (p10–p90) | heap B/step |\n|---|---|---|---|';
  const fmt = (x: number) => x.toFixed(1);
  return [head, ...rows.map((r) => `| ${r.id} | ${r.frameSkip} (${+r.dt.toFixed(4)} s) | ${fmt(r.medianUs)} (${fmt(r.p10Us)}–${fmt(r.p90Us)}) | ${r.allocatedBytesPerStep === undefined ? '–' : r.allocatedBytesPerStep.toFixed(1)} |`)].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(envStepTable(await envStepSection({ quick: process.argv.includes('--quick') })));
}
