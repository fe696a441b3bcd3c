// The register-blocked GEMM kernels of gemm.ts: C[4×8] / C[4×4] blocks and the dot products of the last
// n % 4 columns. Each computes, for its block, Σ_p A(i, p)·B[p, j] in order p = 0…k−1 from zero, then the
// epilogue: + C (accumulate), + bias[j] (bias ≠ 0), relu, ⊙ f′(h) (h ≠ 0, h with C's strides).
// Pointers are byte addresses: a = A(i0, 0), rows of A aRow bytes apart, steps of p aCol bytes apart; b and c
// at the block's first column, rows bRow / cRow bytes apart. Without SIMD (ASC_FEATURE_SIMD false) each
// block is 2×4 scalar blocks of gemm-row.ts, and the dot product keeps the f32x4 version's lanes
// as eight scalar sums: the same operations in the same order, so both builds give the same bits.
import { epilogue, derivative, derivativeScalar, block2x4Scalar } from './gemm-row';

@inline function mad(acc: v128, a: v128, b: v128): v128 {
  return f32x4.add(acc, f32x4.mul(a, b));
}

@inline export function block4x8(k: i32, a: usize, aRow: usize, aCol: usize, b: usize, bRow: usize,
                          c: usize, cRow: usize, accumulate: bool, bias: usize, relu: bool, h: usize, hAct: i32): void {
  if (ASC_FEATURE_SIMD) block4x8Simd(k, a, aRow, aCol, b, bRow, c, cRow, accumulate, bias, relu, h, hAct);
  else {
    blockScalar(k, a, aRow, aCol, b, bRow, c, cRow, accumulate, bias, relu, h, hAct);
    blockScalar(k, a, aRow, aCol, b + 16, bRow, c + 16, cRow, accumulate, bias != 0 ? bias + 16 : 0, relu, h != 0 ? h + 16 : 0, hAct);
  }
}

@inline export function block4x4(k: i32, a: usize, aRow: usize, aCol: usize, b: usize, bRow: usize,
                          c: usize, cRow: usize, accumulate: bool, bias: usize, relu: bool, h: usize, hAct: i32): void {
  if (ASC_FEATURE_SIMD) block4x4Simd(k, a, aRow, aCol, b, bRow, c, cRow, accumulate, bias, relu, h, hAct);
  else blockScalar(k, a, aRow, aCol, b, bRow, c, cRow, accumulate, bias, relu, h, hAct);
}

// A 4×4 block as two 2×4 blocks (h has C's strides).
@inline function blockScalar(k: i32, a: usize, aRow: usize, aCol: usize, b: usize, bRow: usize,
                             c: usize, cRow: usize, accumulate: bool, bias: usize, relu: bool, h: usize, hAct: i32): void {
  block2x4Scalar(k, a, aRow, aCol, b, bRow, c, cRow, accumulate, bias, relu, h, hAct);
  block2x4Scalar(k, a + 2 * aRow, aRow, aCol, b, bRow, c + 2 * cRow, cRow, accumulate, bias, relu, h != 0 ? h + 2 * cRow : 0, hAct);
}

@inline function block4x8Simd(k: i32, a: usize, aRow: usize, aCol: usize, b: usize, bRow: usize,
                              c: usize, cRow: usize, accumulate: bool, bias: usize, relu: bool, h: usize, hAct: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const a1 = a + aRow, a2 = a + 2 * aRow, a3 = a + 3 * aRow;
  let pa: usize = 0, pb = b;
  for (let p = 0; p < k; p++) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    let av = v128.load32_splat(a + pa);
    c00 = mad(c00, av, b0); c01 = mad(c01, av, b1);
    av = v128.load32_splat(a1 + pa);
    c10 = mad(c10, av, b0); c11 = mad(c11, av, b1);
    av = v128.load32_splat(a2 + pa);
    c20 = mad(c20, av, b0); c21 = mad(c21, av, b1);
    av = v128.load32_splat(a3 + pa);
    c30 = mad(c30, av, b0); c31 = mad(c31, av, b1);
    pa += aCol; pb += bRow;
  }
  finish4x8(c, cRow, c00, c01, c10, c11, c20, c21, c30, c31, accumulate, bias, relu, h, hAct);
}

