// The files of a training run folder: config.json, metrics.csv, checkpoint.ddpg, curve.svg, evals.csv (train
// --eval-every).
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../checkpoint/file.js';
import type { EpisodeLog } from '../rl/trainer.js';

export const CHECKPOINT_FILE = 'checkpoint.ddpg';
export const METRICS_HEADER = 'step,episode,return,length,critic_loss,actor_loss,q_mean,wall_s';

export function metricsRow(e: EpisodeLog, wallSeconds: number): string {
  const f = (v: number | undefined) => (v === undefined ? '' : String(v));
  return [e.step, e.episode, e.return, e.length, f(e.criticLoss), f(e.actorLoss), f(e.qMean), wallSeconds.toFixed(3)].join(',');
}

export const EVALS_FILE = 'evals.csv';
export const EVALS_HEADER = 'step,mean,std,episodes,returns';

/** One row of evals.csv: the step it was taken at, mean and std as eval.json has them, the episode count and
 *  every episode's return joined with ';' (String(x): full precision, so a row parses back to the same numbers). */
export function evalsRow(step: number, ev: { mean: number; std: number; returns: number[] }): string {
  return [step, ev.mean, ev.std, ev.returns.length, ev.returns.join(';')].join(',');
}

/** A run folder or a checkpoint file → the checkpoint file's path. */
export function checkpointPath(path: string): string {
  return existsSync(path) && statSync(path).isDirectory() ? join(path, CHECKPOINT_FILE) : path;
}

export function writeText(path: string, text: string): void {
  writeFileAtomic(path, new TextEncoder().encode(text));
}

