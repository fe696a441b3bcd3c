// The pure part of `ddpg-wasm sweep`: parsing --seeds, --set and --shard, expanding the grid (the cartesian
// product of the --set axes), naming the run folders and slicing the runs into shards. No file system, no
// processes: everything here is a function of the command line, so every shard of a job array computes the
// same list of runs in the same order.
import { kebab, UsageError } from '../cli/flags.js';
import { FIELDS, type Td3Config } from '../rl/config.js';

type Field = keyof Td3Config;

/** More runs than this is a typo (a range like 1-1000000), not a sweep. */
export const MAX_RUNS = 100_000;

/** The config fields a sweep can vary: those with a train flag (not the env's, not seed: --seeds). */
const SWEEP_FIELDS = (Object.keys(FIELDS) as Field[]).filter((f) => FIELDS[f].flag !== 'env' && f !== 'seed');
const BY_NAME = new Map<string, Field>(SWEEP_FIELDS.flatMap((f) => [[f, f], [kebab(f), f]] as [string, Field][]));

/** `1-5`, `1,3,7`, `1-3,10` → the seeds, ascending (so `3,1,2` and `1-3` are the same sweep). Integers ≥ 0; a
 *  seed given twice, a backwards range, an empty item or anything else is a UsageError. */
export function parseSeeds(text: string): number[] {
  const want = 'seeds like 1-10, 1,3,7 or 1-3,10 (integers ≥ 0)';
  if (text.trim() === '') throw new UsageError(`--seeds expects ${want}, got '${text}'`);
  const seen = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!m) throw new UsageError(`--seeds: '${part}' is not a seed or a range in '${text}'; expected ${want}`);
    const a = Number(m[1]), b = m[2] === undefined ? a : Number(m[2]);
    if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b)) throw new UsageError(`--seeds: '${part}' is beyond the largest seed ${Number.MAX_SAFE_INTEGER}`);
    if (b < a) throw new UsageError(`--seeds: the range '${part.trim()}' runs backwards; write ${b}-${a}`);
    if (seen.size + (b - a + 1) > MAX_RUNS) throw new UsageError(`--seeds '${text}' gives more than ${MAX_RUNS} seeds`);
    for (let s = a; s <= b; s++) {
      if (seen.has(s)) throw new UsageError(`--seeds: seed ${s} is given twice in '${text}' (each seed runs once)`);
      seen.add(s);
    }
  }
  return [...seen].sort((x, y) => x - y);
}

/** The seeds as the shortest list of ranges: [1, 2, 3, 7] → '1-3,7'. */
export function formatSeeds(seeds: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < seeds.length;) {
    let j = i;
    while (j + 1 < seeds.length && seeds[j + 1] === seeds[j] + 1) j++;
    out.push(j > i ? `${seeds[i]}-${seeds[j]}` : String(seeds[i]));
    i = j + 1;
  }
  return out.join(',');
}

export interface Shard { index: number; count: number }

/** `i/n` with 1 ≤ i ≤ n. */
export function parseShard(text: string | undefined): Shard {
  if (text === undefined) return { index: 1, count: 1 };
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN, count = m ? Number(m[2]) : NaN;
  if (!m || !Number.isSafeInteger(index) || !Number.isSafeInteger(count) || count < 1 || index < 1 || index > count) {
    throw new UsageError(`--shard expects i/n with 1 ≤ i ≤ n (the i-th of n slices of the runs, e.g. 2/4), got '${text}'`);
  }
  return { index, count };
}

/** The runs of shard i/n: runs k (0-based, in the sweep's order) with k mod n = i − 1. Round-robin rather than
 *  blocks so each shard gets a share of every grid point (their run times differ). */
export function shardOf<T>(runs: readonly T[], shard: Shard): T[] {
  return runs.filter((_, k) => k % shard.count === shard.index - 1);
}

/** One --set: a config field and the values it takes, as given (the train flag's text; a list field's
 *  widths joined with 'x'). */
export interface GridAxis { field: Field; flag: string; values: string[] }

/** `key=v1,v2,…`; key is the train flag (`actor-lr`) or the config field (`actorLr`). Values are checked for
 *  form here (not empty, not repeated, switches true/false); the values train would refuse are found by
 *  resolving each grid point's config (src/cli/sweep.ts). */
