// The test and benchmark build (build/kernels.wasm): the engine's ABI (assembly/index.ts) plus what only the
// tests and the benchmarks call — biasActivate (the unfused bias + activation the tests compare with its
// reference; the MLP uses the fused gemmBiasRelu) and the peak microbenchmark. Not shipped in the package.
export * from './index';
export { biasActivate } from './activations';
export { peakMulAdd } from './peak';
