// The functions exported by the engine's .wasm. Pointers are byte offsets into `memory`.

/** build/engine.wasm (assembly/index.ts): the MLP passes, optimizer and loss the library calls, and the single
 *  kernels the passes are made of (the engine's kernel ABI, checked one by one by the tests). */
export interface EngineExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  /** 1 in the SIMD build, 0 in the build without SIMD. */
  simd(): number;
  /** Returns 1 if a new parameter or moment is not finite, else 0. */
  adamStep(p: number, g: number, m: number, v: number, n: number, lr: number, beta1: number, beta2: number,
           eps: number, weightDecay: number, biasCorrection1: number, biasCorrection2: number): number;
  /** Returns 1 if a new target parameter is not finite, else 0. */
  polyak(target: number, source: number, n: number, tau: number): number;
  copy(target: number, source: number, n: number): void;
  mseLoss(q: number, y: number, n: number, grad: number): number;
  /** One forward / backward pass over the layer table at `desc` (src/engine/layer-record.ts). */
  mlpForward(desc: number, batch: number): void;
  mlpBackward(desc: number, batch: number, paramGrads: number, accumulate: number, stop: number, wantDx: number): void;
  gemm(m: number, n: number, k: number, a: number, ars: number, acs: number,
       b: number, ldb: number, c: number, ldc: number, accumulate: number): void;
  /** C = A·B + bias, then max(·, 0) when relu (a dense layer's forward); bias 0 = none. */
  gemmBiasRelu(m: number, n: number, k: number, a: number, ars: number, acs: number,
               b: number, ldb: number, c: number, ldc: number, bias: number, relu: number): void;
  /** C = A·B, then C[:, 0:hCols] ⊙= f′(h) (hAct 1 relu, 2 tanh; h with C's strides): dX fused with dZ below;
   *  hCols 0: the plain dX GEMM. Runs the dx variant; gemmBiasRelu and gemm with acs 1 the forward one, gemm
   *  with ars 1 (A = Xᵀ) the dw one. */
  gemmDerivative(m: number, n: number, k: number, a: number, ars: number, acs: number, b: number, ldb: number,
                 c: number, ldc: number, h: number, hCols: number, hAct: number): void;
  /** Sets this instance's GEMM kernel variant per form (ids 0 … kernelVariants() − 1, named in
   *  src/engine/kernels.ts): X·W, dZ·Wᵀ, Xᵀ·dZ. Returns 1, or 0 (nothing changed) for an id out of range. The
   *  choice lives in the instance's globals: a further instance sharing the memory needs its own call. */
  setKernels(forward: number, dx: number, dw: number): number;
  /** The variant id form 0 (forward), 1 (dx) or 2 (dw) runs. */
  kernelOf(form: number): number;
  /** Variants in this build: 4 with SIMD, 1 without. */
  kernelVariants(): number;
  transpose(src: number, rows: number, cols: number, dst: number): void;
  colsum(src: number, ld: number, m: number, n: number, dst: number, accumulate: number): void;
  activationBackward(dh: number, lddh: number, h: number, ldh: number, m: number, n: number, act: number): void;
  tanhRows(y: number, ld: number, m: number, n: number): void;
}

/** build/kernels.wasm (assembly/kernels.ts), for tests and benchmarks only: the engine's ABI plus the unfused
 *  bias + activation kernel and the peak microbenchmark. */
export interface KernelExports extends EngineExports {
  biasActivate(y: number, ld: number, m: number, n: number, bias: number, act: number): void;
  /** `iters` iterations of 48 independent f32x4 mul/add flops (assembly/peak.ts). */
  peakMulAdd(iters: number, p: number): number;
}

/** Activation codes shared with assembly/activations.ts. */
export const ACTIVATION_CODES = { identity: 0, relu: 1, tanh: 2 } as const;
export type Activation = keyof typeof ACTIVATION_CODES;
