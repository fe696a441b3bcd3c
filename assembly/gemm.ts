// GEMM: the one matrix product every training step is made of.
//
//   C[m×n]  (= or +=)  A(m×k) · B[k×n]
//
// B and C are row-major with row strides ldb / ldc (in elements). A is read through two strides,
// A(i, p) = a[i·ars + p·acs], so the same kernel serves the three forms of a dense layer:
//   forward   Y  = X · W        A = X   (ars = ldx, acs = 1),  B = W   [in × out]
//   dW        dW = Xᵀ · dZ      A = Xᵀ  (ars = 1,   acs = ldx), B = dZ  [batch × out]
//   dX        dX = dZ · Wᵀ      A = dZ  (ars = ldz, acs = 1),   B = Wᵀ  (packed once by transpose())
// Register blocking: 4 rows × 8 columns of C live in eight f32x4 accumulators; each step over p loads
// two vectors of B and four scalars of A with v128.load32_splat (a broadcast load, no shuffle uop), then
// 8 mul + 8 add: the FP pipes, not the loads, set the pace. Rows left over (m % 4, and batch 1) go through
// rowTimesMatrix (gemm-row.ts), columns left over through 4×4 blocks and dot products, so any m, n, k ≥ 0 works.
// A product with one output column and A read along its rows (C[m×1] = Xᵀ·dz, the gradient of a layer with
// one output) is computed as its transpose Cᵀ[1×m] = dzᵀ·X by rowTimesMatrix. No allocation, no bounds checks.
//
// gemmBiasRelu fuses a dense layer's forward epilogue into the blocks: C = max?(A·B + bias[n], 0) is applied
// to the accumulators before the single store, so the output is written once instead of twice.
import { rowTimesMatrix, epilogue, derivative, derivativeScalar } from './gemm-row';
import { tile4x4 } from './transpose';

@inline function mad(acc: v128, a: v128, b: v128): v128 {
  return f32x4.add(acc, f32x4.mul(a, b));
}

@inline function block4x8(k: i32, a: usize, aRow: usize, aCol: usize, b: usize, bRow: usize,
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

@inline function block4x4(k: i32, a: usize, aRow: usize, aCol: usize, b: usize, bRow: usize,
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
  }
  for (; p < k; p++) s += load<f32>(a + <usize>p * aCol) * load<f32>(b + <usize>p * bRow);
  return s;
}

