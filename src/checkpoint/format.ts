// The checkpoint file format, version 2 (docs/checkpoint-format.md). Pure bytes in, bytes out: no file
// system, so it also runs in browsers and workers. Files of version 1 (ddpg-wasm 0.1) are read too: their
// content comes back in version 2's names (format1.ts).
//
//   offset  size  field
//   0       8     magic "DDPGWASM"
//   8       4     format version, u32 little-endian (2)
//   12      4     header length H in bytes, u32 LE
//   16      4     CRC-32 of the header bytes, u32 LE
//   20      H     header: UTF-8 JSON { kind, arrays: [{ name, length }], payloadBytes, payloadCrc32, meta }
//   …             zero padding to a multiple of 4
//   P       …     payload: the float32 arrays of `arrays`, in order, little-endian
// Every read checks all of it and throws CheckpointError naming the source and the problem.

import { crc32 } from './crc32.js';
import { upgradeFormat1 } from './format1.js';

export const MAGIC = 'DDPGWASM';
export const FORMAT_VERSION = 2;
/** The versions decodeCheckpoint reads. */
export const READABLE_VERSIONS: readonly number[] = [1, 2];
const PREFIX = 20;

export class CheckpointError extends Error {
  override name = 'CheckpointError';
  constructor(readonly source: string, problem: string) {
    super(`checkpoint ${source}: ${problem}`);
  }
}

export interface CheckpointContent {
  /** What the file holds: 'agent' (a training run) or 'policy' (an exported actor). */
  kind: string;
  /** Plain-JSON data: config, counters, RNG states, … */
  meta: Record<string, unknown>;
  arrays: Record<string, Float32Array>;
  /** The format version of the file it was decoded from (set by decodeCheckpoint; always written as the
   *  current FORMAT_VERSION). */
  formatVersion?: number;
}

export interface Header {
  kind: string;
  arrays: { name: string; length: number }[];
  payloadBytes: number;
  payloadCrc32: number;
  meta: Record<string, unknown>;
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function encodeCheckpoint(content: CheckpointContent): Uint8Array {
  if (!content || typeof content !== 'object' || typeof content.kind !== 'string' || !content.meta || typeof content.meta !== 'object' ||
      !content.arrays || typeof content.arrays !== 'object') {
    throw new CheckpointError('<encode>', 'content must be { kind: string, meta: object, arrays: { name: Float32Array } }');
  }
  for (const [name, a] of Object.entries(content.arrays)) {
    if (!(a instanceof Float32Array)) throw new CheckpointError('<encode>', `array '${name}' must be a Float32Array`);
  }
  const names = Object.keys(content.arrays);
  const payloadBytes = names.reduce((s, n) => s + 4 * content.arrays[n].length, 0);
  const payload = new Uint8Array(payloadBytes);
  let off = 0;
  for (const n of names) {
    const a = content.arrays[n];
    writeF32(payload, off, a);
    off += 4 * a.length;
  }
  const header: Header = {
    kind: content.kind,
    arrays: names.map((name) => ({ name, length: content.arrays[name].length })),
    payloadBytes,
    payloadCrc32: crc32(payload),
    meta: content.meta,
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const payloadOffset = align4(PREFIX + headerBytes.length);
  const out = new Uint8Array(payloadOffset + payloadBytes);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode(MAGIC), 0);
  view.setUint32(8, FORMAT_VERSION, true);
  view.setUint32(12, headerBytes.length, true);
  view.setUint32(16, crc32(headerBytes), true);
  out.set(headerBytes, PREFIX);
  out.set(payload, payloadOffset);
  return out;
}

/** The header of a file from its first bytes (the prefix and the header: PREFIX + header length, which the
 *  prefix gives), checked up to what the payload must be: the size the whole file has to have. So a caller can
 *  refuse a file of the wrong size without reading it whole (src/checkpoint/file.ts). */
export function decodeHeader(bytes: Uint8Array, source = '<bytes>'): { header: Header; headerLength: number; version: number; fileSize: number } {
  const bad = (problem: string): never => { throw new CheckpointError(source, problem); };
  if (!(bytes instanceof Uint8Array)) bad('expected the file bytes as a Uint8Array');
  if (bytes.length < PREFIX) bad(`file is truncated: ${bytes.length} bytes, shorter than the ${PREFIX}-byte prefix`);
  const magic = new TextDecoder().decode(bytes.subarray(0, 8));
  if (magic !== MAGIC) bad(`wrong magic ${JSON.stringify(magic)}, expected "${MAGIC}" — not a ddpg-wasm checkpoint`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (!READABLE_VERSIONS.includes(version)) bad(`format version ${version} is not supported (this ddpg-wasm reads versions ${READABLE_VERSIONS.join(' and ')})`);
  const headerLength = view.getUint32(12, true);
  if (PREFIX + headerLength > bytes.length) bad(`file is truncated: header needs ${headerLength} bytes, only ${bytes.length - PREFIX} present`);
  const headerBytes = bytes.subarray(PREFIX, PREFIX + headerLength);
  if (crc32(headerBytes) !== view.getUint32(16, true)) bad('header checksum mismatch: the header is corrupt');
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes)) as Header;
  } catch (e) {
    return bad(`header is not valid JSON (${(e as Error).message})`);
  }
  if (!header || typeof header !== 'object' || typeof header.kind !== 'string' || !Array.isArray(header.arrays) ||
      !Number.isSafeInteger(header.payloadBytes) || !Number.isInteger(header.payloadCrc32) || typeof header.meta !== 'object' || header.meta === null) {
    bad('header is missing fields (kind, arrays, payloadBytes, payloadCrc32, meta)');
  }
  let total = 0;
  for (const a of header.arrays) {
    if (!a || typeof a.name !== 'string' || !Number.isSafeInteger(a.length) || a.length < 0) bad(`header lists a malformed array ${JSON.stringify(a)?.slice(0, 80)}`);
    total += 4 * a.length;
  }
  if (total !== header.payloadBytes) bad(`header arrays add up to ${total} bytes but payloadBytes says ${header.payloadBytes}`);
  return { header, headerLength, version, fileSize: align4(PREFIX + headerLength) + header.payloadBytes };
}

