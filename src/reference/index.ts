// Scalar reference kernels: the engine's operations as plain float64 loops, written to be read.
// Each file names the WASM kernel it mirrors; test/reference.test.ts checks they agree to float32 tolerance.
// The derivations are in docs/gradients.md.
export { gemm, matmul, matmulTransA, matmulTransB, transpose, colsum, columnSums } from './gemm.js';
export { activate, derivativeFromOutput, biasActivate, activationBackward, type Activation } from './activations.js';
export { mlpForward, mlpBackward, layersOf, paramCountOf, concatColumns, sliceColumns, type MlpSpec, type Tape, type MlpGrads } from './mlp.js';
export { adamStep, type AdamHyper } from './adam.js';
export { polyak } from './polyak.js';
export { mseLoss } from './mse.js';
