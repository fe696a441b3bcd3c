// The MuJoCo envs' API and bad input: createEnv for every id (classic ids return makeEnv's env), makeEnv
// refusing MuJoCo ids, unknown ids listing all, typed errors for actions, states, models; blow-ups
// (SimulationError naming the task and step; InvertedPendulum-v5 terminates); the lazy loading of
// @mujoco/mujoco (the envs module bundles without it).
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { DdpgInputError } from '../src/errors.js';
import { ALL_ENV_IDS, createEnv, ENV_IDS, makeEnv, MUJOCO_ENV_IDS, type MujocoEnvHandle } from '../src/envs/registry.js';
import { SimulationError } from '../src/envs/mujoco/errors.js';
import { loadMujoco, setMujocoLoader } from '../src/envs/mujoco/loader.js';
import { HOPPER_XML } from '../src/envs/mujoco/models/hopper.js';

const open: MujocoEnvHandle[] = [];
afterAll(() => { for (const e of open) e.close(); });
async function env(id: (typeof MUJOCO_ENV_IDS)[number], opts?: { seed?: number; modelXml?: string }): Promise<MujocoEnvHandle> {
  const e = await createEnv(id, opts);
  open.push(e);
  return e;
}

describe('ids and createEnv', () => {
  it('ENV_IDS are the classic ids, MUJOCO_ENV_IDS the seven v5 tasks, ALL_ENV_IDS both', () => {
    expect(ENV_IDS).toEqual(['Pendulum-v1', 'MountainCarContinuous-v0']);
    expect(MUJOCO_ENV_IDS).toEqual(['InvertedPendulum-v5', 'InvertedDoublePendulum-v5', 'Reacher-v5', 'HalfCheetah-v5', 'Hopper-v5', 'Walker2d-v5', 'Swimmer-v5']);
    expect(ALL_ENV_IDS).toEqual([...ENV_IDS, ...MUJOCO_ENV_IDS]);
  });

  it('createEnv builds every registered id; for a classic id it is makeEnv', async () => {
    for (const id of ALL_ENV_IDS) {
      const e = await createEnv(id, { seed: 2 });
      expect(e.id).toBe(id);
      const { obs } = e.reset();
      expect(obs.length).toBe(e.observationSpace.shape[0]);
      e.step(new Float32Array(e.actionSpace.shape[0]));
      if (ENV_IDS.includes(id)) {
        const m = makeEnv(id, { seed: 2 });
        expect(Object.getPrototypeOf(e)).toBe(Object.getPrototypeOf(m));
        expect(Array.from(m.reset().obs)).toEqual(Array.from(e.reset({ seed: 2 }).obs));
      } else {
        (e as MujocoEnvHandle).close();
      }
    }
  });

  it('a MuJoCo env is wrapped as makeEnv wraps (OrderEnforcing ∘ TimeLimit ∘ ActionCheck) and has dt, unwrapped, close', async () => {
    const e = await env('Walker2d-v5');
    const chain: string[] = [];
    for (let x: unknown = e; x; x = (x as { env?: unknown }).env) chain.push((x as object).constructor.name);
    expect(chain).toEqual(['OrderEnforcing', 'TimeLimit', 'ActionCheck', 'Walker2dEnv']);
    expect(e.dt).toBe(0.008);
    expect(e.unwrapped.frameSkip).toBe(4);
    expect(e.unwrapped.maxEpisodeSteps).toBe(Infinity);
  });

  it('makeEnv on a MuJoCo id says to use await createEnv', () => {
    expect(() => makeEnv('HalfCheetah-v5')).toThrow(DdpgInputError);
    expect(() => makeEnv('HalfCheetah-v5')).toThrow("use `await createEnv('HalfCheetah-v5')`");
  });

  it('an unknown id lists every known id, classic and MuJoCo', async () => {
    const all = new RegExp(`Known ids: ${ALL_ENV_IDS.join(', ')}`);
    expect(() => makeEnv('Ant-v5')).toThrow(all);
    await expect(createEnv('Ant-v5')).rejects.toThrow(all);
    await expect(createEnv('Ant-v5')).rejects.toBeInstanceOf(DdpgInputError);
    await expect(createEnv('Pendulum-v1', { modelXml: '<mujoco/>' })).rejects.toThrow(/modelXml applies to MuJoCo environments only/);
  });
});

