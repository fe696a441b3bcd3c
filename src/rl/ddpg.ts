// DDPG (Lillicrap et al., 2015) on the engine's MLPs. The update, in the paper's order:
//   1. target      a′ = μ′(s′) (scaled to the action box);  y = r + γ·(1 − terminated)·Q′(s′, a′)
//   2. critic      L_Q = mean_b (Q(s, a) − y)²;  backward;  Adam step on the critic
//   3. actor       L_μ = −mean_b Q(s, μ(s)) with the critic just updated: back-propagate through the
//                  critic to its action input (∇ₐQ), scale by the action box, back-propagate through the
//                  actor; Adam step on the actor only (the critic's parameters do not move)
//   4. targets     θ′ ← τ·θ + (1 − τ)·θ′ for both target networks
// Time-limit truncation is not termination: such transitions are stored with terminated = 0 and bootstrap.
import type { Engine } from '../engine/engine.js';
import type { Adam } from '../nn/adam.js';
import type { Mlp } from '../nn/mlp.js';
import { checkFinite, checkLength, DivergenceError, fail } from '../errors.js';
import { MAX_BYTES as MAX_WASM_BYTES } from '../engine/runtime.js';
import { resolveConfig, type DdpgConfig, type DdpgConfigInput } from './config.js';
import { GaussianNoise, OrnsteinUhlenbeckNoise } from './noise.js';
import { ReplayBuffer, type Batch } from './replay.js';
import { Rng } from './rng.js';

export interface UpdateStats {
  criticLoss: number;
  actorLoss: number;
  /** mean_b Q(s, a) over the batch's stored actions, before the critic step. */
  qMean: number;
  /** mean_b |Q(s, a) − y| over the batch, before the critic step. */
  tdErrorMean: number;
}

/** A batch given to update(): row-major Float32Arrays, actions in env units. */
export type UpdateBatch = Pick<Batch, 'obs' | 'actions' | 'rewards' | 'nextObs' | 'terminated'>;

// Backward options used by the update (hoisted: no object per call).
const PARAM_GRADS_ONLY = { inputGrad: false } as const;
const JOIN_GRAD_ONLY = { paramGrads: false, inputGrad: false } as const;

const MAX_REPLAY_BYTES = 4 * 2 ** 30;
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

/** Upper bounds of the memory a config needs: WASM (4 networks with activation buffers for batchSize rows,
 *  gradients, 2 Adam states) and the replay buffer's typed arrays. */
export function memoryPlan(c: DdpgConfig): { wasmBytes: number; replayBytes: number } {
  const net = (sizes: number[], join: number, joinAt: number) => {
    const ins = sizes.slice(0, -1).map((s, l) => s + (l === joinAt ? join : 0));
    const outs = sizes.slice(1);
    const params = ins.reduce((t, n, l) => t + n * outs[l] + outs[l], 0);
    const buffers = c.batchSize * (2 * ins.reduce((a, b) => a + b, 0) + 2 * outs[outs.length - 1]);
    const scratch = Math.max(...ins.map((n, l) => n * outs[l]));
    const allocs = 5 + 2 * ins.length;
    return 4 * (2 * params + buffers + scratch + 4 + 16 * ins.length) + 16 * allocs;
  };
  const actor = net([c.obsDim, ...c.actorHidden, c.actDim], 0, -1);
  const critic = net([c.obsDim, ...c.criticHidden, 1], c.actDim, c.criticActionLayer);
  const adam = (n: number) => 2 * n; // m and v are as large as params + grads
  const wasmBytes = 2 * actor + 2 * critic + adam(actor) + adam(critic);
  const replayBytes = 4 * c.bufferSize * (2 * c.obsDim + c.actDim + 2);
  return { wasmBytes, replayBytes };
}

export class DDPG {
  readonly config: DdpgConfig;
  readonly actor: Mlp;
  readonly critic: Mlp;
  readonly actorTarget: Mlp;
  readonly criticTarget: Mlp;
  readonly actorOptimizer: Adam;
  readonly criticOptimizer: Adam;
  readonly replay: ReplayBuffer;
  readonly noise: GaussianNoise | OrnsteinUhlenbeckNoise;
  /** Uniform-random actions before learningStarts come from here. */
  readonly explorationRng: Rng;
  /** Transitions observed so far (drives learningStarts). */
  steps = 0;
  /** Updates done so far. */
  updates = 0;

