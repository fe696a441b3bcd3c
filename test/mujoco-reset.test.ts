// Reset distributions of the MuJoCo tasks (Gymnasium v5's reset_model) over many resets: every entry of
// qpos − init_qpos and qvel − init_qvel within its range and the range covered; normal noise with the
// right scale; Reacher's goal in the disc (rejection sampling) and its zero velocity. And seeding: the
// same seed gives the same episode, reset() continues the stream.
import { afterAll, describe, expect, it } from 'vitest';
import { createEnv, type MujocoEnvHandle } from '../src/envs/registry.js';
import type { MujocoEnvId } from '../src/envs/mujoco/ids.js';
import { actionStream, bits } from './helpers/mujoco-twin.js';

const open: MujocoEnvHandle[] = [];
afterAll(() => { for (const e of open) e.close(); });

async function env(id: MujocoEnvId, seed = 0): Promise<MujocoEnvHandle> {
  const e = await createEnv(id, { seed });
  open.push(e);
  return e;
}

/** Deviations from init after `n` resets: dq[i][k], dv[i][k]. */
async function resets(id: MujocoEnvId, n: number) {
  const e = await env(id, 11);
  const init = { q: e.unwrapped.initQpos, v: e.unwrapped.initQvel };
  const dq: number[][] = Array.from(init.q, () => []);
  const dv: number[][] = Array.from(init.v, () => []);
  for (let k = 0; k < n; k++) {
    e.reset();
    const s = e.getState();
    s.qpos.forEach((x, i) => dq[i].push(x - init.q[i]));
    s.qvel.forEach((x, i) => dv[i].push(x - init.v[i]));
  }
  return { e, dq, dv };
}

function expectUniform(samples: number[][], scale: number): void {
  for (const xs of samples) {
    const lo = Math.min(...xs), hi = Math.max(...xs);
    expect(lo).toBeGreaterThanOrEqual(-scale * (1 + 1e-9));
    expect(hi).toBeLessThan(scale * (1 + 1e-9));
    expect(lo).toBeLessThan(-0.95 * scale);
    expect(hi).toBeGreaterThan(0.95 * scale);
  }
}

function expectNormal(samples: number[][], sigma: number): void {
  for (const xs of samples) {
    const mean = xs.reduce((a, x) => a + x, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / xs.length);
    expect(Math.abs(mean)).toBeLessThan(4 * sigma / Math.sqrt(xs.length));
    expect(Math.abs(sd / sigma - 1)).toBeLessThan(0.08);
    expect(Math.max(...xs.map(Math.abs))).toBeGreaterThan(2.5 * sigma); // not a uniform of the same scale
  }
}

describe('reset noise', () => {
  const N = 1500;
  it('InvertedPendulum-v5: qpos and qvel U(±0.01)', async () => {
    const { dq, dv } = await resets('InvertedPendulum-v5', N);
    expectUniform(dq, 0.01);
    expectUniform(dv, 0.01);
  });

  it('InvertedDoublePendulum-v5: qpos U(±0.1), qvel 0.1·N(0, 1)', async () => {
    const { dq, dv } = await resets('InvertedDoublePendulum-v5', N);
    expectUniform(dq, 0.1);
    expectNormal(dv, 0.1);
  });

  it('HalfCheetah-v5: qpos U(±0.1), qvel 0.1·N(0, 1)', async () => {
    const { dq, dv } = await resets('HalfCheetah-v5', N);
    expectUniform(dq, 0.1);
    expectNormal(dv, 0.1);
  });

  it('Hopper-v5 and Walker2d-v5: qpos and qvel U(±5e−3) around init_qpos (z = 1.25)', async () => {
    for (const id of ['Hopper-v5', 'Walker2d-v5'] as const) {
      const { e, dq, dv } = await resets(id, N);
      expect(e.unwrapped.initQpos[1]).toBe(1.25);
      expectUniform(dq, 5e-3);
      expectUniform(dv, 5e-3);
    }
  });

  it('Swimmer-v5: qpos and qvel U(±0.1)', async () => {
    const { dq, dv } = await resets('Swimmer-v5', N);
    expectUniform(dq, 0.1);
    expectUniform(dv, 0.1);
  });

  it('Reacher-v5: arm qpos U(±0.1), goal uniform in the disc ‖g‖ < 0.2, arm qvel U(±0.005), goal qvel 0', async () => {
    const { e, dq, dv } = await resets('Reacher-v5', N);
    expectUniform(dq.slice(0, 2), 0.1);
    expectUniform(dv.slice(0, 2), 0.005);
    const init = e.unwrapped.initQpos;
    const gx = dq[2].map((d) => d + init[2]), gy = dq[3].map((d) => d + init[3]);
    const r = gx.map((x, i) => Math.hypot(x, gy[i]));
    expect(Math.max(...r)).toBeLessThan(0.2);
    expect(Math.max(...r)).toBeGreaterThan(0.195);
    // uniform in the disc: P(r < 0.1) = 1/4
    expect(Math.abs(r.filter((x) => x < 0.1).length / N - 0.25)).toBeLessThan(0.04);
    // all four quadrants
    expect(new Set(gx.map((x, i) => `${Math.sign(x)}${Math.sign(gy[i])}`)).size).toBe(4);
    expect(dv[2].every((v) => v === 0) && dv[3].every((v) => v === 0)).toBe(true);
    // the obs holds the goal: obs[4:6] = qpos[2:4]
    const { obs } = e.reset();
    const q = e.getState().qpos;
    expect([obs[4], obs[5]]).toEqual([Math.fround(q[2]), Math.fround(q[3])]);
  });
});

describe('seeding', () => {
  const ids: MujocoEnvId[] = ['InvertedPendulum-v5', 'InvertedDoublePendulum-v5', 'Reacher-v5', 'HalfCheetah-v5', 'Hopper-v5', 'Walker2d-v5', 'Swimmer-v5'];

  /** 40 steps from reset({ seed }) (or reset()), with a seeded action stream, as bit strings. */
  function episode(e: MujocoEnvHandle, seed: number | undefined): string[] {
    const out = [...bits(e.reset(seed === undefined ? undefined : { seed }).obs)];
    const next = actionStream(e.actionSpace.shape[0], 99);
    for (let i = 0; i < 40; i++) {
      const r = e.step(next());
      out.push(...bits(r.obs), ...bits([r.reward]), String(r.terminated));
      if (r.terminated) break;
    }
    return out;
  }

  it('the same seed gives the same episode bit for bit, in another env too; createEnv({ seed }) = reset({ seed })', async () => {
    for (const id of ids) {
      const a = await env(id), b = await env(id), c = await env(id, 5);
      const ea = episode(a, 5);
      expect(episode(b, 5)).toEqual(ea);
      expect(episode(c, undefined)).toEqual(ea);
      expect(episode(a, 6)).not.toEqual(ea);
    }
  });

  it('reset() continues the stream: a second episode differs from the first, and repeats after reseeding', async () => {
    const e = await env('Hopper-v5');
    const first = Array.from(e.reset({ seed: 1 }).obs);
    const second = Array.from(e.reset().obs);
    expect(second).not.toEqual(first);
    expect(Array.from(e.reset({ seed: 1 }).obs)).toEqual(first);
    expect(Array.from(e.reset().obs)).toEqual(second);
  });
});
