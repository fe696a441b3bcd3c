// Agent ⇄ checkpoint content (format 2, docs/checkpoint-format.md), through the agent contract: the
// algorithm's name and config, then every network, optimizer and random stream the agent lists, by name,
// and (for exact resume) the replay buffer. Nothing here names an algorithm's fields.
import { CheckpointError, type CheckpointContent } from '../checkpoint/format.js';
import type { Engine } from '../nn/engine.js';
import type { Mlp } from '../nn/mlp.js';
import type { Agent } from './agent.js';
import { algorithm, type Algorithm } from './algorithms.js';
import type { OffPolicyConfig } from './config.js';
import { paramCountOf } from './off-policy.js';
import type { ReplaySnapshot } from './replay.js';

export const AGENT_KIND = 'agent';
const REPLAY_FIELDS = ['obs', 'actions', 'rewards', 'nextObs', 'terminated'] as const;

/** How a network is built, as recorded in a checkpoint (export reads the actor's from here). */
export interface NetworkRecord {
  sizes: number[];
  hidden: 'relu' | 'tanh';
  output: 'identity' | 'tanh';
  join?: { layer: number; size: number };
  paramCount: number;
}

export function networkRecord(net: Mlp): NetworkRecord {
  const layers = net.layers;
  return {
    sizes: [...net.sizes], hidden: (layers.length > 1 ? layers[0].act : 'relu') as NetworkRecord['hidden'],
    output: layers[layers.length - 1].act as NetworkRecord['output'], ...(net.join ? { join: { ...net.join } } : {}), paramCount: net.paramCount,
  };
}

export function agentToCheckpoint(agent: Agent, opts: { withReplay?: boolean; meta?: Record<string, unknown> } = {}): CheckpointContent {
  const arrays: Record<string, Float32Array> = {};
  const networks: Record<string, NetworkRecord> = {};
  for (const [name, net] of Object.entries(agent.networks)) {
    arrays[`networks.${name}`] = net.getParams();
    networks[name] = networkRecord(net);
  }
  const optimizers: Record<string, { t: number }> = {};
  for (const [name, opt] of Object.entries(agent.optimizers)) {
    const s = opt.getState();
    arrays[`optimizers.${name}.m`] = s.m;
    arrays[`optimizers.${name}.v`] = s.v;
    optimizers[name] = { t: s.t };
  }
  const meta: Record<string, unknown> = {
    ...opts.meta,
    algorithm: agent.algorithm,
    config: agent.config,
    networks,
    optimizers,
    randomStreams: Object.fromEntries(Object.entries(agent.randomStreams).map(([name, stream]) => [name, stream.getState()])),
    steps: agent.steps,
    updates: agent.updates,
  };
  if (agent.obsNormalizer) meta.obsNormalizer = agent.obsNormalizer.getState();
  if (opts.withReplay) {
    const r = agent.replay.snapshot();
    for (const f of REPLAY_FIELDS) arrays[`replay.${f}`] = r[f];
    meta.replay = { capacity: r.capacity, obsDim: r.obsDim, actDim: r.actDim, size: r.size, pos: r.pos, rng: r.rng };
  }
  return { kind: AGENT_KIND, meta, arrays };
}

/** The first non-finite value of the agent's whole training state — every network, every optimizer's moments,
 *  the observation statistics — or of its deterministic action on `probeObs`; undefined when all is finite.
 *  Checked before a checkpoint is written, so the last checkpoint is always one that loads and acts. */
export function findNonFinite(agent: Agent, probeObs?: ArrayLike<number>): string | undefined {
  const scan = (a: ArrayLike<number>, what: string) => {
    for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return `${what}[${i}] is ${a[i]}`;
    return undefined;
  };
  for (const [name, net] of Object.entries(agent.networks)) {
    const bad = scan(net.paramsView(), `network ${name}: parameter`);
    if (bad) return bad;
  }
  for (const [name, opt] of Object.entries(agent.optimizers)) {
    const s = opt.getState();
    const bad = scan(s.m, `optimizer ${name}: first moment m`) ?? scan(s.v, `optimizer ${name}: second moment v`);
    if (bad) return bad;
  }
  if (agent.obsNormalizer) {
    const s = agent.obsNormalizer.getState();
    const bad = scan(s.mean, 'obsNormalizer: mean') ?? scan(s.var, 'obsNormalizer: var');
    if (bad) return bad;
  }
  if (probeObs) {
    try {
      const bad = scan(agent.act(probeObs), 'the deterministic action');
      if (bad) return bad;
    } catch (e) {
      return (e as Error).message;
    }
  }
  return undefined;
}