// The epilogue of a 4×8 block of sums (row r in cr0, cr1) and its single store: + C (accumulate), + bias,
// relu, ⊙ f′(h) (h with C's strides), in that order — shared by every 4×8 micro-kernel (gemm-micro.ts).
@inline export function finish4x8(c: usize, cRow: usize, c00: v128, c01: v128, c10: v128, c11: v128, c20: v128, c21: v128,
                                  c30: v128, c31: v128, accumulate: bool, bias: usize, relu: bool, h: usize, hAct: i32): void {
  const r1 = c + cRow, r2 = c + 2 * cRow, r3 = c + 3 * cRow;
  if (accumulate) {
    c00 = f32x4.add(c00, v128.load(c)); c01 = f32x4.add(c01, v128.load(c, 16));
    c10 = f32x4.add(c10, v128.load(r1)); c11 = f32x4.add(c11, v128.load(r1, 16));
    c20 = f32x4.add(c20, v128.load(r2)); c21 = f32x4.add(c21, v128.load(r2, 16));
    c30 = f32x4.add(c30, v128.load(r3)); c31 = f32x4.add(c31, v128.load(r3, 16));
  }
  if (bias != 0) {
    const b0 = v128.load(bias), b1 = v128.load(bias, 16);
    c00 = f32x4.add(c00, b0); c01 = f32x4.add(c01, b1); c10 = f32x4.add(c10, b0); c11 = f32x4.add(c11, b1);
    c20 = f32x4.add(c20, b0); c21 = f32x4.add(c21, b1); c30 = f32x4.add(c30, b0); c31 = f32x4.add(c31, b1);
  }
  if (relu) {
    const z = f32x4.splat(0);
    c00 = f32x4.pmax(c00, z); c01 = f32x4.pmax(c01, z); c10 = f32x4.pmax(c10, z); c11 = f32x4.pmax(c11, z);
    c20 = f32x4.pmax(c20, z); c21 = f32x4.pmax(c21, z); c30 = f32x4.pmax(c30, z); c31 = f32x4.pmax(c31, z);
  }
  if (h != 0) { // h has C's strides
    const h1 = h + cRow, h2 = h + 2 * cRow, h3 = h + 3 * cRow;
    c00 = derivative(c00, v128.load(h), hAct); c01 = derivative(c01, v128.load(h, 16), hAct);
    c10 = derivative(c10, v128.load(h1), hAct); c11 = derivative(c11, v128.load(h1, 16), hAct);
    c20 = derivative(c20, v128.load(h2), hAct); c21 = derivative(c21, v128.load(h2, 16), hAct);
    c30 = derivative(c30, v128.load(h3), hAct); c31 = derivative(c31, v128.load(h3, 16), hAct);
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  v128.store(r1, c10); v128.store(r1, c11, 16);
  v128.store(r2, c20); v128.store(r2, c21, 16);
  v128.store(r3, c30); v128.store(r3, c31, 16);
}

@inline function block4x4Simd(k: i32, a: usize, aRow: usize, aCol: usize, b: usize, bRow: usize,
                              c: usize, cRow: usize, accumulate: bool, bias: usize, relu: bool, h: usize, hAct: i32): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  const a1 = a + aRow, a2 = a + 2 * aRow, a3 = a + 3 * aRow;
  let pa: usize = 0, pb = b;
  for (let p = 0; p < k; p++) {
    const b0 = v128.load(pb);
    c0 = mad(c0, v128.load32_splat(a + pa), b0);
    c1 = mad(c1, v128.load32_splat(a1 + pa), b0);
    c2 = mad(c2, v128.load32_splat(a2 + pa), b0);
    c3 = mad(c3, v128.load32_splat(a3 + pa), b0);
    pa += aCol; pb += bRow;
  }
  const r1 = c + cRow, r2 = c + 2 * cRow, r3 = c + 3 * cRow;
  if (accumulate) {
    c0 = f32x4.add(c0, v128.load(c)); c1 = f32x4.add(c1, v128.load(r1));
    c2 = f32x4.add(c2, v128.load(r2)); c3 = f32x4.add(c3, v128.load(r3));
  }
  const h1 = h != 0 ? h + cRow : 0, h2 = h != 0 ? h + 2 * cRow : 0, h3 = h != 0 ? h + 3 * cRow : 0;
  v128.store(c, epilogue(c0, bias, relu, 0, h, hAct)); v128.store(r1, epilogue(c1, bias, relu, 0, h1, hAct));
  v128.store(r2, epilogue(c2, bias, relu, 0, h2, hAct)); v128.store(r3, epilogue(c3, bias, relu, 0, h3, hAct));
}