export function decodeCheckpoint(bytes: Uint8Array, source = '<bytes>'): CheckpointContent {
  const bad = (problem: string): never => { throw new CheckpointError(source, problem); };
  const { header, headerLength, version } = decodeHeader(bytes, source);
  const payloadOffset = align4(PREFIX + headerLength);
  for (let i = PREFIX + headerLength; i < Math.min(payloadOffset, bytes.length); i++) {
    if (bytes[i] !== 0) bad(`padding byte ${i} after the header is ${bytes[i]}, expected 0: the file is corrupt`);
  }
  const have = bytes.length - payloadOffset;
  if (have !== header.payloadBytes) {
    bad(have < header.payloadBytes ? `file is truncated: payload has ${Math.max(0, have)} of ${header.payloadBytes} bytes`
      : `file has ${have - header.payloadBytes} unexpected bytes after the payload`);
  }
  const payload = bytes.subarray(payloadOffset);
  if (crc32(payload) !== header.payloadCrc32) bad('payload checksum mismatch: the data is corrupt');
  const arrays: Record<string, Float32Array> = {};
  let off = 0;
  for (const a of header.arrays) {
    if (a.name in arrays) bad(`array '${a.name}' is listed twice`);
    arrays[a.name] = readF32(payload, off, a.length);
    off += 4 * a.length;
  }
  const content: CheckpointContent = { kind: header.kind, meta: header.meta, arrays };
  return { ...(version === 1 ? upgradeFormat1(content) : content), formatVersion: version };
}

function align4(n: number): number {
  return (n + 3) & ~3;
}

function writeF32(dst: Uint8Array, off: number, a: Float32Array): void {
  if (littleEndian) { dst.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), off); return; }
  const v = new DataView(dst.buffer, dst.byteOffset);
  for (let i = 0; i < a.length; i++) v.setFloat32(off + 4 * i, a[i], true);
}

function readF32(src: Uint8Array, off: number, length: number): Float32Array {
  const out = new Float32Array(length);
  if (littleEndian) { new Uint8Array(out.buffer).set(src.subarray(off, off + 4 * length)); return out; }
  const v = new DataView(src.buffer, src.byteOffset);
  for (let i = 0; i < length; i++) out[i] = v.getFloat32(off + 4 * i, true);
  return out;
}
