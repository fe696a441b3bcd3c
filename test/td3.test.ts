// TD3's update against an independent float64 TD3 written here from CleanRL's td3_continuous_action.py on
// the scalar reference kernels (src/reference/): three updates from set weights and given batches, every
// network after every update; the delay (no actor or target movement on odd updates); the min of the twin
// targets; the actor stepping on Q1 after the critics; target policy smoothing (seeded, clipped, changing
// the targets); config; and that TD3 learns Pendulum.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadEngine, type Engine } from '../src/index.js';
import * as ref from '../src/reference/index.js';
import { Rng } from '../src/rng.js';
import type { UpdateBatch } from '../src/rl/agent.js';
import { TD3 } from '../src/rl/td3.js';
import { TD3_PRESETS } from '../src/rl/presets.js';
import { Trainer, evaluate } from '../src/rl/trainer.js';
import { makeEnv } from '../src/envs/index.js';
import { randomArray, relError } from './helpers/ref64.js';

let engine: Engine;
beforeAll(async () => { engine = await loadEngine(); });

const B = 7, OBS = 3, ACT = 2;
const LOW = [-2, -0.5], HIGH = [2, 1.5]; // asymmetric box: scale (2, 1), bias (0, 0.5)
const SCALE = [2, 1], BIAS = [0, 0.5];
const NETS = ['actor', 'critic1', 'critic2', 'actorTarget', 'critic1Target', 'critic2Target'] as const;
type NetName = (typeof NETS)[number];

function agentWith(extra: Record<string, unknown> = {}, seed = 5): TD3 {
  return new TD3(engine, {
    obsDim: OBS, actDim: ACT, actionLow: LOW, actionHigh: HIGH, actorHidden: [6, 5], criticHidden: [7, 4],
    batchSize: B, bufferSize: 100, learningStarts: 0, seed, gamma: 0.9, tau: 0.05, actorLr: 1e-2, criticLr: 2e-2,
    criticWeightDecay: 1e-2, finalInitScale: 0.5, targetPolicyNoise: 0, ...extra,
  });
}

/** Every network set to its own random weights (targets differ from the online nets, so a missing or
 *  backwards Polyak step, or a target used in place of an online net, shows). */
function setWeights(agent: TD3, tag: string): void {
  for (const name of NETS) {
    const net = agent.networks[name];
    net.setParams(randomArray(net.paramCount, `${tag}-${name}`, -0.6, 0.6));
  }
}

function makeBatch(tag: string): UpdateBatch {
  const actions = randomArray(B * ACT, `a${tag}`);
  for (let i = 0; i < B; i++) { actions[i * ACT] *= 2; actions[i * ACT + 1] = 0.5 + actions[i * ACT + 1]; }
  return {
    obs: randomArray(B * OBS, `s${tag}`, -1, 1), actions, rewards: randomArray(B, `r${tag}`, -2, 1),
    nextObs: randomArray(B * OBS, `n${tag}`, -1, 1), terminated: Float32Array.from({ length: B }, (_, i) => +(i % 3 === 1)),
  };
}

const actorSpec: ref.MlpSpec = { sizes: [OBS, 6, 5, ACT], hidden: 'relu', output: 'tanh' };
const criticSpec: ref.MlpSpec = { sizes: [OBS, 7, 4, 1], hidden: 'relu', output: 'identity', join: { layer: 0, size: ACT } };

/** The smoothing of one update, as the reference applies it: ε per (row, dimension) in row-major order. */
interface RefSmoothing { sigma: number; clip: number; rng: Rng; innerClip?: boolean; outerClip?: boolean }

/** TD3 in float64, CleanRL's order, one Adam (PyTorch semantics) per trained network. */
class RefTd3 {
  readonly p: Record<NetName, Float64Array>;
  private readonly adam: Record<'actor' | 'critic1' | 'critic2', { m: Float64Array; v: Float64Array; t: number }>;
  updates = 0;
  lastMinRows = { fromQ1: 0, fromQ2: 0 };

