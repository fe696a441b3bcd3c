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
// Fused epilogues, applied to the accumulators before the single store (gemm-blocks.ts):
//   gemmBiasRelu    C = relu?(A·B + bias)           a dense layer's forward
//   gemmDerivative  C = (A·B) ⊙ f′(h) on the first hCols columns   dX fused with the layer below's dZ
//
// Kernel variants (setKernels): for each form the instance runs one of KERNEL_VARIANTS micro-kernel variants —
// 0 the in-place 4×8 blocks below, 1… the packed variants of gemm-packed.ts (A and B copied into panels, then
// 4×8 tiles with broadcast loads, 2×16 tiles, or 4×8 with lane splats of one vector). Every variant computes
// every element in the same order, so the choice changes the speed, never the bits. The choice lives in this
// instance's globals: a further instance of the module sharing the memory (a worker thread) is given the same
// choice by calling its own setKernels. The build without SIMD has one variant, its scalar blocks.
import { block4x8, block4x4, tailColumns } from './gemm-blocks';
import { rowTimesMatrix } from './gemm-row';
import { tile4x4 } from './transpose';
import { nn4x8, nn2x16, nn4x8Lanes, tn4x8, tn2x16, tn4x8Lanes } from './gemm-packed';
import { splitGemm, threads, partsFor, minWork, jobArgs, partBegin, partEnd } from './thread-sync';
import { shareJob } from './thread-jobs';
import { ThreadJob, GemmArg as G } from '../src/engine/thread-control';

type NNDriver = (m: i32, n: i32, k: i32, a: usize, aRow: usize, b: usize, bRow: usize, c: usize, cRow: usize,
                 accumulate: bool, bias: usize, relu: bool, h: usize, hAct: i32) => i32;
type TNDriver = (m: i32, n: i32, k: i32, a: usize, aCol: usize, b: usize, bRow: usize, c: usize, cRow: usize,
                 accumulate: bool, kc: i32) => i32;
// Variants 1, 2, 3 (0 is inline): one wasm function each, called through the table.
const NN_VARIANTS: StaticArray<NNDriver> = [nn4x8, nn2x16, nn4x8Lanes];
const TN_VARIANTS: StaticArray<TNDriver> = [tn4x8, tn2x16, tn4x8Lanes];

export const KERNEL_VARIANTS = ASC_FEATURE_SIMD ? 4 : 1;
let kForward = 0, kDx = 0, kDw = 0; // this instance's choice: X·W, dZ·Wᵀ, Xᵀ·dZ

// Sets the variant of each form (ids 0 … KERNEL_VARIANTS − 1); returns 1, or 0 (and changes nothing) for
// an id out of range.
export function setKernels(forward: i32, dx: i32, dw: i32): i32 {
  const n = <u32>KERNEL_VARIANTS;
  if (<u32>forward >= n || <u32>dx >= n || <u32>dw >= n) return 0;
  kForward = forward; kDx = dx; kDw = dw;
  return 1;
}

// The variant of form 0 (forward), 1 (dx) or 2 (dw) in use.
export function kernelOf(form: i32): i32 {
  return form == 0 ? kForward : form == 1 ? kDx : kDw;
}

// How many variants this build has (4 with SIMD: 0 4x8, 1 4x8p, 2 2x16p, 3 4x8p-lanes — src/engine/kernels.ts
// names them in this order; 1 without SIMD).
export function kernelVariants(): i32 {
  return KERNEL_VARIANTS;
}

export function gemm(m: i32, n: i32, k: i32, a: usize, ars: i32, acs: i32,
                     b: usize, ldb: i32, c: usize, ldc: i32, accumulate: bool): void {
  if (n == 1 && ars == 1 && ldc == 1 && m > 1) {
    // C[m×1] = A·b with A(i, p) = a[i + p·acs]: as a row, Cᵀ[1×m] = bᵀ[1×k] · Aᵀ where Aᵀ is row-major
    // [k × m] with row stride acs — rowTimesMatrix, vectorised along m instead of a strided dot per row.
    gemmCore(1, m, k, b, 0, ldb, a, acs, c, m, accumulate, 0, false, 0, 0);
    return;
  }
  // Xᵀ·dZ (A read down its columns) runs the dw variant, on the packed path when its row stride is a multiple
  // of 512 B (see gemmPackedA); every other form the forward variant (which takes only acs = 1).
  const tn = ars == 1 && acs != 1, chunked = tn && (acs & 127) == 0 && m >= 4 && n >= 8 && k > 0; // k = 0: C = 0 (+ C), in place
  if (splitGemm(m, n, k) && runSplit(chunked ? ThreadJob.GemmPacked : ThreadJob.Gemm, m, n, k, a, ars, acs, b, ldb, c, ldc, accumulate, 0, false, 0, 0, 0)) return;
  gemmAny(m, n, k, a, ars, acs, b, ldb, c, ldc, accumulate, chunked);
}

