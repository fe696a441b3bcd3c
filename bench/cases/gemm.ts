// 1. GEMM in the three forms of a dense layer's training step, for a layer in → out at batch B:
//      X·W    Y[B×out]  = X[B×in]·W[in×out]      (forward)
//      dY·Wᵀ  dX[B×in]  = dY[B×out]·W[in×out]ᵀ   (input gradient)
//      Xᵀ·dY  dW[in×out] = X[B×in]ᵀ·dY[B×out]    (weight gradient)
// Each is 2·B·in·out flops. Ours calls the engine kernels the MLP uses for that form, with the kernel variants
// the library engine chose at load (dY·Wᵀ: the SIMD transpose of W, then the dX GEMM; Xᵀ·dY: the packed-panel
// path) — the time includes the transpose;
// tfjs calls tf.matMul with transposeA / transposeB inside tf.tidy (both backends compute eagerly).
import type { Tensor } from '@tensorflow/tfjs-core';
import type { KernelExports } from '../../src/engine/abi.js';
import type { Case, Group } from '../lib/harness.js';
import { backendOf, IMPLS, PEERS, type BenchContext, type Row, type Section } from '../lib/context.js';
import type { Tf } from '../lib/tfjs-nets.js';
import { nonZero } from '../lib/data.js';

export const SHAPES: [number, number, number][] = [[256, 256, 256], [256, 400, 300], [64, 64, 64]]; // B, in, out

export interface Buffers { X: number; W: number; dY: number; Y: number; dX: number; dW: number; Wt: number }

type Form = {
  label: string;
  ours(w: KernelExports, B: number, I: number, O: number, p: Buffers): void;
  out(p: Buffers): number;
  outShape(B: number, I: number, O: number): number;
  tf(tf: typeof import('@tensorflow/tfjs-core'), X: Tensor, W: Tensor, dY: Tensor): Tensor;
};

export const FORMS: Form[] = [
  {
    label: 'X·W',
    ours: (w, B, I, O, p) => w.gemm(B, O, I, p.X, I, 1, p.W, O, p.Y, O, 0),
    out: (p) => p.Y, outShape: (B, I, O) => B * O,
    tf: (tf, X, W) => tf.matMul(X, W),
  },
  {
    label: 'dY·Wᵀ',
    // as mlpBackward: pack Wᵀ, then the dX GEMM (gemmDerivative with hCols 0: no derivative, the dx variant)
    ours: (w, B, I, O, p) => { w.transpose(p.W, I, O, p.Wt); w.gemmDerivative(B, I, O, p.dY, O, 1, p.Wt, I, p.dX, I, 0, 0, 0); },
    out: (p) => p.dX, outShape: (B, I) => B * I,
    tf: (tf, X, W, dY) => tf.matMul(dY, W, false, true),
  },
  {
    label: 'Xᵀ·dY',
    ours: (w, B, I, O, p) => w.gemm(I, O, B, p.X, 1, I, p.dY, O, p.dW, O, 0),
    out: (p) => p.dW, outShape: (B, I, O) => I * O,
    tf: (tf, X, W, dY) => tf.matMul(X, dY, true, false),
  },
];

const caseName = (label: string, [B, I, O]: number[]) => `${label} ${B}×${I}×${O}`;

export async function gemmSection(ctx: BenchContext): Promise<Section> {
  const rt = ctx.kernels.runtime;
  const rows: Row[] = [];
  const notes: string[] = [];
  const data = SHAPES.map(([B, I, O]) => ({ X: nonZero(B * I, `gx${B}${I}`), W: nonZero(I * O, `gw${I}${O}`, 0.1), dY: nonZero(B * O, `gd${B}${O}`) }));
  const bufs: Buffers[] = SHAPES.map(([B, I, O], s) => {
    const put = (a: Float32Array) => { const p = rt.alloc(a.length); rt.f32.set(a, p >> 2); return p; };
    return { X: put(data[s].X), W: put(data[s].W), dY: put(data[s].dY), Y: rt.alloc(B * O), dX: rt.alloc(B * I), dW: rt.alloc(I * O), Wt: rt.alloc(I * O) };
  });
  const wasm = ctx.kernelExports;
  for (const form of FORMS) {
    SHAPES.forEach((shape, s) => rows.push({ section: 'gemm', name: caseName(form.label, shape), flops: 2 * shape[0] * shape[1] * shape[2], unit: 'call', stats: {} }));
  }
  const groups: Group[] = [];
  const oursCases: Case[] = [];
  for (const form of FORMS) SHAPES.forEach((sh, s) => oursCases.push({ name: `ours ${caseName(form.label, sh)}`, fn: () => form.ours(wasm, sh[0], sh[1], sh[2], bufs[s]) }));
  groups.push({ impl: 'ours', cases: oursCases });
  const fixtures: { tf: Tf; tensors: { X: Tensor; W: Tensor; dY: Tensor }[] }[] = [];
  for (const impl of PEERS) {
    const tf = await ctx.tf(backendOf(impl));
    const tensors = SHAPES.map(([B, I, O], s) => ({ X: tf.tensor2d(data[s].X, [B, I]), W: tf.tensor2d(data[s].W, [I, O]), dY: tf.tensor2d(data[s].dY, [B, O]) }));
    fixtures.push({ tf, tensors });
    const cases: Case[] = [];
    for (const form of FORMS) SHAPES.forEach((sh, s) => {
      const t = tensors[s];
      cases.push({ name: `${impl} ${caseName(form.label, sh)}`, fn: () => tf.tidy(() => { form.tf(tf, t.X, t.W, t.dY); }) });
      // Same math: ours agrees with each tfjs backend on every form and shape.
      const want = tf.tidy(() => form.tf(tf, t.X, t.W, t.dY));
      const ref = want.dataSync();
      want.dispose();
      form.ours(wasm, sh[0], sh[1], sh[2], bufs[s]);
      const got = rt.view(form.out(bufs[s]), form.outShape(sh[0], sh[1], sh[2]));
      let diff = 0, scale = 1e-6;
      for (let i = 0; i < ref.length; i++) { diff = Math.max(diff, Math.abs(got[i] - ref[i])); scale = Math.max(scale, Math.abs(ref[i])); }
      if (!(diff / scale < 1e-4)) throw new Error(`gemm ${caseName(form.label, sh)}: ours differs from ${impl} (rel ${diff / scale})`);
    });
    groups.push(ctx.tfGroup(impl, cases, notes));
  }
  const res = await ctx.run(groups);
  for (const r of rows) for (const impl of IMPLS) r.stats[impl] = res[`${impl} ${r.name}`];
  for (const [i, impl] of PEERS.entries()) {
    await ctx.tf(backendOf(impl));
    fixtures[i].tf.dispose(fixtures[i].tensors.flatMap((t) => [t.X, t.W, t.dY]));
  }
  return {
    title: 'GEMM, the three training forms (shape B×in×out: batch × layer input × layer output)',
    flopFormula: 'FLOP = 2·B·in·out for each form; ours checked against both tfjs backends (max rel. error < 1e-4)',
    rows, notes,
  };
}
