// Mlp: a thin handle over an MLP that lives in WASM memory. Parameters, gradients, activations and the
// layer table are allocated once in the engine's arena; forward and backward are one WASM call each
// (assembly/mlp.ts). Activation buffers hold `capacity` rows and grow only when a larger batch arrives.
// Mlp.memoryBytes(opts) is the arena space a net takes, computed from the same allocation list the
// constructor allocates from.
import { ACTIVATION_CODES, type Activation } from '../engine/abi.js';
import { LayerField as F, LAYER_RECORD_WORDS, LAYER_TABLE_HEADER_WORDS } from '../engine/layer-record.js';
import { arenaBytes, type Runtime } from '../engine/runtime.js';
import { checkFinite, checkLength, checkOptions, checkPositiveInt, fail } from '../errors.js';
import { initParams } from './init.js';
import { planLayers, type JoinSpec, type LayerLayout } from './layout.js';

export interface MlpOptions {
  /** [input, hidden..., output] widths. */
  sizes: number[];
  hidden?: 'relu' | 'tanh';
  output?: 'identity' | 'tanh';
  /** Seed of the initial weights (seedrandom); default 0. */
  seed?: number;
  /** Final layer init bound: W, b ~ U(−s, s). Default 3e−3 (the DDPG paper's). */
  finalInitScale?: number;
  /** A second input that joins at a hidden layer (the DDPG paper's critic: the action at layer 1). */
  join?: JoinSpec;
  /** Rows to allocate activation buffers for up front (default 1; grows on demand). */
  maxBatch?: number;
}

export interface BackwardOptions {
  /** Compute dW, db (default true). */
  paramGrads?: boolean;
  /** Compute and return ∂L/∂x for the network input (default true). */
  inputGrad?: boolean;
  /** Add to the gradients already stored instead of overwriting them (default false). */
  accumulate?: boolean;
}

const EMPTY = new Float32Array(0);
const NO_OPTIONS: BackwardOptions = Object.freeze({});
const BACKWARD_KEYS = ['paramGrads', 'inputGrad', 'accumulate'] as const;
type ViewKey = 'out' | 'dx' | 'dxCopy' | 'joinGrad';

export class Mlp {
  readonly sizes: readonly number[];
  readonly layers: readonly LayerLayout[];
  readonly join: JoinSpec | undefined;
  readonly paramCount: number;
  readonly inputSize: number;
  readonly outputSize: number;
  /** Byte offsets of the flat parameter and gradient vectors in WASM memory. */
  readonly paramsPtr: number;
  readonly gradsPtr: number;

  private readonly rt: Runtime;
  private readonly desc: number;
  private readonly wtPtr: number;
  private capacity = 0;
  private xPtr: number[] = [];
  private dxPtr: number[] = [];
  private outPtr = 0;
  private doutPtr = 0;
  private lastBatch = 0;
  private dxCopy = EMPTY;
  private joinGradCopy = EMPTY;
  private views: Partial<Record<ViewKey, Float32Array>> = {};
  private viewsGeneration = -1;

  constructor(rt: Runtime, opts: MlpOptions) {
    const { plan, seed, finalScale, maxBatch } = checkMlpOptions(opts);
    this.rt = rt;
    this.sizes = [...opts.sizes];
    this.layers = plan.layers;
    this.join = opts.join ? { ...opts.join } : undefined;
    this.paramCount = plan.paramCount;
    this.inputSize = opts.sizes[0];
    this.outputSize = opts.sizes[opts.sizes.length - 1];
    [this.paramsPtr, this.gradsPtr, this.desc, this.wtPtr] = fixedAllocations(plan).map((floats) => rt.alloc(floats));
    initParams(this.paramsView(), this.layers, seed, finalScale);
    this.ensureCapacity(maxBatch);
  }

