// The seven MuJoCo v5 tasks against float64 formulas: for a chosen state and action, a twin simulation
// run directly through the MuJoCo bindings (test/helpers/mujoco-twin.ts) gives qpos, qvel, body and site
// positions and constraint forces as mj_step leaves them; the test computes each observation entry,
// reward term, termination and info value from them by Gymnasium v5's formulas and compares bit for bit
// (observations after float32 rounding). Kinematic quantities are also checked against closed-form
// forward kinematics at set states (after setState's mj_forward); after a step they are what mj_step
// leaves (for the RK4 tasks, its last stage), which differs from the kinematics of the new qpos.
import { afterAll, describe, expect, it } from 'vitest';
import { createEnv, type MujocoEnvHandle } from '../src/envs/registry.js';
import type { MujocoEnvId } from '../src/envs/mujoco/ids.js';
import * as M from '../src/envs/mujoco/models/index.js';
import type { PlanarWalkerEnv } from '../src/envs/mujoco/tasks/planar-walker.js';
import { f32, sq, Twin } from './helpers/mujoco-twin.js';

const open: { close(): void }[] = [];
afterAll(() => { for (const o of open) o.close(); });

async function setup(id: MujocoEnvId, xml: string, frameSkip: number): Promise<{ env: MujocoEnvHandle; twin: Twin }> {
  const env = await createEnv(id, { seed: 3 });
  const twin = await Twin.of(xml, frameSkip);
  open.push(env, twin);
  env.reset();
  return { env, twin };
}

/** reset + setState on the env, the same state on the twin (mj_resetData first: zero warm start and time),
 *  then step both with `action` (the twin gets `ctrl`, default = action). */
function stepBoth(env: MujocoEnvHandle, twin: Twin, qpos: number[], qvel: number[], action: number[], ctrl = action) {
  env.reset();
  env.setState({ qpos, qvel });
  twin.set(qpos, qvel);
  const r = env.step(Float32Array.from(action));
  const t = twin.step(Float32Array.from(ctrl));
  return { r, t, a: Array.from(Float32Array.from(action)) };
}

const obsOf = (r: { obs: Float32Array }) => Array.from(r.obs);

describe('InvertedPendulum-v5', () => {
  it('spaces, dt, time limit; obs = [qpos, qvel]; reward 1 while |angle| ≤ 0.2', async () => {
    const { env, twin } = await setup('InvertedPendulum-v5', M.INVERTED_PENDULUM_XML, 2);
    expect([env.observationSpace.shape[0], env.actionSpace.shape[0]]).toEqual([4, 1]);
    expect([env.actionSpace.low[0], env.actionSpace.high[0]]).toEqual([-3, 3]);
    expect(env.observationSpace.low[0]).toBe(-Infinity);
    expect(env.dt).toBe(0.02 * 2);
    expect(env.maxEpisodeSteps).toBe(1000);
    const { r, t } = stepBoth(env, twin, [0.1, 0.05], [0.2, -0.3], [1.5]);
    expect(obsOf(r)).toEqual(f32([...t.qpos, ...t.qvel]));
    expect(Math.abs(t.qpos[1]) > 0.2).toBe(false);
    expect([r.reward, r.terminated, r.truncated]).toEqual([1, false, false]);
    expect(r.info).toEqual({ reward_survive: 1 });
  });

  it('terminates with reward 0 once |qpos[1]| > 0.2; actions beyond ±3 act as ±3 (MuJoCo clamps ctrl)', async () => {
    const { env, twin } = await setup('InvertedPendulum-v5', M.INVERTED_PENDULUM_XML, 2);
    const { r, t } = stepBoth(env, twin, [0, 0.25], [0, 0.5], [0]);
    expect(Math.abs(t.qpos[1]) > 0.2).toBe(true);
    expect([r.reward, r.terminated, r.info.reward_survive]).toEqual([0, true, 0]);
    const c = stepBoth(env, twin, [0, 0.01], [0, 0], [7], [3]);
    expect(obsOf(c.r)).toEqual(f32([...c.t.qpos, ...c.t.qvel]));
    expect(env.unwrapped.data.ctrl[0]).toBe(7); // the env passes the action unclipped
  });
});

