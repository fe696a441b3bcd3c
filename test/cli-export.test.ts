// `ddpg-wasm export --format policy|onnx|wasm` on a real run folder: each format is written, described on one
// line (format, size, shapes) and acts like the run's policy in its own runtime; and bad input — files that
// are not a trained agent, an unknown format, output paths that cannot be written — is a clear error that
// leaves no file behind, partial or temporary.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-web';
import seedrandom from 'seedrandom';
import { encodeCheckpoint, loadPolicy, type Policy } from '../src/index.js';
import { trainCommand } from '../src/cli/train.js';
import { version } from '../src/cli/version.js';
import { cli, tempDir } from './helpers/cli.js';

const SMALL = ['--actor-hidden', '24', '--critic-hidden', '8', '--batch-size', '8', '--buffer-size', '800', '--learning-starts', '100',
  '--seed', '5', '--quiet', '--eval-episodes', '1'];

let dir: string;
let policy: Policy;
let observations: Float32Array[]; // float32, as the wasm ABI takes them (act() of a number[] normalizes the float64 values)
beforeAll(async () => {
  dir = tempDir('cli-export');
  expect(await trainCommand([...SMALL, '--algo', 'td3', '--steps', '400', '--obs-normalization', '--out', join(dir, 'run')])).toBe(0);
  policy = await loadPolicy(readFileSync(join(dir, 'run', 'checkpoint.ddpg')));
  const rng = seedrandom('cli-export');
  observations = Array.from({ length: 200 }, () => Float32Array.of(2 * rng() - 1, 2 * rng() - 1, 16 * rng() - 8));
  ort.env.wasm.numThreads = 1;
});

/** The names in `folder` (to see that nothing, not even a temporary file, was left). */
const filesIn = (folder: string) => readdirSync(folder).sort();

describe('export writes each format and says what it wrote', () => {
  it('policy (the default): loadPolicy acts bit for bit like the checkpoint', async () => {
    const out = join(dir, 'policy.bin');
    const r = await cli(['export', '--checkpoint', join(dir, 'run'), '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`wrote ${out}: policy, ${statSync(out).size} bytes; act(obs[3]) → action[1] in [-2, 2], observations normalized inside; ` +
      'actor 3→24→1 (121 parameters); td3, Pendulum-v1, 400 steps');
    const exported = await loadPolicy(readFileSync(out));
    for (const o of observations) expect(exported.act(o)[0]).toBe(policy.act(o)[0]);
  });

  it('onnx: onnxruntime-web gives the same actions within 1e-5, with the provenance in the metadata', async () => {
    const out = join(dir, 'policy.onnx');
    const r = await cli(['export', '--checkpoint', join(dir, 'run', 'checkpoint.ddpg'), '--out', out, '--format', 'onnx']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^wrote ${out}: onnx, ${statSync(out).size} bytes; obs float32 \\[N, 3\\] → action float32 \\[N, 1\\] in \\[-2, 2\\]`));
    const bytes = readFileSync(out);
    const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
    const x = Float32Array.from(observations.flatMap((o) => [...o]));
    const got = (await session.run({ obs: new ort.Tensor('float32', x, [observations.length, 3]) })).action.data as Float32Array;
    let maxDiff = 0;
    observations.forEach((o, i) => { maxDiff = Math.max(maxDiff, Math.abs(got[i] - policy.act(o)[0])); });
    expect(maxDiff).toBeLessThan(1e-5);
    const text = bytes.toString('latin1');
    for (const s of ['ddpg-wasm', version(), 'Pendulum-v1', 'td3']) expect(text).toContain(s);
  });

  it('wasm: the module, with no imports, gives the same action bits as loadPolicy', async () => {
    const out = join(dir, 'policy.wasm');
    const r = await cli(['export', '--checkpoint', join(dir, 'run'), '--out', out, '--format', 'wasm']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^wrote ${out}: wasm, ${statSync(out).size} bytes; act\\(\\): 3 float32 at obs_ptr\\(\\) → 1 float32 at action_ptr\\(\\)`));
    const module = new WebAssembly.Module(readFileSync(out));
    expect(WebAssembly.Module.imports(module)).toEqual([]);
    const x = new WebAssembly.Instance(module, {}).exports as unknown as {
      memory: WebAssembly.Memory; obs_ptr(): number; action_ptr(): number; act(): void;
    };
    for (const o of observations) {
      new Float32Array(x.memory.buffer, x.obs_ptr(), 3).set(o);
      x.act();
      expect(new Float32Array(x.memory.buffer, x.action_ptr(), 1)[0]).toBe(policy.act(o)[0]);
    }
  });
});

