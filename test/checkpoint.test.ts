// The checkpoint format under attack, for a DDPG and a TD3 agent: round trip, thousands of mutated files
// (truncations, byte flips, header edits with and without a fixed-up checksum) that must all end in
// CheckpointError, and writes interrupted at random byte offsets that must leave the previous checkpoint
// loadable.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadEngine, type Engine } from '../src/index.js';
import { crc32 } from '../src/checkpoint/crc32.js';
import { loadCheckpoint, saveCheckpoint } from '../src/checkpoint/file.js';
import { CheckpointError, decodeCheckpoint, encodeCheckpoint, type CheckpointContent } from '../src/checkpoint/format.js';
import type { Agent } from '../src/rl/agent.js';
import { agentFromCheckpoint, agentToCheckpoint } from '../src/rl/agent-state.js';
import { createAgent } from '../src/rl/algorithms.js';
import { tempDir } from './helpers/cli.js';
import { scaled } from './hostile/fuzz-scale.js';

let engine: Engine;
beforeAll(async () => { engine = await loadEngine(); });

/** A small agent with a filled buffer, after 3 updates (TD3: one of them with an actor step). */
function makeAgent(algo: 'ddpg' | 'td3', seed = 2): Agent {
  const agent = createAgent(engine, algo, { obsDim: 3, actDim: 2, actionLow: [-2, 0], actionHigh: [2, 1], actorHidden: [5, 4], criticHidden: [6, 3],
    batchSize: 4, bufferSize: 16, learningStarts: 0, seed, noise: algo === 'ddpg' ? 'ou' : 'gaussian' });
  const rng = seedrandom('fill');
  for (let i = 0; i < 20; i++) agent.observe([rng(), rng(), rng()], [rng() * 2 - 1, rng()], -rng(), [rng(), rng(), rng()], i % 7 === 0);
  for (let i = 0; i < 3; i++) agent.update();
  agent.act([0.1, 0.2, 0.3], { explore: true });
  return agent;
}

describe.each(['ddpg', 'td3'] as const)('%s checkpoints', (algo) => {
let agent: Agent;
let bytes: Uint8Array;
beforeAll(() => {
  agent = makeAgent(algo);
  bytes = encodeCheckpoint(agentToCheckpoint(agent, { withReplay: true, meta: { note: 'fuzz' } }));
});

/** Decoding and building an agent: the whole load path. */
function load(b: Uint8Array): Agent {
  return agentFromCheckpoint(engine, decodeCheckpoint(b, 'fuzz.ddpg'), 'fuzz.ddpg');
}

function expectCheckpointError(b: Uint8Array, what: string): void {
  let error: unknown;
  try { load(b); } catch (e) { error = e; }
  if (!(error instanceof CheckpointError)) throw new Error(`${what}: expected CheckpointError, got ${error === undefined ? 'success' : String(error)}`);
  expect((error as Error).message).toMatch(/^checkpoint fuzz\.ddpg: /);
}

/** Re-encodes with an edited header, fixing the header checksum so deeper checks are reached. */
function withHeader(edit: (h: Record<string, any>) => void): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  const hLen = view.getUint32(12, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(20, 20 + hLen)));
  edit(header);
  const hb = new TextEncoder().encode(JSON.stringify(header));
  const payload = bytes.subarray((20 + hLen + 3) & ~3);
  const out = new Uint8Array(((20 + hb.length + 3) & ~3) + payload.length);
  out.set(bytes.subarray(0, 12));
  const ov = new DataView(out.buffer);
  ov.setUint32(12, hb.length, true);
  ov.setUint32(16, crc32(hb), true);
  out.set(hb, 20);
  out.set(payload, (20 + hb.length + 3) & ~3);
  return out;
}

