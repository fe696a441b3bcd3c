// DDPG agents for the benchmarks: Pendulum-v1 shapes (obs 3, action 1 in [−2, 2]), both nets with the same
// hidden sizes, the action joining the critic at its input (the default), a replay buffer of real
// Pendulum transitions. Agents made with the same arguments start bit-identical (weights, replay, RNGs).
import { DDPG, ReplayBuffer, type DdpgConfigInput, type Engine } from '../../src/index.js';
import { fillPendulum } from './data.js';

export const FILL = 5_000;

export function pendulumConfig(hidden: number[], extra: Partial<DdpgConfigInput> = {}): DdpgConfigInput {
  return {
    obsDim: 3, actDim: 1, actionLow: [-2], actionHigh: [2], actorHidden: hidden, criticHidden: hidden,
    batchSize: 256, bufferSize: 50_000, learningStarts: 0, seed: 1, actorLr: 1e-3, criticLr: 1e-3, ...extra,
  };
}

/** A fresh agent whose replay holds FILL transitions; `twin` (if asked) is a separate buffer with the same
 *  content and RNG seed, for a tfjs agent to sample the very same batches. */
export function makeAgent(engine: Engine, hidden: number[], withTwin = false): { agent: DDPG; twin?: ReplayBuffer } {
  const agent = new DDPG(engine, pendulumConfig(hidden));
  const c = agent.config;
  const twin = withTwin ? new ReplayBuffer({ capacity: c.bufferSize, obsDim: c.obsDim, actDim: c.actDim, seed: c.seed * 16 + 3 }) : undefined;
  fillPendulum(twin ? [agent.replay, twin] : [agent.replay], FILL, 7);
  return { agent, twin };
}

/** 2·B·Σ in·out summed over the matmuls of one DDPG update (see bench/cases/ddpg.ts for the count). */
export function ddpgUpdateFlops(agent: DDPG): number {
  const B = agent.config.batchSize;
  const sum = (layers: readonly { in: number; out: number }[]) => layers.reduce((s, l) => s + l.in * l.out, 0);
  const A = agent.actor.layers, C = agent.critic.layers;
  return 2 * B * (4 * sum(A) - A[0].in * A[0].out + 6 * sum(C) - C[0].in * C[0].out);
}
