// ddpg-wasm sweep: the grid (seeds, --set, naming, shards) as pure functions; every bad argument refused
// before anything is written; and the built CLI end to end on tiny Pendulum runs: each run of a sweep is the
// plain `train` run bit for bit, a kill -9 or a SIGINT mid-sweep is finished by the same command with the same
// bits, and shards (and a duplicate shard) sharing one DIR at once run every run exactly once.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  expandGrid, formatSeeds, parseSeeds, parseSets, parseShard, shardOf, sweepRuns, valueArgs,
} from '../src/sweep/grid.js';
import { checkpointArrays, CLI, cli, metricsWithoutWall, startCli, tempDir } from './helpers/cli.js';

const DIST = join(CLI, '..', '..');

describe('sweep grid (pure)', () => {
  it('--seeds: lists and ranges, ascending; a seed twice, a backwards range, an empty item or junk is an error', () => {
    expect(parseSeeds('1-5')).toEqual([1, 2, 3, 4, 5]);
    expect(parseSeeds('1,3,7')).toEqual([1, 3, 7]);
    expect(parseSeeds('1-3,10')).toEqual([1, 2, 3, 10]);
    expect(parseSeeds('7,0,3')).toEqual([0, 3, 7]);
    expect(parseSeeds(' 4 ')).toEqual([4]);
    expect(formatSeeds(parseSeeds('1-3,10,12-13'))).toBe('1-3,10,12-13');
    const bad: [string, RegExp][] = [
      ['1,2,1', /seed 1 is given twice/], ['1-3,2', /seed 2 is given twice/], ['', /expects seeds like/],
      ['1,,2', /'' is not a seed/], ['5-1', /runs backwards; write 1-5/], ['a', /'a' is not a seed/],
      ['-1', /'-1' is not a seed/], ['1.5', /'1.5' is not a seed/], ['1-', /'1-' is not a seed/], ['0-1000000', /more than 100000 seeds/],
    ];
    for (const [text, msg] of bad) expect(() => parseSeeds(text), text).toThrow(msg);
  });

  it('--set: kebab or camelCase keys, the cartesian product in train --help order, folder names, x-joined lists, switches', () => {
    const axes = parseSets(['gamma=0.9,0.99', 'actorHidden=64x64,256', 'obs-normalization=true,false']);
    expect(axes.map((a) => a.flag)).toEqual(['actor-hidden', 'gamma', 'obs-normalization']); // train --help order
    const points = expandGrid('Pendulum-v1', 'td3', axes);
    expect(points.map((p) => p.name)).toEqual([
      'Pendulum-v1-td3-actor-hidden=64x64-gamma=0.9-obs-normalization=true',
      'Pendulum-v1-td3-actor-hidden=64x64-gamma=0.9-obs-normalization=false',
      'Pendulum-v1-td3-actor-hidden=64x64-gamma=0.99-obs-normalization=true',
      'Pendulum-v1-td3-actor-hidden=64x64-gamma=0.99-obs-normalization=false',
      'Pendulum-v1-td3-actor-hidden=256-gamma=0.9-obs-normalization=true',
      'Pendulum-v1-td3-actor-hidden=256-gamma=0.9-obs-normalization=false',
      'Pendulum-v1-td3-actor-hidden=256-gamma=0.99-obs-normalization=true',
      'Pendulum-v1-td3-actor-hidden=256-gamma=0.99-obs-normalization=false',
    ]);
    expect(points[1].args).toEqual(['--actor-hidden=64,64', '--gamma=0.9']); // false: the switch left out
    expect(points[4].args).toEqual(['--actor-hidden=256', '--gamma=0.9', '--obs-normalization']);
    expect(valueArgs('actorLr', '-1')).toEqual(['--actor-lr=-1']); // '=': a negative value stays a value
    expect(expandGrid('Pendulum-v1', 'ddpg', parseSets([])).map((p) => p.name)).toEqual(['Pendulum-v1-ddpg']);
    expect(expandGrid('E', 'ddpg', parseSets(['noise=a/b'])).map((p) => p.name)).toEqual(['E-ddpg-noise=a%2Fb']); // one path component
    // The order of the --set flags does not matter; runs are grid point major.
    expect(expandGrid('E', 'ddpg', parseSets(['obs-normalization=true,false', 'gamma=0.9,0.99', 'actor-hidden=64x64,256'])).map((p) => p.name))
      .toEqual(points.map((p) => p.name.replace('Pendulum-v1-td3', 'E-ddpg')));
    const runs = sweepRuns(points.slice(0, 2), [3, 5]);
    expect(runs.map((r) => r.rel)).toEqual([`${points[0].name}/seed3`, `${points[0].name}/seed5`, `${points[1].name}/seed3`, `${points[1].name}/seed5`]);
  });

  it('--set: an unknown key lists the known ones; seed points at --seeds; env fields, empty or repeated values, a key twice are errors', () => {
    const bad: [string[], RegExp][] = [
      [['foo=1'], /unknown key 'foo'; known keys .*actor-hidden, critic-hidden.*target-noise-clip/],
      [['seed=1,2'], /give them with --seeds/], [['obs-dim=3'], /comes from the env/], [['actionLow=1'], /comes from the env/],
      [['gamma'], /expects key=value1,value2/], [['=1'], /expects key=value1,value2/], [['gamma='], /an empty value for gamma/],
      [['gamma=0.9,,0.8'], /an empty value/], [['gamma=0.9,0.9'], /value '0.9' is given twice/],
      [['actor-hidden=64,64'], /given twice for actor-hidden \(a list value's widths are joined with x/],
      [['obs-normalization=yes'], /its values are true and false/], [['gamma=0.9', 'gamma=0.8'], /--set gamma is given twice/],
      [['actor-lr=1e-3', 'actorLr=1e-4'], /--set actor-lr is given twice/],
    ];
    for (const [texts, msg] of bad) expect(() => parseSets(texts), texts.join(' ')).toThrow(msg);
  });

  it('--shard: for n = 1…4 the shards hold every run exactly once; malformed --shard is an error', () => {
    const runs = sweepRuns(expandGrid('E', 'ddpg', parseSets(['gamma=0.9,0.95,0.99', 'tau=0.01,0.02'])), parseSeeds('1-3'));
    expect(runs.length).toBe(18);
    expect(parseShard(undefined)).toEqual({ index: 1, count: 1 });
    for (let n = 1; n <= 4; n++) {
      const shards = Array.from({ length: n }, (_, i) => shardOf(runs, parseShard(`${i + 1}/${n}`)).map((r) => r.rel));
      const all = shards.flat();
      expect(all.length, `n=${n}`).toBe(runs.length);
      expect(new Set(all).size, `n=${n}`).toBe(runs.length);
      expect(shards.map((s) => s.length).sort(), `n=${n}`).toEqual(shards.map((_, i) => Math.ceil((runs.length - i) / n)).sort());
      expect(shardOf(runs, parseShard(`1/${n}`))).toEqual(shardOf(runs, parseShard(`1/${n}`))); // deterministic
    }
    for (const s of ['0/3', '4/3', '1/0', 'a/b', '1', '', '1/2/3', '-1/2']) expect(() => parseShard(s), s).toThrow(/--shard expects i\/n with 1 ≤ i ≤ n/);
  });
});

/** Every file under dir with its size and mtime: "nothing changed" is this being equal. */
function snapshot(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort().map((f) => {
    const s = statSync(join(dir, f));
    return `${f} ${s.isDirectory() ? 'dir' : `${s.size} ${s.mtimeMs}`}`;
  });
}

describe('sweep command: refused before anything is written (in-process)', () => {
  const base = ['sweep', '--env', 'Pendulum-v1', '--algo', 'ddpg', '--steps', '300'];

  it('bad --seeds, --set, --shard, --workers, a value train refuses, an unknown key: exit 2 naming it, DIR not created', async () => {
    const out = join(tempDir('sweep-bad'), 'sweep');
    const cases: [string[], RegExp][] = [
      [['--seeds', '1,1'], /seed 1 is given twice/], [['--seeds', '3-1'], /runs backwards/], [['--seeds', 'x'], /'x' is not a seed/],
      [['--seeds', '1', '--set', 'foo=1'], /unknown key 'foo'; known keys/],
      [['--seeds', '1', '--set', 'gamma=0.9,2'], /--set gamma=2: --gamma must be in \[0, 1\], got 2/],
      [['--seeds', '1', '--set', 'batch-size=8,abc'], /--set batch-size=abc: --batch-size expects a number, got 'abc'/],
      [['--seeds', '1', '--set', 'actor-hidden=64x0'], /--set actor-hidden=64x0: --actor-hidden expects comma-separated positive integers/],
      [['--seeds', '1', '--set', 'target-policy-noise=0.1'], /--set target-policy-noise=0.1: --target-policy-noise is not a setting of DDPG/],
      [['--seeds', '1', '--set', 'batch-size=8,16', '--set', 'buffer-size=10,100'], /the grid point batch-size=16, buffer-size=10 is refused: --batch-size \(16\) must be ≤ --buffer-size \(10\)/],
      [['--seeds', '1', '--set', 'seed=1,2'], /give them with --seeds/], [['--seeds', '1', '--set', 'gamma=0.9', '--set', 'gamma=0.8'], /--set gamma is given twice/],
      [['--seeds', '1', '--set', 'gamma=0.9', '--gamma', '0.8'], /--gamma is given both as a flag and as --set gamma/],
      [['--seeds', '1', '--shard', '0/3'], /--shard expects i\/n/], [['--seeds', '1', '--shard', '4/3'], /--shard expects i\/n/],
      [['--seeds', '1', '--shard', '1/0'], /--shard expects i\/n/], [['--seeds', '1', '--shard', 'a/b'], /--shard expects i\/n/],
      [['--seeds', '1', '--shard', '1'], /--shard expects i\/n/], [['--seeds', '1', '--workers', '0'], /--workers expects an integer ≥ 1/],
      [['--seeds', '1', '--seed', '3'], /takes --seeds .* not --seed/], [['--seeds', '1', '--steps', 'x'], /--steps expects an integer ≥ 1, got 'x'/],
      [['--seeds', '1', '--checkpoint-every', '0'], /--checkpoint-every expects an integer ≥ 1/], [['--seeds', '1', '--bogus', '1'], /Unknown option '--bogus'/],
    ];
    for (const [args, msg] of cases) {
      const r = await cli([...base, ...args, '--out', out]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.split('\n').at(-1), args.join(' ')).toMatch(msg);
      expect(existsSync(out), args.join(' ')).toBe(false);
    }
    const r = await cli([...base.filter((a) => a !== '--env' && a !== 'Pendulum-v1'), '--seeds', '1', '--out', out]);
    expect(r.stderr).toMatch(/sweep needs --env/);
  });

  it('a DIR holding a different sweep, or a folder that is not a sweep: exit 2, nothing changed', async () => {
    const out = join(tempDir('sweep-dir'), 'sweep');
    // Shard 2/2 of a one-run sweep has no run: it records the sweep and stops.
    const mine = [...base, '--seeds', '1', '--shard', '2/2', '--out', out];
    expect((await cli(mine)).code).toBe(0);
    const def = JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8'));
    expect(def).toMatchObject({ env: 'Pendulum-v1', algo: 'ddpg', seeds: [1], set: {}, flags: { steps: '300' }, shards: 2, configs: ['Pendulum-v1-ddpg'] });
    expect((await cli([...mine.slice(0, -2), '--workers', '3', '--out', out])).code).toBe(0); // --workers is not part of it
    const before = snapshot(out);
    const others: [string[], RegExp][] = [
      [['--seeds', '1-2', '--shard', '2/2'], /holds a different sweep \(seeds: 1 there, 1-2 here\); nothing was changed/],
      [['--seeds', '1', '--shard', '2/3'], /shards: 2 there, 3 here/],
      [['--seeds', '1', '--shard', '2/2', '--set', 'gamma=0.9'], /set: \{\} there, \{"gamma":\["0.9"\]\} here/],
      [['--seeds', '1', '--shard', '2/2', '--gamma', '0.9'], /flags: \{"steps":"300"\} there, \{"gamma":"0.9","steps":"300"\} here/],
    ];
    for (const [args, msg] of others) {
      const r = await cli([...base, ...args, '--out', out]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.split('\n').at(-1)).toMatch(msg);
      expect(snapshot(out)).toEqual(before);
    }
    const other = join(tempDir('sweep-notasweep'), 'runs');
    mkdirSync(other);
    writeFileSync(join(other, 'notes.txt'), 'mine');
    const r = await cli([...base, '--seeds', '1', '--out', other]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is not empty and holds no sweep.json/);
    expect(readdirSync(other)).toEqual(['notes.txt']);
  });
});

// Tiny Pendulum runs, long enough (8000 steps, ~0.5 s) to be caught mid-run with a checkpoint.
const TINY = ['--actor-hidden', '6', '--batch-size', '8', '--buffer-size', '800', '--learning-starts', '100', '--steps', '8000',
  '--checkpoint-every', '500', '--eval-episodes', '2'];
const GRID = [['6', '6'], ['4x4', '4,4']]; // the --set value, the train flag
const SEEDS = [1, 2];
const RUNS = GRID.flatMap(([v]) => SEEDS.map((s) => `Pendulum-v1-ddpg-critic-hidden=${v}/seed${s}`));
const SWEEP = ['sweep', '--env', 'Pendulum-v1', '--algo', 'ddpg', '--seeds', '1-2', '--set', `critic-hidden=${GRID.map((g) => g[0]).join(',')}`, ...TINY];

/** What must be bit-identical: every checkpoint array, metrics.csv but the wall column, the final evaluation. */
function result(dir: string) {
  const { wallSeconds: _, ...ev } = JSON.parse(readFileSync(join(dir, 'eval.json'), 'utf8')) as Record<string, unknown>;
  return { arrays: checkpointArrays(dir), metrics: metricsWithoutWall(dir), eval: ev };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor(cond: () => boolean, what: string, ms = 60_000): Promise<void> {
  const t = Date.now();
  while (!cond()) {
    if (Date.now() - t > ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}
const interrupted = (out: string) => RUNS.filter((r) => existsSync(join(out, r, 'checkpoint.ddpg')) && !existsSync(join(out, r, 'eval.json')));

function sweep(args: string[], opts: { detached?: boolean } = {}) {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: opts.detached });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += String(d); });
  child.stdout.resume();
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

describe('sweep runs (the built CLI: each run is a `train` child process)', () => {
  const want: Record<string, ReturnType<typeof result>> = {};

  beforeAll(async () => {
    for (const f of ['cli/sweep.js', 'sweep/run-pool.js', 'sweep/grid.js']) {
      if (!existsSync(join(DIST, f))) throw new Error(`dist/${f} is missing: run \`npm run build:ts\` first (the sweep's runs execute the built CLI, dist/cli/main.js)`);
    }
    // The plain train runs, two at a time.
    const ref = tempDir('sweep-ref');
    for (const [v, flag] of GRID) {
      const runs = SEEDS.map((s) => {
        const out = join(ref, `${v}-${s}`);
        return { out, run: startCli(['train', '--env', 'Pendulum-v1', '--algo', 'ddpg', '--seed', String(s), '--critic-hidden', flag, ...TINY, '--quiet', '--out', out]) };
      });
      for (const { run } of runs) expect(await run.exited, run.stderr()).toBe(0);
      SEEDS.forEach((s, i) => { want[`Pendulum-v1-ddpg-critic-hidden=${v}/seed${s}`] = result(runs[i].out); });
    }
  });

  it('2 grid values × 2 seeds on 2 workers: each run is the plain train run bit for bit; started again, all are skipped', async () => {
    const out = join(tempDir('sweep-2x2'), 'sweep');
    const run = sweep([...SWEEP, '--workers', '2', '--out', out]);
    expect(await run.exited, run.stderr()).toBe(0);
    for (const r of RUNS) expect(result(join(out, r)), r).toEqual(want[r]);
    const log = run.stderr();
    expect(log).toMatch(/sweep: 4 runs \(2 grid points × 2 seeds\) in .*: 0 finished, 0 to resume, 4 to start; 2 at a time/);
    for (const r of RUNS) expect(log).toMatch(new RegExp(`done +${r.replace(/[.+]/g, '\\$&')}: mean -?\\d+\\.\\d ± \\d+\\.\\d over 2 episodes`));
    expect(log).toMatch(/sweep: 4\/4 done · 0 running · 0 queued\n/);
    expect(log).toMatch(/sweep: all 4 runs finished in/);
    expect(readFileSync(join(out, RUNS[3], 'train.log'), 'utf8')).toMatch(/^# .* ddpg-wasm train --env Pendulum-v1 --algo ddpg --seed 2 --quiet .*--critic-hidden=4,4 --out /);
    const before = snapshot(out);
    const again = sweep([...SWEEP, '--workers', '2', '--out', out]);
    expect(await again.exited, again.stderr()).toBe(0);
    expect(again.stderr()).toMatch(/4 finished, 0 to resume, 0 to start/);
    expect(snapshot(out)).toEqual(before);
  });

  it('kill -9 of the sweep and its runs mid-way: started again, it resumes and starts what is left and ends identical', async () => {
    const out = join(tempDir('sweep-kill'), 'sweep');
    // Its own process group: the kill reaches the sweep and the train processes it started, nothing else.
    const run = sweep([...SWEEP, '--workers', '2', '--out', out], { detached: true });
    await waitFor(() => interrupted(out).length > 0, 'a run with a checkpoint');
    process.kill(-run.child.pid!, 'SIGKILL');
    expect(await run.exited).toBe(null);
    await waitFor(() => { try { process.kill(-run.child.pid!, 0); return false; } catch { return true; } }, 'the killed process group to be gone', 10_000);
    expect(interrupted(out).length).toBeGreaterThan(0);
    expect(RUNS.filter((r) => existsSync(join(out, r, 'eval.json'))).length).toBeLessThan(4);
    const again = sweep([...SWEEP, '--workers', '2', '--out', out]);
    expect(await again.exited, again.stderr()).toBe(0);
    expect(again.stderr()).toMatch(/[1-9]\d* to resume/);
    expect(again.stderr()).toMatch(/resumed at step \d+/);
    for (const r of RUNS) expect(result(join(out, r)), r).toEqual(want[r]);
  });

  it('SIGINT: the runs stop at a checkpoint and the sweep exits 130; the same command finishes them identically', async () => {
    const out = join(tempDir('sweep-int'), 'sweep');
    const run = sweep([...SWEEP, '--workers', '2', '--out', out]);
    await waitFor(() => interrupted(out).length > 0, 'a run with a checkpoint');
    run.child.kill('SIGINT'); // the sweep only: it stops its runs itself
    expect(await run.exited, run.stderr()).toBe(130);
    expect(run.stderr()).toMatch(/stopped +\S+: checkpoint written at step \d+/);
    expect(run.stderr()).toMatch(/sweep: stopped by SIGINT after .*: [1-9] runs? stopped at a checkpoint, .*the same command resumes the sweep/);
    const stopped = interrupted(out);
    expect(stopped.length).toBeGreaterThan(0);
    for (const r of stopped) expect(readFileSync(join(out, r, 'train.log'), 'utf8')).toMatch(/stopped by SIGTERM/);
    const again = sweep([...SWEEP, '--workers', '2', '--out', out]);
    expect(await again.exited, again.stderr()).toBe(0);
    for (const r of RUNS) expect(result(join(out, r)), r).toEqual(want[r]);
  });

  it('a run that fails: the others finish, exit 1, the failure listed with the last line of its log', async () => {
    const out = join(tempDir('sweep-fail'), 'sweep');
    const args = ['sweep', '--env', 'Pendulum-v1', '--algo', 'ddpg', '--seeds', '1-2', ...TINY, '--steps', '300', '--workers', '2', '--out', out];
    const first = sweep(args);
    expect(await first.exited, first.stderr()).toBe(0);
    const bad = join(out, 'Pendulum-v1-ddpg', 'seed2'); // made interrupted, with a damaged checkpoint
    rmSync(join(bad, 'eval.json'));
    writeFileSync(join(bad, 'checkpoint.ddpg'), 'not a checkpoint');
    const again = sweep(args);
    expect(await again.exited, again.stderr()).toBe(1);
    expect(again.stderr()).toMatch(/1 finished, 1 to resume, 0 to start/);
    expect(again.stderr()).toMatch(/failed +Pendulum-v1-ddpg\/seed2: exit code 1: ddpg-wasm train: checkpoint .*wrong magic/);
    expect(again.stderr()).toMatch(/sweep: 1 of 2 runs failed:\n  Pendulum-v1-ddpg\/seed2: exit code 1: .*\(log: .*seed2\/train.log\)/);
  });

  it('shards 1/2 and 2/2 at once into one DIR, with a second copy of shard 1/2: every run once, one sweep.json, same bits', async () => {
    const out = join(tempDir('sweep-shards'), 'sweep');
    const runs = [sweep([...SWEEP, '--shard', '1/2', '--workers', '1', '--out', out]), sweep([...SWEEP, '--shard', '2/2', '--workers', '1', '--out', out]),
      sweep([...SWEEP, '--shard', '1/2', '--workers', '1', '--out', out])];
    const codes = await Promise.all(runs.map((r) => r.exited));
    expect(codes[1], runs[1].stderr()).toBe(0);
    // The duplicate finds each run of its shard finished or in use by the other copy: never an error, never a second run.
    for (const i of [0, 2]) {
      expect([0, 1], runs[i].stderr()).toContain(codes[i]);
      expect(runs[i].stderr()).not.toMatch(/failed/);
      if (codes[i] === 1) expect(runs[i].stderr()).toMatch(/being written by another process/);
    }
    expect(runs[0].stderr()).toMatch(/shard 1\/2: 2 of 4 runs/);
    for (const shard of ['1/2', '2/2']) { // whatever a busy copy left: nothing, since the other finished it
      const r = sweep([...SWEEP, '--shard', shard, '--workers', '1', '--out', out]);
      expect(await r.exited, r.stderr()).toBe(0);
      expect(r.stderr()).toMatch(/2 finished, 0 to resume, 0 to start/);
    }
    for (const r of RUNS) {
      expect(result(join(out, r)), r).toEqual(want[r]);
      const trained = readFileSync(join(out, r, 'train.log'), 'utf8').match(/^trained \d+ steps/gm) ?? [];
      expect(trained.length, `${r} trained once`).toBe(1);
    }
    expect(JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8'))).toMatchObject({ seeds: [1, 2], shards: 2, set: { 'critic-hidden': ['6', '4x4'] } });
    expect(readdirSync(out).filter((n) => n.startsWith('.'))).toEqual([]); // no temp file left
  });
});
