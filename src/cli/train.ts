// `ddpg-wasm train`: train an agent (DDPG or TD3, src/rl/algorithms.ts) on an environment, writing a run
// folder (config.json, metrics.csv, checkpoint.ddpg, curve.svg, evals.csv), with periodic checkpoints and
// evaluations, exact resume and a clean stop on SIGINT/SIGTERM (the loop: run-loop.ts). It works through the
// agent contract: no algorithm is named here. One process writes a run folder at a time (run-lock.ts). A
// resume continues the run as it was started: flags that would change it are refused, naming the flag and the
// run's value.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { describeFileError, loadCheckpoint } from '../checkpoint/file.js';
import { CheckpointError } from '../checkpoint/format.js';
import type { Agent } from '../rl/agent.js';
import type { AnyEnv } from '../envs/env.js';
import { ALL_ENV_IDS, createEnv } from '../envs/registry.js';
import { MAX_THREADS } from '../engine/thread-control.js';
import { loadEngine, type Engine } from '../nn/engine.js';
import { agentFromCheckpoint } from '../rl/agent-state.js';
import { algorithm, ALGORITHM_NAMES, type Algorithm } from '../rl/algorithms.js';
import type { ConfigInput, OffPolicyConfig } from '../rl/config.js';
import { Introspection } from '../rl/introspection.js';
import { Trainer, type TrainerSnapshot } from '../rl/trainer.js';
import { configFromFlags, configHelp, configOptions, flagArgv, kebab, UsageError } from './flags.js';
import { acquireRunLock } from './run-lock.js';
import { runLoop } from './run-loop.js';
import { readRunMeta, type RunMeta } from './run-meta.js';
import { CHECKPOINT_FILE, writeText } from './run-files.js';

export { EVAL_SEED_BASE, formatEval } from './run-loop.js';

const DEFAULT_ENV = 'Pendulum-v1';
const DEFAULT_ALGO = 'ddpg';

const usage = () => `Usage: ddpg-wasm train [--env ID] [--algo ${ALGORITHM_NAMES.join('|')}] [--steps N] [--seed S] [--out DIR] [hyper-parameter flags]
       ddpg-wasm train --resume DIR [--steps N] [--checkpoint-every N] [--eval-episodes N] [--threads N] [--quiet]

  --env ID                  ${ALL_ENV_IDS.join(' | ')}
                            (default ${DEFAULT_ENV}); its preset sets the defaults
  --algo NAME               ${ALGORITHM_NAMES.join(' | ')} (default ${DEFAULT_ALGO})
  --steps N                 total environment steps (default: the env preset's)
  --seed S                  one seed for everything: weights, noise, replay sampling, env resets (default 1)
  --out DIR                 run folder (default runs/<env>-<algo>-seed<S>-<time>)
  --preset paper            the algorithm's paper settings (DDPG: Lillicrap et al. 2015; TD3: Fujimoto et al. 2018)
  --resume DIR              continue the run in DIR from its latest checkpoint (to --steps, default its own total);
                            the run's env, algorithm, seed, --eval-every and hyper-parameters cannot change
  --checkpoint-every N      write checkpoint.ddpg every N steps (default 5000)
  --eval-every K            every K steps, evaluate the deterministic policy on a separate env for --eval-episodes
                            episodes and append a row to evals.csv (step,mean,std,episodes,returns); default 0: off.
                            Fixed for the run: a resume keeps it
  --eval-episodes N         deterministic evaluation episodes at the end and of each --eval-every (default 10)
  --threads N               compute on N threads (the threaded engine: same results bit for bit as 1 thread; a
                            resume may change it). Default 1, or DDPG_WASM_THREADS
  --quiet                   no progress line
  --log-grads               add per-layer weight/gradient norms, mean |TD error| and the critic's mean Q vs the
                            actual discounted return to metrics.csv; also writes q-vs-return.svg (docs/gradients.md)`;

/** The usage text with every hyper-parameter flag of the chosen algorithm and the value it will have for the
 *  chosen env and preset (flags given on the command line included). */
