// The run folders of `ddpg-wasm report`: found under the given folders at any depth (a folder holding
// config.json is a run; its subfolders are not searched), read and checked (config.json, eval.json, evals.csv,
// metrics.csv as `ddpg-wasm train` writes them, src/cli/run-loop.ts), and grouped into configs: runs whose
// config.json fields are all equal but `seed`.
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describeFileError } from '../checkpoint/file.js';

/** A run folder or file that cannot be used as it is: the message names the file (and line). */
export class ReportInputError extends Error {
  override name = 'ReportInputError';
}

export const EVALS_HEADER = 'step,mean,std,episodes,returns';

/** One periodic evaluation of a run (a row of evals.csv). */
export interface EvalRow { step: number; mean: number; std: number; episodes: number; returns: number[] }

/** eval.json: the final evaluation of a finished run. */
export interface FinalEval { mean: number; std: number; returns: number[]; episodes: number; steps: number; wallSeconds?: number }

export interface Run {
  dir: string;
  seed: number;
  env: string;
  algo: string;
  /** config.json without `seed`. */
  fields: Record<string, unknown>;
  /** Canonical JSON of `fields` (keys sorted): runs of one config have the same key. */
  key: string;
  /** eval.json exists and its `steps` equals config.json's `steps`. */
  finished: boolean;
  /** The step reached: eval.json's steps when finished, else the first column of metrics.csv's last row (0
   *  when it has none). */
  step: number;
  /** The final evaluation, only for a finished run. */
  final?: FinalEval;
  /** evals.csv's rows, when the run has that file. */
  evals?: EvalRow[];
}

export interface Config {
  key: string;
  env: string;
  algo: string;
  /** `env algo` and the fields that differ between the configs of the report with the same env and algo. */
  name: string;
  fields: Record<string, unknown>;
  /** The runs, by seed then folder. */
  runs: Run[];
}

/** The run folders under `dirs` (each a run folder or a folder holding run folders at any depth), each found
 *  once (by real path), in path order. Folders whose name starts with '.' are not searched. */
export function findRunDirs(dirs: readonly string[]): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  const visit = (dir: string) => {
    let real: string;
    try { real = realpathSync(dir); } catch (e) { throw describeFileError(e, 'read', dir); }
    if (seen.has(real)) return;
    seen.add(real);
    if (isFile(join(dir, 'config.json'))) { found.push(dir); return; }
    let names: string[];
    try { names = readdirSync(dir).sort(); } catch (e) { throw describeFileError(e, 'read the folder', dir); }
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const path = join(dir, name);
      if (isDir(path)) visit(path);
    }
  };
  for (const dir of dirs) visit(dir);
  return found;
}

function isFile(path: string): boolean {
  try { return statSync(path).isFile(); } catch { return false; }
}

function isDir(path: string): boolean {
  try { return statSync(path).isDirectory(); } catch { return false; }
}

function readText(path: string): string {
  try { return readFileSync(path, 'utf8'); } catch (e) { throw describeFileError(e, 'read', path); }
}

/** The 1-based line of a character offset. */
function lineAt(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

/** JSON.parse, or a ReportInputError naming the file and the line of the syntax error. */
function parseJson(path: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /at position (\d+)/.exec(msg), lc = /\(line (\d+) column \d+\)/.exec(msg);
    const line = lc ? Number(lc[1]) : pos ? lineAt(text, Number(pos[1])) : lineAt(text, text.length);
    throw new ReportInputError(`${path}:${line}: not valid JSON (${msg})`);
  }
}

