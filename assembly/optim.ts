// Optimiser and target-network updates over flat float32 parameter vectors of length n.
import { splitElements, partsFor, jobArgs, partBegin, partEnd, minElements } from './thread-sync';
import { shareJob } from './thread-jobs';
import { ThreadJob, UpdateArg as U } from '../src/engine/thread-control';

// Adam (Kingma & Ba), PyTorch semantics, with optional coupled L2 weight decay:
//   g ← g + wd·p
//   m ← β1·m + (1−β1)·g          v ← β2·v + (1−β2)·g²
//   p ← p − (lr / bc1) · m / (√v / √bc2 + eps)      bc1 = 1 − β1ᵗ, bc2 = 1 − β2ᵗ (computed by the caller)
// f32x4 lanes and the scalar tail evaluate the same expression, so every element is updated identically.
// Returns 1 if any new p, m or v is NaN or ±Infinity, else 0 (the divergence guard: x − x is 0 for every
// finite x and NaN otherwise, and NaN sticks in the sum; the values written do not depend on it).
// The build without SIMD (ASC_FEATURE_SIMD false) runs the scalar expression on every element: same bits.
export function adamStep(p: usize, g: usize, m: usize, v: usize, n: i32,
                         lr: f32, beta1: f32, beta2: f32, eps: f32, weightDecay: f32,
                         biasCorrection1: f32, biasCorrection2: f32): i32 {
  // √v/√bc2 is computed as √v·(1/√bc2): one division per element instead of two (f32x4.div and sqrt, not
  // the mul/add, set this loop's pace); the reciprocal is exact to float32 rounding.
  const stepSize = lr / biasCorrection1;
  const invSqrtBc2 = <f32>(1.0 / Math.sqrt(<f64>biasCorrection2));
  if (splitElements(n)) {
    const args = jobArgs();
    store<u32>(args + (<usize>U.P << 2), <u32>p); store<u32>(args + (<usize>U.G << 2), <u32>g);
    store<u32>(args + (<usize>U.M << 2), <u32>m); store<u32>(args + (<usize>U.V << 2), <u32>v);
    store<i32>(args + (<usize>U.N << 2), n);
    store<f32>(args + (<usize>U.Beta1 << 2), beta1); store<f32>(args + (<usize>U.Beta2 << 2), beta2);
    store<f32>(args + (<usize>U.Eps << 2), eps); store<f32>(args + (<usize>U.WeightDecay << 2), weightDecay);
    store<f32>(args + (<usize>U.StepSize << 2), stepSize); store<f32>(args + (<usize>U.InvSqrtBc2 << 2), invSqrtBc2);
    return shareJob(ThreadJob.Adam, partsFor(n, minElements()));
  }
  return adamRange(p, g, m, v, n, beta1, beta2, eps, weightDecay, stepSize, invSqrtBc2);
}

// Threads split the vectors into ranges of whole f32x4 groups (the last takes the tail): every element is
// updated by the same expression whichever thread does it.
export function adamPart(args: usize, part: i32, parts: i32): i32 {
  const n = load<i32>(args + (<usize>U.N << 2));
  const i0 = partBegin(n, 2, part, parts), i1 = partEnd(n, 2, part, parts); // whole f32x4 groups
  const off = <usize>i0 << 2;
  return adamRange(<usize>load<u32>(args + (<usize>U.P << 2)) + off, <usize>load<u32>(args + (<usize>U.G << 2)) + off,
    <usize>load<u32>(args + (<usize>U.M << 2)) + off, <usize>load<u32>(args + (<usize>U.V << 2)) + off, i1 - i0,
    load<f32>(args + (<usize>U.Beta1 << 2)), load<f32>(args + (<usize>U.Beta2 << 2)), load<f32>(args + (<usize>U.Eps << 2)),
    load<f32>(args + (<usize>U.WeightDecay << 2)), load<f32>(args + (<usize>U.StepSize << 2)), load<f32>(args + (<usize>U.InvSqrtBc2 << 2)));
}

@inline function adamRange(p: usize, g: usize, m: usize, v: usize, n: i32, beta1: f32, beta2: f32, eps: f32,
                           weightDecay: f32, stepSize: f32, invSqrtBc2: f32): i32 {
  if (!ASC_FEATURE_SIMD) {
    const bad = adamElements(0, p, g, m, v, n, beta1, beta2, eps, weightDecay, stepSize, invSqrtBc2);
    return bad != bad ? 1 : 0;
  } else {
    return adamSimd(p, g, m, v, n, beta1, beta2, eps, weightDecay, stepSize, invSqrtBc2);
  }
}

// Elements from…n−1 one at a time; returns a sum that is NaN iff a new p, m or v is not finite.
@inline function adamElements(from: i32, p: usize, g: usize, m: usize, v: usize, n: i32, beta1: f32, beta2: f32,
                              eps: f32, weightDecay: f32, stepSize: f32, invSqrtBc2: f32): f32 {
  let bad: f32 = 0;
  for (let i = from; i < n; i++) {
    const off = <usize>i << 2;
    const pv = load<f32>(p + off);
    const gv = load<f32>(g + off) + weightDecay * pv;
    const mv = beta1 * load<f32>(m + off) + (1 - beta1) * gv;
    const vv = beta2 * load<f32>(v + off) + (1 - beta2) * (gv * gv);
    const pn = pv - stepSize * (mv / (Mathf.sqrt(vv) * invSqrtBc2 + eps));
    store<f32>(m + off, mv);
    store<f32>(v + off, vv);
    store<f32>(p + off, pn);
    bad += (pn - pn) + ((mv - mv) + (vv - vv));
  }
  return bad;
}

