// Public API of ddpg-wasm.
// Engine and networks
export { loadEngine, Engine } from './engine/engine.js';
export type { WasmSource } from './engine/load.js';
export { Mlp, type MlpOptions, type BackwardOptions } from './nn/mlp.js';
export type { JoinSpec, LayerLayout } from './nn/layout.js';
export { Adam, type AdamOptions, type AdamState } from './nn/adam.js';
// DDPG
export { DDPG, type UpdateStats, type UpdateBatch } from './rl/ddpg.js';
export { DEFAULTS, PAPER_PRESET, resolveConfig, type DdpgConfig, type DdpgConfigInput, type NoiseKind } from './rl/config.js';
export { PRESETS, type EnvPreset } from './rl/presets.js';
export { ReplayBuffer, createBatch, type Batch } from './rl/replay.js';
export { GaussianNoise, OrnsteinUhlenbeckNoise } from './rl/noise.js';
export { Rng } from './rl/rng.js';
export { Trainer, evaluate, type EpisodeLog } from './rl/trainer.js';
export { agentToCheckpoint, agentFromCheckpoint } from './rl/agent-state.js';
// Environments
export { makeEnv, ENV_IDS } from './envs/registry.js';
export type { Env, Box, StepResult } from './envs/spaces.js';
// Checkpoints (bytes; Node file helpers are in ddpg-wasm's CLI)
export { encodeCheckpoint, decodeCheckpoint, CheckpointError, FORMAT_VERSION } from './checkpoint/format.js';
export { DdpgInputError, DivergenceError } from './errors.js';
// Standalone policy runtime (actor only; Node, browsers, workers)
export { encodePolicy, loadPolicy, toPolicyContent, POLICY_KIND, type Policy, type PolicySpec, type ActorSource } from './policy.js';
// Gradient math for learners (docs/gradients.md): finite-difference checks and the float64 scalar reference kernels
export { gradcheck, type GradcheckOptions, type GradcheckReport, type GradGroup, type LayerGradReport, type GradEntry } from './gradcheck.js';
export * as reference from './reference/index.js';
export { Introspection, layerNorms, type LayerNorms } from './rl/introspection.js';
