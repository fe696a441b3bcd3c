// Scalar reference of assembly/gemm.ts: the matrix product every dense layer is made of.
// Plain loops, float64 sums; arrays instead of WASM pointers, strides in elements (not bytes).
//
//   C[m×n]  (= or +=)  A(m×k) · B[k×n]      A(i, p) = a[i·ars + p·acs],  B[p, j] = b[p·ldb + j],  C[i, j] = c[i·ldc + j]
//
// Reading A through two strides lets one routine serve the three products of a dense layer y = x·W + b:
//   forward   Y  = X · W      (A = X:  ars = in,  acs = 1)
//   dW        dW = Xᵀ · dZ    (A = Xᵀ: ars = 1,   acs = in — the transpose is only a change of strides)
//   dX        dX = dZ · Wᵀ    (B = Wᵀ, packed by transpose())

type Out = { [i: number]: number; readonly length: number };

export function gemm(m: number, n: number, k: number, a: ArrayLike<number>, ars: number, acs: number,
                     b: ArrayLike<number>, ldb: number, c: Out, ldc: number, accumulate: boolean): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0; // float64
      for (let p = 0; p < k; p++) s += a[i * ars + p * acs] * b[p * ldb + j];
      c[i * ldc + j] = accumulate ? c[i * ldc + j] + s : s;
    }
  }
}

/** C = A·B, A [m×k], B [k×n] (dense row-major). */
export function matmul(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  gemm(m, n, k, a, k, 1, b, n, c, n, false);
  return c;
}

/** C = Aᵀ·B, A [k×m] (so Aᵀ is [m×k]), B [k×n]. The weight gradient dW = Xᵀ·dZ. */
export function matmulTransA(a: ArrayLike<number>, b: ArrayLike<number>, k: number, m: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  gemm(m, n, k, a, 1, m, b, n, c, n, false);
  return c;
}

/** C = A·Bᵀ, A [m×k], B [n×k] (so Bᵀ is [k×n]). The input gradient dX = dZ·Wᵀ. */
export function matmulTransB(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number): Float64Array {
  return matmul(a, transpose(b, n, k), m, k, n);
}

/** dst[cols×rows] = srcᵀ, src [rows×cols]. */
export function transpose(src: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const t = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = src[r * cols + c];
  return t;
}

/** Σ over the rows of a dense [m×n] matrix → [n]. */
export function columnSums(a: ArrayLike<number>, m: number, n: number): Float64Array {
  const out = new Float64Array(n);
  colsum(a, n, m, n, out, false);
  return out;
}

/** dst[j] (= or +=) Σ_i src[i·ld + j] over m rows: the bias gradient db = Σ_rows dZ. */
export function colsum(src: ArrayLike<number>, ld: number, m: number, n: number, dst: Out, accumulate: boolean): void {
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < m; i++) s += src[i * ld + j];
    dst[j] = accumulate ? dst[j] + s : s;
  }
}
