// Public API of ddpg-wasm.
// Engine and networks
export { loadEngine, Engine, type EngineOptions } from './nn/engine.js';
export { hostHasSimd } from './engine/load.js';
export { threadsUnavailable, DEFAULT_TUNING, type ThreadTuning } from './engine/threads.js';
export { KERNEL_VARIANTS, GEMM_FORMS, type KernelVariant, type KernelsOption, type KernelInfo, type GemmForm } from './engine/kernels.js';
export type { WasmSource } from './engine/load.js';
export { Mlp, type MlpOptions, type BackwardOptions } from './nn/mlp.js';
export type { JoinSpec, LayerLayout } from './nn/layout.js';
export { Adam, type AdamOptions, type AdamState } from './nn/adam.js';
// Agents: the contract, the shared off-policy machinery, DDPG and TD3, the registry
export type { Agent, AlgorithmName, Stateful, UpdateStats, UpdateBatch } from './rl/agent.js';
export { OffPolicyAgent, actorNetwork, criticNetwork, targetOf, type AgentPlan, type NetworkSpec } from './rl/off-policy.js';
export { DDPG, ddpgNetworks } from './rl/ddpg.js';
export { TD3, td3Networks, type Td3UpdateStats } from './rl/td3.js';
export { ALGORITHMS, ALGORITHM_NAMES, algorithm, createAgent, type Algorithm } from './rl/algorithms.js';
export {
  DDPG_DEFAULTS, TD3_DEFAULTS, FIELDS, resolveDdpgConfig, resolveTd3Config,
  type OffPolicyConfig, type DdpgConfig, type DdpgConfigInput, type Td3Config, type Td3ConfigInput, type NoiseKind,
} from './rl/config.js';
export { DDPG_PRESETS, TD3_PRESETS, DDPG_PAPER, TD3_PAPER, type EnvPreset, type NamedPreset } from './rl/presets.js';
export { ReplayBuffer, createBatch, type Batch } from './rl/replay.js';
export { GaussianNoise, OrnsteinUhlenbeckNoise } from './rl/noise.js';
export { Rng } from './rng.js';
export { Trainer, evaluate, type EpisodeLog } from './rl/trainer.js';
export { agentToCheckpoint, agentFromCheckpoint } from './rl/agent-state.js';
// Environments
export {
  makeEnv, createEnv, wrapEnv, ENV_IDS, MUJOCO_ENV_IDS, ALL_ENV_IDS, isMujocoEnvId,
  type CreateEnvOptions, type MujocoEnvHandle, type MujocoEnvId,
} from './envs/registry.js';
export type { MujocoState, MujocoStateInput } from './envs/mujoco/mujoco-env.js';
export { SimulationError } from './envs/mujoco/errors.js';
export { setMujocoLoader } from './envs/mujoco/loader.js';
export { TimeLimit, OrderEnforcing, ActionCheck, Wrapper } from './envs/wrappers/index.js';
export type { Env, AnyEnv, StepResult, ResetResult, EnvSnapshot } from './envs/env.js';
export { makeBox, boxContains, type Box } from './envs/box.js';
// Checkpoints (bytes; Node file helpers are in ddpg-wasm's CLI)
export { encodeCheckpoint, decodeCheckpoint, CheckpointError, FORMAT_VERSION } from './checkpoint/format.js';
export { DdpgInputError, DivergenceError, EngineThreadError } from './errors.js';
// Standalone policy runtime (actor only; Node, browsers, workers)
export { encodePolicy, loadPolicy, toPolicyContent, POLICY_KIND, type Policy, type PolicySpec, type ActorSource } from './policy.js';
// Gradient math for learners (docs/gradients.md): finite-difference checks and the float64 scalar reference kernels
export { gradcheck, type GradcheckOptions, type GradcheckReport, type GradGroup, type LayerGradReport, type GradEntry } from './gradcheck.js';
export * as reference from './reference/index.js';
export { Introspection, layerNorms, type LayerNorms } from './rl/introspection.js';
