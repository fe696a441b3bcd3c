// Observation normalization (config.obsNormalization): the running statistics against SB3's RunningMeanStd
// transcribed in float64, the agent acting and updating on normalized observations (and only then), clipping,
// checkpoints and exported policies carrying the statistics (actions bit-identical), and exact resume.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeCheckpoint, encodeCheckpoint, encodePolicy, loadEngine, loadPolicy, type Engine } from '../src/index.js';
import { agentFromCheckpoint, agentToCheckpoint } from '../src/rl/agent-state.js';
import { DDPG } from '../src/rl/ddpg.js';
import { ObsNormalizer } from '../src/rl/normalizer.js';
import { TD3 } from '../src/rl/td3.js';
import { trainCommand } from '../src/cli/train.js';
import { checkpointArrays, metricsWithoutWall, tempDir } from './helpers/cli.js';
import { randomArray, refForward, relError } from './helpers/ref64.js';

let engine: Engine;
beforeAll(async () => { engine = await loadEngine(); });

/** SB3's RunningMeanStd (stable_baselines3/common/running_mean_std.py), batch form, float64. */
class RefRunningMeanStd {
  mean: number[]; var: number[]; count = 1e-4;
  constructor(dim: number) { this.mean = new Array(dim).fill(0); this.var = new Array(dim).fill(1); }
  update(batch: number[][]): void {
    const n = batch.length, d = this.mean.length;
    const bm = Array.from({ length: d }, (_, i) => batch.reduce((s, x) => s + x[i], 0) / n);
    const bv = Array.from({ length: d }, (_, i) => batch.reduce((s, x) => s + (x[i] - bm[i]) ** 2, 0) / n);
    const tot = this.count + n;
    for (let i = 0; i < d; i++) {
      const delta = bm[i] - this.mean[i];
      const m2 = this.var[i] * this.count + bv[i] * n + delta * delta * this.count * n / tot;
      this.mean[i] += delta * n / tot;
      this.var[i] = m2 / tot;
    }
    this.count = tot;
  }
}

describe('running statistics', () => {
  it('match SB3\'s RunningMeanStd observation by observation, and converge to the sample moments', () => {
    const rng = seedrandom('rms');
    const norm = new ObsNormalizer(3, 10), ref = new RefRunningMeanStd(3);
    const xs: number[][] = [];
    for (let t = 0; t < 2000; t++) {
      const x = [5 + 2 * (rng() - 0.5), -100 + 40 * rng(), 1e-3 * rng()];
      xs.push(x);
      norm.update(x);
      ref.update([x]);
      if (t % 97 === 0) {
        const s = norm.getState();
        expect(relError(s.mean, ref.mean, 1e-12)).toBeLessThan(1e-12);
        expect(relError(s.var, ref.var, 1e-12)).toBeLessThan(1e-12);
        expect(s.count).toBeCloseTo(ref.count, 9);
      }
    }
    const mean = [0, 1, 2].map((i) => xs.reduce((s, x) => s + x[i], 0) / xs.length);
    const v = [0, 1, 2].map((i) => xs.reduce((s, x) => s + (x[i] - mean[i]) ** 2, 0) / xs.length);
    const s = norm.getState();
    expect(relError(s.mean, mean, 1e-9)).toBeLessThan(1e-6);
    expect(relError(s.var, v, 1e-9)).toBeLessThan(1e-3);
  });

  it('normalize = clip((x − mean) / √(var + 1e−8), ±clip), row by row', () => {
    const norm = new ObsNormalizer(2, 3);
    for (const x of [[1, 10], [3, 14], [2, 12]]) norm.update(x);
    const { mean, var: v } = norm.getState();
    const x = [2.5, 100, -50, 11];
    const out = norm.normalize(x, new Float32Array(4));
    const want = x.map((xi, k) => Math.min(3, Math.max(-3, (xi - mean[k % 2]) / Math.sqrt(v[k % 2] + 1e-8))));
    expect(Array.from(out)).toEqual(want.map(Math.fround));
    expect(out[1]).toBe(3); // clipped
    expect(out[2]).toBe(-3);
  });

  it('refuses states that are not statistics', () => {
    const norm = new ObsNormalizer(2, 10);
    const good = norm.getState();
    for (const bad of [{ ...good, mean: [0] }, { ...good, var: [1, -1] }, { ...good, var: [1, NaN] }, { ...good, count: 0 }, { ...good, count: '5' }, null]) {
      expect(() => norm.setState(bad as never)).toThrow(/ObsNormalizer state/);
    }
  });
});

const B = 6, OBS = 3, ACT = 2;
const config = (extra: Record<string, unknown> = {}) => ({
  obsDim: OBS, actDim: ACT, actionLow: [-1, 0], actionHigh: [1, 2], actorHidden: [7], criticHidden: [5, 4], batchSize: B,
  bufferSize: 200, learningStarts: 0, seed: 3, actorLr: 1e-2, criticLr: 1e-2, finalInitScale: 0.3, ...extra,
});

/** Observations far from zero mean and unit scale, as MuJoCo's are. */
function fill(agent: DDPG | TD3, n: number, tag: string): void {
  const rng = seedrandom(tag);
  const obs = () => [50 + 10 * rng(), -3 + 0.01 * rng(), 1000 * (rng() - 0.5)];
  agent.startEpisode(obs());
  for (let t = 0; t < n; t++) agent.observe(obs(), [rng() * 2 - 1, 2 * rng()], rng() - 0.5, obs(), t % 9 === 8);
}

