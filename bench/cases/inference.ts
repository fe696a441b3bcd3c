// 4. Policy inference latency: one Pendulum observation through the actor to an action in env units.
// Ours: agent.act(obs) (validation, one WASM forward, action scaling). tfjs: a tensor from the obs,
// the actor, scaling, in tf.tidy, read back with dataSync.
import type { Group } from '../lib/harness.js';
import { backendOf, forwardFlops, IMPLS, PEERS, type BenchContext, type Row, type Section } from '../lib/context.js';
import { makeAgent } from '../lib/agents.js';
import { TfDdpg } from '../lib/tfjs-ddpg.js';

const HIDDEN = [[64, 64], [256, 256]];
const OBS = Float32Array.from([0.6, -0.8, 1.3]);

export async function inferenceSection(ctx: BenchContext): Promise<Section> {
  const agents = HIDDEN.map((h) => makeAgent(ctx.engine, h).agent);
  const names = HIDDEN.map((h) => `actor ${h.join('/')}, 1 obs`);
  const rows: Row[] = agents.map((a, i) => ({ section: 'infer', name: names[i], unit: 'action', flops: forwardFlops(a.actor.layers, 1), stats: {} }));
  const want = agents.map((a) => a.act(OBS)[0]);
  const groups: Group[] = [{ impl: 'ours', cases: agents.map((a, i) => ({ name: `ours act ${names[i]}`, fn: () => a.act(OBS) })) }];
  const cleanup: (() => Promise<void>)[] = [];
  const notes: string[] = [];
  for (const impl of PEERS) {
    const tf = await ctx.tf(backendOf(impl));
    const tfa = agents.map((a) => new TfDdpg(tf, a, a.replay));
    tfa.forEach((t, i) => {
      const got = t.act(OBS)[0];
      if (!(Math.abs(got - want[i]) < 1e-5)) throw new Error(`inference ${names[i]}: ${impl} action ${got} vs ours ${want[i]}`);
    });
    groups.push(ctx.tfGroup(impl, tfa.map((t, i) => ({ name: `${impl} act ${names[i]}`, fn: () => t.act(OBS) })), notes));
    cleanup.push(async () => { await ctx.tf(backendOf(impl)); tfa.forEach((t) => t.dispose()); });
  }
  const res = await ctx.run(groups);
  rows.forEach((r, i) => { for (const impl of IMPLS) r.stats[impl] = res[`${impl} act ${names[i]}`]; });
  for (const c of cleanup) await c();
  return {
    title: 'Policy inference latency (one observation → action)',
    flopFormula: 'FLOP = 2·Σ_l in_l·out_l; actions agree with tfjs (abs < 1e-5)',
    rows, notes,
  };
}
