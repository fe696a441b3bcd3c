// The numbers of `ddpg-wasm report`, per config: the final evaluation aggregated over the finished runs'
// seeds (mean ± std, median, IQM and mean with stratified-bootstrap 95 % intervals) and the learning curve from
// evals.csv (per evaluation step, the IQM over seeds with its bootstrap interval). Unfinished runs are listed
// with the step they reached and never enter a statistic. Every bootstrap draws from its own generator,
// seeded with the report seed, the config (canonical config.json without seed) and, for a curve, the step:
// a config's intervals depend neither on the other configs of the report nor on their order.
import { Rng } from '../rng.js';
import type { Config, Run } from './runs.js';
import { iqm, mean, median, pooled, std, stratifiedBootstrapCi } from './stats.js';

export const CONFIDENCE = 0.95;

export interface BootstrapSettings {
  resamples: number;
  seed: number;
}

export interface RunSummary {
  dir: string;
  seed: number;
  finished: boolean;
  step: number;
  steps: number;
  /** eval.json's mean, std, episodes and wallSeconds (finished runs only). */
  evalMean?: number;
  evalStd?: number;
  evalEpisodes?: number;
  wallSeconds?: number;
  /** Rows of evals.csv (absent: no evals.csv). */
  evals?: number;
}

export interface FinalSummary {
  /** Finished runs (seeds) aggregated. */
  n: number;
  /** The per-run scores: each finished run's eval.json mean, in seed order. */
  scores: number[];
  mean: number;
  /** Population std over seeds (÷ n). */
  std: number;
  median: number;
  iqm: number;
  iqmCi: [number, number];
  meanCi: [number, number];
  /** Median of eval.json's wallSeconds over the finished runs that have it (null: none has). */
  wallSecondsMedian: number | null;
}

export interface CurvePoint {
  step: number;
  /** Runs with an evaluation at this step. */
  n: number;
  iqm: number;
  lo: number;
  hi: number;
  mean: number;
}

export interface ConfigSummary {
  name: string;
  env: string;
  algo: string;
  /** config.json without seed. */
  config: Record<string, unknown>;
  seeds: number[];
  finished: number;
  unfinished: { seed: number; dir: string; step: number; steps: number }[];
  runs: RunSummary[];
  /** Null when no run of the config has finished. */
  final: FinalSummary | null;
  /** The finished runs whose evals.csv has rows, and the curve over them (null: none has). */
  curve: { seeds: number[]; points: CurvePoint[] } | null;
  /** Finished runs without evals.csv rows: no curve from them. */
  noCurveSeeds: number[];
}

export interface EnvSummary {
  env: string;
  /** File name of the learning-curve SVG (null: no config of the env has a curve). */
  curves: string | null;
  configs: ConfigSummary[];
}

export interface ReportSummary {
  bootstrap: BootstrapSettings & { confidence: number; rng: string; stratification: string; interval: string; score: string };
  statistics: Record<string, string>;
  totals: { runs: number; configs: number; finished: number; unfinished: number };
  envs: EnvSummary[];
  warnings: string[];
}

export const STATISTICS = {
  score: "per run: the mean return of its final evaluation (eval.json's mean); finished runs only",
  mean: 'Σ xᵢ / n over the seeds',
  std: 'population standard deviation over the seeds, √(Σ (xᵢ − mean)² / n) (÷ n, as the std in eval.json)',
  median: 'middle sorted value; mean of the two middle ones for even n (numpy.median)',
  iqm: 'interquartile mean, rliable metrics.aggregate_iqm = scipy.stats.trim_mean(x, 0.25): sort, cut ⌊n/4⌋ values from each end (whole values, no fractional weights), mean of the rest; for n < 4 it is the mean',
  curve: 'per evaluation step of evals.csv: the IQM, over the finished runs that evaluated at that step, of their evals.csv mean there, with a 95 % stratified-bootstrap band (same settings, the generator also seeded with the step); unfinished runs and runs without evals.csv give no curve',
  overall: 'no aggregate across configs or envs: returns of different envs are on different scales, and rliable aggregates across tasks only normalized scores',
};

function rngFor(settings: BootstrapSettings, key: string): () => number {
  const rng = new Rng(`ddpg-wasm report/${settings.seed}/${key}`);
  return () => rng.next();
}

/** IQM and mean intervals of one config's scores (one stratum: the config). */
function intervals(scores: number[], settings: BootstrapSettings, key: string): { iqmCi: [number, number]; meanCi: [number, number] } {
  const [iqmCi, meanCi] = stratifiedBootstrapCi([scores], [pooled(iqm), pooled(mean)],
    { resamples: settings.resamples, rng: rngFor(settings, key), confidence: CONFIDENCE });
  return { iqmCi, meanCi };
}

