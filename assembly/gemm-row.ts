// One-row GEMM blocks: c[1×w] (= or +=) Σ_p A(0, p) · B[p, 0:w], for w = 32, 8, 4.
// They compute the rows left over by the 4-row blocks of gemm.ts — in particular batch 1, a single
// observation through the policy. a points at A(0, 0) and steps by aCol bytes; B rows step by bRow bytes.
// With one row there is one broadcast per p for all w columns, so the add latency (not the FP pipes) is the
// limit: 1×32 keeps eight independent f32x4 accumulators in flight.
// Epilogue (as in gemm.ts): + bias[j…] when bias ≠ 0, then max(·, 0) when relu.

// v + bias[0:4] (bias ≠ 0), then max(·, 0) (relu). f32x4.max propagates NaN.
@inline export function epilogue(v: v128, bias: usize, relu: bool, off: usize = 0): v128 {
  if (bias != 0) v = f32x4.add(v, v128.load(bias + off));
  if (relu) v = f32x4.max(v, f32x4.splat(0));
  return v;
}

@inline function mad(acc: v128, a: v128, b: v128): v128 {
  return f32x4.add(acc, f32x4.mul(a, b));
}

@inline export function block1x32(k: i32, a: usize, aCol: usize, b: usize, bRow: usize, c: usize, accumulate: bool, bias: usize, relu: bool): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  let c4 = f32x4.splat(0), c5 = f32x4.splat(0), c6 = f32x4.splat(0), c7 = f32x4.splat(0);
  let pa = a, pb = b;
  for (let p = 0; p < k; p++) {
    const av = v128.load32_splat(pa);
    c0 = mad(c0, av, v128.load(pb)); c1 = mad(c1, av, v128.load(pb, 16));
    c2 = mad(c2, av, v128.load(pb, 32)); c3 = mad(c3, av, v128.load(pb, 48));
    c4 = mad(c4, av, v128.load(pb, 64)); c5 = mad(c5, av, v128.load(pb, 80));
    c6 = mad(c6, av, v128.load(pb, 96)); c7 = mad(c7, av, v128.load(pb, 112));
    pa += aCol; pb += bRow;
  }
  if (accumulate) {
    c0 = f32x4.add(c0, v128.load(c)); c1 = f32x4.add(c1, v128.load(c, 16));
    c2 = f32x4.add(c2, v128.load(c, 32)); c3 = f32x4.add(c3, v128.load(c, 48));
    c4 = f32x4.add(c4, v128.load(c, 64)); c5 = f32x4.add(c5, v128.load(c, 80));
    c6 = f32x4.add(c6, v128.load(c, 96)); c7 = f32x4.add(c7, v128.load(c, 112));
  }
  v128.store(c, epilogue(c0, bias, relu)); v128.store(c, epilogue(c1, bias, relu, 16), 16);
  v128.store(c, epilogue(c2, bias, relu, 32), 32); v128.store(c, epilogue(c3, bias, relu, 48), 48);
  v128.store(c, epilogue(c4, bias, relu, 64), 64); v128.store(c, epilogue(c5, bias, relu, 80), 80);
  v128.store(c, epilogue(c6, bias, relu, 96), 96); v128.store(c, epilogue(c7, bias, relu, 112), 112);
}

@inline export function block1x8(k: i32, a: usize, aCol: usize, b: usize, bRow: usize, c: usize, accumulate: bool, bias: usize, relu: bool): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
  let pa = a, pb = b;
  for (let p = 0; p < k; p++) {
    const av = v128.load32_splat(pa);
    c0 = mad(c0, av, v128.load(pb)); c1 = mad(c1, av, v128.load(pb, 16));
    pa += aCol; pb += bRow;
  }
  if (accumulate) { c0 = f32x4.add(c0, v128.load(c)); c1 = f32x4.add(c1, v128.load(c, 16)); }
  v128.store(c, epilogue(c0, bias, relu)); v128.store(c, epilogue(c1, bias, relu, 16), 16);
}

@inline export function block1x4(k: i32, a: usize, aCol: usize, b: usize, bRow: usize, c: usize, accumulate: bool, bias: usize, relu: bool): void {
  let c0 = f32x4.splat(0);
  let pa = a, pb = b;
  for (let p = 0; p < k; p++) {
    c0 = mad(c0, v128.load32_splat(pa), v128.load(pb));
    pa += aCol; pb += bRow;
  }
  if (accumulate) c0 = f32x4.add(c0, v128.load(c));
  v128.store(c, epilogue(c0, bias, relu));
}
