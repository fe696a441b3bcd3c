import { defineConfig } from 'vitest/config';
import SummaryReporter from './test/helpers/summary-reporter.js';

// Two projects: every test, and the MLP, gradient-check and exact-resume suites once more with every
// loadEngine() on 2 threads by default (DDPG_WASM_THREADS), so they hold with threads on too
// (test/threads.test.ts checks the bits against one thread, DDPG and TD3 included).
export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 60_000,
    reporters: ['default', new SummaryReporter()],
    projects: [
      { extends: true, test: { name: 'all', include: ['test/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'threads on',
          include: ['test/mlp.test.ts', 'test/gradcheck.test.ts', 'test/resume.test.ts'],
          env: { DDPG_WASM_THREADS: '2' },
        },
      },
    ],
  },
});
