// The packed GEMM variants: C[m×n] (= or +=) A·B with A and B copied into panels first (GotoBLAS's
// layout), so that the micro-kernels (gemm-micro.ts) read both with one pointer each and fixed steps.
//
//   A panel  APANEL[p·4 + r] = A(i + r, p)            r < 4, p < k ≤ KA      (8 KiB, stays in L1)
//   B panels BPANEL[q·k·W + p·W + t] = B[p, j0 + q·W + t]   t < W, W = 8 (4×8 tiles) or 16 (2×16)
//
// Packing B also lifts the power-of-two row strides (a 256-wide W: 1 KiB rows, the 8 columns of a block in
// 4 of L1's 64 sets) off the inner loop. Columns are taken in groups whose panels fit BPANEL; per group and
// 4-row panel of A, every panel of the group. The dW form (A = Xᵀ) keeps the chunks of gemm.ts's packed path
// over p (KC at a time, each chunk's sum added to C) where that path applies, and reads A in place
// otherwise (its four values of one step are adjacent there already).
//
// Each element of C is Σ_p A(i, p)·B[p, j] in order from zero (per chunk where there are chunks), then the
// epilogue: what the in-place path computes, so every variant gives the same bits. The columns past the
// last whole panel and the rows past the last whole 4-row panel are left to the in-place path: the drivers
// return how many columns they did (0: none, e.g. when k does not fit the panels).
import { tile4x4 } from './transpose';
import { micro4x8, micro4x8Lanes, micro2x16 } from './gemm-micro';

export const TILE_4X8 = 0, TILE_4X8_LANES = 1, TILE_2X16 = 2;

const KA = 512; // A panel capacity along p (= gemm.ts's KC)
const APANEL_STATIC: usize = ASC_FEATURE_SIMD ? memory.data(KA * 16, 16) : 0;
const BPANEL_FLOATS = 32768; // 128 KiB
const BPANEL_STATIC: usize = ASC_FEATURE_SIMD ? memory.data(BPANEL_FLOATS * 4, 16) : 0;
/** This thread's panels: the static ones on the calling thread, a worker's own in the threaded build. */
let aPanel: usize = APANEL_STATIC, bPanel: usize = BPANEL_STATIC;
export function usePanelBuffers(a: usize, b: usize): void { aPanel = a; bPanel = b; }
@inline function apanel(): usize { return ASC_FEATURE_THREADS ? aPanel : APANEL_STATIC; }
@inline function bpanel(): usize { return ASC_FEATURE_THREADS ? bPanel : BPANEL_STATIC; }

@inline function width(tile: i32): i32 {
  return tile == TILE_2X16 ? 16 : 8;
}

// A panel ← four rows of A read along p (A(i + r, p) = a[r·aRow + p·4]): 4×4 register transposes.
@inline function packRows(a: usize, aRow: usize, k: i32): void {
  let p = 0;
  for (; p + 4 <= k; p += 4) tile4x4(a + (<usize>p << 2), aRow, apanel() + (<usize>p << 4), 16);
  for (; p < k; p++) {
    const o = apanel() + (<usize>p << 4), s = a + (<usize>p << 2);
    store<f32>(o, load<f32>(s)); store<f32>(o, load<f32>(s + aRow), 4);
    store<f32>(o, load<f32>(s + 2 * aRow), 8); store<f32>(o, load<f32>(s + 3 * aRow), 12);
  }
}

// A panel ← A(i…i+3, p) = a[p·aCol + 0…3]: one vector per step.
@inline function packCols(a: usize, aCol: usize, k: i32): void {
  for (let o = apanel(), end = apanel() + (<usize>k << 4); o < end; o += 16) {
    v128.store(o, v128.load(a));
    a += aCol;
  }
}

// B panels ← `panels` panels of W columns of B[0:k, :], row by row (whole lines read in order).
@inline function packB(b: usize, bRow: usize, k: i32, panels: i32, w: i32): void {
  const wBytes = <usize>w << 2, panelBytes = <usize>k * wBytes;
  for (let p = 0; p < k; p++) {
    let src = b + <usize>p * bRow, dst = bpanel() + <usize>p * wBytes;
    for (let q = 0; q < panels; q++) {
      v128.store(dst, v128.load(src)); v128.store(dst, v128.load(src, 16), 16);
      if (w == 16) { v128.store(dst, v128.load(src, 32), 32); v128.store(dst, v128.load(src, 48), 48); }
      src += wBytes; dst += panelBytes;
    }
  }
}