  /** Bytes of engine memory a net with these options takes (parameters, gradients, layer table, scratch and
   *  activation buffers for maxBatch rows), exactly what the constructor allocates. */
  static memoryBytes(opts: MlpOptions): number {
    const { plan, maxBatch } = checkMlpOptions(opts);
    const floats = [...fixedAllocations(plan), ...batchAllocations(plan.layers, maxBatch)];
    return floats.reduce((sum, n) => sum + arenaBytes(n), 0);
  }

  /** y = f(… f(x·W₀ + b₀) …), row-major [batch × out]. `joinInput` [batch × join.size] when the net has a join.
   *  The returned array is a view into engine memory, overwritten by the next forward: copy it to keep it. */
  forward(x: ArrayLike<number>, batch: number, joinInput?: ArrayLike<number>): Float32Array {
    // Validation is complete but cheap: the messages are only built when a check fails (hot path: no
    // allocation); checkFinite is one pass that builds its message only when it finds a bad entry.
    if (!(Number.isInteger(batch) && batch > 0)) checkPositiveInt(batch, 'batch');
    if (x?.length !== batch * this.inputSize) checkLength(x, batch * this.inputSize, 'forward input x', `batch ${batch} × input size ${this.inputSize}`);
    checkFinite(x, 'forward input x', this.inputSize);
    if (this.join) {
      if (joinInput === undefined) fail(`this net takes a second input at layer ${this.join.layer}: pass forward(x, batch, joinInput)`);
      if (joinInput?.length !== batch * this.join.size) checkLength(joinInput, batch * this.join.size, 'forward joinInput', `batch ${batch} × join size ${this.join.size}`);
      checkFinite(joinInput, 'forward joinInput', this.join.size);
    } else if (joinInput !== undefined) {
      fail('forward got a joinInput but this net has no join (create it with { join: { layer, size } })');
    }
    this.ensureCapacity(batch);
    const f32 = this.rt.f32;
    writeRows(f32, this.xPtr[0] >>> 2, this.layers[0].in, x, this.inputSize, batch);
    if (this.join && joinInput) {
      const l = this.join.layer;
      writeRows(f32, (this.xPtr[l] >>> 2) + this.sizes[l], this.layers[l].in, joinInput, this.join.size, batch);
    }
    this.rt.wasm.mlpForward(this.desc, batch);
    this.lastBatch = batch;
    return this.cachedView('out', this.outPtr, batch * this.outputSize);
  }

  /** Back-propagates dy = ∂L/∂y [batch × out] through the last forward. Sets the parameter gradients
   *  (see getGrads) and returns ∂L/∂x [batch × in] (a view, overwritten by the next backward). */
  backward(dy: ArrayLike<number>, opts: BackwardOptions = NO_OPTIONS): Float32Array {
    if (opts !== NO_OPTIONS) checkOptions(opts, 'backward(dy, opts): opts', BACKWARD_KEYS);
    const batch = this.lastBatch;
    if (batch === 0) fail('backward() needs a forward() first: it differentiates the last forward pass');
    if (dy?.length !== batch * this.outputSize) checkLength(dy, batch * this.outputSize, 'backward dy', `batch ${batch} × output size ${this.outputSize}`);
    checkFinite(dy, 'backward dy', this.outputSize);
    const paramGrads = opts.paramGrads ?? true;
    const inputGrad = opts.inputGrad ?? true;
    const accumulate = opts.accumulate ?? false;
    this.rt.f32.set(dy, this.doutPtr >>> 2);
    const stop = paramGrads || inputGrad || !this.join ? 0 : this.join.layer;
    const wantDx = inputGrad || (this.join !== undefined && this.join.layer === stop);
    this.rt.wasm.mlpBackward(this.desc, batch, +paramGrads, +accumulate, stop, +wantDx);
    if (!inputGrad) return EMPTY;
    const in0 = this.layers[0].in;
    if (in0 === this.inputSize) return this.cachedView('dx', this.dxPtr[0], batch * in0);
    readRows(this.rt.f32, this.dxPtr[0] >>> 2, in0, this.dxCopy, this.inputSize, batch);
    return this.cachedSub('dxCopy', this.dxCopy, batch * this.inputSize);
  }