  constructor(agent: TD3, private readonly c = agent.config, private readonly variant: { actorBeforeCritics?: boolean; actorOnQ2?: boolean; maxTarget?: boolean } = {}) {
    this.p = Object.fromEntries(NETS.map((n) => [n, Float64Array.from(agent.networks[n].getParams())])) as Record<NetName, Float64Array>;
    const zeros = (n: NetName) => ({ m: new Float64Array(this.p[n].length), v: new Float64Array(this.p[n].length), t: 0 });
    this.adam = { actor: zeros('actor'), critic1: zeros('critic1'), critic2: zeros('critic2') };
  }

  update(b: UpdateBatch, smoothing?: RefSmoothing): { critic1Loss: number; critic2Loss: number; actorLoss?: number; qMean: number } {
    const { gamma, tau, policyDelay } = this.c;
    this.updates += 1;
    // 1. a′ = clip(μ′(s′) + clip(σ̃·ε, −c, c)·scale, low, high);  y = r + γ(1 − d)·min(Q1′, Q2′)
    const u2 = ref.mlpForward(actorSpec, this.p.actorTarget, b.nextObs, B).y;
    const a2 = u2.map((u, k) => SCALE[k % ACT] * u + BIAS[k % ACT]);
    if (smoothing && smoothing.sigma > 0) {
      for (let k = 0; k < a2.length; k++) {
        let e = smoothing.sigma * smoothing.rng.normal();
        if (smoothing.innerClip !== false) e = Math.min(smoothing.clip, Math.max(-smoothing.clip, e));
        a2[k] += e * SCALE[k % ACT];
        if (smoothing.outerClip !== false) a2[k] = Math.min(HIGH[k % ACT], Math.max(LOW[k % ACT], a2[k]));
      }
    }
    const q1n = ref.mlpForward(criticSpec, this.p.critic1Target, b.nextObs, B, a2).y;
    const q2n = ref.mlpForward(criticSpec, this.p.critic2Target, b.nextObs, B, a2).y;
    this.lastMinRows = { fromQ1: q1n.filter((q, i) => q < q2n[i]).length, fromQ2: q1n.filter((q, i) => q > q2n[i]).length };
    const pick = this.variant.maxTarget ? Math.max : Math.min;
    const y = Float64Array.from(b.rewards, (r, i) => r + gamma * (1 - b.terminated[i]) * pick(q1n[i], q2n[i]));
    const policy = this.updates % policyDelay === 0;
    let actorLoss: number | undefined;
    if (policy && this.variant.actorBeforeCritics) actorLoss = this.actorStep(b, 'critic1');
    // 2. L_Qi = mean (Qi(s, a) − y)², an Adam step on each critic
    const losses = (['critic1', 'critic2'] as const).map((name) => {
      const { y: q, tape } = ref.mlpForward(criticSpec, this.p[name], b.obs, B, b.actions);
      const dq = q.map((v, i) => (2 * (v - y[i])) / B);
      this.step(name, ref.mlpBackward(criticSpec, this.p[name], tape, dq).params, this.c.criticLr, this.c.criticWeightDecay);
      return { loss: q.reduce((s, v, i) => s + (v - y[i]) ** 2, 0) / B, qMean: q.reduce((s, v) => s + v, 0) / B };
    });
    // 3. and 4. on every policyDelay-th update: the actor on −mean Q1(s, μ(s)), then Polyak of all three targets
    if (policy) {
      if (!this.variant.actorBeforeCritics) actorLoss = this.actorStep(b, this.variant.actorOnQ2 ? 'critic2' : 'critic1');
      for (const [target, source] of [['actorTarget', 'actor'], ['critic1Target', 'critic1'], ['critic2Target', 'critic2']] as const) {
        ref.polyak(this.p[target], this.p[source], tau);
      }
    }
    return { critic1Loss: losses[0].loss, critic2Loss: losses[1].loss, actorLoss, qMean: losses[0].qMean };
  }

