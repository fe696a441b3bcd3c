// DDPG configuration: field names, defaults (CleanRL's), the paper preset, and validation.
import { fail } from '../errors.js';

export type NoiseKind = 'gaussian' | 'ou';

export interface DdpgConfig {
  obsDim: number;
  actDim: number;
  actionLow: number[];
  actionHigh: number[];
  actorHidden: number[];
  criticHidden: number[];
  actorLr: number;
  criticLr: number;
  gamma: number;
  tau: number;
  batchSize: number;
  bufferSize: number;
  /** Transitions collected with uniform-random actions before the policy acts and updates start. */
  learningStarts: number;
  seed: number;
  /** Exploration noise process. Its σ is in units of the action half-range (high − low)/2. */
  noise: NoiseKind;
  noiseSigma: number;
  ouTheta: number;
  ouDt: number;
  /** Coupled L2 weight decay of the critic's Adam (the paper: 1e−2). */
  criticWeightDecay: number;
  actorWeightDecay: number;
  /** Weight layer at which the action enters the critic: 0 = concat(obs, action) at the input,
   *  1 = at the 2nd hidden layer (the paper). */
  criticActionLayer: number;
  /** Bound of the final layers' uniform init (the paper: 3e−3). */
  finalInitScale: number;
}

export type DdpgConfigInput = Pick<DdpgConfig, 'obsDim' | 'actDim' | 'actionLow' | 'actionHigh'> & Partial<DdpgConfig>;

export const DEFAULTS: Omit<DdpgConfig, 'obsDim' | 'actDim' | 'actionLow' | 'actionHigh'> = {
  actorHidden: [256, 256],
  criticHidden: [256, 256],
  actorLr: 3e-4,
  criticLr: 3e-4,
  gamma: 0.99,
  tau: 0.005,
  batchSize: 256,
  bufferSize: 1_000_000,
  learningStarts: 10_000,
  seed: 0,
  noise: 'gaussian',
  noiseSigma: 0.1,
  ouTheta: 0.15,
  ouDt: 1e-2,
  criticWeightDecay: 0,
  actorWeightDecay: 0,
  criticActionLayer: 0,
  finalInitScale: 3e-3,
};

/** Lillicrap et al. (2015), §7: 400/300, lr 1e−4 / 1e−3, τ = 0.001, batch 64, OU noise, critic L2 1e−2,
 *  action entering the critic at its 2nd hidden layer. */
export const PAPER_PRESET: Partial<DdpgConfig> = {
  actorHidden: [400, 300],
  criticHidden: [400, 300],
  actorLr: 1e-4,
  criticLr: 1e-3,
  gamma: 0.99,
  tau: 0.001,
  batchSize: 64,
  noise: 'ou',
  noiseSigma: 0.2,
  criticWeightDecay: 1e-2,
  criticActionLayer: 1,
};

function isPosInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0;
}

function sizesOk(a: unknown): boolean {
  return Array.isArray(a) && a.length > 0 && a.every(isPosInt);
}

/** Fills defaults and checks every field; the error says which field, what was given and what is allowed. */
export function resolveConfig(input: DdpgConfigInput): DdpgConfig {
  if (!input || typeof input !== 'object') fail('DDPG config must be an object with at least obsDim, actDim, actionLow, actionHigh');
  const known = new Set<string>([...Object.keys(DEFAULTS), 'obsDim', 'actDim', 'actionLow', 'actionHigh']);
  for (const key of Object.keys(input)) if (!known.has(key)) fail(`unknown DDPG config field '${key}'; known fields: ${[...known].join(', ')}`);
  const c = { ...DEFAULTS, ...stripUndefined(input) } as DdpgConfig;
  const bad = (field: string, expected: string): never => fail(`config.${field} must be ${expected}, got ${JSON.stringify((c as unknown as Record<string, unknown>)[field])}`);
  if (!isPosInt(c.obsDim)) bad('obsDim', 'a positive integer');
  if (!isPosInt(c.actDim)) bad('actDim', 'a positive integer');
  for (const f of ['actionLow', 'actionHigh'] as const) {
    const a = c[f];
    if (!Array.isArray(a) || a.length !== c.actDim || !a.every(Number.isFinite)) bad(f, `an array of ${c.actDim} finite numbers (actDim)`);
  }
  c.actionLow.forEach((lo, i) => { if (!(lo < c.actionHigh[i])) fail(`action box must have low < high in every dimension; dimension ${i} has low ${lo}, high ${c.actionHigh[i]}`); });
  if (!sizesOk(c.actorHidden)) bad('actorHidden', 'a non-empty array of positive integers, e.g. [256, 256]');
  if (!sizesOk(c.criticHidden)) bad('criticHidden', 'a non-empty array of positive integers, e.g. [256, 256]');
  for (const f of ['actorLr', 'criticLr'] as const) if (!(c[f] > 0 && Number.isFinite(c[f]))) bad(f, 'a positive finite number');
  if (!(c.gamma >= 0 && c.gamma <= 1)) bad('gamma', 'in [0, 1]');
  if (!(c.tau > 0 && c.tau <= 1)) bad('tau', 'in (0, 1]');
  if (!isPosInt(c.batchSize)) bad('batchSize', 'a positive integer');
  if (!isPosInt(c.bufferSize)) bad('bufferSize', 'a positive integer');
  if (c.batchSize > c.bufferSize) fail(`config.batchSize (${c.batchSize}) must be ≤ config.bufferSize (${c.bufferSize})`);
  if (!(Number.isInteger(c.learningStarts) && c.learningStarts >= 0)) bad('learningStarts', 'an integer ≥ 0');
  if (!Number.isInteger(c.seed)) bad('seed', 'an integer');
  if (c.noise !== 'gaussian' && c.noise !== 'ou') bad('noise', "'gaussian' or 'ou'");
  if (!(c.noiseSigma >= 0 && Number.isFinite(c.noiseSigma))) bad('noiseSigma', 'a finite number ≥ 0');
  if (!(c.ouTheta >= 0 && Number.isFinite(c.ouTheta))) bad('ouTheta', 'a finite number ≥ 0');
  if (!(c.ouDt > 0 && Number.isFinite(c.ouDt))) bad('ouDt', 'a positive finite number');
  for (const f of ['criticWeightDecay', 'actorWeightDecay'] as const) if (!(c[f] >= 0 && Number.isFinite(c[f]))) bad(f, 'a finite number ≥ 0');
  if (!(Number.isInteger(c.criticActionLayer) && c.criticActionLayer >= 0 && c.criticActionLayer <= c.criticHidden.length)) {
    bad('criticActionLayer', `an integer in [0, ${c.criticHidden.length}] (0 = at the input)`);
  }
  if (!(c.finalInitScale > 0 && Number.isFinite(c.finalInitScale))) bad('finalInitScale', 'a positive finite number');
  return { ...c, actionLow: [...c.actionLow], actionHigh: [...c.actionHigh], actorHidden: [...c.actorHidden], criticHidden: [...c.criticHidden] };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