  /** ∂L/∂(join input) [batch × join.size] from the last backward (DDPG's ∇ₐQ for the paper's critic). */
  joinGrad(): Float32Array {
    if (!this.join) fail('joinGrad(): this net has no join input');
    const l = this.join.layer;
    const batch = this.lastBatch;
    readRows(this.rt.f32, (this.dxPtr[l] >>> 2) + this.sizes[l], this.layers[l].in, this.joinGradCopy, this.join.size, batch);
    return this.cachedSub('joinGrad', this.joinGradCopy, batch * this.join.size);
  }

  getParams(): Float32Array { return this.paramsView().slice(); }
  getGrads(): Float32Array { return this.gradsView().slice(); }

  setParams(p: ArrayLike<number>): void {
    checkLength(p, this.paramCount, 'setParams', `paramCount of sizes ${JSON.stringify(this.sizes)}`);
    checkFinite(p, 'setParams');
    this.paramsView().set(p);
  }

  /** Live views of the parameters / gradients in engine memory (no copy; invalid after memory grows). */
  paramsView(): Float32Array { return this.rt.view(this.paramsPtr, this.paramCount); }
  gradsView(): Float32Array { return this.rt.view(this.gradsPtr, this.paramCount); }

  /** Same sizes, activations and join: parameters can be copied between the two nets. */
  sameShape(other: Mlp): boolean {
    if (other.paramCount !== this.paramCount || other.layers.length !== this.layers.length) return false;
    for (let i = 0; i < this.layers.length; i++) { // a loop, not every(): no closure per Polyak update
      const l = this.layers[i], o = other.layers[i];
      if (o.in !== l.in || o.out !== l.out || o.act !== l.act || o.wOffset !== l.wOffset || o.bOffset !== l.bOffset) return false;
    }
    return true;
  }

  private ensureCapacity(batch: number): void {
    if (batch <= this.capacity) return;
    const L = this.layers.length;
    const ptrs = batchAllocations(this.layers, batch).map((floats) => this.rt.alloc(floats));
    this.xPtr = ptrs.slice(0, L);
    this.dxPtr = ptrs.slice(L, 2 * L);
    [this.outPtr, this.doutPtr] = ptrs.slice(2 * L);
    this.dxCopy = new Float32Array(batch * this.inputSize);
    this.joinGradCopy = new Float32Array(batch * (this.join?.size ?? 0));
    this.capacity = batch;
    this.views = {};
    this.writeDescriptor();
  }

  /** The layer table assembly/mlp.ts walks, in the format of src/engine/layer-record.ts. */
  private writeDescriptor(): void {
    const i32 = this.rt.i32;
    const base = this.desc >>> 2;
    const L = this.layers.length;
    i32[base] = L;
    this.layers.forEach((layer, l) => {
      const r = base + LAYER_TABLE_HEADER_WORDS + l * LAYER_RECORD_WORDS;
      const last = l === L - 1;
      i32[r + F.In] = layer.in;
      i32[r + F.Out] = layer.out;
      i32[r + F.Act] = ACTIVATION_CODES[layer.act];
      i32[r + F.W] = this.paramsPtr + 4 * layer.wOffset;
      i32[r + F.B] = this.paramsPtr + 4 * layer.bOffset;
      i32[r + F.DW] = this.gradsPtr + 4 * layer.wOffset;
      i32[r + F.DB] = this.gradsPtr + 4 * layer.bOffset;
      i32[r + F.X] = this.xPtr[l];
      i32[r + F.Y] = last ? this.outPtr : this.xPtr[l + 1];
      i32[r + F.LdY] = last ? layer.out : this.layers[l + 1].in;
      i32[r + F.DX] = this.dxPtr[l];
      i32[r + F.DY] = last ? this.doutPtr : this.dxPtr[l + 1];
      i32[r + F.Wt] = this.wtPtr;
    });
  }

