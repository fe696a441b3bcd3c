// Steady-state allocation check: the JS heap over N DDPG updates (64/64, batch 256). After a warm-up and a
// full GC we record heapUsed, run N updates counting the GCs V8 reports, read heapUsed again (bytes
// allocated if no GC ran in between) and once more after a full GC (bytes retained: must not grow).
import { PerformanceObserver } from 'node:perf_hooks';
import type { BenchContext } from '../lib/context.js';
import { makeAgent } from '../lib/agents.js';

export interface HeapResult {
  updates: number;
  retainedGrowthBytes: number;
  allocatedBytes: number;
  gcsDuringRun: number;
  ok: boolean;
}

export async function heapCheck(ctx: BenchContext, updates: number): Promise<HeapResult | undefined> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return undefined;
  const { agent } = makeAgent(ctx.engine, [64, 64]);
  for (let i = 0; i < 200; i++) agent.update();
  let gcs = 0;
  const obs = new PerformanceObserver((list) => { gcs += list.getEntries().length; });
  gc(); gc();
  await new Promise((r) => setTimeout(r, 20));
  const h0 = process.memoryUsage().heapUsed;
  obs.observe({ entryTypes: ['gc'] });
  for (let i = 0; i < updates; i++) agent.update();
  const h1 = process.memoryUsage().heapUsed;
  await new Promise((r) => setTimeout(r, 20));
  obs.disconnect();
  gc(); gc();
  const h2 = process.memoryUsage().heapUsed;
  const retained = h2 - h0;
  return { updates, retainedGrowthBytes: retained, allocatedBytes: gcs === 0 ? h1 - h0 : NaN, gcsDuringRun: gcs, ok: retained < 64 * 1024 };
}
