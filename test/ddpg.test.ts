// DDPG's update checked piece by piece against independent computations: the TD target (terminated vs
// truncated), the critic step, the actor's deterministic policy gradient (finite differences through a
// float64 reference of actor and critic), that the actor step leaves the critic alone, Polyak targets,
// determinism, config validation, and that it learns Pendulum.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadEngine, type Engine } from '../src/index.js';
import type { UpdateBatch } from '../src/rl/agent.js';
import { DDPG } from '../src/rl/ddpg.js';
import { Trainer, evaluate } from '../src/rl/trainer.js';
import { DDPG_PRESETS } from '../src/rl/presets.js';
import { makeEnv } from '../src/envs/index.js';
import { finiteDiff, randomArray, refForward, relError } from './helpers/ref64.js';

let engine: Engine;
beforeAll(async () => { engine = await loadEngine(); });

const B = 5, OBS = 3, ACT = 2;
const LOW = [-2, -0.5], HIGH = [2, 1.5]; // asymmetric box: scale (2, 1), bias (0, 0.5)

function smallAgent(seed = 7, extra: Record<string, unknown> = {}): DDPG {
  return new DDPG(engine, {
    obsDim: OBS, actDim: ACT, actionLow: LOW, actionHigh: HIGH, actorHidden: [6, 5], criticHidden: [7, 4],
    batchSize: B, bufferSize: 100, learningStarts: 0, seed, gamma: 0.9, tau: 0.05, actorLr: 1e-2, criticLr: 1e-2,
    finalInitScale: 0.3, ...extra,
  });
}

function makeBatch(tag: string, terminated: number[]): UpdateBatch {
  const actions = randomArray(B * ACT, `a${tag}`);
  for (let i = 0; i < B; i++) { actions[i * ACT] *= 2; actions[i * ACT + 1] = 0.5 + actions[i * ACT + 1]; }
  return {
    obs: randomArray(B * OBS, `s${tag}`, -1, 1), actions, rewards: randomArray(B, `r${tag}`, -2, 1),
    nextObs: randomArray(B * OBS, `n${tag}`, -1, 1), terminated: Float32Array.from(terminated),
  };
}

const scale = [2, 1], bias = [0, 0.5];
const actorRef = (agent: DDPG) => ({ sizes: [OBS, ...agent.config.actorHidden, ACT], hidden: 'relu' as const, output: 'tanh' as const });
const criticRef = (agent: DDPG) => ({ sizes: [OBS, ...agent.config.criticHidden, 1], hidden: 'relu' as const, output: 'identity' as const,
  join: { layer: agent.config.criticActionLayer, size: ACT } });
const toEnv = (u: ArrayLike<number>) => Float64Array.from(u, (v, i) => scale[i % ACT] * v + bias[i % ACT]);

/** y = r + γ(1 − d)·Q′(s′, μ′(s′)) in float64 from the target networks' parameters. */
function tdTarget(agent: DDPG, b: UpdateBatch): Float64Array {
  const aNext = toEnv(refForward(actorRef(agent), agent.actorTarget.getParams(), b.nextObs, B));
  const qNext = refForward(criticRef(agent), agent.criticTarget.getParams(), b.nextObs, B, aNext);
  return Float64Array.from(b.rewards, (r, i) => r + agent.config.gamma * (1 - b.terminated[i]) * qNext[i]);
}

