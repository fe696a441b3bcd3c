// `ddpg-wasm sweep`: many seeds and a grid of hyper-parameters, `ddpg-wasm train` once per (grid point, seed),
// in parallel on every core (src/sweep/run-pool.ts), each into an ordinary run folder. Everything is checked
// before anything is written: the seeds, the --set keys and values (each grid point's config is resolved the way
// `train --help` resolves it, so a value train would refuse is refused here, naming the key and the value), the
// shard. DIR/sweep.json records the sweep; a DIR holding another sweep is refused untouched. Started again, a
// sweep skips the finished runs, resumes the interrupted ones and starts the rest.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ALL_ENV_IDS } from '../envs/registry.js';
import { algorithm, ALGORITHM_NAMES } from '../rl/algorithms.js';
import {
  expandGrid, parseSeeds, parseSets, parseShard, shardOf, sweepRuns, valueArgs,
  type GridAxis, type GridPoint, type Shard,
} from '../sweep/grid.js';
import { checkCli, inspectRun, LOG_FILE, runJobs, type Job, type RunResult } from '../sweep/run-pool.js';
import { checkSweepDir, claimSweepDir, SWEEP_FILE, type SweepDefinition } from '../sweep/sweep-file.js';
import { configOptions, flagArgv, UsageError, withFlagNames } from './flags.js';
import { formatEval } from './run-loop.js';
import { threadsFlag, TRAIN_HELP, trainHelp } from './train.js';


const usage = () => `Usage: ddpg-wasm sweep --env ID --algo ${ALGORITHM_NAMES.join('|')} --seeds LIST --out DIR [--set KEY=V1,V2,…]… [--workers N] [--shard I/N] [train flags]

Runs \`ddpg-wasm train\` once per grid point and seed, several at a time, each into an ordinary run folder
  DIR/<env>-<algo>[-<key>=<value>…]/seed<S>/   (what train writes, plus train.log: the run's output)

  --env ID             the environment (ddpg-wasm train --help lists them)
  --algo NAME          ${ALGORITHM_NAMES.join(' | ')}
  --seeds LIST         integers ≥ 0, as a list and ranges: 1-10, 1,3,7, 1-3,10
  --set KEY=V1,V2,…    a grid axis (repeatable; the runs are the cartesian product of all --set): KEY is a train
                       hyper-parameter flag (actor-lr) or its config field (actorLr), each value is checked as
                       train checks that flag. A list value joins its widths with x: --set actor-hidden=64x64,256x256;
                       a switch takes true,false
  --workers N          runs at a time (default: the number of cores ÷ --threads, ${availableParallelism()} here with 1 thread)
  --threads N          each run computes on N threads (train --threads; not part of the sweep: it may change
                       between invocations, the results do not)
  --shard I/N          only the I-th of N slices of the runs (the k-th run, in the order grid point × seed, is in
                       slice k mod N + 1): job arrays on several machines sharing DIR, one shard each
  --out DIR            the sweep folder; DIR/sweep.json records the sweep
  train flags          given to every run: --steps, --preset, --checkpoint-every, --eval-every, --eval-episodes,
                       --log-grads and any hyper-parameter flag (ddpg-wasm train --help); --quiet is implied

Started again with the same arguments, a sweep skips the finished runs (eval.json, or a checkpoint at the total
steps), resumes the interrupted ones (train --resume) and starts the missing ones. DIR/sweep.json must then match:
same env, algo, seeds, --set, train flags and shard count (--workers and the shard index may differ). Sweeps and
shards sharing DIR at once leave each run folder to the process holding it (train's run-folder lock).
Exit code: 0 when every run has finished, 1 when some failed or were in use elsewhere, 130 when stopped by
SIGINT/SIGTERM (the runs write a checkpoint; the same command resumes them).`;

export const SWEEP_HELP = usage();

/** train's run flags a sweep gives every run (any hyper-parameter flag too, from configOptions). --seed, --out
 *  and --resume are the sweep's to set. */
