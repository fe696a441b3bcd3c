// DIR/sweep.json, the record of a sweep: written once (exclusively: shards started at once on a shared DIR agree
// on one file), never overwritten, and compared as data with the sweep being started there — a DIR holding another
// sweep, or files that are not a sweep's, is refused with nothing changed.
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeFileError } from '../checkpoint/file.js';
import { UsageError } from '../cli/flags.js';
import { CHECKPOINT_FILE } from '../cli/run-files.js';
import { formatSeeds } from './grid.js';

export const SWEEP_FILE = 'sweep.json';

/** What sweep.json holds: the sweep's definition (identical for every shard of it), and its config folders. */
export interface SweepDefinition {
  version: 1;
  env: string;
  algo: string;
  seeds: number[];
  /** --set flag → its values, in the order of train --help. */
  set: Record<string, string[]>;
  /** The train flags given to every run: flag → value (true for a switch). */
  flags: Record<string, string | true>;
  shards: number;
  configs: string[];
}

/** JSON with object keys sorted: two definitions are the same sweep when these are equal. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

/** Refuses a DIR that is not this sweep's folder: a file, a non-empty folder without sweep.json, or one whose
 *  sweep.json records another sweep. Reads only. */
export function checkSweepDir(out: string, def: SweepDefinition): void {
  const file = join(out, SWEEP_FILE);
  if (!existsSync(out)) return;
  if (!statSync(out).isDirectory()) throw new UsageError(`--out ${out} is a file, not a folder`);
  if (existsSync(file)) return sameSweep(out, def);
  if (readdirSync(out).some((n) => !n.startsWith('.'))) {
    throw new UsageError(`--out ${out} is not empty and holds no ${SWEEP_FILE}: it is not a sweep folder (nothing was changed); give a new or empty folder`);
  }
}

/** DIR becomes (or already is) this sweep's folder. sweep.json is created exclusively (written to a temp file,
 *  then hard-linked into place: the link fails if another process created it first), never overwritten; then
 *  it must be this sweep's definition. So shards started at once on a shared DIR agree on one file, and a
 *  different sweep is refused with nothing changed. */
export function claimSweepDir(out: string, def: SweepDefinition): void {
  const file = join(out, SWEEP_FILE);
  checkSweepDir(out, def);
  mkdirSync(out, { recursive: true });
  if (existsSync(file)) return sameSweep(out, def);
  const text = JSON.stringify(def, null, 2) + '\n';
  const tmp = join(out, `.${SWEEP_FILE}.${process.pid}.tmp`);
  writeFileSync(tmp, text);
  try {
    linkSync(tmp, file);
    return;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') { // a file system without hard links: an exclusive create instead
      try {
        writeFileSync(file, text, { flag: 'wx' });
        return;
      } catch (e2) {
        if ((e2 as NodeJS.ErrnoException).code !== 'EEXIST') throw describeFileError(e2, 'write', file);
      }
    }
  } finally {
    unlinkSync(tmp);
  }
  sameSweep(out, def); // another process created it first
}

/** DIR/sweep.json must record `def` (compared as data: key order and spacing do not matter). */
function sameSweep(out: string, def: SweepDefinition): void {
  const file = join(out, SWEEP_FILE);
  let theirs: Record<string, unknown>;
  try {
    theirs = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new UsageError(`${file} is not a sweep's record (${(e as Error).message}); nothing was changed: give another --out`);
  }
  if (canonical(theirs) === canonical(def)) return;
  const show = (k: string, v: unknown) => (k === 'seeds' && Array.isArray(v) ? formatSeeds(v as number[]) : JSON.stringify(v));
  const diffs = (['env', 'algo', 'seeds', 'set', 'flags', 'shards', 'version'] as const)
    .filter((k) => canonical(theirs[k]) !== canonical(def[k]))
    .map((k) => `${k}: ${show(k, theirs[k])} there, ${show(k, def[k])} here`);
  const trained = readdirSync(out, { recursive: true, encoding: 'utf8' }).some((f) => f.endsWith(CHECKPOINT_FILE));
  throw new UsageError(`${out} holds a different sweep (${diffs.join('; ') || 'its sweep.json differs'}); nothing was changed. ` +
    `Continue it with its own arguments, or give another --out${trained ? '' : ` (none of its runs has a checkpoint yet: deleting ${file} lets this sweep start there)`}`);
}