export async function trainHelp(argv: string[] = []): Promise<string> {
  let lines: string;
  try {
    const { values } = parseArgs({ args: flagArgv(argv, OPTIONS), options: OPTIONS, strict: false, allowPositionals: true });
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
  preset: { type: 'string' }, resume: { type: 'string' }, 'checkpoint-every': { type: 'string' }, 'eval-every': { type: 'string' },
  'eval-episodes': { type: 'string' }, threads: { type: 'string' }, quiet: { type: 'boolean' }, 'log-grads': { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
} as const;
const OPTIONS = { ...RUN_OPTIONS, ...configOptions() };
/** Flags a resume accepts; every other flag would change the run. */
const RESUME_FLAGS = new Set(['resume', 'steps', 'checkpoint-every', 'eval-episodes', 'threads', 'quiet', 'help', 'log-grads']);

type Values = Record<string, string | boolean | undefined>;

function intFlag(v: string | undefined, flag: string, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isSafeInteger(n) || n < min) throw new UsageError(`--${flag} expects an integer ≥ ${min}, got '${v}'`);
  return n;
}

export async function trainCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: flagArgv(argv, OPTIONS), options: OPTIONS, strict: true, allowPositionals: false });
  if (values.help) { console.log(await trainHelp(argv)); return 0; }
  const threads = threadsFlag(values.threads as string | undefined);
  const engine = await loadEngine(threads === undefined ? {} : { threads });
  try {
    return await (values.resume !== undefined ? resumeRun(engine, values) : newRun(engine, values));
  } finally {
    await engine.close();
  }
}

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

function writeConfig(dir: string, meta: RunMeta, config: OffPolicyConfig): void {
  writeText(join(dir, 'config.json'), JSON.stringify({ env: meta.env, algo: meta.algo, steps: meta.totalSteps, ...config }, null, 2) + '\n');
}

async function newRun(engine: Engine, values: Values): Promise<number> {
  const { algo, envId, env, seed, steps, input } = await runInput(values);
  const totalSteps = intFlag(values.steps as string, 'steps', 1) ?? steps ?? 100_000;
  const evalEpisodes = intFlag(values['eval-episodes'] as string, 'eval-episodes', 0) ?? 10;
  const checkpointEvery = intFlag(values['checkpoint-every'] as string, 'checkpoint-every', 1) ?? 5000;
  const evalEvery = intFlag(values['eval-every'] as string, 'eval-every', 0) ?? 0;
  if (evalEvery > 0 && evalEpisodes === 0) throw new UsageError(`--eval-every ${evalEvery} needs --eval-episodes ≥ 1: the episodes of each evaluation`);
  const agent = algo.create(engine, input);
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const dir = (values.out as string | undefined) ?? join('runs', `${envId}-${algo.name}-seed${seed}-${stamp}`);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw describeFileError(e, 'create the run folder', dir);
  }
  const release = acquireRunLock(dir);
  try {
    if (existsSync(join(dir, CHECKPOINT_FILE))) {
      throw new UsageError(`${dir} already holds a run; continue it with --resume ${dir} or choose another --out`);
    }
    const meta: RunMeta = {
      env: envId, algo: algo.name, totalSteps, seed, evalEpisodes, checkpointEvery, logGrads: values['log-grads'] === true,
      trainer: undefined as unknown as TrainerSnapshot, metrics: [], evalEvery, evals: [], wallSeconds: 0,
    };
    writeConfig(dir, meta, agent.config);
    console.error(`training ${algo.title} on ${envId} for ${totalSteps} steps, seed ${seed}${threadNote(engine)} → ${dir}`);
    warnIfNoUpdate(agent.config, totalSteps);
    if (evalEvery > totalSteps) console.error(`warning: --eval-every ${evalEvery} is above --steps ${totalSteps}: no periodic evaluation will run`);
    return await runLoop(agent, new Trainer(agent, env, seed), dir, meta, { quiet: values.quiet === true, startStep: 0 });
  } finally {
    release();
  }
}

/** A training run's checkpoint, loaded and checked for an exact resume: the agent, its trainer with the env
 *  restored, and the run state. Every problem with the file is a CheckpointError naming it. */
export async function loadRun(engine: Engine, file: string, content = loadCheckpoint(file)): Promise<{ agent: Agent; trainer: Trainer; meta: RunMeta; look?: Introspection }> {
  const meta = readRunMeta(content, file);
  if (content.meta.replay === undefined) throw new CheckpointError(file, 'holds no replay buffer, so it cannot be resumed exactly');
  const agent = agentFromCheckpoint(engine, content, file);
  const trainer = new Trainer(agent, await createEnv(meta.env), meta.seed);
  try {
    trainer.restore(meta.trainer);
  } catch (e) {
    throw new CheckpointError(file, `run.trainer is inconsistent: ${(e as Error).message}`);
  }
  let look: Introspection | undefined;
  if (meta.logGrads) {
    look = new Introspection(agent);
    try {
      look.setState(meta.introspection!);
    } catch (e) {
      throw new CheckpointError(file, `run.introspection is inconsistent: ${(e as Error).message}`);
    }
  }
  return { agent, trainer, meta, look };
}

