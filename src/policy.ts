// Standalone policy runtime: a trained actor in a small checkpoint-format file (kind 'policy') and a loader
// that runs it on the same WASM engine. Pure bytes in, actions out — no file system or Node-only imports,
// so it works in Node, browsers and workers.
//
// A policy file is a checkpoint (src/checkpoint/format.ts) with kind 'policy', one array 'actor' (the flat
// parameters in the layout of src/nn/layout.ts) and meta { sizes, hidden, output, actionLow, actionHigh }
// plus any provenance the writer adds (env, steps, …). act(obs) = scale ⊙ μ(obs) + bias with
// scale = (high − low)/2 and bias = (high + low)/2: the agent's deterministic action (DDPG's or TD3's), bit
// for bit.
import { loadEngine, Engine, type EngineOptions } from './nn/engine.js';
import type { WasmSource } from './engine/load.js';
import { CheckpointError, decodeCheckpoint, encodeCheckpoint, type CheckpointContent } from './checkpoint/format.js';
import { checkFinite, checkLength, checkOptions, fail } from './errors.js';
import { planLayers } from './nn/layout.js';
import type { Mlp } from './nn/mlp.js';
import { checkObsNormalization, NORMALIZER_EPSILON, type ObsNormalization } from './rl/normalizer.js';

export const POLICY_KIND = 'policy';

/** What a policy file's meta must hold (provenance fields may sit beside these). */
export interface PolicySpec {
  /** Actor widths [obsDim, hidden..., actDim]. */
  sizes: number[];
  hidden: 'relu' | 'tanh';
  output: 'identity' | 'tanh';
  actionLow: number[];
  actionHigh: number[];
  /** When the run normalized observations: act(obs) feeds clip((obs − mean) / std, −clip, clip) to the actor. */
  obsNormalization?: ObsNormalization;
}

export interface Policy {
  readonly obsDim: number;
  readonly actDim: number;
  readonly spec: Readonly<PolicySpec>;
  /** Everything in the file's meta, provenance included. */
  readonly meta: Readonly<Record<string, unknown>>;
  /** The deterministic action for one observation, in env units. The array is reused by the next call. */
  act(obs: ArrayLike<number>): Float32Array;
}

/** The parts of an agent a policy needs (structural, so this file does not import the RL code). */
export interface ActorSource {
  actor: Mlp;
  config: { actionLow: number[]; actionHigh: number[] };
  algorithm?: string;
  obsNormalizer?: { normalization(): ObsNormalization };
}

/** The policy file bytes of an agent's actor; `meta` adds provenance (e.g. { env: 'Pendulum-v1' }). */
export function encodePolicy(agent: ActorSource, meta: Record<string, unknown> = {}): Uint8Array {
  if (!agent || typeof agent !== 'object' || !agent.actor || !agent.config) fail('encodePolicy(agent, meta): agent must be an agent (with actor and config)');
  checkOptions(meta, 'encodePolicy(agent, meta): meta');
  const { actor, config } = agent;
  if (agent.algorithm !== undefined) meta = { algorithm: agent.algorithm, ...meta };
  const layers = actor.layers;
  const spec: PolicySpec = {
    sizes: [...actor.sizes],
    hidden: (layers.length > 1 ? layers[0].act : 'relu') as PolicySpec['hidden'],
    output: layers[layers.length - 1].act as PolicySpec['output'],
    actionLow: [...config.actionLow],
    actionHigh: [...config.actionHigh],
    ...(agent.obsNormalizer ? { obsNormalization: agent.obsNormalizer.normalization() } : {}),
  };
  return encodeCheckpoint({ kind: POLICY_KIND, meta: { ...meta, ...spec }, arrays: { actor: actor.getParams() } });
}

/** Checkpoint content of kind 'policy' from a policy or a full training checkpoint (kind 'agent', whose
 *  actor is taken). Throws CheckpointError naming `source` and the problem. */
export function toPolicyContent(content: CheckpointContent, source = '<bytes>'): CheckpointContent {
  const bad = (problem: string): never => { throw new CheckpointError(source, problem); };
  if (content.kind === POLICY_KIND) {
    checkSpec(content.meta, content.arrays.actor, bad);
    return content;
  }
  if (content.kind !== 'agent') bad(`holds a '${content.kind}', expected a 'policy' or an 'agent' checkpoint`);
  const config = content.meta.config as Record<string, unknown> | undefined;
  if (!config || typeof config !== 'object') bad("agent checkpoint has no 'config' in its meta");
  const actor = (content.meta.networks as Record<string, Record<string, unknown>> | undefined)?.actor;
  if (!actor || typeof actor !== 'object') bad("agent checkpoint does not describe its 'actor' network (meta.networks.actor)");
  const meta: Record<string, unknown> = {
    sizes: actor!.sizes, hidden: actor!.hidden, output: actor!.output, actionLow: config!.actionLow, actionHigh: config!.actionHigh,
    from: 'agent checkpoint',
  };
  if (typeof content.meta.algorithm === 'string') meta.algorithm = content.meta.algorithm;
  if (config!.obsNormalization === true) {
    const s = content.meta.obsNormalizer as { mean?: unknown; var?: unknown } | undefined;
    if (!Array.isArray(s?.mean) || !Array.isArray(s?.var)) bad('agent checkpoint normalizes observations but has no obsNormalizer statistics');
    meta.obsNormalization = { mean: s!.mean, std: (s!.var as number[]).map((v) => Math.sqrt(v + NORMALIZER_EPSILON)), clip: config!.obsClip };
  }
  const run = content.meta.run as { env?: unknown } | undefined;
  if (typeof run?.env === 'string') meta.env = run.env;
  if (Number.isInteger(content.meta.steps)) meta.steps = content.meta.steps;
  const params = content.arrays['networks.actor'];
  checkSpec(meta, params, bad);
  return { kind: POLICY_KIND, meta, arrays: { actor: params } };
}