// gemm after its special case, on the path `chunked` says (decided once for the whole product: a thread's part
// takes the same path whatever its size).
@inline function gemmAny(m: i32, n: i32, k: i32, a: usize, ars: i32, acs: i32, b: usize, ldb: i32, c: usize, ldc: i32,
                         accumulate: bool, chunked: bool): void {
  const tn = ars == 1 && acs != 1;
  if (ASC_FEATURE_SIMD) {
    const v = tn ? kDw : kForward;
    if (v != 0) {
      const done = tn ? unchecked(TN_VARIANTS[v - 1])(m, n, k, a, <usize>acs << 2, b, <usize>ldb << 2, c, <usize>ldc << 2, accumulate, chunked ? KC : 0)
        : acs == 1 ? unchecked(NN_VARIANTS[v - 1])(m, n, k, a, <usize>ars << 2, b, <usize>ldb << 2, c, <usize>ldc << 2, accumulate, 0, false, 0, 0) : 0;
      if (done > 0) { gemmRest(done, chunked, m, n, k, a, ars, acs, b, ldb, c, ldc, accumulate, 0, false, 0, 0); return; }
    }
  }
  if (chunked) gemmPackedA(m, n, k, a, acs, b, ldb, c, ldc, accumulate);
  else gemmCore(m, n, k, a, ars, acs, b, ldb, c, ldc, accumulate, 0, false, 0, 0);
}

// C = A·B (+ epilogue) with A(i, p) = a[i·ars + p] and forward / dx variant v: the packed variant's panels,
// the rest in place.
@inline function gemmNN(v: i32, m: i32, n: i32, k: i32, a: usize, ars: i32, acs: i32, b: usize, ldb: i32, c: usize, ldc: i32,
                        accumulate: bool, bias: usize, relu: bool, h: usize, hAct: i32): void {
  if (ASC_FEATURE_SIMD) {
    if (v != 0 && acs == 1) {
      const done = unchecked(NN_VARIANTS[v - 1])(m, n, k, a, <usize>ars << 2, b, <usize>ldb << 2, c, <usize>ldc << 2,
                                                 accumulate, bias, relu, h, hAct);
      if (done > 0) { gemmRest(done, false, m, n, k, a, ars, acs, b, ldb, c, ldc, accumulate, bias, relu, h, hAct); return; }
    }
  }
  gemmCore(m, n, k, a, ars, acs, b, ldb, c, ldc, accumulate, bias, relu, h, hAct);
}

