// The interaction loop: act, step the env, store the transition, update — CleanRL's order.
//   for each step:  a = act(s, explore) → (s′, r, terminated, truncated) = env.step(a)
//                   store (s, a, r, s′, terminated)   — s′ is the real final obs even on truncation
//                   once steps ≥ learningStarts: one update
//                   on episode end: log it; at episode start: reset the env, agent.startEpisode(obs)
// It knows the agent contract (src/rl/agent.ts), not an algorithm.
import { checkObject, checkPositiveInt, fail } from '../errors.js';
import type { AnyEnv, EnvSnapshot } from '../envs/env.js';
import type { Agent, UpdateStats } from './agent.js';
import { EXPLORE } from './off-policy.js';

/** The update statistics averaged per episode (an update without a value, e.g. no actor step, is skipped). */
export const EPISODE_STATS = ['criticLoss', 'actorLoss', 'qMean'] as const;
type EpisodeStat = (typeof EPISODE_STATS)[number];

export interface EpisodeLog {
  /** Environment steps taken when the episode ended. */
  step: number;
  episode: number;
  return: number;
  length: number;
  /** Means over the updates of the episode that had the value (undefined when none had). */
  criticLoss: number | undefined;
  actorLoss: number | undefined;
  qMean: number | undefined;
}

/** Running sums of one statistic over the episode's updates that reported it. */
export interface StatSum { sum: number; n: number }

export interface TrainerSnapshot {
  step: number;
  episode: number;
  obs: number[];
  episodeReturn: number;
  episodeLength: number;
  sums: Record<EpisodeStat, StatSum>;
  needsReset: boolean;
  env: EnvSnapshot;
}

const emptySums = (): Record<EpisodeStat, StatSum> =>
  ({ criticLoss: { sum: 0, n: 0 }, actorLoss: { sum: 0, n: 0 }, qMean: { sum: 0, n: 0 } });

export class Trainer {
  readonly agent: Agent;
  readonly env: AnyEnv;
  /** Environment steps taken so far. */
  step = 0;
  episode = 0;
  private readonly obs: Float32Array;
  private episodeReturn = 0;
  private episodeLength = 0;
  private sums = emptySums();
  private needsReset = true;
  private readonly seed: number;
  /** Optional observer of every transition and update (train --log-grads: src/rl/introspection.ts). */
  taps?: { transition?(obs: Float32Array, action: Float32Array, reward: number): void; update?(stats: UpdateStats): void };

  constructor(agent: Agent, env: AnyEnv, seed = agent?.config?.seed) {
    checkObject(agent, 'Trainer: agent');
    checkObject(env, 'Trainer: env');
    if (!Number.isSafeInteger(seed)) fail(`Trainer: seed must be an integer, got ${String(seed)}`);
    this.agent = agent;
    this.env = env;
    this.seed = seed;
    this.obs = new Float32Array(env.observationSpace.shape[0]);
  }