describe('InvertedDoublePendulum-v5', () => {
  const fkTip = (q: ArrayLike<number>) => [q[0] + 0.6 * Math.sin(q[1]) + 0.6 * Math.sin(q[1] + q[2]), 0.6 * Math.cos(q[1]) + 0.6 * Math.cos(q[1] + q[2])];

  it('spaces and dt; obs = [x, sin θ, cos θ, clip(qvel), clip(qfrc_constraint[0])]; reward terms from the tip as mj_step leaves it', async () => {
    const { env, twin } = await setup('InvertedDoublePendulum-v5', M.INVERTED_DOUBLE_PENDULUM_XML, 5);
    expect([env.observationSpace.shape[0], env.actionSpace.shape[0], env.dt, env.maxEpisodeSteps]).toEqual([9, 1, 0.01 * 5, 1000]);
    expect([env.actionSpace.low[0], env.actionSpace.high[0]]).toEqual([-1, 1]);
    // after setState (mj_forward) the tip site is at its forward kinematics
    env.setState({ qpos: [0.1, 0.1, -0.15], qvel: [0, 0, 0] });
    const site = env.unwrapped.data.site_xpos as Float64Array;
    const [sx, sy] = fkTip([0.1, 0.1, -0.15]);
    expect(Math.abs(site[0] - sx) + Math.abs(site[2] - sy)).toBeLessThan(1e-12);
    const { r, t } = stepBoth(env, twin, [0.1, 0.1, -0.15], [0.5, -1, 2], [0.7]);
    const [q, v] = [t.qpos, t.qvel];
    const clip = (x: number) => Math.min(Math.max(x, -10), 10);
    expect(obsOf(r)).toEqual(f32([q[0], Math.sin(q[1]), Math.sin(q[2]), Math.cos(q[1]), Math.cos(q[2]), clip(v[0]), clip(v[1]), clip(v[2]), clip(t.qfrcConstraint[0])]));
    // the tip as mj_step leaves it (RK4's last stage), not recomputed at the new qpos by an mj_forward
    const [x, y] = [t.siteXpos[0], t.siteXpos[2]];
    expect(Math.abs(y - fkTip(q)[1])).toBeGreaterThan(1e-10);
    const dist = 0.01 * x * x + (y - 2) ** 2;
    const vel = 1e-3 * v[1] * v[1] + 5e-3 * v[2] * v[2];
    expect(y > 1).toBe(true);
    expect(r.reward).toBe(10 - dist - vel);
    expect(r.terminated).toBe(false);
    expect(r.info).toEqual({ reward_survive: 10, distance_penalty: -dist, velocity_penalty: -vel });
  });

  it('clips qvel and the slider constraint force at ±10 in the obs; terminates when tip y ≤ 1, survive 0', async () => {
    const { env, twin } = await setup('InvertedDoublePendulum-v5', M.INVERTED_DOUBLE_PENDULUM_XML, 5);
    // the cart driven into its slider limit: a large constraint force
    const c = stepBoth(env, twin, [0.995, 0, 0], [20, 0, 15], [1]);
    expect(Math.abs(c.t.qfrcConstraint[0])).toBeGreaterThan(10);
    expect(c.r.obs[8]).toBe(Math.sign(c.t.qfrcConstraint[0]) * 10);
    expect(Math.abs(c.t.qvel[2])).toBeGreaterThan(10);
    expect(c.r.obs[7]).toBe(Math.sign(c.t.qvel[2]) * 10);
    const { r, t } = stepBoth(env, twin, [0, 1.2, 0], [0, 0, 0], [0]);
    const [x, y] = [t.siteXpos[0], t.siteXpos[2]];
    expect(y <= 1).toBe(true);
    const dist = 0.01 * x * x + (y - 2) ** 2;
    const vel = 1e-3 * t.qvel[1] ** 2 + 5e-3 * t.qvel[2] ** 2;
    expect([r.terminated, r.info.reward_survive, r.reward]).toEqual([true, 0, 0 - dist - vel]);
  });
});

