// Engine: the loaded .wasm and its memory arena (src/engine/) composed with what lives in it — the
// factories for Mlp and Adam, target-network updates and the MSE loss. It lives in nn/ so that the
// arrows run one way: nn builds on engine/, which knows nothing of networks.
import { checkFinite, checkLength, checkOptions, fail } from '../errors.js';
import { defaultEngineUrl, hostHasSimd, instantiateEngine, instantiateThreadedEngine, type WasmSource } from '../engine/load.js';
import { Runtime } from '../engine/runtime.js';
import { MAX_THREADS } from '../engine/thread-control.js';
import {
  DEFAULT_TUNING, EngineThreads, guardedExports, I32_MAX, threadsUnavailable, TUNING_RANGES, type ThreadedExports, type ThreadTuning,
} from '../engine/threads.js';
import { chooseKernels, currentKernels, parseKernelsOption, type KernelInfo, type KernelsOption } from '../engine/kernels.js';
import { Adam, type AdamOptions } from './adam.js';
import { Mlp, type MlpOptions } from './mlp.js';

export class Engine {
  readonly runtime: Runtime;
  /** Whether this engine is the build with WebAssembly SIMD (build/engine.wasm) or without (engine-scalar.wasm). */
  readonly simd: boolean;
  /** Threads this engine computes on (1: the calling thread alone; see loadEngine's `threads`). */
  readonly threads: number;
  private readonly pool: EngineThreads | undefined;
  private mseScratch = { ptr: 0, n: 0 };
  private readonly kernels: KernelInfo;

  /** `kernels`: the GEMM variants chosen for this engine's instance (loadEngine chooses them; without, the
   *  instance keeps what it runs, chosenBy 'default'). `pool`: its worker threads, for a threaded engine. */
  constructor(runtime: Runtime, kernels?: KernelInfo, pool?: EngineThreads) {
    this.runtime = runtime;
    this.simd = runtime.wasm.simd() === 1;
    this.kernels = kernels ?? currentKernels(runtime.wasm);
    this.pool = pool;
    this.threads = pool?.count ?? 1;
  }

  /** Which GEMM micro-kernel variant each form (forward X·W, dx dZ·Wᵀ, dw Xᵀ·dZ) runs — on every thread of a
   *  threaded engine —, how it was chosen, the calibration's time and per-variant timings. Every variant gives
   *  the same bits. */
  kernelInfo(): KernelInfo {
    return structuredClone(this.kernels);
  }

  /** Jobs the engine has split across its threads so far (0 with one thread). */
  get splitJobs(): number {
    return this.pool?.splitJobs ?? 0;
  }

  /** Parts those jobs were cut into (1 to threadTuning.partsPerThread per thread, by size). */
  get splitParts(): number {
    return this.pool?.splitParts ?? 0;
  }

  /** Parts of those jobs that worker threads computed (the calling thread takes any part no worker claimed). */
  get workerParts(): number {
    return this.pool?.workerParts ?? 0;
  }