  private actorStep(b: UpdateBatch, critic: 'critic1' | 'critic2'): number {
    const { y: u, tape: actorTape } = ref.mlpForward(actorSpec, this.p.actor, b.obs, B);
    const a = u.map((v, k) => SCALE[k % ACT] * v + BIAS[k % ACT]);
    const { y: q, tape } = ref.mlpForward(criticSpec, this.p[critic], b.obs, B, a);
    const dA = ref.mlpBackward(criticSpec, this.p[critic], tape, new Float64Array(B).fill(-1 / B)).join!;
    const dU = dA.map((d, k) => d * SCALE[k % ACT]);
    this.step('actor', ref.mlpBackward(actorSpec, this.p.actor, actorTape, dU).params, this.c.actorLr, this.c.actorWeightDecay);
    return -q.reduce((s, v) => s + v, 0) / B;
  }

  private step(name: 'actor' | 'critic1' | 'critic2', g: Float64Array, lr: number, weightDecay: number): void {
    const s = this.adam[name];
    s.t += 1;
    ref.adamStep(this.p[name], g, s.m, s.v, s.t, { lr, weightDecay });
  }
}

const params = (agent: TD3) => Object.fromEntries(NETS.map((n) => [n, agent.networks[n].getParams()])) as Record<NetName, Float32Array>;
const TOL = 2e-5; // float32 engine vs float64 reference after a few Adam steps

describe('TD3 update against a float64 reference (targetPolicyNoise 0)', () => {
  it('3 updates from set weights: both critic steps, min of the twin targets, delayed actor on Q1, Polyak of all three targets', () => {
    const agent = agentWith();
    setWeights(agent, 'w');
    // Twin targets close to each other, so that the min picks Q1′ on some rows and Q2′ on others.
    agent.critic2Target.setParams(agent.critic1Target.getParams().map((v, i) => v + 0.05 * Math.sin(7 * i)));
    const reference = new RefTd3(agent);
    const batches = [makeBatch('u1'), makeBatch('u2'), makeBatch('u3')];
    let rowsFromEach = { fromQ1: 0, fromQ2: 0 };
    for (let u = 1; u <= 3; u++) {
      const before = params(agent);
      const stats = { ...agent.update(batches[u - 1]) };
      const want = reference.update(batches[u - 1]);
      rowsFromEach = { fromQ1: rowsFromEach.fromQ1 + reference.lastMinRows.fromQ1, fromQ2: rowsFromEach.fromQ2 + reference.lastMinRows.fromQ2 };
      const after = params(agent);
      for (const n of NETS) expect(relError(after[n], reference.p[n]), `update ${u}: ${n}`).toBeLessThan(TOL);
      expect(relError([stats.critic1Loss, stats.critic2Loss, stats.qMean], [want.critic1Loss, want.critic2Loss, want.qMean])).toBeLessThan(1e-5);
      expect(stats.criticLoss).toBeCloseTo((stats.critic1Loss + stats.critic2Loss) / 2, 12);
      for (const n of ['critic1', 'critic2'] as const) expect(relError(after[n], before[n]), `update ${u}: ${n} moved`).toBeGreaterThan(1e-4);
      if (u % 2 === 1) {
        // No actor step and no target movement on odd updates: the bits are unchanged.
        expect(stats.actorLoss).toBeUndefined();
        for (const n of ['actor', 'actorTarget', 'critic1Target', 'critic2Target'] as const) expect(Array.from(after[n]), `update ${u}: ${n}`).toEqual(Array.from(before[n]));
      } else {
        expect(relError([stats.actorLoss!], [want.actorLoss!])).toBeLessThan(1e-4);
        for (const n of ['actor', 'actorTarget', 'critic1Target', 'critic2Target'] as const) expect(relError(after[n], before[n]), `update ${u}: ${n} moved`).toBeGreaterThan(1e-4);
      }
    }
    expect(agent.optimizers.actor.t).toBe(1);
    expect([agent.optimizers.critic1.t, agent.optimizers.critic2.t]).toEqual([3, 3]);
    // The min really chose between the twins: some rows took Q1′, some Q2′.
    expect(rowsFromEach.fromQ1).toBeGreaterThan(0);
    expect(rowsFromEach.fromQ2).toBeGreaterThan(0);
  });

  it('the reference is sensitive: the actor on Q2, or before the critic steps, or a max target would not match', () => {
    const batches = [makeBatch('v1'), makeBatch('v2')];
    const run = (variant: ConstructorParameters<typeof RefTd3>[2]) => {
      const agent = agentWith();
      setWeights(agent, 'w');
      agent.critic2Target.setParams(agent.critic1Target.getParams().map((v, i) => v + 0.05 * Math.sin(7 * i)));
      const reference = new RefTd3(agent, agent.config, variant);
      for (const b of batches) { agent.update(b); reference.update(b); }
      return Math.max(relError(agent.actor.getParams(), reference.p.actor), relError(agent.critic1.getParams(), reference.p.critic1));
    };
    expect(run({})).toBeLessThan(TOL);
    expect(run({ actorOnQ2: true })).toBeGreaterThan(1e-3);
    expect(run({ actorBeforeCritics: true })).toBeGreaterThan(1e-4);
    expect(run({ maxTarget: true })).toBeGreaterThan(1e-4);
  });

  it('policyDelay 1 steps the actor and the targets on every update; policyDelay 3 on the 3rd, 6th, …', () => {
    for (const policyDelay of [1, 3]) {
      const agent = agentWith({ policyDelay });
      const reference = new RefTd3(agent);
      const actorSteps: number[] = [];
      for (let u = 1; u <= 6; u++) {
        const b = makeBatch(`d${u}`);
        if (agent.update(b).actorLoss !== undefined) actorSteps.push(u);
        reference.update(b);
      }
      expect(actorSteps).toEqual(policyDelay === 1 ? [1, 2, 3, 4, 5, 6] : [3, 6]);
      for (const n of NETS) expect(relError(agent.networks[n].getParams(), reference.p[n]), n).toBeLessThan(1e-4);
    }
  });
});

