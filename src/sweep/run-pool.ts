// Running a sweep's runs: each one is `node dist/cli/main.js train …` in its own process, exactly what
// `ddpg-wasm train` run alone does (its own signal handling, run-folder lock, exit code), with its stdout and
// stderr appended to <run folder>/train.log. A Tinypool of --workers worker threads runs them, one task per
// thread at a time, each thread supervising its child process (a thread costs little; the training happens in
// the child, so a crash or an out-of-memory there cannot take the sweep down).
//
// What a run needs is decided when its turn comes, from its folder (another sweep or shard on the same folder
// may have moved it on meanwhile): eval.json, or a checkpoint at its total steps → finished, skipped; a
// checkpoint below it → interrupted, `train --resume <folder>`; no checkpoint → `train … --out <folder>` (a run
// killed before its first checkpoint starts over: runs are deterministic, so it ends the same). A folder whose
// .lock is held by a live process is left to that process ("busy"); when two processes race for a folder,
// train's own lock refuses the second, and that refusal is reported as busy too, not as a failure.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import Tinypool from 'tinypool';
import { decodeHeader } from '../checkpoint/format.js';
import { alive, LOCK_FILE } from '../cli/run-lock.js';
import { CHECKPOINT_FILE } from '../cli/run-files.js';

/** Each run's output (train's stdout and stderr), appended per invocation after a `# <time> <command>` line. */
export const LOG_FILE = 'train.log';
/** The built CLI the runs execute: dist/cli/main.js, next to this module's build. */
export const CLI_PATH = fileURLToPath(new URL('../cli/main.js', import.meta.url));

/** Throws unless the runs can start: a sweep from the TypeScript sources (tsx, vitest) has no built CLI here. */
export function checkCli(cli = CLI_PATH): void {
  if (!existsSync(cli)) throw new Error(`the sweep's runs execute the built CLI ${cli}, which is missing: run \`npm run build:ts\` and use dist/cli/main.js`);
}

export type RunState =
  /** unevaluated: a checkpoint at its total with --eval-episodes above 0 but no eval.json (stopped during its
   *  final evaluation; `ddpg-wasm eval --checkpoint <folder>` evaluates it). */
  | { kind: 'finished'; step?: number; unevaluated: boolean }
  | { kind: 'interrupted'; step?: number; total?: number }
  | { kind: 'missing' };

/** The step and total of a run's checkpoint, from its header only (the payload can be hundreds of MB of replay
 *  buffer). undefined when the file cannot be read as a checkpoint: the resume will say why. */
function checkpointProgress(file: string): { step: number; total: number; evalEpisodes: number } | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const prefix = Buffer.alloc(20);
    if (readSync(fd, prefix, 0, 20, 0) < 20) return undefined;
    const length = prefix.readUInt32LE(12);
    if (length > 256 * 1024 * 1024) return undefined;
    const bytes = Buffer.alloc(20 + length);
    readSync(fd, bytes, 0, bytes.length, 0);
    const run = decodeHeader(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length), file).header.meta.run as { totalSteps?: unknown; evalEpisodes?: unknown; trainer?: { step?: unknown } } | undefined;
    const step = run?.trainer?.step, total = run?.totalSteps, evalEpisodes = run?.evalEpisodes;
    return typeof step === 'number' && typeof total === 'number' ? { step, total, evalEpisodes: typeof evalEpisodes === 'number' ? evalEpisodes : 0 } : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Finished (eval.json, or a checkpoint at its total steps: a run with --eval-episodes 0, or one stopped
 *  during its final evaluation), interrupted (a checkpoint below its total) or missing (no checkpoint). */
export function inspectRun(dir: string): RunState {
  if (existsSync(join(dir, 'eval.json'))) return { kind: 'finished', unevaluated: false };
  if (!existsSync(join(dir, CHECKPOINT_FILE))) return { kind: 'missing' };
  const p = checkpointProgress(join(dir, CHECKPOINT_FILE));
  if (p && p.step >= p.total) return { kind: 'finished', step: p.step, unevaluated: p.evalEpisodes > 0 };
  return { kind: 'interrupted', step: p?.step, total: p?.total };
}


/** 'process P on HOST' when a live process holds the run folder's lock (src/cli/run-lock.ts: a lock of another
 *  host counts as held, one of a dead process on this host is stale). */
