// Engine: the loaded .wasm and its memory arena (src/engine/) composed with what lives in it — the
// factories for Mlp and Adam, target-network updates and the MSE loss. It lives in nn/ so that the
// arrows run one way: nn builds on engine/, which knows nothing of networks.
import { checkFinite, checkLength, checkOptions, fail } from '../errors.js';
import { defaultEngineUrl, hostHasSimd, instantiateEngine, type WasmSource } from '../engine/load.js';
import { Runtime } from '../engine/runtime.js';
import { chooseKernels, currentKernels, parseKernelsOption, type KernelInfo, type KernelsOption } from '../engine/kernels.js';
import { Adam, type AdamOptions } from './adam.js';
import { Mlp, type MlpOptions } from './mlp.js';

export class Engine {
  readonly runtime: Runtime;
  /** Whether this engine is the build with WebAssembly SIMD (build/engine.wasm) or without (engine-scalar.wasm). */
  readonly simd: boolean;
  private mseScratch = { ptr: 0, n: 0 };
  private readonly kernels: KernelInfo;

  /** `kernels`: the GEMM variants chosen for this engine's instance (loadEngine chooses them; without, the
   *  instance keeps what it runs, chosenBy 'default'). */
  constructor(runtime: Runtime, kernels?: KernelInfo) {
    this.runtime = runtime;
    this.simd = runtime.wasm.simd() === 1;
    this.kernels = kernels ?? currentKernels(runtime.wasm);
  }

  /** Which GEMM micro-kernel variant each form (forward X·W, dx dZ·Wᵀ, dw Xᵀ·dZ) runs, how it was chosen,
   *  the calibration's time and per-variant timings. Every variant gives the same bits. */
  kernelInfo(): KernelInfo {
    return structuredClone(this.kernels);
  }

  mlp(opts: MlpOptions): Mlp {
    return new Mlp(this.runtime, opts);
  }

  adam(net: Mlp, opts: AdamOptions): Adam {
    if (!(net instanceof Mlp)) fail('adam(net, opts): net must be an Mlp made by this engine');
    return new Adam(this.runtime, net, opts);
  }

  /** Soft target update, target ← τ·source + (1 − τ)·target, over all parameters. Returns true when every
   *  new target parameter is finite. */
  polyak(target: Mlp, source: Mlp, tau: number): boolean {
    if (!(typeof tau === 'number' && tau > 0 && tau <= 1)) fail(`polyak tau must be a number in (0, 1], got ${String(tau)}`);
    this.checkPair(target, source, 'polyak');
    return this.runtime.wasm.polyak(target.paramsPtr, source.paramsPtr, target.paramCount, tau) === 0;
  }

  /** Hard copy of all parameters: target ← source. */
  copyParams(target: Mlp, source: Mlp): void {
    this.checkPair(target, source, 'copyParams');
    this.runtime.wasm.copy(target.paramsPtr, source.paramsPtr, target.paramCount);
  }

  /** Mean squared error L = mean((pred − target)²); writes ∂L/∂pred into `grad` when given. */
  mseLoss(pred: ArrayLike<number>, target: ArrayLike<number>, grad?: Float32Array): number {
    if (typeof pred?.length !== 'number') fail('mseLoss(pred, target): pred must be an array of numbers');
    const n = pred.length;
    checkLength(target, n, 'mseLoss target', 'same length as pred');
    if (grad) checkLength(grad, n, 'mseLoss grad', 'same length as pred');
    checkFinite(pred, 'mseLoss pred');
    checkFinite(target, 'mseLoss target');
    if (this.mseScratch.n < n) {
      // Growing the arena can grow memory, which detaches views into it — pred may be one (net.forward's
      // output): copy the inputs out first.
      pred = Float32Array.from(pred);
      target = Float32Array.from(target);
      this.mseScratch = { ptr: this.runtime.alloc(3 * n), n };
    }
    const p = this.mseScratch.ptr, cap = this.mseScratch.n;
    const f32 = this.runtime.f32;
    f32.set(pred, p >>> 2);
    f32.set(target, (p >>> 2) + cap);
    const loss = this.runtime.wasm.mseLoss(p, p + 4 * cap, n, p + 8 * cap);
    if (grad) grad.set(this.runtime.f32.subarray((p >>> 2) + 2 * cap, (p >>> 2) + 2 * cap + n));
    return loss;
  }

  private checkPair(target: Mlp, source: Mlp, what: string): void {
    if (!(target instanceof Mlp) || !(source instanceof Mlp)) fail(`${what}(target, source): both must be Mlps made by this engine`);
    if (target === source) fail(`${what}: target and source are the same network`);
    if (!target.sameShape(source)) {
      fail(`${what}: networks differ in shape (${JSON.stringify(target.sizes)} vs ${JSON.stringify(source.sizes)})`);
    }
  }
}

export interface EngineOptions {
  /** true: the SIMD build (fails where WebAssembly lacks SIMD); false: the build without SIMD. Default: the
   *  SIMD build where the host has SIMD (WebAssembly.validate), else the other. Both give the same bits. */
  simd?: boolean;
  /** The GEMM micro-kernel variants: 'auto' (default: a calibration of a few tens of ms at load picks the
   *  fastest per form on this machine), one of '4x8', '4x8p', '2x16p', '4x8p-lanes' for every form, or per
   *  form { forward, dx, dw }. Every variant gives the same bits. The build without SIMD has one ('scalar'):
   *  there a named variant is accepted and changes nothing. See engine.kernelInfo(). */
  kernels?: KernelsOption;
}

/** Loads the engine: the build shipped in build/ (Node: file, browser: fetch) chosen by `options.simd`, or the
 *  .wasm at a URL or path, or from bytes (then `options` may give `kernels`). */
export async function loadEngine(source?: WasmSource | EngineOptions, options?: Pick<EngineOptions, 'kernels'>): Promise<Engine> {
  let kernels: unknown;
  if (isEngineOptions(source)) {
    checkOptions(source, 'loadEngine(options)', ['simd', 'kernels']);
    const { simd } = source;
    if (simd !== undefined && typeof simd !== 'boolean') fail(`loadEngine({ simd }): simd must be true, false or left out, got ${JSON.stringify(simd)}`);
    if (simd === true && !hostHasSimd()) fail('loadEngine({ simd: true }): this WebAssembly host has no SIMD; leave simd out to get the build without it');
    kernels = source.kernels;
    source = defaultEngineUrl(simd ?? hostHasSimd());
  }
  if (options !== undefined) {
    checkOptions(options, 'loadEngine(source, options)', ['kernels']);
    if (kernels === undefined) kernels = options.kernels;
  }
  const request = parseKernelsOption(kernels);
  const runtime = new Runtime(await instantiateEngine(source));
  return new Engine(runtime, await chooseKernels(runtime, request));
}

/** A plain options object, as opposed to a WasmSource (string, URL, bytes, Module). */
export function isEngineOptions(x: unknown): x is EngineOptions {
  return typeof x === 'object' && x !== null && !(x instanceof URL) && !(x instanceof ArrayBuffer) &&
    !ArrayBuffer.isView(x) && !(x instanceof WebAssembly.Module) && !(x instanceof Engine);
}