describe('Reacher-v5', () => {
  const fkFingertip = (q: ArrayLike<number>) => [0.1 * Math.cos(q[0]) + 0.11 * Math.cos(q[0] + q[1]), 0.1 * Math.sin(q[0]) + 0.11 * Math.sin(q[0] + q[1])];

  it('spaces, dt, 50-step limit; obs and reward from fingertip − target as mj_step leaves them', async () => {
    const { env, twin } = await setup('Reacher-v5', M.REACHER_XML, 2);
    expect([env.observationSpace.shape[0], env.actionSpace.shape[0], env.dt, env.maxEpisodeSteps]).toEqual([10, 2, 0.01 * 2, 50]);
    env.setState({ qpos: [0.3, -0.5, 0.1, -0.05], qvel: [0, 0, 0, 0] });
    const [fx, fy] = fkFingertip([0.3, -0.5]);
    expect(Math.abs(env.unwrapped.data.xpos[3 * twin.bodyId('fingertip')] - fx)).toBeLessThan(1e-12);
    expect(Math.abs(env.unwrapped.data.xpos[3 * twin.bodyId('fingertip') + 1] - fy)).toBeLessThan(1e-12);
    const { r, t, a } = stepBoth(env, twin, [0.3, -0.5, 0.1, -0.05], [2, 3, 0, 0], [0.4, -0.6]);
    const [q, v] = [t.qpos, t.qvel];
    const ft = 3 * twin.bodyId('fingertip');
    const tg = 3 * twin.bodyId('target');
    const d = [t.xpos[ft] - t.xpos[tg], t.xpos[ft + 1] - t.xpos[tg + 1], t.xpos[ft + 2] - t.xpos[tg + 2]];
    expect(obsOf(r)).toEqual(f32([Math.cos(q[0]), Math.cos(q[1]), Math.sin(q[0]), Math.sin(q[1]), q[2], q[3], v[0], v[1], d[0], d[1]]));
    // body positions as mj_step leaves them (RK4's last stage), not recomputed at the new qpos
    expect(Math.abs(t.xpos[tg] - q[2]) + Math.abs(t.xpos[tg + 1] - q[3])).toBeLessThan(1e-12);
    expect(Math.abs(t.xpos[ft] - fkFingertip(q)[0])).toBeGreaterThan(1e-10);
    const rewardDist = -Math.sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
    const rewardCtrl = -(a[0] * a[0] + a[1] * a[1]);
    expect(r.info).toEqual({ reward_dist: rewardDist, reward_ctrl: rewardCtrl });
    expect([r.reward, r.terminated]).toEqual([rewardDist + rewardCtrl, false]);
  });

  it('is never terminated and truncates at step 50', async () => {
    const env = await createEnv('Reacher-v5');
    open.push(env);
    env.reset();
    for (let i = 1; i <= 50; i++) {
      const r = env.step([1, -1]);
      expect([r.terminated, r.truncated]).toEqual([false, i === 50]);
    }
  });
});

describe('HalfCheetah-v5', () => {
  it('obs = [qpos[1:], qvel]; reward = x-velocity − 0.1·Σa²; actions beyond ±1 act as ±1 but cost as given', async () => {
    const { env, twin } = await setup('HalfCheetah-v5', M.HALF_CHEETAH_XML, 5);
    expect([env.observationSpace.shape[0], env.actionSpace.shape[0], env.dt, env.maxEpisodeSteps]).toEqual([17, 6, 0.01 * 5, 1000]);
    const qpos = [0.3, -0.05, 0.1, 0.2, -0.3, 0.1, -0.2, 0.4, -0.1];
    const qvel = [1, 0.2, -0.5, 2, -1, 0.5, 0.3, -2, 1];
    const action = [1.5, -0.3, 0.8, -2, 0.1, 0.6];
    const { r, t, a } = stepBoth(env, twin, qpos, qvel, action, action.map((x) => Math.min(Math.max(x, -1), 1)));
    expect(obsOf(r)).toEqual(f32([...t.qpos.slice(1), ...t.qvel]));
    const xVel = (t.qpos[0] - qpos[0]) / (0.01 * 5);
    const ctrl = 0.1 * sq(a);
    expect(r.info).toEqual({ x_position: t.qpos[0], x_velocity: xVel, reward_forward: xVel, reward_ctrl: -ctrl });
    expect([r.reward, r.terminated]).toEqual([xVel - ctrl, false]);
    expect(env.reset().info).toEqual({ x_position: env.getState().qpos[0] });
  });

  it('never terminates; truncates at step 1000', async () => {
    const env = await createEnv('HalfCheetah-v5');
    open.push(env);
    env.reset();
    const a = new Float32Array(6).fill(0.5);
    for (let i = 1; i <= 1000; i++) {
      const r = env.step(a);
      if (r.terminated || r.truncated !== (i === 1000)) throw new Error(`step ${i}: terminated ${r.terminated}, truncated ${r.truncated}`);
    }
  });
});

