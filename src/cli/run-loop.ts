// The training loop of `train`, new or resumed: the trainer in slices (so SIGINT/SIGTERM get through), the
// metrics rows, periodic checkpoints (written only when the whole training state is finite and the policy
// acts finitely), periodic evaluations (--eval-every: evals.csv), the learning curves, the final evaluation and
// the summary line.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { saveCheckpoint } from '../checkpoint/file.js';
import { createEnv } from '../envs/registry.js';
import { DivergenceError } from '../errors.js';
import type { Agent } from '../rl/agent.js';
import { agentToCheckpoint, findNonFinite } from '../rl/agent-state.js';
import { algorithm } from '../rl/algorithms.js';
import { Introspection, csvCells } from '../rl/introspection.js';
import { evaluate, type EpisodeLog, type Trainer } from '../rl/trainer.js';
import { curveSvg } from './curve-svg.js';
import { Progress } from './progress.js';
import { pointsFromMetrics, qVsReturnSvg } from './q-vs-return-svg.js';
import type { RunMeta } from './run-meta.js';
import { CHECKPOINT_FILE, EVALS_FILE, EVALS_HEADER, evalsRow, METRICS_HEADER, metricsRow, writeText } from './run-files.js';

/** Evaluation episodes reset with seeds EVAL_SEED_BASE + i: never the training stream. */
export const EVAL_SEED_BASE = 100_000;

export function formatEval(mean: number, std: number, episodes: number): string {
  return `mean ${mean.toFixed(1)} ± ${std.toFixed(1)} over ${episodes} episode${episodes === 1 ? '' : 's'}`;
}

export interface LoopOptions {
  quiet: boolean;
  /** The step this invocation started at (the summary says what it did and the total). */
  startStep: number;
  /** --log-grads on a resumed run: the accumulators restored from its checkpoint. */
  look?: Introspection;
}

