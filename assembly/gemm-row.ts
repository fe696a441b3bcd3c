// One row of C at a time: c[0:n4] (= or +=) Σ_p A(0, p) · B[p, 0:n4] (+ bias, relu), n4 = n rounded down to 4.
// It computes the rows left over by the 4-row blocks of gemm.ts — in particular batch 1, a single observation
// through the policy. a points at A(0, 0) and steps by aCol bytes; B rows step by bRow bytes.
//
// With one row there is one broadcast per p, so a register-blocked 1×32 strip needs 8 accumulators + 8 B
// vectors + the broadcast: V8 hoists the eight loads, runs out of xmm registers and keeps an accumulator on
// the stack (a store-to-load chain every step: ~24 GFLOP/s). Instead a row of running sums in memory is the accumulator:
// four rows of B at a time are folded into it, s[j] += a_p·B[p, j] + a_p+1·B[p+1, j] + a_p+2·… + a_p+3·…,
// streaming B row-major (four sequential streams) with the row in L1: 8 FP ops per vector loaded and stored.
//
// The build without SIMD (ASC_FEATURE_SIMD false: a static branch, the other side is not even compiled) runs
// the scalar twins below: the same float32 operations in the same order, element by element — so both builds
// give the same bits. Each element of C is Σ_p A(i, p)·B[p, j] in order p = 0…k−1 from zero, then the epilogue.

// The GEMM epilogue on one f32x4 of C: + bias[0:4] (bias ≠ 0), then relu, then ⊙ f′(h[0:4]) (h ≠ 0: the
// activation derivative of the layer below, through its output h). relu is f32x4.pmax(v, 0) = v < 0 ? 0 : v:
// one maxps in V8 (f32x4.max, with its NaN and ±0 rules, is an 8-instruction sequence there), and NaN stays NaN.
@inline export function epilogue(v: v128, bias: usize, relu: bool, off: usize = 0, h: usize = 0, hAct: i32 = 0): v128 {
  if (bias != 0) v = f32x4.add(v, v128.load(bias + off));
  if (relu) v = f32x4.pmax(v, f32x4.splat(0));
  if (h != 0) v = derivative(v, v128.load(h + off), hAct);
  return v;
}

// d ⊙ f′ with f′ written through the output h: relu [h > 0] (ACT_RELU = 1), tanh 1 − h² (ACT_TANH = 2).
@inline export function derivative(d: v128, h: v128, hAct: i32): v128 {
  return hAct == 1 ? v128.and(d, f32x4.gt(h, f32x4.splat(0))) : f32x4.mul(d, f32x4.sub(f32x4.splat(1), f32x4.mul(h, h)));
}

@inline export function derivativeScalar(d: f32, h: f32, hAct: i32): f32 {
  return hAct == 1 ? (h > 0 ? d : 0) : d * (1 - h * h);
}

// The epilogue on one element (bias, h: addresses of this element's bias and h, or 0 for none).
@inline export function epilogueScalar(s: f32, bias: usize, relu: bool, h: usize, hAct: i32): f32 {
  if (bias != 0) s += load<f32>(bias);
  if (relu) s = s < 0 ? 0 : s;
  if (h != 0) s = derivativeScalar(s, load<f32>(h), hAct);
  return s;
}

// Scalar twin of a 2×4 block (two rows of A, aRow bytes apart; C and h rows cRow apart): eight running sums
// in registers, each in order p = 0…k−1 as in strip4Scalar — two rows share every load of B.
@inline export function block2x4Scalar(k: i32, a: usize, aRow: usize, aCol: usize, b: usize, bRow: usize, c: usize, cRow: usize,
                                       accumulate: bool, bias: usize, relu: bool, h: usize, hAct: i32): void {
  let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0, t0: f32 = 0, t1: f32 = 0, t2: f32 = 0, t3: f32 = 0;
  let pa = a, pb = b;
  for (let p = 0; p < k; p++) {
    const b0 = load<f32>(pb), b1 = load<f32>(pb, 4), b2 = load<f32>(pb, 8), b3 = load<f32>(pb, 12);
    const u = load<f32>(pa), v = load<f32>(pa + aRow);
    s0 += u * b0; s1 += u * b1; s2 += u * b2; s3 += u * b3;
    t0 += v * b0; t1 += v * b1; t2 += v * b2; t3 += v * b3;
    pa += aCol; pb += bRow;
  }
  storeRow4(c, s0, s1, s2, s3, accumulate, bias, relu, h, hAct);
  storeRow4(c + cRow, t0, t1, t2, t3, accumulate, bias, relu, h != 0 ? h + cRow : 0, hAct);
}