describe('round trip', () => {
  it('restores every network, optimizer, random stream and the replay buffer exactly', () => {
    const back = load(bytes);
    expect(back.algorithm).toBe(algo);
    expect(Object.keys(back.networks)).toEqual(Object.keys(agent.networks));
    expect(Object.keys(back.networks)).toHaveLength(algo === 'td3' ? 6 : 4);
    for (const [name, net] of Object.entries(agent.networks)) expect(Array.from(back.networks[name].getParams()), name).toEqual(Array.from(net.getParams()));
    for (const [name, opt] of Object.entries(agent.optimizers)) expect(back.optimizers[name].getState(), name).toEqual(opt.getState());
    for (const [name, stream] of Object.entries(agent.randomStreams)) expect(back.randomStreams[name].getState(), name).toEqual(stream.getState());
    expect(Object.keys(back.randomStreams).sort()).toEqual(algo === 'td3' ? ['exploration', 'noise', 'targetNoise'] : ['exploration', 'noise']);
    expect(back.replay.snapshot()).toEqual(agent.replay.snapshot());
    expect([back.steps, back.updates]).toEqual([agent.steps, agent.updates]);
    // The same next updates and actions from both: every state that matters came back.
    for (let i = 0; i < 3; i++) expect({ ...back.update() }).toEqual({ ...agent.update() });
    expect(Array.from(back.act([0.3, 0.1, -0.2], { explore: true }))).toEqual(Array.from(agent.act([0.3, 0.1, -0.2], { explore: true })));
    bytes = encodeCheckpoint(agentToCheckpoint(agent, { withReplay: true, meta: { note: 'fuzz' } }));
  });
});

describe('loader fuzz: every mutated file ends in CheckpointError', () => {
  it(`${scaled(1500)} random truncations`, () => {
    const rng = seedrandom('trunc');
    for (let i = 0; i < scaled(1500); i++) {
      const n = Math.floor(rng() * bytes.length);
      expectCheckpointError(bytes.slice(0, n), `truncated to ${n}`);
    }
  });

  it(`${scaled(2000)} random byte flips (1–4 bytes anywhere)`, () => {
    const rng = seedrandom('flip');
    for (let i = 0; i < scaled(2000); i++) {
      const b = bytes.slice();
      const flips = 1 + Math.floor(rng() * 4);
      const at = Math.floor(rng() * b.length);
      for (let f = 0; f < flips; f++) {
        const pos = Math.min(b.length - 1, at + f);
        b[pos] ^= 1 + Math.floor(rng() * 255);
      }
      expectCheckpointError(b, `flip at ${at}`);
    }
  });

  it('header edits, with the header checksum fixed up so the deeper checks must catch them', () => {
    const lastOptimizer = (h: Record<string, any>) => Object.keys(h.meta.optimizers).at(-1)!;
    const edits: [string, (h: Record<string, any>) => void][] = [
      ['wrong kind', (h) => { h.kind = 'policy'; }],
      ['missing meta', (h) => { delete h.meta; }],
      ['array length off by one', (h) => { h.arrays[0].length += 1; }],
      ['array renamed', (h) => { h.arrays[0].name = 'networks.actorX'; }],
      ['array listed twice', (h) => { h.arrays[1].name = h.arrays[0].name; }],
      ['payload checksum', (h) => { h.payloadCrc32 ^= 1; }],
      ['payloadBytes', (h) => { h.payloadBytes += 4; }],
      ['unknown algorithm', (h) => { h.meta.algorithm = 'sac'; }],
      ['algorithm missing', (h) => { delete h.meta.algorithm; }],
      ['the other algorithm', (h) => { h.meta.algorithm = algo === 'ddpg' ? 'td3' : 'ddpg'; }],
      ['obsDim changed', (h) => { h.meta.config.obsDim = 4; }],
      ['hidden sizes changed', (h) => { h.meta.config.actorHidden = [6, 4]; }],
      ['action joins at another layer', (h) => { h.meta.config.criticActionLayer = 1; }],
      ['gamma out of range', (h) => { h.meta.config.gamma = 2; }],
      ['gamma a string', (h) => { h.meta.config.gamma = '0.9'; }],
      ['batchSize zero', (h) => { h.meta.config.batchSize = 0; }],
      ['config null', (h) => { h.meta.config = null; }],
      ['huge buffer', (h) => { h.meta.config.bufferSize = 1e15; }],
      ['negative Adam step', (h) => { h.meta.optimizers.actor.t = -1; }],
      ['fractional Adam step', (h) => { h.meta.optimizers[lastOptimizer(h)].t = 1.5; }],
      ['an optimizer missing', (h) => { delete h.meta.optimizers[lastOptimizer(h)]; }],
      ['steps negative', (h) => { h.meta.steps = -3; }],
      ['updates a string', (h) => { h.meta.updates = '3'; }],
      ['replay size beyond its arrays', (h) => { h.meta.replay.size = 99; }],
      ['replay ring position', (h) => { h.meta.replay.pos = 1000; }],
      ['noise state', (h) => { h.meta.randomStreams.noise = { rng: 'nope' }; }],
      ['exploration RNG state', (h) => { h.meta.randomStreams.exploration = { arc4: 1 }; }],
      ['a random stream missing', (h) => { delete h.meta.randomStreams.exploration; }],
      ['random streams missing', (h) => { delete h.meta.randomStreams; }],
      ['malformed array entry', (h) => { h.arrays[2] = { name: 7 }; }],
    ];
    for (const [what, edit] of edits) expectCheckpointError(withHeader(edit), what);
  });

  it('prefix edits: magic, future version, header length, header checksum, invalid JSON', () => {
    const set = (f: (v: DataView, b: Uint8Array) => void) => { const b = bytes.slice(); f(new DataView(b.buffer), b); return b; };
    expectCheckpointError(set((_, b) => { b[0] = 'X'.charCodeAt(0); }), 'magic');
    expectCheckpointError(set((v) => v.setUint32(8, 3, true)), 'future version');
    expectCheckpointError(set((v) => v.setUint32(12, 0xffffffff, true)), 'header length');
    expectCheckpointError(set((v) => v.setUint32(16, 12345, true)), 'header crc');
    const junk = new TextEncoder().encode('{"kind": "agent", ');
    const b = new Uint8Array(20 + junk.length);
    b.set(bytes.subarray(0, 12)); new DataView(b.buffer).setUint32(12, junk.length, true);
    new DataView(b.buffer).setUint32(16, crc32(junk), true); b.set(junk, 20);
    expectCheckpointError(b, 'invalid JSON');
    expect(() => decodeCheckpoint(set((v) => v.setUint32(8, 3, true)), 'x')).toThrow(/format version 3 is not supported \(this ddpg-wasm reads versions 1 and 2\)/);
  });

  it('a NaN in the weights is refused even with valid checksums', () => {
    const c = decodeCheckpoint(bytes);
    for (const name of Object.keys(c.arrays)) {
      const arrays = { ...c.arrays, [name]: c.arrays[name].slice() };
      arrays[name][arrays[name].length - 1] = NaN;
      expect(() => agentFromCheckpoint(engine, { ...c, arrays } as CheckpointContent, 'nan.ddpg'), name).toThrow(CheckpointError);
    }
    const arrays = { ...c.arrays, 'networks.actorTarget': c.arrays['networks.actorTarget'].slice() };
    arrays['networks.actorTarget'][3] = NaN;
    expect(() => agentFromCheckpoint(engine, { ...c, arrays } as CheckpointContent, 'nan.ddpg')).toThrow(/array 'networks.actorTarget' holds NaN at index 3/);
  });
});

