// DDPG and TD3 agents for the benchmarks: Pendulum-v1 shapes (obs 3, action 1 in [−2, 2]), both nets with
// the same hidden sizes, the action joining the critic at its input (the default), a replay buffer of real
// Pendulum transitions. Agents made with the same arguments start bit-identical (weights, replay, RNGs) — and
// run the same kernels on engines loaded with sameKernels.
import { DDPG, ReplayBuffer, TD3, type DdpgConfigInput, type Engine, type KernelsOption } from '../../src/index.js';
import { fillPendulum } from './data.js';

export const FILL = 5_000;

/** The kernel variants `engine` runs, as a loadEngine({ kernels }) option: an engine loaded with it runs the same
 *  ones (two calibrations on a busy host may choose differently, which a comparison of builds must not mix in). */
export function sameKernels(engine: Engine): KernelsOption {
  const { forward, dx, dw } = engine.kernelInfo();
  return { forward, dx, dw } as KernelsOption;
}

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
  return { agent, twin: fill(agent, withTwin) };
}

/** The same for TD3 (CleanRL's policyDelay 2 and smoothing 0.2 / 0.5). */
export function makeTd3(engine: Engine, hidden: number[], withTwin = false): { agent: TD3; twin?: ReplayBuffer } {
  const agent = new TD3(engine, { ...pendulumConfig(hidden), policyDelay: 2, targetPolicyNoise: 0.2, targetNoiseClip: 0.5 });
  return { agent, twin: fill(agent, withTwin) };
}

function fill(agent: DDPG | TD3, withTwin: boolean): ReplayBuffer | undefined {
  const c = agent.config;
  const twin = withTwin ? new ReplayBuffer({ capacity: c.bufferSize, obsDim: c.obsDim, actDim: c.actDim, seed: c.seed * 16 + 3 }) : undefined;
  fillPendulum(twin ? [agent.replay, twin] : [agent.replay], FILL, 7);
  return twin;
}

const sum = (layers: readonly { in: number; out: number }[]) => layers.reduce((s, l) => s + l.in * l.out, 0);

/** 2·B·Σ in·out summed over the matmuls of one TD3 update, averaged over the policyDelay cycle: every update
 *  μ′ forward, Q1′ and Q2′ forward, each critic's forward, dW and dX above its input; every policyDelay-th
 *  also μ's forward, dW, dX above its input and Q1's forward and dX down to the action. */
export function td3UpdateFlops(agent: TD3): number {
  const B = agent.config.batchSize, d = agent.config.policyDelay;
  const A = agent.actor.layers, C = agent.critic1.layers;
  const always = sum(A) + 2 * sum(C) + 2 * (3 * sum(C) - C[0].in * C[0].out);
  const delayed = 3 * sum(A) - A[0].in * A[0].out + 2 * sum(C);
  return 2 * B * (always + delayed / d);
}

/** 2·B·Σ in·out summed over the matmuls of one DDPG update (see bench/cases/ddpg.ts for the count). */
export function ddpgUpdateFlops(agent: DDPG): number {
  const B = agent.config.batchSize;
  const A = agent.actor.layers, C = agent.critic.layers;
  return 2 * B * (4 * sum(A) - A[0].in * A[0].out + 6 * sum(C) - C[0].in * C[0].out);
}
