// GEMM kernel variants (issue 16): every micro-kernel variant of assembly/gemm.ts on each form of a dense
// layer (X·W, dY·Wᵀ with its transpose, Xᵀ·dY) at the GEMM section's shapes, as GFLOP/s and % of the peak of
// the same run, with what the calibration at loadEngine() chose. Variants of one case are timed in short
// slices (~2 ms) taken in turn (not one after the other), so the other tenants' load hits them alike. Two
// figures per variant: the median slice, and the best one — set against the peak, itself the best call of
// the run (on a shared machine a slice that the scheduler did not interrupt is the like-for-like figure).
// Every variant's output is checked bit for bit against the in-place 4x8 before timing.
import type { KernelInfo } from '../../src/index.js';
import type { KernelExports } from '../../src/engine/abi.js';
import type { BenchContext } from '../lib/context.js';
import { statOf, type Stat } from '../lib/harness.js';
import { nonZero } from '../lib/data.js';
import { FORMS, SHAPES, type Buffers } from './gemm.js';

export interface KernelRow {
  form: string;
  shape: string;
  flops: number;
  /** Per variant (in id order): per-call time over the slices. */
  stats: Stat[];
}

export interface KernelResult {
  variants: string[];
  rows: KernelRow[];
  /** The library engine's choice (engine.wasm, what the other sections run) and the kernels build's own. */
  chosen: KernelInfo;
  kernelsBuild: KernelInfo;
  sliceMs: number;
}

export async function kernelsSection(ctx: BenchContext): Promise<KernelResult> {
  const rt = ctx.kernels.runtime;
  const wasm: KernelExports = ctx.kernelExports;
  const chosen = ctx.engine.kernelInfo(), own = ctx.kernels.kernelInfo();
  const variants = own.variants;
  const put = (a: Float32Array) => { const p = rt.alloc(a.length); rt.f32.set(a, p >>> 2); return p; };
  const bufs: Buffers[] = SHAPES.map(([B, I, O]) => ({
    X: put(nonZero(B * I, `kx${B}${I}`)), W: put(nonZero(I * O, `kw${I}${O}`, 0.1)), dY: put(nonZero(B * O, `kd${B}${O}`)),
    Y: rt.alloc(B * O), dX: rt.alloc(B * I), dW: rt.alloc(I * O), Wt: rt.alloc(I * O),
  }));
  // Slices: the sampling time of a case (maxTime × rounds) in turns of ~sliceMs per variant.
  const sliceMs = 2;
  const perCase = ctx.timing.maxTime * ctx.timing.rounds * 1e3;
  const rows: KernelRow[] = [];
  ctx.samplePeak();
  for (const form of FORMS) {
    for (const [s, shape] of SHAPES.entries()) {
      const [B, I, O] = shape;
      const run = (v: number) => { wasm.setKernels(v, v, v); form.ours(wasm, B, I, O, bufs[s]); };
      const out = () => new Uint32Array(rt.f32.buffer, form.out(bufs[s]), form.outShape(B, I, O)).slice();
      run(0);
      const want = out();
      for (let v = 1; v < variants.length; v++) {
        run(v);
        const got = out();
        const diff = got.findIndex((x, i) => x !== want[i]);
        if (diff >= 0) throw new Error(`kernel variant ${variants[v]} differs from ${variants[0]} on ${form.label} ${shape.join('×')} at ${diff}`);
      }
      // Calls per slice: ~sliceMs of the fastest variant after its warm-up calls.
      let fastest = Infinity;
      for (let v = 0; v < variants.length; v++) {
        for (let i = 0; i < ctx.timing.warmup; i++) run(v);
        const t = performance.now();
        run(v);
        fastest = Math.min(fastest, performance.now() - t);
      }
      const calls = Math.max(1, Math.round(sliceMs / Math.max(fastest, 1e-3)));
      const samples: number[][] = variants.map(() => []);
      const t0 = performance.now();
      while (performance.now() - t0 < perCase * variants.length || samples[0].length < ctx.timing.minSamples) {
        for (let v = 0; v < variants.length; v++) {
          wasm.setKernels(v, v, v);
          const t = performance.now();
          for (let i = 0; i < calls; i++) form.ours(wasm, B, I, O, bufs[s]);
          samples[v].push((performance.now() - t) / 1e3 / calls);
        }
      }
      rows.push({ form: form.label, shape: shape.join('×'), flops: 2 * B * I * O, stats: samples.map((x) => statOf(x)) });
      process.stderr.write(`  kernels ${form.label} ${shape.join('×')}: ${samples[0].length} slices of ${calls} calls per variant\n`);
    }
  }
  const ids = chosen.ids;
  wasm.setKernels(ids.forward, ids.dx, ids.dw); // the other sections run the library engine's choice
  return { variants, rows, chosen, kernelsBuild: own, sliceMs };
}

const FORM_KEY: Record<string, 'forward' | 'dx' | 'dw'> = { 'X·W': 'forward', 'dY·Wᵀ': 'dx', 'Xᵀ·dY': 'dw' };

/** GFLOP/s of a row's variant at its median slice, or its best. */
export const variantGflops = (r: KernelRow, v: number, best = false) => r.flops / (best ? r.stats[v].min : r.stats[v].median) / 1e9;

/** The row's variant the library engine runs. */
export function chosenId(res: KernelResult, r: KernelRow): number {
  return res.chosen.ids[FORM_KEY[r.form]];
}

export function kernelsTable(res: KernelResult, peak: number): string {
  const head = ['form', 'B×in×out', ...res.variants.map((v) => `${v}: median / best slice, GFLOP/s (% peak)`), 'fastest (best slice)', 'chosen at load'];
  const lines = [`| ${head.join(' | ')} |`, `|:--|:--|${res.variants.map(() => '--:').join('|')}|:--|:--|`];
  const pct = (g: number) => `${((100 * g) / peak).toFixed(0)}%`;
  for (const r of res.rows) {
    const best = r.stats.map((_, v) => variantGflops(r, v, true));
    const fastest = best.indexOf(Math.max(...best)), chosen = chosenId(res, r);
    const cell = (v: number) => {
      const med = variantGflops(r, v);
      return `${med.toFixed(1)} (${pct(med)}) / ${best[v].toFixed(1)} (${pct(best[v])})${v === chosen ? ' ◀' : ''}`;
    };
    lines.push(`| ${r.form} | ${r.shape} | ${r.stats.map((_, v) => cell(v)).join(' | ')} | ${res.variants[fastest]} | ${res.variants[chosen]} |`);
  }
  return lines.join('\n');
}

/** One line: the calibration of the library engine (and of the kernels build, which the GEMM section runs). */
export function calibrationLine(info: KernelInfo, label: string): string {
  const by = Object.values(info.chosenBy).every((c) => c === 'calibration') ? `calibration ${info.calibrationMs} ms, ${info.rounds} rounds`
    : Object.entries(info.chosenBy).map(([f, c]) => `${f} by ${c}`).join(', ');
  return `${label}: forward ${info.forward}, dx ${info.dx}, dw ${info.dw} (${by})`;
}
