// The machinery every off-policy actor-critic shares, written once: building the networks an algorithm
// lists (memory sized and checked up front, targets as exact copies, one Adam per trained network), the
// replay buffer, exploration (uniform-random actions before learningStarts, then μ(s) + noise clipped to
// the box), optional observation normalization, act/observe, batch validation, the divergence guard — and
// the steps an update is made of:
//
//   targetActions   a′ = scale ⊙ μ′(s′) + bias, optionally + clip(ε, −c, c) ⊙ scale then clipped to the box
//   tdTargets       y = r + γ·(1 − terminated)·q′   (q′ = min(Q1′, Q2′) when given two)
//   criticStep      L_Q = mean_b (Q(s, a) − y)²; backward; Adam step on that critic
//   actorStep       L_μ = −mean_b Q(s, μ(s)): ∇ₐQ through the critic, × scale, backward through μ; Adam
//                   step on the actor only (the critic's parameters do not move)
//   softUpdate      θ′ ← τ·θ + (1 − τ)·θ′
//
// An algorithm (ddpg.ts, td3.ts) is its network list and an update() that calls these in its order.
import type { Adam, AdamOptions } from '../nn/adam.js';
import { Adam as AdamClass } from '../nn/adam.js';
import { Engine as EngineClass, type Engine } from '../nn/engine.js';
import type { JoinSpec } from '../nn/layout.js';
import { Mlp } from '../nn/mlp.js';
import { MAX_BYTES as MAX_WASM_BYTES } from '../engine/runtime.js';
import { checkFinite, checkLength, checkObject, checkOptions, DivergenceError, fail } from '../errors.js';
import { Rng } from '../rng.js';
import type { Agent, AlgorithmName, Stateful, UpdateBatch, UpdateStats } from './agent.js';
import type { OffPolicyConfig } from './config.js';
import { GaussianNoise, OrnsteinUhlenbeckNoise } from './noise.js';
import { ObsNormalizer } from './normalizer.js';
import { ReplayBuffer } from './replay.js';

/** One network an algorithm owns. Its weights are seeded with config.seed·16 + seedOffset. */
export interface NetworkSpec {
  sizes: number[];
  output: 'identity' | 'tanh';
  join?: JoinSpec;
  seedOffset: number;
  /** A target network: starts as an exact copy of the named network and follows it by Polyak averaging. */
  targetOf?: string;
  /** A trained network: gets an Adam with these options. */
  optimizer?: AdamOptions;
}

export interface AgentPlan {
  /** Everything the agent owns, by name, in checkpoint order. */
  networks: Record<string, NetworkSpec>;
  /** The critic the actor ascends (its Q is what qValues() and introspection report). */
  policyCritic: string;
}

/** μ: [obs, …actorHidden, act], relu hidden layers, tanh output (scaled to the box by the agent). */
export function actorNetwork(c: OffPolicyConfig, seedOffset: number): NetworkSpec {
  return { sizes: [c.obsDim, ...c.actorHidden, c.actDim], output: 'tanh', seedOffset, optimizer: { lr: c.actorLr, weightDecay: c.actorWeightDecay } };
}

/** Q: [obs, …criticHidden, 1] with the action joining at weight layer criticActionLayer. */
export function criticNetwork(c: OffPolicyConfig, seedOffset: number): NetworkSpec {
  return {
    sizes: [c.obsDim, ...c.criticHidden, 1], output: 'identity', join: { layer: c.criticActionLayer, size: c.actDim }, seedOffset,
    optimizer: { lr: c.criticLr, weightDecay: c.criticWeightDecay },
  };
}

/** The target copy of `spec` (no optimizer). */
export function targetOf(name: string, spec: NetworkSpec): NetworkSpec {
  return { sizes: spec.sizes, output: spec.output, join: spec.join, seedOffset: spec.seedOffset, targetOf: name };
}

const mlpOptions = (c: OffPolicyConfig, spec: NetworkSpec) => ({
  sizes: spec.sizes, hidden: 'relu' as const, output: spec.output, join: spec.join, finalInitScale: c.finalInitScale, maxBatch: c.batchSize,
});

/** Bytes of engine memory the networks and optimizers of `plan` take, exactly as they are allocated. */
export function planMemoryBytes(c: OffPolicyConfig, plan: AgentPlan): number {
  let bytes = 0;
  for (const spec of Object.values(plan.networks)) {
    bytes += Mlp.memoryBytes(mlpOptions(c, spec));
    if (spec.optimizer) bytes += AdamClass.memoryBytes(paramCountOf(spec));
  }
  return bytes;
}