  /** Ends the engine's worker threads (a no-op with one thread); the engine cannot compute afterwards.
   *  Not needed before the process exits: the workers do not keep it alive. */
  async close(): Promise<void> {
    await this.pool?.close();
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
  /** Threads to compute on, the calling thread included (default 1, or DDPG_WASM_THREADS in Node). Above 1
   *  the threaded build runs, bit-identical to one thread; where the host cannot (no SharedArrayBuffer, a
   *  page that is not cross-origin isolated, no SIMD) one thread runs and a one-line notice says why. */
  threads?: number;
  /** What is split across threads, and spinning before sleep (defaults: DEFAULT_TUNING, measured). */
  threadTuning?: Partial<ThreadTuning>;
  /** Where the threaded build is (a URL, path, bytes or Module; default build/engine-threads.wasm beside the
   *  package): a bundled page serves it next to its scripts. Used only when threads > 1 can run. */
  threadedWasm?: WasmSource;
  /** The GEMM micro-kernel variants: 'auto' (default: a calibration of a few tens of ms at load picks the
   *  fastest per form on this machine), one of '4x8', '4x8p', '2x16p', '4x8p-lanes' for every form, or per
   *  form { forward, dx, dw }. Every variant gives the same bits. The build without SIMD has one ('scalar'):
   *  there a named variant is accepted and changes nothing. See engine.kernelInfo(). */
  kernels?: KernelsOption;
}

/** Loads the engine: the build shipped in build/ (Node: file, browser: fetch) chosen by `options.simd` and
 *  `options.threads`, or the .wasm at a URL or path, or from bytes (then `options` may give `kernels`). */
export async function loadEngine(source?: WasmSource | EngineOptions, options?: Pick<EngineOptions, 'kernels'>): Promise<Engine> {
  let threads = 1, tuning = DEFAULT_TUNING, kernels: unknown;
  if (source === undefined) source = {};
  if (isEngineOptions(source)) {
    checkOptions(source, 'loadEngine(options)', ['simd', 'threads', 'threadTuning', 'threadedWasm', 'kernels']);
    kernels = source.kernels;
    const { simd } = source;
    if (simd !== undefined && typeof simd !== 'boolean') fail(`loadEngine({ simd }): simd must be true, false or left out, got ${JSON.stringify(simd)}`);
    if (simd === true && !hostHasSimd()) fail('loadEngine({ simd: true }): this WebAssembly host has no SIMD; leave simd out to get the build without it');
    threads = checkThreads(source.threads === undefined ? threadsFromEnvironment() : source.threads, source.threads === undefined ? 'DDPG_WASM_THREADS' : 'loadEngine({ threads })');
    tuning = checkTuning(source.threadTuning);
    const useSimd = simd ?? hostHasSimd();
    if (threads > 1) {
      const why = !useSimd ? 'the threaded engine is built with SIMD only' : threadsUnavailable();
      if (why === undefined) return loadThreaded(threads, tuning, source.threadedWasm, parseKernelsOption(kernels));
      console.warn(`ddpg-wasm: ${threads} threads asked for, running on 1: ${why}`);
    }
    source = defaultEngineUrl(useSimd);
  }
  if (options !== undefined) {
    checkOptions(options, 'loadEngine(source, options)', ['kernels']);
    if (kernels === undefined) kernels = options.kernels;
  }
  const request = parseKernelsOption(kernels);
  const runtime = new Runtime(await instantiateEngine(source));
  return new Engine(runtime, await chooseKernels(runtime, request));
}

/** The threaded build: kernels calibrated on the calling thread before any worker starts (nothing is split
 *  yet), then the workers, each set to the same variants. */
async function loadThreaded(threads: number, tuning: ThreadTuning, wasm: WasmSource | undefined,
                            request: ReturnType<typeof parseKernelsOption>): Promise<Engine> {
  const { module, memory, exports } = await instantiateThreadedEngine(wasm);
  const runtime = new Runtime(exports);
  const kernels = await chooseKernels(runtime, request);
  const ids = [0, 1, 2].map((form) => exports.kernelOf(form)) as [number, number, number];
  const pool = await EngineThreads.start(module, memory, runtime, threads, tuning, ids);
  runtime.wasm = guardedExports(exports as ThreadedExports, pool); // the same instance, failures translated
  return new Engine(runtime, kernels, pool);
}

function threadsFromEnvironment(): unknown {
  const env = typeof process !== 'undefined' ? process.env?.DDPG_WASM_THREADS : undefined;
  return env === undefined || env === '' ? 1 : Number(env);
}

function checkThreads(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_THREADS) {
    fail(`${what}: threads must be an integer from 1 to ${MAX_THREADS}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function checkTuning(value: Partial<ThreadTuning> | undefined): ThreadTuning {
  checkOptions(value, 'loadEngine({ threadTuning })', Object.keys(DEFAULT_TUNING));
  const tuning = { ...DEFAULT_TUNING, ...value };
  for (const [key, v] of Object.entries(tuning)) {
    const [min, max] = TUNING_RANGES[key as keyof ThreadTuning];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      const maxText = max === I32_MAX ? '2^31 − 1' : String(max);
      fail(`loadEngine({ threadTuning }): ${key} must be an integer from ${min} to ${maxText}, got ${JSON.stringify(v)}`);
    }
  }
  return tuning;
}

/** A plain options object, as opposed to a WasmSource (string, URL, bytes, Module). */
export function isEngineOptions(x: unknown): x is EngineOptions {
  return typeof x === 'object' && x !== null && !(x instanceof URL) && !(x instanceof ArrayBuffer) &&
    !ArrayBuffer.isView(x) && !(x instanceof WebAssembly.Module) && !(x instanceof Engine);
}
