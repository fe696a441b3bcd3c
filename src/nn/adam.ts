// Adam over one network's flat parameter vector; the update itself is one WASM call (assembly/optim.ts).
// PyTorch semantics: bias-corrected, eps added to √v̂, optional coupled L2 weight decay g += wd·p.
import { arenaBytes, type Runtime } from '../engine/runtime.js';
import { checkFinite, checkObject, fail } from '../errors.js';
import type { Mlp } from './mlp.js';

export interface AdamOptions {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
}

export interface AdamState {
  t: number;
  m: Float32Array;
  v: Float32Array;
}

export class Adam {
  readonly net: Mlp;
  lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  /** Steps taken so far (the t of the bias corrections). */
  t = 0;
  private readonly rt: Runtime;
  private readonly mPtr: number;
  private readonly vPtr: number;

  constructor(rt: Runtime, net: Mlp, opts: AdamOptions) {
    if (!opts || typeof opts !== 'object') fail('adam options must be an object like { lr: 1e-3 }');
    const { lr, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 0 } = opts;
    if (!(typeof lr === 'number' && lr > 0 && Number.isFinite(lr))) fail(`adam lr must be a positive finite number, got ${String(lr)}`);
    if (!(beta1 >= 0 && beta1 < 1)) fail(`adam beta1 must be in [0, 1), got ${beta1}`);
    if (!(beta2 >= 0 && beta2 < 1)) fail(`adam beta2 must be in [0, 1), got ${beta2}`);
    if (!(eps > 0 && Number.isFinite(eps))) fail(`adam eps must be a positive finite number, got ${eps}`);
    if (!(weightDecay >= 0 && Number.isFinite(weightDecay))) fail(`adam weightDecay must be ≥ 0, got ${weightDecay}`);
    this.rt = rt;
    this.net = net;
    this.lr = lr;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
    this.mPtr = rt.alloc(net.paramCount);
    this.vPtr = rt.alloc(net.paramCount);
  }

  /** Bytes of engine memory the state of an Adam over `paramCount` parameters takes (m and v), exactly
   *  what the constructor allocates. */
  static memoryBytes(paramCount: number): number {
    return 2 * arenaBytes(paramCount);
  }

  /** One Adam step from the gradients currently stored in the net (set by net.backward). Returns true when
   *  every new parameter and moment is finite (checked as the kernel writes them: no extra pass). */
  step(): boolean {
    this.t += 1;
    const bc1 = 1 - Math.pow(this.beta1, this.t);
    const bc2 = 1 - Math.pow(this.beta2, this.t);
    return this.rt.wasm.adamStep(this.net.paramsPtr, this.net.gradsPtr, this.mPtr, this.vPtr, this.net.paramCount,
      this.lr, this.beta1, this.beta2, this.eps, this.weightDecay, bc1, bc2) === 0;
  }

  getState(): AdamState {
    const n = this.net.paramCount;
    return { t: this.t, m: this.rt.view(this.mPtr, n).slice(), v: this.rt.view(this.vPtr, n).slice() };
  }

  setState(state: AdamState): void {
    checkObject(state, 'adam state');
    const n = this.net.paramCount;
    if (!Number.isInteger(state.t) || state.t < 0) fail(`adam state t must be a non-negative integer, got ${state.t}`);
    if (state.m?.length !== n || state.v?.length !== n) fail(`adam state has m/v of length ${state.m?.length}/${state.v?.length}, expected ${n}`);
    checkFinite(state.m, 'adam state m');
    checkFinite(state.v, 'adam state v');
    for (let i = 0; i < n; i++) if (!(state.v[i] >= 0)) fail(`adam state v holds ${state.v[i]} at index ${i}; a second moment must be ≥ 0`);
    this.t = state.t;
    this.rt.view(this.mPtr, n).set(state.m);
    this.rt.view(this.vPtr, n).set(state.v);
  }
}
