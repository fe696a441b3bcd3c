// 0. This machine's WASM SIMD peak: assembly/peak.ts runs twelve independent f32x4 streams (six mul chains,
// six add chains, operands in registers). Every other GFLOP/s figure is also given as a % of this one.
// The machine is shared, so the kernel is timed again before every section; the peak is the best call of
// the whole run (a peak is what the hardware can do; the chained muls also settle into a slower pipe
// assignment on some calls — per-call throughput is bimodal here — so the median call understates it).
import type { BenchContext, Section } from '../lib/context.js';

const ITERS = 500_000; // ≈ 0.4 ms a call
const FLOPS_PER_ITER = 48;

export async function peakSection(ctx: BenchContext): Promise<Section> {
  const rt = ctx.kernels.runtime;
  const p = rt.alloc(32);
  const f32 = rt.f32;
  f32.fill(1, p >>> 2, (p >>> 2) + 4); // c = 1
  for (let i = 4; i < 28; i++) f32[(p >>> 2) + i] = 1 + i / 64; // start values
  f32.fill(1e-3, (p >>> 2) + 28, (p >>> 2) + 32); // d
  const wasm = ctx.kernelExports;
  let sink = 0;
  ctx.setPeakCall(() => { sink += wasm.peakMulAdd(ITERS, p); return ITERS * FLOPS_PER_ITER; });
  for (let i = 0; i < 10; i++) wasm.peakMulAdd(ITERS, p); // tier up
  ctx.samplePeak(ctx.quick ? 50 : 200);
  if (!Number.isFinite(sink)) throw new Error('peak kernel produced a non-finite sum');
  return {
    title: 'WASM SIMD peak (assembly/peak.ts: 6 mul + 6 add independent f32x4 streams)',
    flopFormula: `FLOP = ${FLOPS_PER_ITER}·iterations (12 f32x4 ops of 4 lanes), ${ITERS} iterations a call; every call timed on its own, ` +
      'again before every section; peak = the best call of the run (GFLOP/s column: the median call)',
    rows: [{ section: 'peak', name: 'peak mul/add', flops: ITERS * FLOPS_PER_ITER, unit: 'call', stats: {} }],
    notes: [],
  };
}