/** Parameters of a network spec (the flat layout of src/nn/layout.ts). */
export function paramCountOf(spec: Pick<NetworkSpec, 'sizes' | 'join'>): number {
  let n = 0;
  for (let l = 0; l + 1 < spec.sizes.length; l++) {
    const nIn = spec.sizes[l] + (spec.join?.layer === l ? spec.join.size : 0);
    n += nIn * spec.sizes[l + 1] + spec.sizes[l + 1];
  }
  return n;
}

const MAX_REPLAY_BYTES = 4 * 2 ** 30;
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

// act()'s options objects that need no check (hoisted: no object or key walk per step).
const EMPTY_OPTIONS: { explore?: boolean } = Object.freeze({});
/** The options the trainer passes on every step. */
export const EXPLORE: { explore: boolean } = Object.freeze({ explore: true });

// Backward options used by the update steps (hoisted: no object per call).
const PARAM_GRADS_ONLY = { inputGrad: false } as const;
const JOIN_GRAD_ONLY = { paramGrads: false, inputGrad: false } as const;

/** Target policy smoothing (TD3): ε ~ N(0, sigma²) per action entry from `rng`, clipped to ±clip. */
export interface Smoothing {
  sigma: number;
  clip: number;
  rng: Rng;
}

/** What criticStep reports (one object per agent, overwritten by every step). */
export interface CriticStepStats {
  loss: number;
  qMean: number;
  tdErrorMean: number;
}

export abstract class OffPolicyAgent<C extends OffPolicyConfig = OffPolicyConfig> implements Agent {
  abstract readonly algorithm: AlgorithmName;
  readonly config: C;
  readonly networks: Readonly<Record<string, Mlp>>;
  readonly optimizers: Readonly<Record<string, Adam>>;
  readonly randomStreams: Readonly<Record<string, Stateful>>;
  readonly replay: ReplayBuffer;
  readonly noise: GaussianNoise | OrnsteinUhlenbeckNoise;
  /** Uniform-random actions before learningStarts come from here. */
  readonly explorationRng: Rng;
  readonly actor: Mlp;
  readonly actorOptimizer: Adam;
  /** Running observation statistics, when config.obsNormalization is on (src/rl/normalizer.ts). */
  readonly obsNormalizer: ObsNormalizer | undefined;
  steps = 0;
  updates = 0;

  protected readonly engine: Engine;
  /** (high − low)/2 and (high + low)/2: a = scale ⊙ u + bias maps μ's tanh output u to the box. */
  protected readonly scale: Float32Array;
  protected readonly bias: Float32Array;
  /** The TD targets of the current update, [batchSize]. */
  protected readonly y: Float32Array;
  private readonly policyCritic: Mlp;
  private readonly names: Map<Mlp, string>;
  private readonly actBuf: Float32Array;
  private readonly noiseBuf: Float32Array;
  private readonly dq: Float32Array;
  private readonly aNext: Float32Array;
  private readonly aPi: Float32Array;
  private readonly dMu: Float32Array;
  private readonly criticStats: CriticStepStats = { loss: 0, qMean: 0, tdErrorMean: 0 };
  // Normalized copies (only allocated with obsNormalization): one observation, a batch's obs and nextObs.
  private readonly normObs: Float32Array;
  private readonly normBatch: UpdateBatch | undefined;

