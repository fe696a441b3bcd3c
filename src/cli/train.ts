// `ddpg-wasm train`: train an agent (DDPG or TD3, src/rl/algorithms.ts) on an environment, writing a run
// folder (config.json, metrics.csv, checkpoint.ddpg, curve.svg), with periodic checkpoints, exact resume and
// a clean stop on SIGINT/SIGTERM. It works through the agent contract: no algorithm is named here.
import { mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadEngine, type Engine } from '../nn/engine.js';
import { ALL_ENV_IDS, createEnv } from '../envs/registry.js';
import type { AnyEnv } from '../envs/env.js';
import { loadCheckpoint, saveCheckpoint } from '../checkpoint/file.js';
import { agentFromCheckpoint, agentToCheckpoint, findNonFinite } from '../rl/agent-state.js';
import type { Agent } from '../rl/agent.js';
import { algorithm, ALGORITHM_NAMES, type Algorithm } from '../rl/algorithms.js';
import type { ConfigInput, OffPolicyConfig } from '../rl/config.js';
import { Trainer, evaluate, type EpisodeLog, type TrainerSnapshot } from '../rl/trainer.js';
import { DivergenceError } from '../errors.js';
import { configFromFlags, configHelp, configOptions, UsageError } from './flags.js';
import { curveSvg } from './curve-svg.js';
import { pointsFromMetrics, qVsReturnSvg } from './q-vs-return-svg.js';
import { Introspection, csvCells } from '../rl/introspection.js';
import { Progress } from './progress.js';
import { CHECKPOINT_FILE, METRICS_HEADER, metricsRow, writeText } from './run-files.js';

const DEFAULT_ENV = 'Pendulum-v1';
const DEFAULT_ALGO = 'ddpg';

const usage = () => `Usage: ddpg-wasm train [--env ID] [--algo ${ALGORITHM_NAMES.join('|')}] [--steps N] [--seed S] [--out DIR] [hyper-parameter flags]
       ddpg-wasm train --resume DIR [--steps N]

  --env ID                  ${ALL_ENV_IDS.join(' | ')}
                            (default ${DEFAULT_ENV}); its preset sets the defaults
  --algo NAME               ${ALGORITHM_NAMES.join(' | ')} (default ${DEFAULT_ALGO})
  --steps N                 total environment steps (default: the env preset's)
  --seed S                  one seed for everything: weights, noise, replay sampling, env resets (default 1)
  --out DIR                 run folder (default runs/<env>-<algo>-seed<S>-<time>)
  --preset paper            the algorithm's paper settings (DDPG: Lillicrap et al. 2015; TD3: Fujimoto et al. 2018)
  --resume DIR              continue the run in DIR from its latest checkpoint (to --steps, default its own total)
  --checkpoint-every N      write checkpoint.ddpg every N steps (default 5000)
  --eval-episodes N         deterministic evaluation episodes at the end (default 10)
  --quiet                   no progress line
  --log-grads               add per-layer weight/gradient norms, mean |TD error| and the critic's mean Q vs the
                            actual discounted return to metrics.csv; also writes q-vs-return.svg (docs/gradients.md)`;

/** The usage text with every hyper-parameter flag of the chosen algorithm and the value it will have for the
 *  chosen env and preset (flags given on the command line included). */
export async function trainHelp(argv: string[] = []): Promise<string> {
  let lines: string;
  try {
    const { values } = parseArgs({ args: argv, options: { ...RUN_OPTIONS, ...configOptions() }, strict: false, allowPositionals: true });
    const { algo, envId, input, steps, seed } = await runInput(values as Values);
    const total = intFlag(values.steps as string, 'steps', 1) ?? steps ?? 100_000;
    lines = `Hyper-parameters of ${algo.title} on ${envId}: the values that will be used (library defaults, then the ` +
      `${envId} preset${values.preset ? `, --preset ${String(values.preset)}` : ''} and your flags):\n` +
      `  ${'--steps'.padEnd(24)} ${String(total).padEnd(9)} total environment steps\n  ${'--seed'.padEnd(24)} ${String(seed).padEnd(9)} one seed for everything\n` +
      configHelp(algo, algo.resolveConfig(input) as never);
  } catch (e) {
    lines = `(cannot show the values: ${(e as Error).message})`;
  }
  return `${usage()}\n\n${lines}`;
}
export const TRAIN_HELP = usage();