// c[0:4] = (s + c when accumulating), then the epilogue.
@inline function storeRow4(c: usize, s0: f32, s1: f32, s2: f32, s3: f32, accumulate: bool, bias: usize, relu: bool, h: usize, hAct: i32): void {
  if (accumulate) { s0 += load<f32>(c); s1 += load<f32>(c, 4); s2 += load<f32>(c, 8); s3 += load<f32>(c, 12); }
  const b1 = bias != 0 ? bias + 4 : 0, b2 = bias != 0 ? bias + 8 : 0, b3 = bias != 0 ? bias + 12 : 0;
  const h1 = h != 0 ? h + 4 : 0, h2 = h != 0 ? h + 8 : 0, h3 = h != 0 ? h + 12 : 0;
  store<f32>(c, epilogueScalar(s0, bias, relu, h, hAct)); store<f32>(c, epilogueScalar(s1, b1, relu, h1, hAct), 4);
  store<f32>(c, epilogueScalar(s2, b2, relu, h2, hAct), 8); store<f32>(c, epilogueScalar(s3, b3, relu, h3, hAct), 12);
}

// Scalar twin of a 1×4 strip: c[0:4] (= or +=) Σ_p A(0, p)·B[p, 0:4], then the epilogue. Four running sums,
// each in order p = 0…k−1 from zero, then + c when accumulating — the order of every f32x4 kernel here.
@inline export function strip4Scalar(k: i32, a: usize, aCol: usize, b: usize, bRow: usize, c: usize,
                                     accumulate: bool, bias: usize, relu: bool, h: usize, hAct: i32): void {
  let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
  let pa = a, pb = b;
  for (let p = 0; p < k; p++) {
    const av = load<f32>(pa);
    s0 += av * load<f32>(pb); s1 += av * load<f32>(pb, 4); s2 += av * load<f32>(pb, 8); s3 += av * load<f32>(pb, 12);
    pa += aCol; pb += bRow;
  }
  storeRow4(c, s0, s1, s2, s3, accumulate, bias, relu, h, hAct);
}

@inline function mad(acc: v128, a: v128, b: v128): v128 {
  return f32x4.add(acc, f32x4.mul(a, b));
}

// The running sums live in ROW (static, NC floats per column chunk) so that c is written once, in the same
// order of operations as the 4-row blocks: Σ_p in order from 0, then + c (accumulate), + bias, relu —
// a row gives bit-identical results whichever path computes it.
const NC = 512;
const ROW_STATIC = memory.data(NC * 4, 16);
/** This thread's running row: ROW_STATIC on the calling thread, a worker's own in the threaded build. */
let rowBuffer: usize = ROW_STATIC;
export function useRowBuffer(ptr: usize): void { rowBuffer = ptr; }

export function rowTimesMatrix(k: i32, a: usize, aCol: usize, b: usize, bRow: usize, c: usize, n4: i32,
                               accumulate: bool, bias: usize, relu: bool, h: usize, hAct: i32): void {
  if (ASC_FEATURE_SIMD) rowTimesMatrixSimd(k, a, aCol, b, bRow, c, n4, accumulate, bias, relu, h, hAct);
  else {
    for (let j = 0; j < n4; j += 4) {
      const off = <usize>j << 2;
      strip4Scalar(k, a, aCol, b + off, bRow, c + off, accumulate, bias != 0 ? bias + off : 0, relu, h != 0 ? h + off : 0, hAct);
    }
  }
}

@inline function rowTimesMatrixSimd(k: i32, a: usize, aCol: usize, b: usize, bRow: usize, c: usize, n4: i32,
                                    accumulate: bool, bias: usize, relu: bool, h: usize, hAct: i32): void {
  const ROW = ASC_FEATURE_THREADS ? rowBuffer : ROW_STATIC;
  for (let j0 = 0; j0 < n4; j0 += NC) {
    const bytes = <usize>min(NC, n4 - j0) << 2, first = <usize>j0 << 2;
    memory.fill(ROW, 0, bytes);
    let p = 0, pa = a, pb = b + first;
    for (; p + 4 <= k; p += 4) {
      const a0 = v128.load32_splat(pa), a1 = v128.load32_splat(pa + aCol);
      const a2 = v128.load32_splat(pa + 2 * aCol), a3 = v128.load32_splat(pa + 3 * aCol);
      const b1 = pb + bRow, b2 = pb + 2 * bRow, b3 = pb + 3 * bRow;
      for (let off: usize = 0; off < bytes; off += 16) {
        let v = mad(v128.load(ROW + off), a0, v128.load(pb + off));
        v = mad(v, a1, v128.load(b1 + off));
        v = mad(v, a2, v128.load(b2 + off));
        v128.store(ROW + off, mad(v, a3, v128.load(b3 + off)));
      }
      pa += 4 * aCol; pb += 4 * bRow;
    }
    for (; p < k; p++) {
      const a0 = v128.load32_splat(pa);
      for (let off: usize = 0; off < bytes; off += 16) v128.store(ROW + off, mad(v128.load(ROW + off), a0, v128.load(pb + off)));
      pa += aCol; pb += bRow;
    }
    const cj = c + first, bj = bias != 0 ? bias + first : 0, hj = h != 0 ? h + first : 0;
    for (let off: usize = 0; off < bytes; off += 16) {
      let v = v128.load(ROW + off);
      if (accumulate) v = f32x4.add(v, v128.load(cj + off));
      v128.store(cj + off, epilogue(v, bj, relu, off, hj, hAct));
    }
  }
}