describe('one DDPG update, step by step', () => {
  for (const layer of [0, 1]) {
    it(`TD target, critic loss and qMean (action enters the critic at layer ${layer})`, () => {
      const agent = smallAgent(3, { criticActionLayer: layer });
      const b = makeBatch(`td${layer}`, [0, 1, 0, 1, 0]);
      const y = tdTarget(agent, b);
      const q = refForward(criticRef(agent), agent.critic.getParams(), b.obs, B, b.actions);
      const stats = agent.update(b);
      const want = q.reduce((s, v, i) => s + (v - y[i]) ** 2, 0) / B;
      expect(stats.criticLoss).toBeCloseTo(want, 5);
      expect(stats.qMean).toBeCloseTo(q.reduce((s, v) => s + v, 0) / B, 6);
      expect(stats.tdErrorMean).toBeCloseTo(q.reduce((s, v, i) => s + Math.abs(v - y[i]), 0) / B, 6);
    });
  }

  it('terminated rows do not bootstrap (y = r whatever Q′ says); terminated = 0 rows (truncations) do', () => {
    // The target critic is scrambled to large values, so any use of Q′ on a row shows in the agent's loss.
    const scrambled = (agent: DDPG) => {
      agent.criticTarget.setParams(randomArray(agent.criticTarget.paramCount, 'scramble', -3, 3));
      return agent;
    };
    const b = makeBatch('term', [0, 0, 0, 0, 0]);
    const lossWith = (terminated: number[]) => {
      const agent = scrambled(smallAgent(4));
      const q = refForward(criticRef(agent), agent.critic.getParams(), b.obs, B, b.actions);
      const batch = { ...b, terminated: Float32Array.from(terminated) };
      const y = tdTarget(agent, batch);
      return { got: agent.update(batch).criticLoss, q, y };
    };
    const allTerminal = lossWith([1, 1, 1, 1, 1]);
    const want = allTerminal.q.reduce((s, v, i) => s + (v - b.rewards[i]) ** 2, 0) / B; // y = r: Q′ unused
    const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-6);
    expect(rel(allTerminal.got, want)).toBeLessThan(1e-6);
    const bootstrapping = lossWith([0, 0, 0, 0, 0]);
    expect(rel(bootstrapping.got, bootstrapping.q.reduce((s, v, i) => s + (v - bootstrapping.y[i]) ** 2, 0) / B)).toBeLessThan(1e-6);
    expect(Math.abs(bootstrapping.got - allTerminal.got)).toBeGreaterThan(0.1); // γ·Q′ of the scrambled critic is large
    const oneTerminal = lossWith([0, 1, 0, 0, 0]);
    expect(oneTerminal.y[1]).toBe(b.rewards[1]);
    expect(rel(oneTerminal.got, oneTerminal.q.reduce((s, v, i) => s + (v - oneTerminal.y[i]) ** 2, 0) / B)).toBeLessThan(1e-6);
  });

  for (const layer of [0, 1]) {
    it(`actor gradient = finite differences of −mean Q(s, scale·μ(s) + bias) (action at layer ${layer})`, () => {
      const agent = smallAgent(11, { criticActionLayer: layer });
      const b = makeBatch(`pg${layer}`, [0, 0, 1, 0, 0]);
      const actorBefore = agent.actor.getParams();
      agent.update(b);
      // The actor step used the critic as it is after the critic step; the actor's grads are still stored.
      const critic = agent.critic.getParams();
      const loss = (p: Float64Array) => {
        const a = toEnv(refForward(actorRef(agent), p, b.obs, B));
        const q = refForward(criticRef(agent), critic, b.obs, B, a);
        return -q.reduce((s, v) => s + v, 0) / B;
      };
      const fd = finiteDiff(loss, actorBefore);
      const grads = agent.actor.getGrads();
      for (const l of agent.actor.layers) {
        expect(relError(grads.subarray(l.wOffset, l.bOffset + l.out), fd.subarray(l.wOffset, l.bOffset + l.out))).toBeLessThan(1e-3);
      }
      expect(Math.max(...grads.map(Math.abs))).toBeGreaterThan(1e-4);
    });
  }

  it('the actor step leaves the critic unchanged: critic after update = critic step alone (bit for bit)', () => {
    const agent = smallAgent(5);
    const twin = smallAgent(5); // same seed: same weights
    const b = makeBatch('twin', [0, 0, 0, 0, 1]);
    const y = Float32Array.from(tdTarget(twin, b));
    // The critic step by hand on the twin, with the engine's own pieces.
    const q = twin.critic.forward(b.obs, B, b.actions);
    const dq = Float32Array.from(q, (v, i) => (2 * (v - y[i])) / B);
    twin.critic.backward(dq, { inputGrad: false });
    twin.criticOptimizer.step();
    agent.update(b);
    const got = agent.critic.getParams(), want = twin.critic.getParams();
    expect(relError(got, want)).toBeLessThan(1e-6); // y in float64 vs float32 may differ in the last bit
    expect(relError(got, smallAgent(5).critic.getParams())).toBeGreaterThan(1e-4); // and the critic did move
  });

  it('targets start as exact copies and follow θ′ ← τθ + (1 − τ)θ′', () => {
    const agent = smallAgent(9);
    expect(Array.from(agent.actorTarget.getParams())).toEqual(Array.from(agent.actor.getParams()));
    expect(Array.from(agent.criticTarget.getParams())).toEqual(Array.from(agent.critic.getParams()));
    const before = { a: agent.actorTarget.getParams(), c: agent.criticTarget.getParams() };
    agent.update(makeBatch('polyak', [0, 0, 0, 0, 0]));
    const tau = agent.config.tau;
    const mix = (t: Float32Array, s: Float32Array) => Float64Array.from(t, (v, i) => tau * s[i] + (1 - tau) * v);
    expect(relError(agent.actorTarget.getParams(), mix(before.a, agent.actor.getParams()))).toBeLessThan(1e-6);
    expect(relError(agent.criticTarget.getParams(), mix(before.c, agent.critic.getParams()))).toBeLessThan(1e-6);
    expect(relError(agent.actorTarget.getParams(), agent.actor.getParams())).toBeGreaterThan(1e-6); // targets lag
  });

  it('actions: uniform in the box before learningStarts, tanh scaled to the box after, noise clipped', () => {
    const agent = smallAgent(2, { learningStarts: 3, noiseSigma: 5 });
    const s = [0.1, -0.2, 0.3];
    for (let k = 0; k < 3; k++) {
      const a = agent.act(s, { explore: true });
      for (let j = 0; j < ACT; j++) { expect(a[j]).toBeGreaterThanOrEqual(LOW[j]); expect(a[j]).toBeLessThanOrEqual(HIGH[j]); }
      agent.observe(s, a, 0, s, false);
    }
    const det = Array.from(agent.act(s));
    const u = refForward(actorRef(agent), agent.actor.getParams(), s, 1);
    expect(relError(det, toEnv(u))).toBeLessThan(1e-6);
    let clipped = 0;
    for (let k = 0; k < 50; k++) {
      const a = agent.act(s, { explore: true });
      for (let j = 0; j < ACT; j++) {
        expect(a[j]).toBeGreaterThanOrEqual(LOW[j]); expect(a[j]).toBeLessThanOrEqual(HIGH[j]);
        if (a[j] === LOW[j] || a[j] === HIGH[j]) clipped++;
      }
    }
    expect(clipped).toBeGreaterThan(10); // σ = 5 half-ranges: most samples hit the box
  });
});

