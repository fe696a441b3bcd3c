// Float64 reference implementations for tests: plain loops, written from the formulas, sharing no code
// with the engine. Parameters use the engine's documented flat layout (per layer: W [in×out], then b).
import seedrandom from 'seedrandom';

export type Act = 'identity' | 'relu' | 'tanh';

export interface RefNet {
  sizes: number[];
  hidden: Act;
  output: Act;
  join?: { layer: number; size: number };
}

export function act(a: Act, z: number): number {
  return a === 'relu' ? Math.max(0, z) : a === 'tanh' ? Math.tanh(z) : z;
}

/** Forward pass in float64; returns the output [batch × out]. */
export function refForward(net: RefNet, params: ArrayLike<number>, x: ArrayLike<number>, batch: number,
                           extra?: ArrayLike<number>): Float64Array {
  const L = net.sizes.length - 1;
  let h = Float64Array.from(x);
  let width = net.sizes[0];
  let off = 0;
  for (let l = 0; l < L; l++) {
    const joinSize = net.join && net.join.layer === l ? net.join.size : 0;
    const nIn = width + joinSize;
    const nOut = net.sizes[l + 1];
    const input = new Float64Array(batch * nIn);
    for (let i = 0; i < batch; i++) {
      for (let k = 0; k < width; k++) input[i * nIn + k] = h[i * width + k];
      for (let k = 0; k < joinSize; k++) input[i * nIn + width + k] = extra![i * joinSize + k];
    }
    const out = new Float64Array(batch * nOut);
    const a = l === L - 1 ? net.output : net.hidden;
    for (let i = 0; i < batch; i++) {
      for (let j = 0; j < nOut; j++) {
        let s = params[off + nIn * nOut + j];
        for (let k = 0; k < nIn; k++) s += input[i * nIn + k] * params[off + k * nOut + j];
        out[i * nOut + j] = act(a, s);
      }
    }
    off += nIn * nOut + nOut;
    h = out;
    width = nOut;
  }
  return h;
}

/** Scalar loss used for gradient checks: L = Σ y ⊙ R (so ∂L/∂y = R). */
export function weightedSum(y: ArrayLike<number>, r: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += y[i] * r[i];
  return s;
}

/** Central finite differences of f at v (float64), every coordinate. */
export function finiteDiff(f: (v: Float64Array) => number, v: ArrayLike<number>, eps = 1e-6): Float64Array {
  const p = Float64Array.from(v);
  const g = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) {
    const keep = p[i];
    p[i] = keep + eps; const up = f(p);
    p[i] = keep - eps; const down = f(p);
    p[i] = keep;
    g[i] = (up - down) / (2 * eps);
  }
  return g;
}

/** max |a − b| / max(max|b|, floor): one relative error for a whole array. */
export function relError(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-6): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let diff = 0, scale = floor;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}

export function randomArray(n: number, seed: string, lo = -1, hi = 1): Float32Array {
  const rng = seedrandom(seed);
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = lo + (hi - lo) * rng();
  return a;
}

/** C = A·B in float64, A [m×k], B [k×n], row-major. */
export function matmul64(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let p = 0; p < k; p++) s += a[i * k + p] * b[p * n + j];
    c[i * n + j] = s;
  }
  return c;
}

export function transpose64(a: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const t = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = a[i * cols + j];
  return t;
}
