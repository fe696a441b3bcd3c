// The project's MJCF models against Gymnasium's (the physical reference: Gymnasium's MIT-licensed XML files,
// kept with their license in test/fixtures/gymnasium-mujoco/): every numeric field of the
// compiled MjModel that is not about rendering (textures, materials, lights, cameras, names) is
// identical, and 1000 MuJoCo steps with the same controls give bit-identical qpos and qvel.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { MjModel } from '@mujoco/mujoco';
import { loadMujoco } from '../src/envs/mujoco/loader.js';
import * as M from '../src/envs/mujoco/models/index.js';
import { bits } from './helpers/mujoco-twin.js';

const REF = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'gymnasium-mujoco');
const PAIRS: [string, string][] = [
  ['inverted_pendulum.xml', M.INVERTED_PENDULUM_XML], ['inverted_double_pendulum.xml', M.INVERTED_DOUBLE_PENDULUM_XML],
  ['reacher.xml', M.REACHER_XML], ['half_cheetah.xml', M.HALF_CHEETAH_XML], ['hopper.xml', M.HOPPER_XML],
  ['walker2d_v5.xml', M.WALKER2D_XML], ['swimmer.xml', M.SWIMMER_XML],
];
// Rendering and bookkeeping only (and `buffer`, the raw block that also holds texture pixels); numeric
// custom data (the unused frame_skip number of inverted_double_pendulum.xml) is dropped on purpose.
const SKIP = /^(tex|mat|light|cam|vis|name|text|paths|skin|mesh|signature|buffer|narena|nbuffer|nnames|npaths|ntex|nmat|nlight|ncam|nmesh|nskin|ntext|geom_matid|site_matid|numeric|nnumeric)/;

function numericFields(m: MjModel): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const proto = Object.getPrototypeOf(m);
  for (const k of Object.getOwnPropertyNames(proto)) {
    if (SKIP.test(k)) continue;
    let v: unknown;
    try { v = (m as unknown as Record<string, unknown>)[k]; } catch { continue; } // fields the bindings cannot read
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) out.set(k, Array.from(v as unknown as ArrayLike<number | bigint>, String));
    else if (typeof v === 'number' || typeof v === 'bigint') out.set(k, [String(v)]);
  }
  const opt = m.opt as unknown as Record<string, unknown>;
  for (const k of Object.getOwnPropertyNames(Object.getPrototypeOf(opt))) {
    const v = opt[k];
    if (ArrayBuffer.isView(v)) out.set(`opt.${k}`, Array.from(v as unknown as ArrayLike<number>, String));
    else if (typeof v === 'number') out.set(`opt.${k}`, [String(v)]);
  }
  return out;
}

describe("models vs Gymnasium's XML", () => {
  for (const [file, xml] of PAIRS) {
    it(`${file}: same physics fields, same trajectory`, async () => {
      const { mj } = await loadMujoco();
      const ref = mj.MjModel.from_xml_string(readFileSync(join(REF, file), 'utf8'));
      const ours = mj.MjModel.from_xml_string(xml);
      const a = numericFields(ref), b = numericFields(ours);
      expect(a.size).toBeGreaterThan(200);
      expect([...b.keys()]).toEqual([...a.keys()]);
      for (const [k, v] of a) expect(b.get(k), k).toEqual(v);
      const [da, db] = [new mj.MjData(ref), new mj.MjData(ours)];
      let s = 1;
      for (let t = 0; t < 1000; t++) {
        for (let i = 0; i < ref.nu; i++) {
          s = (s * 16807) % 2147483647;
          const u = (s / 2147483647) * 2.4 - 1.2;
          da.ctrl[i] = u;
          db.ctrl[i] = u;
        }
        mj.mj_step(ref, da);
        mj.mj_step(ours, db);
      }
      expect(bits(db.qpos as Float64Array)).toEqual(bits(da.qpos as Float64Array));
      expect(bits(db.qvel as Float64Array)).toEqual(bits(da.qvel as Float64Array));
      for (const x of [da, db, ref, ours]) x.delete();
    });
  }
});
