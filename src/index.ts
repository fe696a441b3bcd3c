// Public API of ddpg-wasm.
export { loadEngine, Engine } from './engine/engine.js';
export type { WasmSource } from './engine/load.js';
export { Mlp, type MlpOptions, type BackwardOptions } from './nn/mlp.js';
export type { JoinSpec, LayerLayout } from './nn/layout.js';
export { Adam, type AdamOptions, type AdamState } from './nn/adam.js';
export { DdpgInputError } from './errors.js';