/** The file and line where a JSON file names `key` (for messages about that field). */
function where(path: string, text: string, key: string): string {
  const i = text.indexOf(`"${key}"`);
  return i < 0 ? path : `${path}:${lineAt(text, i)}`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

const describe = (v: unknown) => (v === undefined ? 'nothing' : JSON.stringify(v));

/** JSON with object keys sorted at every level. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (isObject(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'undefined';
}

export function readRun(dir: string): Run {
  const configFile = join(dir, 'config.json');
  const configText = readText(configFile);
  const config = parseJson(configFile, configText);
  if (!isObject(config)) throw new ReportInputError(`${configFile}: not a run's config.json (a JSON object with env, algo, steps and seed)`);
  for (const key of ['env', 'algo'] as const) {
    if (typeof config[key] !== 'string' || config[key] === '') {
      throw new ReportInputError(`${where(configFile, configText, key)}: "${key}" must be a non-empty string, got ${describe(config[key])}`);
    }
  }
  if (!Number.isSafeInteger(config.seed)) throw new ReportInputError(`${where(configFile, configText, 'seed')}: "seed" must be an integer, got ${describe(config.seed)}`);
  if (!Number.isSafeInteger(config.steps) || (config.steps as number) < 1) {
    throw new ReportInputError(`${where(configFile, configText, 'steps')}: "steps" must be an integer ≥ 1, got ${describe(config.steps)}`);
  }
  const { seed, ...fields } = config;
  const steps = config.steps as number;
  const evalFile = join(dir, 'eval.json');
  const final = existsSync(evalFile) ? readFinalEval(evalFile) : undefined;
  const finished = final !== undefined && final.steps === steps;
  const evalsFile = join(dir, 'evals.csv');
  return {
    dir, seed: seed as number, env: config.env as string, algo: config.algo as string, fields, key: canonicalJson(fields), finished,
    step: finished ? final.steps : lastMetricsStep(join(dir, 'metrics.csv')),
    ...(finished ? { final } : {}),
    ...(existsSync(evalsFile) ? { evals: readEvalsCsv(evalsFile) } : {}),
  };
}

function readFinalEval(path: string): FinalEval {
  const text = readText(path);
  const v = parseJson(path, text);
  if (!isObject(v)) throw new ReportInputError(`${path}: not a run's eval.json (a JSON object with mean, std, returns, episodes and steps)`);
  const bad = (key: string, want: string) => new ReportInputError(`${where(path, text, key)}: "${key}" must be ${want}, got ${describe(v[key])}`);
  const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
  if (!finite(v.mean)) throw bad('mean', 'a finite number');
  if (!finite(v.std) || v.std < 0) throw bad('std', 'a finite number ≥ 0');
  if (!Number.isSafeInteger(v.episodes) || (v.episodes as number) < 1) throw bad('episodes', 'an integer ≥ 1');
  if (!Array.isArray(v.returns) || !v.returns.every(finite) || v.returns.length !== v.episodes) throw bad('returns', `an array of ${String(v.episodes)} finite numbers (one per episode)`);
  if (!Number.isSafeInteger(v.steps) || (v.steps as number) < 0) throw bad('steps', 'an integer ≥ 0');
  if (v.wallSeconds !== undefined && (!finite(v.wallSeconds) || v.wallSeconds < 0)) throw bad('wallSeconds', 'a finite number ≥ 0 or left out');
  return {
    mean: v.mean, std: v.std, returns: v.returns as number[], episodes: v.episodes as number, steps: v.steps as number,
    ...(v.wallSeconds !== undefined ? { wallSeconds: v.wallSeconds as number } : {}),
  };
}

/** evals.csv: the header `step,mean,std,episodes,returns`, then one row per periodic evaluation (steps
 *  increasing; returns: the episodes' returns joined with ';'). */
export function readEvalsCsv(path: string): EvalRow[] {
  const lines = readText(path).split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (lines[0]?.trim() !== EVALS_HEADER) throw new ReportInputError(`${path}:1: the header must be '${EVALS_HEADER}', got '${lines[0] ?? ''}'`);
  const rows: EvalRow[] = [];
  for (let i = 1; i < lines.length; i++) {
    const at = `${path}:${i + 1}`;
    const cells = lines[i].trim().split(',');
    if (cells.length !== 5) throw new ReportInputError(`${at}: expected 5 columns (${EVALS_HEADER}), got ${cells.length}: '${lines[i]}'`);
    const num = (s: string) => (s.trim() === '' ? NaN : Number(s));
    const [step, m, sd, episodes] = cells.slice(0, 4).map(num);
    const returns = cells[4].split(';').map(num);
    if (!Number.isSafeInteger(step) || step < 0) throw new ReportInputError(`${at}: step must be an integer ≥ 0, got '${cells[0]}'`);
    if (rows.length && step <= rows.at(-1)!.step) throw new ReportInputError(`${at}: step ${step} is not above the previous row's ${rows.at(-1)!.step}`);
    if (!Number.isFinite(m)) throw new ReportInputError(`${at}: mean must be a finite number, got '${cells[1]}'`);
    if (!Number.isFinite(sd) || sd < 0) throw new ReportInputError(`${at}: std must be a finite number ≥ 0, got '${cells[2]}'`);
    if (!Number.isSafeInteger(episodes) || episodes < 1) throw new ReportInputError(`${at}: episodes must be an integer ≥ 1, got '${cells[3]}'`);
    if (returns.length !== episodes || !returns.every(Number.isFinite)) {
      throw new ReportInputError(`${at}: returns must be ${episodes} finite numbers joined with ';', got '${cells[4]}'`);
    }
    rows.push({ step, mean: m, std: sd, episodes, returns });
  }
  return rows;
}

/** The first column of metrics.csv's last row: the step an unfinished run reached (0 with no rows or file). */
function lastMetricsStep(path: string): number {
  if (!existsSync(path)) return 0;
  const lines = readText(path).split('\n').filter((l) => l.trim() !== '');
  if (lines.length < 2) return 0;
  const cell = lines.at(-1)!.split(',')[0], step = Number(cell);
  if (cell.trim() === '' || !Number.isSafeInteger(step) || step < 0) {
    throw new ReportInputError(`${path}:${lines.length}: the step column must be an integer ≥ 0, got '${cell}'`);
  }
  return step;
}

function formatValue(v: unknown): string {
  if (v === undefined) return 'unset';
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'object' && x !== null ? JSON.stringify(x) : String(x))).join(',');
  return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
}

/** Runs grouped into configs (equal config.json but `seed`), ordered by env, algo and name. A config is
 *  named `env algo`, followed by `field=value` for each field whose value differs between the configs of
 *  `runs` with the same env and algo (in config.json's field order). */
export function groupConfigs(runs: readonly Run[]): Config[] {
  const byKey = new Map<string, Run[]>();
  for (const r of runs) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r]);
  const configs: Config[] = [...byKey.values()].map((rs) => {
    const sortedRuns = [...rs].sort((a, b) => a.seed - b.seed || (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
    const r = sortedRuns[0];
    return { key: r.key, env: r.env, algo: r.algo, name: `${r.env} ${r.algo}`, fields: r.fields, runs: sortedRuns };
  });
  const families = new Map<string, Config[]>();
  for (const c of configs) families.set(`${c.env}\n${c.algo}`, [...(families.get(`${c.env}\n${c.algo}`) ?? []), c]);
  for (const family of families.values()) {
    if (family.length < 2) continue;
    const keys = [...new Set(family.flatMap((c) => Object.keys(c.fields)))];
    const differing = keys.filter((k) => new Set(family.map((c) => canonicalJson(c.fields[k]))).size > 1);
    for (const c of family) c.name += differing.map((k) => ` ${k}=${formatValue(c.fields[k])}`).join('');
  }
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return configs.sort((a, b) => cmp(a.env, b.env) || cmp(a.algo, b.algo) || cmp(a.name, b.name) || cmp(a.key, b.key));
}