  /** Builds what `plan` lists (seeds: networks seed·16 + their offset, replay +3, noise +4, random
   *  actions +5); `streams` are the algorithm's own random streams, saved in checkpoints by name. */
  protected constructor(engine: Engine, config: C, plan: AgentPlan, streams: Record<string, Stateful> = {}) {
    if (!(engine instanceof EngineClass)) fail('an agent needs an Engine from loadEngine() as its first argument');
    const c = (this.config = config);
    this.engine = engine;
    const { obsDim, actDim, batchSize: B, seed } = c;
    const wasmBytes = planMemoryBytes(c, plan);
    const wasmFree = MAX_WASM_BYTES - engine.runtime.usedBytes;
    if (wasmBytes > wasmFree) fail(`this config needs ${mib(wasmBytes)} MiB of WASM memory for its networks and optimizers; ${mib(wasmFree)} MiB are available`);
    const replayBytes = ReplayBuffer.memoryBytes(c.bufferSize, obsDim, actDim);
    if (replayBytes > MAX_REPLAY_BYTES) fail(`a replay buffer of ${c.bufferSize} transitions needs ${mib(replayBytes)} MiB; the limit is ${mib(MAX_REPLAY_BYTES)} MiB (lower bufferSize)`);
    engine.runtime.reserve(wasmBytes); // memory is sized once: training never grows it

    const networks: Record<string, Mlp> = {};
    const optimizers: Record<string, Adam> = {};
    for (const [name, spec] of Object.entries(plan.networks)) {
      networks[name] = engine.mlp({ ...mlpOptions(c, spec), seed: seed * 16 + spec.seedOffset });
    }
    for (const [name, spec] of Object.entries(plan.networks)) {
      if (spec.targetOf) engine.copyParams(networks[name], networks[spec.targetOf]); // targets start as exact copies
      if (spec.optimizer) optimizers[name] = engine.adam(networks[name], spec.optimizer);
    }
    this.networks = networks;
    this.optimizers = optimizers;
    this.names = new Map(Object.entries(networks).map(([name, net]) => [net, name]));
    this.actor = networks.actor;
    this.actorOptimizer = optimizers.actor;
    this.policyCritic = networks[plan.policyCritic];
    if (!this.actor || !this.actorOptimizer || !this.policyCritic) fail('an agent plan needs a trained network named actor and its policyCritic');

    this.replay = new ReplayBuffer({ capacity: c.bufferSize, obsDim, actDim, seed: seed * 16 + 3 });
    this.noise = c.noise === 'ou'
      ? new OrnsteinUhlenbeckNoise({ actDim, theta: c.ouTheta, sigma: c.noiseSigma, dt: c.ouDt, seed: seed * 16 + 4 })
      : new GaussianNoise({ actDim, sigma: c.noiseSigma, seed: seed * 16 + 4 });
    this.explorationRng = new Rng(seed * 16 + 5);
    this.randomStreams = { noise: this.noise, exploration: this.explorationRng, ...streams };
    this.obsNormalizer = c.obsNormalization ? new ObsNormalizer(obsDim, c.obsClip) : undefined;
    this.normObs = new Float32Array(this.obsNormalizer ? Math.max(obsDim, B * obsDim) : 0);
    this.normBatch = this.obsNormalizer
      ? { obs: new Float32Array(B * obsDim), actions: new Float32Array(0), rewards: new Float32Array(0), nextObs: new Float32Array(B * obsDim), terminated: new Float32Array(0) }
      : undefined;

    this.scale = Float32Array.from(c.actionLow, (lo, i) => (c.actionHigh[i] - lo) / 2);
    this.bias = Float32Array.from(c.actionLow, (lo, i) => (c.actionHigh[i] + lo) / 2);
    this.actBuf = new Float32Array(actDim);
    this.noiseBuf = new Float32Array(actDim);
    this.y = new Float32Array(B);
    this.dq = new Float32Array(B);
    this.aNext = new Float32Array(B * actDim);
    this.aPi = new Float32Array(B * actDim);
    this.dMu = new Float32Array(B * actDim);
  }

  abstract update(batch?: UpdateBatch): UpdateStats;

  act(obs: ArrayLike<number>, opts: { explore?: boolean } = EMPTY_OPTIONS): Float32Array {
    const { actDim, actionLow, actionHigh, obsDim } = this.config;
    if (opts !== EMPTY_OPTIONS && opts !== EXPLORE) checkOptions(opts, 'act(obs, opts): opts', ['explore']);
    if (opts.explore !== undefined && typeof opts.explore !== 'boolean') fail(`act(obs, opts): opts.explore must be true or false, got ${String(opts.explore)}`);
    if (obs?.length !== obsDim) checkLength(obs, obsDim, 'act obs', `obsDim ${obsDim}`); // message built only on failure
    checkFinite(obs, 'act obs');
    const a = this.actBuf;
    if (opts.explore && this.steps < this.config.learningStarts) {
      for (let i = 0; i < actDim; i++) a[i] = this.explorationRng.uniform(actionLow[i], actionHigh[i]);
      return a;
    }
    const u = this.actor.forward(this.obsNormalizer ? this.obsNormalizer.normalize(obs, this.normObs.subarray(0, obsDim)) : obs, 1);
    for (let i = 0; i < actDim; i++) {
      if (!Number.isFinite(u[i])) this.diverged(this.actor, `the action μ(s)[${i}] is ${u[i]}`, `when acting after update ${this.updates}`);
      a[i] = this.scale[i] * u[i] + this.bias[i];
    }
    if (opts.explore) {
      this.noise.sample(this.noiseBuf);
      for (let i = 0; i < actDim; i++) {
        a[i] = Math.min(actionHigh[i], Math.max(actionLow[i], a[i] + this.scale[i] * this.noiseBuf[i]));
        if (!Number.isFinite(a[i])) throw new DivergenceError('exploration noise', this.updates, `training diverged in the exploration noise: its sample [${i}] is ${this.noiseBuf[i]} after update ${this.updates}`);
      }
    }
    return a;
  }

