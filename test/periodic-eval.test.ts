// Periodic evaluation during training (train --eval-every K): a row in evals.csv at every multiple of K, each the
// final evaluation's function (same seeds: the row at the last step is eval.json); training the same bits with and
// without it; an exact resume — from a stop, a periodic checkpoint taken at an evaluation step, kill -9 at random
// instants — ends with the same evals.csv as a run never interrupted; crafted run.evals / run.evalEvery are
// CheckpointErrors naming the field; --eval-every cannot change on resume. The child-process cases run the built
// CLI (dist/: npm run build:ts).
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../src/checkpoint/file.js';
import { CheckpointError } from '../src/checkpoint/format.js';
import { loadRun, trainCommand } from '../src/cli/train.js';
import { loadEngine } from '../src/nn/engine.js';
import { checkpointArrays, cli, metricsWithoutWall, runCli, startCli, tempDir, waitFor } from './helpers/cli.js';

const SMALL = ['--actor-hidden', '8,8', '--critic-hidden', '8,8', '--batch-size', '32', '--buffer-size', '4000',
  '--learning-starts', '300', '--noise', 'ou', '--noise-sigma', '0.3', '--seed', '3', '--quiet'];
const EVAL = ['--eval-every', '250', '--eval-episodes', '2'];

async function train(args: string[]): Promise<void> {
  expect(await trainCommand([...SMALL, ...args])).toBe(0);
}

const evalsText = (dir: string) => readFileSync(join(dir, 'evals.csv'), 'utf8');
function evalRows(dir: string) {
  return evalsText(dir).trim().split('\n').slice(1).map((row) => {
    const [step, mean, std, episodes, returns] = row.split(',');
    return { step: Number(step), mean: Number(mean), std: Number(std), episodes: Number(episodes), returns: returns.split(';').map(Number) };
  });
}
type RunState = { trainer: { step: number }; evals: string[]; evalEvery: number; evalEpisodes: number };
const runState = (dir: string) => loadCheckpoint(join(dir, 'checkpoint.ddpg')).meta.run as RunState;

/** The run ended as one never interrupted: evals.csv to the byte, weights, optimizer state, replay, metrics. */
function expectSameRun(dir: string, full: string): void {
  expect(evalsText(dir)).toBe(evalsText(full));
  expect(checkpointArrays(dir)).toEqual(checkpointArrays(full));
  expect(metricsWithoutWall(dir)).toEqual(metricsWithoutWall(full));
}

describe('evals.csv', () => {
  it('a row at K, 2K, … ≤ the total with --eval-episodes returns; the one at the last step equals eval.json', async () => {
    const dir = tempDir('pe-rows');
    await train([...EVAL, '--steps', '1000', '--out', dir]);
    const text = evalsText(dir);
    expect(text.split('\n')[0]).toBe('step,mean,std,episodes,returns');
    const rows = evalRows(dir);
    expect(rows.map((r) => r.step)).toEqual([250, 500, 750, 1000]);
    for (const r of rows) {
      expect(r.episodes).toBe(2);
      expect(r.returns).toHaveLength(2);
      const mean = r.returns.reduce((a, b) => a + b, 0) / 2; // evaluate's formulas on the returns as written: full precision
      expect(r.mean).toBe(mean);
      expect(r.std).toBe(Math.sqrt(r.returns.reduce((a, b) => a + (b - mean) ** 2, 0) / 2));
    }
    expect(new Set(rows.map((r) => r.mean)).size).toBe(4); // four different policies
    const ev = JSON.parse(readFileSync(join(dir, 'eval.json'), 'utf8'));
    const last = rows.at(-1)!;
    expect({ mean: last.mean, std: last.std, returns: last.returns, steps: last.step })
      .toEqual({ mean: ev.mean, std: ev.std, returns: ev.returns, steps: ev.steps });
    const run = runState(dir); // the rows are part of the run state
    expect(run.evalEvery).toBe(250);
    expect(run.evals).toEqual(text.trim().split('\n').slice(1));
  });

  it('a total that is not a multiple of K: the rows stop at the last multiple; without --eval-every there is no evals.csv', async () => {
    const dir = tempDir('pe-rows2');
    await train(['--eval-every', '400', '--eval-episodes', '3', '--steps', '900', '--out', dir]);
    expect(evalRows(dir).map((r) => [r.step, r.episodes, r.returns.length])).toEqual([[400, 3, 3], [800, 3, 3]]);
    const off = tempDir('pe-off');
    await train(['--eval-every', '0', '--steps', '300', '--eval-episodes', '1', '--out', off]);
    expect(existsSync(join(off, 'evals.csv'))).toBe(false);
    expect(runState(off).evalEvery).toBe(0);
    expect(readFileSync(join(off, 'config.json'), 'utf8')).not.toMatch(/eval/i); // a run setting, like checkpointEvery
  });
});