/** Loads a policy (or an agent checkpoint's actor) from file bytes. `engine` is an engine to share, or where
 *  to load the .wasm from (URL, path, bytes, Module), or loadEngine's options ({ simd: false }: the build
 *  without SIMD); default: the engine shipped beside this package, the SIMD build where the host has SIMD. */
export async function loadPolicy(bytes: Uint8Array | ArrayBuffer, engine?: Engine | WasmSource | EngineOptions, source = '<bytes>'): Promise<Policy> {
  const data = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes;
  const content = toPolicyContent(decodeCheckpoint(data, source), source);
  const eng = engine instanceof Engine ? engine : await loadEngine(engine);
  return new LoadedPolicy(eng, content);
}

class LoadedPolicy implements Policy {
  readonly obsDim: number;
  readonly actDim: number;
  readonly spec: Readonly<PolicySpec>;
  readonly meta: Readonly<Record<string, unknown>>;
  private readonly net: Mlp;
  private readonly scale: Float32Array;
  private readonly bias: Float32Array;
  private readonly out: Float32Array;
  private readonly norm: ObsNormalization | undefined;
  private readonly normObs: Float32Array;

  constructor(engine: Engine, content: CheckpointContent) {
    const m = content.meta as unknown as PolicySpec;
    this.spec = Object.freeze({ sizes: [...m.sizes], hidden: m.hidden, output: m.output, actionLow: [...m.actionLow], actionHigh: [...m.actionHigh],
      ...(m.obsNormalization ? { obsNormalization: { mean: [...m.obsNormalization.mean], std: [...m.obsNormalization.std], clip: m.obsNormalization.clip } } : {}) });
    this.meta = Object.freeze({ ...content.meta });
    this.obsDim = m.sizes[0];
    this.actDim = m.sizes[m.sizes.length - 1];
    this.net = engine.mlp({ sizes: m.sizes, hidden: m.hidden, output: m.output, maxBatch: 1 });
    this.net.setParams(content.arrays.actor);
    // Computed exactly as the agent does (src/rl/off-policy.ts), so actions match its act() bit for bit.
    this.scale = Float32Array.from(m.actionLow, (lo, i) => (m.actionHigh[i] - lo) / 2);
    this.bias = Float32Array.from(m.actionLow, (lo, i) => (m.actionHigh[i] + lo) / 2);
    this.out = new Float32Array(this.actDim);
    this.norm = m.obsNormalization;
    this.normObs = new Float32Array(this.obsDim);
  }

  act(obs: ArrayLike<number>): Float32Array {
    checkLength(obs, this.obsDim, 'policy act obs', `obsDim ${this.obsDim}`);
    checkFinite(obs, 'policy act obs');
    const n = this.norm;
    if (n) {
      // As ObsNormalizer.normalize (src/rl/normalizer.ts), so actions match the agent's bit for bit.
      for (let i = 0; i < this.obsDim; i++) this.normObs[i] = Math.min(n.clip, Math.max(-n.clip, (obs[i] - n.mean[i]) / n.std[i]));
    }
    const u = this.net.forward(n ? this.normObs : obs, 1);
    const a = this.out;
    for (let i = 0; i < a.length; i++) a[i] = this.scale[i] * u[i] + this.bias[i];
    return a;
  }
}

function checkSpec(meta: Record<string, unknown>, actor: Float32Array | undefined, bad: (p: string) => never): void {
  const { sizes, hidden, output, actionLow, actionHigh } = meta as Record<string, unknown>;
  const isPosInt = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v > 0 && v <= 1 << 20;
  if (!Array.isArray(sizes) || sizes.length < 2 || !sizes.every(isPosInt)) {
    bad(`policy sizes must be [obsDim, hidden..., actDim] positive integers, got ${JSON.stringify(sizes)}`);
  }
  const widths = sizes as number[];
  if (hidden !== 'relu' && hidden !== 'tanh') bad(`policy hidden activation must be 'relu' or 'tanh', got ${JSON.stringify(hidden)}`);
  if (output !== 'identity' && output !== 'tanh') bad(`policy output activation must be 'identity' or 'tanh', got ${JSON.stringify(output)}`);
  const actDim = widths[widths.length - 1];
  for (const [name, box] of [['actionLow', actionLow], ['actionHigh', actionHigh]] as const) {
    if (!Array.isArray(box) || box.length !== actDim || !box.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      bad(`policy ${name} must be ${actDim} finite numbers (actDim), got ${JSON.stringify(box)}`);
    }
  }
  (actionLow as number[]).forEach((lo, i) => {
    if (!(lo < (actionHigh as number[])[i])) bad(`policy action box has low ${lo} ≥ high ${(actionHigh as number[])[i]} in dimension ${i}`);
  });
  if (meta.obsNormalization !== undefined) {
    const problem = checkObsNormalization(meta.obsNormalization, widths[0]);
    if (problem) bad(`policy obsNormalization ${problem}`);
  }
  if (!actor) bad("array 'actor' is missing (the policy's parameters)");
  const { paramCount } = planLayers(widths, hidden as 'relu', output as 'tanh');
  if (actor!.length !== paramCount) bad(`array 'actor' has ${actor!.length} values, sizes ${JSON.stringify(widths)} need ${paramCount}`);
  for (let i = 0; i < actor!.length; i++) if (!Number.isFinite(actor![i])) bad(`array 'actor' holds ${actor![i]} at index ${i}`);
}