  observe(obs: ArrayLike<number>, action: ArrayLike<number>, reward: number, nextObs: ArrayLike<number>, terminated: boolean): void {
    this.replay.add(obs, action, reward, nextObs, terminated);
    this.obsNormalizer?.update(nextObs);
    this.steps += 1;
  }

  resetNoise(): void {
    this.noise.reset();
  }

  startEpisode(obs: ArrayLike<number>): void {
    this.resetNoise();
    if (this.obsNormalizer) {
      const d = this.config.obsDim;
      if (obs?.length !== d) checkLength(obs, d, 'startEpisode obs', `obsDim ${d}`);
      checkFinite(obs, 'startEpisode obs');
      this.obsNormalizer.update(obs);
    }
  }

  canUpdate(): boolean {
    return this.steps >= this.config.learningStarts && this.replay.size >= this.config.batchSize;
  }

  qValues(obs: ArrayLike<number>, actions: ArrayLike<number>, rows: number): Float32Array {
    const n = this.obsNormalizer;
    return this.policyCritic.forward(n ? n.normalize(obs, this.normObs.subarray(0, rows * this.config.obsDim)) : obs, rows, actions);
  }

  // ------------------------------------------------------------------ the steps an update is made of

  /** The batch of this update — the one given (checked) or batchSize transitions sampled uniformly, with
   *  obs and nextObs normalized by the current statistics when obsNormalization is on — and counts the update. */
  protected startUpdate(batch?: UpdateBatch): UpdateBatch {
    const b = batch !== undefined ? this.checkBatch(batch) : this.replay.sample(this.config.batchSize);
    this.updates += 1;
    const n = this.obsNormalizer, nb = this.normBatch;
    if (!n || !nb) return b;
    n.normalize(b.obs, nb.obs);
    n.normalize(b.nextObs, nb.nextObs);
    nb.actions = b.actions; nb.rewards = b.rewards; nb.terminated = b.terminated;
    return nb;
  }

  /** This update (counting from 1) is one of every policyDelay-th: the actor and the targets step. */
  protected isPolicyUpdate(): boolean {
    return this.updates % this.config.policyDelay === 0;
  }

  /** a′ = scale ⊙ μ′(s′) + bias from the target actor, [batch × actDim] in env units. With smoothing:
   *  a′ = clip(a′ + clip(ε, −c, c) ⊙ scale, low, high), ε drawn row by row, dimension by dimension. */
  protected targetActions(actorTarget: Mlp, nextObs: ArrayLike<number>, smoothing?: Smoothing): Float32Array {
    const { batchSize: B, actDim, actionLow, actionHigh } = this.config;
    const u = this.guard(actorTarget.forward(nextObs, B), actorTarget, 'μ′(s′)');
    const a = this.scaleActions(u, this.aNext);
    if (smoothing && smoothing.sigma > 0) {
      const { sigma, clip, rng } = smoothing;
      for (let k = 0; k < a.length; k += actDim) {
        for (let j = 0; j < actDim; j++) {
          const eps = Math.min(clip, Math.max(-clip, sigma * rng.normal()));
          a[k + j] = Math.min(actionHigh[j], Math.max(actionLow[j], a[k + j] + eps * this.scale[j]));
        }
      }
    }
    return a;
  }

  /** Q of `critic` at (s, a), [batch], with the divergence guard. */
  protected q(critic: Mlp, obs: ArrayLike<number>, actions: ArrayLike<number>, what: string): Float32Array {
    return this.guard(critic.forward(obs, this.config.batchSize, actions), critic, what);
  }

  /** y = r + γ·(1 − terminated)·q′, with q′ = min(q1′, q2′) when a second target value is given. */
  protected tdTargets(b: UpdateBatch, qNext: Float32Array, qNext2?: Float32Array): Float32Array {
    const { batchSize: B, gamma } = this.config;
    const y = this.y;
    if (qNext2) for (let i = 0; i < B; i++) y[i] = b.rewards[i] + gamma * (1 - b.terminated[i]) * Math.min(qNext[i], qNext2[i]);
    else for (let i = 0; i < B; i++) y[i] = b.rewards[i] + gamma * (1 - b.terminated[i]) * qNext[i];
    return y;
  }