/** Builds an agent from checkpoint content; every problem is a CheckpointError naming `source`. The arrays
 *  are checked against the shapes the config implies before anything is built. */
export function agentFromCheckpoint(engine: Engine, content: CheckpointContent, source: string): Agent {
  const bad = (problem: string): never => { throw new CheckpointError(source, problem); };
  if (!content || typeof content !== 'object' || !content.meta || typeof content.meta !== 'object' || !content.arrays) bad('expected checkpoint content { kind, meta, arrays } (decodeCheckpoint gives it)');
  if (content.kind !== AGENT_KIND) bad(`holds a '${content.kind}', not a training agent`);
  const meta = content.meta;
  let algo: Algorithm;
  let config: OffPolicyConfig;
  try {
    algo = algorithm(meta.algorithm);
    config = algo.resolveConfig(meta.config as OffPolicyConfig);
  } catch (e) {
    return bad(`${meta.algorithm === undefined ? 'algorithm is missing' : 'config is invalid'}: ${(e as Error).message}`);
  }
  const need = (name: string, length: number): Float32Array => {
    const a = content.arrays[name];
    if (!a) bad(`array '${name}' is missing`);
    if (a.length !== length) bad(`array '${name}' has ${a.length} values, the config's networks need ${length}`);
    for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) bad(`array '${name}' holds ${a[i]} at index ${i}`);
    return a;
  };
  const count = (v: unknown, what: string): number =>
    (Number.isSafeInteger(v) && (v as number) >= 0 ? (v as number) : bad(`${what} must be an integer ≥ 0, got ${String(v)}`));
  const plan = algo.plan(config);
  const optimizerMeta = (meta.optimizers ?? {}) as Record<string, { t?: unknown }>;
  for (const [name, spec] of Object.entries(plan.networks)) {
    const n = paramCountOf(spec);
    need(`networks.${name}`, n);
    if (spec.optimizer) {
      need(`optimizers.${name}.m`, n);
      need(`optimizers.${name}.v`, n);
      count(optimizerMeta[name]?.t, `optimizers.${name}.t`);
    }
  }
  const steps = count(meta.steps, 'steps'), updates = count(meta.updates, 'updates');

  let agent: Agent;
  try {
    agent = algo.create(engine, config);
  } catch (e) {
    return bad(`config cannot be built: ${(e as Error).message}`);
  }
  const part = (what: string, restore: () => void) => {
    try { restore(); } catch (e) { bad(`${what} is inconsistent: ${(e as Error).message}`); }
  };
  for (const [name, net] of Object.entries(agent.networks)) part(`network '${name}'`, () => net.setParams(content.arrays[`networks.${name}`]));
  for (const [name, opt] of Object.entries(agent.optimizers)) {
    part(`optimizer '${name}'`, () => opt.setState({
      t: optimizerMeta[name].t as number, m: content.arrays[`optimizers.${name}.m`], v: content.arrays[`optimizers.${name}.v`],
    }));
  }
  const streams = (meta.randomStreams ?? {}) as Record<string, unknown>;
  for (const [name, stream] of Object.entries(agent.randomStreams)) {
    if (streams[name] === undefined) bad(`random stream '${name}' is missing (an exact resume needs every one)`);
    part(`random stream '${name}'`, () => stream.setState(streams[name]));
  }
  if (agent.obsNormalizer) {
    if (meta.obsNormalizer === undefined) bad('obsNormalizer is missing: the config normalizes observations, so the statistics are part of the agent');
    part('obsNormalizer', () => agent.obsNormalizer!.setState(meta.obsNormalizer as never));
  }
  agent.steps = steps;
  agent.updates = updates;
  if (meta.replay !== undefined) {
    const r = meta.replay as Omit<ReplaySnapshot, (typeof REPLAY_FIELDS)[number]>;
    const arrays = Object.fromEntries(REPLAY_FIELDS.map((f) => [f, content.arrays[`replay.${f}`] ?? bad(`array 'replay.${f}' is missing`)]));
    part('replay buffer', () => agent.replay.restore({ ...r, ...arrays } as ReplaySnapshot));
  }
  return agent;
}
