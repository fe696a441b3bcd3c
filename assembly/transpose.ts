// dst[cols × rows] = srcᵀ, src row-major [rows × cols], both dense. Packs Wᵀ so dX = dZ·Wᵀ runs on the
// blocked GEMM. 4×4 tiles are transposed in registers (four loads, eight shuffles, four stores), walked in
// 16×16 groups so source and destination lines stay in L1; the edges (rows or cols % 4) go element by element.

// dst rows 0…3 (stride dstRow bytes) = columns 0…3 of src rows 0…3 (stride srcRow bytes).
@inline export function tile4x4(src: usize, srcRow: usize, dst: usize, dstRow: usize): void {
  if (ASC_FEATURE_SIMD) tile4x4Simd(src, srcRow, dst, dstRow);
  else { // the build without SIMD: element by element
    for (let r: usize = 0; r < 4; r++) {
      for (let c: usize = 0; c < 4; c++) store<f32>(dst + c * dstRow + (r << 2), load<f32>(src + r * srcRow + (c << 2)));
    }
  }
}

@inline function tile4x4Simd(src: usize, srcRow: usize, dst: usize, dstRow: usize): void {
  const r0 = v128.load(src), r1 = v128.load(src + srcRow);
  const r2 = v128.load(src + 2 * srcRow), r3 = v128.load(src + 3 * srcRow);
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5), t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
  v128.store(dst + dstRow, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
  v128.store(dst + 2 * dstRow, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * dstRow, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
}

export function transpose(src: usize, rows: i32, cols: i32, dst: usize): void {
  const srcRow = <usize>cols << 2, dstRow = <usize>rows << 2;
  const rows4 = rows & ~3, cols4 = cols & ~3;
  const GROUP = 16;
  for (let r0 = 0; r0 < rows4; r0 += GROUP) {
    const r1 = min(r0 + GROUP, rows4);
    for (let c0 = 0; c0 < cols4; c0 += GROUP) {
      const c1 = min(c0 + GROUP, cols4);
      for (let r = r0; r < r1; r += 4) {
        for (let c = c0; c < c1; c += 4) {
          tile4x4(src + <usize>r * srcRow + (<usize>c << 2), srcRow, dst + <usize>c * dstRow + (<usize>r << 2), dstRow);
        }
      }
    }
  }
  // Right edge (columns cols4…cols−1 of every row) and bottom edge (rows rows4…rows−1, first cols4 columns).
  for (let r = 0; r < rows; r++) {
    for (let c = r < rows4 ? cols4 : 0; c < cols; c++) {
      store<f32>(dst + <usize>c * dstRow + (<usize>r << 2), load<f32>(src + <usize>r * srcRow + (<usize>c << 2)));
    }
  }
}