export function lockHolder(dir: string): string | undefined {
  let v: { pid?: unknown; host?: unknown };
  try {
    v = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as typeof v;
  } catch {
    return undefined;
  }
  if (!Number.isInteger(v?.pid) || typeof v.host !== 'string') return undefined;
  if (v.host === hostname() && !alive(v.pid as number)) return undefined;
  return `process ${String(v.pid)} on ${v.host}`;
}

export type Outcome = 'finished' | 'skipped' | 'stopped' | 'failed' | 'busy' | 'not-started';

export interface RunResult {
  outcome: Outcome;
  /** What was run: a new run, a resume, or nothing. */
  action: 'start' | 'resume' | 'none';
  /** A resume's starting step. */
  fromStep?: number;
  code?: number | null;
  signal?: string | null;
  seconds: number;
  /** The last line the run printed in this invocation (a failure's reason). */
  lastLine?: string;
  /** A run stopped cleanly (train's exit code 130): the step of the checkpoint it wrote. */
  atStep?: number;
  /** eval.json's result of a run that finished now. */
  eval?: { mean: number; std: number; episodes: number };
  note?: string;
}

/** What the pool's worker thread gets: the CLI, the run folder, the train arguments of a new run, and a port on
 *  which it reports the start and receives a stop (the signal to forward to the child). */
/** newArgs start a run; runArgs go to a start and a resume alike (flags that do not change results: --threads). */
export interface TrainTask { cli: string; dir: string; newArgs: string[]; runArgs: string[]; port: MessagePort }

type ToWorker = { stop: NodeJS.Signals };
type FromWorker = { started: 'start' | 'resume'; fromStep?: number };

function lastLine(log: string, offset: number): string | undefined {
  try {
    const text = readFileSync(log).subarray(offset).toString('utf8');
    return text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('# ')).at(-1);
  } catch {
    return undefined;
  }
}

function readEval(dir: string): RunResult['eval'] {
  try {
    const e = JSON.parse(readFileSync(join(dir, 'eval.json'), 'utf8')) as { mean: number; std: number; episodes: number };
    return typeof e.mean === 'number' ? { mean: e.mean, std: e.std, episodes: e.episodes } : undefined;
  } catch {
    return undefined;
  }
}

/** The pool's task, run in a worker thread: one run, from its folder's state at the moment it starts. */
export async function trainTask(task: TrainTask): Promise<RunResult> {
  const { cli, dir, newArgs, runArgs, port } = task;
  const t0 = performance.now();
  const seconds = () => (performance.now() - t0) / 1000;
  let stop: NodeJS.Signals | undefined;
  let child: ChildProcess | undefined;
  let stops = 0;
  port.on('message', (m: ToWorker) => {
    stop = m.stop;
    // A run in its final evaluation (its checkpoint at the total steps) no longer handles signals: a first stop
    // lets it finish rather than kill it and leave it without eval.json.
    if (child && (++stops > 1 || inspectRun(dir).kind !== 'finished')) child.kill(m.stop);
  });
  try {
    await new Promise((resolve) => setImmediate(resolve)); // a stop posted while this task waited arrives first
    if (stop) return { outcome: 'not-started', action: 'none', seconds: 0 };
    const state = inspectRun(dir);
    if (state.kind === 'finished') return { outcome: 'skipped', action: 'none', seconds: 0, note: state.unevaluated ? 'no eval.json' : undefined };
    const holder = lockHolder(dir);
    if (holder) return { outcome: 'busy', action: 'none', seconds: 0, note: `in use by ${holder}` };
    const action = state.kind === 'interrupted' ? 'resume' : 'start';
    const fromStep = state.kind === 'interrupted' ? state.step : undefined;
    const args = action === 'resume' ? ['train', '--resume', dir, '--quiet', ...runArgs] : ['train', ...newArgs, ...runArgs, '--out', dir];
    mkdirSync(dir, { recursive: true });
    const log = join(dir, LOG_FILE);
    const fd = openSync(log, 'a');
    const offset = fstatSync(fd).size;
    try {
      writeSync(fd, `# ${new Date().toISOString()} ddpg-wasm ${args.join(' ')}\n`);
      child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', fd, fd] });
    } finally {
      closeSync(fd); // the child has its own copy
    }
    port.postMessage({ started: action, fromStep } satisfies FromWorker);
    const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
    const base = { action, fromStep, code, signal, seconds: seconds(), lastLine: lastLine(log, offset) } as const;
    if (code === 0) return { ...base, outcome: 'finished', eval: readEval(dir) };
    if (code === 130 || (signal && stop)) {
      const now = inspectRun(dir);
      return { ...base, outcome: 'stopped', atStep: code === 130 && now.kind === 'interrupted' ? now.step : undefined };
    }
    if (code === 2) { // refused: another process took the folder between our look and the child's lock, or finished it
      if (inspectRun(dir).kind === 'finished') return { ...base, outcome: 'skipped', note: 'finished by another process' };
      const other = lockHolder(dir) ?? /is in use by (process \S+ on \S+)/.exec(base.lastLine ?? '')?.[1]; // (it may have let go since)
      if (other) return { ...base, outcome: 'busy', note: `in use by ${other}` };
    }
    return { ...base, outcome: 'failed' };
  } catch (e) {
    return { outcome: 'failed', action: 'none', seconds: seconds(), lastLine: (e as Error).message };
  } finally {
    port.close();
  }
}

