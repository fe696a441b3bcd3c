// Headless Debian Chromium (never a downloaded browser) on a fresh profile, driven by playwright-core, for
// the demo's end-to-end test (test/e2e/demo.e2e.ts) and its screenshot script (scripts/demo-screenshot.ts).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The page's state as `window.demo.snapshot()` (web/src/main.ts) reports it. */
export interface DemoSnapshot {
  mode: string; running: boolean; label: string; trainReturns: number[]; watchReturns: number[];
  steps: number; stepsPerSec: number; curvePoints: number;
}

export interface DemoBrowser {
  context: BrowserContext;
  page: Page;
  /** Page errors, console errors and HTTP errors seen so far. */
  errors: string[];
  close(): Promise<void>;
}

export async function launchDemoBrowser(viewport = { width: 1180, height: 720 }): Promise<DemoBrowser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not at ${CHROMIUM}: install Debian's with 'apt-get install -y chromium' or set CHROMIUM_PATH`);
  }
  const userDataDir = mkdtempSync(join(tmpdir(), 'ddpg-wasm-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport });
  const page = context.pages()[0] ?? await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  page.on('response', (r) => { if (r.status() >= 400) errors.push(`HTTP ${r.status()} for ${r.url()}`); });
  return {
    context, page, errors,
    close: async () => { await context.close(); rmSync(userDataDir, { recursive: true, force: true }); },
  };
}

export function snapshot(page: Page): Promise<DemoSnapshot> {
  return page.evaluate(() => (globalThis as unknown as { demo: { snapshot(): DemoSnapshot } }).demo.snapshot());
}

/** Polls the page state until `test` holds; on timeout the error shows the last state and the page errors. */
export async function waitForState(b: DemoBrowser, what: string, test: (s: DemoSnapshot) => boolean, timeoutMs: number): Promise<DemoSnapshot> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const s = await snapshot(b.page);
    if (test(s)) return s;
    if (Date.now() > end) {
      const brief = { ...s, trainReturns: s.trainReturns.length, watchReturns: s.watchReturns };
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; page state ${JSON.stringify(brief)}; errors: ${b.errors.join(' | ') || 'none'}`);
    }
    await b.page.waitForTimeout(100);
  }
}