// The last n % 4 columns of `rows` rows by dot products, with the same epilogue as the blocks.
// relu is `s < 0 ? 0 : s`, f32x4.pmax's rule: NaN stays NaN, so a diverged value reaches the output.
@inline function tailColumns(rows: i32, n: i32, j: i32, k: i32, a: usize, aRow: usize, aCol: usize, b: usize, bRow: usize,
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

export function gemm(m: i32, n: i32, k: i32, a: usize, ars: i32, acs: i32,
                     b: usize, ldb: i32, c: usize, ldc: i32, accumulate: bool): void {
  if (n == 1 && ars == 1 && ldc == 1 && m > 1) {
    // C[m×1] = A·b with A(i, p) = a[i + p·acs]: as a row, Cᵀ[1×m] = bᵀ[1×k] · Aᵀ where Aᵀ is row-major
    // [k × m] with row stride acs — rowTimesMatrix, vectorised along m instead of a strided dot per row.
    gemmCore(1, m, k, b, 0, ldb, a, acs, c, m, accumulate, 0, false, 0, 0);
    return;
  }
  if (ars == 1 && (acs & 127) == 0 && m >= 4 && n >= 8) { // row stride a multiple of 512 B: see gemmPackedA
    gemmPackedA(m, n, k, a, acs, b, ldb, c, ldc, accumulate);
    return;
  }
  gemmCore(m, n, k, a, ars, acs, b, ldb, c, ldc, accumulate, 0, false, 0, 0);
}

// The dW form, A = Xᵀ (ars = 1): the four A values of step p sit together at X[p, i…i+3], but consecutive
// p are a whole row of X apart — with a power-of-two row (256 floats = 1 KiB) a 4-row panel of A maps onto
// 4 of L1's 64 sets and is evicted before the next column block reuses it. So each 4-row panel is first
// packed into PACK as four contiguous rows PACK[r][p] = X[p, i + r] (4×4 register transposes), for at most
// KC steps of p at a time; chunks after the first accumulate. Rows left over (m % 4) take the unpacked path.
// (Packed as [p][4] instead — one v128 copy per p — it ran 4 % slower: NOTES.md.) Only strides that are a
// multiple of 512 B (≤ 8 sets, ≤ 96 lines) are packed: for other strides, e.g. 64 or 400 floats, the panel
// stays in L1 and packing only costs (62 → 59 GFLOP/s at 256×64×64).
const KC = 512;
const PACK = memory.data(KC * 16, 16);

// PACK[r·KC + p] = src[p·aCol + r], r < 4, p < kc.
@inline function packPanel(src: usize, aCol: usize, kc: i32): void {
  let p = 0;
  for (; p + 4 <= kc; p += 4) {
    tile4x4(src, aCol, PACK + (<usize>p << 2), KC * 4);
    src += aCol << 2;
  }
  for (; p < kc; p++) {
    const v = v128.load(src);
    const o = PACK + (<usize>p << 2);
    v128.store32_lane(o, v, 0); v128.store32_lane(o, v, 1, KC * 4);
    v128.store32_lane(o, v, 2, KC * 8); v128.store32_lane(o, v, 3, KC * 12);
    src += aCol;
  }
}

function gemmPackedA(m: i32, n: i32, k: i32, a: usize, acs: i32, b: usize, ldb: i32,
                     c: usize, ldc: i32, accumulate: bool): void {
  const aCol = <usize>acs << 2, bRow = <usize>ldb << 2, cRow = <usize>ldc << 2;
  const m4 = m & ~3;
  for (let i = 0; i < m4; i += 4) {
    const ci = c + <usize>i * cRow;
    for (let p0 = 0; p0 < k; p0 += KC) {
      const kc = min(KC, k - p0);
      packPanel(a + (<usize>i << 2) + <usize>p0 * aCol, aCol, kc);
      const bp = b + <usize>p0 * bRow;
      const acc = accumulate || p0 > 0;
      let j = 0;
      for (; j + 8 <= n; j += 8) {
        const off = <usize>j << 2;
        block4x8(kc, PACK, KC * 4, 4, bp + off, bRow, ci + off, cRow, acc, 0, false, 0, 0);
      }
      for (; j + 4 <= n; j += 4) {
        const off = <usize>j << 2;
        block4x4(kc, PACK, KC * 4, 4, bp + off, bRow, ci + off, cRow, acc, 0, false, 0, 0);
      }
      tailColumns(4, n, j, kc, PACK, KC * 4, 4, bp, bRow, ci, cRow, acc, 0, false, 0, 0);
    }
  }
  if (m4 < m) gemmCore(m - m4, n, k, a + (<usize>m4 << 2), 1, acs, b, ldb, c + <usize>m4 * cRow, ldc, accumulate, 0, false, 0, 0);
}

// C[m×n] = A·B + bias (broadcast over rows), then max(·, 0) when relu: a dense layer's forward in one pass.
export function gemmBiasRelu(m: i32, n: i32, k: i32, a: usize, ars: i32, acs: i32,
                             b: usize, ldb: i32, c: usize, ldc: i32, bias: usize, relu: bool): void {
  gemmCore(m, n, k, a, ars, acs, b, ldb, c, ldc, false, bias, relu, 0, 0);
}

// C[m×n] = A·B, then C[:, 0:hCols] ⊙= f′(h) — a layer's input gradient dX = dZ·Wᵀ that is at once the output
// gradient of the layer below, whose activation derivative (hAct: 1 relu, 2 tanh) is taken through its output
// h (the layer's input X, same strides as C). Columns from hCols on (a second input joining there) are plain.
export function gemmDerivative(m: i32, n: i32, k: i32, a: usize, ars: i32, acs: i32, b: usize, ldb: i32,
                               c: usize, ldc: i32, h: usize, hCols: i32, hAct: i32): void {
  gemmCore(m, hCols, k, a, ars, acs, b, ldb, c, ldc, false, 0, false, h, hAct);
  if (hCols < n) gemmCore(m, n - hCols, k, a, ars, acs, b + (<usize>hCols << 2), ldb, c + (<usize>hCols << 2), ldc, false, 0, false, 0, 0);
}

// Epilogue, in order: + C (accumulate), + bias (≠ 0), max(·, 0) (relu), ⊙ f′(h) (h ≠ 0, h with C's strides).
// bias = 0 and h = 0 mean none (the arena never hands out address 0).
@inline function gemmCore(m: i32, n: i32, k: i32, a: usize, ars: i32, acs: i32, b: usize, ldb: i32, c: usize, ldc: i32,
                  accumulate: bool, bias: usize, relu: bool, h: usize, hAct: i32): void {
  const aRow = <usize>ars << 2, aCol = <usize>acs << 2, bRow = <usize>ldb << 2, cRow = <usize>ldc << 2;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const ai = a + <usize>i * aRow, ci = c + <usize>i * cRow, hi = h != 0 ? h + <usize>i * cRow : 0;
    let j = 0;
    for (; j + 8 <= n; j += 8) {
      const off = <usize>j << 2;
      block4x8(k, ai, aRow, aCol, b + off, bRow, ci + off, cRow, accumulate, bias != 0 ? bias + off : 0, relu, hi != 0 ? hi + off : 0, hAct);
    }
    for (; j + 4 <= n; j += 4) {
      const off = <usize>j << 2;
      block4x4(k, ai, aRow, aCol, b + off, bRow, ci + off, cRow, accumulate, bias != 0 ? bias + off : 0, relu, hi != 0 ? hi + off : 0, hAct);
    }
    tailColumns(4, n, j, k, ai, aRow, aCol, b, bRow, ci, cRow, accumulate, bias, relu, hi, hAct);
  }
  for (; i < m; i++) {
    const ai = a + <usize>i * aRow, ci = c + <usize>i * cRow, hi = h != 0 ? h + <usize>i * cRow : 0;
    const j = n & ~3;
    rowTimesMatrix(k, ai, aCol, b, bRow, ci, j, accumulate, bias, relu, hi, hAct);
    tailColumns(1, n, j, k, ai, aRow, aCol, b, bRow, ci, cRow, accumulate, bias, relu, hi, hAct);
  }
}

