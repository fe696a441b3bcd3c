// Which GEMM micro-kernel variant each form of a dense layer runs (assembly/gemm.ts, setKernels): chosen at
// loadEngine() by a short calibration on this machine, or fixed by loadEngine({ kernels }). Every variant
// computes every element of C in the same order (Σ_p from zero in order p = 0…k−1, then the epilogue), so
// the choice changes the speed and never the bits: seeded runs stay reproducible across machines whatever
// each machine picks.
import { checkOptions, fail } from '../errors.js';
import type { EngineExports } from './abi.js';
import type { Runtime } from './runtime.js';

/** The SIMD build's variants, in the order of their wasm ids (assembly/gemm.ts):
 *  4x8 the in-place 4×8 register blocks (A broadcast by load32_splat from where it lies); 4x8p A and B packed
 *  into panels first, then 4×8 blocks reading them with one pointer each; 2x16p the same panels, 2×16 blocks;
 *  4x8p-lanes the 4×8 panels with A loaded as one vector per step and broadcast lane by lane. The calibration
 *  walks them in this order and a later one must beat the fastest so far by more than TIE (see chooseKernels). */
export const KERNEL_VARIANTS = ['4x8', '4x8p', '2x16p', '4x8p-lanes'] as const;
export type KernelVariant = (typeof KERNEL_VARIANTS)[number];

/** The three GEMM forms of a dense layer: forward Y = X·W, input gradient dX = dZ·Wᵀ, weight gradient dW = Xᵀ·dZ. */
export const GEMM_FORMS = ['forward', 'dx', 'dw'] as const;
export type GemmForm = (typeof GEMM_FORMS)[number];

/** loadEngine({ kernels }): 'auto' (calibrate, the default), one variant for every form, or per form. */
export type KernelsOption = 'auto' | KernelVariant | Partial<Record<GemmForm, 'auto' | KernelVariant>>;

export interface KernelInfo {
  /** The variant each form runs. */
  forward: string;
  dx: string;
  dw: string;
  /** Their wasm ids: `setKernels(ids.forward, ids.dx, ids.dw)` gives a further instance of the engine's module
   *  that shares this memory (a worker thread) the same choice. */
  ids: Record<GemmForm, number>;
  /** How each form's variant was chosen: timed at load, named in loadEngine({ kernels }), the build's only one,
   *  or nothing chose it (an Engine made around a runtime directly: what the instance had, 4x8 at first). */
  chosenBy: Record<GemmForm, 'calibration' | 'option' | 'only' | 'default'>;
  /** The variants of this build (the build without SIMD has one, 'scalar'). */
  variants: string[];
  /** Wall time of the calibration at load, ms (0 when no form was calibrated). */
  calibrationMs: number;
  /** Timed rounds of the calibration (every variant of every calibrated form once per round). */
  rounds: number;
  /** Per calibrated form, the best call of each variant in the calibration, µs. */
  timings: Partial<Record<GemmForm, Record<string, number>>>;
  /** The products the calibration timed, per form. */
  shapes: Record<GemmForm, string>;
}

// The calibration's product per form: a 256-wide layer (W 256×256) at batch 64; for dW a 64-row slice of its
// gradient at batch 256 (X's rows 256 floats apart: the packed path with its chunks, as in training). 8.4
// MFLOP each. Batch 64 rather than 256 keeps it short (and counts the packing of B as four times heavier than
// at 256). Which variant wins can depend on the shape: on the Zen 4 host 2x16p and 4x8p tie at 256×256×256 and
// 4x8p is 5 % ahead at 256×400×300 (a 2×16 panel of B is k·64 bytes and falls out of L1 there) — timing a
// 400→300 layer as well doubled the calibration (~90 ms), so it is not.
interface Product { m: number; n: number; k: number; lda: number } // C[m×n], k steps, A's row stride
const PRODUCTS: Record<GemmForm, Product[]> = {
  forward: [{ m: 64, n: 256, k: 256, lda: 256 }],
  dx: [{ m: 64, n: 256, k: 256, lda: 256 }],
  dw: [{ m: 64, n: 256, k: 256, lda: 256 }],
};
// Buffers for every product: X (A of X·W and Xᵀ·dZ), W (B of X·W and dZ·Wᵀ), D (dZ), C.
const X_FLOATS = 256 * 256, W_FLOATS = 256 * 256, D_FLOATS = 256 * 256, C_FLOATS = 64 * 256;
const SHAPES: Record<GemmForm, string> = {
  forward: PRODUCTS.forward.map((p) => `C[${p.m}×${p.n}] = X[${p.m}×${p.k}]·W[${p.k}×${p.n}]`).join(' and ') + ' (X·W, + bias, relu)',
  dx: PRODUCTS.dx.map((p) => `C[${p.m}×${p.n}] = dZ[${p.m}×${p.k}]·Wᵀ[${p.k}×${p.n}]`).join(' and ') + ' (dZ·Wᵀ)',
  dw: PRODUCTS.dw.map((p) => `C[${p.m}×${p.n}] = X[${p.k}×${p.m}, row stride ${p.lda}]ᵀ·dZ[${p.k}×${p.n}]`).join(' and ') + ' (Xᵀ·dZ)',
};
// Calls of a small product per variant and form first: V8 compiles a function on its first call (Liftoff,
// the baseline tier) and the optimised version in the background once the baseline code has used up a
// budget — let small calls do that, then give the compiler threads PAUSE_MS (on a busy 2-core machine a timed
// call that raced them took 17–23 ms instead of 0.2). Then timed rounds until the rounds have taken
// BUDGET_MS, there are at least MIN_ROUNDS and the fastest variant of every form has stayed the same for the
// last STABLE_ROUNDS; but never past LIMIT_MS in all: bounded, and the result only ever changes the speed.
const WARMUP_CALLS = 2, PAUSE_MS = 5, BUDGET_MS = 20, MIN_ROUNDS = 6, STABLE_ROUNDS = 4, LIMIT_MS = 100;

