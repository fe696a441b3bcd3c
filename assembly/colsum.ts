// Column sums, the bias gradient of a dense layer.
// db[n] (= or +=) Σ_i dZ[i, :] — the bias gradient is the column sum of the upstream gradient.
// Strips of 32 columns keep eight independent f32x4 sums in flight (one sum chain would be add-latency bound).
// Order of the additions, per column: in the 32-column strips Σ_i from zero, then + db when accumulating;
// in the rest db (or zero) first, then each row. The build without SIMD keeps exactly that order: same bits.
export function colsum(src: usize, ld: i32, m: i32, n: i32, dst: usize, accumulate: bool): void {
  if (ASC_FEATURE_SIMD) { colsumSimd(src, ld, m, n, dst, accumulate); return; }
  const row = <usize>ld << 2, n32 = n & ~31;
  for (let j = 0; j < n; j++) {
    const off = <usize>j << 2;
    let s: f32 = accumulate && j >= n32 ? load<f32>(dst + off) : 0;
    let p = src + off;
    for (let i = 0; i < m; i++) { s += load<f32>(p); p += row; }
    if (accumulate && j < n32) s += load<f32>(dst + off);
    store<f32>(dst + off, s);
  }
}

@inline function colsumSimd(src: usize, ld: i32, m: i32, n: i32, dst: usize, accumulate: bool): void {
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
