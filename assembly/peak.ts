// Peak microbenchmark of this machine's WASM SIMD float arithmetic (used by bench/, not by training).
//
//   per iteration:  m_s ← m_s · c   (s = 0…5, f32x4.mul)      a_s ← a_s + d   (s = 0…5, f32x4.add)
//
// Twelve independent f32x4 streams, 48 flops per iteration, no memory traffic in the loop: six mul chains
// and six add chains cover a 3-cycle latency at two of each per cycle, and 12 accumulators + c + d fit in
// the 15 xmm registers V8 allocates on x64. c and d are loaded before the loop (a splat of a parameter is
// re-broadcast inside the loop by V8). The caller puts c = 1 and d ≈ 0 (no overflow, no denormals) at
// p[0..3] and d at p[28..31], start values at p[4..27]. Returns a lane sum so the loop is not dead.
// Without SIMD (ASC_FEATURE_SIMD false) the four lanes run one after the other as scalar streams: the same
// result, and the scalar peak.
export function peakMulAdd(iters: i32, p: usize): f32 {
  if (ASC_FEATURE_SIMD) return peakSimd(iters, p);
  else {
    let total: f32 = 0;
    for (let lane: usize = 0; lane < 4; lane++) {
      const q = p + (lane << 2);
      const c = load<f32>(q), d = load<f32>(q, 112);
      let m0 = load<f32>(q, 16), m1 = load<f32>(q, 32), m2 = load<f32>(q, 48);
      let m3 = load<f32>(q, 64), m4 = load<f32>(q, 80), m5 = load<f32>(q, 96);
      let a0 = m0, a1 = m1, a2 = m2, a3 = m3, a4 = m4, a5 = m5;
      for (let i = 0; i < iters; i++) {
        m0 *= c; a0 += d; m1 *= c; a1 += d; m2 *= c; a2 += d;
        m3 *= c; a3 += d; m4 *= c; a4 += d; m5 *= c; a5 += d;
      }
      const s = (((m0 + m1) + (m2 + m3)) + (m4 + m5)) + (((a0 + a1) + (a2 + a3)) + (a4 + a5));
      total = lane == 0 ? s : total + s;
    }
    return total;
  }
}

@inline function peakSimd(iters: i32, p: usize): f32 {
  const c = v128.load(p), d = v128.load(p, 112);
  let m0 = v128.load(p, 16), m1 = v128.load(p, 32), m2 = v128.load(p, 48);
  let m3 = v128.load(p, 64), m4 = v128.load(p, 80), m5 = v128.load(p, 96);
  let a0 = m0, a1 = m1, a2 = m2, a3 = m3, a4 = m4, a5 = m5;
  for (let i = 0; i < iters; i++) {
    m0 = f32x4.mul(m0, c); a0 = f32x4.add(a0, d);
    m1 = f32x4.mul(m1, c); a1 = f32x4.add(a1, d);
    m2 = f32x4.mul(m2, c); a2 = f32x4.add(a2, d);
    m3 = f32x4.mul(m3, c); a3 = f32x4.add(a3, d);
    m4 = f32x4.mul(m4, c); a4 = f32x4.add(a4, d);
    m5 = f32x4.mul(m5, c); a5 = f32x4.add(a5, d);
  }
  const m = f32x4.add(f32x4.add(f32x4.add(m0, m1), f32x4.add(m2, m3)), f32x4.add(m4, m5));
  const a = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(a4, a5));
  const s = f32x4.add(m, a);
  return f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3);
}
