// Exact resume of MuJoCo envs: snapshot() at step k (plain JSON: MuJoCo's integration state — time, qpos,
// qvel, act, warm start, ctrl, applied forces — and the Rng), N more steps, then restore() into a fresh
// env and the same N steps: every obs, reward, terminated and truncated bit for bit, resets included.
// Also: views into MuJoCo's memory survive its growth (a second env allocated mid-run).
import { afterAll, describe, expect, it } from 'vitest';
import { createEnv, type MujocoEnvHandle } from '../src/envs/registry.js';
import { MUJOCO_ENV_IDS, type MujocoEnvId } from '../src/envs/mujoco/ids.js';
import { actionStream, bits } from './helpers/mujoco-twin.js';

const open: MujocoEnvHandle[] = [];
afterAll(() => { for (const e of open) e.close(); });

async function env(id: MujocoEnvId, seed = 0): Promise<MujocoEnvHandle> {
  const e = await createEnv(id, { seed });
  open.push(e);
  return e;
}

/** `n` steps with actions from `next`, resetting (reset(), continuing the stream) when an episode ends. */
function run(e: MujocoEnvHandle, next: () => Float32Array, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = e.step(next());
    out.push(...bits(r.obs), ...bits([r.reward]), `${r.terminated}${r.truncated}`);
    if (r.terminated || r.truncated) out.push(...bits(e.reset().obs));
  }
  return out;
}

/** Steps `k`, snapshots, continues `n`; restores the JSON snapshot into a fresh env and continues `n`. */
async function resume(id: MujocoEnvId, k: number, n: number) {
  const a = await env(id, 7);
  a.reset({ seed: 7 });
  const acts = actionStream(a.actionSpace.shape[0], 42);
  let episodes = 0;
  for (let i = 0; i < k; i++) {
    const r = a.step(acts());
    if (r.terminated || r.truncated) { a.reset(); episodes++; }
  }
  const json = JSON.stringify(a.snapshot());
  const rest = Array.from({ length: n }, () => acts().slice());
  let j = 0;
  const replay = () => rest[j++];
  const want = run(a, replay, n);
  const b = await env(id, 123); // a different seed: everything must come from the snapshot
  b.restore(JSON.parse(json));
  j = 0;
  const got = run(b, replay, n);
  return { want, got, json, episodes };
}

describe('snapshot / restore', () => {
  it('Hopper-v5 (contacts, RK4): 400 steps after a JSON round trip are bit-identical, episode ends and resets included', async () => {
    const { want, got, json, episodes } = await resume('Hopper-v5', 150, 400);
    expect(episodes).toBeGreaterThan(0);
    expect(want.filter((s) => s === 'truefalse').length).toBeGreaterThan(0); // terminations after the snapshot too
    expect(got).toEqual(want);
    const snap = JSON.parse(json);
    expect(Object.keys(snap).sort()).toEqual(['done', 'elapsedSteps', 'id', 'negativeZeros', 'physics', 'rng', 'started']);
    expect(snap.physics.length).toBe(58); // time 1, qpos 6, qvel 6, warm start 6, ctrl 3, qfrc_applied 6, xfrc_applied 30
  });

  it('qpos and qvel alone are not enough on Hopper-v5: the solver warm start changes the continuation', async () => {
    const a = await env('Hopper-v5', 7);
    a.reset({ seed: 7 });
    const acts = actionStream(3, 5, 0.3);
    for (let i = 0; i < 10; i++) a.step(acts()); // foot in contact (at some states Newton converges to the same bits either way)
    const snap = a.snapshot();
    const state = a.getState();
    const rest = Array.from({ length: 30 }, () => acts().slice());
    const trace = (e: MujocoEnvHandle) => {
      const out: string[] = [];
      for (const x of rest) {
        const r = e.step(x);
        const s = e.getState();
        out.push(...bits(s.qpos), ...bits(s.qvel));
        if (r.terminated) break;
      }
      return out;
    };
    const want = trace(a);
    const b = await env('Hopper-v5');
    b.restore(snap);
    expect(trace(b)).toEqual(want);
    const c = await env('Hopper-v5');
    c.reset();
    c.setState(state);
    expect(trace(c)).not.toEqual(want);
  });

  it('every task continues bit-exactly', async () => {
    for (const id of MUJOCO_ENV_IDS) {
      const { want, got } = await resume(id, 30, 60);
      expect(got, id).toEqual(want);
    }
  });

  it('keeps negative zeros, which JSON writes as 0', async () => {
    const e = await env('InvertedPendulum-v5');
    e.reset();
    e.step([-0]); // ctrl = −0 is part of the integration state
    const snap = JSON.parse(JSON.stringify(e.snapshot()));
    expect(snap.negativeZeros.length).toBeGreaterThan(0);
    const f = await env('InvertedPendulum-v5');
    f.restore(snap);
    expect(Object.is(f.unwrapped.data.ctrl[0], -0)).toBe(true);
  });

  it('refuses a snapshot of another task, of the wrong size, with non-finite values or a bad rng', async () => {
    const e = await env('Swimmer-v5');
    e.reset();
    const good = e.snapshot();
    const bare = e.unwrapped;
    expect(() => bare.restore({ ...good, id: 'Hopper-v5' })).toThrow(/Swimmer-v5: snapshot is for env 'Hopper-v5'/);
    expect(() => bare.restore({ ...good, physics: (good.physics as number[]).slice(1) })).toThrow(/physics must be \d+ finite numbers/);
    expect(() => bare.restore({ ...good, physics: (good.physics as number[]).map((x, i) => (i === 3 ? NaN : x)) })).toThrow(/finite numbers/);
    expect(() => bare.restore({ ...good, negativeZeros: [1e6] })).toThrow(/negativeZeros/);
    expect(() => bare.restore({ ...good, rng: { arc4: { i: 0, j: 0, S: [] }, spare: null } })).toThrow(/rng/);
  });
});

describe("MuJoCo's memory growth", () => {
  it('an env keeps stepping correctly after other envs grew the module memory (its old views went empty)', async () => {
    const steps = 60;
    const ref = await env('HalfCheetah-v5', 3);
    ref.reset();
    const acts = Array.from({ length: steps }, (_, i) => Float32Array.from({ length: 6 }, (_, j) => Math.sin(i * 7 + j)));
    const want = acts.flatMap((a) => bits(ref.step(a).obs));

    const a = await env('HalfCheetah-v5', 3);
    a.reset();
    const got = acts.slice(0, steps / 2).flatMap((x) => bits(a.step(x).obs));
    const staleView = a.unwrapped.data.qpos as Float64Array;
    const extra: MujocoEnvHandle[] = [];
    while (staleView.length !== 0 && extra.length < 40) extra.push(await env('Walker2d-v5'));
    expect(staleView.length).toBe(0); // the memory grew: views taken before are empty now
    got.push(...acts.slice(steps / 2).flatMap((x) => bits(a.step(x).obs)));
    expect(got).toEqual(want);
    expect(Array.from(a.getState().qpos).every(Number.isFinite)).toBe(true);
    for (const x of extra) x.close();
  });
});
