// `ddpg-wasm report`: the statistics are rliable's (IQM = scipy.stats.trim_mean(x, 0.25), stratified bootstrap
// with percentile intervals), checked against hand-computed values; a report over run folders groups them into
// configs, lists unfinished runs without averaging them in, warns about unequal seed counts, draws the curves
// with their bands, is the same bytes for the same seed, and refuses bad input with a clear message, the right
// exit code and no file written.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trainCommand } from '../src/cli/train.js';
import { Rng } from '../src/rng.js';
import { canonicalJson } from '../src/report/runs.js';
import { iqm, mean, median, pooled, quantileSorted, std, stratifiedBootstrapCi, trimMean } from '../src/report/stats.js';
import type { ReportSummary } from '../src/report/summary.js';
import { cli, tempDir } from './helpers/cli.js';

describe('statistics', () => {
  it('IQM is scipy.stats.trim_mean(x, 0.25): cut ⌊n/4⌋ whole values from each end (n = 4, 5, 8, 10)', () => {
    // scipy.stats.trim_mean(x, 0.25) on each: 2.5, 5.0, 4.5, 4.666666666666667
    expect(iqm([4, 1, 3, 2])).toBe(2.5); // cut 1 each end: mean(2, 3)
    expect(iqm([10, 1, 7, 3, 5])).toBe(5); // ⌊1.25⌋ = 1: mean(3, 5, 7)
    expect(iqm([8, 1, 6, 3, 5, 2, 7, 4])).toBe(4.5); // cut 2: mean(3, 4, 5, 6)
    const ten = [3, 30, 1, 10, 7, 100, 2, 5, -4, 0];
    expect(iqm(ten)).toBeCloseTo(28 / 6, 15); // ⌊2.5⌋ = 2: mean(1, 2, 3, 5, 7, 10)
    expect(iqm(ten)).not.toBeCloseTo(4.5, 3); // the fractional-weight IQM (½·1 + 2 + 3 + 5 + 7 + ½·10) / 5
    expect(iqm([5, -1, 2])).toBe(2); // n < 4: nothing cut, the mean
    expect(trimMean([1, 2, 3, 4, 100], 0.2)).toBe(3);
    expect(iqm([])).toBeNaN();
  });

  it('mean, population std (÷ n, as eval.json), median, linear-interpolation quantiles', () => {
    expect(mean([1, 2, 3, 6])).toBe(3);
    expect(std([1, 2, 3, 6])).toBeCloseTo(Math.sqrt(14 / 4), 15); // numpy.std: 1.8708…
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    const s = [0, 10, 20, 30, 40]; // numpy.percentile(s, [2.5, 50, 97.5]) = [1, 20, 39]
    expect([quantileSorted(s, 0.025), quantileSorted(s, 0.5), quantileSorted(s, 0.975)].map((v) => +v.toFixed(12))).toEqual([1, 20, 39]);
  });

  it('stratified bootstrap CI: the exact bootstrap distribution of a tiny data set, enumerated', () => {
    // Strata A = [0, 1] and B = [10, 20]; a resample draws 2 of A and 2 of B with replacement: 2⁴ = 16 equally
    // likely draws. The rng below makes the 16 resamples exactly those 16 (resample r takes the bits of r as
    // indices, drawing A twice then B twice), so the bootstrap distribution of the mean is the exact one:
    // sums 20 21 21 22 30 30 31 31 31 31 32 32 40 41 41 42, means = sums / 4. Percentiles, linear (numpy):
    // 2.5 % → h = 15·0.025 = 0.375: 5 + 0.375·0.25 = 5.09375; 97.5 % → h = 14.625: 10.25 + 0.625·0.25 = 10.40625.
    // Pooling the strata (drawing 4 of [0, 1, 10, 20]) or a nearest-rank percentile would give other values.
    const us: number[] = [];
    for (let r = 0; r < 16; r++) for (let bit = 3; bit >= 0; bit--) us.push(((r >> bit) & 1) ? 0.75 : 0.25);
    let i = 0;
    const rng = () => us[i++];
    const [ci, iqmCi] = stratifiedBootstrapCi([[0, 1], [10, 20]], [pooled(mean), pooled(iqm)], { resamples: 16, rng });
    expect(i).toBe(64); // one number per draw
    expect(ci).toEqual([5.09375, 10.40625]);
    // IQM of 4 values = mean of the middle two; for a resample (a1, a2, b1, b2) those are max(a1, a2) and
    // min(b1, b2), so the 16 IQMs are (max(a) + min(b)) / 2: 5 ×3, 5.5 ×9, 10 ×1, 10.5 ×3.
    const exact: number[] = [];
    for (let r = 0; r < 16; r++) {
      const a = [(r >> 3) & 1, (r >> 2) & 1], b = [[10, 20][(r >> 1) & 1], [10, 20][r & 1]];
      exact.push((Math.max(...a) + Math.min(...b)) / 2);
    }
    exact.sort((x, y) => x - y);
    expect(iqmCi).toEqual([quantileSorted(exact, 0.025), quantileSorted(exact, 0.975)]);
    expect(iqmCi).toEqual([5, 10.5]);
  });

  it('a seeded generator gives the same interval every time; one stratum of equal values gives a point', () => {
    const xs = [-200, -180, -150, -400, -170];
    const run = (seed: string) => stratifiedBootstrapCi([xs], [pooled(iqm)], { resamples: 500, rng: ((r) => () => r.next())(new Rng(seed)) })[0];
    expect(run('a')).toEqual(run('a'));
    expect(run('a')).not.toEqual(run('b'));
    const [lo, hi] = run('a');
    expect(lo).toBeGreaterThanOrEqual(-400); expect(hi).toBeLessThanOrEqual(-150); expect(lo).toBeLessThan(hi);
    expect(stratifiedBootstrapCi([[7, 7, 7]], [pooled(mean)], { resamples: 10, rng: Math.random })[0]).toEqual([7, 7]);
  });
});

