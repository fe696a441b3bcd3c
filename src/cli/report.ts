// `ddpg-wasm report DIR…`: aggregate training runs over seeds the way RL papers report them (Agarwal et al.
// 2021, rliable): per config (runs with equal config.json but seed), the final evaluation's mean ± std,
// median, IQM and mean with 95 % stratified-bootstrap intervals, the seeds, the unfinished runs (listed with
// their step, never averaged in) and the learning curves from evals.csv. Everything is read and computed
// before anything is written; the files are written atomically.
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { describeFileError } from '../checkpoint/file.js';
import { curvesSvg } from '../report/curves-svg.js';
import { renderJson, renderMarkdown } from '../report/render.js';
import { findRunDirs, groupConfigs, readRun } from '../report/runs.js';
import { summarize } from '../report/summary.js';
import { flagArgv, UsageError } from './flags.js';
import { writeText } from './run-files.js';

export const DEFAULT_OUT = 'report';
export const DEFAULT_RESAMPLES = 2000;
const MAX_RESAMPLES = 1_000_000;

export const REPORT_HELP = `Usage: ddpg-wasm report DIR... [--out DIR] [--bootstrap N] [--seed S]
  Aggregates training runs over seeds. Each DIR is a run folder (it holds config.json) or a folder holding run
  folders at any depth (e.g. runs/, or a sweep's output). Runs whose config.json is equal but for the seed form
  a config. A run is finished when eval.json exists and its steps equal config.json's steps; unfinished runs
  are listed with the step they reached (metrics.csv) and are not in the statistics.
  Per config: mean ± std (population) over seeds of the runs' eval.json means, median, interquartile mean
  (scipy.stats.trim_mean(x, 0.25), as rliable) and mean with 95 % stratified-bootstrap percentile intervals,
  and a learning curve per env from evals.csv (IQM over seeds, 95 % bootstrap band).

  --out DIR        where to write report.md, report.json and curves-<env>.svg (default ${DEFAULT_OUT}/)
  --bootstrap N    bootstrap resamples (default ${DEFAULT_RESAMPLES})
  --seed S         seed of the bootstrap's random numbers (default 0): same inputs and seed, same bytes
  --help           this text`;

const OPTIONS = { out: { type: 'string' }, bootstrap: { type: 'string' }, seed: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;

function intFlag(v: string | undefined, flag: string, min: number, max: number, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (v.trim() === '' || !Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`--${flag} expects an integer from ${min} to ${max}, got '${v}'`);
  return n;
}

export async function reportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: flagArgv(argv, OPTIONS), options: OPTIONS, strict: true, allowPositionals: true });
  if (values.help) { console.log(REPORT_HELP); return 0; }
  const resamples = intFlag(values.bootstrap, 'bootstrap', 1, MAX_RESAMPLES, DEFAULT_RESAMPLES);
  const seed = intFlag(values.seed, 'seed', 0, Number.MAX_SAFE_INTEGER, 0);
  if (values.out !== undefined && values.out.trim() === '') throw new UsageError('--out expects a folder');
  if (positionals.length === 0) throw new UsageError('report needs at least one DIR: a run folder or a folder holding run folders');
  for (const dir of positionals) {
    let isDir: boolean;
    try { isDir = statSync(dir).isDirectory(); } catch { throw new UsageError(`${dir}: no such folder`); }
    if (!isDir) throw new UsageError(`${dir} is not a folder (give a run folder or a folder holding run folders)`);
  }
  const out = values.out ?? DEFAULT_OUT;
  let outIsRun = false;
  try { outIsRun = statSync(join(out, 'config.json')).isFile(); } catch { /* not a run folder */ }
  if (outIsRun) throw new UsageError(`--out ${out} is a run folder (it holds config.json): choose another folder for the report`);
  const dirs = findRunDirs(positionals);
  if (dirs.length === 0) throw new Error(`no run folders (folders holding config.json) under ${positionals.join(', ')}`);
  const runs = dirs.map(readRun);
  const summary = summarize(groupConfigs(runs), { resamples, seed });
  const files: [string, string][] = [
    ...summary.envs.filter((e) => e.curves).map((e): [string, string] => [e.curves!, curvesSvg(e)]),
    ['report.json', renderJson(summary)],
    ['report.md', renderMarkdown(summary, { method: true })],
  ];
  try {
    mkdirSync(out, { recursive: true });
  } catch (e) {
    throw describeFileError(e, 'create the report folder', out);
  }
  for (const [name, text] of files) writeText(join(out, name), text);
  console.log(renderMarkdown(summary, { method: false }).trimEnd());
  console.error(`wrote ${files.map(([name]) => join(out, name)).join(', ')}`);
  return 0;
}
