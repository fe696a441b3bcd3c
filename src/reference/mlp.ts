// Scalar reference of assembly/mlp.ts (mlpForward, mlpBackward): an MLP forward pass that keeps its
// tape, and the reverse pass over that tape. Float64 throughout; parameters in the engine's flat layout
// (src/nn/layout.ts: per layer W_l [in_l × out_l] row-major, then b_l [out_l]).
//
// Shapes, batch B, layer l = 0 … L−1:
//   X_l [B × in_l]   the layer input: X_0 = x, X_l = H_{l−1}; if a second input E [B × e] joins at layer j,
//                    X_j = [H_{j−1}, E] (columns side by side) and in_j = sizes[j] + e
//   Z_l = X_l·W_l + b_l [B × out_l],   H_l = f_l(Z_l),   y = H_{L−1}
// Backward from dy = ∂L/∂y, for l = L−1 … 0:
//   dZ_l = dH_l ⊙ f_l′          dW_l = X_lᵀ·dZ_l          db_l = Σ_rows dZ_l          dX_l = dZ_l·W_lᵀ
//   then split dX_l like X_l: its first sizes[l] columns are dH_{l−1}; at the join layer the rest are dE.
import { planLayers, type LayerLayout } from '../nn/layout.js';
import { activate, derivativeFromOutput, type Activation } from './activations.js';
import { columnSums, matmul, matmulTransA, matmulTransB } from './gemm.js';

export interface MlpSpec {
  /** [input, hidden…, output] widths. */
  sizes: readonly number[];
  hidden?: Activation;
  output?: Activation;
  /** A second input of width `size` concatenated to the input of weight layer `layer`. */
  join?: { layer: number; size: number };
}

export interface Tape {
  batch: number;
  /** X_l [B × in_l] per layer (with the join columns where there is a join). */
  inputs: Float64Array[];
  /** H_l [B × out_l] per layer; the last one is the network output. */
  outputs: Float64Array[];
}

export interface MlpGrads {
  /** ∂L/∂θ in the flat parameter layout. */
  params: Float64Array;
  /** ∂L/∂x [B × sizes[0]]. */
  input: Float64Array;
  /** ∂L/∂E [B × join.size] when the net has a join. */
  join?: Float64Array;
}

/** Per-layer shapes and offsets (the same planLayers the engine uses, so the layouts cannot drift). */
export function layersOf(spec: MlpSpec): LayerLayout[] {
  return planLayers(spec.sizes, spec.hidden ?? 'relu', spec.output ?? 'identity', spec.join).layers;
}

export function paramCountOf(spec: MlpSpec): number {
  return planLayers(spec.sizes, spec.hidden ?? 'relu', spec.output ?? 'identity', spec.join).paramCount;
}

/** [A | B]: rows of A [B × a] followed by rows of B [B × b] → [B × (a + b)]. */
export function concatColumns(a: ArrayLike<number>, wa: number, b: ArrayLike<number>, wb: number, rows: number): Float64Array {
  const out = new Float64Array(rows * (wa + wb));
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < wa; j++) out[i * (wa + wb) + j] = a[i * wa + j];
    for (let j = 0; j < wb; j++) out[i * (wa + wb) + wa + j] = b[i * wb + j];
  }
  return out;
}

/** The inverse of concatColumns: columns [from, from + width) of an [rows × cols] matrix. */
export function sliceColumns(a: ArrayLike<number>, cols: number, from: number, width: number, rows: number): Float64Array {
  const out = new Float64Array(rows * width);
  for (let i = 0; i < rows; i++) for (let j = 0; j < width; j++) out[i * width + j] = a[i * cols + from + j];
  return out;
}

export function mlpForward(spec: MlpSpec, params: ArrayLike<number>, x: ArrayLike<number>, batch: number,
                           joinInput?: ArrayLike<number>): { y: Float64Array; tape: Tape } {
  const layers = layersOf(spec);
  if (x.length !== batch * spec.sizes[0]) throw new Error(`mlpForward: x has ${x.length} values, expected ${batch}×${spec.sizes[0]}`);
  if (spec.join && joinInput?.length !== batch * spec.join.size) throw new Error(`mlpForward: joinInput must have ${batch}×${spec.join.size} values`);
  const inputs: Float64Array[] = [], outputs: Float64Array[] = [];
  let h: Float64Array = Float64Array.from(x);
  layers.forEach((layer, l) => {
    // X_l = H_{l−1}, or [H_{l−1}, E] at the join layer.
    const X = spec.join?.layer === l ? concatColumns(h, spec.sizes[l], joinInput!, spec.join.size, batch) : h;
    const W = slice(params, layer.wOffset, layer.in * layer.out);
    const b = slice(params, layer.bOffset, layer.out);
    const Z = matmul(X, W, batch, layer.in, layer.out); // Z = X·W …
    const H = Z.map((z, i) => activate(layer.act, z + b[i % layer.out])); // … + b, then f
    inputs.push(X);
    outputs.push(H);
    h = H;
  });
  return { y: h, tape: { batch, inputs, outputs } };
}

export function mlpBackward(spec: MlpSpec, params: ArrayLike<number>, tape: Tape, dy: ArrayLike<number>): MlpGrads {
  const layers = layersOf(spec);
  const B = tape.batch;
  const grads = new Float64Array(paramCountOf(spec));
  let dH: Float64Array = Float64Array.from(dy); // ∂L/∂H_l, starting at the output
  let join: Float64Array | undefined;
  for (let l = layers.length - 1; l >= 0; l--) {
    const layer = layers[l];
    const H = tape.outputs[l], X = tape.inputs[l];
    const dZ = dH.map((d, i) => d * derivativeFromOutput(layer.act, H[i])); // dZ = dH ⊙ f′
    grads.set(matmulTransA(X, dZ, B, layer.in, layer.out), layer.wOffset); // dW = Xᵀ·dZ   [in × out]
    grads.set(columnSums(dZ, B, layer.out), layer.bOffset); // db = Σ_rows dZ  [out]
    const W = slice(params, layer.wOffset, layer.in * layer.out);
    const dX = matmulTransB(dZ, W, B, layer.out, layer.in); // dX = dZ·Wᵀ   [B × in]
    if (spec.join?.layer === l) join = sliceColumns(dX, layer.in, spec.sizes[l], spec.join.size, B);
    dH = sliceColumns(dX, layer.in, 0, spec.sizes[l], B); // the part that flows into the previous layer
  }
  return { params: grads, input: dH, join };
}

function slice(a: ArrayLike<number>, from: number, length: number): Float64Array {
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = a[from + i];
  return out;
}
