// DDPG (Lillicrap et al., 2015): a deterministic actor μ, a critic Q, and slowly-following targets μ′, Q′.
// One update, in the paper's order (the steps are in off-policy.ts, the math in docs/gradients.md §9):
//   1. target   a′ = μ′(s′) scaled to the box;  y = r + γ·(1 − terminated)·Q′(s′, a′)
//   2. critic   L_Q = mean_b (Q(s, a) − y)²;  backward;  Adam step on the critic
//   3. actor    L_μ = −mean_b Q(s, μ(s)) with the critic just updated (∇ₐQ · ∂μ/∂θ);  Adam step on the actor
//   4. targets  θ′ ← τ·θ + (1 − τ)·θ′ for both target networks
// Steps 3 and 4 run on every policyDelay-th update (default 1, the paper: every update; CleanRL's DDPG: 2).
// Time-limit truncation is not termination: such transitions are stored with terminated = 0 and bootstrap.
import type { Adam } from '../nn/adam.js';
import type { Engine } from '../nn/engine.js';
import type { Mlp } from '../nn/mlp.js';
import type { UpdateBatch, UpdateStats } from './agent.js';
import { resolveDdpgConfig, type DdpgConfig, type DdpgConfigInput } from './config.js';
import { actorNetwork, criticNetwork, OffPolicyAgent, targetOf, type AgentPlan } from './off-policy.js';

/** What a DDPG agent owns: μ and Q, each with a target copy; μ and Q each have an Adam. */
export function ddpgNetworks(c: DdpgConfig): AgentPlan {
  const actor = actorNetwork(c, 1), critic = criticNetwork(c, 2);
  return {
    networks: { actor, critic, actorTarget: targetOf('actor', actor), criticTarget: targetOf('critic', critic) },
    policyCritic: 'critic',
  };
}

export class DDPG extends OffPolicyAgent<DdpgConfig> {
  readonly algorithm = 'ddpg';
  readonly critic: Mlp;
  readonly actorTarget: Mlp;
  readonly criticTarget: Mlp;
  readonly criticOptimizer: Adam;
  private readonly stats: UpdateStats = { criticLoss: 0, actorLoss: undefined, qMean: 0, tdErrorMean: 0 };

  constructor(engine: Engine, input: DdpgConfigInput) {
    const config = resolveDdpgConfig(input);
    super(engine, config, ddpgNetworks(config));
    this.critic = this.networks.critic;
    this.actorTarget = this.networks.actorTarget;
    this.criticTarget = this.networks.criticTarget;
    this.criticOptimizer = this.optimizers.critic;
  }

  /** One DDPG update on `batch`, or on batchSize transitions sampled from the replay buffer. */
  update(batch?: UpdateBatch): UpdateStats {
    const b = this.startUpdate(batch);

    // 1. TD target from the target networks.
    const aNext = this.targetActions(this.actorTarget, b.nextObs);
    const y = this.tdTargets(b, this.q(this.criticTarget, b.nextObs, aNext, 'Q′(s′, a′)'));

    // 2. Critic regression onto y.
    const critic = this.criticStep(this.critic, this.criticOptimizer, b, y);

    // 3. and 4. Actor ascent on Q, then the targets follow.
    let actorLoss: number | undefined;
    if (this.isPolicyUpdate()) {
      actorLoss = this.actorStep(this.critic, b.obs);
      this.softUpdate(this.actorTarget, this.actor);
      this.softUpdate(this.criticTarget, this.critic);
    }

    const s = this.stats; // one object per agent, overwritten by each update: no allocation per update
    s.criticLoss = critic.loss;
    s.actorLoss = actorLoss;
    s.qMean = critic.qMean;
    s.tdErrorMean = critic.tdErrorMean;
    return s;
  }
}
