// 3. One full agent update, batch 256, Pendulum shapes — DDPG and TD3: replay sampling, the target
// forwards, the critic step(s), the actor step, the Polyak updates. Ours is `agent.update()`; tfjs is
// bench/lib/tfjs-ddpg.ts / tfjs-td3.ts, same order and math, sampling the same batches from a twin buffer
// (TD3: the same smoothing noise); the first updates' critic losses must agree.
// DDPG matmul count: actor 4 passes (target fwd, fwd, dW, dX above its input layer), critic 6 (target fwd,
// fwd, dW, dX above the input, fwd for the actor step, dX all the way to the action input).
// TD3 (policyDelay 2): one timed call is a whole cycle of two updates (one without, one with the actor step),
// so every sample holds the same work; FLOP per cycle = 2 × bench/lib/agents.ts td3UpdateFlops.
import type { Group } from '../lib/harness.js';
import { backendOf, IMPLS, PEERS, type BenchContext, type Row, type Section } from '../lib/context.js';
import { ddpgUpdateFlops, makeAgent, makeTd3, td3UpdateFlops } from '../lib/agents.js';
import { TfDdpg } from '../lib/tfjs-ddpg.js';
import { TfTd3 } from '../lib/tfjs-td3.js';
import type { Tf } from '../lib/tfjs-nets.js';
import type { Engine, ReplayBuffer } from '../../src/index.js';

export const HIDDEN: number[][] = [[64, 64], [256, 256], [400, 300]];

interface Updater { update(): { criticLoss: number } }
interface Kind {
  section: 'ddpg' | 'td3';
  title: string;
  /** Updates per timed call: one policyDelay cycle. */
  cycle: number;
  make(engine: Engine, hidden: number[], twin: boolean): { agent: Updater; twin?: ReplayBuffer; flops: number };
  peer(tf: Tf, agent: Updater, twin: ReplayBuffer): Updater & { dispose(): void };
  flopFormula: string;
}

const KINDS: Record<'ddpg' | 'td3', Kind> = {
  ddpg: {
    section: 'ddpg', title: 'DDPG update (Pendulum shapes, batch 256, replay sampling included)', cycle: 1,
    make: (engine, hidden, twin) => { const m = makeAgent(engine, hidden, twin); return { ...m, flops: ddpgUpdateFlops(m.agent) }; },
    peer: (tf, agent, twin) => new TfDdpg(tf, agent as never, twin),
    flopFormula: 'FLOP = 2·B·(4·Σ_actor in·out − actor in_0·out_0 + 6·Σ_critic in·out − critic in_0·out_0). First critic losses agree with tfjs (rel < 1e-4)',
  },
  td3: {
    section: 'td3', title: 'TD3 updates, two per call: one policyDelay cycle (Pendulum shapes, batch 256, smoothing 0.2/0.5, replay sampling included)', cycle: 2,
    make: (engine, hidden, twin) => { const m = makeTd3(engine, hidden, twin); return { ...m, flops: 2 * td3UpdateFlops(m.agent) }; },
    peer: (tf, agent, twin) => new TfTd3(tf, agent as never, twin),
    flopFormula: 'FLOP per call (two updates) = 2·2·B·(Σ_A + 2Σ_C + 2(3Σ_C − C_0) + (3Σ_A − A_0 + 2Σ_C)/2). First two updates\' critic losses agree with tfjs (rel < 1e-4)',
  },
};

export const ddpgSection = (ctx: BenchContext) => updateSection(ctx, KINDS.ddpg);
export const td3Section = (ctx: BenchContext) => updateSection(ctx, KINDS.td3);

async function updateSection(ctx: BenchContext, kind: Kind): Promise<Section> {
  const { engine } = ctx;
  const notes: string[] = [];
  const ours = HIDDEN.map((h) => kind.make(engine, h, false));
  // Two updates before timing (TD3: one without and one with the actor step), their losses kept to check tfjs.
  const firstLosses = ours.map((o) => [o.agent.update().criticLoss, o.agent.update().criticLoss]);
  const names = HIDDEN.map((h) => `hidden ${h.join('/')} batch 256`);
  const unit = kind.cycle === 1 ? 'update' : `${kind.cycle} updates`;
  const rows: Row[] = ours.map((o, i) => ({ section: kind.section, name: names[i], unit, flops: o.flops, stats: {} }));
  const cycle = (a: Updater) => () => { for (let k = 0; k < kind.cycle; k++) a.update(); };
  const groups: Group[] = [{ impl: 'ours', cases: ours.map((o, i) => ({ name: `ours ${kind.section} ${names[i]}`, fn: cycle(o.agent) })) }];
  const cleanup: (() => Promise<void>)[] = [];
  for (const impl of PEERS) {
    const tf = await ctx.tf(backendOf(impl));
    const peers = HIDDEN.map((h, i) => {
      const { agent, twin } = kind.make(engine, h, true);
      const t = kind.peer(tf, agent, twin!);
      for (const want of firstLosses[i]) {
        const l = t.update().criticLoss;
        const rel = Math.abs(l - want) / Math.abs(want);
        if (!(rel < 1e-4)) throw new Error(`${kind.section} ${names[i]}: ${impl} critic loss ${l} vs ours ${want} (rel ${rel})`);
      }
      return t;
    });
    groups.push(ctx.tfGroup(impl, peers.map((t, i) => ({ name: `${impl} ${kind.section} ${names[i]}`, fn: cycle(t) })), notes));
    cleanup.push(async () => { await ctx.tf(backendOf(impl)); peers.forEach((t) => t.dispose()); });
  }
  const res = await ctx.run(groups);
  rows.forEach((r, i) => { for (const impl of IMPLS) r.stats[impl] = res[`${impl} ${kind.section} ${names[i]}`]; });
  for (const c of cleanup) await c();
  return { title: kind.title, flopFormula: kind.flopFormula, rows, notes };
}