const RUN_FLAGS = {
  steps: { type: 'string' }, preset: { type: 'string' }, 'checkpoint-every': { type: 'string' },
  'eval-every': { type: 'string' }, 'eval-episodes': { type: 'string' }, 'log-grads': { type: 'boolean' },
} as const;
const SWEEP_OPTIONS = {
  env: { type: 'string' }, algo: { type: 'string' }, seeds: { type: 'string' }, set: { type: 'string', multiple: true },
  workers: { type: 'string' }, threads: { type: 'string' }, shard: { type: 'string' }, out: { type: 'string' }, quiet: { type: 'boolean' },
  seed: { type: 'string' }, resume: { type: 'string' }, help: { type: 'boolean', short: 'h' },
} as const;
const PASS_OPTIONS = { ...RUN_FLAGS, ...configOptions() };
const OPTIONS = { ...SWEEP_OPTIONS, ...PASS_OPTIONS };
/** The least value of train's integer run flags (train.ts intFlag); --steps is checked by train --help. */
const INT_FLAGS: Record<string, number> = { 'checkpoint-every': 1, 'eval-episodes': 0, 'eval-every': 0 };

export async function sweepCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: flagArgv(argv, OPTIONS), options: OPTIONS, strict: true, allowPositionals: false });
  if (values.help) { console.log(SWEEP_HELP); return 0; }
  if (values.seed !== undefined) throw new UsageError('a sweep takes --seeds (a list or ranges: --seeds 1-10), not --seed');
  if (values.resume !== undefined) throw new UsageError('a sweep resumes by running the same sweep command again (its interrupted runs continue with train --resume)');
  for (const f of ['env', 'algo', 'seeds', 'out'] as const) if (values[f] === undefined) throw new UsageError(`sweep needs --${f}`);
  const env = values.env!, algoName = values.algo!, out = values.out!;
  if (!ALL_ENV_IDS.includes(env)) throw new UsageError(`unknown --env '${env}'; known: ${ALL_ENV_IDS.join(', ')}`);
  if (!(ALGORITHM_NAMES as string[]).includes(algoName)) throw new UsageError(`unknown --algo '${algoName}'; known: ${ALGORITHM_NAMES.join(', ')}`);
  const seeds = parseSeeds(values.seeds!);
  const shard = parseShard(values.shard);
  const threads = threadsFlag(values.threads) ?? 1;
  const cores = availableParallelism();
  const workers = values.workers === undefined ? Math.max(1, Math.floor(cores / threads)) : Number(values.workers);
  if (!Number.isSafeInteger(workers) || workers < 1 || values.workers?.trim() === '') throw new UsageError(`--workers expects an integer ≥ 1, got '${values.workers}'`);
  if (workers * threads > cores && !values.quiet) console.error(`warning: --workers ${workers} × --threads ${threads} is above the ${cores} cores here: the runs will share cores`);
  const axes = parseSets(values.set ?? []);

  const flags = passedFlags(values as Record<string, string | boolean | undefined>, axes);
  const flagArgs = Object.entries(flags).map(([f, v]) => (v === true ? `--${f}` : `--${f}=${v}`));
  const points = expandGrid(env, algoName, axes);
  await checkPoints(env, algoName, flags, flagArgs, axes, points);

  const runs = sweepRuns(points, seeds);
  const mine = shardOf(runs, shard);
  const definition: SweepDefinition = {
    version: 1, env, algo: algoName, seeds, set: Object.fromEntries(axes.map((a) => [a.flag, a.values])), flags, shards: shard.count,
    configs: points.map((p) => p.name),
  };
  checkSweepDir(out, definition);
  if (mine.length) checkCli();
  claimSweepDir(out, definition);

  const jobs: Job[] = mine.map((r) => ({
    rel: r.rel, dir: join(out, r.rel),
    newArgs: ['--env', env, '--algo', algoName, '--seed', String(r.seed), '--quiet', ...flagArgs, ...r.point.args],
    runArgs: threads > 1 ? ['--threads', String(threads)] : [],
  }));
  return runSweep(jobs, { out, workers, shard, total: runs.length, points: points.length, seeds: seeds.length });
}