// The register block at C(i, j) from an A panel at pa (steps aStep apart) and a B panel at pb.
@inline function kernel(tile: i32, k: i32, pa: usize, aStep: usize, pb: usize, c: usize, cRow: usize,
                        accumulate: bool, bias: usize, relu: bool, h: usize, hAct: i32): void {
  if (tile == TILE_4X8) micro4x8(k, pa, aStep, pb, 32, c, cRow, accumulate, bias, relu, h, hAct);
  else if (tile == TILE_4X8_LANES) micro4x8Lanes(k, pa, aStep, pb, 32, c, cRow, accumulate, bias, relu, h, hAct);
  else {
    micro2x16(k, pa, aStep, pb, 64, c, cRow, accumulate, bias, relu, h, hAct);
    micro2x16(k, pa + 8, aStep, pb, 64, c + 2 * cRow, cRow, accumulate, bias, relu, h != 0 ? h + 2 * cRow : 0, hAct);
  }
}

// Rows 0…m4−1 and the returned number of columns of C = A·B: the whole panels. rowsA: A(i, p) = a[i·aRow + p·4]
// (the forward and dX forms, A packed per 4-row panel); else A(i, p) = a[i·4 + p·aCol] (dW form, read in place).
@inline function panels(tile: i32, m: i32, n: i32, k: i32, a: usize, aRow: usize, aCol: usize, rowsA: bool,
                        b: usize, bRow: usize, c: usize, cRow: usize, accumulate: bool, bias: usize, relu: bool,
                        h: usize, hAct: i32): i32 {
  const w = width(tile), m4 = m & ~3, nW = n / w * w;
  if (m4 == 0 || nW == 0 || k <= 0 || (rowsA && k > KA)) return 0;
  const perGroup = BPANEL_FLOATS / (k * w); // panels per group
  if (perGroup == 0) return 0;
  const wBytes = <usize>w << 2, panelBytes = <usize>k * wBytes;
  for (let j0 = 0; j0 < nW; j0 += perGroup * w) {
    const count = min(perGroup, (nW - j0) / w), first = <usize>j0 << 2;
    packB(b + first, bRow, k, count, w);
    for (let i = 0; i < m4; i += 4) {
      let pa: usize, aStep: usize;
      if (rowsA) { packRows(a + <usize>i * aRow, aRow, k); pa = apanel(); aStep = 16; }
      else if (k <= KA) { packCols(a + (<usize>i << 2), aCol, k); pa = apanel(); aStep = 16; }
      else { pa = a + (<usize>i << 2); aStep = aCol; }
      const ci = c + <usize>i * cRow + first, hi = h != 0 ? h + <usize>i * cRow + first : 0, bj = bias != 0 ? bias + first : 0;
      for (let q = 0; q < count; q++) {
        const off = <usize>q * wBytes;
        kernel(tile, k, pa, aStep, bpanel() + <usize>q * panelBytes, ci + off, cRow, accumulate,
               bj != 0 ? bj + off : 0, relu, hi != 0 ? hi + off : 0, hAct);
      }
    }
  }
  return nW;
}

// The dW form on gemm.ts's packed path: the same chunks of KC steps of p (the first sets C or adds to it,
// the later ones add to C), each chunk's A panel copied into apanel(). Rows 0…m4−1, the returned columns.
@inline function panelsChunked(tile: i32, m: i32, n: i32, k: i32, a: usize, aCol: usize, b: usize, bRow: usize,
                               c: usize, cRow: usize, accumulate: bool, kc0: i32): i32 {
  const w = width(tile), m4 = m & ~3, nW = n / w * w;
  if (m4 == 0 || nW == 0 || k <= 0) return 0;
  const wBytes = <usize>w << 2;
  for (let p0 = 0; p0 < k; p0 += kc0) {
    const kc = min(kc0, k - p0), acc = accumulate || p0 > 0, panelBytes = <usize>kc * wBytes;
    const perGroup = BPANEL_FLOATS / (kc * w);
    const bp = b + <usize>p0 * bRow, ap = a + <usize>p0 * aCol;
    for (let j0 = 0; j0 < nW; j0 += perGroup * w) {
      const count = min(perGroup, (nW - j0) / w), first = <usize>j0 << 2;
      packB(bp + first, bRow, kc, count, w);
      for (let i = 0; i < m4; i += 4) {
        packCols(ap + (<usize>i << 2), aCol, kc);
        const ci = c + <usize>i * cRow + first;
        for (let q = 0; q < count; q++) {
          kernel(tile, kc, apanel(), 16, bpanel() + <usize>q * panelBytes, ci + <usize>q * wBytes, cRow, acc, 0, false, 0, 0);
        }
      }
    }
  }
  return nW;
}

