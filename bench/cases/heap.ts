// Steady-state allocation check: the JS heap over N DDPG updates (64/64, batch 256), in ten chunks (small
// enough that the young generation, emptied by the full GC closing each chunk, rarely fills inside one).
// After a warm-up and a full GC we record heapUsed; after each chunk we read heapUsed (bytes allocated by
// the chunk if no GC ran in it), force a full GC and read it again (bytes retained). A leak shows as
// retained memory growing chunk after chunk: the slope of a least-squares line through the eleven points.
// GCs V8 ran on its own during the chunks are counted by kind (forced ones are ours and not counted).
import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import type { BenchContext } from '../lib/context.js';
import { makeAgent } from '../lib/agents.js';

export interface HeapResult {
  updates: number;
  /** heapUsed after a full GC, before the first chunk and after each. */
  retained: number[];
  /** Least-squares slope of the retained heap over the chunk ends, bytes per update. */
  leakBytesPerUpdate: number;
  /** Bytes allocated per update, from the chunks in which no GC ran (NaN if a GC ran in every chunk). */
  allocatedBytesPerUpdate: number;
  gcs: Record<string, number>;
  ok: boolean;
}

const KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor', [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental', [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

export async function heapCheck(ctx: BenchContext, updates: number): Promise<HeapResult | undefined> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return undefined;
  const { agent } = makeAgent(ctx.engine, [64, 64]);
  for (let i = 0; i < 3000; i++) agent.update(); // past JIT tier-ups, so their one-time allocations do not count
  const gcs: Record<string, number> = {};
  let inChunk = 0;
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries() as (PerformanceEntry & { detail?: { kind: number; flags: number } })[]) {
      if (!e.detail || e.detail.flags & constants.NODE_PERFORMANCE_GC_FLAGS_FORCED) continue;
      const k = KINDS[e.detail.kind] ?? String(e.detail.kind);
      gcs[k] = (gcs[k] ?? 0) + 1;
      inChunk++;
    }
  });
  obs.observe({ entryTypes: ['gc'] });
  const tick = () => new Promise((r) => setTimeout(r, 10)); // lets the observer deliver its entries
  const fullGc = async () => { gc(); gc(); await tick(); return process.memoryUsage().heapUsed; };
  const chunks = 10, per = Math.floor(updates / chunks);
  const retained = [await fullGc()];
  let allocated = 0, quietChunks = 0;
  for (let c = 0; c < chunks; c++) {
    inChunk = 0;
    const h0 = process.memoryUsage().heapUsed;
    for (let i = 0; i < per; i++) agent.update();
    const h1 = process.memoryUsage().heapUsed;
    await tick();
    if (inChunk === 0) { allocated += h1 - h0; quietChunks++; }
    retained.push(await fullGc());
  }
  obs.disconnect();
  // heapUsed after a full GC wanders by a few hundred KiB here with nothing leaking (V8 metadata, code flushing), so
  // the verdict is on the fitted slope: flat if under 26 B/update (< 256 KiB over 10k updates) — one object
  // kept per update (≥ 32 B) would exceed it.
  const xs = retained.map((_, i) => i * per), n = xs.length;
  const mx = xs.reduce((a, x) => a + x, 0) / n, my = retained.reduce((a, y) => a + y, 0) / n;
  const leak = xs.reduce((a, x, i) => a + (x - mx) * (retained[i] - my), 0) / xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  return {
    updates: chunks * per, retained, leakBytesPerUpdate: leak,
    allocatedBytesPerUpdate: quietChunks ? allocated / (quietChunks * per) : NaN, gcs,
    ok: leak * updates < 256 * 1024,
  };
}