  /** One MSE step of `critic` towards y: L = mean_b (Q(s, a) − y)², ∂L/∂Q = 2(Q − y)/B, backward, Adam. */
  protected criticStep(critic: Mlp, optimizer: Adam, b: UpdateBatch, y: Float32Array): CriticStepStats {
    const B = this.config.batchSize;
    const q = this.q(critic, b.obs, b.actions, 'Q(s, a)');
    let loss = 0, qMean = 0, tdAbs = 0;
    for (let i = 0; i < B; i++) {
      const d = q[i] - y[i];
      loss += d * d;
      qMean += q[i];
      tdAbs += Math.abs(d);
      this.dq[i] = (2 * d) / B;
    }
    critic.backward(this.dq, PARAM_GRADS_ONLY);
    if (!optimizer.step()) this.diverged(critic, 'its Adam step made a parameter or a moment non-finite');
    const s = this.criticStats;
    s.loss = loss / B;
    s.qMean = qMean / B;
    s.tdErrorMean = tdAbs / B;
    return s;
  }

  /** One step of the actor on L_μ = −mean_b Q(s, μ(s)) under `critic` (as it is now). ∂L/∂Q = −1/B; ∇ₐQ
   *  comes from the critic's action input; ∂a/∂u = scale. Only the actor's Adam steps. Returns L_μ. */
  protected actorStep(critic: Mlp, obs: ArrayLike<number>): number {
    const { batchSize: B, actDim } = this.config;
    const u = this.guard(this.actor.forward(obs, B), this.actor, 'μ(s)');
    this.scaleActions(u, this.aPi);
    const qPi = this.q(critic, obs, this.aPi, 'Q(s, μ(s)) after its step');
    let loss = 0;
    for (let i = 0; i < B; i++) { loss -= qPi[i]; this.dq[i] = -1 / B; }
    critic.backward(this.dq, JOIN_GRAD_ONLY);
    const dA = critic.joinGrad();
    for (let i = 0, k = 0; i < B; i++) for (let j = 0; j < actDim; j++, k++) this.dMu[k] = dA[k] * this.scale[j];
    this.actor.backward(this.dMu, PARAM_GRADS_ONLY);
    if (!this.actorOptimizer.step()) this.diverged(this.actor, 'its Adam step made a parameter or a moment non-finite');
    return loss / B;
  }

  /** θ′ ← τ·θ + (1 − τ)·θ′. */
  protected softUpdate(target: Mlp, source: Mlp): void {
    if (!this.engine.polyak(target, source, this.config.tau)) this.diverged(target, 'its Polyak step made a parameter non-finite');
  }

  // ------------------------------------------------------------------ helpers

  /** Divergence guard: a network output that is not finite stops training with a DivergenceError naming
   *  the network and the update; so does a non-finite parameter, moment or target parameter (the Adam and
   *  Polyak kernels report them as they write them). */
  private guard(out: Float32Array, net: Mlp, what: string): Float32Array {
    for (let i = 0; i < out.length; i++) {
      if (!Number.isFinite(out[i])) this.diverged(net, `${what} is ${out[i]}`);
    }
    return out;
  }

  private diverged(net: Mlp, what: string, when = `in update ${this.updates}`): never {
    const name = this.names.get(net) ?? 'unknown';
    throw new DivergenceError(name, this.updates, `training diverged in the ${name} network: ${what} ${when}`);
  }

  /** a = scale ⊙ u + bias, row by row. */
  private scaleActions(u: Float32Array, out: Float32Array): Float32Array {
    const actDim = this.config.actDim;
    for (let k = 0; k < out.length; k += actDim) {
      for (let j = 0; j < actDim; j++) out[k + j] = this.scale[j] * u[k + j] + this.bias[j];
    }
    return out;
  }

  private checkBatch(batch: UpdateBatch): UpdateBatch {
    const { batchSize: B, obsDim, actDim } = this.config;
    if (!batch || typeof batch !== 'object') fail('update(batch): batch must be { obs, actions, rewards, nextObs, terminated }');
    const fields: [keyof UpdateBatch, number, number][] = [
      ['obs', obsDim, B * obsDim], ['actions', actDim, B * actDim], ['rewards', 1, B], ['nextObs', obsDim, B * obsDim], ['terminated', 1, B],
    ];
    for (const [name, cols, len] of fields) {
      checkLength(batch[name], len, `update batch.${name}`, `batchSize ${B} × ${cols}`);
      checkFinite(batch[name], `update batch.${name}`, cols);
    }
    return batch;
  }
}
