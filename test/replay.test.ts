import { describe, expect, it } from 'vitest';
import { ReplayBuffer, createBatch, type Batch } from '../src/rl/replay.js';

const OBS = 2;
const ACT = 1;

/** Transition t has recognizable values in every field. */
function tr(t: number) {
  return {
    obs: [100 + t, 200 + t],
    action: [300 + t],
    reward: 400 + t,
    nextObs: [500 + t, 600 + t],
    terminated: t % 3 === 0,
  };
}

function fill(buf: ReplayBuffer, from: number, to: number): void {
  for (let t = from; t < to; t++) {
    const x = tr(t);
    buf.add(x.obs, x.action, x.reward, x.nextObs, x.terminated);
  }
}

/** Recover t from row r of a batch and check every field belongs to that same t. */
function rowId(b: Batch, r: number): number {
  const t = b.obs[r * OBS] - 100;
  const x = tr(t);
  expect(Array.from(b.obs.subarray(r * OBS, r * OBS + OBS))).toEqual(x.obs);
  expect(Array.from(b.actions.subarray(r * ACT, r * ACT + ACT))).toEqual(x.action);
  expect(b.rewards[r]).toBe(x.reward);
  expect(Array.from(b.nextObs.subarray(r * OBS, r * OBS + OBS))).toEqual(x.nextObs);
  expect(b.terminated[r]).toBe(x.terminated ? 1 : 0);
  return t;
}

const make = (capacity: number, seed = 1) =>
  new ReplayBuffer({ capacity, obsDim: OBS, actDim: ACT, seed });

describe('ReplayBuffer ring', () => {
  it('grows up to capacity, then overwrites the oldest slots in order', () => {
    const buf = make(5);
    expect(buf.size).toBe(0);
    expect(buf.capacity).toBe(5);
    fill(buf, 0, 3);
    expect(buf.size).toBe(3);
    fill(buf, 3, 8); // 8 = capacity + 3
    expect(buf.size).toBe(5);
    const s = buf.snapshot();
    expect(s.pos).toBe(3);
    // slot k holds transition: 0→5, 1→6, 2→7, 3→3, 4→4
    const slotT = [5, 6, 7, 3, 4];
    expect(Array.from(s.obs)).toEqual(slotT.flatMap((t) => tr(t).obs));
    expect(Array.from(s.actions)).toEqual(slotT.flatMap((t) => tr(t).action));
    expect(Array.from(s.rewards)).toEqual(slotT.map((t) => tr(t).reward));
    expect(Array.from(s.nextObs)).toEqual(slotT.flatMap((t) => tr(t).nextObs));
    expect(Array.from(s.terminated)).toEqual([0, 1, 0, 1, 0]);
  });

  it('position wraps back to 0 after exactly capacity more writes', () => {
    const buf = make(4);
    fill(buf, 0, 4);
    expect(buf.snapshot().pos).toBe(0);
    fill(buf, 4, 8);
    const s = buf.snapshot();
    expect(s.pos).toBe(0);
    expect(Array.from(s.rewards)).toEqual([404, 405, 406, 407]);
  });
});

describe('ReplayBuffer sampling', () => {
  it('only returns stored transitions, with all fields aligned', () => {
    const buf = make(5);
    fill(buf, 0, 8); // holds t = 3..7
    const seen = new Set<number>();
    for (let k = 0; k < 100; k++) {
      const b = buf.sample(5);
      expect(b.size).toBe(5);
      for (let r = 0; r < 5; r++) seen.add(rowId(b, r));
    }
    expect([...seen].sort((a, b) => a - b)).toEqual([3, 4, 5, 6, 7]);
  });

  it('never samples unfilled slots of a partly filled buffer', () => {
    const buf = make(100);
    fill(buf, 10, 13);
    const seen = new Set<number>();
    const b = buf.sample(3);
    for (let k = 0; k < 200; k++) {
      buf.sample(3, b);
      for (let r = 0; r < 3; r++) seen.add(rowId(b, r));
    }
    expect([...seen].sort((a, b) => a - b)).toEqual([10, 11, 12]);
  });

  it('is uniform over stored indices (chi-square, fixed seed)', () => {
    const n = 10;
    const buf = make(n, 12345);
    fill(buf, 0, n + 4); // wrap so the ring order is not the insertion order
    const counts = new Array<number>(n + 4).fill(0);
    const out = createBatch(n, OBS, ACT);
    const draws = 10_000 * n;
    for (let k = 0; k < 10_000; k++) {
      buf.sample(n, out);
      for (let r = 0; r < n; r++) counts[out.rewards[r] - 400]++;
    }
    expect(counts.slice(0, 4)).toEqual([0, 0, 0, 0]);
    const expected = draws / n;
    let chi2 = 0;
    for (const c of counts.slice(4)) {
      chi2 += (c - expected) ** 2 / expected;
      expect(Math.abs(c - expected)).toBeLessThan(0.05 * expected);
    }
    // 9 degrees of freedom: P(chi2 > 27.88) = 0.001
    expect(chi2).toBeLessThan(27.88);
  });

  it('writes into the given batch without replacing its arrays', () => {
    const buf = make(8);
    fill(buf, 0, 8);
    const out = createBatch(4, OBS, ACT);
    const arrays = [out.obs, out.actions, out.rewards, out.nextObs, out.terminated];
    const ret = buf.sample(4, out);
    expect(ret).toBe(out);
    expect([ret.obs, ret.actions, ret.rewards, ret.nextObs, ret.terminated]).toEqual(arrays);
    expect(ret.obs).toBe(arrays[0]);
    expect(out.obs.length).toBe(8);
    expect(out.actions.length).toBe(4);
    for (let r = 0; r < 4; r++) rowId(out, r);
  });

  it('reuses one internal batch per batch size', () => {
    const buf = make(8);
    fill(buf, 0, 8);
    const a = buf.sample(4);
    const b = buf.sample(4);
    const c = buf.sample(2);
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    expect(c.size).toBe(2);
    expect(c.obs.length).toBe(2 * OBS);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const run = (seed: number) => {
      const buf = make(50, seed);
      fill(buf, 0, 70);
      const ids: number[] = [];
      for (let k = 0; k < 5; k++) ids.push(...buf.sample(32).rewards);
      return ids;
    };
    const a = run(7);
    expect(run(7)).toEqual(a);
    expect(run(8)).not.toEqual(a);
  });
});