describe('target policy smoothing', () => {
  const smooth = { targetPolicyNoise: 2, targetNoiseClip: 0.3, policyDelay: 1 };

  it('matches a′ = clip(μ′(s′) + clip(σ̃ε, −c, c)·scale, low, high) with ε from the seeded stream (seed·16 + 7)', () => {
    const agent = agentWith(smooth, 9);
    setWeights(agent, 's');
    // Push μ′ towards the box's edges (final biases ±2: tanh ≈ ±0.96), so that μ′ + noise leaves the box.
    const p = agent.actorTarget.getParams();
    p[p.length - 2] = 2; p[p.length - 1] = -2;
    agent.actorTarget.setParams(p);
    const exact = new RefTd3(agent);
    const noInner = new RefTd3(agent), noOuter = new RefTd3(agent);
    const rng = () => new Rng(9 * 16 + 7);
    const streams = { exact: rng(), noInner: rng(), noOuter: rng() };
    for (const tag of ['s1', 's2']) { // two updates: Adam's first step is sign-like, the second is not
      const b = makeBatch(tag);
      const got = { ...agent.update(b) };
      const want = exact.update(b, { sigma: 2, clip: 0.3, rng: streams.exact });
      const withoutInner = noInner.update(b, { sigma: 2, clip: 0.3, rng: streams.noInner, innerClip: false });
      const withoutOuter = noOuter.update(b, { sigma: 2, clip: 0.3, rng: streams.noOuter, outerClip: false });
      const losses = (r: { critic1Loss: number; critic2Loss: number }) => [r.critic1Loss, r.critic2Loss];
      expect(relError(losses(got), losses(want)), tag).toBeLessThan(1e-5);
      expect(relError(losses(got), losses(withoutInner)), `${tag}: σ̃ = 2, most ε are clipped`).toBeGreaterThan(1e-3);
      expect(relError(losses(got), losses(withoutOuter)), `${tag}: μ′ near the edge + noise leaves the box`).toBeGreaterThan(1e-3);
    }
    for (const n of NETS) expect(relError(agent.networks[n].getParams(), exact.p[n]), n).toBeLessThan(TOL);
    expect(agent.smoothingRng.getState()).toEqual(streams.exact.getState()); // B × actDim normals drawn, no more
  });

  it('is seeded: the same seed gives the same bits, and smoothing changes the targets', () => {
    const run = (extra: Record<string, unknown>, seed: number) => {
      const agent = agentWith({ ...extra, policyDelay: 1 }, seed);
      setWeights(agent, 'same');
      for (let u = 0; u < 3; u++) agent.update(makeBatch(`z${u}`));
      return NETS.map((n) => Array.from(agent.networks[n].getParams()));
    };
    const noise = { targetPolicyNoise: 0.2, targetNoiseClip: 0.5 };
    expect(run(noise, 4)).toEqual(run(noise, 4));
    const off = run({}, 4);
    const other = run(noise, 6); // another seed: another ε stream
    expect(relError(run(noise, 4)[1], off[1])).toBeGreaterThan(1e-5);
    expect(relError(run(noise, 4)[1], other[1])).toBeGreaterThan(1e-6);
  });

  it('targetPolicyNoise 0 draws nothing from the smoothing stream', () => {
    const agent = agentWith({}, 3);
    const before = agent.smoothingRng.getState();
    agent.update(makeBatch('q'));
    expect(agent.smoothingRng.getState()).toEqual(before);
  });
});

