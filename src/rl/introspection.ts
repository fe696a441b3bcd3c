// Training introspection for study (train --log-grads): what the networks and the critic's estimates do
// while DDPG learns. Pure helpers; the trainer only feeds them transitions and update results.
//   layerNorms        per layer ‖W‖, ‖b‖ and the last backward's ‖dW‖, ‖db‖ (Frobenius / L2 norms)
//   UpdateAverager    per-episode means of those norms and of the updates' mean |TD error|
//   QReturnTracker    the critic's Q(s_t, a_t) on the states the episode visited vs the discounted return
//                     G_t = Σ_{k≥t} γ^{k−t} r_k that actually followed: Q above G is overestimation
//   Introspection     both, as one per-episode accumulator with CSV columns
import type { Mlp } from '../nn/mlp.js';

export interface LayerNorms {
  layer: number;
  w: number;
  b: number;
  dW: number;
  db: number;
}

type NetView = Pick<Mlp, 'layers' | 'paramsView' | 'gradsView'>;

/** ‖W_l‖, ‖b_l‖, ‖dW_l‖, ‖db_l‖ for every layer, from the net's live parameters and its last gradients. */
export function layerNorms(net: NetView): LayerNorms[] {
  const p = net.paramsView(), g = net.gradsView();
  const norm = (a: Float32Array, from: number, to: number) => {
    let s = 0;
    for (let i = from; i < to; i++) s += a[i] * a[i];
    return Math.sqrt(s);
  };
  return net.layers.map((l, layer) => ({
    layer,
    w: norm(p, l.wOffset, l.bOffset), b: norm(p, l.bOffset, l.bOffset + l.out),
    dW: norm(g, l.wOffset, l.bOffset), db: norm(g, l.bOffset, l.bOffset + l.out),
  }));
}

/** What an update reports that is averaged here (UpdateStats has it). */
export interface UpdateSample {
  /** mean_b |Q(s, a) − y| before the critic step. */
  tdErrorMean?: number;
}

/** Sums per-update values between finish() calls; finish() returns their means (NaN when no update). */
export class UpdateAverager {
  private readonly nets: [string, NetView][];
  private sums: number[];
  private n = 0;

  constructor(nets: Record<string, NetView>) {
    this.nets = Object.entries(nets);
    this.sums = new Array(this.columns().length).fill(0);
  }

  /** td_abs_mean, then <net>_l<i>_{w,b,dw,db} for every net and layer. */
  columns(): string[] {
    const cols = ['td_abs_mean'];
    for (const [name, net] of this.nets) {
      net.layers.forEach((_, l) => cols.push(...['w', 'b', 'dw', 'db'].map((k) => `${name}_l${l}_${k}`)));
    }
    return cols;
  }

  /** Call after each update, while the nets still hold that update's gradients. */
  add(s: UpdateSample): void {
    const v = [s.tdErrorMean ?? NaN];
    for (const [, net] of this.nets) for (const n of layerNorms(net)) v.push(n.w, n.b, n.dW, n.db);
    v.forEach((x, i) => { this.sums[i] += x; });
    this.n += 1;
  }

  finish(): number[] {
    const out = this.sums.map((s) => (this.n ? s / this.n : NaN));
    this.sums.fill(0);
    this.n = 0;
    return out;
  }
}

/** Records one episode's (s_t, a_t, r_t); at its end compares the critic's Q(s_t, a_t) with the return G_t. */
export class QReturnTracker {
  private obs: number[] = [];
  private actions: number[] = [];
  private rewards: number[] = [];

  constructor(private readonly obsDim: number, private readonly actDim: number, private readonly gamma: number) {}

  step(obs: ArrayLike<number>, action: ArrayLike<number>, reward: number): void {
    for (let i = 0; i < this.obsDim; i++) this.obs.push(obs[i]);
    for (let i = 0; i < this.actDim; i++) this.actions.push(action[i]);
    this.rewards.push(reward);
  }

  /** Means over t < ⌈T/2⌉ (so every G_t sums at least half the episode; a time-limit cut makes late G_t too
   *  small) of Q(s_t, a_t) and of G_t. The critic is evaluated in chunks of at most `maxBatch` rows. */
  finish(critic: Pick<Mlp, 'forward'>, maxBatch: number): { q: number; ret: number; steps: number } {
    const T = this.rewards.length, n = Math.ceil(T / 2);
    // G_t = r_t + γ·G_{t+1}, backwards from G_T = 0.
    const G = new Float64Array(T + 1);
    for (let t = T - 1; t >= 0; t--) G[t] = this.rewards[t] + this.gamma * G[t + 1];
    let q = 0, ret = 0;
    for (let t0 = 0; t0 < n; t0 += maxBatch) {
      const rows = Math.min(maxBatch, n - t0);
      const s = this.obs.slice(t0 * this.obsDim, (t0 + rows) * this.obsDim);
      const a = this.actions.slice(t0 * this.actDim, (t0 + rows) * this.actDim);
      const out = critic.forward(s, rows, a);
      for (let i = 0; i < rows; i++) { q += out[i]; ret += G[t0 + i]; }
    }
    this.obs = []; this.actions = []; this.rewards = [];
    return n ? { q: q / n, ret: ret / n, steps: n } : { q: NaN, ret: NaN, steps: 0 };
  }
}

/** The agent fields introspection reads (a DDPG has them). */
export interface IntrospectedAgent {
  actor: NetView;
  critic: NetView & Pick<Mlp, 'forward'>;
  config: { obsDim: number; actDim: number; gamma: number; batchSize: number };
}

/** One accumulator per run: feed transition() every step and update() after every update; at each episode's
 *  end finishEpisode() returns the values of columns(). */
export class Introspection {
  private readonly updates: UpdateAverager;
  private readonly q: QReturnTracker;

  constructor(private readonly agent: IntrospectedAgent) {
    this.updates = new UpdateAverager({ actor: agent.actor, critic: agent.critic });
    this.q = new QReturnTracker(agent.config.obsDim, agent.config.actDim, agent.config.gamma);
  }

  columns(): string[] {
    return ['q_episode', 'disc_return', ...this.updates.columns()];
  }

  transition(obs: ArrayLike<number>, action: ArrayLike<number>, reward: number): void {
    this.q.step(obs, action, reward);
  }

  update(stats: UpdateSample): void {
    this.updates.add(stats);
  }

  finishEpisode(): number[] {
    const { q, ret } = this.q.finish(this.agent.critic, this.agent.config.batchSize);
    return [q, ret, ...this.updates.finish()];
  }
}

/** CSV cells for finishEpisode() values, comma-prefixed so they append to a metrics row ('' for NaN). */
export function csvCells(values: readonly number[]): string {
  return values.map((v) => `,${Number.isNaN(v) ? '' : String(v)}`).join('');
}
