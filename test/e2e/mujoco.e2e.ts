// End-to-end test of the MuJoCo page in Debian's Chromium (playwright-core, never a downloaded browser): the
// worker loads the official MuJoCo WebAssembly build lazily (served as application/wasm), the shipped
// InvertedDoublePendulum-v5 policy — trained by our CLI — plays a whole episode and balances, the canvas
// draws the model, live TD3 training runs in the worker, and a training checkpoint written by our CLI is
// continued in the page from its step. The Pendulum page's bundle carries none of MuJoCo. Screenshots go to
// test-artifacts/.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchDemoBrowser, type DemoBrowser } from '../../scripts/demo-browser.js';
// @ts-expect-error — a plain .mjs script without type declarations
import { startDemoServer } from '../../scripts/demo-server.mjs';

const ARTIFACTS = 'test-artifacts';
const DIST = 'web/dist';
// What the shipped policy scored in Node (scripts/mujoco-demo-policy.sh: `ddpg-wasm eval`, 10 episodes):
// 9359.7 ± 0.1. An episode pays ≈ 9.36 a step alive, so 90 % of it (8424) means the poles stayed up for at
// least ~900 of the 1000 steps: a policy that falls scores far less, one that works scores ~9359 here too
// (the same engine, the same MuJoCo build, reset noise from another seed).
const NODE_EVAL_RETURN = 9359.7;
const THRESHOLD = 0.9 * NODE_EVAL_RETURN;

interface MujocoSnapshot {
  mode: string; running: boolean; label: string; task: string; trainReturns: number[]; history: number;
  watchReturns: number[]; steps: number; stepsPerSec: number; curvePoints: number; framesDrawn: number; agent: string;
}

let server: { url: string; close: () => Promise<void> };
let b: DemoBrowser;
const responses: { url: string; type: string }[] = [];

const snap = (): Promise<MujocoSnapshot> =>
  b.page.evaluate(() => (globalThis as unknown as { demo: { snapshot(): MujocoSnapshot } }).demo.snapshot());

