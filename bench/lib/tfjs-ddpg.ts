// DDPG's update in tfjs, in the same order and with the same math as src/rl/ddpg.ts (critic action joining
// at its input, Adam with PyTorch's eps 1e-8, τ-Polyak), as a tfjs user would write it: tensors from the
// sampled batch, tf.tidy, optimizer.minimize over the variable lists, variable.assign for the targets, the
// two losses read back with dataSync outside the tidy.
//   1. y = r + γ·(1 − d)·Q′(s′, scale·μ′(s′) + bias)
//   2. critic: minimize mean (Q(s, a) − y)²  over the critic's variables
//   3. actor:  minimize −mean Q(s, scale·μ(s) + bias)  over the actor's variables (critic just updated)
//   4. θ′ ← τ·θ + (1 − τ)·θ′ for both targets
import type { Scalar, Tensor } from '@tensorflow/tfjs-core';
import type { DDPG, ReplayBuffer } from '../../src/index.js';
import { disposeNet, tfNetFrom, type Tf, type TfNet } from './tfjs-nets.js';

export class TfDdpg {
  private readonly actor: TfNet;
  private readonly critic: TfNet;
  private readonly actorTarget: TfNet;
  private readonly criticTarget: TfNet;
  private readonly actorOpt;
  private readonly criticOpt;
  private readonly scale: number;
  private readonly bias: number;

  /** Copies `agent`'s four networks (so both sides start equal); samples from `replay`. */
  constructor(private readonly tf: Tf, private readonly agent: DDPG, private readonly replay: ReplayBuffer) {
    const c = agent.config;
    if (c.actDim !== 1 || c.criticActionLayer !== 0) throw new Error('TfDdpg: written for actDim 1, action at the critic input');
    this.actor = tfNetFrom(tf, agent.actor);
    this.critic = tfNetFrom(tf, agent.critic);
    this.actorTarget = tfNetFrom(tf, agent.actorTarget, false);
    this.criticTarget = tfNetFrom(tf, agent.criticTarget, false);
    this.actorOpt = tf.train.adam(c.actorLr, 0.9, 0.999, 1e-8);
    this.criticOpt = tf.train.adam(c.criticLr, 0.9, 0.999, 1e-8);
    this.scale = (c.actionHigh[0] - c.actionLow[0]) / 2;
    this.bias = (c.actionHigh[0] + c.actionLow[0]) / 2;
  }

  /** The deterministic action for one observation (env units), read back to JS. */
  act(obs: Float32Array): Float32Array {
    const tf = this.tf;
    const a = tf.tidy(() => tf.add(tf.mul(this.actor.apply(tf.tensor2d(obs, [1, obs.length])), this.scale), this.bias));
    const out = a.dataSync() as Float32Array;
    a.dispose();
    return out;
  }

  update(): { criticLoss: number; actorLoss: number } {
    const { tf, scale, bias } = this;
    const { batchSize: B, obsDim, gamma, tau } = this.agent.config;
    const b = this.replay.sample(B);
    const [cl, al] = tf.tidy(() => {
      const s = tf.tensor2d(b.obs, [B, obsDim]), a = tf.tensor2d(b.actions, [B, 1]);
      const r = tf.tensor2d(b.rewards, [B, 1]), d = tf.tensor2d(b.terminated, [B, 1]);
      const s2 = tf.tensor2d(b.nextObs, [B, obsDim]);
      const y = tf.tidy(() => {
        const a2 = tf.add(tf.mul(this.actorTarget.apply(s2), scale), bias);
        return tf.add(r, tf.mul(tf.mul(tf.sub(1, d), gamma), this.criticTarget.apply(s2, a2)));
      });
      const criticLoss = this.criticOpt.minimize(() => tf.losses.meanSquaredError(y, this.critic.apply(s, a)) as Scalar,
        true, this.critic.vars) as Scalar;
      const actorLoss = this.actorOpt.minimize(() => {
        const aPi = tf.add(tf.mul(this.actor.apply(s), scale), bias);
        return tf.neg(tf.mean(this.critic.apply(s, aPi))) as Scalar;
      }, true, this.actor.vars) as Scalar;
      for (const [target, source] of [[this.actorTarget, this.actor], [this.criticTarget, this.critic]] as const) {
        target.vars.forEach((v, i) => v.assign(tf.add(tf.mul(source.vars[i], tau), tf.mul(v, 1 - tau)) as Tensor as typeof v));
      }
      return [criticLoss, actorLoss];
    });
    const out = { criticLoss: cl.dataSync()[0], actorLoss: al.dataSync()[0] };
    tf.dispose([cl, al]);
    return out;
  }

  dispose(): void {
    for (const n of [this.actor, this.critic, this.actorTarget, this.criticTarget]) disposeNet(this.tf, n);
    this.actorOpt.dispose();
    this.criticOpt.dispose();
  }
}
