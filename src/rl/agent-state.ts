// DDPG agent <-> checkpoint content: the four networks, both Adam states, the config, and (optionally,
// for exact resume) the replay buffer and every RNG / noise state. See docs/checkpoint-format.md.
import type { Engine } from '../engine/engine.js';
import { CheckpointError, type CheckpointContent } from '../checkpoint/format.js';
import { resolveConfig, type DdpgConfig } from './config.js';
import { DDPG } from './ddpg.js';
import type { ReplaySnapshot } from './replay.js';
import { planLayers } from '../nn/layout.js';

const NETS = ['actor', 'critic', 'actorTarget', 'criticTarget'] as const;

export function agentToCheckpoint(agent: DDPG, opts: { withReplay?: boolean; meta?: Record<string, unknown> } = {}): CheckpointContent {
  const arrays: Record<string, Float32Array> = {};
  for (const n of NETS) arrays[n] = agent[n].getParams();
  const actorOpt = agent.actorOptimizer.getState(), criticOpt = agent.criticOptimizer.getState();
  arrays['actorAdam.m'] = actorOpt.m; arrays['actorAdam.v'] = actorOpt.v;
  arrays['criticAdam.m'] = criticOpt.m; arrays['criticAdam.v'] = criticOpt.v;
  const meta: Record<string, unknown> = {
    ...opts.meta,
    config: agent.config,
    paramCounts: Object.fromEntries(NETS.map((n) => [n, agent[n].paramCount])),
    actorAdamT: actorOpt.t,
    criticAdamT: criticOpt.t,
    steps: agent.steps,
    updates: agent.updates,
    noise: agent.noise.snapshot(),
    explorationRng: agent.explorationRng.getState(),
  };
  if (opts.withReplay) {
    const r = agent.replay.snapshot();
    for (const f of ['obs', 'actions', 'rewards', 'nextObs', 'terminated'] as const) arrays[`replay.${f}`] = r[f];
    meta.replay = { capacity: r.capacity, obsDim: r.obsDim, actDim: r.actDim, size: r.size, pos: r.pos, rng: r.rng };
  }
  return { kind: 'agent', meta, arrays };
}

/** Builds an agent from checkpoint content; every problem is a CheckpointError naming `source`. */
export function agentFromCheckpoint(engine: Engine, content: CheckpointContent, source: string): DDPG {
  const bad = (problem: string): never => { throw new CheckpointError(source, problem); };
  if (content.kind !== 'agent') bad(`holds a '${content.kind}', not a training agent`);
  const meta = content.meta;
  let config: DdpgConfig;
  try {
    config = resolveConfig(meta.config as DdpgConfig);
  } catch (e) {
    return bad(`config is invalid: ${(e as Error).message}`);
  }
  // Check every array against the shapes the config implies before building anything: never a half-loaded agent.
  const actorCount = planLayers([config.obsDim, ...config.actorHidden, config.actDim], 'relu', 'tanh').paramCount;
  const criticCount = planLayers([config.obsDim, ...config.criticHidden, 1], 'relu', 'identity',
    { layer: config.criticActionLayer, size: config.actDim }).paramCount;
  const expected: Record<string, number> = {
    actor: actorCount, actorTarget: actorCount, 'actorAdam.m': actorCount, 'actorAdam.v': actorCount,
    critic: criticCount, criticTarget: criticCount, 'criticAdam.m': criticCount, 'criticAdam.v': criticCount,
  };
  const need = (name: string, length: number): Float32Array => {
    const a = content.arrays[name];
    if (!a) bad(`array '${name}' is missing`);
    if (a.length !== length) bad(`array '${name}' has ${a.length} values, the config's networks need ${length}`);
    for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) bad(`array '${name}' holds ${a[i]} at index ${i}`);
    return a;
  };
  for (const [name, length] of Object.entries(expected)) need(name, length);
  let agent: DDPG;
  try {
    agent = new DDPG(engine, config);
  } catch (e) {
    return bad(`config cannot be built: ${(e as Error).message}`);
  }
  for (const n of NETS) agent[n].setParams(need(n, agent[n].paramCount));
  const t = (v: unknown, what: string): number => (Number.isInteger(v) && (v as number) >= 0 ? (v as number) : bad(`${what} must be an integer ≥ 0, got ${String(v)}`));
  try {
    agent.actorOptimizer.setState({ t: t(meta.actorAdamT, 'actorAdamT'), m: need('actorAdam.m', agent.actor.paramCount), v: need('actorAdam.v', agent.actor.paramCount) });
    agent.criticOptimizer.setState({ t: t(meta.criticAdamT, 'criticAdamT'), m: need('criticAdam.m', agent.critic.paramCount), v: need('criticAdam.v', agent.critic.paramCount) });
    agent.steps = t(meta.steps, 'steps');
    agent.updates = t(meta.updates, 'updates');
    if (meta.noise) agent.noise.restore(meta.noise as never);
    if (meta.explorationRng) agent.explorationRng.setState(meta.explorationRng as never);
    if (meta.replay) {
      const r = meta.replay as Omit<ReplaySnapshot, 'obs' | 'actions' | 'rewards' | 'nextObs' | 'terminated'>;
      const get = (f: string) => content.arrays[`replay.${f}`] ?? bad(`array 'replay.${f}' is missing`);
      agent.replay.restore({ ...r, obs: get('obs'), actions: get('actions'), rewards: get('rewards'), nextObs: get('nextObs'), terminated: get('terminated') });
    }
  } catch (e) {
    if (e instanceof CheckpointError) throw e;
    return bad(`state is inconsistent: ${(e as Error).message}`);
  }
  return agent;
}
