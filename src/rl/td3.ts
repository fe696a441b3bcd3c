// TD3 (Fujimoto, van Hoof, Meger, 2018): DDPG with three changes against the critic's overestimation —
// twin critics with the minimum as target, a smoothed target action, and a delayed actor.
// One update, step for step like CleanRL's td3_continuous_action.py (the math in docs/gradients.md §10):
//   1. target   a′ = clip(μ′(s′) + clip(ε, −c, c)·scale, low, high),  ε ~ N(0, σ̃²) per action entry
//               y = r + γ·(1 − terminated)·min(Q1′(s′, a′), Q2′(s′, a′))
//   2. critics  L_Qi = mean_b (Qi(s, a) − y)² for i = 1, 2;  backward;  an Adam step on each
//   3. actor    on every policyDelay-th update: L_μ = −mean_b Q1(s, μ(s)) with the critics just updated
//   4. targets  on the same updates: θ′ ← τ·θ + (1 − τ)·θ′ for μ′, Q1′ and Q2′ (on the others no target moves)
import type { Adam } from '../nn/adam.js';
import type { Engine } from '../nn/engine.js';
import type { Mlp } from '../nn/mlp.js';
import { Rng } from '../rng.js';
import type { UpdateBatch, UpdateStats } from './agent.js';
import { resolveTd3Config, type Td3Config, type Td3ConfigInput } from './config.js';
import { actorNetwork, criticNetwork, OffPolicyAgent, targetOf, type AgentPlan, type Smoothing } from './off-policy.js';

/** What a TD3 agent owns: μ and twin critics Q1, Q2 (seeded apart), each with a target copy and an Adam. */
export function td3Networks(c: Td3Config): AgentPlan {
  const actor = actorNetwork(c, 1), critic1 = criticNetwork(c, 2), critic2 = criticNetwork(c, 6);
  return {
    networks: {
      actor, critic1, critic2,
      actorTarget: targetOf('actor', actor), critic1Target: targetOf('critic1', critic1), critic2Target: targetOf('critic2', critic2),
    },
    policyCritic: 'critic1',
  };
}

export interface Td3UpdateStats extends UpdateStats {
  critic1Loss: number;
  critic2Loss: number;
}

export class TD3 extends OffPolicyAgent<Td3Config> {
  readonly algorithm = 'td3';
  readonly critic1: Mlp;
  readonly critic2: Mlp;
  readonly actorTarget: Mlp;
  readonly critic1Target: Mlp;
  readonly critic2Target: Mlp;
  readonly critic1Optimizer: Adam;
  readonly critic2Optimizer: Adam;
  /** ε of the target policy smoothing (seed·16 + 7). */
  readonly smoothingRng: Rng;
  private readonly smoothing: Smoothing;
  private readonly stats: Td3UpdateStats = { criticLoss: 0, actorLoss: undefined, qMean: 0, tdErrorMean: 0, critic1Loss: 0, critic2Loss: 0 };

  constructor(engine: Engine, input: Td3ConfigInput) {
    const config = resolveTd3Config(input);
    const smoothingRng = new Rng(config.seed * 16 + 7);
    super(engine, config, td3Networks(config), { targetNoise: smoothingRng });
    this.critic1 = this.networks.critic1;
    this.critic2 = this.networks.critic2;
    this.actorTarget = this.networks.actorTarget;
    this.critic1Target = this.networks.critic1Target;
    this.critic2Target = this.networks.critic2Target;
    this.critic1Optimizer = this.optimizers.critic1;
    this.critic2Optimizer = this.optimizers.critic2;
    this.smoothingRng = smoothingRng;
    this.smoothing = { sigma: config.targetPolicyNoise, clip: config.targetNoiseClip, rng: smoothingRng };
  }

  /** One TD3 update on `batch`, or on batchSize transitions sampled from the replay buffer. */
  update(batch?: UpdateBatch): Td3UpdateStats {
    const b = this.startUpdate(batch);

    // 1. Clipped double-Q target with a smoothed target action.
    const aNext = this.targetActions(this.actorTarget, b.nextObs, this.smoothing);
    const q1Next = this.q(this.critic1Target, b.nextObs, aNext, 'Q1′(s′, a′)');
    const q2Next = this.q(this.critic2Target, b.nextObs, aNext, 'Q2′(s′, a′)');
    const y = this.tdTargets(b, q1Next, q2Next);

    // 2. Both critics regress onto the same y.
    const s = this.stats;
    const c1 = this.criticStep(this.critic1, this.critic1Optimizer, b, y);
    s.critic1Loss = c1.loss;
    s.qMean = c1.qMean;
    s.tdErrorMean = c1.tdErrorMean;
    s.critic2Loss = this.criticStep(this.critic2, this.critic2Optimizer, b, y).loss;
    s.criticLoss = (s.critic1Loss + s.critic2Loss) / 2;

    // 3. and 4. Delayed: the actor ascends Q1, then all three targets follow.
    s.actorLoss = undefined;
    if (this.isPolicyUpdate()) {
      s.actorLoss = this.actorStep(this.critic1, b.obs);
      this.softUpdate(this.actorTarget, this.actor);
      this.softUpdate(this.critic1Target, this.critic1);
      this.softUpdate(this.critic2Target, this.critic2);
    }
    return s;
  }
}
