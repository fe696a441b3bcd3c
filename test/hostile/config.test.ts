// Hostile configs: every field of every algorithm gets every value of a hostile set — the wrong types
// (null, true, "0.5", [0.5], {}), NaN, ±Infinity, numbers float32 cannot hold, negative, zero, fractional,
// unsafe integers — and each must be refused with a DdpgInputError naming the field, unless the value is a
// legitimate one for that field (listed below). Nothing is coerced: `gamma: "0.5"` is not 0.5.
import { beforeAll, describe, expect, it } from 'vitest';
import { DdpgInputError, loadEngine, type Engine } from '../../src/index.js';
import { ALGORITHMS } from '../../src/rl/algorithms.js';

let engine: Engine;
beforeAll(async () => { engine = await loadEngine(); });

const base = { obsDim: 3, actDim: 2, actionLow: [-1, 0], actionHigh: [1, 2], actorHidden: [4], criticHidden: [4, 3], batchSize: 4, bufferSize: 64 };

const HOSTILE: [string, unknown][] = [
  ['null', null], ['true', true], ["'0.5'", '0.5'], ['[0.5]', [0.5]], ['{}', {}], ['NaN', NaN], ['Infinity', Infinity], ['-Infinity', -Infinity],
  ['1e39 (beyond float32)', 1e39], ['-1', -1], ['0', 0], ['0.5', 0.5], ['1.5', 1.5], ['3', 3], ['2^53', 2 ** 53], ["'relu'", 'relu'], ['[]', []],
  ['[0]', [0]], ['[3, 1.5]', [3, 1.5]], ['[-1, 1e39]', [-1, 1e39]], ['[1, 0]', [1, 0]],
];

/** Per field, the hostile values that are legitimate (by label). */
const FLOAT = ['0.5', '1.5', '3', '2^53']; // finite, and float32 holds them
const LEGAL: Record<string, string[]> = {
  obsDim: ['3'], actDim: [], actionLow: [], actionHigh: ['[3, 1.5]'],
  actorHidden: [], criticHidden: [], criticActionLayer: ['0'], finalInitScale: FLOAT,
  actorLr: FLOAT, criticLr: FLOAT, actorWeightDecay: ['0', ...FLOAT], criticWeightDecay: ['0', ...FLOAT],
  gamma: ['0', '0.5'], tau: ['0.5'], batchSize: ['3'], bufferSize: [], learningStarts: ['0', '3'], policyDelay: ['3'],
  noise: [], noiseSigma: ['0', ...FLOAT], ouTheta: ['0', ...FLOAT], ouDt: FLOAT, obsNormalization: ['true'],
  obsClip: FLOAT, seed: ['-1', '0', '3'], targetPolicyNoise: ['0', ...FLOAT], targetNoiseClip: ['0', ...FLOAT],
};

describe('hostile config values', () => {
  it('every field of DDPG and TD3: refused naming the field, or legitimate', () => {
    let tried = 0;
    const wrong: string[] = [];
    for (const algo of Object.values(ALGORITHMS)) {
      for (const field of algo.fields) {
        for (const [label, value] of HOSTILE) {
          tried++;
          let error: unknown;
          try { algo.resolveConfig({ ...base, [field]: value } as never); } catch (e) { error = e; }
          const legal = LEGAL[field]?.includes(label);
          if (legal) { if (error !== undefined) wrong.push(`${algo.name}.${field} = ${label} was refused: ${(error as Error).message}`); continue; }
          if (!(error instanceof DdpgInputError)) wrong.push(`${algo.name}.${field} = ${label}: ${error === undefined ? 'accepted' : String(error)}`);
          else if (!(error as Error).message.includes(field) && !/action box|batchSize/.test((error as Error).message)) wrong.push(`${algo.name}.${field} = ${label}: message does not name the field: ${(error as Error).message}`);
        }
      }
    }
    console.log(`hostile config values tried: ${tried}`);
    expect(wrong).toEqual([]);
    expect(tried).toBeGreaterThan(1000);
  });

  it('a legitimate value of every field builds an agent (the checks are not too strict)', () => {
    for (const algo of Object.values(ALGORITHMS)) {
      const agent = algo.create(engine, { ...base, obsNormalization: true, obsClip: 5, policyDelay: 3, criticActionLayer: 2, seed: -4 } as never);
      expect(agent.config.policyDelay).toBe(3);
    }
  });

  it('unknown fields and non-objects are refused', () => {
    for (const algo of Object.values(ALGORITHMS)) {
      expect(() => algo.resolveConfig({ ...base, learningRate: 1 } as never)).toThrow(new RegExp(`unknown ${algo.title} config field 'learningRate'`));
      for (const v of [null, 3, 'x', [base]]) expect(() => algo.resolveConfig(v as never)).toThrow(DdpgInputError);
    }
  });
});
