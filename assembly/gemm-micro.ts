// The micro-kernels of the packed GEMM variants (gemm-packed.ts): one register block of C, summed over p.
//
//   C[R×W] = Σ_p a_p ⊗ b_p   in order p = 0…k−1 from zero (mul, then add), then the epilogue of gemm-blocks.ts
//   a_p = A(i…i+R−1, p): R adjacent floats at pa + p·aStep      b_p = B[p, j…j+W−1]: at pb + p·bStep
//
// A's R values of one step sit together — in the [p][4] panel that gemm-packed.ts packs (aStep = 16), or in
// place in the dW form, A = Xᵀ (aStep = the row of X) — so one pointer and immediate offsets reach them: a
// step costs its loads, its 2·R·W/4 FP operations and two pointer increments. (The in-place 4×8 block of
// gemm-blocks.ts adds one address per row and step; on a 6-wide core that, not the FP pipes, sets its pace.)
// Register budget: V8 issues all loads of a step before its arithmetic, so accumulators + loads + one
// product must fit V8's 15 allocatable xmm registers: 4×8 is 8 + 6 + 1, 2×16 is 8 + 6 + 1.
// Every kernel computes each element in the same order as the in-place blocks, so all give the same bits.
import { finish4x8 } from './gemm-blocks';
import { derivative } from './gemm-row';

@inline function mad(acc: v128, a: v128, b: v128): v128 {
  return f32x4.add(acc, f32x4.mul(a, b));
}

// 4×8, A broadcast by v128.load32_splat (a pure load: vbroadcastss xmm, m32), one per row and step.
@inline export function micro4x8(k: i32, pa: usize, aStep: usize, pb: usize, bStep: usize, c: usize, cRow: usize,
                                 accumulate: bool, bias: usize, relu: bool, h: usize, hAct: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const end = pa + <usize>k * aStep;
  for (; pa < end; pa += aStep) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    let av = v128.load32_splat(pa);
    c00 = mad(c00, av, b0); c01 = mad(c01, av, b1);
    av = v128.load32_splat(pa, 4);
    c10 = mad(c10, av, b0); c11 = mad(c11, av, b1);
    av = v128.load32_splat(pa, 8);
    c20 = mad(c20, av, b0); c21 = mad(c21, av, b1);
    av = v128.load32_splat(pa, 12);
    c30 = mad(c30, av, b0); c31 = mad(c31, av, b1);
    pb += bStep;
  }
  finish4x8(c, cRow, c00, c01, c10, c11, c20, c21, c30, c31, accumulate, bias, relu, h, hAct);
}

// 4×8, A loaded as one vector a_p and broadcast lane by lane (i32x4.shuffle → pshufd): one load per step
// instead of four, four shuffle uops instead (on an FP pipe on x64 — where loads are scarcer than FP slots).
@inline export function micro4x8Lanes(k: i32, pa: usize, aStep: usize, pb: usize, bStep: usize, c: usize, cRow: usize,
                                      accumulate: bool, bias: usize, relu: bool, h: usize, hAct: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const end = pa + <usize>k * aStep;
  for (; pa < end; pa += aStep) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16), x = v128.load(pa);
    let av = i32x4.shuffle(x, x, 0, 0, 0, 0);
    c00 = mad(c00, av, b0); c01 = mad(c01, av, b1);
    av = i32x4.shuffle(x, x, 1, 1, 1, 1);
    c10 = mad(c10, av, b0); c11 = mad(c11, av, b1);
    av = i32x4.shuffle(x, x, 2, 2, 2, 2);
    c20 = mad(c20, av, b0); c21 = mad(c21, av, b1);
    av = i32x4.shuffle(x, x, 3, 3, 3, 3);
    c30 = mad(c30, av, b0); c31 = mad(c31, av, b1);
    pb += bStep;
  }
  finish4x8(c, cRow, c00, c01, c10, c11, c20, c21, c30, c31, accumulate, bias, relu, h, hAct);
}

// 2×16: two broadcasts and four vectors of B per step (a whole 64-byte line of a packed B panel).
@inline export function micro2x16(k: i32, pa: usize, aStep: usize, pb: usize, bStep: usize, c: usize, cRow: usize,
                                  accumulate: bool, bias: usize, relu: bool, h: usize, hAct: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c02 = f32x4.splat(0), c03 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0), c12 = f32x4.splat(0), c13 = f32x4.splat(0);
  const end = pa + <usize>k * aStep;
  for (; pa < end; pa += aStep) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16), b2 = v128.load(pb, 32), b3 = v128.load(pb, 48);
    let av = v128.load32_splat(pa);
    c00 = mad(c00, av, b0); c01 = mad(c01, av, b1); c02 = mad(c02, av, b2); c03 = mad(c03, av, b3);
    av = v128.load32_splat(pa, 4);
    c10 = mad(c10, av, b0); c11 = mad(c11, av, b1); c12 = mad(c12, av, b2); c13 = mad(c13, av, b3);
    pb += bStep;
  }
  finishRow16(c, c00, c01, c02, c03, accumulate, bias, relu, h, hAct);
  finishRow16(c + cRow, c10, c11, c12, c13, accumulate, bias, relu, h != 0 ? h + cRow : 0, hAct);
}

// One row of 16 sums: + C, + bias, relu, ⊙ f′(h), then the store (finish4x8's order).
@inline function finishRow16(c: usize, s0: v128, s1: v128, s2: v128, s3: v128,
                             accumulate: bool, bias: usize, relu: bool, h: usize, hAct: i32): void {
  if (accumulate) {
    s0 = f32x4.add(s0, v128.load(c)); s1 = f32x4.add(s1, v128.load(c, 16));
    s2 = f32x4.add(s2, v128.load(c, 32)); s3 = f32x4.add(s3, v128.load(c, 48));
  }
  if (bias != 0) {
    s0 = f32x4.add(s0, v128.load(bias)); s1 = f32x4.add(s1, v128.load(bias, 16));
    s2 = f32x4.add(s2, v128.load(bias, 32)); s3 = f32x4.add(s3, v128.load(bias, 48));
  }
  if (relu) {
    const z = f32x4.splat(0);
    s0 = f32x4.pmax(s0, z); s1 = f32x4.pmax(s1, z); s2 = f32x4.pmax(s2, z); s3 = f32x4.pmax(s3, z);
  }
  if (h != 0) {
    s0 = derivative(s0, v128.load(h), hAct); s1 = derivative(s1, v128.load(h, 16), hAct);
    s2 = derivative(s2, v128.load(h, 32), hAct); s3 = derivative(s3, v128.load(h, 48), hAct);
  }
  v128.store(c, s0); v128.store(c, s1, 16); v128.store(c, s2, 32); v128.store(c, s3, 48);
}
