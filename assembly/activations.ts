// Activations, applied in place on a row-major block with row stride ld (elements).
//
//   forward   y ← f(y + b)                     b: [n] bias broadcast over the m rows
//   backward  dz ← dh ⊙ f′, with f′ written through the OUTPUT h = f(z), so z need not be kept:
//             identity f′ = 1,  relu f′ = [h > 0],  tanh f′ = 1 − h²
// relu and identity run on f32x4 lanes; tanh calls the float32 tanh per element. The MLP forward fuses bias
// and relu into the GEMM (gemm.ts gemmBiasRelu) and only calls tanhRows for tanh layers. In the build without
// SIMD (ASC_FEATURE_SIMD false) the f32x4 loops are left out and the scalar loops, the same expressions, do it all.

export const ACT_IDENTITY: i32 = 0;
export const ACT_RELU: i32 = 1;
export const ACT_TANH: i32 = 2;

export function biasActivate(y: usize, ld: i32, m: i32, n: i32, bias: usize, act: i32): void {
  const row = <usize>ld << 2;
  for (let i = 0; i < m; i++) {
    const yi = y + <usize>i * row;
    let j = 0;
    if (ASC_FEATURE_SIMD) for (; j + 4 <= n; j += 4) {
      const off = <usize>j << 2;
      let v = f32x4.add(v128.load(yi + off), v128.load(bias + off));
      if (act == ACT_RELU) v = f32x4.pmax(v, f32x4.splat(0)); // v < 0 ? 0 : v: one maxps, NaN stays NaN
      else if (act == ACT_TANH) {
        v = f32x4.replace_lane(v, 0, Mathf.tanh(f32x4.extract_lane(v, 0)));
        v = f32x4.replace_lane(v, 1, Mathf.tanh(f32x4.extract_lane(v, 1)));
        v = f32x4.replace_lane(v, 2, Mathf.tanh(f32x4.extract_lane(v, 2)));
        v = f32x4.replace_lane(v, 3, Mathf.tanh(f32x4.extract_lane(v, 3)));
      }
      v128.store(yi + off, v);
    }
    for (; j < n; j++) {
      const off = <usize>j << 2;
      let v = load<f32>(yi + off) + load<f32>(bias + off);
      if (act == ACT_RELU) v = v < 0 ? 0 : v; // as f32x4.pmax in the lanes: NaN stays NaN
      else if (act == ACT_TANH) v = Mathf.tanh(v);
      store<f32>(yi + off, v);
    }
  }
}

// y ← tanh(y) on an m×n block with row stride ld.
export function tanhRows(y: usize, ld: i32, m: i32, n: i32): void {
  const row = <usize>ld << 2;
  for (let i = 0; i < m; i++) {
    const yi = y + <usize>i * row;
    for (let j = 0; j < n; j++) {
      const off = <usize>j << 2;
      store<f32>(yi + off, Mathf.tanh(load<f32>(yi + off)));
    }
  }
}

export function activationBackward(dh: usize, lddh: i32, h: usize, ldh: i32, m: i32, n: i32, act: i32): void {
  if (act == ACT_IDENTITY) return;
  if (lddh == n && ldh == n) { // dense blocks: one flat pass
    if (act == ACT_RELU) reluBackwardRow(dh, h, m * n); else tanhBackwardRow(dh, h, m * n);
    return;
  }
  const rowD = <usize>lddh << 2, rowH = <usize>ldh << 2;
  for (let i = 0; i < m; i++) {
    const di = dh + <usize>i * rowD, hi = h + <usize>i * rowH;
    if (act == ACT_RELU) reluBackwardRow(di, hi, n); else tanhBackwardRow(di, hi, n);
  }
}

// d ← d ⊙ [h > 0] over n contiguous elements (relu′ through the output; NaN in d stays NaN where h > 0).
@inline function reluBackwardRow(d: usize, h: usize, n: i32): void {
  let j = 0;
  if (ASC_FEATURE_SIMD) for (; j + 4 <= n; j += 4) {
    const off = <usize>j << 2;
    v128.store(d + off, v128.and(v128.load(d + off), f32x4.gt(v128.load(h + off), f32x4.splat(0))));
  }
  for (; j < n; j++) {
    const off = <usize>j << 2;
    store<f32>(d + off, load<f32>(h + off) > 0 ? load<f32>(d + off) : 0);
  }
}

// d ← d ⊙ (1 − h²) over n contiguous elements (tanh′ through the output).
@inline function tanhBackwardRow(d: usize, h: usize, n: i32): void {
  let j = 0;
  if (ASC_FEATURE_SIMD) for (; j + 4 <= n; j += 4) {
    const off = <usize>j << 2;
    const hv = v128.load(h + off);
    v128.store(d + off, f32x4.mul(v128.load(d + off), f32x4.sub(f32x4.splat(1), f32x4.mul(hv, hv))));
  }
  for (; j < n; j++) {
    const off = <usize>j << 2;
    const hv = load<f32>(h + off);
    store<f32>(d + off, load<f32>(d + off) * (1 - hv * hv));
  }
}