describe('an agent with obsNormalization', () => {
  it('acts on normalized observations: act(s) = scale·μ(normalize(s)) + bias', () => {
    const agent = new DDPG(engine, config({ obsNormalization: true }));
    fill(agent, 40, 'act');
    const s = [55, -2.995, 120];
    const z = agent.obsNormalizer!.normalize(s, new Float32Array(3));
    const u = refForward({ sizes: [OBS, 7, ACT], hidden: 'relu', output: 'tanh' }, agent.actor.getParams(), z, 1);
    expect(relError(agent.act(s), [u[0] + 0, 1 + u[1]])).toBeLessThan(1e-6);
  });

  it('updates on batches normalized with the current statistics: the same as a plain agent given normalized batches', () => {
    const withNorm = new TD3(engine, config({ obsNormalization: true, policyDelay: 1 }));
    const plain = new TD3(engine, config({ policyDelay: 1 }));
    fill(withNorm, 60, 'upd');
    const norm = withNorm.obsNormalizer!;
    const batch = {
      obs: randomArray(B * OBS, 'o', 40, 60), actions: randomArray(B * ACT, 'a', 0, 1), rewards: randomArray(B, 'r'),
      nextObs: randomArray(B * OBS, 'n', 40, 60), terminated: Float32Array.from({ length: B }, (_, i) => +(i === 2)),
    };
    const normalized = { ...batch, obs: norm.normalize(batch.obs, new Float32Array(B * OBS)), nextObs: norm.normalize(batch.nextObs, new Float32Array(B * OBS)) };
    for (let u = 0; u < 3; u++) { withNorm.update(batch); plain.update(normalized); }
    for (const name of Object.keys(plain.networks)) {
      expect(Array.from(withNorm.networks[name].getParams()), name).toEqual(Array.from(plain.networks[name].getParams()));
    }
    // And normalization matters here: the plain agent on the raw batch learns something else.
    const raw = new TD3(engine, config({ policyDelay: 1 }));
    for (let u = 0; u < 3; u++) raw.update(batch);
    expect(relError(raw.critic1.getParams(), plain.critic1.getParams())).toBeGreaterThan(1e-3);
  });

  it('is off by default and then costs nothing: no statistics, no checkpoint entry', () => {
    const agent = new DDPG(engine, config());
    expect(agent.obsNormalizer).toBeUndefined();
    expect(agentToCheckpoint(agent).meta.obsNormalizer).toBeUndefined();
  });

  it('keeps its statistics in checkpoints; a checkpoint without them is refused', () => {
    const agent = new DDPG(engine, config({ obsNormalization: true, obsClip: 5 }));
    fill(agent, 30, 'ckpt');
    const bytes = encodeCheckpoint(agentToCheckpoint(agent, { withReplay: true }));
    const back = agentFromCheckpoint(engine, decodeCheckpoint(bytes), 'n.ddpg');
    expect(back.obsNormalizer!.getState()).toEqual(agent.obsNormalizer!.getState());
    expect(Array.from(back.act([52, -2.99, 3]))).toEqual(Array.from(agent.act([52, -2.99, 3])));
    const c = decodeCheckpoint(bytes);
    delete c.meta.obsNormalizer;
    expect(() => agentFromCheckpoint(engine, c, 'n.ddpg')).toThrow(/obsNormalizer is missing/);
  });

  it('carries them into the exported policy and a checkpoint\'s policy: actions bit-identical on 1000 observations', async () => {
    const agent = new TD3(engine, config({ obsNormalization: true, obsClip: 2 }));
    fill(agent, 80, 'pol');
    for (let u = 0; u < 5; u++) agent.update();
    const policy = await loadPolicy(encodePolicy(agent), engine);
    const fromCheckpoint = await loadPolicy(encodeCheckpoint(agentToCheckpoint(agent)), engine);
    expect(policy.spec.obsNormalization?.clip).toBe(2);
    const rng = seedrandom('obs');
    for (let i = 0; i < 1000; i++) {
      const s = [40 + 30 * rng(), -3 + 0.05 * rng(), 2000 * (rng() - 0.5)]; // partly clipped
      const want = Array.from(agent.act(s));
      expect(Array.from(policy.act(s))).toEqual(want);
      expect(Array.from(fromCheckpoint.act(s))).toEqual(want);
    }
  });
});

describe('train --obs-normalization', () => {
  const SMALL = ['--actor-hidden', '8,8', '--critic-hidden', '8,8', '--batch-size', '32', '--buffer-size', '3000',
    '--learning-starts', '300', '--seed', '4', '--quiet', '--eval-episodes', '0', '--obs-normalization', '--algo', 'td3'];

  it('records the setting and resumes exactly (statistics included)', async () => {
    const full = tempDir('norm-full');
    expect(await trainCommand([...SMALL, '--steps', '1200', '--out', full])).toBe(0);
    expect(JSON.parse(readFileSync(join(full, 'config.json'), 'utf8')).obsNormalization).toBe(true);
    const state = decodeCheckpoint(readFileSync(join(full, 'checkpoint.ddpg'))).meta.obsNormalizer as { count: number };
    expect(state.count).toBeCloseTo(1200 + 6 + 1e-4, 6); // every step's next observation and 6 reset observations
    const dir = tempDir('norm-part');
    expect(await trainCommand([...SMALL, '--steps', '555', '--out', dir])).toBe(0);
    expect(await trainCommand(['--resume', dir, '--steps', '1200', '--quiet'])).toBe(0);
    expect(checkpointArrays(dir)).toEqual(checkpointArrays(full));
    expect(metricsWithoutWall(dir)).toEqual(metricsWithoutWall(full));
    expect(decodeCheckpoint(readFileSync(join(dir, 'checkpoint.ddpg'))).meta.obsNormalizer).toEqual(state);
  });
});