// db[n] (= or +=) Σ_i dZ[i, :] — the bias gradient is the column sum of the upstream gradient.
// Strips of 32 columns keep eight independent f32x4 sums in flight (one sum chain would be add-latency bound).
export function colsum(src: usize, ld: i32, m: i32, n: i32, dst: usize, accumulate: bool): void {
  const row = <usize>ld << 2;
  let j = 0;
  for (; j + 32 <= n; j += 32) {
    const d = dst + (<usize>j << 2);
    let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
    let s4 = f32x4.splat(0), s5 = f32x4.splat(0), s6 = f32x4.splat(0), s7 = f32x4.splat(0);
    let p = src + (<usize>j << 2);
    for (let i = 0; i < m; i++) {
      s0 = f32x4.add(s0, v128.load(p)); s1 = f32x4.add(s1, v128.load(p, 16));
      s2 = f32x4.add(s2, v128.load(p, 32)); s3 = f32x4.add(s3, v128.load(p, 48));
      s4 = f32x4.add(s4, v128.load(p, 64)); s5 = f32x4.add(s5, v128.load(p, 80));
      s6 = f32x4.add(s6, v128.load(p, 96)); s7 = f32x4.add(s7, v128.load(p, 112));
      p += row;
    }
    if (accumulate) {
      s0 = f32x4.add(s0, v128.load(d)); s1 = f32x4.add(s1, v128.load(d, 16));
      s2 = f32x4.add(s2, v128.load(d, 32)); s3 = f32x4.add(s3, v128.load(d, 48));
      s4 = f32x4.add(s4, v128.load(d, 64)); s5 = f32x4.add(s5, v128.load(d, 80));
      s6 = f32x4.add(s6, v128.load(d, 96)); s7 = f32x4.add(s7, v128.load(d, 112));
    }
    v128.store(d, s0); v128.store(d, s1, 16); v128.store(d, s2, 32); v128.store(d, s3, 48);
    v128.store(d, s4, 64); v128.store(d, s5, 80); v128.store(d, s6, 96); v128.store(d, s7, 112);
  }
  for (; j + 4 <= n; j += 4) {
    const off = <usize>j << 2;
    let s = accumulate ? v128.load(dst + off) : f32x4.splat(0);
    let p = src + off;
    for (let i = 0; i < m; i++) { s = f32x4.add(s, v128.load(p)); p += row; }
    v128.store(dst + off, s);
  }
  for (; j < n; j++) {
    const off = <usize>j << 2;
    let s: f32 = accumulate ? load<f32>(dst + off) : 0;
    let p = src + off;
    for (let i = 0; i < m; i++) { s += load<f32>(p); p += row; }
    store<f32>(dst + off, s);
  }
}