describe('TD3 config', () => {
  const base = { obsDim: 3, actDim: 1, actionLow: [-2], actionHigh: [2] };
  it('defaults are CleanRL\'s td3_continuous_action.py', () => {
    const c = new TD3(engine, { ...base, bufferSize: 1000 }).config;
    expect(c).toMatchObject({ actorHidden: [256, 256], criticHidden: [256, 256], actorLr: 3e-4, criticLr: 3e-4, gamma: 0.99, tau: 0.005,
      batchSize: 256, noiseSigma: 0.1, learningStarts: 25_000, policyDelay: 2, targetPolicyNoise: 0.2, targetNoiseClip: 0.5 });
  });
  it.each([
    [{ policyDelay: 0 }, /config.policyDelay must be a positive integer, got 0/],
    [{ policyDelay: 1.5 }, /config.policyDelay must be a positive integer, got 1.5/],
    [{ targetPolicyNoise: -0.1 }, /config.targetPolicyNoise must be a finite number ≥ 0, got -0.1/],
    [{ targetNoiseClip: NaN }, /config.targetNoiseClip must be a finite number ≥ 0, got NaN/],
    [{ targetNoiseClip: '0.5' }, /config.targetNoiseClip must be a finite number ≥ 0, got "0.5"/],
    [{ policyNoise: 0.2 }, /unknown TD3 config field 'policyNoise'/],
  ])('%j is refused', (bad, message) => {
    expect(() => new TD3(engine, { ...base, ...bad } as never)).toThrow(message);
  });
  it('its networks are listed by name, targets as exact copies, twin critics initialised apart', () => {
    const agent = agentWith();
    expect(Object.keys(agent.networks)).toEqual(['actor', 'critic1', 'critic2', 'actorTarget', 'critic1Target', 'critic2Target']);
    expect(Object.keys(agent.optimizers)).toEqual(['actor', 'critic1', 'critic2']);
    expect(agent.networks.critic1).toBe(agent.critic1);
    for (const [t, s] of [['actorTarget', 'actor'], ['critic1Target', 'critic1'], ['critic2Target', 'critic2']] as const) {
      expect(Array.from(agent.networks[t].getParams())).toEqual(Array.from(agent.networks[s].getParams()));
    }
    expect(relError(agent.critic1.getParams(), agent.critic2.getParams())).toBeGreaterThan(0.1);
  });
});

describe('learning', () => {
  it('Pendulum-v1: TD3 with its preset, 10k steps (1k random), reaches mean eval return ≥ −300 (random ≈ −1200)', () => {
    const agent = new TD3(engine, {
      obsDim: 3, actDim: 1, actionLow: [-2], actionHigh: [2], ...TD3_PRESETS['Pendulum-v1'].config, learningStarts: 1000, seed: 1,
    });
    new Trainer(agent, makeEnv('Pendulum-v1')).run(10_000);
    expect(evaluate(agent, makeEnv('Pendulum-v1'), 10, 100_000).mean).toBeGreaterThanOrEqual(-300);
  });
});