// What a packed variant leaves to the in-place path: columns done…n−1 of rows 0…m4−1 (on the chunked packed
// path, as gemmPackedA chunks them), then rows m4…m−1 (in place, as ever).
function gemmRest(done: i32, chunked: bool, m: i32, n: i32, k: i32, a: usize, ars: i32, acs: i32, b: usize, ldb: i32,
                  c: usize, ldc: i32, accumulate: bool, bias: usize, relu: bool, h: usize, hAct: i32): void {
  const off = <usize>done << 2, m4 = m & ~3, rowC = <usize>m4 * (<usize>ldc << 2);
  if (done < n) {
    if (chunked) gemmPackedA(m4, n - done, k, a, acs, b + off, ldb, c + off, ldc, accumulate);
    else gemmCore(m4, n - done, k, a, ars, acs, b + off, ldb, c + off, ldc, accumulate, bias != 0 ? bias + off : 0, relu,
                  h != 0 ? h + off : 0, hAct);
  }
  if (m4 < m) {
    gemmCore(m - m4, n, k, a + <usize>m4 * (<usize>ars << 2), ars, acs, b, ldb, c + rowC, ldc, accumulate, bias, relu,
             h != 0 ? h + rowC : 0, hAct);
  }
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
const PACK_STATIC = memory.data(KC * 16, 16);
/** This thread's panel buffer: PACK_STATIC on the calling thread, a worker's own in the threaded build. */
let packBuffer: usize = PACK_STATIC;
export function usePackBuffer(ptr: usize): void { packBuffer = ptr; }

// PACK[r·KC + p] = src[p·aCol + r], r < 4, p < kc.
@inline function packPanel(PACK: usize, src: usize, aCol: usize, kc: i32): void {
  let p = 0;
  for (; p + 4 <= kc; p += 4) {
    tile4x4(src, aCol, PACK + (<usize>p << 2), KC * 4);
    src += aCol << 2;
  }
  for (; p < kc; p++) {
    const o = PACK + (<usize>p << 2);
    if (ASC_FEATURE_SIMD) {
      const v = v128.load(src);
      v128.store32_lane(o, v, 0); v128.store32_lane(o, v, 1, KC * 4);
      v128.store32_lane(o, v, 2, KC * 8); v128.store32_lane(o, v, 3, KC * 12);
    } else {
      for (let r: usize = 0; r < 4; r++) store<f32>(o + r * KC * 4, load<f32>(src + (r << 2)));
    }
    src += aCol;
  }
}

function gemmPackedA(m: i32, n: i32, k: i32, a: usize, acs: i32, b: usize, ldb: i32,
                     c: usize, ldc: i32, accumulate: bool): void {
  const aCol = <usize>acs << 2, bRow = <usize>ldb << 2, cRow = <usize>ldc << 2;
  const m4 = m & ~3;
  const PACK = ASC_FEATURE_THREADS ? packBuffer : PACK_STATIC;
  for (let i = 0; i < m4; i += 4) {
    const ci = c + <usize>i * cRow;
    for (let p0 = 0; p0 < k; p0 += KC) {
      const kc = min(KC, k - p0);
      packPanel(PACK, a + (<usize>i << 2) + <usize>p0 * aCol, aCol, kc);
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
  if (splitGemm(m, n, k) && runSplit(ThreadJob.GemmBias, m, n, k, a, ars, acs, b, ldb, c, ldc, false, bias, relu, 0, 0, 0)) return;
  gemmNN(kForward, m, n, k, a, ars, acs, b, ldb, c, ldc, false, bias, relu, 0, 0);
}

// C[m×n] = A·B, then C[:, 0:hCols] ⊙= f′(h) — a layer's input gradient dX = dZ·Wᵀ that is at once the output
// gradient of the layer below, whose activation derivative (hAct: 1 relu, 2 tanh) is taken through its output
// h (the layer's input X, same strides as C). Columns from hCols on (a second input joining there) are plain;
// hCols = 0: the plain dX GEMM (mlp.ts calls it so for every dX, which thus runs the dx variant).
export function gemmDerivative(m: i32, n: i32, k: i32, a: usize, ars: i32, acs: i32, b: usize, ldb: i32,
                               c: usize, ldc: i32, h: usize, hCols: i32, hAct: i32): void {
  if (splitGemm(m, n, k) && runSplit(ThreadJob.GemmDerivative, m, n, k, a, ars, acs, b, ldb, c, ldc, false, 0, false, h, hCols, hAct)) return;
  derivativeAny(m, n, k, a, ars, acs, b, ldb, c, ldc, h, hCols, hAct);
}

@inline function derivativeAny(m: i32, n: i32, k: i32, a: usize, ars: i32, acs: i32, b: usize, ldb: i32,
                               c: usize, ldc: i32, h: usize, hCols: i32, hAct: i32): void {
  if (hCols > 0) gemmNN(kDx, m, hCols, k, a, ars, acs, b, ldb, c, ldc, false, 0, false, h, hAct);
  if (hCols < n) {
    const off = <usize>hCols << 2;
    gemmNN(kDx, m, n - hCols, k, a, ars, acs, b + off, ldb, c + off, ldc, false, 0, false, 0, 0);
  }
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

// Split across threads (the threaded build; thread-sync.ts): C is cut into a grid of rowParts × colParts
// blocks of whole 4-row and 16-column groups (16: the widest tile, so a block's columns are whole panels of
// every variant), about as many blocks as partsFor gives for m·n·k (a block of gemmDerivative takes f′(h) on its
// columns left of hCols). Each part runs the path the whole product was given (chunked or not) with this
// instance's kernel variants, and every path and variant sums each element in the same order over k — the
// m % 4 rows and n % 16 columns go to the last row and column of blocks — so the bits depend on neither the
// thread count nor the grid. Returns false when C has fewer groups than threads.
function runSplit(job: ThreadJob, m: i32, n: i32, k: i32, a: usize, ars: i32, acs: i32, b: usize, ldb: i32,
                  c: usize, ldc: i32, accumulate: bool, bias: usize, relu: bool, h: usize, hCols: i32, hAct: i32): bool {
  const grid = splitGrid(max(m >> 2, 1), max(n >> 4, 1), threads(),
                         partsFor(<i64>m * <i64>n * <i64>k, <i64>minWork()));
  if (grid == 0) return false;
  const rowParts = grid >> 16, colParts = grid & 0xffff, parts = rowParts * colParts;
  const args = jobArgs();
  store<i32>(args + (<usize>G.M << 2), m); store<i32>(args + (<usize>G.N << 2), n); store<i32>(args + (<usize>G.K << 2), k);
  store<u32>(args + (<usize>G.A << 2), <u32>a); store<i32>(args + (<usize>G.Ars << 2), ars); store<i32>(args + (<usize>G.Acs << 2), acs);
  store<u32>(args + (<usize>G.B << 2), <u32>b); store<i32>(args + (<usize>G.Ldb << 2), ldb);
  store<u32>(args + (<usize>G.C << 2), <u32>c); store<i32>(args + (<usize>G.Ldc << 2), ldc);
  store<i32>(args + (<usize>G.Accumulate << 2), accumulate ? 1 : 0); store<u32>(args + (<usize>G.Bias << 2), <u32>bias);
  store<i32>(args + (<usize>G.Relu << 2), relu ? 1 : 0); store<u32>(args + (<usize>G.H << 2), <u32>h);
  store<i32>(args + (<usize>G.HCols << 2), hCols); store<i32>(args + (<usize>G.HAct << 2), hAct);
  store<i32>(args + (<usize>G.RowParts << 2), rowParts); store<i32>(args + (<usize>G.ColParts << 2), colParts);
  shareJob(job, parts);
  return true;
}

// The grid of a split GEMM with rowGroups 4-row and colGroups 16-column groups: (rowParts << 16) | colParts,
// at most `want` blocks and at least `threads` (0 when not even that many fit). Of the grids with the most
// blocks, the one whose blocks are squarest in elements: each block's kernels pack its rows of A and its
// columns of B, so a block of r × c elements costs packing ∝ 1/r + 1/c per multiply-add. One pass over the
// row counts (≤ min(want, rowGroups)), each with the most column parts that fit.
function splitGrid(rowGroups: i32, colGroups: i32, threads: i32, want: i32): i32 {
  let best = 0, bestParts = 0, bestCost: f64 = Infinity;
  for (let r = 1, rMax = min(want, rowGroups); r <= rMax; r++) {
    const cp = min(want / r, colGroups), parts = r * cp;
    if (parts < threads || parts < bestParts) continue;
    const cost = <f64>r / (<f64>rowGroups * 4) + <f64>cp / (<f64>colGroups * 16); // 1/rows + 1/cols of a block
    if (parts > bestParts || cost < bestCost) { best = (r << 16) | cp; bestParts = parts; bestCost = cost; }
  }
  return best;
}

/** Part `part` of `parts` of the GEMM job whose arguments are at `args` (any thread). */
export function gemmPart(job: i32, args: usize, part: i32, parts: i32): void {
  let m = load<i32>(args + (<usize>G.M << 2)), n = load<i32>(args + (<usize>G.N << 2));
  const k = load<i32>(args + (<usize>G.K << 2));
  let a = <usize>load<u32>(args + (<usize>G.A << 2));
  const ars = load<i32>(args + (<usize>G.Ars << 2)), acs = load<i32>(args + (<usize>G.Acs << 2));
  let b = <usize>load<u32>(args + (<usize>G.B << 2));
  const ldb = load<i32>(args + (<usize>G.Ldb << 2));
  let c = <usize>load<u32>(args + (<usize>G.C << 2));
  const ldc = load<i32>(args + (<usize>G.Ldc << 2));
  const accumulate = load<i32>(args + (<usize>G.Accumulate << 2)) != 0;
  let bias = <usize>load<u32>(args + (<usize>G.Bias << 2));
  const relu = load<i32>(args + (<usize>G.Relu << 2)) != 0;
  let h = <usize>load<u32>(args + (<usize>G.H << 2));
  const hCols = load<i32>(args + (<usize>G.HCols << 2)), hAct = load<i32>(args + (<usize>G.HAct << 2));
  const colParts = load<i32>(args + (<usize>G.ColParts << 2)), rowParts = parts / colParts;
  const row = part / colParts, col = part - row * colParts;
  if (rowParts > 1) {
    const i0 = partBegin(m, 2, row, rowParts), i1 = partEnd(m, 2, row, rowParts); // whole 4-row groups
    a += <usize>i0 * (<usize>ars << 2);
    c += <usize>i0 * (<usize>ldc << 2);
    if (h != 0) h += <usize>i0 * (<usize>ldc << 2);
    m = i1 - i0;
  }
  let hc = hCols; // gemmDerivative: the block's columns that take f′(h), those left of hCols
  if (colParts > 1) {
    const j0 = partBegin(n, 4, col, colParts), j1 = partEnd(n, 4, col, colParts); // whole 16-column groups
    const off = <usize>j0 << 2;
    b += off; c += off;
    if (bias != 0) bias += off;
    if (h != 0) h += off;
    n = j1 - j0;
    hc = min(max(hCols - j0, 0), n);
  }
  if (job == ThreadJob.GemmDerivative) derivativeAny(m, n, k, a, ars, acs, b, ldb, c, ldc, h, hc, hAct);
  else if (job == ThreadJob.GemmBias) gemmNN(kForward, m, n, k, a, ars, acs, b, ldb, c, ldc, false, bias, relu, 0, 0);
  else gemmAny(m, n, k, a, ars, acs, b, ldb, c, ldc, accumulate, job == ThreadJob.GemmPacked);
}