describe('atomic writes', () => {
  it('a write interrupted at any byte offset leaves the previous checkpoint loadable', () => {
    const dir = tempDir('atomic');
    const path = join(dir, 'checkpoint.ddpg');
    const first = agentToCheckpoint(agent, { withReplay: true });
    saveCheckpoint(path, first);
    const next = encodeCheckpoint(agentToCheckpoint(agent, { withReplay: true, meta: { later: true } }));
    const rng = seedrandom('crash');
    for (let i = 0; i < 200; i++) {
      // A crash mid-write leaves a partial temp file beside the checkpoint; the checkpoint itself is untouched.
      const cut = Math.floor(rng() * next.length);
      writeFileSync(join(dir, `.checkpoint.ddpg.${1000 + i}.tmp`), next.subarray(0, cut));
      const loaded = loadCheckpoint(path);
      expect(loaded.meta.later).toBeUndefined();
      expect(Array.from(loaded.arrays['networks.actor'])).toEqual(Array.from(first.arrays['networks.actor']));
    }
    saveCheckpoint(path, decodeCheckpoint(next));
    expect(loadCheckpoint(path).meta.later).toBe(true);
    expect(readdirSync(dir).filter((f) => f.startsWith('.checkpoint.ddpg.' + process.pid))).toEqual([]); // own temp file renamed away
  });

  it('a missing or unreadable file is a CheckpointError naming the path', () => {
    expect(() => loadCheckpoint('/nonexistent/run/checkpoint.ddpg')).toThrow(/checkpoint \/nonexistent\/run\/checkpoint.ddpg: cannot be read \(ENOENT\)/);
    const dir = tempDir('torn');
    const p = join(dir, 'checkpoint.ddpg');
    writeFileSync(p, bytes.subarray(0, 10));
    expect(existsSync(p)).toBe(true);
    expect(() => loadCheckpoint(p)).toThrow(CheckpointError);
  });
});
});
