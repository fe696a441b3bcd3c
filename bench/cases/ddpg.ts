// 3. One full DDPG update, batch 256, Pendulum shapes: replay sampling, target forward (μ′, Q′), critic
// forward/backward/Adam, actor forward, critic forward and backward to its action input, actor
// backward/Adam, both Polyak updates. Ours is `new DDPG(engine, cfg).update()`; tfjs is bench/lib/tfjs-ddpg.ts,
// same order and math, sampling the same batches from a twin buffer; first-update critic losses must agree.
// Matmul count: actor 4 passes (target fwd, fwd, dW, dX above its input layer), critic 6 (target fwd, fwd,
// dW, dX above the input, fwd for the actor step, dX all the way to the action input).
import type { Group } from '../lib/harness.js';
import { backendOf, IMPLS, PEERS, type BenchContext, type Row, type Section } from '../lib/context.js';
import { ddpgUpdateFlops, makeAgent } from '../lib/agents.js';
import { TfDdpg } from '../lib/tfjs-ddpg.js';

export const HIDDEN: number[][] = [[64, 64], [256, 256], [400, 300]];

export async function ddpgSection(ctx: BenchContext): Promise<Section> {
  const { engine } = ctx;
  const notes: string[] = [];
  const ours = HIDDEN.map((h) => makeAgent(engine, h).agent);
  const firstLoss = ours.map((a) => a.update().criticLoss);
  const names = HIDDEN.map((h) => `hidden ${h.join('/')} batch 256`);
  const rows: Row[] = ours.map((a, i) => ({ section: 'ddpg', name: names[i], unit: 'update', flops: ddpgUpdateFlops(a), stats: {} }));
  const groups: Group[] = [{ impl: 'ours', cases: ours.map((a, i) => ({ name: `ours ddpg ${names[i]}`, fn: () => a.update() })) }];
  const cleanup: (() => Promise<void>)[] = [];
  for (const impl of PEERS) {
    const tf = await ctx.tf(backendOf(impl));
    const agents = HIDDEN.map((h, i) => {
      const { agent, twin } = makeAgent(engine, h, true);
      const t = new TfDdpg(tf, agent, twin!);
      const l = t.update().criticLoss;
      const rel = Math.abs(l - firstLoss[i]) / Math.abs(firstLoss[i]);
      if (!(rel < 1e-4)) throw new Error(`ddpg ${names[i]}: ${impl} first critic loss ${l} vs ours ${firstLoss[i]} (rel ${rel})`);
      return t;
    });
    groups.push(ctx.tfGroup(impl, agents.map((t, i) => ({ name: `${impl} ddpg ${names[i]}`, fn: () => t.update() })), notes));
    cleanup.push(async () => { await ctx.tf(backendOf(impl)); agents.forEach((t) => t.dispose()); });
  }
  const res = await ctx.run(groups);
  rows.forEach((r, i) => { for (const impl of IMPLS) r.stats[impl] = res[`${impl} ddpg ${names[i]}`]; });
  for (const c of cleanup) await c();
  return {
    title: 'DDPG update (Pendulum shapes, batch 256, replay sampling included)',
    flopFormula: 'FLOP = 2·B·(4·Σ_actor in·out − actor in_0·out_0 + 6·Σ_critic in·out − critic in_0·out_0). First critic losses agree with tfjs (rel < 1e-4)',
    rows, notes,
  };
}
