// Addresses above 2 GiB of WASM memory: offsets are byte numbers up to 4 GiB, so every shift that turns a byte
// offset into a float index must be unsigned (a signed `>> 2` turns 2³¹ into a negative index and silently
// reads the wrong memory). Agents placed across and entirely beyond the 2 GiB boundary must compute exactly
// what the same agent computes at the bottom of memory. (The arena never reuses memory and WASM memory grows
// zeroed, so pushing an engine's arena to 2 GiB costs no time and no resident memory.)
import { describe, expect, it } from 'vitest';
import { loadEngine } from '../../src/index.js';
import { createAgent } from '../../src/rl/algorithms.js';
import type { Agent } from '../../src/rl/agent.js';
import type { UpdateBatch } from '../../src/rl/agent.js';
import { randomArray } from '../helpers/ref64.js';

const TWO_GIB = 2 ** 31;
const config = { obsDim: 5, actDim: 2, actionLow: [-1, -2], actionHigh: [1, 2], actorHidden: [33, 17], criticHidden: [19, 9], batchSize: 24, bufferSize: 500, learningStarts: 0, seed: 4, policyDelay: 1 };

function batch(tag: string): UpdateBatch {
  const B = config.batchSize;
  return { obs: randomArray(B * 5, `o${tag}`), actions: randomArray(B * 2, `a${tag}`), rewards: randomArray(B, `r${tag}`),
    nextObs: randomArray(B * 5, `n${tag}`), terminated: Float32Array.from({ length: B }, (_, i) => +(i % 5 === 0)) };
}

function trace(agent: Agent): number[][] {
  const out: number[][] = [];
  for (let u = 0; u < 6; u++) {
    const s = agent.update(batch(`u${u}`));
    out.push([s.criticLoss, s.qMean, s.actorLoss ?? NaN, ...agent.act([0.1 * u, -0.2, 0.3, 0.4, -0.5])]);
  }
  for (const net of Object.values(agent.networks)) out.push(Array.from(net.getParams()));
  return out;
}

describe('agents beyond 2 GiB of WASM memory compute exactly what they compute at its bottom', () => {
  for (const algo of ['ddpg', 'td3'] as const) {
    for (const [label, to] of [['straddling 2 GiB', TWO_GIB - 40_000], ['entirely above 2 GiB', TWO_GIB + 4096]] as const) {
      it(`${algo}, ${label}`, async () => {
        const low = await loadEngine(), high = await loadEngine();
        high.runtime.alloc((to - high.runtime.usedBytes) / 4); // the arena's top to `to` (it starts above the static data)
        const a = createAgent(low, algo, config), b = createAgent(high, algo, config);
        const ptrs = Object.values(b.networks).map((n) => n.paramsPtr);
        if (label === 'entirely above 2 GiB') expect(Math.min(...ptrs)).toBeGreaterThan(TWO_GIB);
        else expect(Math.min(...ptrs) < TWO_GIB && Math.max(...ptrs) > TWO_GIB).toBe(true);
        expect(Math.max(...Object.values(a.networks).map((n) => n.paramsPtr))).toBeLessThan(2 ** 24);
        expect(trace(b)).toEqual(trace(a));
      });
    }
  }
});
