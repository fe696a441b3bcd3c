// End-to-end test of the browser demo in Debian's Chromium (driven by playwright-core, never a downloaded
// browser): the page loads the engine and the shipped policy, trains in its worker while staying responsive,
// plots the returns, a loaded trained policy swings the pendulum up, and so does a full TD3 training checkpoint
// written by our CLI. Screenshots go to test-artifacts/.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchDemoBrowser, snapshot, waitForState, type DemoBrowser } from '../../scripts/demo-browser.js';
// @ts-expect-error — a plain .mjs script without type declarations
import { startDemoServer } from '../../scripts/demo-server.mjs';

const ARTIFACTS = 'test-artifacts';
const POLICY = 'web/assets/pendulum-policy.bin';

let server: { url: string; close: () => Promise<void> };
let b: DemoBrowser;
const wasmContentTypes: string[] = [];

beforeAll(async () => {
  server = await startDemoServer({ port: 0 });
  b = await launchDemoBrowser();
  mkdirSync(ARTIFACTS, { recursive: true });
  b.context.on('response', (r) => { if (r.url().endsWith('/engine.wasm')) wasmContentTypes.push(r.headers()['content-type']); });
  await b.page.goto(server.url);
});

afterAll(async () => {
  await b?.close();
  await server?.close();
});

describe('browser demo', () => {
  it('starts by playing the shipped policy', async () => {
    const s = await waitForState(b, 'the shipped policy to play', (x) => x.mode === 'watch' && x.steps > 0, 20_000);
    expect(s.label).toMatch(/trained policy/);
    // The worker fetched the engine, served as application/wasm so instantiateStreaming compiles it.
    expect(wasmContentTypes.length).toBeGreaterThanOrEqual(1);
    expect(wasmContentTypes.every((t) => t === 'application/wasm')).toBe(true);
    expect(b.errors).toEqual([]);
  });

  it('trains in the worker: episodes finish, the curve grows, steps/s > 0, the page stays responsive', async () => {
    const { page } = b;
    await page.click('#train-toggle');
    const s = await waitForState(b, '2 training episodes', (x) => x.mode === 'train' && x.trainReturns.length >= 2, 60_000);
    expect(s.running).toBe(true);
    expect(s.trainReturns.every(Number.isFinite)).toBe(true);
    // The server sends COOP/COEP, so the page is cross-origin isolated and the agent's engine runs on 2 threads.
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(await page.textContent('#engine-info')).toMatch(/on 2 threads \(cross-origin isolated page\)/);
    await page.waitForTimeout(300); // a few more animation frames and a steps/s window
    const after = await snapshot(page);
    expect(after.curvePoints).toBeGreaterThanOrEqual(2);
    expect(after.stepsPerSec).toBeGreaterThan(0);
    expect(Number(await page.textContent('#steps-per-sec'))).toBeGreaterThan(0);
    // Responsive while training: animation frames keep coming on the main thread.
    const frames = await page.evaluate(() => new Promise<number>((resolve) => {
      let n = 0;
      const t0 = performance.now();
      const tick = () => { n++; if (performance.now() - t0 < 1000) requestAnimationFrame(tick); else resolve(n); };
      requestAnimationFrame(tick);
    }));
    expect(frames).toBeGreaterThanOrEqual(10); // ~60 when idle; a blocked main thread would give ~0
    await page.screenshot({ path: join(ARTIFACTS, 'demo-training.png') });
    await page.click('#train-toggle'); // pause
    await waitForState(b, 'training to pause', (x) => !x.running, 5_000);
    expect(b.errors).toEqual([]);
  });

  it('rejects a file that is not a policy with a clear message', async () => {
    await b.page.setInputFiles('#policy-file', { name: 'junk.bin', mimeType: 'application/octet-stream', buffer: Buffer.from('this is not a policy file, just some text') });
    await expect.poll(() => b.page.textContent('#error'), { timeout: 5_000 }).toMatch(/checkpoint junk\.bin: .*wrong magic/);
  });

  it('a TD3 training checkpoint (our CLI, TD3 preset) loads with "Load a policy…" and swings the pendulum up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ddpg-e2e-td3-'));
    execFileSync(process.execPath, ['dist/cli/main.js', 'train', '--algo', 'td3', '--env', 'Pendulum-v1', '--seed', '2', '--quiet',
      '--eval-episodes', '0', '--out', dir], { stdio: 'ignore', timeout: 110_000 }); // a run that hangs fails the test instead of the whole CI run
    const { page } = b;
    await page.selectOption('#speed', '4');
    await page.setInputFiles('#policy-file', { name: 'td3-checkpoint.ddpg', mimeType: 'application/octet-stream', buffer: readFileSync(join(dir, 'checkpoint.ddpg')) });
    await waitForState(b, 'the TD3 checkpoint to play', (x) => x.mode === 'watch' && /td3-checkpoint\.ddpg/.test(x.label), 10_000);
    expect(await page.isHidden('#error')).toBe(true);
    const s = await waitForState(b, 'one episode of the TD3 policy', (x) => x.watchReturns.length >= 1, 30_000);
    expect(s.watchReturns[0]).toBeGreaterThanOrEqual(-400);
    expect(b.errors).toEqual([]);
  });

  it('a loaded trained policy swings the pendulum up: episode return ≥ −400', async () => {
    const { page } = b;
    await page.selectOption('#speed', '4');
    await page.setInputFiles('#policy-file', { name: 'pendulum-policy.bin', mimeType: 'application/octet-stream', buffer: readFileSync(POLICY) });
    await waitForState(b, 'the loaded policy to play', (x) => x.mode === 'watch' && /pendulum-policy\.bin/.test(x.label), 10_000);
    expect(await page.isHidden('#error')).toBe(true);
    const s = await waitForState(b, 'one policy episode', (x) => x.watchReturns.length >= 1, 30_000);
    expect(s.watchReturns[0]).toBeGreaterThanOrEqual(-400);
    await page.waitForTimeout(200);
    await page.screenshot({ path: join(ARTIFACTS, 'demo-policy.png') });
    expect(b.errors).toEqual([]);
  });

  it('served without COOP/COEP (--no-isolation), the page says its engine runs on one thread, and why', async () => {
    const plain = await startDemoServer({ port: 0, isolation: false });
    const page = await b.context.newPage();
    try {
      await page.goto(plain.url);
      await page.waitForFunction(() => document.getElementById('engine-info')?.textContent !== 'engine: loading…', null, { timeout: 20_000 });
      expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
      expect(await page.textContent('#engine-info')).toMatch(/^engine: 1 thread \(.*cross-origin isolated/);
    } finally {
      await page.close();
      await plain.close();
    }
  });
});
