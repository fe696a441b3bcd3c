// The test and benchmark build (build/kernels.wasm): the library's ABI (assembly/index.ts) plus every
// kernel the MLP passes are made of, exported on its own so tests can check each against its float64
// reference and the benchmarks can time it, and the peak microbenchmark. Not shipped in the package.
export * from './index';
export { gemm, gemmBiasRelu, gemmDerivative } from './gemm';
export { colsum } from './colsum';
export { transpose } from './transpose';
export { biasActivate, activationBackward, tanhRows } from './activations';
export { peakMulAdd } from './peak';
