// The interaction loop: act, step the env, store the transition, update — CleanRL's order.
//   for each step:  a = act(s, explore) → (s′, r, terminated, truncated) = env.step(a)
//                   store (s, a, r, s′, terminated)   — s′ is the real final obs even on truncation
//                   once steps ≥ learningStarts: one update
//                   on episode end: log it, reset the env and the noise
import { DdpgInputError } from '../errors.js';
import type { Env, EnvSnapshot } from '../envs/spaces.js';
import type { DDPG, UpdateStats } from './ddpg.js';

export interface EpisodeLog {
  /** Environment steps taken when the episode ended. */
  step: number;
  episode: number;
  return: number;
  length: number;
  /** Means over the updates made during the episode (NaN when none were made). */
  criticLoss: number;
  actorLoss: number;
  qMean: number;
}

export interface TrainerSnapshot {
  step: number;
  episode: number;
  obs: number[];
  episodeReturn: number;
  episodeLength: number;
  sums: { critic: number; actor: number; q: number; n: number };
  needsReset: boolean;
  env: EnvSnapshot;
}

export class Trainer {
  readonly agent: DDPG;
  readonly env: Env;
  /** Environment steps taken so far. */
  step = 0;
  episode = 0;
  private readonly obs: Float32Array;
  private episodeReturn = 0;
  private episodeLength = 0;
  private sums = { critic: 0, actor: 0, q: 0, n: 0 };
  private needsReset = true;
  private readonly seed: number;
  /** Optional observer of every transition and update (train --log-grads: src/rl/introspection.ts). */
  taps?: { transition?(obs: Float32Array, action: Float32Array, reward: number): void; update?(stats: UpdateStats): void };

  constructor(agent: DDPG, env: Env, seed = agent.config.seed) {
    this.agent = agent;
    this.env = env;
    this.seed = seed;
    this.obs = new Float32Array(env.observationSpace.shape[0]);
  }

  /** Runs until `totalSteps` environment steps have been taken; calls onEpisode at each episode end and
   *  onStep after every step (returning true from onStep stops the run after that step). */
  run(totalSteps: number, onEpisode?: (e: EpisodeLog) => void, onStep?: (step: number) => boolean | void): void {
    const { agent, env } = this;
    while (this.step < totalSteps) {
      if (this.needsReset) this.startEpisode();
      const action = agent.act(this.obs, { explore: true });
      const r = env.step(action);
      this.taps?.transition?.(this.obs, action, r.reward);
      agent.observe(this.obs, action, r.reward, r.obs, r.terminated);
      this.obs.set(r.obs);
      this.step += 1;
      this.episodeReturn += r.reward;
      this.episodeLength += 1;
      if (agent.steps >= agent.config.learningStarts && agent.replay.size >= agent.config.batchSize) {
        const stats = agent.update();
        this.record(stats);
        this.taps?.update?.(stats);
      }
      if (r.terminated || r.truncated) {
        this.episode += 1;
        onEpisode?.(this.finishEpisode());
        this.needsReset = true;
      }
      if (onStep?.(this.step)) return;
    }
  }

  /** Everything needed to continue this loop exactly (the agent and env are saved alongside). */
  snapshot(): TrainerSnapshot {
    return {
      step: this.step, episode: this.episode, obs: Array.from(this.obs), episodeReturn: this.episodeReturn,
      episodeLength: this.episodeLength, sums: { ...this.sums }, needsReset: this.needsReset, env: this.env.snapshot(),
    };
  }

  restore(s: TrainerSnapshot): void {
    if (!s || s.obs?.length !== this.obs.length) throw new DdpgInputError(`trainer state: obs has ${s?.obs?.length} values, expected ${this.obs.length}`);
    this.step = s.step; this.episode = s.episode; this.obs.set(s.obs);
    this.episodeReturn = s.episodeReturn; this.episodeLength = s.episodeLength; this.sums = { ...s.sums };
    this.needsReset = s.needsReset;
    this.env.restore(s.env);
  }

  private startEpisode(): void {
    // The first reset seeds the env; later ones continue its RNG stream.
    const { obs } = this.episode === 0 ? this.env.reset({ seed: this.seed }) : this.env.reset();
    this.obs.set(obs);
    this.agent.resetNoise();
    this.needsReset = false;
  }

  private record(s: UpdateStats): void {
    this.sums.critic += s.criticLoss;
    this.sums.actor += s.actorLoss;
    this.sums.q += s.qMean;
    this.sums.n += 1;
  }

  private finishEpisode(): EpisodeLog {
    const n = this.sums.n;
    const log: EpisodeLog = {
      step: this.step, episode: this.episode, return: this.episodeReturn, length: this.episodeLength,
      criticLoss: n ? this.sums.critic / n : NaN, actorLoss: n ? this.sums.actor / n : NaN, qMean: n ? this.sums.q / n : NaN,
    };
    this.episodeReturn = 0;
    this.episodeLength = 0;
    this.sums = { critic: 0, actor: 0, q: 0, n: 0 };
    return log;
  }
}

/** Mean and standard deviation of the deterministic policy's return over `episodes` episodes. */
export function evaluate(agent: DDPG, env: Env, episodes: number, seed: number): { mean: number; std: number; returns: number[] } {
  const returns: number[] = [];
  for (let e = 0; e < episodes; e++) {
    let { obs } = env.reset({ seed: seed + e });
    let total = 0;
    for (;;) {
      const r = env.step(agent.act(obs, { explore: false }));
      total += r.reward;
      obs = r.obs;
      if (r.terminated || r.truncated) break;
    }
    returns.push(total);
  }
  const mean = returns.reduce((a, b) => a + b, 0) / episodes;
  const std = Math.sqrt(returns.reduce((a, b) => a + (b - mean) ** 2, 0) / episodes);
  return { mean, std, returns };
}
