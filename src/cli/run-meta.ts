// The run state a training checkpoint carries besides the agent (meta.run): which env and algorithm, the
// target step count, the trainer's loop state, the metrics rows so far, the periodic evaluation schedule and its
// rows so far, the introspection accumulators, the wall time spent. readRunMeta checks every field before a
// resume uses it and rebuilds the object from the known fields only (an unknown or crafted extra key never
// reaches the next checkpoint written).
import { CheckpointError, type CheckpointContent } from '../checkpoint/format.js';
import { ALL_ENV_IDS } from '../envs/registry.js';
import { ALGORITHM_NAMES } from '../rl/algorithms.js';
import type { IntrospectionState } from '../rl/introspection.js';
import type { TrainerSnapshot } from '../rl/trainer.js';

export interface RunMeta {
  env: string;
  algo: string;
  totalSteps: number;
  seed: number;
  evalEpisodes: number;
  checkpointEvery: number;
  logGrads: boolean;
  trainer: TrainerSnapshot;
  /** metrics.csv's rows so far, one per finished episode (without the header). */
  metrics: string[];
  /** --eval-every: steps between periodic evaluations (0: none). Fixed for the run: evals.csv has a row at every
   *  multiple of it. */
  evalEvery: number;
  /** evals.csv's rows so far, one per periodic evaluation (without the header): the rows at evalEvery, 2·evalEvery,
   *  … up to trainer.step, the one at trainer.step included (the loop evaluates before it checkpoints). */
  evals: string[];
  /** Seconds spent training by the invocations so far (metrics' wall_s continues from it on resume). */
  wallSeconds: number;
  /** --log-grads: the accumulators of the current episode. */
  introspection?: IntrospectionState;
}

const METRICS_ROW = /^[0-9eE.+\-,]*$/;
/** A number as String(x) writes a finite one. */
const NUM = '-?\\d+(?:\\.\\d+)?(?:e[+-]\\d+)?';
/** An evals.csv row (run-files.ts evalsRow): step,mean,std,episodes,returns joined with ';'. */
export const EVALS_ROW = new RegExp(`^(\\d+),(${NUM}),(${NUM}),(\\d+),(${NUM}(?:;${NUM})*)$`);

/** The run state of a checkpoint, checked field by field; every problem is a CheckpointError naming the file
 *  and the field. */
export function readRunMeta(content: CheckpointContent, file: string): RunMeta {
  const bad = (field: string, expected: string, got: unknown): never => {
    let shown: string;
    try { shown = JSON.stringify(got)?.slice(0, 60) ?? String(got); } catch { shown = typeof got; }
    throw new CheckpointError(file, `run.${field} must be ${expected}, got ${shown}`);
  };
  const m = content.meta.run as Record<string, unknown> | undefined;
  if (!m || typeof m !== 'object' || Array.isArray(m)) throw new CheckpointError(file, 'holds no run state (meta.run): it is not a training-run checkpoint');
  const int = (field: string, min: number): number => {
    const v = m[field];
    return Number.isSafeInteger(v) && (v as number) >= min ? (v as number) : bad(field, `an integer ≥ ${min}`, v);
  };
  const env = typeof m.env === 'string' && ALL_ENV_IDS.includes(m.env) ? m.env : bad('env', `one of ${ALL_ENV_IDS.join(', ')}`, m.env);
  const algo = typeof m.algo === 'string' && (ALGORITHM_NAMES as string[]).includes(m.algo) ? m.algo : bad('algo', ALGORITHM_NAMES.join(' or '), m.algo);
  if (algo !== content.meta.algorithm) bad('algo', `the checkpoint's algorithm ${String(content.meta.algorithm)}`, algo);
  const metrics = m.metrics;
  if (!Array.isArray(metrics)) bad('metrics', 'an array of CSV rows', metrics);
  (metrics as unknown[]).forEach((row, i) => {
    if (typeof row !== 'string' || row.length > 100_000 || !METRICS_ROW.test(row)) bad(`metrics[${i}]`, 'a CSV row of numbers', row);
  });
  const trainer = m.trainer as TrainerSnapshot | undefined;
  if (!trainer || typeof trainer !== 'object' || Array.isArray(trainer)) bad('trainer', 'the trainer state', trainer);
  const lastWall = (metrics as string[]).length ? Number((metrics as string[]).at(-1)!.split(',').at(-1)) : 0;
  const wallSeconds = m.wallSeconds === undefined ? (Number.isFinite(lastWall) ? lastWall : 0) // format 1 did not record it
    : typeof m.wallSeconds === 'number' && Number.isFinite(m.wallSeconds) && m.wallSeconds >= 0 ? m.wallSeconds : bad('wallSeconds', 'a finite number ≥ 0', m.wallSeconds);
  if (typeof m.logGrads !== 'boolean') bad('logGrads', 'true or false', m.logGrads);
  // Written by versions before periodic evaluation: neither field, and a run without it. One of the two alone is
  // a damaged file (a run's evaluations would be lost or misplaced), not an old one.
  const old = m.evalEvery === undefined && m.evals === undefined;
  const meta: RunMeta = {
    env, algo, totalSteps: int('totalSteps', 1), seed: int('seed', 0), evalEpisodes: int('evalEpisodes', 0),
    checkpointEvery: int('checkpointEvery', 1), logGrads: m.logGrads === true, trainer: trainer!, metrics: [...(metrics as string[])],
    evalEvery: old ? 0 : int('evalEvery', 0), evals: old ? [] : [...readEvals(m.evals, bad)], wallSeconds,
  };
  const step = trainer!.step, episode = trainer!.episode;
  if (!Number.isSafeInteger(step) || step < 0 || step > meta.totalSteps) bad('trainer.step', `an integer in [0, totalSteps ${meta.totalSteps}]`, step);
  if (step !== content.meta.steps) bad('trainer.step', `the agent's step count ${String(content.meta.steps)}`, step);
  if (episode !== meta.metrics.length) bad('trainer.episode', `the number of metrics rows (${meta.metrics.length}): one row per finished episode`, episode);
  checkEvalSchedule(meta, bad);
  if (meta.logGrads) {
    if (m.introspection === undefined || typeof m.introspection !== 'object') bad('introspection', 'the --log-grads accumulators (the run logs gradients)', m.introspection);
    meta.introspection = m.introspection as IntrospectionState;
  }
  return meta;
}

