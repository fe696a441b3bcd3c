// The threaded engine (build/engine-threads.wasm, loadEngine({ threads })) next to one thread, in the same
// run, interleaved: whole DDPG updates (Pendulum shapes, batch 256) at 64/64, 256/256 and 400/300, and TD3
// training steps on HalfCheetah-v5 with its preset (256/256, batch 256: act + env step + store + update).
// Both compute the same bits (test/threads.test.ts); this is what the second core buys.
import { availableParallelism } from 'node:os';
import { createEnv, loadEngine, TD3, TD3_PRESETS, Trainer, type Engine } from '../../src/index.js';
import { runGroups, type Case, type Group, type Stat } from '../lib/harness.js';
import type { BenchContext } from '../lib/context.js';
import { makeAgent, sameKernels } from '../lib/agents.js';
import { CeilingProbe } from '../lib/core-ceiling.js';

export interface ThreadRow { name: string; one: Stat; many: Stat; unit: 'update' | 'step' }
/** Issue 15's targets: threaded / one thread at most this (64/64: the threshold keeps it on one thread). */
export const THREAD_TARGETS: Record<string, number> = {
  'DDPG update 64/64 batch 256': 1.0, 'DDPG update 256/256 batch 256': 0.6, 'DDPG update 400/300 batch 256': 0.58,
};

async function halfCheetahCase(engine: Engine, label: string): Promise<Case> {
  const env = await createEnv('HalfCheetah-v5', { seed: 3 });
  const agent = new TD3(engine, {
    obsDim: 17, actDim: 6, actionLow: Array.from(env.actionSpace.low), actionHigh: Array.from(env.actionSpace.high),
    ...TD3_PRESETS['HalfCheetah-v5'].config, bufferSize: 20_000, learningStarts: 2_000, seed: 1,
  });
  const trainer = new Trainer(agent, env);
  trainer.run(2_100); // past learningStarts: every step below updates
  return { name: `${label} HalfCheetah-v5 TD3 training step`, fn: () => trainer.run(trainer.step + 1) };
}

async function casesOf(engine: Engine, label: string): Promise<Case[]> {
  const cases: Case[] = [];
  for (const hidden of [[64, 64], [256, 256], [400, 300]]) {
    const { agent } = makeAgent(engine, hidden);
    agent.update();
    cases.push({ name: `${label} DDPG update ${hidden.join('/')} batch 256`, fn: () => agent.update() });
  }
  cases.push(await halfCheetahCase(engine, label));
  return cases;
}

export interface ThreadsResult {
  rows: ThreadRow[];
  /** The two-thread ceilings (bench/lib/core-ceiling.ts) before each case and after the last: what two threads
   *  of pure arithmetic (peak) and of an L2-resident GEMM each on its own memory (gemm) got on this machine
   *  then, ÷ one (2 on idle cores). */
  ceiling: { peak: number; gemm: number }[];
}

export async function threadsSection(ctx: BenchContext, threads = Math.min(2, availableParallelism())): Promise<ThreadsResult> {
  const probe = CeilingProbe.start(), ceiling: ThreadsResult['ceiling'] = [];
  const measure = async () => { ceiling.push({ peak: await probe.measure('peak'), gemm: await probe.measure('gemm') }); };
  // Both engines run the kernel variants the one-thread engine's calibration chose: two calibrations on a
  // busy host may choose differently, and the ratio is to show the threads, not the variants.
  const one = await loadEngine({ threads: 1 });
  const many = await loadEngine({ threads, kernels: sameKernels(one) });
  const a = await casesOf(one, '1'), b = await casesOf(many, String(threads));
  // Case by case, one thread and two alternating every maxTime/4 s (4× the rounds, the same sampling time):
  // a busy spell of the host (seconds, on a shared VM) then falls on both sides, not on one group's cases.
  const timing = { ...ctx.timing, rounds: ctx.timing.rounds * 4, maxTime: ctx.timing.maxTime / 4 };
  const res: Record<string, Stat> = {};
  for (let i = 0; i < a.length; i++) {
    await measure();
    const groups: Group[] = [{ impl: '1 thread', cases: [a[i]] }, { impl: `${threads} threads`, cases: [b[i]] }];
    Object.assign(res, await runGroups(groups, timing, () => timing));
  }
  await many.close();
  const rows: ThreadRow[] = a.map((c, i) => ({
    name: c.name.slice(2), one: res[c.name], many: res[b[i].name], unit: c.name.includes('training step') ? 'step' : 'update',
  }));
  await measure();
  await probe.close();
  return { rows, ceiling };
}

/** The line under the table: the machine's two-thread ceilings while the cases ran. */
export function ceilingLine(ceiling: ThreadsResult['ceiling']): string {
  return 'two-thread ceilings of this machine before each case and after the last (bench/lib/core-ceiling.ts: a loop on two ' +
    'threads at once ÷ on one, each on its own memory; 2.00 on two idle cores, less when the host runs other work on them): ' +
    `peak loop ${ceiling.map((c) => c.peak.toFixed(2)).join(', ')}; L2-resident 256³ GEMM ${ceiling.map((c) => c.gemm.toFixed(2)).join(', ')}`;
}

export function threadsTable(rows: ThreadRow[], threads: number): string {
  const f = (s: number) => (s >= 1e-3 ? `${(s * 1e3).toFixed(2)} ms` : `${(s * 1e6).toFixed(1)} µs`);
  const rate = (r: ThreadRow, s: Stat) => (r.unit === 'step' ? ` (${(1 / s.median).toFixed(0)} steps/s)` : '');
  return [`| case | 1 thread, median | ${threads} threads, median | ${threads} / 1 | target |`, '|:--|--:|--:|--:|--:|',
    ...rows.map((r) => `| ${r.name} | ${f(r.one.median)}${rate(r, r.one)} | ${f(r.many.median)}${rate(r, r.many)} | ` +
      `${(r.many.median / r.one.median).toFixed(2)}× | ${THREAD_TARGETS[r.name] === undefined ? '–' : `≤ ${THREAD_TARGETS[r.name]}×`} |`)].join('\n');
}
