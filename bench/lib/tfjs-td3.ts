// TD3's update in tfjs, in the same order and with the same math as src/rl/td3.ts (twin critics, clipped
// target policy smoothing, the min of the twin targets, the actor on Q1 every policyDelay-th update, Polyak
// on the three targets), as a tfjs user would write it: tensors from the sampled batch, tf.tidy,
// optimizer.minimize over each network's variables, variable.assign for the targets. The smoothing noise ε is
// drawn from a twin of the agent's seeded stream (seed·16 + 7) and uploaded, so both sides compute the same
// numbers (tf.randomNormal would do the same math with other numbers).
//   1. a′ = clip(μ′(s′)·scale + bias + clip(σ̃ε, −c, c)·scale, low, high);  y = r + γ·(1 − d)·min(Q1′, Q2′)(s′, a′)
//   2. minimize mean (Qi(s, a) − y)² over each critic's variables
//   3. every policyDelay-th update: minimize −mean Q1(s, μ(s)·scale + bias) over the actor's variables
//   4. … and θ′ ← τ·θ + (1 − τ)·θ′ for the three targets
import type { Scalar, Tensor } from '@tensorflow/tfjs-core';
import { Rng, type ReplayBuffer, type TD3 } from '../../src/index.js';
import { disposeNet, tfNetFrom, type Tf, type TfNet } from './tfjs-nets.js';

export class TfTd3 {
  private readonly nets: Record<'actor' | 'critic1' | 'critic2' | 'actorTarget' | 'critic1Target' | 'critic2Target', TfNet>;
  private readonly opts;
  private readonly scale: number;
  private readonly bias: number;
  private readonly rng: Rng;
  private readonly eps: Float32Array;
  private updates = 0;

  /** Copies `agent`'s six networks (so both sides start equal); samples from `replay`. */
  constructor(private readonly tf: Tf, private readonly agent: TD3, private readonly replay: ReplayBuffer) {
    const c = agent.config;
    if (c.actDim !== 1 || c.criticActionLayer !== 0) throw new Error('TfTd3: written for actDim 1, action at the critic input');
    const n = agent.networks;
    this.nets = {
      actor: tfNetFrom(tf, n.actor), critic1: tfNetFrom(tf, n.critic1), critic2: tfNetFrom(tf, n.critic2),
      actorTarget: tfNetFrom(tf, n.actorTarget, false), critic1Target: tfNetFrom(tf, n.critic1Target, false), critic2Target: tfNetFrom(tf, n.critic2Target, false),
    };
    this.opts = { actor: tf.train.adam(c.actorLr, 0.9, 0.999, 1e-8), critic1: tf.train.adam(c.criticLr, 0.9, 0.999, 1e-8), critic2: tf.train.adam(c.criticLr, 0.9, 0.999, 1e-8) };
    this.scale = (c.actionHigh[0] - c.actionLow[0]) / 2;
    this.bias = (c.actionHigh[0] + c.actionLow[0]) / 2;
    this.rng = new Rng(c.seed * 16 + 7);
    this.eps = new Float32Array(c.batchSize);
  }

  update(): { criticLoss: number; actorLoss?: number } {
    const { tf, scale, bias, nets, opts } = this;
    const { batchSize: B, obsDim, gamma, tau, policyDelay, targetPolicyNoise: sigma, targetNoiseClip: clip, actionLow, actionHigh } = this.agent.config;
    const b = this.replay.sample(B);
    for (let i = 0; i < B; i++) this.eps[i] = Math.min(clip, Math.max(-clip, sigma * this.rng.normal()));
    this.updates += 1;
    const policy = this.updates % policyDelay === 0;
    const [l1, l2, al] = tf.tidy(() => {
      const s = tf.tensor2d(b.obs, [B, obsDim]), a = tf.tensor2d(b.actions, [B, 1]);
      const r = tf.tensor2d(b.rewards, [B, 1]), d = tf.tensor2d(b.terminated, [B, 1]);
      const s2 = tf.tensor2d(b.nextObs, [B, obsDim]), eps = tf.tensor2d(this.eps, [B, 1]);
      const y = tf.tidy(() => {
        const a2 = tf.clipByValue(tf.add(tf.add(tf.mul(nets.actorTarget.apply(s2), scale), bias), tf.mul(eps, scale)), actionLow[0], actionHigh[0]);
        const q = tf.minimum(nets.critic1Target.apply(s2, a2), nets.critic2Target.apply(s2, a2));
        return tf.add(r, tf.mul(tf.mul(tf.sub(1, d), gamma), q));
      });
      const losses = (['critic1', 'critic2'] as const).map((name) =>
        opts[name].minimize(() => tf.losses.meanSquaredError(y, nets[name].apply(s, a)) as Scalar, true, nets[name].vars) as Scalar);
      let actorLoss: Scalar | undefined;
      if (policy) {
        actorLoss = opts.actor.minimize(() => tf.neg(tf.mean(nets.critic1.apply(s, tf.add(tf.mul(nets.actor.apply(s), scale), bias)))) as Scalar,
          true, nets.actor.vars) as Scalar;
        for (const [target, source] of [[nets.actorTarget, nets.actor], [nets.critic1Target, nets.critic1], [nets.critic2Target, nets.critic2]] as const) {
          target.vars.forEach((v, i) => v.assign(tf.add(tf.mul(source.vars[i], tau), tf.mul(v, 1 - tau)) as Tensor as typeof v));
        }
      }
      return [losses[0], losses[1], actorLoss ?? tf.scalar(NaN)];
    });
    const out = { criticLoss: (l1.dataSync()[0] + l2.dataSync()[0]) / 2, actorLoss: policy ? al.dataSync()[0] : undefined };
    tf.dispose([l1, l2, al]);
    return out;
  }

  dispose(): void {
    for (const n of Object.values(this.nets)) disposeNet(this.tf, n);
    for (const o of Object.values(this.opts)) o.dispose();
  }
}