/** The variant names of a loaded engine (a .wasm from before the variants: its one kernel, '4x8'). */
export function variantNames(wasm: EngineExports): string[] {
  if (typeof wasm.kernelVariants !== 'function') return ['4x8'];
  const n = wasm.kernelVariants();
  return n === KERNEL_VARIANTS.length ? [...KERNEL_VARIANTS] : n === 1 ? ['scalar'] : Array.from({ length: n }, (_, i) => `variant ${i}`);
}

/** Checks loadEngine's `kernels` option; the per-form request ('auto' or a variant). */
export function parseKernelsOption(value: unknown, what = 'loadEngine({ kernels })'): Record<GemmForm, 'auto' | KernelVariant> {
  const valid = `'auto', ${KERNEL_VARIANTS.map((v) => `'${v}'`).join(', ')}, or an object { forward, dx, dw } of those`;
  const one = (v: unknown, where: string): 'auto' | KernelVariant => {
    if (v === undefined || v === 'auto') return 'auto';
    if (typeof v === 'string' && (KERNEL_VARIANTS as readonly string[]).includes(v)) return v as KernelVariant;
    return fail(`${where}: unknown kernel variant ${typeof v === 'string' ? `'${v}'` : String(v)}; valid: ${valid}`);
  };
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    checkOptions(value, what, GEMM_FORMS);
    const o = value as Record<string, unknown>;
    return { forward: one(o.forward, `${what} forward`), dx: one(o.dx, `${what} dx`), dw: one(o.dw, `${what} dw`) };
  }
  const all = one(value, what);
  return { forward: all, dx: all, dw: all };
}

/** Sets the engine's variant per form: the requested ones, the fastest of a calibration for 'auto'. */
export async function chooseKernels(runtime: Runtime, request: Record<GemmForm, 'auto' | KernelVariant>): Promise<KernelInfo> {
  const wasm = runtime.wasm;
  const variants = variantNames(wasm);
  const ids = { forward: 0, dx: 0, dw: 0 } as Record<GemmForm, number>;
  const chosenBy = {} as KernelInfo['chosenBy'];
  const auto: GemmForm[] = [];
  for (const form of GEMM_FORMS) {
    if (variants.length === 1) chosenBy[form] = 'only';
    else if (request[form] === 'auto') { chosenBy[form] = 'calibration'; auto.push(form); }
    else { chosenBy[form] = 'option'; ids[form] = KERNEL_VARIANTS.indexOf(request[form] as KernelVariant); }
  }
  if (typeof wasm.setKernels !== 'function') return currentKernels(wasm);
  const cal = auto.length > 0 ? await calibrate(runtime, auto, variants.length) : { best: {}, ms: 0, rounds: 0 };
  const timings: KernelInfo['timings'] = {};
  for (const form of auto) {
    const t = cal.best[form]!;
    ids[form] = fastest(t);
    timings[form] = Object.fromEntries(t.map((s, v) => [variants[v], Math.round(s * 1e7) / 10]));
  }
  if (wasm.setKernels(ids.forward, ids.dx, ids.dw) !== 1) throw new Error(`setKernels(${ids.forward}, ${ids.dx}, ${ids.dw}) refused`);
  return info(variants, ids, chosenBy, timings, cal.ms, cal.rounds);
}

// A variant takes the lead only when faster than the leader by more than this: measurement noise, and on a
// machine whose other hyperthread is busy the variants come out within a few % of each other (the FP pipes,
// not the loads, are the shared limit there), where the earlier variants are the safer pick.
const TIE = 0.02;

