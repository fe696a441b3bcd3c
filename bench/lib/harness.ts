// Timing: every case is a benny (benchmark.js) case. Warm-up calls first (JIT tiers, tfjs kernel caches,
// Adam slots), then benchmark.js calibrates a loop count per sample and collects samples until maxTime.
// The machine is shared and its load changes by the second, so a section runs its implementations in
// interleaved rounds (ours, tfjs-wasm, tfjs-cpu, ours, …): every implementation sees the same mix of quiet
// and busy moments, and the samples of all rounds are pooled. We report the pooled median per call and a
// 95% relative margin of error of the mean (benchmark.js's rme, recomputed over the pooled samples).
import b from 'benny';

export interface Stat {
  /** Median seconds per call over the samples. */
  median: number;
  mean: number;
  min: number;
  /** Relative margin of error of the mean, % (95% confidence). */
  rme: number;
  samples: number;
  /** Calls per second at the median (1 / median). */
  ops: number;
}

export interface TimingOptions {
  /** Seconds of sampling per case and round (benchmark.js maxTime). */
  maxTime: number;
  minSamples: number;
  /** Untimed calls before the first round. */
  warmup: number;
  /** Interleaved rounds per section. */
  rounds: number;
}

export interface Case {
  name: string;
  fn: () => unknown;
}

/** Runs the cases in order as one benny suite; returns each case's per-call sample times (seconds). benny's
 *  own log lines are dropped so the table stays readable; a progress line per case goes to stderr. */
export async function sample(cases: Case[], opts: Pick<TimingOptions, 'maxTime' | 'minSamples'>): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  const log = console.log;
  console.log = () => {};
  try {
    await b.suite(
      'ddpg-wasm bench',
      ...cases.map((c) => b.add(c.name, () => { c.fn(); })),
      b.cycle((r) => {
        out[r.name] = [...r.details.sampleResults];
        process.stderr.write(`  ${r.name.padEnd(48)} ${fmtTime(r.details.median).padStart(10)}  (${r.samples} samples)\n`);
      }),
      b.configure({ cases: { minSamples: opts.minSamples, maxTime: opts.maxTime } }),
    );
  } finally {
    console.log = log;
  }
  return out;
}

export function statOf(samples: number[]): Stat {
  const s = [...samples].sort((x, y) => x - y);
  const n = s.length;
  const median = n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  const mean = s.reduce((a, x) => a + x, 0) / n;
  const sd = n > 1 ? Math.sqrt(s.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1)) : 0;
  const rme = n > 1 ? (100 * 1.96 * sd) / Math.sqrt(n) / mean : 0;
  return { median, mean, min: s[0], rme, samples: n, ops: 1 / median };
}

/** A group of cases that run together: one implementation, with what must happen before its turn
 *  (switching the tfjs backend) and after each of its rounds (checking for leaked tensors). */
export interface Group {
  impl: string;
  cases: Case[];
  activate?: () => Promise<void>;
  afterRound?: () => void;
}

/** Warm-up, then `rounds` interleaved rounds over the groups; pooled stats by case name. */
export async function runGroups(groups: Group[], timing: TimingOptions, timingFor: (impl: string) => TimingOptions): Promise<Record<string, Stat>> {
  const pooled: Record<string, number[]> = {};
  for (const g of groups) {
    await g.activate?.();
    const t = timingFor(g.impl);
    for (const c of g.cases) for (let i = 0; i < t.warmup; i++) c.fn();
  }
  for (let r = 0; r < timing.rounds; r++) {
    for (const g of groups) {
      await g.activate?.();
      const t = timingFor(g.impl);
      const res = await sample(g.cases, { maxTime: t.maxTime, minSamples: t.minSamples });
      g.afterRound?.();
      for (const [k, v] of Object.entries(res)) (pooled[k] ??= []).push(...v);
    }
  }
  return Object.fromEntries(Object.entries(pooled).map(([k, v]) => [k, statOf(v)]));
}

/** Human time: µs below 1 ms, ms below 1 s, else s. */
export function fmtTime(sec: number): string {
  if (!Number.isFinite(sec)) return '—';
  if (sec < 1e-3) return `${(sec * 1e6).toFixed(sec < 1e-5 ? 2 : 1)} µs`;
  if (sec < 1) return `${(sec * 1e3).toFixed(sec < 1e-2 ? 3 : 2)} ms`;
  return `${sec.toFixed(2)} s`;
}

export function fmtOps(ops: number): string {
  if (ops >= 1e5) return `${(ops / 1e3).toFixed(0)}k`;
  if (ops >= 100) return ops.toFixed(0);
  return ops.toFixed(1);
}