describe('bad input: a clear error and no file left', () => {
  it('an unknown --format is a usage error listing the formats, before anything is read', async () => {
    const folder = tempDir('export-bad-format');
    for (const format of ['tflite', 'ONNX', '', 'toString', '__proto__']) {
      const r = await cli(['export', '--checkpoint', join(dir, 'missing'), '--out', join(folder, 'p'), '--format', format]);
      expect(r.code, format).toBe(2);
      expect(r.stderr.trim().split('\n').at(-1)).toBe(`ddpg-wasm export: --format must be one of policy, onnx, wasm, got '${format}'`);
    }
    expect(filesIn(folder)).toEqual([]);
  });

  it('files that are not a trained agent: each refused naming the file and what it holds, for every format', async () => {
    const folder = tempDir('export-not-agent');
    const rng = seedrandom('not-an-agent');
    const checkpoint = readFileSync(join(dir, 'run', 'checkpoint.ddpg'));
    const inputs: [string, Uint8Array, RegExp][] = [
      ['empty', new Uint8Array(0), /checkpoint|too short|empty/i],
      ['random', Uint8Array.from({ length: 4096 }, () => Math.floor(256 * rng())), /not a ddpg-wasm checkpoint|magic/i],
      ['metrics.csv', readFileSync(join(dir, 'run', 'metrics.csv')), /not a ddpg-wasm checkpoint|magic/i],
      ['truncated', checkpoint.subarray(0, checkpoint.length >> 1), /truncated|length|size/i],
      ['replay-kind', encodeCheckpoint({ kind: 'replay', meta: {}, arrays: { obs: new Float32Array(6) } }), /holds a 'replay', expected a 'policy' or an 'agent'/],
      ['agent-without-actor', encodeCheckpoint({ kind: 'agent', meta: { config: {} }, arrays: {} }), /does not describe its 'actor'/],
    ];
    for (const [name, bytes, message] of inputs) {
      const input = join(folder, `${name}.ddpg`);
      writeFileSync(input, bytes);
      for (const format of ['policy', 'onnx', 'wasm']) {
        const out = join(folder, `out-${name}.${format}`);
        const r = await cli(['export', '--checkpoint', input, '--out', out, '--format', format]);
        expect(r.code, `${name} → ${format}`).toBe(1);
        expect(r.stderr, `${name} → ${format}`).toContain(input);
        expect(r.stderr, `${name} → ${format}`).toMatch(message);
        expect(existsSync(out)).toBe(false);
      }
    }
    expect(filesIn(folder)).toEqual(inputs.map(([n]) => `${n}.ddpg`).sort());
    const missing = await cli(['export', '--checkpoint', join(folder, 'nope'), '--out', join(folder, 'x')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope/);
  });

  it('an output path that cannot be written: plain words naming the path, and nothing left in the folder', async () => {
    const folder = tempDir('export-unwritable');
    writeFileSync(join(folder, 'a-file'), 'x');
    mkdirSync(join(folder, 'a-folder'));
    const cases: [string, RegExp][] = [
      [join(folder, 'no-such-folder', 'p.onnx'), /cannot write .*no-such-folder.*(no such file or folder|ENOENT)/i],
      [join(folder, 'a-file', 'p.onnx'), /cannot write .*a-file.*(not a folder|ENOTDIR)/i],
      [join(folder, 'a-folder'), /cannot write .*a-folder.*(is a folder|EISDIR)/i],
    ];
    for (const format of ['policy', 'onnx', 'wasm']) {
      for (const [out, message] of cases) {
        const r = await cli(['export', '--checkpoint', join(dir, 'run'), '--out', out, '--format', format]);
        expect(r.code, `${format} → ${out}`).toBe(1);
        expect(r.stderr.trim(), `${format} → ${out}`).toMatch(message);
      }
    }
    expect(filesIn(folder)).toEqual(['a-file', 'a-folder']);
    expect(filesIn(join(folder, 'a-folder'))).toEqual([]);
    // Exporting over the checkpoint itself would destroy the run: refused before anything is written.
    const before = readFileSync(join(dir, 'run', 'checkpoint.ddpg'));
    const over = await cli(['export', '--checkpoint', join(dir, 'run'), '--out', join(dir, 'run', 'checkpoint.ddpg'), '--format', 'onnx']);
    expect(over.code).toBe(2);
    expect(over.stderr.trim().split('\n').at(-1)).toMatch(/is the checkpoint being exported/);
    expect(readFileSync(join(dir, 'run', 'checkpoint.ddpg')).equals(before)).toBe(true);
  });
});