describe('policyDelay', () => {
  it('default 1 (the paper): the actor and both targets step on every update', () => {
    const agent = smallAgent(8);
    expect(agent.config.policyDelay).toBe(1);
    for (let u = 1; u <= 3; u++) expect(agent.update(makeBatch(`pd${u}`, [0, 0, 1, 0, 0])).actorLoss).toBeTypeOf('number');
    expect(agent.actorOptimizer.t).toBe(3);
  });
  it('2 (CleanRL\'s DDPG): on odd updates the actor and the targets keep their bits, on even ones they step', () => {
    const agent = smallAgent(8, { policyDelay: 2 });
    for (let u = 1; u <= 4; u++) {
      const before = ['actor', 'actorTarget', 'criticTarget'].map((n) => agent.networks[n].getParams());
      const stats = agent.update(makeBatch(`pd${u}`, [0, 0, 1, 0, 0]));
      const after = ['actor', 'actorTarget', 'criticTarget'].map((n) => agent.networks[n].getParams());
      if (u % 2) {
        expect(stats.actorLoss).toBeUndefined();
        after.forEach((p, i) => expect(Array.from(p)).toEqual(Array.from(before[i])));
      } else {
        expect(stats.actorLoss).toBeTypeOf('number');
        after.forEach((p, i) => expect(relError(p, before[i])).toBeGreaterThan(1e-6));
      }
    }
    expect([agent.actorOptimizer.t, agent.criticOptimizer.t]).toEqual([2, 4]);
  });
});