function runSummary(r: Run): RunSummary {
  return {
    dir: r.dir, seed: r.seed, finished: r.finished, step: r.step, steps: r.fields.steps as number,
    ...(r.final ? { evalMean: r.final.mean, evalStd: r.final.std, evalEpisodes: r.final.episodes } : {}),
    ...(r.final?.wallSeconds !== undefined ? { wallSeconds: r.final.wallSeconds } : {}),
    ...(r.evals ? { evals: r.evals.length } : {}),
  };
}

export function summarizeConfig(c: Config, settings: BootstrapSettings): ConfigSummary {
  const done = c.runs.filter((r) => r.finished);
  const scores = done.map((r) => r.final!.mean);
  const walls = done.flatMap((r) => (r.final!.wallSeconds !== undefined ? [r.final!.wallSeconds] : []));
  const final: FinalSummary | null = done.length === 0 ? null : {
    n: done.length, scores, mean: mean(scores), std: std(scores), median: median(scores), iqm: iqm(scores),
    ...intervals(scores, settings, c.key), wallSecondsMedian: walls.length ? median(walls) : null,
  };
  const withCurve = done.filter((r) => r.evals && r.evals.length > 0);
  let curve: ConfigSummary['curve'] = null;
  if (withCurve.length) {
    const steps = [...new Set(withCurve.flatMap((r) => r.evals!.map((e) => e.step)))].sort((a, b) => a - b);
    const points = steps.map((step) => {
      const xs = withCurve.flatMap((r) => r.evals!.filter((e) => e.step === step).map((e) => e.mean));
      const [[lo, hi]] = stratifiedBootstrapCi([xs], [pooled(iqm)], { resamples: settings.resamples, rng: rngFor(settings, `${c.key}/step${step}`), confidence: CONFIDENCE });
      return { step, n: xs.length, iqm: iqm(xs), lo, hi, mean: mean(xs) };
    });
    curve = { seeds: withCurve.map((r) => r.seed), points };
  }
  return {
    name: c.name, env: c.env, algo: c.algo, config: c.fields, seeds: c.runs.map((r) => r.seed), finished: done.length,
    unfinished: c.runs.filter((r) => !r.finished).map((r) => ({ seed: r.seed, dir: r.dir, step: r.step, steps: r.fields.steps as number })),
    runs: c.runs.map(runSummary), final, curve,
    noCurveSeeds: done.filter((r) => !(r.evals && r.evals.length > 0)).map((r) => r.seed),
  };
}

/** The file name of an env's learning-curve SVG. */
export function curvesFile(env: string): string {
  return `curves-${env.replace(/[^A-Za-z0-9._-]/g, '_')}.svg`;
}

export function summarize(configs: readonly Config[], settings: BootstrapSettings): ReportSummary {
  const summaries = configs.map((c) => summarizeConfig(c, settings));
  const envNames = [...new Set(summaries.map((s) => s.env))];
  const envs = envNames.map((env) => {
    const cs = summaries.filter((s) => s.env === env);
    return { env, curves: cs.some((s) => s.curve) ? curvesFile(env) : null, configs: cs };
  });
  const warnings: string[] = [];
  const counts = new Set(summaries.map((s) => s.finished));
  if (counts.size > 1) {
    warnings.push(`configs have different numbers of finished seeds (${summaries.map((s) => `${s.name}: ${s.finished}`).join('; ')}): ` +
      'their statistics rest on different sample sizes, so compare the intervals, not only the point estimates');
  }
  for (const s of summaries) {
    for (const u of s.unfinished) warnings.push(`${s.name}: seed ${u.seed} is unfinished (step ${u.step} of ${u.steps}, ${u.dir}); it is not in the statistics`);
    const dup = s.seeds.filter((x, i) => s.seeds.indexOf(x) !== i);
    if (dup.length) warnings.push(`${s.name}: seed ${[...new Set(dup)].join(', ')} appears in more than one run folder (${s.runs.filter((r) => dup.includes(r.seed)).map((r) => r.dir).join(', ')}); each folder counts as a run`);
    if (s.final === null) warnings.push(`${s.name}: no finished run, no statistics`);
  }
  const finished = summaries.reduce((a, s) => a + s.finished, 0), runs = summaries.reduce((a, s) => a + s.runs.length, 0);
  return {
    bootstrap: {
      resamples: settings.resamples, seed: settings.seed, confidence: CONFIDENCE,
      rng: `seedrandom ARC4 (src/rng.ts), one generator per statistic seeded with 'ddpg-wasm report/<seed>/<canonical config.json without seed>' (a curve: '…/step<S>'); index draws ⌊u·n⌋`,
      stratification: 'by config: each resample draws n runs with replacement from the config\'s n finished runs (one stratum per config)',
      interval: 'percentile: the 2.5th and 97.5th percentiles of the resampled statistic, linear interpolation (numpy.percentile default; rliable method="percentile")',
      score: STATISTICS.score,
    },
    statistics: STATISTICS,
    totals: { runs, configs: summaries.length, finished, unfinished: runs - finished },
    envs, warnings,
  };
}