/** The variant (index into `t`, seconds per call) the calibration keeps: the first within TIE of the fastest
 *  seen so far, walking in id order. */
export function fastest(t: number[]): number {
  let lead = 0;
  for (let v = 1; v < t.length; v++) if (t[v] < t[lead] * (1 - TIE)) lead = v;
  return lead;
}

/** What an instance runs now, chosen by nobody here (chosenBy 'default', or 'only' without SIMD). */
export function currentKernels(wasm: EngineExports): KernelInfo {
  const variants = variantNames(wasm);
  const by = variants.length === 1 ? 'only' : 'default';
  const of = (form: number) => (typeof wasm.kernelOf === 'function' ? wasm.kernelOf(form) : 0);
  return info(variants, { forward: of(0), dx: of(1), dw: of(2) },
    { forward: by, dx: by, dw: by }, {}, 0, 0);
}

function info(variants: string[], ids: Record<GemmForm, number>, chosenBy: KernelInfo['chosenBy'], timings: KernelInfo['timings'],
              ms: number, rounds: number): KernelInfo {
  return {
    forward: variants[ids.forward], dx: variants[ids.dx], dw: variants[ids.dw], ids, chosenBy, variants,
    calibrationMs: Math.round(ms * 10) / 10, rounds, timings, shapes: { ...SHAPES },
  };
}

/** A deterministic fill bounded away from zero (no denormals in the products): ±[0.5, 1.5). */
function fill(f32: Float32Array, from: number, count: number): void {
  let s = 0x9e3779b9;
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const u = s / 2 ** 32;
    f32[from + i] = u < 0.5 ? -0.5 - 2 * u : 2 * u - 0.5;
  }
}

/** Times every variant on each form's product(s) (PRODUCTS) in interleaved rounds (see BUDGET_MS); per variant
 *  the sum over the products of its best call, seconds. The buffers are borrowed above the arena (nothing is
 *  allocated meanwhile: the runtime is not handed out yet) and zeroed again. */
async function calibrate(runtime: Runtime, forms: GemmForm[], count: number): Promise<{ best: Partial<Record<GemmForm, number[]>>; ms: number; rounds: number }> {
  const t0 = performance.now();
  const wasm = runtime.wasm;
  const floats = X_FLOATS + W_FLOATS + D_FLOATS + C_FLOATS;
  const X = runtime.borrow(floats), W = X + 4 * X_FLOATS, D = W + 4 * W_FLOATS, C = D + 4 * D_FLOATS;
  fill(runtime.f32, X >>> 2, floats - C_FLOATS);
  const call = (form: GemmForm, { m, n, k, lda }: Product): void => {
    if (form === 'forward') wasm.gemmBiasRelu(m, n, k, X, lda, 1, W, n, C, n, 0, 0);
    else if (form === 'dx') wasm.gemmDerivative(m, n, k, D, lda, 1, W, n, C, n, 0, 0, 0);
    else wasm.gemm(m, n, k, X, 1, lda, D, n, C, n, 0);
  };
  // best[form][product][variant]
  const best = new Map(forms.map((f) => [f, PRODUCTS[f].map(() => new Array<number>(count).fill(Infinity))]));
  const score = (f: GemmForm) => Array.from({ length: count }, (_, v) => best.get(f)!.reduce((s, t) => s + t[v], 0));
  let rounds = 0;
  try {
    for (let v = 0; v < count; v++) {
      wasm.setKernels(v, v, v);
      for (const form of forms) for (const p of PRODUCTS[form]) for (let i = 0; i < WARMUP_CALLS; i++) call(form, { ...p, m: 8, n: 64 });
    }
    await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
    const t1 = performance.now();
    const leaders = () => forms.map((f) => fastest(score(f))).join();
    let leader = '', stable = 0;
    for (;;) {
      for (let v = 0; v < count; v++) {
        wasm.setKernels(v, v, v);
        for (const form of forms) {
          PRODUCTS[form].forEach((p, i) => {
            const t = performance.now();
            call(form, p);
            const dt = (performance.now() - t) / 1e3, b = best.get(form)![i];
            if (dt < b[v]) b[v] = dt;
          });
        }
      }
      rounds++;
      const now = performance.now(), lead = leaders();
      stable = lead === leader ? stable + 1 : 1;
      leader = lead;
      if (now - t0 >= LIMIT_MS || (now - t1 >= BUDGET_MS && rounds >= MIN_ROUNDS && stable >= STABLE_ROUNDS)) break;
    }
  } finally {
    runtime.giveBack(X, floats);
  }
  return { best: Object.fromEntries(forms.map((f) => [f, score(f)])), ms: performance.now() - t0, rounds };
}