const RUN_OPTIONS = {
  env: { type: 'string' }, algo: { type: 'string' }, steps: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' },
  preset: { type: 'string' }, resume: { type: 'string' }, 'checkpoint-every': { type: 'string' },
  'eval-episodes': { type: 'string' }, quiet: { type: 'boolean' }, 'log-grads': { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
} as const;

interface RunMeta {
  env: string;
  algo: string;
  totalSteps: number;
  seed: number;
  evalEpisodes: number;
  checkpointEvery: number;
  trainer: TrainerSnapshot;
  metrics: string[];
  logGrads?: boolean;
}

function intFlag(v: string | undefined, flag: string, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${flag} expects an integer ≥ ${min}, got '${v}'`);
  return n;
}

export async function trainCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { ...RUN_OPTIONS, ...configOptions() }, strict: true, allowPositionals: false });
  if (values.help) { console.log(await trainHelp(argv)); return 0; }
  const engine = await loadEngine();
  return values.resume ? resumeRun(engine, values) : newRun(engine, values);
}

type Values = Record<string, string | boolean | undefined>;

/** The algorithm, env and config input a new run gets from its flags: env fields, then the env preset of the
 *  algorithm, then a named preset, then the flags, then the seed. */
async function runInput(values: Values): Promise<{ algo: Algorithm; envId: string; env: AnyEnv; seed: number; steps: number | undefined; input: ConfigInput<OffPolicyConfig> }> {
  const envId = (values.env as string | undefined) ?? DEFAULT_ENV;
  if (!ALL_ENV_IDS.includes(envId)) throw new UsageError(`unknown --env '${envId}'; known: ${ALL_ENV_IDS.join(', ')}`);
  const algoName = (values.algo as string | undefined) ?? DEFAULT_ALGO;
  if (!(ALGORITHM_NAMES as string[]).includes(algoName)) throw new UsageError(`unknown --algo '${algoName}'; known: ${ALGORITHM_NAMES.join(', ')}`);
  const algo = algorithm(algoName);
  const preset = algo.envPresets[envId];
  let named: Partial<OffPolicyConfig> = {};
  if (values.preset !== undefined) {
    const p = algo.namedPresets[String(values.preset)];
    if (!p) throw new UsageError(`--preset expects ${Object.keys(algo.namedPresets).map((k) => `'${k}'`).join(' or ')} for ${algo.title}, got '${String(values.preset)}'`);
    named = p.config;
  }
  const seed = intFlag(values.seed as string, 'seed', 0) ?? 1;
  const env = await createEnv(envId);
  const input = {
    obsDim: env.observationSpace.shape[0], actDim: env.actionSpace.shape[0],
    actionLow: Array.from(env.actionSpace.low), actionHigh: Array.from(env.actionSpace.high),
    ...preset?.config, ...named, ...configFromFlags(values, algo), seed,
  };
  return { algo, envId, env, seed, steps: preset?.steps, input };
}

async function newRun(engine: Engine, values: Values): Promise<number> {
  const { algo, envId, env, seed, steps, input } = await runInput(values);
  const totalSteps = intFlag(values.steps as string, 'steps', 1) ?? steps ?? 100_000;
  const agent = algo.create(engine, input);
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const dir = (values.out as string | undefined) ?? join('runs', `${envId}-${algo.name}-seed${seed}-${stamp}`);
  if (existsSync(join(dir, CHECKPOINT_FILE))) {
    throw new UsageError(`${dir} already holds a run; continue it with --resume ${dir} or choose another --out`);
  }
  mkdirSync(dir, { recursive: true });
  writeText(join(dir, 'config.json'), JSON.stringify({ env: envId, algo: algo.name, steps: totalSteps, ...agent.config }, null, 2) + '\n');
  const meta: RunMeta = {
    env: envId, algo: algo.name, totalSteps, seed,
    evalEpisodes: intFlag(values['eval-episodes'] as string, 'eval-episodes', 0) ?? 10,
    checkpointEvery: intFlag(values['checkpoint-every'] as string, 'checkpoint-every', 1) ?? 5000,
    trainer: undefined as unknown as TrainerSnapshot, metrics: [], logGrads: values['log-grads'] === true,
  };
  console.error(`training ${algo.title} on ${envId} for ${totalSteps} steps, seed ${seed} → ${dir}`);
  return runLoop(agent, new Trainer(agent, env, seed), dir, meta, values);
}

async function resumeRun(engine: Engine, values: Values): Promise<number> {
  const dir = values.resume as string;
  const file = join(dir, CHECKPOINT_FILE);
  const content = loadCheckpoint(file);
  const meta = content.meta.run as RunMeta | undefined;
  if (!meta || typeof meta.env !== 'string' || !Array.isArray(meta.metrics)) throw new UsageError(`${file} is not a training-run checkpoint (no run state)`);
  if (!ALL_ENV_IDS.includes(meta.env)) throw new UsageError(`${file} is a run on '${meta.env}', which this ddpg-wasm does not know (known: ${ALL_ENV_IDS.join(', ')})`);
  if (content.meta.replay === undefined) throw new UsageError(`${file} holds no replay buffer, so it cannot be resumed exactly`);
  const agent = agentFromCheckpoint(engine, content, file);
  meta.algo = agent.algorithm;
  const trainer = new Trainer(agent, await createEnv(meta.env), meta.seed);
  trainer.restore(meta.trainer);
  if (values['log-grads'] && !meta.logGrads) throw new UsageError('--log-grads must be given when the run starts (it fixes the columns of metrics.csv)');
  meta.totalSteps = intFlag(values.steps as string, 'steps', 1) ?? meta.totalSteps;
  if (values['checkpoint-every'] !== undefined) meta.checkpointEvery = intFlag(values['checkpoint-every'] as string, 'checkpoint-every', 1)!;
  console.error(`resuming ${dir} at step ${trainer.step} of ${meta.totalSteps}`);
  return runLoop(agent, trainer, dir, meta, values);
}

async function runLoop(agent: Agent, trainer: Trainer, dir: string, meta: RunMeta, values: Values): Promise<number> {
  const file = join(dir, CHECKPOINT_FILE);
  const metrics = meta.metrics;
  const progress = values.quiet ? undefined : new Progress(meta.totalSteps, trainer.step);
  const look = meta.logGrads ? new Introspection(agent) : undefined;
  trainer.taps = look;
  const header = look ? `${METRICS_HEADER},${look.columns().join(',')}` : METRICS_HEADER;
  const writeMetrics = () => writeText(join(dir, 'metrics.csv'), [header, ...metrics].join('\n') + '\n');
  const checkpoint = () => {
    const snapshot = trainer.snapshot();
    const bad = findNonFinite(agent, snapshot.obs);
    if (bad) throw new DivergenceError('state', agent.updates, `training diverged: ${bad} at update ${agent.updates}; no checkpoint written`);
    writeMetrics();
    saveCheckpoint(file, agentToCheckpoint(agent, { withReplay: true, meta: { run: { ...meta, trainer: snapshot, metrics } } }));
  };
  writeMetrics(); // a resumed run drops rows logged after its checkpoint
  let stopSignal: string | undefined;
  const onSignal = (sig: string) => { stopSignal = sig; };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const t0 = performance.now();
  let lastCheckpointStep: number | undefined = existsSync(file) ? trainer.step : undefined;
  try {
    const onEpisode = (e: EpisodeLog) => {
      metrics.push(metricsRow(e, (performance.now() - t0) / 1000) + (look ? csvCells(look.finishEpisode()) : ''));
      progress?.episode(e.return);
    };
    const onStep = (step: number) => {
      progress?.tick(step);
      if (step % meta.checkpointEvery === 0 && step < meta.totalSteps) { checkpoint(); lastCheckpointStep = step; }
      return stopSignal !== undefined;
    };
    // The loop is synchronous; yield to the event loop every few ms so SIGINT/SIGTERM handlers can run.
    while (trainer.step < meta.totalSteps && stopSignal === undefined) {
      const sliceEnd = performance.now() + 50;
      trainer.run(meta.totalSteps, onEpisode, (step) => onStep(step) || (step % 64 === 0 && performance.now() > sliceEnd));
      await new Promise((resolve) => setImmediate(resolve));
    }
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
  progress?.tick(trainer.step, true);
  progress?.done();
  checkpoint();
  writeText(join(dir, 'curve.svg'), curveSvg(metrics.map((r) => { const c = r.split(','); return { step: +c[0], value: +c[2] }; }),
    { title: `${algorithm(meta.algo).title} on ${meta.env}, seed ${meta.seed}` }));
  if (look) writeText(join(dir, 'q-vs-return.svg'), qVsReturnSvg(pointsFromMetrics(header, metrics), { title: `critic Q vs actual discounted return, ${meta.env}, seed ${meta.seed}` }));
  if (stopSignal) {
    console.error(`stopped by ${stopSignal} at step ${trainer.step}; checkpoint written. Resume with: ddpg-wasm train --resume ${dir}`);
    return 130;
  }
  const wall = (performance.now() - t0) / 1000;
  console.error(`trained ${trainer.step} steps in ${wall.toFixed(1)} s; run folder ${dir}`);
  if (meta.evalEpisodes > 0) {
    const ev = evaluate(agent, await createEnv(meta.env), meta.evalEpisodes, EVAL_SEED_BASE);
    writeText(join(dir, 'eval.json'), JSON.stringify({ ...ev, episodes: meta.evalEpisodes, seedBase: EVAL_SEED_BASE, steps: trainer.step, wallSeconds: wall }, null, 2) + '\n');
    console.log(formatEval(ev.mean, ev.std, meta.evalEpisodes));
  }
  return 0;
}

/** Evaluation episodes reset with seeds EVAL_SEED_BASE + i: never the training stream. */
export const EVAL_SEED_BASE = 100_000;

export function formatEval(mean: number, std: number, episodes: number): string {
  return `mean ${mean.toFixed(1)} ± ${std.toFixed(1)} over ${episodes} episode${episodes === 1 ? "" : "s"}`;
}