  /** Runs until `totalSteps` environment steps have been taken; calls onEpisode at each episode end and
   *  onStep after every step (returning true from onStep stops the run after that step). */
  run(totalSteps: number, onEpisode?: (e: EpisodeLog) => void, onStep?: (step: number) => boolean | void): void {
    if (!(Number.isSafeInteger(totalSteps) && totalSteps >= 0) && totalSteps !== Number.MAX_SAFE_INTEGER) fail(`Trainer.run: totalSteps must be an integer ≥ 0, got ${String(totalSteps)}`);
    if (onEpisode !== undefined && typeof onEpisode !== 'function') fail('Trainer.run: onEpisode must be a function');
    if (onStep !== undefined && typeof onStep !== 'function') fail('Trainer.run: onStep must be a function');
    const { agent, env } = this;
    while (this.step < totalSteps) {
      if (this.needsReset) this.startEpisode();
      const action = agent.act(this.obs, EXPLORE);
      const r = env.step(action);
      this.taps?.transition?.(this.obs, action, r.reward);
      agent.observe(this.obs, action, r.reward, r.obs, r.terminated);
      this.obs.set(r.obs);
      this.step += 1;
      this.episodeReturn += r.reward;
      this.episodeLength += 1;
      if (agent.canUpdate()) {
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
      episodeLength: this.episodeLength, sums: structuredClone(this.sums), needsReset: this.needsReset, env: this.env.snapshot(),
    };
  }

  restore(s: TrainerSnapshot): void {
    checkTrainerSnapshot(s, this.obs.length);
    // Mid-episode, the registered env's episode must be running too (OrderEnforcing's snapshot keys).
    if (!s.needsReset && (s.env?.done === true || s.env?.started === false)) fail('trainer state: the trainer is mid-episode but the env\'s episode has ended or not started');
    this.env.restore(s.env);
    this.step = s.step; this.episode = s.episode; this.obs.set(s.obs);
    this.episodeReturn = s.episodeReturn; this.episodeLength = s.episodeLength; this.sums = structuredClone(s.sums);
    this.needsReset = s.needsReset;
  }

  private startEpisode(): void {
    // The first reset seeds the env; later ones continue its RNG stream.
    const { obs } = this.episode === 0 ? this.env.reset({ seed: this.seed }) : this.env.reset();
    this.obs.set(obs);
    this.agent.startEpisode(this.obs);
    this.needsReset = false;
  }

  private record(s: UpdateStats): void {
    for (const name of EPISODE_STATS) {
      const v = s[name];
      if (v === undefined) continue;
      this.sums[name].sum += v;
      this.sums[name].n += 1;
    }
  }

  private finishEpisode(): EpisodeLog {
    const mean = (name: EpisodeStat) => { const t = this.sums[name]; return t.n ? t.sum / t.n : undefined; };
    const log: EpisodeLog = {
      step: this.step, episode: this.episode, return: this.episodeReturn, length: this.episodeLength,
      criticLoss: mean('criticLoss'), actorLoss: mean('actorLoss'), qMean: mean('qMean'),
    };
    this.episodeReturn = 0;
    this.episodeLength = 0;
    this.sums = emptySums();
    return log;
  }
}

function checkTrainerSnapshot(s: TrainerSnapshot, obsDim: number): void {
  const count = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
  if (!s || typeof s !== 'object') fail('trainer state must be an object');
  if (!Array.isArray(s.obs) || s.obs.length !== obsDim || !s.obs.every((v) => typeof v === 'number' && Number.isFinite(Math.fround(v)))) {
    fail(`trainer state: obs must be ${obsDim} numbers, finite in float32`);
  }
  if (!count(s.step) || !count(s.episode) || !count(s.episodeLength)) fail('trainer state: step, episode and episodeLength must be integers ≥ 0');
  if (!Number.isFinite(s.episodeReturn)) fail(`trainer state: episodeReturn must be finite, got ${String(s.episodeReturn)}`);
  if (typeof s.needsReset !== 'boolean') fail('trainer state: needsReset must be a boolean');
  for (const name of EPISODE_STATS) {
    const t = s.sums?.[name];
    if (!t || !Number.isFinite(t.sum) || !count(t.n)) fail(`trainer state: sums.${name} must be { sum: finite, n: integer ≥ 0 }`);
  }
}

const DETERMINISTIC = Object.freeze({ explore: false });

/** Mean and standard deviation of the deterministic policy's return over `episodes` episodes. */
export function evaluate(agent: Pick<Agent, 'act'>, env: AnyEnv, episodes: number, seed: number): { mean: number; std: number; returns: number[] } {
  if (typeof agent?.act !== 'function') fail('evaluate: agent must have act(obs, opts)');
  checkObject(env, 'evaluate: env');
  checkPositiveInt(episodes, 'evaluate: episodes');
  if (!Number.isSafeInteger(seed)) fail(`evaluate: seed must be an integer, got ${String(seed)}`);
  const returns: number[] = [];
  for (let e = 0; e < episodes; e++) {
    let { obs } = env.reset({ seed: seed + e });
    let total = 0;
    for (;;) {
      const r = env.step(agent.act(obs, DETERMINISTIC));
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