describe('Hopper-v5 and Walker2d-v5', () => {
  const cases = [
    { id: 'Hopper-v5' as const, xml: M.HOPPER_XML, nq: 6, obs: 11, act: 3 },
    { id: 'Walker2d-v5' as const, xml: M.WALKER2D_XML, nq: 9, obs: 17, act: 6 },
  ];
  for (const c of cases) {
    it(`${c.id}: obs = [qpos[1:], clip(qvel, ±10)]; reward = x-velocity + 1 − 1e−3·Σa²; info`, async () => {
      const { env, twin } = await setup(c.id, c.xml, 4);
      expect([env.observationSpace.shape[0], env.actionSpace.shape[0], env.dt, env.maxEpisodeSteps]).toEqual([c.obs, c.act, 0.002 * 4, 1000]);
      const qpos = [0.1, 1.25, 0.05, ...new Array(c.nq - 3).fill(0).map((_, i) => -0.05 * (i + 1))];
      const qvel = [0.5, 0.1, 0.2, 30, ...new Array(c.nq - 4).fill(0).map((_, i) => 0.3 * (i - 1))];
      env.setState({ qpos, qvel });
      expect(env.step(new Float32Array(c.act)).obs[c.nq - 1 + 3]).toBeLessThanOrEqual(10); // a 30 rad/s joint is seen as ≤ 10
      const action = new Array(c.act).fill(0).map((_, i) => 0.9 - 0.4 * i);
      const { r, t, a } = stepBoth(env, twin, qpos, qvel, action);
      expect(obsOf(r)).toEqual(f32([...t.qpos.slice(1), ...Array.from(t.qvel, (x) => Math.min(Math.max(x, -10), 10))]));
      expect(Math.max(...Array.from(t.qvel, Math.abs))).toBeGreaterThan(10);
      const xVel = (t.qpos[0] - qpos[0]) / (0.002 * 4);
      const ctrl = 1e-3 * sq(a);
      expect(r.info).toEqual({
        x_position: t.qpos[0], z_distance_from_origin: t.qpos[1] - 1.25, x_velocity: xVel,
        reward_forward: xVel, reward_ctrl: -ctrl, reward_survive: 1,
      });
      expect([r.reward, r.terminated]).toEqual([xVel + 1 - ctrl, false]);
      const reset = env.reset();
      const s = env.getState();
      expect(reset.info).toEqual({ x_position: s.qpos[0], z_distance_from_origin: s.qpos[1] - 1.25 });
    });

    it(`${c.id}: an unhealthy step terminates with reward_survive 0 (v5)`, async () => {
      const { env, twin } = await setup(c.id, c.xml, 4);
      const qpos = [0, 1.25, c.id === 'Hopper-v5' ? 0.5 : 1.3, ...new Array(c.nq - 3).fill(0)];
      const { r, t, a } = stepBoth(env, twin, qpos, new Array(c.nq).fill(0), new Array(c.act).fill(0.2));
      const xVel = (t.qpos[0] - qpos[0]) / (0.002 * 4);
      expect([r.terminated, r.info.reward_survive, r.reward]).toEqual([true, 0, xVel + 0 - 1e-3 * sq(a)]);
    });
  }

  it('Hopper-v5 healthy: z > 0.7, |angle| < 0.2 and qpos[2:], qvel (unclipped) inside (−100, 100), all strict', async () => {
    const env = await createEnv('Hopper-v5');
    open.push(env);
    env.reset();
    const hopper = env.unwrapped as PlanarWalkerEnv;
    const healthy = (qpos: number[], qvel = [0, 0, 0, 0, 0, 0]) => { env.setState({ qpos, qvel }); return hopper.isHealthy(); };
    expect(healthy([0, 1.25, 0, 0, 0, 0])).toBe(true);
    expect(healthy([0, 0.7, 0, 0, 0, 0])).toBe(false);
    expect(healthy([0, 0.7000001, 0, 0, 0, 0])).toBe(true);
    expect(healthy([0, 1e6, 0, 0, 0, 0])).toBe(true); // z is not in the state range (state_vector()[2:])
    expect(healthy([0, 1.25, 0.2, 0, 0, 0])).toBe(false);
    expect(healthy([0, 1.25, -0.2, 0, 0, 0])).toBe(false);
    expect(healthy([0, 1.25, 0.1999, 0, 0, 0])).toBe(true);
    expect(healthy([500, 1.25, 0, 0, 0, 0])).toBe(true); // x is not in the state range
    expect(healthy([0, 1.25, 0, 100, 0, 0])).toBe(false);
    expect(healthy([0, 1.25, 0, 99.9, 0, 0])).toBe(true);
    expect(healthy([0, 1.25, 0, 0, 0, 0], [150, 0, 0, 0, 0, 0])).toBe(false); // qvel[0] counts, unclipped
    expect(healthy([0, 1.25, 0, 0, 0, 0], [0, 0, 0, 0, 0, -100])).toBe(false);
    expect(healthy([0, 1.25, 0, 0, 0, 0], [99, 0, 0, 0, 0, -99])).toBe(true);
  });

  it('Walker2d-v5 healthy: 0.8 < z < 2.0 and −1 < angle < 1, strict; velocities do not count', async () => {
    const env = await createEnv('Walker2d-v5');
    open.push(env);
    env.reset();
    const walker = env.unwrapped as PlanarWalkerEnv;
    const healthy = (z: number, angle: number, qv0 = 0) => {
      env.setState({ qpos: [0, z, angle, 0, 0, 0, 0, 0, 0], qvel: [qv0, 0, 0, 0, 0, 0, 0, 0, 0] });
      return walker.isHealthy();
    };
    expect([healthy(1.25, 0), healthy(0.8, 0), healthy(0.8001, 0), healthy(2.0, 0), healthy(1.999, 0)]).toEqual([true, false, true, false, true]);
    expect([healthy(1.25, 1), healthy(1.25, -1), healthy(1.25, 0.999), healthy(1.25, -0.999), healthy(1.25, 0, 500)]).toEqual([false, false, true, true, true]);
  });
});

