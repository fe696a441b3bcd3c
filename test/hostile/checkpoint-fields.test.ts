// Hostile checkpoint and policy files, field by field: every leaf of a real training checkpoint's header (a TD3
// run with observation normalization, OU noise and --log-grads, so every kind of state is present) and of an
// exported policy is replaced by values of the wrong type (string, boolean, null, array, object), by a number
// of the wrong kind (fractional, negative, huge) and by deep nesting, the checksums fixed up so that only the
// field checks can catch it. Each file goes through the whole resume path (decode, run state, agent, trainer
// and env restore) or loadPolicy: a value of another type must be refused with CheckpointError naming the
// file; a number of the right type is refused the same way or accepted — never another error, never a hang.
// Also: deep JSON, a field missing, and huge files that are refused without being read whole.
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { crc32 } from '../../src/checkpoint/crc32.js';
import { loadCheckpoint } from '../../src/checkpoint/file.js';
import { CheckpointError, decodeCheckpoint } from '../../src/checkpoint/format.js';
import { loadRun, trainCommand } from '../../src/cli/train.js';
import { DivergenceError, encodePolicy, loadEngine, loadPolicy, type Engine } from '../../src/index.js';
import { tempDir } from '../helpers/cli.js';
import { FUZZ_SCALE as SCALE } from './fuzz-scale.js'; // npm run fuzz: more replacement values and every array index

let engine: Engine;
let checkpoint: Uint8Array;
let policy: Uint8Array;

beforeAll(async () => {
  engine = await loadEngine();
  const dir = tempDir('hostile-fields');
  expect(await trainCommand(['--algo', 'td3', '--actor-hidden', '6', '--critic-hidden', '5', '--batch-size', '8', '--buffer-size', '600',
    '--learning-starts', '200', '--noise', 'ou', '--obs-normalization', '--log-grads', '--steps', '450', '--seed', '2', '--quiet',
    '--eval-episodes', '0', '--out', dir])).toBe(0);
  checkpoint = readFileSync(join(dir, 'checkpoint.ddpg'));
  const { agent } = await loadRun(engine, join(dir, 'checkpoint.ddpg'));
  policy = encodePolicy(agent, { env: 'Pendulum-v1', steps: 450 });
});

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function splitFile(bytes: Uint8Array): { header: Record<string, Json>; payload: Uint8Array } {
  const hLen = new DataView(bytes.buffer, bytes.byteOffset).getUint32(12, true);
  return { header: JSON.parse(new TextDecoder().decode(bytes.subarray(20, 20 + hLen))), payload: bytes.subarray((20 + hLen + 3) & ~3) };
}

/** A file with this header text and the original payload, both checksums valid. */
function withHeaderText(original: Uint8Array, text: string): Uint8Array {
  const { payload } = splitFile(original);
  const hb = new TextEncoder().encode(text);
  const out = new Uint8Array(((20 + hb.length + 3) & ~3) + payload.length);
  out.set(original.subarray(0, 12));
  new DataView(out.buffer).setUint32(12, hb.length, true);
  new DataView(out.buffer).setUint32(16, crc32(hb), true);
  out.set(hb, 20);
  out.set(payload, (20 + hb.length + 3) & ~3);
  return out;
}

/** Paths to every leaf (and every container) under meta; long arrays contribute their first and last entry. */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = prefix.length ? [prefix] : [];
  if (Array.isArray(value)) {
    const idx = value.length > 4 && SCALE === 1 ? [0, value.length - 1] : value.map((_, i) => i);
    for (const i of idx) out.push(...paths(value[i], [...prefix, i]));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  }
  return out;
}

function setAt(root: Json, path: (string | number)[], v: Json): void {
  let o = root as Record<string | number, Json>;
  for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, Json>;
  o[path.at(-1)!] = v;
}
const getAt = (root: Json, path: (string | number)[]) => path.reduce<Json>((o, k) => (o as Record<string | number, Json>)[k], root);
const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

const REPLACEMENTS: Json[] = ['7', true, null, [], {}, -1.5, 1e300, 0, ...(SCALE > 1 ? ['', [1, 2], { a: 1 }, -0.0, 2 ** 53, -1e-300, 1] : [])];

/** The file `bytes` once for every header leaf under meta and every REPLACEMENTS value that differs from it. */
function* replacedFiles(bytes: Uint8Array): Generator<{ path: (string | number)[]; original: Json; r: Json; bytes: Uint8Array }> {
  const { header } = splitFile(bytes);
  for (const path of paths(header.meta as Json, ['meta'])) {
    const original = getAt(header, path);
    for (const r of REPLACEMENTS) {
      if (JSON.stringify(r) === JSON.stringify(original)) continue;
      const h = structuredClone(header);
      setAt(h, path, r);
      yield { path, original, r, bytes: withHeaderText(bytes, JSON.stringify(h)) };
    }
  }
}

