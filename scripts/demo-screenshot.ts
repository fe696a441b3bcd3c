// Makes docs/demo.png, the README's picture of the demo: trains in the page until the return curve shows
// learning (100 episodes = 20k steps, about 20 s), then watches the current agent mid swing-up.
// Run: npm run build:web && npx tsx scripts/demo-screenshot.ts [out.png]
import { launchDemoBrowser, waitForState } from './demo-browser.js';
// @ts-expect-error — a plain .mjs script without type declarations
import { startDemoServer } from './demo-server.mjs';

const out = process.argv[2] ?? 'docs/demo.png';
const server = await startDemoServer({ port: 0 });
const b = await launchDemoBrowser({ width: 1140, height: 710 });
try {
  await b.page.goto(server.url);
  await waitForState(b, 'the shipped policy to play', (s) => s.mode === 'watch', 20_000);
  await b.page.click('#train-toggle');
  const s = await waitForState(b, '100 training episodes', (x) => x.trainReturns.length >= 100, 180_000);
  console.log(`trained ${s.trainReturns.length} episodes; last 10 returns ${s.trainReturns.slice(-10).map((r) => r.toFixed(0)).join(' ')}`);
  await b.page.click('#watch-agent');
  await waitForState(b, 'the agent to play', (x) => x.mode === 'watch' && x.steps >= 45, 20_000);
  await b.page.screenshot({ path: out });
  console.log(`wrote ${out}; page errors: ${b.errors.join(' | ') || 'none'}`);
} finally {
  await b.close();
  await server.close();
}