describe('determinism', () => {
  const run = (seed: number) => {
    const env = makeEnv('Pendulum-v1');
    const agent = new DDPG(engine, { obsDim: 3, actDim: 1, actionLow: [-2], actionHigh: [2], actorHidden: [16, 16], criticHidden: [16, 16],
      batchSize: 32, bufferSize: 2000, learningStarts: 300, seed, noise: 'ou', noiseSigma: 0.3 });
    new Trainer(agent, env).run(900);
    return [agent.actor, agent.critic, agent.actorTarget, agent.criticTarget].map((n) => Array.from(n.getParams()));
  };
  it('one seed gives the same bits; another seed differs', () => {
    const a = run(4), b = run(4), c = run(5);
    expect(a).toEqual(b);
    expect(relError(a[0], c[0])).toBeGreaterThan(1e-3);
  });
});

describe('config validation', () => {
  const base = { obsDim: 3, actDim: 1, actionLow: [-2], actionHigh: [2] };
  it.each([
    [{ gamma: 1.5 }, /config.gamma must be in \[0, 1\], got 1.5/],
    [{ tau: 0 }, /config.tau must be in \(0, 1\], got 0/],
    [{ actorLr: -1 }, /config.actorLr must be a positive finite number, got -1/],
    [{ batchSize: 512, bufferSize: 100 }, /batchSize \(512\) must be ≤ config.bufferSize \(100\)/],
    [{ actionLow: [2], actionHigh: [-2] }, /low < high .* dimension 0 has low 2, high -2/],
    [{ actionLow: [-2, -1] }, /config.actionLow must be an array of 1 finite numbers/],
    [{ actorHidden: [64, 0] }, /config.actorHidden must be a non-empty array of positive integers/],
    [{ noise: 'pink' }, /config.noise must be 'gaussian' or 'ou', got "pink"/],
    [{ criticActionLayer: 5 }, /criticActionLayer must be an integer in \[0, 2\]/],
    [{ learningRate: 1 }, /unknown DDPG config field 'learningRate'/],
  ])('%j is refused', (bad, message) => {
    expect(() => new DDPG(engine, { ...base, ...bad } as never)).toThrow(message);
  });
  it('update(batch) checks lengths and finiteness', () => {
    const agent = smallAgent();
    const b = makeBatch('v', [0, 0, 0, 0, 0]);
    expect(() => agent.update({ ...b, rewards: new Float32Array(4) })).toThrow(/batch.rewards has length 4, expected 5/);
    const obs = b.obs.slice(); obs[7] = NaN;
    expect(() => agent.update({ ...b, obs })).toThrow(/batch.obs contains NaN at row 2, column 1/);
  });
});

describe('learning', () => {
  it('Pendulum-v1: a small fast config reaches mean eval return ≥ −300 (random ≈ −1200)', () => {
    const env = makeEnv('Pendulum-v1');
    const agent = new DDPG(engine, {
      obsDim: 3, actDim: 1, actionLow: [-2], actionHigh: [2], ...DDPG_PRESETS['Pendulum-v1'].config, learningStarts: 1000, seed: 1,
    });
    new Trainer(agent, env).run(10_000);
    const ev = evaluate(agent, makeEnv('Pendulum-v1'), 10, 100_000);
    expect(ev.mean).toBeGreaterThanOrEqual(-300);
  });
});
