// gradcheck: the engine's analytic gradients against central finite differences in float64.
//
// The scalar loss checked is L = Σ_{b,j} R[b,j] · y[b,j] for a fixed random R [batch × out], so ∂L/∂y = R
// (a random upstream gradient exercises every output; a plain sum could hide sign errors that cancel).
//   analytic  the engine: net.forward(x), net.backward(R) → ∂L/∂θ (getGrads), ∂L/∂x, ∂L/∂(join input)
//   numeric   ∂L/∂θᵢ ≈ (L(θ + ε·eᵢ) − L(θ − ε·eᵢ)) / 2ε, L computed by the float64 reference MLP
//             (src/reference/mlp.ts) on the net's own parameters; the same for every entry of x and the join input.
// Central differences are exact up to O(ε²) for smooth functions; in float64 with ε = 1e−6 the error is far
// below the float32 rounding of the analytic side. (relu has a kink at 0: an entry whose pre-activation lies
// within ε of 0 can disagree; move x or the weights a little.)
//
// Relative error of one entry: |a − n| / max(|a|, |n|, floor · s), s = the largest |n| in its group (a layer's
// W and b, the input, the join input). The floor keeps entries that are tiny next to their group — where
// float32 rounding dominates — from reporting huge relative errors.
import type { Mlp } from './nn/mlp.js';
import { mlpForward, type MlpSpec } from './reference/mlp.js';
import { fail } from './errors.js';
import seedrandom from 'seedrandom';

/** What gradcheck needs from a network (an engine Mlp has all of it). */
export type GradcheckNet = Pick<Mlp, 'sizes' | 'layers' | 'join' | 'inputSize' | 'outputSize' | 'paramCount'
  | 'getParams' | 'getGrads' | 'forward' | 'backward' | 'joinGrad'>;

export interface GradcheckOptions {
  /** Finite-difference step (default 1e−6). */
  eps?: number;
  /** Largest relative error accepted (default 1e−3). */
  tol?: number;
  /** The second input [batch × join.size] for a net with a join. */
  joinInput?: ArrayLike<number>;
  /** Rows of x (default x.length / inputSize). */
  batch?: number;
  /** ∂L/∂y [batch × out]; default uniform in [−1, 1] from `seed`. */
  upstream?: ArrayLike<number>;
  seed?: number;
  /** Relative floor of the error's denominator (default 1e−3, see above). */
  floor?: number;
  /** Worst entries listed per group (default 3). */
  worst?: number;
}

export interface GradEntry {
  /** Flat index: into the parameter vector for layers, into x / joinInput for inputs. */
  index: number;
  /** e.g. W1[2,0], b1[3], x[0,2], join[1,0]. */
  name: string;
  analytic: number;
  numeric: number;
  relError: number;
}

export interface GradGroup {
  ok: boolean;
  maxRelError: number;
  /** Entries compared and entries over tol. */
  count: number;
  failures: number;
  /** The entries with the largest relative errors, worst first. */
  worst: GradEntry[];
}

export interface LayerGradReport extends GradGroup {
  layer: number;
  /** W [in×out] + b [out], activation. */
  shape: string;
}

export interface GradcheckReport {
  ok: boolean;
  maxRelError: number;
  tol: number;
  eps: number;
  batch: number;
  layers: LayerGradReport[];
  input: GradGroup;
  join?: GradGroup;
}