// ---- synthetic run folders ---------------------------------------------------------------------------------

interface RunSpec {
  env?: string; algo?: string; seed: number; steps?: number; tau?: number;
  /** eval.json's mean and steps (steps default: the config's). */
  final?: { mean: number; steps?: number };
  /** evals.csv rows: [step, mean]. */
  evals?: [number, number][];
  metricsStep?: number;
}

function writeRun(dir: string, s: RunSpec): void {
  mkdirSync(dir, { recursive: true });
  const steps = s.steps ?? 600;
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ env: s.env ?? 'Pendulum-v1', algo: s.algo ?? 'td3', steps, actorHidden: [8, 8], tau: s.tau ?? 0.005, seed: s.seed }, null, 2));
  const m = s.metricsStep ?? (s.final ? steps : 0);
  writeFileSync(join(dir, 'metrics.csv'), `step,episode,return\n${m > 0 ? `${m / 2},1,-1000\n${m},2,-900\n` : ''}`);
  if (s.final) {
    const returns = [s.final.mean - 1, s.final.mean + 1];
    writeFileSync(join(dir, 'eval.json'), JSON.stringify({ mean: s.final.mean, std: 1, returns, episodes: 2, seedBase: 100000, steps: s.final.steps ?? steps, wallSeconds: 10 + s.seed }, null, 2));
  }
  if (s.evals) {
    writeFileSync(join(dir, 'evals.csv'), ['step,mean,std,episodes,returns', ...s.evals.map(([st, v]) => `${st},${v},1,2,${v - 1};${v + 1}`)].join('\n') + '\n');
  }
}

/** Four configs in two envs: td3 tau=0.005 with 3 finished seeds (curves), an unfinished one and one whose
 *  eval.json is from an earlier total; td3 tau=0.01 with 2 finished (one without evals.csv); ddpg with 4;
 *  MountainCarContinuous-v0 ddpg with 1. */