// The drivers the variant table of gemm.ts calls (one wasm function each, through call_indirect: V8
// allocates registers for each kernel's loop on its own, and binaryen does not specialise them).
// nn: A(i, p) = a[i·aRow + p·4] (X·W and dZ·Wᵀ).  tn: A(i, p) = a[i·4 + p·aCol] (Xᵀ·dZ), in chunks of kc when
// kc > 0. The build without SIMD compiles none of it (the table is never reached there).
@inline function nn(tile: i32, m: i32, n: i32, k: i32, a: usize, aRow: usize, b: usize, bRow: usize, c: usize, cRow: usize,
                    accumulate: bool, bias: usize, relu: bool, h: usize, hAct: i32): i32 {
  if (ASC_FEATURE_SIMD) return panels(tile, m, n, k, a, aRow, 4, true, b, bRow, c, cRow, accumulate, bias, relu, h, hAct);
  return 0;
}
@inline function tn(tile: i32, m: i32, n: i32, k: i32, a: usize, aCol: usize, b: usize, bRow: usize, c: usize, cRow: usize,
                    accumulate: bool, kc: i32): i32 {
  if (ASC_FEATURE_SIMD) {
    if (kc > 0) return panelsChunked(tile, m, n, k, a, aCol, b, bRow, c, cRow, accumulate, kc);
    return panels(tile, m, n, k, a, 4, aCol, false, b, bRow, c, cRow, accumulate, 0, false, 0, 0);
  }
  return 0;
}

export function nn4x8(m: i32, n: i32, k: i32, a: usize, aRow: usize, b: usize, bRow: usize, c: usize, cRow: usize,
                      accumulate: bool, bias: usize, relu: bool, h: usize, hAct: i32): i32 {
  return nn(TILE_4X8, m, n, k, a, aRow, b, bRow, c, cRow, accumulate, bias, relu, h, hAct);
}
export function nn4x8Lanes(m: i32, n: i32, k: i32, a: usize, aRow: usize, b: usize, bRow: usize, c: usize, cRow: usize,
                           accumulate: bool, bias: usize, relu: bool, h: usize, hAct: i32): i32 {
  return nn(TILE_4X8_LANES, m, n, k, a, aRow, b, bRow, c, cRow, accumulate, bias, relu, h, hAct);
}
export function nn2x16(m: i32, n: i32, k: i32, a: usize, aRow: usize, b: usize, bRow: usize, c: usize, cRow: usize,
                       accumulate: bool, bias: usize, relu: bool, h: usize, hAct: i32): i32 {
  return nn(TILE_2X16, m, n, k, a, aRow, b, bRow, c, cRow, accumulate, bias, relu, h, hAct);
}
export function tn4x8(m: i32, n: i32, k: i32, a: usize, aCol: usize, b: usize, bRow: usize, c: usize, cRow: usize,
                      accumulate: bool, kc: i32): i32 {
  return tn(TILE_4X8, m, n, k, a, aCol, b, bRow, c, cRow, accumulate, kc);
}
export function tn4x8Lanes(m: i32, n: i32, k: i32, a: usize, aCol: usize, b: usize, bRow: usize, c: usize, cRow: usize,
                           accumulate: bool, kc: i32): i32 {
  return tn(TILE_4X8_LANES, m, n, k, a, aCol, b, bRow, c, cRow, accumulate, kc);
}
export function tn2x16(m: i32, n: i32, k: i32, a: usize, aCol: usize, b: usize, bRow: usize, c: usize, cRow: usize,
                       accumulate: bool, kc: i32): i32 {
  return tn(TILE_2X16, m, n, k, a, aCol, b, bRow, c, cRow, accumulate, kc);
}
