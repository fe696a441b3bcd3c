// The files of a training run folder: config.json, metrics.csv, checkpoint.ddpg, curve.svg.
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

/** A run folder or a checkpoint file → the checkpoint file's path. */
export function checkpointPath(path: string): string {
  return existsSync(path) && statSync(path).isDirectory() ? join(path, CHECKPOINT_FILE) : path;
}

export function writeText(path: string, text: string): void {
  writeFileAtomic(path, new TextEncoder().encode(text));
}