async function resumeRun(engine: Engine, values: Values): Promise<number> {
  const dir = values.resume as string;
  const file = join(dir, CHECKPOINT_FILE);
  const release = acquireRunLock(dir);
  try {
    const { agent, trainer, meta, look } = await loadRun(engine, file);
    intFlag(values['eval-every'] as string, 'eval-every', 0); // a malformed value gets its own message, not "cannot change"
    refuseChangingFlags(values, meta, agent.config as unknown as Record<string, unknown>, dir);
    const steps = intFlag(values.steps as string, 'steps', 1);
    if (steps !== undefined && steps <= trainer.step) {
      throw new UsageError(`--steps ${steps} is not above the run's current step ${trainer.step}: nothing to do (the run's total was ${meta.totalSteps})`);
    }
    if (steps === undefined && trainer.step >= meta.totalSteps) {
      throw new UsageError(`${dir} has already run its ${meta.totalSteps} steps; give --steps above ${trainer.step} to continue it`);
    }
    meta.totalSteps = steps ?? meta.totalSteps;
    meta.checkpointEvery = intFlag(values['checkpoint-every'] as string, 'checkpoint-every', 1) ?? meta.checkpointEvery;
    meta.evalEpisodes = intFlag(values['eval-episodes'] as string, 'eval-episodes', 0) ?? meta.evalEpisodes;
    if (meta.evalEvery > 0 && meta.evalEpisodes === 0) {
      throw new UsageError(`--eval-episodes 0 would leave the run's evaluations every ${meta.evalEvery} steps (--eval-every) without episodes: give at least 1`);
    }
    writeConfig(dir, meta, agent.config);
    console.error(`resuming ${dir} at step ${trainer.step} of ${meta.totalSteps}${threadNote(engine)}`);
    warnIfNoUpdate(agent.config, meta.totalSteps);
    return await runLoop(agent, trainer, dir, meta, { quiet: values.quiet === true, startStep: trainer.step, look });
  } finally {
    release();
  }
}

/** A resume continues the run as it was started: a flag that would change its env, algorithm, seed, folder,
 *  evaluation schedule or a hyper-parameter is refused (one that repeats the run's own value is accepted). */
function refuseChangingFlags(values: Values, meta: RunMeta, config: Record<string, unknown>, dir: string): void {
  // --eval-every: evals.csv has a row at every multiple of one K (sweep and report read K from it).
  const run: Record<string, unknown> = { env: meta.env, algo: meta.algo, seed: String(meta.seed), 'eval-every': meta.evalEvery };
  for (const [flag, value] of Object.entries(values)) {
    if (value === undefined || RESUME_FLAGS.has(flag)) continue;
    const field = flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    const runValue = flag in run ? run[flag] : config[field];
    const given = typeof runValue === 'number' ? Number(value) : Array.isArray(runValue) ? String(value).split(',').map(Number) : value;
    if (runValue !== undefined && JSON.stringify(given) === JSON.stringify(runValue)) continue;
    const what = flag in run || field in config ? `the run's ${flag} is ${Array.isArray(runValue) ? runValue.join(',') : String(runValue)}` : 'it is fixed when a run starts';
    throw new UsageError(`--${kebab(field)} cannot change when resuming ${dir} (${what}; a run keeps its env, algorithm, seed, ` +
      'folder, evaluation schedule and hyper-parameters from start to end): start a new run with --out to change it');
  }
  if (values['log-grads'] === true && !meta.logGrads) throw new UsageError('--log-grads must be given when the run starts (it fixes the columns of metrics.csv)');
}

function warnIfNoUpdate(config: OffPolicyConfig, totalSteps: number): void {
  if (totalSteps <= config.learningStarts) {
    console.error(`warning: --steps ${totalSteps} is not above learningStarts ${config.learningStarts}: the agent only acts at random and no update will run`);
  }
}

/** --threads (train's and sweep's): an integer from 1 to MAX_THREADS, or undefined when not given. */
export function threadsFlag(v: string | undefined): number | undefined {
  const n = Number(v);
  if (v !== undefined && (v.trim() === '' || !Number.isSafeInteger(n) || n < 1 || n > MAX_THREADS)) {
    throw new UsageError(`--threads expects an integer from 1 to ${MAX_THREADS}, got '${v}'`);
  }
  return v === undefined ? undefined : n;
}

function threadNote(engine: Engine): string {
  return engine.threads > 1 ? `, ${engine.threads} threads` : '';
}
