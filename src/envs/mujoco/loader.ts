// The MuJoCo WebAssembly module (@mujoco/mujoco, Google DeepMind's official build, single-threaded),
// loaded lazily: the first MuJoCo env imports it with a dynamic import(); the engine, the classic envs and
// the Pendulum web bundle never load its ≈ 10 MB .wasm. One module instance serves every MuJoCo env.
//
// The package's name is held in a variable so bundlers leave the import() alone (esbuild would otherwise
// inline its glue into the web bundle). Node resolves it from node_modules; a browser page supplies the
// module with setMujocoLoader() (e.g. its own import and the .wasm's URL) before the first MuJoCo env.
import type { MainModule, MjData } from '@mujoco/mujoco';
import { fail } from '../../errors.js';

export type MujocoModule = MainModule;

/** What every MuJoCo env gets: the module and how to read MjData's warning counters (warnings.ts). */
export interface MujocoRuntime {
  readonly mj: MujocoModule;
  /** mjtWarning's names without the mjWARN_ prefix, by value (INERTIA, CONTACTFULL, …, BADCTRL). */
  readonly warningNames: readonly string[];
  /** True if the warning counters can be read from linear memory without allocating (probed at load). */
  readonly rawWarnings: boolean;
}

const PACKAGE = '@mujoco/mujoco';

async function defaultLoader(): Promise<MujocoModule> {
  const mod = (await import(/* @vite-ignore */ PACKAGE)) as { default: (opts?: unknown) => Promise<MujocoModule> };
  return mod.default();
}

let loader: () => Promise<MujocoModule> = defaultLoader;
let runtime: Promise<MujocoRuntime> | undefined;

/** Replaces how the module is obtained (call before the first MuJoCo env; e.g. in a browser, a loader that
 *  imports the package from your bundle and passes `locateFile` for mujoco.wasm). */
export function setMujocoLoader(load: () => Promise<MujocoModule>): void {
  if (typeof load !== 'function') fail(`setMujocoLoader: expected a function returning the MuJoCo module, got ${String(load)}`);
  if (runtime) fail('setMujocoLoader: the MuJoCo module is already loaded; set the loader before the first MuJoCo env');
  loader = load;
}

/** The shared MuJoCo runtime, loaded on the first call. A failed load is not cached (the next call retries). */
export function loadMujoco(): Promise<MujocoRuntime> {
  if (!runtime) {
    runtime = loader().then(
      (mj) => {
        const warningNames = warningNamesOf(mj);
        return { mj, warningNames, rawWarnings: probeRawWarnings(mj, warningNames.length) };
      },
      (e: unknown) => {
        runtime = undefined;
        throw new Error(`could not load the MuJoCo module (${PACKAGE}): ${(e as Error)?.message ?? String(e)}`, { cause: e });
      },
    );
  }
  return runtime;
}

// mjData's `warning` array (mjWarningStat[mjNWARNING] = { int lastinfo; int number; }) follows
// `solver_fwdinv` (2 doubles) in the struct. The bindings' `data.warning` hands out a new JS handle per
// access and a copy per element, so per step we read the counters through an Int32Array at that address. The layout
// is checked once here on a one-dof model: a huge qvel makes mj_step raise mjWARN_BADQVEL, which both
// reads must report; if they disagree the envs fall back to the allocating accessor.
const PROBE_XML = '<mujoco><worldbody><body><joint type="slide" axis="1 0 0"/><geom size="0.1" mass="1"/></body></worldbody></mujoco>';

function warningNamesOf(mj: MujocoModule): string[] {
  const e = mj.mjtWarning as unknown as Record<string, { value: number }>;
  const names: string[] = [];
  for (const key of Object.keys(e)) if (key.startsWith('mjWARN_')) names[e[key].value] = key.slice('mjWARN_'.length);
  return names;
}

function probeRawWarnings(mj: MujocoModule, count: number): boolean {
  const model = mj.MjModel.from_xml_string(PROBE_XML);
  const data = new mj.MjData(model);
  try {
    const badQvel = mj.mjtWarning.mjWARN_BADQVEL.value;
    data.qvel[0] = 1e11;
    mj.mj_step(model, data);
    const raw = warningCounters(data, count);
    const vec = data.warning;
    let same = raw.length === 2 * vec.size();
    for (let i = 0; same && i < vec.size(); i++) {
      const w = vec.get(i)!;
      same = raw[2 * i] === w.lastinfo && raw[2 * i + 1] === w.number;
      w.delete();
    }
    return same && raw[2 * badQvel + 1] === 1;
  } catch {
    return false;
  } finally {
    data.delete();
    model.delete();
  }
}

/** Int32Array over mjData.warning: [lastinfo₀, number₀, lastinfo₁, number₁, …] (valid if rawWarnings). */
export function warningCounters(data: MjData, count: number): Int32Array {
  const fwdinv = data.solver_fwdinv as Float64Array;
  return new Int32Array(fwdinv.buffer, fwdinv.byteOffset + fwdinv.byteLength, 2 * count);
}