// One element of C: a dot product along p. Used for the last n % 4 columns.
// When both operands are contiguous along p (acs = 1, ldb = 1: a layer with one output, like Q(s, a))
// the dot product itself is vectorised, with two accumulators to hide the add latency.
@inline function dot(k: i32, a: usize, aCol: usize, b: usize, bRow: usize): f32 {
  let s: f32 = 0;
  let p = 0;
  if (aCol == 4 && bRow == 4) {
    if (ASC_FEATURE_SIMD) {
      let acc0 = f32x4.splat(0), acc1 = f32x4.splat(0);
      for (; p + 8 <= k; p += 8) {
        const off = <usize>p << 2;
        acc0 = mad(acc0, v128.load(a + off), v128.load(b + off));
        acc1 = mad(acc1, v128.load(a + off, 16), v128.load(b + off, 16));
      }
      for (; p + 4 <= k; p += 4) {
        const off = <usize>p << 2;
        acc0 = mad(acc0, v128.load(a + off), v128.load(b + off));
      }
      const acc = f32x4.add(acc0, acc1);
      s = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) +
          f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
    } else {
      // The lanes of acc0 (x) and acc1 (y) as scalars: lane l sums the products p ≡ l (mod 4) of its half.
      let x0: f32 = 0, x1: f32 = 0, x2: f32 = 0, x3: f32 = 0, y0: f32 = 0, y1: f32 = 0, y2: f32 = 0, y3: f32 = 0;
      for (; p + 8 <= k; p += 8) {
        const pa = a + (<usize>p << 2), pb = b + (<usize>p << 2);
        x0 += load<f32>(pa) * load<f32>(pb); x1 += load<f32>(pa, 4) * load<f32>(pb, 4);
        x2 += load<f32>(pa, 8) * load<f32>(pb, 8); x3 += load<f32>(pa, 12) * load<f32>(pb, 12);
        y0 += load<f32>(pa, 16) * load<f32>(pb, 16); y1 += load<f32>(pa, 20) * load<f32>(pb, 20);
        y2 += load<f32>(pa, 24) * load<f32>(pb, 24); y3 += load<f32>(pa, 28) * load<f32>(pb, 28);
      }
      for (; p + 4 <= k; p += 4) {
        const pa = a + (<usize>p << 2), pb = b + (<usize>p << 2);
        x0 += load<f32>(pa) * load<f32>(pb); x1 += load<f32>(pa, 4) * load<f32>(pb, 4);
        x2 += load<f32>(pa, 8) * load<f32>(pb, 8); x3 += load<f32>(pa, 12) * load<f32>(pb, 12);
      }
      s = (x0 + y0) + (x1 + y1) + (x2 + y2) + (x3 + y3);
    }
  }
  for (; p < k; p++) s += load<f32>(a + <usize>p * aCol) * load<f32>(b + <usize>p * bRow);
  return s;
}

// The last n % 4 columns of `rows` rows by dot products, with the same epilogue as the blocks.
// relu is `s < 0 ? 0 : s`, f32x4.pmax's rule: NaN stays NaN, so a diverged value reaches the output.
@inline export function tailColumns(rows: i32, n: i32, j: i32, k: i32, a: usize, aRow: usize, aCol: usize, b: usize, bRow: usize,
                             c: usize, cRow: usize, accumulate: bool, bias: usize, relu: bool, h: usize, hAct: i32): void {
  for (; j < n; j++) {
    const bj = b + (<usize>j << 2);
    const bj0: f32 = bias != 0 ? load<f32>(bias + (<usize>j << 2)) : 0;
    for (let r = 0; r < rows; r++) {
      const at = <usize>r * cRow + (<usize>j << 2), cp = c + at;
      let s = dot(k, a + <usize>r * aRow, aCol, bj, bRow);
      if (accumulate) s += load<f32>(cp);
      s += bj0;
      if (relu) s = s < 0 ? 0 : s;
      if (h != 0) s = derivativeScalar(s, load<f32>(h + at), hAct);
      store<f32>(cp, s);
    }
  }
}
