// Compiling a task's MJCF into an MjModel: from the XML string (no file system needed, Node or browser),
// with MuJoCo's own message in the error when the XML is malformed, and a check that the model has the
// sizes and named elements the task reads (a custom model must keep the task's joints and bodies).
import type { MjModel } from '@mujoco/mujoco';
import { fail } from '../../errors.js';
import type { MujocoModule } from './loader.js';

export interface ModelShape {
  nq: number;
  nv: number;
  nu: number;
  /** Bodies the task reads by name (Reacher: fingertip, target). */
  bodies?: readonly string[];
  /** Number of sites the task reads by index (InvertedDoublePendulum: site 0, the tip). */
  nsite?: number;
}

export function compileModel(mj: MujocoModule, envId: string, xml: string, shape: ModelShape): MjModel {
  if (typeof xml !== 'string' || xml.length === 0) fail(`${envId}: the model must be a non-empty MJCF string, got ${typeof xml}`);
  let model: MjModel;
  try {
    model = mj.MjModel.from_xml_string(xml);
  } catch (e) {
    fail(`${envId}: MuJoCo could not load the model: ${String((e as Error)?.message ?? e).trim()}`);
  }
  const wrong = (what: string) => {
    model.delete();
    fail(`${envId}: the model does not fit the task: ${what}`);
  };
  if (model.nq !== shape.nq || model.nv !== shape.nv || model.nu !== shape.nu) {
    wrong(`expected nq ${shape.nq}, nv ${shape.nv}, nu ${shape.nu}; got nq ${model.nq}, nv ${model.nv}, nu ${model.nu}`);
  }
  if (model.nsite < (shape.nsite ?? 0)) wrong(`expected at least ${shape.nsite} site(s), got ${model.nsite}`);
  for (const name of shape.bodies ?? []) {
    if (bodyId(mj, model, name) < 0) wrong(`no body named '${name}'`);
  }
  return model;
}

export function bodyId(mj: MujocoModule, model: MjModel, name: string): number {
  return mj.mj_name2id(model, mj.mjtObj.mjOBJ_BODY.value, name);
}