export function parseSet(text: string): GridAxis {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new UsageError(`--set expects key=value1,value2,… (e.g. --set actor-lr=1e-3,3e-4), got '${text}'`);
  const key = text.slice(0, eq).trim().replace(/^--/, '');
  const field = BY_NAME.get(key);
  if (!field) {
    if (key === 'seed' || key === 'seeds') throw new UsageError(`--set ${text}: seeds are not a --set key; give them with --seeds (e.g. --seeds 1-10)`);
    if ((Object.keys(FIELDS) as Field[]).some((f) => f === key || kebab(f) === key)) throw new UsageError(`--set ${text}: ${key} comes from the env; it cannot be set`);
    throw new UsageError(`--set: unknown key '${key}'; known keys (train's flags, or their config field names): ${SWEEP_FIELDS.map(kebab).join(', ')}`);
  }
  const flag = kebab(field);
  const spec = FIELDS[field];
  const values = text.slice(eq + 1).split(',');
  const seen = new Set<string>();
  for (const v of values) {
    if (v.trim() === '') throw new UsageError(`--set ${text}: an empty value for ${flag}${spec.flag === 'sizes' ? LIST_HINT : ''}`);
    if (seen.has(v)) throw new UsageError(`--set ${text}: value '${v}' is given twice for ${flag}${spec.flag === 'sizes' ? LIST_HINT : ''}`);
    seen.add(v);
    if (spec.flag === 'boolean' && v !== 'true' && v !== 'false') throw new UsageError(`--set ${text}: ${flag} is a switch; its values are true and false, got '${v}'`);
    if (spec.flag === 'sizes' && v.includes(' ')) throw new UsageError(`--set ${text}: '${v}': write a list value without spaces${LIST_HINT}`);
  }
  return { field, flag, values };
}

const LIST_HINT = " (a list value's widths are joined with x: --set actor-hidden=64x64,256x256 is two values)";

/** Every --set, each key once, in a fixed order (the order of train --help), so that the folder names and the
 *  order of the runs do not depend on the order the --set flags were given in. */
export function parseSets(texts: readonly string[]): GridAxis[] {
  const axes: GridAxis[] = [];
  for (const t of texts) {
    const axis = parseSet(t);
    if (axes.some((a) => a.field === axis.field)) throw new UsageError(`--set ${axis.flag} is given twice; give all its values in one --set ${axis.flag}=v1,v2,…`);
    axes.push(axis);
  }
  return axes.sort((a, b) => SWEEP_FIELDS.indexOf(a.field) - SWEEP_FIELDS.indexOf(b.field));
}

/** The train flags that give `field` the --set value `value`: `--actor-lr=1e-3`, `--actor-hidden=64,64`,
 *  `--obs-normalization` (true) or nothing (false: the switch left out). The `=` form keeps a negative number a
 *  value, not a flag. */
export function valueArgs(field: Field, value: string): string[] {
  const flag = `--${kebab(field)}`;
  switch (FIELDS[field].flag) {
    case 'boolean': return value === 'true' ? [flag] : [];
    case 'sizes': return [`${flag}=${value.split('x').join(',')}`];
    default: return [`${flag}=${value}`];
  }
}

/** A name that is one safe path component everywhere: letters, digits and . _ + - = are kept, any other byte
 *  becomes %XX (so two different values never share a name). */
export function safeName(text: string): string {
  return Array.from(new TextEncoder().encode(text), (b) => {
    const c = String.fromCharCode(b);
    return /[A-Za-z0-9._+=-]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }).join('');
}

export interface GridPoint {
  /** The config folder: `<env>-<algo>` then `-<flag>=<value>` per --set key. */
  name: string;
  /** --set flag → value, as given. */
  values: Record<string, string>;
  /** The train flags of this point's values. */
  args: string[];
}

/** The cartesian product of the axes (the first axis varies slowest). No axes: one point, the base config. */
export function expandGrid(env: string, algo: string, axes: readonly GridAxis[]): GridPoint[] {
  const count = axes.reduce((n, a) => n * a.values.length, 1);
  if (count > MAX_RUNS) throw new UsageError(`--set gives ${count} grid points, more than ${MAX_RUNS}`);
  let points: { values: Record<string, string>; args: string[] }[] = [{ values: {}, args: [] }];
  for (const axis of axes) {
    points = points.flatMap((p) => axis.values.map((v) => ({ values: { ...p.values, [axis.flag]: v }, args: [...p.args, ...valueArgs(axis.field, v)] })));
  }
  const named = points.map((p) => ({ name: safeName([`${env}-${algo}`, ...Object.entries(p.values).map(([k, v]) => `${k}=${v}`)].join('-')), ...p }));
  // 1e-3 and 1E-3 would share a folder on a case-insensitive file system (macOS, Windows).
  const seen = new Map<string, string>();
  for (const p of named) {
    const other = seen.get(p.name.toLowerCase());
    if (other) throw new UsageError(`--set: ${other} and ${p.name} differ only in case: one folder on a case-insensitive file system; write the values alike`);
    seen.set(p.name.toLowerCase(), p.name);
  }
  const long = named.find((p) => new TextEncoder().encode(p.name).length > 200);
  if (long) throw new UsageError(`the run folder name ${long.name} is too long for a file system; sweep fewer keys at once`);
  return named;
}

export interface SweepRun {
  point: GridPoint;
  seed: number;
  /** The run folder relative to the sweep folder: `<config>/seed<S>`. */
  rel: string;
}

/** Every (grid point, seed), grid point major: the fixed order shards slice. */
export function sweepRuns(points: readonly GridPoint[], seeds: readonly number[]): SweepRun[] {
  if (points.length * seeds.length > MAX_RUNS) throw new UsageError(`the sweep has ${points.length * seeds.length} runs, more than ${MAX_RUNS}`);
  return points.flatMap((point) => seeds.map((seed) => ({ point, seed, rel: `${point.name}/seed${seed}` })));
}