export async function runLoop(agent: Agent, trainer: Trainer, dir: string, meta: RunMeta, opts: LoopOptions): Promise<number> {
  const file = join(dir, CHECKPOINT_FILE);
  const metrics = meta.metrics;
  const progress = opts.quiet ? undefined : new Progress(meta.totalSteps, trainer.step);
  const look = meta.logGrads ? opts.look ?? new Introspection(agent) : undefined;
  trainer.taps = look;
  const header = look ? `${METRICS_HEADER},${look.columns().join(',')}` : METRICS_HEADER;
  const writeMetrics = () => writeText(join(dir, 'metrics.csv'), [header, ...metrics].join('\n') + '\n');
  const t0 = performance.now();
  const wall = () => meta.wallSeconds + (performance.now() - t0) / 1000; // continues across resumes
  const checkpoint = () => {
    const snapshot = trainer.snapshot();
    const bad = findNonFinite(agent, snapshot.obs);
    if (bad) throw new DivergenceError('state', agent.updates, `training diverged: ${bad} at update ${agent.updates}; no checkpoint written`);
    writeMetrics();
    const run: RunMeta = { ...meta, trainer: snapshot, metrics, wallSeconds: wall(), ...(look ? { introspection: look.getState() } : {}) };
    saveCheckpoint(file, agentToCheckpoint(agent, { withReplay: true, meta: { run } }));
  };
  writeMetrics(); // a resumed run drops rows logged after its checkpoint
  // Periodic evaluation. Each one is a function of the agent's weights (and observation statistics) only: a fresh
  // env per evaluation, reset with the seeds of the final one, deterministic actions — no training env, random
  // stream, noise or replay write is touched, so training is the same bits with or without it, and a resume
  // recomputes the rows after its checkpoint exactly.
  const evals = meta.evals;
  const writeEvals = () => writeText(join(dir, EVALS_FILE), [EVALS_HEADER, ...evals].join('\n') + '\n');
  if (meta.evalEvery > 0) writeEvals(); // as metrics.csv: a resume drops rows logged after its checkpoint
  let lastEvalStep = evals.length * meta.evalEvery; // readRunMeta: one row per evaluation due by the checkpoint's step
  const evalDue = (step: number) => meta.evalEvery > 0 && step % meta.evalEvery === 0 && step > lastEvalStep;
  const periodicEval = async () => {
    const env = await createEnv(meta.env);
    try {
      const ev = evaluate(agent, env, meta.evalEpisodes, EVAL_SEED_BASE);
      evals.push(evalsRow(trainer.step, ev));
      lastEvalStep = trainer.step;
      writeEvals();
      progress?.note(`eval at step ${trainer.step}: ${formatEval(ev.mean, ev.std, meta.evalEpisodes)}`);
    } finally {
      (env as { close?: () => void }).close?.(); // a MuJoCo env's model and data, now rather than at collection
    }
  };
  const checkpointDue = (step: number) => step % meta.checkpointEvery === 0 && step < meta.totalSteps;
  let stopSignal: string | undefined;
  const onSignal = (sig: string) => { stopSignal = sig; };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let lastCheckpointStep: number | undefined = existsSync(file) ? trainer.step : undefined;
  try {
    const onEpisode = (e: EpisodeLog) => {
      metrics.push(metricsRow(e, wall()) + (look ? csvCells(look.finishEpisode()) : ''));
      progress?.episode(e.return);
    };
    const onStep = (step: number) => {
      progress?.tick(step);
      // At an evaluation step the slice ends here; the loop below evaluates, then writes the checkpoint due at the
      // same step, so that checkpoint holds the row: a resume from it neither repeats nor loses it (and a kill
      // between the two leaves the previous checkpoint, whose resume drops the row and computes it again).
      if (evalDue(step)) return true;
      if (checkpointDue(step)) { checkpoint(); lastCheckpointStep = step; }
      return stopSignal !== undefined;
    };
    // The loop is synchronous; yield to the event loop every few ms so SIGINT/SIGTERM handlers can run.
    while (trainer.step < meta.totalSteps && stopSignal === undefined) {
      const sliceEnd = performance.now() + 50;
      trainer.run(meta.totalSteps, onEpisode, (step) => onStep(step) || (step % 64 === 0 && performance.now() > sliceEnd));
      if (evalDue(trainer.step)) {
        await periodicEval();
        if (checkpointDue(trainer.step)) { checkpoint(); lastCheckpointStep = trainer.step; }
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    progress?.tick(trainer.step, true);
    progress?.done();
    checkpoint();
  } catch (e) {
    if (e instanceof DivergenceError) {
      progress?.done();
      const where = `${e.message} (env step ${trainer.step})`;
      throw new Error(lastCheckpointStep === undefined ? `${where}. No checkpoint had been written yet.`
        : `${where}. The last good checkpoint (step ${lastCheckpointStep}) is intact: ${file}`);
    }
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const title = `${algorithm(meta.algo).title} on ${meta.env}, seed ${meta.seed}`;
  writeText(join(dir, 'curve.svg'), curveSvg(metrics.map((r) => { const c = r.split(','); return { step: +c[0], value: +c[2] }; }), { title }));
  if (look) writeText(join(dir, 'q-vs-return.svg'), qVsReturnSvg(pointsFromMetrics(header, metrics), { title: `critic Q vs actual discounted return, ${meta.env}, seed ${meta.seed}` }));
  if (stopSignal) {
    console.error(`stopped by ${stopSignal} at step ${trainer.step}; checkpoint written. Resume with: ddpg-wasm train --resume ${dir}`);
    return 130;
  }
  const done = trainer.step - opts.startStep, seconds = (performance.now() - t0) / 1000;
  const total = opts.startStep > 0 ? `; ${trainer.step} in total (${wall().toFixed(1)} s)` : '';
  console.error(`trained ${done} steps in ${seconds.toFixed(1)} s${total}; run folder ${dir}`);
  if (meta.evalEpisodes > 0) {
    const ev = evaluate(agent, await createEnv(meta.env), meta.evalEpisodes, EVAL_SEED_BASE);
    writeText(join(dir, 'eval.json'), JSON.stringify({ ...ev, episodes: meta.evalEpisodes, seedBase: EVAL_SEED_BASE, steps: trainer.step, wallSeconds: wall() }, null, 2) + '\n');
    console.log(formatEval(ev.mean, ev.std, meta.evalEpisodes));
  }
  return 0;
}