describe.each([['ddpg'], ['td3']])('%s: training is the same bits with and without --eval-every', (algo) => {
  it('weights, optimizer state, replay and metrics equal (observation normalization on: evaluation only reads it)', async () => {
    const args = ['--algo', algo, '--obs-normalization', '--steps', '1200', '--checkpoint-every', '300', '--eval-episodes', '1'];
    const withEval = tempDir('pe-with'), without = tempDir('pe-without');
    await train([...args, '--eval-every', '100', '--out', withEval]); // every periodic checkpoint at an evaluation step
    await train([...args, '--out', without]);
    expect(evalRows(withEval)).toHaveLength(12);
    expect(checkpointArrays(withEval)).toEqual(checkpointArrays(without));
    expect(metricsWithoutWall(withEval)).toEqual(metricsWithoutWall(without));
  });
});

describe('exact resume', () => {
  const args = [...EVAL, '--checkpoint-every', '500'];

  it('stopped at k ∈ {500 (an evaluation and a checkpoint step), 777} and resumed to 1500: the same evals.csv', async () => {
    const full = tempDir('pe-full');
    await train([...args, '--steps', '1500', '--out', full]);
    expect(evalRows(full).map((r) => r.step)).toEqual([250, 500, 750, 1000, 1250, 1500]);
    for (const k of [500, 777]) {
      const dir = tempDir(`pe-k${k}`);
      await train([...args, '--steps', String(k), '--out', dir]);
      expect(evalRows(dir).map((r) => r.step)).toEqual(k === 500 ? [250, 500] : [250, 500, 750]);
      expect(await trainCommand(['--resume', dir, '--steps', '1500', '--quiet'])).toBe(0);
      expectSameRun(dir, full);
    }
  });

  it('from a periodic checkpoint written at an evaluation step, with evals.csv ahead of it: the row is in the checkpoint; the later rows are dropped and computed again once', async () => {
    const full = tempDir('pe-pfull');
    await train([...args, '--steps', '2000', '--out', full]);
    const dir = tempDir('pe-periodic'), copy = join(tempDir('pe-copy'), 'checkpoint.ddpg');
    let copied = false;
    const poll = setInterval(() => { // the loop yields after each evaluation and each slice: this sees the first checkpoint
      if (!copied && existsSync(join(dir, 'checkpoint.ddpg'))) { copyFileSync(join(dir, 'checkpoint.ddpg'), copy); copied = true; }
    }, 0);
    try {
      await train([...args, '--steps', '2000', '--out', dir]);
    } finally {
      clearInterval(poll);
    }
    const run = loadCheckpoint(copy).meta.run as RunState;
    expect(run.trainer.step).toBe(500); // the first periodic checkpoint: also an evaluation step
    expect(run.evals.map((r) => Number(r.split(',')[0]))).toEqual([250, 500]); // evaluated first, then checkpointed
    expect(evalRows(dir).map((r) => r.step)).toEqual([250, 500, 750, 1000, 1250, 1500, 1750, 2000]);
    copyFileSync(copy, join(dir, 'checkpoint.ddpg')); // as after a kill past step 2000's rows whose last checkpoint was at 500
    expect(await trainCommand(['--resume', dir, '--quiet'])).toBe(0);
    expectSameRun(dir, full); // 750 … 2000 once each, not twice
  });

  it('SIGINT (built CLI): stops with the rows so far in its checkpoint; resumed, the same evals.csv', async () => {
    const dir = tempDir('pe-sigint');
    const run = startCli(['train', ...SMALL, ...args, '--steps', '100000', '--out', dir]);
    await waitFor(join(dir, 'checkpoint.ddpg'));
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(130);
    const state = runState(dir), s = state.trainer.step;
    expect(state.evals).toHaveLength(Math.floor(s / 250));
    expect(evalsText(dir).trim().split('\n').slice(1)).toEqual(state.evals);
    const total = s + 600;
    expect(await trainCommand(['--resume', dir, '--steps', String(total), '--quiet'])).toBe(0);
    const full = tempDir('pe-sigint-full');
    await train([...args, '--steps', String(total), '--out', full]);
    expectSameRun(dir, full);
    expect(evalRows(full).length).toBeGreaterThanOrEqual(2);
  });

  it('kill -9 at random instants (built CLI; evaluations and checkpoints every few ms): resumed, the same evals.csv', async () => {
    // 5000 steps: with 2500 a quick moment of the host finished the whole run before the first kill landed.
    const steps = 5000;
    const killArgs = [...SMALL, '--eval-every', '50', '--eval-episodes', '1', '--checkpoint-every', '100', '--steps', String(steps)];
    const full = tempDir('pe-kills-full');
    expect(await trainCommand([...killArgs, '--out', full])).toBe(0);
    const rng = seedrandom('periodic-eval kills');
    const dir = tempDir('pe-kills');
    const first = startCli(['train', ...killArgs, '--out', dir]);
    await waitFor(join(dir, 'checkpoint.ddpg'));
    await new Promise((r) => setTimeout(r, 20 + 200 * rng()));
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe(null);
    let kills = 1, ahead = 0;
    for (let i = 0; i < 3; i++) {
      const state = runState(dir); // never torn, and its rows are every evaluation due by its step
      expect(state.evals).toHaveLength(Math.floor(state.trainer.step / 50));
      if (evalsText(dir).trim().split('\n').length - 1 > state.evals.length) ahead++;
      const run = startCli(['train', '--resume', dir, '--quiet']);
      await new Promise((r) => setTimeout(r, 150 + 250 * rng()));
      run.child.kill('SIGKILL');
      if (await run.exited === 0) break; // it finished before the kill
      kills++;
    }
    const done = runCli(['train', '--resume', dir, '--quiet']);
    expect([0, 2]).toContain(done.code); // 2: it had already finished all its steps
    console.log(`periodic eval, kill -9 at random instants: ${kills} kills, evals.csv ahead of the checkpoint after ${ahead}`);
    expect(evalRows(dir).map((r) => r.step)).toEqual(Array.from({ length: steps / 50 }, (_, i) => 50 * (i + 1)));
    expectSameRun(dir, full);
  });
});