async function waitFor(what: string, test: (s: MujocoSnapshot) => boolean, timeoutMs: number): Promise<MujocoSnapshot> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const s = await snap();
    if (test(s)) return s;
    if (Date.now() > end) {
      const brief = { ...s, trainReturns: s.trainReturns.length };
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; page state ${JSON.stringify(brief)}; errors: ${b.errors.join(' | ') || 'none'}`);
    }
    await b.page.waitForTimeout(100);
  }
}

/** How many pixels of the canvas differ from its background colour (the top-left pixel). */
function drawnPixels(): Promise<{ width: number; height: number; differing: number }> {
  return b.page.evaluate(() => {
    const c = document.getElementById('scene') as HTMLCanvasElement;
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let differing = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] !== d[0] || d[i + 1] !== d[1] || d[i + 2] !== d[2]) differing++;
    return { width: c.width, height: c.height, differing };
  });
}

beforeAll(async () => {
  server = await startDemoServer({ port: 0 });
  b = await launchDemoBrowser();
  mkdirSync(ARTIFACTS, { recursive: true });
  b.context.on('response', (r) => responses.push({ url: r.url(), type: r.headers()['content-type'] ?? '' }));
  await b.page.goto(`${server.url}mujoco.html`);
});

afterAll(async () => {
  await b?.close();
  await server?.close();
});

describe('MuJoCo page', () => {
  it('the Pendulum page\'s bundle does not carry MuJoCo: only the MuJoCo worker refers to it', () => {
    const pendulum = readFileSync(join(DIST, 'worker.js'), 'utf8') + readFileSync(join(DIST, 'main.js'), 'utf8');
    for (const symbol of ['mujoco/mujoco.js', 'mj_step', 'ENVIRONMENT_IS_NODE', 'from_xml_string']) expect(pendulum).not.toContain(symbol);
    expect(statSync(join(DIST, 'worker.js')).size).toBeLessThan(120_000); // ~70 KB; MuJoCo's glue alone is 290 KB
    const mujocoWorker = readFileSync(join(DIST, 'mujoco-worker.js'), 'utf8');
    expect(mujocoWorker).toContain('mujoco/mujoco.js'); // imported at run time, by URL…
    expect(mujocoWorker).not.toContain('ENVIRONMENT_IS_NODE'); // …not bundled
    expect(statSync(join(DIST, 'mujoco', 'mujoco.wasm')).size).toBeGreaterThan(5_000_000);
  });

  it('plays the shipped policy: one full episode that balances (return ≥ 90 % of its Node eval), drawn on the canvas', async () => {
    await waitFor('the shipped policy to play', (s) => s.mode === 'watch' && s.steps > 0, 30_000);
    const first = await drawnPixels();
    await b.page.selectOption('#speed', '10'); // 1000 steps at 10× real time: 5 s
    const s = await waitFor('one episode of the shipped policy', (x) => x.watchReturns.length >= 1, 40_000);
    expect(s.label).toMatch(/trained policy/);
    expect(s.task).toBe('InvertedDoublePendulum-v5');
    expect(s.watchReturns[0]).toBeGreaterThanOrEqual(THRESHOLD);
    // The canvas drew: frames were drawn and the model is on it (far from a blank background).
    expect(s.framesDrawn).toBeGreaterThan(50);
    const now = await drawnPixels();
    expect(now.width).toBeGreaterThan(0);
    expect(first.differing).toBeGreaterThan(0.01 * first.width * first.height);
    expect(now.differing).toBeGreaterThan(0.01 * now.width * now.height);
    await b.page.screenshot({ path: join(ARTIFACTS, 'mujoco-policy.png') });
    // MuJoCo was fetched by the worker: the glue as JavaScript, the .wasm as application/wasm.
    const glue = responses.find((r) => r.url.endsWith('/mujoco/mujoco.js'));
    const wasm = responses.find((r) => r.url.endsWith('/mujoco/mujoco.wasm'));
    expect(glue?.type).toMatch(/^text\/javascript/);
    expect(wasm?.type).toBe('application/wasm');
    expect(b.errors).toEqual([]);
  });

  it('trains a fresh TD3 agent live in the worker: episodes with finite returns, steps/s > 0', async () => {
    const { page } = b;
    await page.click('#reset');
    await waitFor('the reset', (x) => x.mode === 'idle', 10_000);
    await page.click('#train-toggle');
    const s = await waitFor('2 training episodes', (x) => x.mode === 'train' && x.trainReturns.length >= 2, 30_000);
    expect(s.running).toBe(true);
    expect(s.trainReturns.every(Number.isFinite)).toBe(true);
    await page.waitForTimeout(1200); // past the random steps, into the TD3 updates, and a steps/s window
    const after = await snap();
    expect(after.steps).toBeGreaterThan(s.steps);
    expect(after.stepsPerSec).toBeGreaterThan(0);
    expect(Number(await page.textContent('#steps-per-sec'))).toBeGreaterThan(0);
    expect(after.curvePoints).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: join(ARTIFACTS, 'mujoco-training.png') });
    await page.click('#train-toggle'); // pause
    await waitFor('training to pause', (x) => !x.running, 5_000);
    expect(b.errors).toEqual([]);
  });

  it('continues a TD3 training checkpoint written by our CLI from its step, with its history on the curve', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ddpg-e2e-idp-'));
    const steps = 1500;
    execFileSync(process.execPath, ['dist/cli/main.js', 'train', '--env', 'InvertedDoublePendulum-v5', '--algo', 'td3', '--steps', String(steps),
      '--actor-hidden', '32,32', '--critic-hidden', '32,32', '--buffer-size', '5000', '--seed', '3', '--quiet', '--eval-episodes', '0',
      '--out', dir], { stdio: 'ignore', timeout: 110_000 }); // a run that hangs fails the test instead of the whole CI run
    const { page } = b;
    await page.setInputFiles('#policy-file', { name: 'idp-run.ddpg', mimeType: 'application/octet-stream', buffer: readFileSync(join(dir, 'checkpoint.ddpg')) });
    const loaded = await waitFor('the checkpoint to play', (x) => x.mode === 'watch' && /idp-run\.ddpg/.test(x.label), 10_000);
    expect(loaded.agent).toMatch(/Train continues it/);
    expect(await page.isHidden('#error')).toBe(true);
    await page.click('#train-toggle');
    const s = await waitFor('2 episodes of the continued run', (x) => x.mode === 'train' && x.trainReturns.length >= 2 && x.steps > 0, 30_000);
    expect(s.label).toMatch(/idp-run\.ddpg, continued/);
    expect(s.history).toBeGreaterThan(10); // the CLI run's episodes, from its metrics
    expect(s.steps).toBeGreaterThan(steps); // the step count goes on from the checkpoint's
    expect(s.trainReturns.every(Number.isFinite)).toBe(true);
    await page.click('#train-toggle');
    await waitFor('training to pause', (x) => !x.running, 5_000);
    expect(b.errors).toEqual([]);
  });

  it('rejects a file that is not a policy with the library\'s typed message', async () => {
    await b.page.setInputFiles('#policy-file', { name: 'junk.bin', mimeType: 'application/octet-stream', buffer: Buffer.from('not a policy file at all, some text') });
    await expect.poll(() => b.page.textContent('#error'), { timeout: 5_000 }).toMatch(/CheckpointError: checkpoint junk\.bin: .*wrong magic/);
    b.errors.length = 0;
  });
});
