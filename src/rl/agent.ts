// The agent contract: what every off-policy agent (DDPG, TD3, …) offers to the code around it. The trainer,
// evaluation, checkpoints, introspection, policy export, memory sizing and the CLI use only this — they
// never name an algorithm or its fields. An agent lists what it owns by name (micrograd's parameters(),
// rl-tools' critics[2]): iterate `networks`, `optimizers` and `randomStreams` instead of reaching for
// `agent.critic2Target`.
import type { Adam } from '../nn/adam.js';
import type { Mlp } from '../nn/mlp.js';
import type { OffPolicyConfig } from './config.js';
import type { ObsNormalizer } from './normalizer.js';
import type { Batch, ReplayBuffer } from './replay.js';

export type AlgorithmName = 'ddpg' | 'td3';

/** A piece of random state that a checkpoint saves and restores (an Rng, a noise process). */
export interface Stateful<S = unknown> {
  getState(): S;
  setState(state: S): void;
}

/** What one update reports. The object is reused by the next update: copy it to keep it. */
export interface UpdateStats {
  /** Mean squared TD error of the critic step (TD3: the mean of both critics' losses). */
  criticLoss: number;
  /** −mean_b Q(s, μ(s)) of the actor step; undefined on updates without one (policyDelay > 1). */
  actorLoss: number | undefined;
  /** mean_b Q(s, a) over the batch's stored actions, before the critic step (TD3: Q1). */
  qMean: number;
  /** mean_b |Q(s, a) − y| over the batch, before the critic step (TD3: Q1). */
  tdErrorMean: number;
}

/** A batch given to update(): row-major Float32Arrays, actions in env units, terminated 0/1. */
export type UpdateBatch = Pick<Batch, 'obs' | 'actions' | 'rewards' | 'nextObs' | 'terminated'>;

export interface Agent {
  readonly algorithm: AlgorithmName;
  /** The resolved config (plain JSON: it is what a checkpoint stores). */
  readonly config: OffPolicyConfig;
  /** Every network the agent owns, targets included, by name; the order is the checkpoint's. */
  readonly networks: Readonly<Record<string, Mlp>>;
  /** One Adam per trained network, under that network's name. */
  readonly optimizers: Readonly<Record<string, Adam>>;
  /** Every random stream besides the replay buffer's sampling RNG (saved with the buffer). */
  readonly randomStreams: Readonly<Record<string, Stateful>>;
  readonly replay: ReplayBuffer;
  /** The policy μ: tanh output, scaled to the action box by act() (what export and evaluation use). */
  readonly actor: Mlp;
  /** Running observation statistics that act(), update() and qValues() normalize with (obsNormalization). */
  readonly obsNormalizer: ObsNormalizer | undefined;
  /** Transitions observed so far (drives learningStarts). */
  steps: number;
  /** Updates made so far. */
  updates: number;

  /** The action for one observation in env units; with explore, uniform random before learningStarts,
   *  then μ(s) plus exploration noise, clipped to the box. The array is reused by the next call. */
  act(obs: ArrayLike<number>, opts?: { explore?: boolean }): Float32Array;
  /** Stores a transition; pass terminated = false for a time-limit truncation (it bootstraps). */
  observe(obs: ArrayLike<number>, action: ArrayLike<number>, reward: number, nextObs: ArrayLike<number>, terminated: boolean): void;
  /** Resets the exploration noise process. */
  resetNoise(): void;
  /** At every episode start, with the reset observation: resets the noise, and counts the observation in the
   *  normalization statistics. */
  startEpisode(obs: ArrayLike<number>): void;
  /** learningStarts is reached and the buffer holds a batch. */
  canUpdate(): boolean;
  /** One update on `batch`, or on batchSize transitions sampled from the replay buffer. */
  update(batch?: UpdateBatch): UpdateStats;
  /** Q(s, a) of the critic the actor follows, for `rows` rows (a view: copy it to keep it). */
  qValues(obs: ArrayLike<number>, actions: ArrayLike<number>, rows: number): Float32Array;
}