describe('bad input', () => {
  it('a wrong-length or non-finite action is a DdpgInputError naming the task (ActionCheck)', async () => {
    const e = await env('Hopper-v5');
    expect(() => e.step([0, 0, 0])).toThrow(/Hopper-v5: step\(\) called before reset\(\)/);
    e.reset();
    expect(() => e.step([0, 0])).toThrow(/Hopper-v5: expected action of length 3, got 2/);
    expect(() => e.step([0, NaN, 0])).toThrow(/Hopper-v5: action\[1\] must be a finite number, got NaN/);
    expect(() => e.step([0, 0, Infinity])).toThrow(DdpgInputError);
  });

  it('setState checks lengths and finiteness', async () => {
    const e = await env('Swimmer-v5');
    expect(() => e.setState({ qpos: [0, 0, 0], qvel: [0, 0, 0, 0, 0] })).toThrow(/Swimmer-v5: expected qpos of length 5, got 3/);
    expect(() => e.setState({ qpos: [0, 0, 0, 0, 0], qvel: [0, 0, NaN, 0, 0] })).toThrow(/Swimmer-v5: qvel\[2\] must be a finite number/);
    expect(() => e.setState(undefined as never)).toThrow(DdpgInputError);
  });

  it("a malformed model reports MuJoCo's own message; a model without the task's joints is refused", async () => {
    const broken = HOPPER_XML.replace('</worldbody>', '</wrldbody>');
    await expect(createEnv('Hopper-v5', { modelXml: broken })).rejects.toThrow(/Hopper-v5: MuJoCo could not load the model: MuJoCo Error: .*XML parse error/s);
    const badAttr = HOPPER_XML.replace('type="slide"', 'type="sliding"');
    await expect(createEnv('Hopper-v5', { modelXml: badAttr })).rejects.toThrow(/invalid keyword: 'sliding'/);
    const oneJoint = '<mujoco><worldbody><body><joint type="slide"/><geom size=".1"/></body></worldbody></mujoco>';
    await expect(createEnv('Hopper-v5', { modelXml: oneJoint })).rejects.toThrow(/does not fit the task: expected nq 6, nv 6, nu 3; got nq 1, nv 1, nu 0/);
    await expect(createEnv('Reacher-v5', { modelXml: HOPPER_XML.replace(/<actuator>[^]*<\/actuator>/, '<actuator><motor joint="thigh_joint"/><motor joint="leg_joint"/></actuator>').replace('<joint armature="0" axis="1 0 0"', '<!-- --><joint armature="0" axis="1 0 0"') })).rejects.toThrow(/Reacher-v5: the model does not fit/);
  });

  it('a custom model that fits is used (Gymnasium xml_file): a heavier torso', async () => {
    const e = await env('Hopper-v5', { modelXml: HOPPER_XML.replace('name="torso_geom"', 'name="torso_geom" density="5000"') });
    const d = await env('Hopper-v5');
    expect(e.unwrapped.model.body_mass[1]).toBeGreaterThan(d.unwrapped.model.body_mass[1] * 4);
  });

  it('a closed env refuses to step', async () => {
    const e = await createEnv('Reacher-v5');
    e.reset();
    e.close();
    e.close(); // twice is fine
    expect(() => e.step([0, 0])).toThrow(/Reacher-v5: the env is closed/);
  });
});

describe('blow-ups', () => {
  it('a step that hits a MuJoCo warning throws SimulationError with the task, the step and the warning; reset() recovers', async () => {
    for (const id of MUJOCO_ENV_IDS.filter((x) => x !== 'InvertedPendulum-v5')) {
      const e = await env(id);
      e.reset();
      e.step(new Float32Array(e.actionSpace.shape[0]));
      e.step(new Float32Array(e.actionSpace.shape[0]));
      const s = e.getState();
      s.qvel[0] = 1e11; // beyond MuJoCo's 1e10 limit: mjWARN_BADQVEL, and MuJoCo would reset the state by itself
      e.setState(s);
      let err: unknown;
      try { e.step(new Float32Array(e.actionSpace.shape[0])); } catch (x) { err = x; }
      expect(err, id).toBeInstanceOf(SimulationError);
      const se = err as SimulationError;
      expect([se.envId, se.step]).toEqual([id, 3]);
      expect(se.message).toMatch(new RegExp(`^${id}: the simulation became unstable at step 3: MuJoCo warning BADQVEL ×1 \\(last at index 0\\)`));
      const { obs } = e.reset();
      expect(Array.from(obs).every(Number.isFinite)).toBe(true);
      expect(Number.isFinite(e.step(new Float32Array(e.actionSpace.shape[0])).reward)).toBe(true);
    }
  });

  it('a huge finite action is clamped by MuJoCo (ctrllimited), not a blow-up; its cost is as given', async () => {
    const [e, f] = [await env('HalfCheetah-v5'), await env('HalfCheetah-v5')];
    e.reset();
    f.reset();
    const r = e.step([0, 0, 1e11, 0, 0, 0]);
    expect(Array.from(r.obs)).toEqual(Array.from(f.step([0, 0, 1, 0, 0, 0]).obs));
    expect(r.info.reward_ctrl).toBe(-0.1 * 1e22);
  });

  it('InvertedPendulum-v5 terminates instead (reward 0, survive 0), with a finite observation', async () => {
    const e = await env('InvertedPendulum-v5');
    e.reset();
    e.setState({ qpos: [0, 0], qvel: [1e11, 0] });
    const r = e.step([0]);
    expect([r.terminated, r.reward, r.info.reward_survive]).toEqual([true, 0, 0]);
    expect(Array.from(r.obs).every(Number.isFinite)).toBe(true);
  });
});

describe('lazy loading', () => {
  it('the envs module bundles for the browser without @mujoco/mujoco (its import() is left for run time)', async () => {
    const out = await build({
      entryPoints: ['src/envs/index.ts'], bundle: true, format: 'esm', platform: 'browser', write: false, minify: true, logLevel: 'silent',
    });
    const code = out.outputFiles[0].text;
    expect(code).not.toMatch(/mujoco\.wasm|MainModuleFactory|emscripten/i);
    expect(code.length).toBeLessThan(120_000);
  });

  it('one module instance for all envs; setMujocoLoader after loading is refused', async () => {
    const [a, b] = await Promise.all([loadMujoco(), loadMujoco()]);
    expect(a).toBe(b);
    const e = await env('Reacher-v5');
    expect(e.unwrapped.mj).toBe(a.mj);
    expect(a.rawWarnings).toBe(true);
    expect(() => setMujocoLoader(async () => a.mj)).toThrow(/already loaded/);
  });
});