function syntheticRuns(): string {
  const root = tempDir('report-runs');
  const a = join(root, 'sweep', 'tau0.005');
  writeRun(join(a, 'seed1'), { seed: 1, final: { mean: -150 }, evals: [[200, -1200], [400, -600], [600, -160]] });
  writeRun(join(a, 'seed2'), { seed: 2, final: { mean: -170 }, evals: [[200, -1100], [400, -500], [600, -180]] });
  writeRun(join(a, 'seed3'), { seed: 3, final: { mean: -400 }, evals: [[200, -1300], [400, -900], [600, -420]] });
  writeRun(join(a, 'seed4'), { seed: 4, metricsStep: 400, evals: [[200, -1250], [400, -700]] }); // unfinished
  writeRun(join(a, 'seed5'), { seed: 5, final: { mean: 9999, steps: 300 }, metricsStep: 450 }); // eval.json from step 300 of 600
  writeRun(join(root, 'sweep', 'tau0.01', 'seed1'), { seed: 1, tau: 0.01, final: { mean: -300 }, evals: [[200, -1000], [600, -310]] });
  writeRun(join(root, 'sweep', 'tau0.01', 'seed2'), { seed: 2, tau: 0.01, final: { mean: -200 } });
  for (const [seed, v] of [[1, -140], [2, -160], [3, -900], [4, -155]]) writeRun(join(root, 'deep', 'er', `ddpg-seed${seed}`), { algo: 'ddpg', seed, final: { mean: v } });
  writeRun(join(root, 'mcc'), { env: 'MountainCarContinuous-v0', algo: 'ddpg', seed: 1, final: { mean: 93.5 } });
  return root;
}

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as ReportSummary;

