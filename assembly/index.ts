// The engine's exported ABI (build/engine.wasm). Every function takes byte offsets into linear memory and
// sizes. Memory is owned by the TypeScript side (src/engine/runtime.ts); nothing here allocates.
//
// The library calls the MLP passes, the optimizer and loss kernels. The single kernels the MLP passes are made
// of are exported too, as the engine's kernel ABI: tests check each against its float64 reference — and an
// exported function keeps its signature, whereas binaryen specialises a function only mlp.ts calls into it
// (dropping constant arguments, inlining single-caller ones), which measured 2–4 % slower for a whole DDPG
// update (bench/NOTES.md, change 12). Test- and bench-only kernels are in assembly/kernels.ts.
export { adamStep, polyak, copy } from './optim';
export { mseLoss } from './loss';
export { mlpForward, mlpBackward } from './mlp';
export { gemm, gemmBiasRelu, gemmDerivative, setKernels, kernelOf, kernelVariants } from './gemm';
export { colsum } from './colsum';
export { transpose } from './transpose';
export { activationBackward, tanhRows } from './activations';

// First free byte after the module's static data: the arena starts here (16-byte aligned).
export function heapBase(): usize {
  return (__heap_base + 15) & ~<usize>15;
}

// 1 in the build with SIMD (build/engine.wasm), 0 in the one without (build/engine-scalar.wasm).
export function simd(): i32 {
  return ASC_FEATURE_SIMD ? 1 : 0;
}
