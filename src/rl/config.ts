// The configuration of the off-policy agents: every field with a one-line doc and its check (the CLI's flags
// and `train --help` are made from this table), the library defaults of DDPG and TD3, and validation.
// Values are checked for type as well as range: `gamma: "0.5"`, `null`, `true` or `[0.5]` are refused.
import { fail } from '../errors.js';

export type NoiseKind = 'gaussian' | 'ou';

/** The fields DDPG and TD3 share. Action-box quantities are in env units unless said otherwise. */
export interface OffPolicyConfig {
  obsDim: number;
  actDim: number;
  actionLow: number[];
  actionHigh: number[];
  actorHidden: number[];
  criticHidden: number[];
  /** Weight layer at which the action enters the critic: 0 = concat(obs, action) at the input,
   *  1 = at the 2nd hidden layer (the DDPG paper). */
  criticActionLayer: number;
  /** Bound of the final layers' uniform init (the DDPG paper: 3e−3). */
  finalInitScale: number;
  actorLr: number;
  criticLr: number;
  /** Coupled L2 weight decay of the actor's / critic's Adam (the DDPG paper: critic 1e−2). */
  actorWeightDecay: number;
  criticWeightDecay: number;
  gamma: number;
  tau: number;
  batchSize: number;
  bufferSize: number;
  /** Transitions collected with uniform-random actions before the policy acts and updates start. */
  learningStarts: number;
  /** The actor and the target networks step on every policyDelay-th update (counting from 1). */
  policyDelay: number;
  /** Exploration noise process. Its σ is in units of the action half-range (high − low)/2. */
  noise: NoiseKind;
  noiseSigma: number;
  ouTheta: number;
  ouDt: number;
  /** Normalize observations with running statistics (SB3's VecNormalize, obs only; src/rl/normalizer.ts). */
  obsNormalization: boolean;
  /** Normalized observations are clipped to [−obsClip, obsClip]. */
  obsClip: number;
  seed: number;
}

export type DdpgConfig = OffPolicyConfig;

export interface Td3Config extends OffPolicyConfig {
  /** σ̃ of the target policy smoothing noise ε ~ N(0, σ̃²), in tanh units (× (high − low)/2); 0 = off. */
  targetPolicyNoise: number;
  /** c: the smoothing noise is clipped to [−c, c] (tanh units) before it is scaled and added. */
  targetNoiseClip: number;
}

/** The fields an env determines; everything else has a default. */
export type EnvFields = 'obsDim' | 'actDim' | 'actionLow' | 'actionHigh';
export type ConfigInput<C extends OffPolicyConfig> = Pick<C, EnvFields> & Partial<C>;
export type DdpgConfigInput = ConfigInput<DdpgConfig>;
export type Td3ConfigInput = ConfigInput<Td3Config>;
export type ConfigDefaults<C extends OffPolicyConfig> = Omit<C, EnvFields>;

type AnyConfig = Record<string, unknown>;