/** The train flags given on the sweep's command line, flag → value, in a fixed order (sweep.json compares them).
 *  The run flags train --help does not check are checked here as train checks them. */
function passedFlags(values: Record<string, string | boolean | undefined>, axes: readonly GridAxis[]): Record<string, string | true> {
  const flags: Record<string, string | true> = {};
  for (const f of Object.keys(PASS_OPTIONS).sort()) {
    const v = values[f];
    if (v === undefined || v === false) continue;
    if (axes.some((a) => a.flag === f)) throw new UsageError(`--${f} is given both as a flag and as --set ${f}=…; give it once`);
    if (f in RUN_FLAGS && !TRAIN_HELP.includes(`--${f} `)) throw new UsageError(`--${f}: this version of train has no such flag`);
    if (f in INT_FLAGS) {
      const n = Number(v);
      if (String(v).trim() === '' || !Number.isSafeInteger(n) || n < INT_FLAGS[f]) throw new UsageError(`--${f} expects an integer ≥ ${INT_FLAGS[f]}, got '${String(v)}'`);
    }
    flags[f] = v;
  }
  return flags;
}

/** Why train would refuse these flags, or undefined: the config resolved as `train --help` resolves it (env,
 *  algorithm, presets, every hyper-parameter flag, --steps). trainHelp reports a refusal in its text as
 *  "(cannot show the values: <why>)". */
async function trainRefusal(argv: string[]): Promise<string | undefined> {
  const m = /\n\(cannot show the values: ([\s\S]*)\)$/.exec(await trainHelp(argv));
  return m ? withFlagNames(m[1]) : undefined;
}

/** Every grid point must be a config train accepts. A refused point is narrowed down to what refuses it: the
 *  train flags alone, one --set value, or the combination. */
async function checkPoints(env: string, algoName: string, flags: Record<string, string | true>, flagArgs: string[], axes: readonly GridAxis[], points: readonly GridPoint[]): Promise<void> {
  // A switch set false is the flag left out: train cannot turn off what a default or preset turns on.
  const algo = algorithm(algoName);
  const named = typeof flags.preset === 'string' ? algo.namedPresets[flags.preset]?.config : undefined;
  const base: Record<string, unknown> = { ...algo.defaults, ...algo.envPresets[env]?.config, ...named };
  for (const a of axes) {
    if (a.values.includes('false') && base[a.field] === true) {
      throw new UsageError(`--set ${a.flag}=false: ${env}'s settings turn ${a.flag} on and train has no flag that turns it off`);
    }
  }
  const head = ['--env', env, '--algo', algoName, ...flagArgs];
  const refusals: (string | undefined)[] = [];
  for (const p of points) refusals.push(await trainRefusal([...head, ...p.args]));
  const at = refusals.findIndex((r) => r !== undefined);
  if (at < 0) return;
  if (refusals.every((r) => r !== undefined) && axes.length) {
    const alone = await trainRefusal(head); // refused whatever the --set values: the flags themselves
    if (alone !== undefined) throw new UsageError(alone);
  }
  const p = points[at];
  for (const a of axes) { // a value is to blame when every grid point with it is refused
    const v = p.values[a.flag];
    if (points.some((q, i) => q.values[a.flag] === v && refusals[i] === undefined)) continue;
    const one = await trainRefusal([...head, ...valueArgs(a.field, v)]);
    throw new UsageError(`--set ${a.flag}=${v}: ${one ?? refusals[at]}`);
  }
  throw new UsageError(axes.length ? `--set: the grid point ${Object.entries(p.values).map(([k, v]) => `${k}=${v}`).join(', ')} is refused: ${refusals[at]}` : refusals[at]!);
}