describe('crafted run state', () => {
  let file: string;
  beforeAll(async () => {
    const dir = tempDir('pe-crafted');
    await train([...EVAL, '--steps', '600', '--out', dir]); // rows at 250 and 500, trainer.step 600
    file = join(dir, 'checkpoint.ddpg');
  });

  async function outcome(edit: (run: Record<string, unknown> & { evals: string[] }) => void): Promise<unknown> {
    const content = loadCheckpoint(file);
    edit(content.meta.run as Record<string, unknown> & { evals: string[] });
    return loadRun(await loadEngine(), 'crafted.ddpg', content).then(({ meta }) => meta, (e: unknown) => e);
  }
  const withField = (row: string, i: number, v: string) => row.split(',').map((c, j) => (j === i ? v : c)).join(',');

  it('bad run.evals and run.evalEvery are CheckpointErrors naming the field', async () => {
    const cases: [string, (r: Record<string, unknown> & { evals: string[] }) => void, RegExp][] = [
      ['evals not an array', (r) => { r.evals = 'x' as never; }, /run\.evals must be an array of CSV rows, got "x"/],
      ['evals an object', (r) => { r.evals = {} as never; }, /run\.evals must be an array of CSV rows/],
      ['evals missing', (r) => { delete (r as Record<string, unknown>).evals; }, /run\.evals must be an array of CSV rows/],
      ['a row that is not numbers', (r) => { r.evals[0] = withField(r.evals[0], 1, 'abc'); }, /run\.evals\[0\] must be a CSV row step,mean,std,episodes,returns of numbers/],
      ['a row that is not a string', (r) => { r.evals[1] = 500 as never; }, /run\.evals\[1\] must be a CSV row/],
      ['a row with an extra column', (r) => { r.evals[1] += ',1'; }, /run\.evals\[1\] must be a CSV row/],
      ['returns not the episodes count', (r) => { r.evals[0] = withField(r.evals[0], 3, '3'); }, /run\.evals\[0\] must be a row whose episodes count \(3\) is the number of its returns/],
      ['a step not a multiple', (r) => { r.evals[1] = withField(r.evals[1], 0, '510'); }, /run\.evals\[1\] must be at a step that is a multiple of run\.evalEvery 250/],
      ['a step above trainer.step', (r) => { r.evals.push(withField(r.evals[1], 0, '750')); }, /run\.evals\[2\] must be at a step ≤ run\.trainer\.step 600/],
      ['steps not increasing', (r) => { r.evals[1] = r.evals[0]; }, /run\.evals\[1\] must be at a step above the row before's \(250\)/],
      ['a row missing in the middle', (r) => { r.evals.shift(); }, /run\.evals\[0\] must be the evaluation at step 250/],
      ['the last row missing', (r) => { r.evals.pop(); }, /run\.evals must be 2 rows: one per evaluation due by run\.trainer\.step 600/],
      ['evalEvery negative', (r) => { r.evalEvery = -250; }, /run\.evalEvery must be an integer ≥ 0, got -250/],
      ['evalEvery fractional', (r) => { r.evalEvery = 2.5; }, /run\.evalEvery must be an integer ≥ 0, got 2\.5/],
      ['evalEvery a string', (r) => { r.evalEvery = '250'; }, /run\.evalEvery must be an integer ≥ 0, got "250"/],
      ['evalEvery missing', (r) => { delete r.evalEvery; }, /run\.evalEvery must be an integer ≥ 0/],
      ['evalEvery changed: the rows no longer fit', (r) => { r.evalEvery = 100; }, /run\.evals\[0\] must be at a step that is a multiple of run\.evalEvery 100/],
      ['evalEvery 0 with rows', (r) => { r.evalEvery = 0; }, /run\.evals must be empty: the run has no periodic evaluation/],
      ['evaluations without episodes', (r) => { r.evalEpisodes = 0; }, /run\.evalEpisodes must be at least 1/],
    ];
    const wrong: string[] = [];
    for (const [what, edit, message] of cases) {
      const e = await outcome(edit);
      if (!(e instanceof CheckpointError)) wrong.push(`${what}: ${e instanceof Error ? e.message : 'accepted'}`);
      else if (!e.message.startsWith('checkpoint crafted.ddpg') || !message.test(e.message)) wrong.push(`${what}: ${e.message}`);
    }
    expect(wrong).toEqual([]);
  });

  it('a checkpoint from before periodic evaluation (neither field) resumes as a run without it', async () => {
    const meta = await outcome((r) => { delete r.evalEvery; delete (r as Record<string, unknown>).evals; }) as RunState;
    expect(meta).not.toBeInstanceOf(Error);
    expect([meta.evalEvery, meta.evals]).toEqual([0, []]);
  });
});

describe('the flag', () => {
  const run = () => join(tempDir('pe-flag'), 'run');

  it('0 is off; -1, 1.5, abc exit 2 naming it; it needs --eval-episodes ≥ 1; train --help lists it', async () => {
    for (const v of ['-1', '1.5', 'abc']) {
      const r = await cli(['train', ...SMALL, '--steps', '50', '--eval-every', v, '--out', run()]);
      expect(r.code, v).toBe(2);
      expect(r.stderr.trim().split('\n').at(-1)).toBe(`ddpg-wasm train: --eval-every expects an integer ≥ 0, got '${v}'`);
    }
    const r = await cli(['train', ...SMALL, '--steps', '50', '--eval-every', '25', '--eval-episodes', '0', '--out', run()]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n').at(-1)).toMatch(/--eval-every 25 needs --eval-episodes ≥ 1/);
    const help = await cli(['train', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--eval-every K +every K steps, evaluate the deterministic policy/);
  });

  it('one line per evaluation on stderr unless --quiet (built CLI: the progress output goes to process.stderr)', () => {
    const args = ['train', ...SMALL.filter((a) => a !== '--quiet'), '--steps', '400', '--eval-every', '200', '--eval-episodes', '1'];
    const loud = runCli([...args, '--out', run()]);
    expect(loud.code).toBe(0);
    expect(loud.stderr.split('\n').filter((l) => l.startsWith('eval at step'))).toEqual([
      expect.stringMatching(/^eval at step 200: mean -?\d+\.\d ± \d+\.\d over 1 episode$/), expect.stringMatching(/^eval at step 400: /)]);
    const quiet = runCli([...args, '--quiet', '--out', run()]);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).not.toMatch(/eval at step/);
  });

  it('on --resume it must repeat the run\'s value or be left out', async () => {
    const dir = tempDir('pe-resume-flag');
    await train([...EVAL, '--steps', '600', '--out', dir]);
    const last = async (extra: string[]) => {
      const r = await cli(['train', '--resume', dir, '--steps', '800', ...extra]);
      return [r.code, r.stderr.trim().split('\n').at(-1)];
    };
    expect(await last(['--eval-every', '100'])).toEqual([2, expect.stringMatching(
      new RegExp(`--eval-every cannot change when resuming ${dir.replace(/[/.]/g, '\\$&')} \\(the run's eval-every is 250;`))]);
    expect(await last(['--eval-every', '0'])).toEqual([2, expect.stringMatching(/--eval-every cannot change .*the run's eval-every is 250/)]);
    expect(await last(['--eval-every', '1.5'])).toEqual([2, "ddpg-wasm train: --eval-every expects an integer ≥ 0, got '1.5'"]);
    expect(await last(['--eval-episodes', '0'])).toEqual([2, expect.stringMatching(/--eval-episodes 0 would leave the run's evaluations every 250 steps/)]);
    const without = tempDir('pe-resume-without');
    await train(['--steps', '300', '--eval-episodes', '1', '--out', without]);
    const r = await cli(['train', '--resume', without, '--steps', '500', '--eval-every', '100']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n').at(-1)).toMatch(/--eval-every cannot change .*the run's eval-every is 0/);
    expect(await trainCommand(['--resume', dir, '--steps', '800', '--eval-every', '250', '--quiet'])).toBe(0); // its own value
    expect(evalRows(dir).map((x) => x.step)).toEqual([250, 500, 750]);
  });
});