export function gradcheck(net: GradcheckNet, x: ArrayLike<number>, opts: GradcheckOptions = {}): GradcheckReport {
  const { eps = 1e-6, tol = 1e-3, floor = 1e-3, worst = 3, seed = 0 } = opts;
  const batch = opts.batch ?? x.length / net.inputSize;
  if (!Number.isInteger(batch) || batch <= 0) fail(`gradcheck: x has ${x.length} values, not a whole number of rows of ${net.inputSize}`);
  if (!(eps > 0) || !(tol > 0)) fail(`gradcheck: eps and tol must be positive, got eps ${eps}, tol ${tol}`);
  const join = opts.joinInput;
  if (net.join && !join) fail(`gradcheck: this net takes a second input at layer ${net.join.layer}; pass { joinInput }`);
  const R = opts.upstream ? Float64Array.from(opts.upstream) : randomUniform(batch * net.outputSize, seed);

  // Analytic: one forward and one backward through the engine.
  net.forward(x, batch, join);
  const analyticX = Float64Array.from(net.backward(R));
  const analyticJoin = net.join ? Float64Array.from(net.joinGrad()) : undefined;
  const analyticP = Float64Array.from(net.getGrads());

  // Numeric: the float64 reference forward of the same parameters.
  const spec = specOf(net);
  const params = Float64Array.from(net.getParams());
  const xs = Float64Array.from(x);
  const js = join ? Float64Array.from(join) : undefined;
  const loss = () => dot(mlpForward(spec, params, xs, batch, js).y, R);
  const numericP = centralDifferences(params, loss, eps);
  const numericX = centralDifferences(xs, loss, eps);
  const numericJ = js ? centralDifferences(js, loss, eps) : undefined;

  const compare = (a: Float64Array, n: Float64Array, from: number, to: number, name: (i: number) => string): GradGroup => {
    let scale = 0;
    for (let i = from; i < to; i++) scale = Math.max(scale, Math.abs(n[i]));
    const entries: GradEntry[] = [];
    for (let i = from; i < to; i++) {
      const diff = Math.abs(a[i] - n[i]);
      const relError = diff === 0 ? 0 : diff / Math.max(Math.abs(a[i]), Math.abs(n[i]), floor * scale, Number.MIN_VALUE);
      entries.push({ index: i, name: name(i), analytic: a[i], numeric: n[i], relError });
    }
    entries.sort((p, q) => q.relError - p.relError);
    const maxRelError = entries.length ? entries[0].relError : 0;
    return { ok: maxRelError <= tol, maxRelError, count: entries.length,
      failures: entries.filter((e) => e.relError > tol).length, worst: entries.slice(0, worst) };
  };

  const layers = net.layers.map((l, idx): LayerGradReport => ({
    layer: idx,
    shape: `W ${l.in}×${l.out} + b ${l.out}, ${l.act}`,
    ...compare(analyticP, numericP, l.wOffset, l.bOffset + l.out, (i) => i < l.bOffset
      ? `W${idx}[${Math.floor((i - l.wOffset) / l.out)},${(i - l.wOffset) % l.out}]` : `b${idx}[${i - l.bOffset}]`),
  }));
  const rowCol = (label: string, cols: number) => (i: number) => `${label}[${Math.floor(i / cols)},${i % cols}]`;
  const input = compare(analyticX, numericX, 0, xs.length, rowCol('x', net.inputSize));
  const joinGroup = analyticJoin && numericJ ? compare(analyticJoin, numericJ, 0, numericJ.length, rowCol('join', net.join!.size)) : undefined;
  const groups: GradGroup[] = [...layers, input, ...(joinGroup ? [joinGroup] : [])];
  const maxRelError = Math.max(...groups.map((g) => g.maxRelError));
  return { ok: groups.every((g) => g.ok), maxRelError, tol, eps, batch, layers, input, ...(joinGroup ? { join: joinGroup } : {}) };
}

/** The reference-MLP description of an engine net (sizes, activations, join). */
export function specOf(net: Pick<Mlp, 'sizes' | 'layers' | 'join'>): MlpSpec {
  const L = net.layers.length;
  return { sizes: [...net.sizes], hidden: L > 1 ? net.layers[0].act : 'relu', output: net.layers[L - 1].act,
    ...(net.join ? { join: { ...net.join } } : {}) };
}

/** ∂f/∂vᵢ ≈ (f(v + ε·eᵢ) − f(v − ε·eᵢ)) / 2ε for every i; v is restored. */
export function centralDifferences(v: Float64Array, f: () => number, eps: number): Float64Array {
  const g = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const keep = v[i];
    v[i] = keep + eps; const up = f();
    v[i] = keep - eps; const down = f();
    v[i] = keep;
    g[i] = (up - down) / (2 * eps);
  }
  return g;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function randomUniform(n: number, seed: number): Float64Array {
  const rng = seedrandom(`gradcheck-${seed}`);
  return Float64Array.from({ length: n }, () => 2 * rng() - 1);
}
