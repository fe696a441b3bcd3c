// Statistics of `ddpg-wasm report`: the aggregate scores RL papers report over seeds (Agarwal et al. 2021,
// "Deep RL at the Edge of the Statistical Precipice", and its library rliable): mean, std, median, the
// interquartile mean and percentile confidence intervals from a stratified bootstrap. Pure functions; the
// bootstrap takes its uniform random numbers from the caller, so a seeded generator makes it reproducible.

/** A uniform random number in [0, 1). */
export type Uniform = () => number;

/** mean(x) = Σ xᵢ / n (NaN for n = 0). */
export function mean(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Population standard deviation: std(x) = √(Σ (xᵢ − mean)² / n) — divided by n, not n − 1, as the std of
 *  eval.json (src/rl/trainer.ts evaluate) and numpy.std. NaN for n = 0. */
export function std(xs: readonly number[]): number {
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) ** 2;
  return Math.sqrt(s / xs.length);
}

function sorted(xs: readonly number[]): Float64Array {
  return Float64Array.from(xs).sort(); // numeric order
}

/** median(x): the middle of the sorted values, the mean of the two middle ones for even n (numpy.median). */
export function median(xs: readonly number[]): number {
  const n = xs.length;
  if (n === 0) return NaN;
  const s = sorted(xs);
  return n % 2 === 1 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/** scipy.stats.trim_mean(x, p): sort x, cut k = ⌊p·n⌋ values from each end (whole values, never a fraction of
 *  one), the mean of the n − 2k left. NaN for n = 0. */
export function trimMean(xs: readonly number[], proportionToCut: number): number {
  if (!(proportionToCut >= 0 && proportionToCut < 0.5)) throw new RangeError(`trimMean: proportionToCut must be in [0, 0.5), got ${proportionToCut}`);
  const n = xs.length;
  if (n === 0) return NaN;
  const k = Math.floor(proportionToCut * n);
  const s = sorted(xs);
  let sum = 0;
  for (let i = k; i < n - k; i++) sum += s[i];
  return sum / (n - 2 * k);
}

/** Interquartile mean as rliable computes it (metrics.aggregate_iqm = scipy.stats.trim_mean(scores, 0.25,
 *  axis=None)): the mean of the sorted scores after cutting ⌊n/4⌋ from each end. So n = 4 averages the middle
 *  2, n = 5 the middle 3, n = 10 the middle 6 (cut 2, not 2.5: no fractional weights at the edges); for n < 4
 *  nothing is cut and the IQM is the mean. */
export function iqm(xs: readonly number[]): number {
  return trimMean(xs, 0.25);
}

/** The p-quantile (0 ≤ p ≤ 1) of values already sorted ascending, by linear interpolation between order
 *  statistics (numpy.percentile's default "linear", Hyndman–Fan type 7): h = (R − 1)·p, then
 *  s[⌊h⌋] + (h − ⌊h⌋)·(s[⌊h⌋+1] − s[⌊h⌋]). */
export function quantileSorted(s: ArrayLike<number>, p: number): number {
  const R = s.length;
  if (R === 0) return NaN;
  const h = (R - 1) * p, lo = Math.floor(h), hi = Math.min(lo + 1, R - 1);
  return s[lo] + (h - lo) * (s[hi] - s[lo]);
}

export interface BootstrapOptions {
  /** Number of bootstrap resamples R. */
  resamples: number;
  /** Uniform random numbers; index draws are ⌊u·nₛ⌋. */
  rng: Uniform;
  /** Coverage of the interval (default 0.95: the 2.5th and 97.5th percentiles). */
  confidence?: number;
}

/** Stratified-bootstrap percentile confidence intervals (rliable's StratifiedBootstrap with
 *  method='percentile'): each of R resamples draws, for every stratum s in order, nₛ of its values with
 *  replacement (draw i of stratum s takes value ⌊u·nₛ⌋ of that stratum, u the next number of `rng`; resamples
 *  in turn, strata in turn, draws in turn) — never mixing values across strata —, and evaluates every statistic
 *  on the resampled strata (all statistics on the same resamples). Interval of statistic j: the α/2 and 1 − α/2
 *  quantiles (linear interpolation, quantileSorted) of its R values, α = 1 − confidence. Strata with no values
 *  are kept empty. */
export function stratifiedBootstrapCi(strata: readonly (readonly number[])[], statistics: ((sample: number[][]) => number)[],
  opts: BootstrapOptions): [number, number][] {
  const R = opts.resamples, alpha = 1 - (opts.confidence ?? 0.95);
  if (!Number.isSafeInteger(R) || R < 1) throw new RangeError(`bootstrap: resamples must be an integer ≥ 1, got ${R}`);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`bootstrap: confidence must be in (0, 1), got ${opts.confidence}`);
  const values = statistics.map(() => new Float64Array(R));
  const sample = strata.map((s) => new Array<number>(s.length));
  for (let r = 0; r < R; r++) {
    strata.forEach((s, k) => {
      for (let i = 0; i < s.length; i++) sample[k][i] = s[Math.floor(opts.rng() * s.length)];
    });
    statistics.forEach((f, j) => { values[j][r] = f(sample); });
  }
  return values.map((v) => {
    v.sort();
    return [quantileSorted(v, alpha / 2), quantileSorted(v, 1 - alpha / 2)];
  });
}

/** A statistic over all strata pooled (rliable computes IQM and mean over runs × tasks together). */
export const pooled = (f: (xs: readonly number[]) => number) => (sample: number[][]) => f(sample.flat());