describe('report over run folders', () => {
  it('groups configs, names them by what differs, lists unfinished runs without averaging them, warns about unequal seed counts', async () => {
    const root = syntheticRuns(), out = join(tempDir('report-out'), 'r');
    const r = await cli(['report', join(root, 'sweep'), join(root, 'deep'), join(root, 'mcc'), '--out', out, '--bootstrap', '500']);
    expect(r.stderr).toMatch(/^wrote /);
    expect(r.code).toBe(0);
    const rep = readJson(join(out, 'report.json'));
    expect(rep.bootstrap).toMatchObject({ resamples: 500, seed: 0, confidence: 0.95 });
    expect(rep.envs.map((e) => e.env)).toEqual(['MountainCarContinuous-v0', 'Pendulum-v1']);
    const configs = Object.fromEntries(rep.envs.flatMap((e) => e.configs).map((c) => [c.name, c]));
    expect(Object.keys(configs)).toEqual(['MountainCarContinuous-v0 ddpg', 'Pendulum-v1 ddpg', 'Pendulum-v1 td3 tau=0.005', 'Pendulum-v1 td3 tau=0.01']);
    const a = configs['Pendulum-v1 td3 tau=0.005'];
    expect(a.seeds).toEqual([1, 2, 3, 4, 5]);
    expect(a.finished).toBe(3);
    expect(a.unfinished.map((u) => [u.seed, u.step, u.steps])).toEqual([[4, 400, 600], [5, 450, 600]]);
    expect(a.final!.scores).toEqual([-150, -170, -400]); // not seed 4, not seed 5's stale 9999
    expect(a.final!.mean).toBeCloseTo(-240, 12);
    expect(a.final!.std).toBeCloseTo(std([-150, -170, -400]), 12);
    expect(a.final!.median).toBe(-170);
    expect(a.final!.iqm).toBeCloseTo(-240, 12); // n = 3: nothing cut
    expect(a.final!.wallSecondsMedian).toBe(12);
    // The interval is the documented bootstrap: Rng('ddpg-wasm report/<seed>/<config without seed>'), 500 resamples.
    const rng = new Rng(`ddpg-wasm report/0/${canonicalJson(a.config)}`);
    const [iqmCi, meanCi] = stratifiedBootstrapCi([[-150, -170, -400]], [pooled(iqm), pooled(mean)], { resamples: 500, rng: () => rng.next() });
    expect(a.final!.iqmCi).toEqual(iqmCi);
    expect(a.final!.meanCi).toEqual(meanCi);
    expect(a.final!.iqmCi[0]).toBeLessThan(a.final!.iqmCi[1]);
    // The curve: finished runs with evals.csv, per step the IQM of their means.
    expect(a.curve!.seeds).toEqual([1, 2, 3]);
    expect(a.curve!.points.map((p) => [p.step, p.n, p.iqm])).toEqual([[200, 3, -1200], [400, 3, iqm([-600, -500, -900])], [600, 3, iqm([-160, -180, -420])]]);
    for (const p of a.curve!.points) { expect(p.lo).toBeLessThanOrEqual(p.iqm); expect(p.hi).toBeGreaterThanOrEqual(p.iqm); }
    const b = configs['Pendulum-v1 td3 tau=0.01'];
    expect([b.finished, b.curve!.seeds, b.noCurveSeeds]).toEqual([2, [1], [2]]);
    const ddpg = configs['Pendulum-v1 ddpg'];
    expect(ddpg.final!.iqm).toBe(-157.5); // 4 runs: mean of the middle two, -155 and -160
    expect(ddpg.final!.median).toBe(-157.5);
    expect(ddpg.curve).toBeNull();
    expect(configs['MountainCarContinuous-v0 ddpg'].final!.iqmCi).toEqual([93.5, 93.5]);
    expect(rep.totals).toEqual({ runs: 12, configs: 4, finished: 10, unfinished: 2 });
    expect(rep.warnings.some((w) => /different numbers of finished seeds/.test(w))).toBe(true);
    // The table on stdout and in report.md.
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    for (const text of [r.stdout, md]) {
      expect(text).toMatch(/\| config \| seeds \| finished \| mean ± std \| median \| IQM \[95 % CI\] \| mean \[95 % CI\] \| wall time \(median\) \|/);
      expect(text).toMatch(/\| Pendulum-v1 td3 tau=0\.005 \| 5 \(1, 2, 3, 4, 5\) \| 3 of 5; unfinished: seed 4 at step 400 of 600, seed 5 at step 450 of 600 \| -240\.0 ± 113\.4 \| -170\.0 \| -240\.0 \[/);
      expect(text).toMatch(/warning: configs have different numbers of finished seeds/);
      expect(text).toMatch(/Pendulum-v1 td3 tau=0\.01: curve from seed 1 .*no curve from seed 2 \(no evals\.csv rows\)/);
    }
    expect(md).toMatch(/## Method/);
    expect(md).toMatch(/trim_mean\(x, 0\.25\)/);
    expect(md).toContain('![Pendulum-v1 learning curves');
    // One SVG per env with curves, a line and a band per config with a curve.
    const svg = readFileSync(join(out, 'curves-Pendulum-v1.svg'), 'utf8');
    expect(svg.match(/<polygon class="band"/g)).toHaveLength(2);
    expect(svg.match(/<polyline /g)).toHaveLength(2);
    expect(svg).toContain('Pendulum-v1 td3 tau=0.005 (3 seeds)');
    expect(svg).toContain('band: 95 % bootstrap CI');
    expect(existsSync(join(out, 'curves-MountainCarContinuous-v0.svg'))).toBe(false);
  });

  it('the same inputs and seed give the same bytes; another seed other intervals', async () => {
    const root = syntheticRuns(), base = tempDir('report-repro');
    const files = async (name: string, seed: string) => {
      expect((await cli(['report', root, '--out', join(base, name), '--seed', seed])).code).toBe(0);
      return ['report.json', 'report.md', 'curves-Pendulum-v1.svg'].map((f) => readFileSync(join(base, name, f), 'utf8'));
    };
    const [first, again, other] = [await files('a', '7'), await files('b', '7'), await files('c', '8')];
    expect(again).toEqual(first);
    expect(other[0]).not.toEqual(first[0]);
    expect(readJson(join(base, 'a', 'report.json')).bootstrap).toMatchObject({ resamples: 2000, seed: 7 });
  });

  it('a run folder given directly, and overlapping folders, count each run once', async () => {
    const root = syntheticRuns(), out = join(tempDir('report-one'), 'r');
    const one = join(root, 'sweep', 'tau0.005', 'seed1');
    expect((await cli(['report', one, root, one, '--out', out])).code).toBe(0);
    expect(readJson(join(out, 'report.json')).totals.runs).toBe(12);
  });
});

describe('report refuses bad input', () => {
  /** Runs report into a fresh --out, expects `code` and a message matching `msg`, no stack trace, nothing written. */
  async function refused(args: string[], code: number, msg: RegExp) {
    const out = join(tempDir('report-bad'), 'out');
    const r = await cli(['report', ...args, '--out', out]);
    expect(r.stderr).toMatch(msg);
    expect(r.code).toBe(code);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
    return r;
  }

  it('flags and folders: usage errors, exit 2', async () => {
    const root = syntheticRuns();
    const none = await cli(['report']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/Usage: ddpg-wasm report DIR\.\.\.[\s\S]*report needs at least one DIR/);
    await refused([join(root, 'nope')], 2, /nope: no such folder/);
    await refused([join(root, 'mcc', 'config.json')], 2, /config\.json is not a folder/);
    await refused([root, '--bootstrap', '0'], 2, /--bootstrap expects an integer from 1/);
    await refused([root, '--bootstrap', 'many'], 2, /--bootstrap expects an integer from 1 .* got 'many'/);
    await refused([root, '--seed', '-1'], 2, /--seed expects an integer from 0 .* got '-1'/);
    await refused([root, '--steps', '5'], 2, /Unknown option '--steps'/);
    const runAsOut = await cli(['report', root, '--out', join(root, 'mcc')]);
    expect(runAsOut.code).toBe(2);
    expect(runAsOut.stderr).toMatch(/mcc is a run folder/);
    expect(existsSync(join(root, 'mcc', 'report.json'))).toBe(false);
    const help = await cli(['report', '--help']);
    expect([help.code, help.stdout]).toEqual([0, expect.stringMatching(/--bootstrap N\s+bootstrap resamples \(default 2000\)/)]);
    expect((await cli(['--help'])).stdout).toMatch(/^ {2}report {2}aggregate run folders over seeds/m);
  });

  it('no run folders, a broken config.json, eval.json or evals.csv: a message naming the file (and line), exit 1', async () => {
    await refused([tempDir('report-empty')], 1, /no run folders \(folders holding config\.json\) under /);
    const cases: [string, (dir: string) => void, RegExp][] = [
      ['config.json not JSON', (d) => writeFileSync(join(d, 'config.json'), '{\n  "env": "Pendulum-v1",\n}\n'), /config\.json:3: not valid JSON/],
      ['config.json not an object', (d) => writeFileSync(join(d, 'config.json'), '[1, 2]\n'), /config\.json: not a run's config\.json/],
      ...(['env', 'algo', 'seed'] as const).map((key): [string, (dir: string) => void, RegExp] => [`config.json without ${key}`, (d) => {
        const c = JSON.parse(readFileSync(join(d, 'config.json'), 'utf8'));
        delete c[key];
        writeFileSync(join(d, 'config.json'), JSON.stringify(c, null, 2));
      }, new RegExp(`config\\.json: "${key}" must be`)]),
      ['config.json with a string seed', (d) => writeFileSync(join(d, 'config.json'), '{\n  "env": "Pendulum-v1",\n  "algo": "td3",\n  "steps": 600,\n  "seed": "1"\n}'), /config\.json:5: "seed" must be an integer, got "1"/],
      ['eval.json not JSON', (d) => writeFileSync(join(d, 'eval.json'), '{\n  "mean": -150,\n  "std": \n}'), /eval\.json:4: not valid JSON/],
      ['eval.json mean not a number', (d) => writeFileSync(join(d, 'eval.json'), '{\n  "std": 1,\n  "mean": "high"\n}'), /eval\.json:3: "mean" must be a finite number, got "high"/],
      ['eval.json returns short', (d) => writeFileSync(join(d, 'eval.json'), JSON.stringify({ mean: 1, std: 0, returns: [1], episodes: 2, steps: 600 }, null, 2)), /eval\.json:4: "returns" must be an array of 2 finite numbers/],
      ['evals.csv header', (d) => writeFileSync(join(d, 'evals.csv'), 'step,mean\n200,-1\n'), /evals\.csv:1: the header must be 'step,mean,std,episodes,returns'/],
      ['evals.csv row', (d) => writeFileSync(join(d, 'evals.csv'), 'step,mean,std,episodes,returns\n200,-1,0,1,-1\n400,oops,0,1,-1\n'), /evals\.csv:3: mean must be a finite number, got 'oops'/],
      ['evals.csv returns', (d) => writeFileSync(join(d, 'evals.csv'), 'step,mean,std,episodes,returns\n200,-1,0,2,-1\n'), /evals\.csv:2: returns must be 2 finite numbers joined with ';', got '-1'/],
      ['evals.csv steps', (d) => writeFileSync(join(d, 'evals.csv'), 'step,mean,std,episodes,returns\n400,-1,0,1,-1\n200,-1,0,1,-1\n'), /evals\.csv:3: step 200 is not above the previous row's 400/],
    ];
    for (const [what, breakIt, msg] of cases) {
      const root = syntheticRuns();
      const dir = join(root, 'sweep', 'tau0.01', 'seed1');
      breakIt(dir);
      const r = await refused([root], 1, msg);
      expect(r.stderr, what).toContain(dir);
      expect(r.stderr, what).toMatch(/^ddpg-wasm report: /);
    }
  });
});

describe('report on real training runs', () => {
  it('three tiny Pendulum runs: one config, three finished seeds, the scores are their eval.json means', async () => {
    const root = tempDir('report-train');
    const SMALL = ['--actor-hidden', '8,8', '--critic-hidden', '8,8', '--batch-size', '16', '--buffer-size', '2000',
      '--learning-starts', '200', '--quiet', '--eval-episodes', '2', '--steps', '300'];
    for (const seed of [1, 2, 3]) expect(await trainCommand([...SMALL, '--seed', String(seed), '--out', join(root, `Pendulum-v1-ddpg-seed${seed}`)])).toBe(0);
    const out = join(root, 'report');
    const r = await cli(['report', root, '--out', out]);
    expect(r.code).toBe(0);
    const rep = readJson(join(out, 'report.json'));
    expect(rep.envs).toHaveLength(1);
    const [c] = rep.envs[0].configs;
    expect([c.name, c.seeds, c.finished, c.unfinished]).toEqual(['Pendulum-v1 ddpg', [1, 2, 3], 3, []]);
    const means = [1, 2, 3].map((s) => JSON.parse(readFileSync(join(root, `Pendulum-v1-ddpg-seed${s}`, 'eval.json'), 'utf8')).mean as number);
    expect(c.final!.scores).toEqual(means);
    expect(c.final!.iqm).toBeCloseTo(mean(means), 9);
    const ulps = 1e-9 * Math.abs(mean(means)); // a resample of one value three times averages to it ± rounding
    expect(c.final!.iqmCi[0]).toBeGreaterThanOrEqual(Math.min(...means) - ulps);
    expect(c.final!.iqmCi[1]).toBeLessThanOrEqual(Math.max(...means) + ulps);
    expect(c.final!.iqmCi[0]).toBeLessThan(c.final!.iqmCi[1]);
    expect(c.final!.wallSecondsMedian).toBeGreaterThan(0);
    expect(r.stdout).toMatch(/\| Pendulum-v1 ddpg \| 3 \(1, 2, 3\) \| 3 of 3 \|/);
  });
});