function duration(s: number): string {
  if (!Number.isFinite(s)) return '–';
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = Math.round(s % 60);
  return h ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m${String(sec).padStart(2, '0')}s`;
}

interface SweepInfo { out: string; workers: number; shard: Shard; total: number; points: number; seeds: number }

/** Runs the jobs with a live summary on stderr (done · running · queued · ETA from the runs finished so far),
 *  one line per settled run, and the outcome as the exit code. */
async function runSweep(jobs: Job[], info: SweepInfo): Promise<number> {
  const { out, shard } = info;
  const t0 = performance.now();
  const before = jobs.map((j) => inspectRun(j.dir));
  const count = (k: string) => before.filter((s) => s.kind === k).length;
  const unevaluated = jobs.filter((_, i) => { const s = before[i]; return s.kind === 'finished' && s.unevaluated; });
  const scope = shard.count > 1 ? `shard ${shard.index}/${shard.count}: ${jobs.length} of ${info.total} runs` : `${jobs.length} runs`;
  console.error(`sweep: ${scope} (${info.points} grid point${info.points === 1 ? '' : 's'} × ${info.seeds} seed${info.seeds === 1 ? '' : 's'}) in ${out}: ` +
    `${count('finished')} finished, ${count('interrupted')} to resume, ${count('missing')} to start; ${Math.min(info.workers, Math.max(1, jobs.length))} at a time`);
  for (const j of unevaluated) {
    console.error(`  note: ${j.rel} ran all its steps but has no eval.json (stopped during its final evaluation): ddpg-wasm eval --checkpoint ${j.dir}`);
  }
  const todo = jobs.filter((_, i) => before[i].kind !== 'finished');
  const state = new Map<Job, 'queued' | 'running' | RunResult['outcome']>(todo.map((j) => [j, 'queued']));
  // ETA: the mean time of the runs finished in this invocation, for each queued run and for what is left of each
  // running one, spread over the workers.
  const startedAt = new Map<Job, number>();
  const finishedSeconds: number[] = [];
  const eta = (queued: number, running: number): string => {
    if (!finishedSeconds.length) return '–';
    const mean = finishedSeconds.reduce((a, b) => a + b, 0) / finishedSeconds.length, now = performance.now();
    let work = queued * mean;
    for (const [job, t] of startedAt) if (state.get(job) === 'running') work += Math.max(0, mean - (now - t) / 1000);
    return duration(work / Math.max(1, Math.min(info.workers, queued + running)));
  };
  const tty = process.stderr.isTTY === true;
  const summary = () => {
    const n = (k: string) => [...state.values()].filter((s) => s === k).length;
    const done = jobs.length - todo.length + n('finished') + n('skipped');
    const remaining = n('queued') + n('running');
    const left = remaining === 0 ? '' : ` · ETA ${eta(n('queued'), n('running'))}`;
    const bad = [n('failed') && `${n('failed')} failed`, n('busy') && `${n('busy')} busy`, n('stopped') && `${n('stopped')} stopped`].filter(Boolean);
    return `sweep: ${done}/${jobs.length} done · ${n('running')} running · ${n('queued')} queued${bad.length ? ` · ${bad.join(' · ')}` : ''}${left}`;
  };
  const print = (line?: string) => {
    if (tty) process.stderr.write(`\r\x1b[K${line !== undefined ? `${line}\n` : ''}${summary()}`);
    else process.stderr.write(`${line !== undefined ? `${line}\n` : ''}${summary()}\n`);
  };
  if (todo.length) print();
  const ticker = tty && todo.length ? setInterval(() => print(), 1000) : undefined; // the ETA counts down
  const report = !todo.length ? { results: [] } as Awaited<ReturnType<typeof runJobs>> : await runJobs(todo, {
    workers: info.workers,
    events: {
      started: (job) => { state.set(job, 'running'); startedAt.set(job, performance.now()); if (tty) print(); },
      settled: (job, r) => {
        state.set(job, r.outcome);
        if (r.outcome === 'finished') finishedSeconds.push(r.seconds);
        const line = runLine(job, r);
        if (line !== undefined) print(line);
      },
    },
  });
  clearInterval(ticker);
  if (tty && todo.length) process.stderr.write('\r\x1b[K');
  const pairs = todo.map((j, i) => ({ job: j, r: report.results[i] }));
  const of = (o: RunResult['outcome']) => pairs.filter((p) => p.r.outcome === o);
  const failed = of('failed'), stopped = of('stopped'), notStarted = of('not-started');
  // A run another process was writing may have finished meanwhile: then it is done, not a problem.
  const busy = of('busy').filter((p) => inspectRun(p.job.dir).kind !== 'finished');
  const took = duration((performance.now() - t0) / 1000);
  if (report.stoppedBy) {
    const clean = stopped.filter((p) => p.r.code === 130).length;
    console.error(`sweep: stopped by ${report.stoppedBy} after ${took}: ${clean} run${clean === 1 ? '' : 's'} stopped at a checkpoint, ` +
      `${stopped.length - clean ? `${stopped.length - clean} killed outside their training loop, ` : ''}${notStarted.length} not started; the same command resumes the sweep`);
  }
  if (report.refused) {
    const r = pairs.find((p) => p.job === report.refused)!.r;
    console.error(`sweep: train refused ${report.refused.rel} (exit code 2): ${r.lastLine ?? '(no output)'}; the runs after it were not started`);
  }
  if (failed.length) {
    console.error(`sweep: ${failed.length} of ${jobs.length} run${jobs.length === 1 ? '' : 's'} failed:`);
    for (const { job, r } of failed) console.error(`  ${job.rel}: ${exitText(r)}: ${r.lastLine ?? '(no output)'} (log: ${join(job.dir, LOG_FILE)})`);
  }
  if (busy.length) {
    console.error(`sweep: ${busy.length} run${busy.length === 1 ? ' is' : 's are'} being written by another process (another sweep or shard on ${out}): ` +
      `${busy.map((p) => p.job.rel).join(', ')}; run the sweep again once it is done`);
  }
  if (report.stoppedBy) return 130;
  if (failed.length || busy.length || report.refused || notStarted.length) return 1;
  if (!jobs.length) {
    console.error(`sweep: shard ${shard.index}/${shard.count} has no runs (the sweep has ${info.total}); ${out}/${SWEEP_FILE} records the sweep`);
    return 0;
  }
  const already = jobs.length - todo.length, elsewhere = of('busy').length + of('skipped').length;
  const notes = [already && `${already} already were`, elsewhere && `${elsewhere} by another process`].filter(Boolean);
  console.error(`sweep: ${jobs.length === 1 ? 'the run' : `all ${jobs.length} runs`} finished${notes.length ? ` (${notes.join(', ')})` : ''} in ${took}; ${out}`);
  return 0;
}

function exitText(r: RunResult): string {
  return r.signal ? `killed by ${r.signal}` : r.code === undefined || r.code === null ? 'did not run' : `exit code ${r.code}`;
}

/** The line of a settled run: its evaluation, or what became of it. */
function runLine(job: Job, r: RunResult): string | undefined {
  const resumed = r.action === 'resume' ? `, resumed at step ${r.fromStep ?? '?'}` : '';
  switch (r.outcome) {
    case 'finished':
      return `  done     ${job.rel}: ${r.eval ? formatEval(r.eval.mean, r.eval.std, r.eval.episodes) : 'no final evaluation'} (${duration(r.seconds)}${resumed})`;
    case 'skipped':
      return r.note === 'finished by another process' ? `  done     ${job.rel}: finished by another process` : undefined;
    case 'stopped':
      return `  stopped  ${job.rel}: ${r.code === 130 ? `checkpoint written${r.atStep === undefined ? '' : ` at step ${r.atStep}`}` : `${exitText(r)} outside its training loop (nothing to save)`} (${duration(r.seconds)}${resumed})`;
    case 'failed':
      return `  failed   ${job.rel}: ${exitText(r)}: ${r.lastLine ?? '(no output)'}`;
    case 'busy':
      return `  busy     ${job.rel}: ${r.note ?? 'in use by another process'}`;
    default:
      return undefined;
  }
}