describe('ReplayBuffer snapshot/restore', () => {
  it('continues identically (adds, wrap and samples) after restore', () => {
    const a = make(6, 3);
    fill(a, 0, 9);
    a.sample(5);
    const snap = a.snapshot();
    // RNG state survives a JSON round trip
    snap.rng = JSON.parse(JSON.stringify(snap.rng));

    const continueRun = (buf: ReplayBuffer) => {
      const out: number[] = [];
      for (let k = 0; k < 4; k++) {
        fill(buf, 100 + 2 * k, 102 + 2 * k);
        out.push(...buf.sample(5).rewards);
      }
      return { out, rewards: Array.from(buf.snapshot().rewards), pos: buf.snapshot().pos };
    };
    const expected = continueRun(a);

    const b = make(6, 999); // different seed: restore must override it
    fill(b, 50, 52);
    b.restore(snap);
    expect(b.size).toBe(6);
    expect(continueRun(b)).toEqual(expected);
  });

  it('restores a partly filled buffer and keeps unfilled slots out of sampling', () => {
    const a = make(10, 4);
    fill(a, 0, 3);
    const snap = a.snapshot();
    expect(snap.obs.length).toBe(3 * OBS);
    const b = make(10, 5);
    fill(b, 20, 30); // full of other data, all of it must be discarded
    b.restore(snap);
    expect(b.size).toBe(3);
    expect(Array.from(b.sample(3).rewards)).toEqual(Array.from(a.sample(3).rewards));
    fill(b, 3, 4);
    expect(Array.from(b.snapshot().rewards)).toEqual([400, 401, 402, 403]);
  });

  it('rejects a snapshot of a different shape', () => {
    const a = make(10);
    const b = new ReplayBuffer({ capacity: 10, obsDim: 3, actDim: 1, seed: 1 });
    expect(() => b.restore(a.snapshot())).toThrow(/shape mismatch.*obsDim 3.*got 10, 2, 1/);
  });
});

describe('ReplayBuffer validation', () => {
  it('rejects bad constructor options', () => {
    expect(() => make(0)).toThrow('capacity must be a positive integer, got 0');
    expect(() => make(2.5)).toThrow('capacity must be a positive integer, got 2.5');
    expect(() => new ReplayBuffer({ capacity: 4, obsDim: -1, actDim: 1, seed: 0 })).toThrow(
      'obsDim must be a positive integer, got -1',
    );
    expect(() => new ReplayBuffer({ capacity: 4, obsDim: 1, actDim: NaN, seed: 0 })).toThrow(
      'actDim must be a positive integer, got NaN',
    );
  });

  it('rejects wrong lengths with expected and got', () => {
    const buf = make(4);
    expect(() => buf.add([1, 2, 3], [0], 0, [1, 2], false)).toThrow(
      'obs has wrong length: expected 2, got 3',
    );
    expect(() => buf.add([1, 2], [0, 1], 0, [1, 2], false)).toThrow(
      'action has wrong length: expected 1, got 2',
    );
    expect(() => buf.add([1, 2], [0], 0, [1], false)).toThrow(
      'nextObs has wrong length: expected 2, got 1',
    );
    expect(buf.size).toBe(0);
  });

  it('rejects non-finite values naming field and index, without storing anything', () => {
    const buf = make(4);
    expect(() => buf.add([1, NaN], [0], 0, [1, 2], false)).toThrow('obs[1] is not finite (NaN)');
    expect(() => buf.add([1, 2], [Infinity], 0, [1, 2], false)).toThrow(
      'action[0] is not finite (Infinity)',
    );
    expect(() => buf.add([1, 2], [0], 0, [-Infinity, 2], false)).toThrow(
      'nextObs[0] is not finite (-Infinity)',
    );
    expect(() => buf.add([1, 2], [0], NaN, [1, 2], false)).toThrow('reward is not finite (NaN)');
    expect(buf.size).toBe(0);
    expect(buf.snapshot().pos).toBe(0);
  });

  it('refuses to sample more than it holds, and bad batch sizes', () => {
    const buf = make(10);
    expect(() => buf.sample(1)).toThrow('not enough data: batchSize 1 > size 0');
    fill(buf, 0, 3);
    expect(() => buf.sample(4)).toThrow('not enough data: batchSize 4 > size 3');
    expect(() => buf.sample(0)).toThrow('batchSize must be a positive integer, got 0');
    expect(() => buf.sample(3, createBatch(2, OBS, ACT))).toThrow(
      /out batch does not match batchSize 3.*got size 2/,
    );
    expect(() => buf.sample(3, createBatch(3, OBS + 1, ACT))).toThrow(/out batch does not match/);
  });
});
