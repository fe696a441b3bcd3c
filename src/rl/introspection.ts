// Training introspection for study (train --log-grads): what the networks and the critic's estimates do
// while an agent learns. Pure helpers; the trainer only feeds them transitions and update results.
//   layerNorms        per layer ‖W‖, ‖b‖ and the last backward's ‖dW‖, ‖db‖ (Frobenius / L2 norms)
//   UpdateAverager    per-episode means of those norms and of the updates' mean |TD error|
//   QReturnTracker    the critic's Q(s_t, a_t) on the states the episode visited vs the discounted return
//                     G_t = Σ_{k≥t} γ^{k−t} r_k that actually followed: Q above G is overestimation
//   Introspection     both, as one per-episode accumulator with CSV columns
import { fail } from '../errors.js';
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

export interface UpdateAveragerState {
  td: { sum: number; n: number };
  nets: { name: string; lastT: number; n: number; sums: number[] }[];
}

export interface QReturnTrackerState { obs: number[]; actions: number[]; rewards: number[] }

export interface IntrospectionState { updates: UpdateAveragerState; episode: QReturnTrackerState }

/** A network to watch and, when it is trained, its optimizer: its norms are averaged over the updates in
 *  which that optimizer stepped (TD3's delayed actor has no fresh gradient on the other updates). */
export interface WatchedNet {
  net: NetView;
  optimizer?: { readonly t: number };
}

/** Sums per-update values between finish() calls; finish() returns their means (NaN when no update). */
export class UpdateAverager {
  private readonly nets: [string, WatchedNet, { lastT: number; n: number; sums: number[] }][];
  private td = { sum: 0, n: 0 };

  constructor(nets: Record<string, WatchedNet | NetView>) {
    this.nets = Object.entries(nets).map(([name, w]) => {
      const watched = 'net' in w ? w : { net: w };
      return [name, watched, { lastT: watched.optimizer?.t ?? 0, n: 0, sums: new Array(4 * watched.net.layers.length).fill(0) }];
    });
  }

  /** td_abs_mean, then <net>_l<i>_{w,b,dw,db} for every net and layer. */
  columns(): string[] {
    const cols = ['td_abs_mean'];
    for (const [name, { net }] of this.nets) {
      net.layers.forEach((_, l) => cols.push(...['w', 'b', 'dw', 'db'].map((k) => `${name}_l${l}_${k}`)));
    }
    return cols;
  }

  /** Call after each update, while the nets still hold that update's gradients. */
  add(s: UpdateSample): void {
    if (s.tdErrorMean !== undefined) { this.td.sum += s.tdErrorMean; this.td.n += 1; }
    for (const [, { net, optimizer }, acc] of this.nets) {
      if (optimizer) {
        if (optimizer.t === acc.lastT) continue; // did not step in this update
        acc.lastT = optimizer.t;
      }
      layerNorms(net).forEach((n, l) => {
        acc.sums[4 * l] += n.w; acc.sums[4 * l + 1] += n.b; acc.sums[4 * l + 2] += n.dW; acc.sums[4 * l + 3] += n.db;
      });
      acc.n += 1;
    }
  }

  /** The running sums (exact resume of a --log-grads run). */
  getState(): UpdateAveragerState {
    return { td: { ...this.td }, nets: this.nets.map(([name, , acc]) => ({ name, lastT: acc.lastT, n: acc.n, sums: [...acc.sums] })) };
  }

  setState(s: UpdateAveragerState): void {
    const finite = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
    const count = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
    if (!s || !finite(s.td?.sum) || !count(s.td?.n) || !Array.isArray(s.nets) || s.nets.length !== this.nets.length) {
      fail('introspection state: expected { td: { sum, n }, nets: [...] } for the same networks');
    }
    this.nets.forEach(([name, , acc], i) => {
      const n = s.nets[i];
      if (n?.name !== name || !count(n.lastT) || !count(n.n) || !Array.isArray(n.sums) || n.sums.length !== acc.sums.length || !n.sums.every(finite)) {
        fail(`introspection state: network ${name} does not match (name, lastT, n, ${acc.sums.length} finite sums)`);
      }
    });
    this.td = { ...s.td };
    this.nets.forEach(([, , acc], i) => { acc.lastT = s.nets[i].lastT; acc.n = s.nets[i].n; acc.sums = [...s.nets[i].sums]; });
  }

  finish(): number[] {
    const out = [this.td.n ? this.td.sum / this.td.n : NaN];
    this.td = { sum: 0, n: 0 };
    for (const [, , acc] of this.nets) {
      out.push(...acc.sums.map((v) => (acc.n ? v / acc.n : NaN)));
      acc.sums.fill(0);
      acc.n = 0;
    }
    return out;
  }
}

/** Records one episode's (s_t, a_t, r_t); at its end compares the critic's Q(s_t, a_t) with the return G_t. */
export class QReturnTracker {
  private obs: number[] = [];
  private actions: number[] = [];
  private rewards: number[] = [];

  constructor(private readonly obsDim: number, private readonly actDim: number, private readonly gamma: number) {}

  getState(): QReturnTrackerState {
    return { obs: [...this.obs], actions: [...this.actions], rewards: [...this.rewards] };
  }

  setState(s: QReturnTrackerState): void {
    const rows = Array.isArray(s?.rewards) ? s.rewards.length : -1;
    const ok = (a: unknown, n: number) => Array.isArray(a) && a.length === n && a.every((v) => typeof v === 'number' && Number.isFinite(v));
    if (!ok(s?.rewards, rows) || !ok(s.obs, rows * this.obsDim) || !ok(s.actions, rows * this.actDim)) {
      fail(`introspection state: the episode so far must be rows of ${this.obsDim} obs, ${this.actDim} actions and a reward, all finite`);
    }
    this.obs = [...s.obs]; this.actions = [...s.actions]; this.rewards = [...s.rewards];
  }

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

/** What introspection reads of an agent (any agent of src/rl/agent.ts has it). */
export interface IntrospectedAgent {
  optimizers: Readonly<Record<string, { readonly net: NetView; readonly t: number }>>;
  qValues(obs: ArrayLike<number>, actions: ArrayLike<number>, rows: number): Float32Array;
  config: { obsDim: number; actDim: number; gamma: number; batchSize: number };
}

/** One accumulator per run: feed transition() every step and update() after every update; at each episode's
 *  end finishEpisode() returns the values of columns(). Watches every trained network of the agent. */
export class Introspection {
  private readonly updates: UpdateAverager;
  private readonly q: QReturnTracker;

  constructor(private readonly agent: IntrospectedAgent) {
    this.updates = new UpdateAverager(Object.fromEntries(Object.entries(agent.optimizers).map(([name, opt]) => [name, { net: opt.net, optimizer: opt }])));
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

  getState(): IntrospectionState {
    return { updates: this.updates.getState(), episode: this.q.getState() };
  }

  setState(s: IntrospectionState): void {
    this.updates.setState(s?.updates);
    this.q.setState(s.episode);
  }

  finishEpisode(): number[] {
    const critic = { forward: (s: ArrayLike<number>, rows: number, a?: ArrayLike<number>) => this.agent.qValues(s, a!, rows) };
    const { q, ret } = this.q.finish(critic, this.agent.config.batchSize);
    return [q, ret, ...this.updates.finish()];
  }
}

/** CSV cells for finishEpisode() values, comma-prefixed so they append to a metrics row ('' for NaN). */
export function csvCells(values: readonly number[]): string {
  return values.map((v) => `,${Number.isNaN(v) ? '' : String(v)}`).join('');
}