export interface FieldSpec {
  /** One line for --help and the docs. */
  doc: string;
  /** How a command-line flag's text is read ('env' fields come from the environment, not from a flag;
   *  'boolean' ones are switches: `--obs-normalization`). */
  flag: 'number' | 'sizes' | 'choice' | 'boolean' | 'env';
  /** undefined when the value is fine, else what was expected ("in [0, 1]"). */
  check(value: unknown, config: AnyConfig): string | undefined;
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
/** Integers are safe integers (1e39 is an integer to JS, not a count anything can run to). */
const isInt = (v: unknown): v is number => Number.isSafeInteger(v);
const isPosInt = (v: unknown): v is number => isInt(v) && (v as number) > 0;
/** Finite, and still finite once stored as float32 (the engine's and the checkpoints' number type). */
const isF32 = (v: unknown): v is number => isNum(v) && Number.isFinite(Math.fround(v));

const positiveInt = (doc: string, flag: FieldSpec['flag'] = 'number'): FieldSpec =>
  ({ doc, flag, check: (v) => (isPosInt(v) ? undefined : 'a positive integer') });
const positive = (doc: string): FieldSpec => ({ doc, flag: 'number', check: (v) => (isF32(v) && v > 0 ? undefined : 'a positive finite number') });
const nonNegative = (doc: string): FieldSpec => ({ doc, flag: 'number', check: (v) => (isF32(v) && v >= 0 ? undefined : 'a finite number ≥ 0') });
const sizes = (doc: string): FieldSpec => ({
  doc, flag: 'sizes', check: (v) => (Array.isArray(v) && v.length > 0 && v.every(isPosInt) ? undefined : 'a non-empty array of positive integers, e.g. [256, 256]'),
});
const bound = (doc: string): FieldSpec => ({
  doc, flag: 'env',
  check: (v, c) => (Array.isArray(v) && v.length === c.actDim && v.every(isF32) ? undefined : `an array of ${String(c.actDim)} finite numbers (actDim)`),
});

/** Every field of every off-policy algorithm, in the order of --help. */
export const FIELDS: Record<keyof Td3Config, FieldSpec> = {
  obsDim: positiveInt('observation width (from the env)', 'env'),
  actDim: positiveInt('action width (from the env)', 'env'),
  actionLow: bound('lower bounds of the action box (from the env)'),
  actionHigh: bound('upper bounds of the action box (from the env)'),
  actorHidden: sizes('hidden widths of the actor μ (relu; tanh output scaled to the box)'),
  criticHidden: sizes('hidden widths of each critic Q (relu; identity output)'),
  criticActionLayer: {
    doc: 'weight layer where the action enters the critic: 0 = with the observation, 1 = 2nd hidden layer (the DDPG paper)',
    flag: 'number',
    check: (v, c) => {
      const n = Array.isArray(c.criticHidden) ? c.criticHidden.length : 0;
      return isInt(v) && v >= 0 && v <= n ? undefined : `an integer in [0, ${n}] (0 = at the input)`;
    },
  },
  finalInitScale: positive("bound s of the final layers' init U(−s, s) (hidden layers: U(±1/√fan_in))"),
  actorLr: positive('Adam learning rate of the actor'),
  criticLr: positive('Adam learning rate of the critic(s)'),
  actorWeightDecay: nonNegative("coupled L2 weight decay in the actor's Adam"),
  criticWeightDecay: nonNegative("coupled L2 weight decay in the critics' Adam (the DDPG paper: 1e-2)"),
  gamma: { doc: 'discount factor γ', flag: 'number', check: (v) => (isNum(v) && v >= 0 && v <= 1 ? undefined : 'in [0, 1]') },
  tau: { doc: 'Polyak rate τ of the target networks: θ′ ← τθ + (1 − τ)θ′', flag: 'number', check: (v) => (isNum(v) && v > 0 && v <= 1 ? undefined : 'in (0, 1]') },
  batchSize: positiveInt('transitions per update (sampled uniformly with replacement)'),
  bufferSize: positiveInt('replay buffer capacity (a ring: the oldest transition is overwritten)'),
  learningStarts: {
    doc: 'steps of uniform-random actions before the policy acts and the updates start',
    flag: 'number', check: (v) => (isInt(v) && v >= 0 ? undefined : 'an integer ≥ 0'),
  },
  policyDelay: positiveInt('the actor and the targets step on every policyDelay-th update (TD3: 2)'),
  noise: {
    doc: "exploration noise: 'gaussian' (independent) or 'ou' (Ornstein–Uhlenbeck, temporally correlated)",
    flag: 'choice', check: (v) => (v === 'gaussian' || v === 'ou' ? undefined : "'gaussian' or 'ou'"),
  },
  noiseSigma: nonNegative('σ of the exploration noise, in units of the half-range (high − low)/2'),
  ouTheta: nonNegative('mean reversion θ of the OU noise'),
  ouDt: positive('time step dt of the OU noise'),
  obsNormalization: {
    doc: "normalize observations by running mean and std (SB3's VecNormalize, obs only); kept in checkpoints and exported policies",
    flag: 'boolean', check: (v) => (typeof v === 'boolean' ? undefined : 'true or false'),
  },
  obsClip: positive('normalized observations are clipped to ±obsClip (SB3: 10)'),
  seed: { doc: 'one seed for weights, noise, replay sampling and random actions', flag: 'number', check: (v) => (isInt(v) && Number.isSafeInteger(v) ? undefined : 'an integer') },
  targetPolicyNoise: nonNegative('σ̃ of the target policy smoothing noise, in tanh units (× half-range); 0 = off'),
  targetNoiseClip: nonNegative('clip c of the smoothing noise, in tanh units'),
};

/** CleanRL's ddpg_continuous_action.py, except policyDelay 1 (the paper; CleanRL's DDPG uses 2) and the
 *  final-layer init U(±3e−3) (the paper; CleanRL keeps PyTorch's default). */
export const DDPG_DEFAULTS: ConfigDefaults<DdpgConfig> = {
  actorHidden: [256, 256],
  criticHidden: [256, 256],
  criticActionLayer: 0,
  finalInitScale: 3e-3,
  actorLr: 3e-4,
  criticLr: 3e-4,
  actorWeightDecay: 0,
  criticWeightDecay: 0,
  gamma: 0.99,
  tau: 0.005,
  batchSize: 256,
  bufferSize: 1_000_000,
  learningStarts: 25_000,
  policyDelay: 1,
  noise: 'gaussian',
  noiseSigma: 0.1,
  ouTheta: 0.15,
  ouDt: 1e-2,
  obsNormalization: false,
  obsClip: 10,
  seed: 0,
};

/** CleanRL's td3_continuous_action.py (one Adam per critic where CleanRL has one over both: the same
 *  math), except the final-layer init U(±3e−3) as for DDPG. */
export const TD3_DEFAULTS: ConfigDefaults<Td3Config> = {
  ...DDPG_DEFAULTS,
  policyDelay: 2,
  targetPolicyNoise: 0.2,
  targetNoiseClip: 0.5,
};

/** Fills defaults and checks every field; the error names the field, what was given and what is allowed. */
export function resolveFields<C extends OffPolicyConfig>(title: string, defaults: ConfigDefaults<C>, input: ConfigInput<C>): C {
  if (!input || typeof input !== 'object' || Array.isArray(input)) fail(`${title} config must be an object with at least obsDim, actDim, actionLow, actionHigh`);
  const names = ['obsDim', 'actDim', 'actionLow', 'actionHigh', ...Object.keys(defaults)];
  const known = new Set(names);
  for (const key of Object.keys(input)) if (!known.has(key)) fail(`unknown ${title} config field '${key}'; known fields: ${names.join(', ')}`);
  const c: AnyConfig = { ...defaults };
  for (const [k, v] of Object.entries(input)) if (v !== undefined) c[k] = v;
  for (const name of Object.keys(FIELDS)) {
    if (!known.has(name)) continue;
    const expected = FIELDS[name as keyof Td3Config].check(c[name], c);
    if (expected) fail(`config.${name} must be ${expected}, got ${show(c[name])}`);
  }
  const low = c.actionLow as number[], high = c.actionHigh as number[];
  low.forEach((lo, i) => { if (!(lo < high[i])) fail(`action box must have low < high in every dimension; dimension ${i} has low ${lo}, high ${high[i]}`); });
  // OU noise steps x ← (1 − θ·dt)·x + σ·√dt·ε: it stays bounded only while |1 − θ·dt| < 1.
  if (c.noise === 'ou' && !((c.ouTheta as number) * (c.ouDt as number) < 2)) fail(`config.ouTheta × config.ouDt must be < 2 for the OU noise to stay bounded, got ${c.ouTheta} × ${c.ouDt}`);
  if ((c.batchSize as number) > (c.bufferSize as number)) fail(`config.batchSize (${c.batchSize}) must be ≤ config.bufferSize (${c.bufferSize})`);
  for (const f of ['actionLow', 'actionHigh', 'actorHidden', 'criticHidden']) c[f] = [...(c[f] as number[])];
  return c as unknown as C;
}

export const resolveDdpgConfig = (input: DdpgConfigInput): DdpgConfig => resolveFields('DDPG', DDPG_DEFAULTS, input);
export const resolveTd3Config = (input: Td3ConfigInput): Td3Config => resolveFields('TD3', TD3_DEFAULTS, input);

function show(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  try { return JSON.stringify(v) ?? String(v); } catch { return String(v); }
}
