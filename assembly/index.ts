// The engine's exported ABI (build/engine.wasm): what the library calls. Every function takes byte offsets
// into linear memory and sizes. Memory is owned by the TypeScript side (src/engine/runtime.ts); nothing
// here allocates. The single kernels are exported on their own only by the test and benchmark build
// (assembly/kernels.ts → build/kernels.wasm).
export { adamStep, polyak, copy } from './optim';
export { mseLoss } from './loss';
export { mlpForward, mlpBackward } from './mlp';

// First free byte after the module's static data: the arena starts here (16-byte aligned).
export function heapBase(): usize {
  return (__heap_base + 15) & ~<usize>15;
}