describe('Swimmer-v5', () => {
  it('obs = [qpos[2:], qvel]; reward = x-velocity − 1e−4·Σa²; xy info', async () => {
    const { env, twin } = await setup('Swimmer-v5', M.SWIMMER_XML, 4);
    expect([env.observationSpace.shape[0], env.actionSpace.shape[0], env.dt, env.maxEpisodeSteps]).toEqual([8, 2, 0.01 * 4, 1000]);
    const qpos = [0.3, -0.4, 0.2, 0.5, -0.6];
    const qvel = [0.1, -0.2, 0.3, 1, -1];
    const { r, t, a } = stepBoth(env, twin, qpos, qvel, [0.9, -0.7]);
    expect(obsOf(r)).toEqual(f32([...t.qpos.slice(2), ...t.qvel]));
    const dt = 0.01 * 4;
    const xVel = (t.qpos[0] - qpos[0]) / dt;
    const yVel = (t.qpos[1] - qpos[1]) / dt;
    const ctrl = 1e-4 * sq(a);
    expect(r.info).toEqual({
      x_position: t.qpos[0], y_position: t.qpos[1], distance_from_origin: Math.sqrt(t.qpos[0] ** 2 + t.qpos[1] ** 2),
      x_velocity: xVel, y_velocity: yVel, reward_forward: xVel, reward_ctrl: -ctrl,
    });
    expect([r.reward, r.terminated]).toEqual([xVel - ctrl, false]);
    const reset = env.reset();
    const s = env.getState().qpos;
    expect(reset.info).toEqual({ x_position: s[0], y_position: s[1], distance_from_origin: Math.sqrt(s[0] ** 2 + s[1] ** 2) });
  });
});

describe('every task', () => {
  const ids: MujocoEnvId[] = ['InvertedPendulum-v5', 'InvertedDoublePendulum-v5', 'Reacher-v5', 'HalfCheetah-v5', 'Hopper-v5', 'Walker2d-v5', 'Swimmer-v5'];
  it('step() returns the same result, obs and info objects every call (no allocation), obs also from reset()', async () => {
    for (const id of ids) {
      const env = await createEnv(id);
      open.push(env);
      const { obs } = env.reset();
      const a = new Float32Array(env.actionSpace.shape[0]);
      const r1 = env.step(a);
      const info1 = r1.info;
      const r2 = env.step(a);
      expect(r2).toBe(r1);
      expect(r2.obs).toBe(obs);
      expect(r2.info).toBe(info1);
    }
  });

  it('getState returns copies; setState runs mj_forward (the obs reflects the set state at once)', async () => {
    const env = await createEnv('Reacher-v5');
    open.push(env);
    env.reset();
    const s = env.getState();
    s.qpos[0] = 123;
    expect(env.getState().qpos[0]).not.toBe(123);
    env.setState({ qpos: [Math.PI / 2, 0, 0.1, 0.1], qvel: [0, 0, 0, 0] });
    // fingertip at (0, 0.21), target at (0.1, 0.1): fingertip − target = (−0.1, 0.11)
    const { obs } = env.step([0, 0]);
    expect(Math.abs(obs[8] - -0.1)).toBeLessThan(1e-6);
    expect(Math.abs(obs[9] - 0.11)).toBeLessThan(1e-6);
  });
});
