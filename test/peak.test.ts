// The benchmark's peak kernel (assembly/peak.ts) computes what it claims: after `iters` iterations,
// m_s = m0_s · cⁱᵗᵉʳˢ and a_s = a0_s + iters·d for six f32x4 streams each; it returns the sum of all lanes.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../src/index.js';
import type { KernelExports } from '../src/engine/abi.js';
import { ENGINE_BUILDS, loadKernels } from './helpers/kernels.js';

let engine: Engine;
let wasm: KernelExports;
describe.each(ENGINE_BUILDS)('$name build', (build) => {
  beforeAll(async () => { ({ engine, wasm } = await loadKernels(build)); });

  describe('peakMulAdd', () => {
    for (const iters of [0, 1, 7, 1000]) {
      it(`${iters} iterations match the float64 formula`, () => {
        const rt = engine.runtime;
        const p = rt.alloc(32);
        const c = 0.999, d = 1e-3;
        const v = new Float32Array(32);
        v.fill(c, 0, 4);
        for (let i = 4; i < 28; i++) v[i] = 1 + i / 64;
        v.fill(d, 28, 32);
        rt.f32.set(v, p >>> 2);
        let want = 0;
        const cf = Math.fround(c), df = Math.fround(d);
        for (let i = 4; i < 28; i++) want += v[i] * cf ** iters + v[i] + iters * df; // m stream + a stream, same start
        const got = wasm.peakMulAdd(iters, p);
        expect(Math.abs(got - want) / Math.abs(want)).toBeLessThan(1e-4);
      });
    }
  });
});