  // Returned arrays are cached so steady-state calls allocate nothing.
  private cachedView(key: ViewKey, ptr: number, length: number): Float32Array {
    if (this.viewsGeneration !== this.rt.generation) { this.views = {}; this.viewsGeneration = this.rt.generation; }
    let v = this.views[key];
    if (!v || v.length !== length || v.byteOffset !== ptr) { v = this.rt.view(ptr, length); this.views[key] = v; }
    return v;
  }

  private cachedSub(key: ViewKey, array: Float32Array, length: number): Float32Array {
    let v = this.views[key];
    if (!v || v.length !== length || v.buffer !== array.buffer) { v = array.subarray(0, length); this.views[key] = v; }
    return v;
  }
}

function checkMlpOptions(opts: MlpOptions) {
  if (!opts || typeof opts !== 'object') fail('mlp options must be an object like { sizes: [3, 64, 1] }');
  const hidden = opts.hidden ?? 'relu';
  const output = opts.output ?? 'identity';
  if (hidden !== 'relu' && hidden !== 'tanh') fail(`unknown hidden activation '${String(hidden)}', expected 'relu' or 'tanh'`);
  if (output !== 'identity' && output !== 'tanh') fail(`unknown output activation '${String(output)}', expected 'identity' or 'tanh'`);
  const plan = planLayers(opts.sizes, hidden as Activation, output as Activation, opts.join);
  const finalScale = opts.finalInitScale ?? 3e-3;
  if (!(typeof finalScale === 'number' && finalScale > 0 && Number.isFinite(finalScale))) fail(`finalInitScale must be a positive number, got ${String(finalScale)}`);
  const seed = opts.seed ?? 0;
  if (!(typeof seed === 'number' && Number.isFinite(seed))) fail(`seed must be a finite number, got ${String(seed)}`);
  const maxBatch = checkPositiveInt(opts.maxBatch ?? 1, 'maxBatch');
  return { plan, seed, finalScale, maxBatch };
}

/** Floats of the allocations made once: parameters, gradients, the layer table, the Wᵀ scratch. */
function fixedAllocations(plan: { layers: readonly LayerLayout[]; paramCount: number }): number[] {
  const L = plan.layers.length;
  return [plan.paramCount, plan.paramCount, LAYER_TABLE_HEADER_WORDS + LAYER_RECORD_WORDS * L,
    Math.max(...plan.layers.map((l) => l.in * l.out))];
}

/** Floats of the activation buffers for `batch` rows: X of every layer, dX of every layer, output, dOutput. */
function batchAllocations(layers: readonly LayerLayout[], batch: number): number[] {
  const out = layers[layers.length - 1].out;
  return [...layers.map((l) => batch * l.in), ...layers.map((l) => batch * l.in), batch * out, batch * out];
}

/** Copies rows of width `cols` from a dense source into engine memory rows of stride `ld`, from word `dst`. */
function writeRows(f32: Float32Array, dst: number, ld: number, src: ArrayLike<number>, cols: number, rows: number): void {
  if (ld === cols && src instanceof Float32Array) { f32.set(src.length === rows * cols ? src : src.subarray(0, rows * cols), dst); return; }
  for (let i = 0; i < rows; i++) {
    const d = dst + i * ld, s = i * cols;
    for (let j = 0; j < cols; j++) f32[d + j] = src[s + j];
  }
}

function readRows(f32: Float32Array, src: number, ld: number, dst: Float32Array, cols: number, rows: number): void {
  for (let i = 0; i < rows; i++) {
    const s = src + i * ld, d = i * cols;
    for (let j = 0; j < cols; j++) dst[d + j] = f32[s + j];
  }
}