type Bad = (field: string, expected: string, got: unknown) => never;

/** run.evals: an array of evals.csv rows, each of numbers with as many returns as episodes. */
function readEvals(evals: unknown, bad: Bad): string[] {
  if (!Array.isArray(evals)) bad('evals', 'an array of CSV rows', evals);
  (evals as unknown[]).forEach((row, i) => {
    const r = typeof row === 'string' ? EVALS_ROW.exec(row) : null;
    if (!r) return bad(`evals[${i}]`, 'a CSV row step,mean,std,episodes,returns of numbers (the returns joined with ;)', row);
    const episodes = Number(r[4]);
    if (!(episodes >= 1) || r[5].split(';').length !== episodes) bad(`evals[${i}]`, `a row whose episodes count (${r[4]}) is the number of its returns`, row);
  });
  return evals as string[];
}

/** The rows are the evaluations at evalEvery, 2·evalEvery, … up to trainer.step, each once and in order: the
 *  loop evaluates before it checkpoints, so a resume neither repeats nor misses one. */
function checkEvalSchedule(meta: RunMeta, bad: Bad): void {
  const every = meta.evalEvery, step = meta.trainer.step;
  let last = 0;
  meta.evals.forEach((row, i) => {
    const at = Number(row.slice(0, row.indexOf(',')));
    if (every === 0) bad('evals', 'empty: the run has no periodic evaluation (run.evalEvery 0)', meta.evals.length + ' rows');
    if (at % every !== 0 || at === 0) bad(`evals[${i}]`, `at a step that is a multiple of run.evalEvery ${every}`, row);
    if (at > step) bad(`evals[${i}]`, `at a step ≤ run.trainer.step ${step}`, row);
    if (at <= last) bad(`evals[${i}]`, `at a step above the row before's (${last}): steps increasing`, row);
    if (at !== last + every) bad(`evals[${i}]`, `the evaluation at step ${last + every} (one every run.evalEvery ${every} steps, none missing)`, row);
    last = at;
  });
  const due = every > 0 ? Math.floor(step / every) : 0;
  if (meta.evals.length !== due) bad('evals', `${due} rows: one per evaluation due by run.trainer.step ${step} (every ${every} steps)`, `${meta.evals.length} rows`);
  if (every > 0 && meta.evalEpisodes === 0) bad('evalEpisodes', 'at least 1: the run evaluates every run.evalEvery steps', meta.evalEpisodes);
}
