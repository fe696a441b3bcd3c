// The algorithm registry: a name (`ddpg`, `td3`) → its agent class, config defaults, fields and presets.
// Everything that handles agents generically (CLI, checkpoints, sweeps) goes through here; adding an
// algorithm is one entry (docs/extending.md).
import { fail } from '../errors.js';
import type { Engine } from '../nn/engine.js';
import type { Agent, AlgorithmName } from './agent.js';
import {
  DDPG_DEFAULTS, FIELDS, resolveDdpgConfig, resolveTd3Config, TD3_DEFAULTS,
  type ConfigDefaults, type ConfigInput, type OffPolicyConfig, type Td3Config,
} from './config.js';
import { DDPG, ddpgNetworks } from './ddpg.js';
import type { AgentPlan } from './off-policy.js';
import { DDPG_PAPER, DDPG_PRESETS, TD3_PAPER, TD3_PRESETS, type EnvPreset, type NamedPreset } from './presets.js';
import { TD3, td3Networks } from './td3.js';

export interface Algorithm<C extends OffPolicyConfig = OffPolicyConfig> {
  readonly name: AlgorithmName;
  /** As printed: 'DDPG'. */
  readonly title: string;
  /** The config fields this algorithm has, in --help order. */
  readonly fields: readonly (keyof Td3Config)[];
  readonly defaults: ConfigDefaults<C>;
  /** Per environment id. */
  readonly envPresets: Readonly<Record<string, EnvPreset<C>>>;
  /** By name (`--preset paper`). */
  readonly namedPresets: Readonly<Record<string, NamedPreset<C>>>;
  resolveConfig(input: ConfigInput<C>): C;
  /** What an agent with this config owns, without building it (checkpoints check arrays against it first). */
  plan(config: C): AgentPlan;
  create(engine: Engine, input: ConfigInput<C>): Agent;
}

const fieldsOf = (defaults: object) =>
  (Object.keys(FIELDS) as (keyof Td3Config)[]).filter((f) => f in defaults || ['obsDim', 'actDim', 'actionLow', 'actionHigh'].includes(f));

const ddpg: Algorithm = {
  name: 'ddpg', title: 'DDPG', fields: fieldsOf(DDPG_DEFAULTS), defaults: DDPG_DEFAULTS,
  envPresets: DDPG_PRESETS, namedPresets: { paper: DDPG_PAPER },
  resolveConfig: resolveDdpgConfig, plan: ddpgNetworks, create: (engine, input) => new DDPG(engine, input),
};

const td3: Algorithm<Td3Config> = {
  name: 'td3', title: 'TD3', fields: fieldsOf(TD3_DEFAULTS), defaults: TD3_DEFAULTS,
  envPresets: TD3_PRESETS, namedPresets: { paper: TD3_PAPER },
  resolveConfig: resolveTd3Config, plan: td3Networks, create: (engine, input) => new TD3(engine, input),
};

export const ALGORITHMS: Readonly<Record<AlgorithmName, Algorithm>> = Object.freeze({ ddpg, td3: td3 as unknown as Algorithm });
export const ALGORITHM_NAMES = Object.keys(ALGORITHMS) as AlgorithmName[];

/** The registry entry of `name`; an unknown name is a DdpgInputError listing the known ones. */
export function algorithm(name: unknown): Algorithm {
  if (typeof name !== 'string' || !Object.prototype.hasOwnProperty.call(ALGORITHMS, name)) {
    fail(`unknown algorithm ${JSON.stringify(name)}; known: ${ALGORITHM_NAMES.join(', ')}`);
  }
  return ALGORITHMS[name as AlgorithmName];
}

/** `new DDPG(engine, input)` or `new TD3(engine, input)`, by name. */
export function createAgent(engine: Engine, name: AlgorithmName, input: ConfigInput<OffPolicyConfig>): Agent {
  return algorithm(name).create(engine, input);
}