@inline function adamSimd(p: usize, g: usize, m: usize, v: usize, n: i32, beta1: f32, beta2: f32,
                          eps: f32, weightDecay: f32, stepSize: f32, invSqrtBc2: f32): i32 {
  const b1 = f32x4.splat(beta1), b2 = f32x4.splat(beta2);
  const ob1 = f32x4.splat(1 - beta1), ob2 = f32x4.splat(1 - beta2);
  const wd = f32x4.splat(weightDecay), e = f32x4.splat(eps);
  const ss = f32x4.splat(stepSize), rs = f32x4.splat(invSqrtBc2);
  let bad = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = <usize>i << 2;
    const pv = v128.load(p + off);
    const gv = f32x4.add(v128.load(g + off), f32x4.mul(wd, pv));
    const mv = f32x4.add(f32x4.mul(b1, v128.load(m + off)), f32x4.mul(ob1, gv));
    const vv = f32x4.add(f32x4.mul(b2, v128.load(v + off)), f32x4.mul(ob2, f32x4.mul(gv, gv)));
    const denom = f32x4.add(f32x4.mul(f32x4.sqrt(vv), rs), e);
    const pn = f32x4.sub(pv, f32x4.mul(ss, f32x4.div(mv, denom)));
    v128.store(m + off, mv);
    v128.store(v + off, vv);
    v128.store(p + off, pn);
    bad = f32x4.add(bad, f32x4.add(f32x4.sub(pn, pn), f32x4.add(f32x4.sub(mv, mv), f32x4.sub(vv, vv))));
  }
  return anyNaN(bad, adamElements(i, p, g, m, v, n, beta1, beta2, eps, weightDecay, stepSize, invSqrtBc2));
}

/** 1 if any lane of `lanes`, or `scalar`, is NaN (x ≠ x only for NaN). */
@inline function anyNaN(lanes: v128, scalar: f32): i32 {
  const sum = f32x4.extract_lane(lanes, 0) + f32x4.extract_lane(lanes, 1) + f32x4.extract_lane(lanes, 2) + f32x4.extract_lane(lanes, 3) + scalar;
  return sum != sum ? 1 : 0;
}

// Polyak (soft) target update: t ← τ·s + (1−τ)·t.   τ = 1 is a hard copy.
// Returns 1 if any new t is NaN or ±Infinity, else 0 (as adamStep).
export function polyak(target: usize, source: usize, n: i32, tau: f32): i32 {
  if (splitElements(n)) {
    const args = jobArgs();
    store<u32>(args + (<usize>U.P << 2), <u32>target); store<u32>(args + (<usize>U.G << 2), <u32>source);
    store<i32>(args + (<usize>U.N << 2), n); store<f32>(args + (<usize>U.Tau << 2), tau);
    return shareJob(ThreadJob.Polyak, partsFor(n, minElements()));
  }
  return polyakRange(target, source, n, tau);
}

export function polyakPart(args: usize, part: i32, parts: i32): i32 {
  const n = load<i32>(args + (<usize>U.N << 2));
  const i0 = partBegin(n, 2, part, parts), i1 = partEnd(n, 2, part, parts);
  const off = <usize>i0 << 2;
  return polyakRange(<usize>load<u32>(args + (<usize>U.P << 2)) + off, <usize>load<u32>(args + (<usize>U.G << 2)) + off,
    i1 - i0, load<f32>(args + (<usize>U.Tau << 2)));
}

@inline function polyakRange(target: usize, source: usize, n: i32, tau: f32): i32 {
  if (!ASC_FEATURE_SIMD) {
    const bad = polyakElements(0, target, source, n, tau);
    return bad != bad ? 1 : 0;
  } else {
    return polyakSimd(target, source, n, tau);
  }
}

@inline function polyakElements(from: i32, target: usize, source: usize, n: i32, tau: f32): f32 {
  let bad: f32 = 0;
  for (let i = from; i < n; i++) {
    const off = <usize>i << 2;
    const tn = tau * load<f32>(source + off) + (1 - tau) * load<f32>(target + off);
    store<f32>(target + off, tn);
    bad += tn - tn;
  }
  return bad;
}

@inline function polyakSimd(target: usize, source: usize, n: i32, tau: f32): i32 {
  const t = f32x4.splat(tau), omt = f32x4.splat(1 - tau);
  let bad = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = <usize>i << 2;
    const tn = f32x4.add(f32x4.mul(t, v128.load(source + off)), f32x4.mul(omt, v128.load(target + off)));
    v128.store(target + off, tn);
    bad = f32x4.add(bad, f32x4.sub(tn, tn));
  }
  return anyNaN(bad, polyakElements(i, target, source, n, tau));
}

export function copy(target: usize, source: usize, n: i32): void {
  memory.copy(target, source, <usize>n << 2);
}