  private readonly engine: Engine;
  private readonly scale: Float32Array; // (high − low)/2
  private readonly bias: Float32Array; // (high + low)/2
  private readonly actBuf: Float32Array;
  private readonly noiseBuf: Float32Array;
  private readonly y: Float32Array;
  private readonly dq: Float32Array;
  private readonly aNext: Float32Array;
  private readonly aPi: Float32Array;
  private readonly dMu: Float32Array;
  private readonly stats: UpdateStats = { criticLoss: 0, actorLoss: 0, qMean: 0, tdErrorMean: 0 };

  constructor(engine: Engine, input: DdpgConfigInput) {
    const c = (this.config = resolveConfig(input));
    this.engine = engine;
    const { obsDim, actDim, batchSize: B, seed } = c;
    const actorSizes = [obsDim, ...c.actorHidden, actDim];
    const criticSizes = [obsDim, ...c.criticHidden, 1];
    const join = { layer: c.criticActionLayer, size: actDim };
    const common = { maxBatch: B, finalInitScale: c.finalInitScale };
    const plan = memoryPlan(c);
    const wasmFree = MAX_WASM_BYTES - engine.runtime.usedBytes;
    if (plan.wasmBytes > wasmFree) fail(`this config needs ${mib(plan.wasmBytes)} MiB of WASM memory for its networks and optimizers; ${mib(wasmFree)} MiB are available`);
    if (plan.replayBytes > MAX_REPLAY_BYTES) fail(`a replay buffer of ${c.bufferSize} transitions needs ${mib(plan.replayBytes)} MiB; the limit is ${mib(MAX_REPLAY_BYTES)} MiB (lower bufferSize)`);
    engine.runtime.reserve(plan.wasmBytes); // memory is sized once: training never grows it
    this.actor = engine.mlp({ sizes: actorSizes, output: 'tanh', seed: seed * 16 + 1, ...common });
    this.actorTarget = engine.mlp({ sizes: actorSizes, output: 'tanh', seed: seed * 16 + 1, ...common });
    this.critic = engine.mlp({ sizes: criticSizes, join, seed: seed * 16 + 2, ...common });
    this.criticTarget = engine.mlp({ sizes: criticSizes, join, seed: seed * 16 + 2, ...common });
    engine.copyParams(this.actorTarget, this.actor); // targets start as exact copies
    engine.copyParams(this.criticTarget, this.critic);
    this.actorOptimizer = engine.adam(this.actor, { lr: c.actorLr, weightDecay: c.actorWeightDecay });
    this.criticOptimizer = engine.adam(this.critic, { lr: c.criticLr, weightDecay: c.criticWeightDecay });
    this.replay = new ReplayBuffer({ capacity: c.bufferSize, obsDim, actDim, seed: seed * 16 + 3 });
    this.noise = c.noise === 'ou'
      ? new OrnsteinUhlenbeckNoise({ actDim, theta: c.ouTheta, sigma: c.noiseSigma, dt: c.ouDt, seed: seed * 16 + 4 })
      : new GaussianNoise({ actDim, sigma: c.noiseSigma, seed: seed * 16 + 4 });
    this.explorationRng = new Rng(seed * 16 + 5);
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

  /** The action for one observation, in env units. With explore: uniform random before learningStarts,
   *  then μ(s) + noise·(high − low)/2, clipped to the box. The returned array is reused by the next call. */
  act(obs: ArrayLike<number>, opts: { explore?: boolean } = {}): Float32Array {
    const { actDim, actionLow, actionHigh, obsDim } = this.config;
    if (obs?.length !== obsDim) checkLength(obs, obsDim, 'act obs', `obsDim ${obsDim}`); // message built only on failure
    checkFinite(obs, 'act obs');
    const a = this.actBuf;
    if (opts.explore && this.steps < this.config.learningStarts) {
      for (let i = 0; i < actDim; i++) a[i] = this.explorationRng.uniform(actionLow[i], actionHigh[i]);
      return a;
    }
    const u = this.actor.forward(obs, 1);
    for (let i = 0; i < actDim; i++) a[i] = this.scale[i] * u[i] + this.bias[i];
    if (opts.explore) {
      this.noise.sample(this.noiseBuf);
      for (let i = 0; i < actDim; i++) {
        a[i] = Math.min(actionHigh[i], Math.max(actionLow[i], a[i] + this.scale[i] * this.noiseBuf[i]));
      }
    }
    return a;
  }

  /** Stores a transition (actions in env units); truncated episodes pass terminated = false. */
  observe(obs: ArrayLike<number>, action: ArrayLike<number>, reward: number, nextObs: ArrayLike<number>, terminated: boolean): void {
    this.replay.add(obs, action, reward, nextObs, terminated);
    this.steps += 1;
  }

  /** Resets the exploration noise process (call at episode start; OU keeps state within an episode). */
  resetNoise(): void {
    this.noise.reset();
  }

  /** One DDPG update on `batch`, or on a uniform sample of batchSize transitions from the replay buffer.
   *  The returned stats object is reused by the next update: copy it to keep it. */
  update(batch?: UpdateBatch): UpdateStats {
    const { batchSize: B, actDim, gamma, tau } = this.config;
    const b = batch ? this.checkBatch(batch) : this.replay.sample(B);

    // 1. TD target from the target networks: y = r + γ·(1 − terminated)·Q′(s′, μ′(s′)).
    this.scaleActions(this.guard(this.actorTarget.forward(b.nextObs, B), 'target actor', 'μ′(s′)'), this.aNext);
    const qNext = this.guard(this.criticTarget.forward(b.nextObs, B, this.aNext), 'target critic', 'Q′(s′, a′)');
    for (let i = 0; i < B; i++) this.y[i] = b.rewards[i] + gamma * (1 - b.terminated[i]) * qNext[i];

    // 2. Critic: L_Q = mean (Q(s, a) − y)², ∂L_Q/∂Q = 2(Q − y)/B.
    const q = this.guard(this.critic.forward(b.obs, B, b.actions), 'critic', 'Q(s, a)');
    let criticLoss = 0, qMean = 0, tdAbs = 0;
    for (let i = 0; i < B; i++) {
      const d = q[i] - this.y[i];
      criticLoss += d * d;
      qMean += q[i];
      tdAbs += Math.abs(d);
      this.dq[i] = (2 * d) / B;
    }
    this.critic.backward(this.dq, PARAM_GRADS_ONLY);
    this.criticOptimizer.step();

    // 3. Actor: L_μ = −mean Q(s, μ(s)). ∂L/∂Q = −1/B; ∇ₐQ comes from the critic's action input,
    //    ∂a/∂u = scale (a = scale·tanh-output + bias). Only the actor's Adam steps.
    const u = this.guard(this.actor.forward(b.obs, B), 'actor', 'μ(s)');
    this.scaleActions(u, this.aPi);
    const qPi = this.guard(this.critic.forward(b.obs, B, this.aPi), 'critic', 'Q(s, μ(s)) after its step');
    let actorLoss = 0;
    for (let i = 0; i < B; i++) { actorLoss -= qPi[i]; this.dq[i] = -1 / B; }
    this.critic.backward(this.dq, JOIN_GRAD_ONLY);
    const dA = this.critic.joinGrad();
    for (let i = 0, k = 0; i < B; i++) for (let j = 0; j < actDim; j++, k++) this.dMu[k] = dA[k] * this.scale[j];
    this.actor.backward(this.dMu, PARAM_GRADS_ONLY);
    this.actorOptimizer.step();

    // 4. Soft target updates.
    this.engine.polyak(this.actorTarget, this.actor, tau);
    this.engine.polyak(this.criticTarget, this.critic, tau);

    this.updates += 1;
    const stats = this.stats; // one object per agent, overwritten by each update: no allocation per update
    stats.criticLoss = criticLoss / B;
    stats.actorLoss = actorLoss / B;
    stats.qMean = qMean / B;
    stats.tdErrorMean = tdAbs / B;
    return stats;
  }

  /** Divergence guard: a network output that is not finite stops training with a DivergenceError naming
   *  the network and the update (a NaN/Infinity parameter always reaches the output). */
  private guard(out: Float32Array, network: string, what: string): Float32Array {
    for (let i = 0; i < out.length; i++) {
      if (!Number.isFinite(out[i])) {
        throw new DivergenceError(network, this.updates + 1,
          `training diverged in the ${network} network: ${what} is ${out[i]} in update ${this.updates + 1}`);
      }
    }
    return out;
  }

  /** a = scale ⊙ u + bias, row by row. */
  private scaleActions(u: Float32Array, out: Float32Array): void {
    const actDim = this.config.actDim;
    for (let k = 0; k < out.length; k += actDim) {
      for (let j = 0; j < actDim; j++) out[k + j] = this.scale[j] * u[k + j] + this.bias[j];
    }
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