async function resumeOutcome(bytes: Uint8Array): Promise<'refused' | 'accepted' | 'diverged' | string> {
  try {
    const content = decodeCheckpoint(bytes, 'hostile.ddpg');
    const { trainer } = await loadRun(engine, 'hostile.ddpg', content);
    trainer.run(trainer.step + 30); // and it runs
    return 'accepted';
  } catch (e) {
    if (e instanceof CheckpointError && e.message.startsWith('checkpoint hostile.ddpg: ')) return 'refused';
    if (e instanceof DivergenceError) return 'diverged'; // a legal but wild value (criticLr 2^53): the guard stops it
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
}

describe('every field of a training checkpoint, replaced', () => {
  it('is refused with CheckpointError when its type changes, and never breaks the loader otherwise', async () => {
    const { header } = splitFile(checkpoint);
    const leaves = paths(header.meta as Json, ['meta']);
    let tried = 0;
    const wrong: string[] = [];
    for (const { path, original, r, bytes } of replacedFiles(checkpoint)) {
      const outcome = await resumeOutcome(bytes);
      tried++;
      const where = `${path.join('.')} = ${JSON.stringify(r)} (was ${JSON.stringify(original)?.slice(0, 30)})`;
      const typeChanged = kind(r) !== kind(original) && !(path.at(-1) === 'spare' && (r === null || typeof r === 'number'));
      const optional = ['note', 'paramCount'].includes(String(path.at(-1))) || path[1] === 'networks'; // informational fields
      if (outcome !== 'refused' && outcome !== 'accepted' && outcome !== 'diverged') wrong.push(`${where}: ${outcome}`);
      else if (typeChanged && !optional && outcome !== 'refused') wrong.push(`${where}: ${outcome}`);
    }
    console.log(`hostile checkpoint fields: ${leaves.length} fields × replacements = ${tried} files through the resume path`);
    expect(wrong).toEqual([]);
    expect(tried).toBeGreaterThan(500);
  });

  it('a missing part is an error, never a silently inexact resume', async () => {
    const { header } = splitFile(checkpoint);
    const meta = header.meta as Record<string, Json>;
    const parts: (string | number)[][] = [
      ...Object.keys(meta).filter((k) => k !== 'networks').map((k) => [k]),
      ...Object.keys(meta.randomStreams as object).map((k) => ['randomStreams', k]),
      ...Object.keys(meta.optimizers as object).map((k) => ['optimizers', k]),
      ...Object.keys((meta.run as Record<string, Json>)).map((k) => ['run', k]),
      ...Object.keys(((meta.run as Record<string, Json>).trainer as object)).map((k) => ['run', 'trainer', k]),
    ];
    const wrong: string[] = [];
    for (const path of parts) {
      const h = structuredClone(header);
      const parent = getAt(h.meta as Json, path.slice(0, -1)) as Record<string, Json>;
      delete parent[path.at(-1)!];
      const outcome = await resumeOutcome(withHeaderText(checkpoint, JSON.stringify(h)));
      if (outcome !== 'refused' && !(path[0] === 'run' && path[1] === 'wallSeconds')) wrong.push(`${path.join('.')} missing: ${outcome}`);
    }
    console.log(`hostile checkpoints with a part missing: ${parts.length}`);
    expect(wrong).toEqual([]);
  });

  it('deeply nested JSON in a header neither crashes the loader nor a later checkpoint write', async () => {
    const { header } = splitFile(checkpoint);
    for (const depth of [1_000, 100_000]) {
      const deep = '['.repeat(depth) + ']'.repeat(depth);
      const text = JSON.stringify(header).replace('"run":{', `"run":{"junk":${deep},`);
      const outcome = await resumeOutcome(withHeaderText(checkpoint, text));
      expect(['refused', 'accepted']).toContain(outcome);
      if (outcome === 'accepted') {
        // The unknown key is dropped when the run state is read: the next checkpoint is written without it.
        const dir = tempDir('deep');
        writeFileSync(join(dir, 'checkpoint.ddpg'), withHeaderText(checkpoint, text));
        expect(await trainCommand(['--resume', dir, '--steps', '480', '--quiet'])).toBe(0);
        expect(loadCheckpoint(join(dir, 'checkpoint.ddpg')).meta.run).not.toHaveProperty('junk');
      }
    }
  });
});

describe('every field of a policy file, replaced', () => {
  it('is refused with CheckpointError when its type changes', async () => {
    let tried = 0;
    const wrong: string[] = [];
    for (const { path, original, r, bytes } of replacedFiles(policy)) {
      tried++;
      const error = await loadPolicy(bytes, engine, 'hostile.bin').then((p) => { p.act([0.1, 0.2, 0.3]); return undefined; }, (e: unknown) => e);
      const where = `${path.join('.')} = ${JSON.stringify(r)}`;
      const provenance = ['env', 'steps', 'algorithm'].includes(String(path[1]));
      if (error !== undefined && !(error instanceof CheckpointError)) wrong.push(`${where}: ${String(error)}`);
      else if (error === undefined && kind(r) !== kind(original) && !provenance) wrong.push(`${where}: accepted`);
    }
    console.log(`hostile policy fields: ${tried} files`);
    expect(wrong).toEqual([]);
  });
});

describe('huge files', () => {
  it('are refused from their first bytes, without being read whole (3 GiB, sparse)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ddpg-huge-'));
    const hLen = new DataView(checkpoint.buffer, checkpoint.byteOffset).getUint32(12, true);
    const cases: [string, Uint8Array][] = [['not a checkpoint', new TextEncoder().encode('PK\u0003\u0004 a zip file, say')], ['a real header', checkpoint.subarray(0, 20 + hLen + 64)]];
    for (const [what, head] of cases) {
      const path = join(dir, 'huge.ddpg');
      writeFileSync(path, head);
      const fd = openSync(path, 'r+');
      ftruncateSync(fd, 3 * 2 ** 30);
      closeSync(fd);
      const rss = process.memoryUsage().rss, t0 = performance.now();
      expect(() => loadCheckpoint(path), what).toThrow(CheckpointError);
      expect(performance.now() - t0, what).toBeLessThan(2000);
      expect(process.memoryUsage().rss - rss, what).toBeLessThan(256 * 2 ** 20);
    }
    expect(() => loadCheckpoint(join(dir, 'huge.ddpg'))).toThrow(/unexpected bytes after the payload/);
  });
});