export interface Job {
  /** As shown: `<config>/seed<S>`. */
  rel: string;
  /** The run folder. */
  dir: string;
  /** The train arguments of a new run (without --out). */
  newArgs: string[];
  /** Given to a start and a resume alike (default none). */
  runArgs?: string[];
}

export interface PoolEvents {
  started?(job: Job, action: 'start' | 'resume', fromStep: number | undefined): void;
  settled?(job: Job, result: RunResult): void;
}

export interface PoolReport {
  results: RunResult[];
  /** The signal that stopped the sweep. */
  stoppedBy?: string;
  /** A new run train refused with a usage error (exit code 2): its flags are wrong for every run, so the rest
   *  were not started. */
  refused?: Job;
}

/** Runs the jobs, `workers` at a time. SIGINT/SIGTERM: no new run starts, and each running one is sent the other
 *  of the two signals (train stops cleanly on either, writing a checkpoint, exit 130): a Ctrl-C has already
 *  reached the children through the terminal's process group, and train's handler takes each signal once (a
 *  second SIGINT would kill it mid-write). A second signal to the sweep forwards again: a hard stop, as a second
 *  Ctrl-C is for train itself. */
export async function runJobs(jobs: readonly Job[], opts: { workers: number; cli?: string; events?: PoolEvents }): Promise<PoolReport> {
  const threads = Math.max(1, Math.min(opts.workers, jobs.length));
  const pool = new Tinypool({ filename: import.meta.url, name: 'trainTask', minThreads: threads, maxThreads: threads, idleTimeout: 1000 });
  const ports = new Set<MessagePort>();
  const report: PoolReport = { results: jobs.map(() => ({ outcome: 'not-started', action: 'none', seconds: 0 })) };
  const onSignal = (sig: NodeJS.Signals) => {
    report.stoppedBy ??= sig;
    for (const p of ports) p.postMessage({ stop: sig === 'SIGINT' ? 'SIGTERM' : 'SIGINT' } satisfies ToWorker);
  };
  const runOne = async (job: Job): Promise<RunResult> => {
    const { port1, port2 } = new MessageChannel();
    ports.add(port1);
    port1.on('message', (m: FromWorker) => opts.events?.started?.(job, m.started, m.fromStep));
    try {
      const task: TrainTask = { cli: opts.cli ?? CLI_PATH, dir: job.dir, newArgs: job.newArgs, runArgs: job.runArgs ?? [], port: port2 };
      return await pool.run(task, { transferList: [port2] }) as RunResult;
    } catch (e) {
      return { outcome: 'failed', action: 'none', seconds: 0, lastLine: (e as Error).message };
    } finally {
      ports.delete(port1);
      port1.close();
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    // One task per thread in flight, the next job handed out as one settles (so jobs start in order, and a job is
    // only given its channel when it starts); after a stop or a refusal the rest stay not-started.
    let next = 0;
    await Promise.all(Array.from({ length: threads }, async () => {
      while (next < jobs.length && !report.stoppedBy && !report.refused) {
        const i = next++;
        const result = await runOne(jobs[i]);
        report.results[i] = result;
        if (result.outcome === 'failed' && result.action === 'start' && result.code === 2) report.refused ??= jobs[i];
        opts.events?.settled?.(jobs[i], result);
      }
    }));
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await pool.destroy();
  }
  return report;
}
