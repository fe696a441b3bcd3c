// The engine's exported ABI: every function takes byte offsets into linear memory and sizes.
// Memory is owned by the TypeScript side (src/engine/runtime.ts); nothing here allocates.
export { gemm, gemmBiasRelu, gemmDerivative } from './gemm';
export { colsum } from './colsum';
export { transpose } from './transpose';
export { biasActivate, activationBackward, tanhRows } from './activations';
export { adamStep, polyak, copy } from './optim';
export { mseLoss } from './loss';
export { mlpForward, mlpBackward } from './mlp';
export { peakMulAdd } from './peak';

// First free byte after the module's static data: the arena starts here (16-byte aligned).
export function heapBase(): usize {
  return (__heap_base + 15) & ~<usize>15;
}
