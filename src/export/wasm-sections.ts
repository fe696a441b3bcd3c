// A small reader/writer of the WebAssembly binary format (core spec 1.0 + bulk memory's data count section),
// for exactly what `export --format wasm` needs: list a module's sections, read its type / function / import /
// export / memory / data sections to check it is the policy runtime, and write a copy with one more active
// data segment and a larger memory. Every other byte of the module is copied unchanged.
//
// Binary format in brief (https://webassembly.github.io/spec/core/binary/):
//   module  = magic "\0asm", version 1 (u32 little-endian), then sections
//   section = id (1 byte), size (u32 LEB128), content (size bytes); ids 1 type … 11 data, 12 data count,
//             0 custom (anywhere). Non-custom sections appear at most once, in the order
//             type 1, import 2, function 3, table 4, memory 5, global 6, export 7, start 8, element 9,
//             data count 12, code 10, data 11.
//   vectors = count (u32 LEB128), then the elements
//   LEB128  = 7 bits per byte, low bits first, high bit set on every byte but the last (signed: sign-extended
//             from the last byte's bit 6)
import { DdpgInputError } from '../errors.js';

/** A module that is not well-formed WebAssembly, or not the module expected. */
export class WasmFormatError extends DdpgInputError {
  override name = 'WasmFormatError';
}

export const SECTION = { custom: 0, type: 1, import: 2, function: 3, table: 4, memory: 5, global: 6, export: 7,
  start: 8, element: 9, code: 10, data: 11, dataCount: 12 } as const;

/** Where non-custom sections must appear, by id (the data count section sits between element and code). */
const SECTION_ORDER: Record<number, number> = { 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6, 7: 7, 8: 8, 9: 9, 12: 10, 10: 11, 11: 12 };

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
export const WASM_PAGE_BYTES = 65536;

export interface Section {
  id: number;
  /** Byte offset of the id byte (the whole section is bytes[start, end)). */
  start: number;
  /** The content, bytes[contentStart, end). */
  contentStart: number;
  end: number;
}

/** Reads LEB128 integers from `bytes` starting at `pos`, throwing WasmFormatError past `end`. */
export class Reader {
  constructor(readonly bytes: Uint8Array, public pos: number, readonly end: number, private readonly what: string) {}

  fail(problem: string): never {
    throw new WasmFormatError(`${this.what}: ${problem} (at byte ${this.pos})`);
  }

  byte(): number {
    if (this.pos >= this.end) this.fail('unexpected end');
    return this.bytes[this.pos++];
  }

  /** An unsigned LEB128 of at most 32 bits (at most 5 bytes). */
  u32(): number {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.byte();
      if (shift === 28 && (b & 0x70) !== 0) this.fail('LEB128 u32 out of range');
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
    }
    return this.fail('LEB128 u32 longer than 5 bytes');
  }

  /** A signed LEB128 of at most 32 bits (an i32.const immediate). */
  s32(): number {
    let result = 0, shift = 0, b: number;
    do {
      if (shift >= 35) this.fail('LEB128 s32 longer than 5 bytes');
      b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80);
    if (b & 0x40) result -= 2 ** shift; // sign-extend from the last byte's bit 6
    if (result < -(2 ** 31) || result >= 2 ** 31) this.fail('LEB128 s32 out of range');
    return result;
  }

  /** `n` raw bytes (a view). */
  take(n: number): Uint8Array {
    if (n > this.end - this.pos) this.fail(`${n} bytes announced, ${this.end - this.pos} left`);
    const v = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /** A name: u32 length, then UTF-8 bytes. */
  name(): string {
    return new TextDecoder('utf-8', { fatal: true }).decode(this.take(this.u32()));
  }

  done(): boolean { return this.pos === this.end; }
}

export function u32Leb(value: number): number[] {
  if (!(Number.isInteger(value) && value >= 0 && value < 2 ** 32)) throw new RangeError(`u32 LEB128 of ${value}`);
  const out: number[] = [];
  do {
    let b = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) b |= 0x80;
    out.push(b);
  } while (value > 0);
  return out;
}

export function s32Leb(value: number): number[] {
  if (!(Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31)) throw new RangeError(`s32 LEB128 of ${value}`);
  const out: number[] = [];
  for (;;) {
    const b = value & 0x7f;
    value >>= 7; // arithmetic shift: fine for a 32-bit value
    const done = (value === 0 && (b & 0x40) === 0) || (value === -1 && (b & 0x40) !== 0);
    out.push(done ? b : b | 0x80);
    if (done) return out;
  }
}

/** The sections of a module, checked for the header, sizes within bounds and the order of non-custom sections. */
export function readSections(bytes: Uint8Array, what = 'wasm module'): Section[] {
  if (bytes.length < 8 || HEADER.some((b, i) => bytes[i] !== b)) {
    throw new WasmFormatError(`${what}: not a WebAssembly 1.0 binary (no "\\0asm" magic and version 1)`);
  }
  const r = new Reader(bytes, 8, bytes.length, what);
  const sections: Section[] = [];
  let lastOrder = 0;
  while (!r.done()) {
    const start = r.pos;
    const id = r.byte();
    const size = r.u32();
    const contentStart = r.pos;
    r.take(size);
    if (id !== SECTION.custom) {
      const order = SECTION_ORDER[id];
      if (order === undefined) r.fail(`unknown section id ${id}`);
      if (order <= lastOrder) r.fail(`section id ${id} out of order or repeated`);
      lastOrder = order;
    }
    sections.push({ id, start, contentStart, end: r.pos });
  }
  return sections;
}

export function findSection(sections: readonly Section[], id: number): Section | undefined {
  return sections.find((s) => s.id === id);
}

/** A reader over one section's content (`undefined` section: an empty vector). */
function contentReader(bytes: Uint8Array, s: Section, what: string): Reader {
  return new Reader(bytes, s.contentStart, s.end, what);
}

export interface FuncType { params: number[]; results: number[] }

/** Value type bytes: i32 0x7f, i64 0x7e, f32 0x7d, f64 0x7c, v128 0x7b, funcref 0x70, externref 0x6f. */
export const VALTYPE = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c } as const;
const VALTYPES = new Set([0x7f, 0x7e, 0x7d, 0x7c, 0x7b, 0x70, 0x6f]);

export function readTypes(bytes: Uint8Array, sections: readonly Section[], what: string): FuncType[] {
  const s = findSection(sections, SECTION.type);
  if (!s) return [];
  const r = contentReader(bytes, s, `${what} type section`);
  const types: FuncType[] = [];
  const vec = () => Array.from({ length: r.u32() }, () => {
    const t = r.byte();
    if (!VALTYPES.has(t)) r.fail(`value type 0x${t.toString(16)} is not a plain value type`);
    return t;
  });
  for (let n = r.u32(); n > 0; n--) {
    if (r.byte() !== 0x60) r.fail('type is not a function type (0x60)');
    const params = vec();
    types.push({ params, results: vec() });
  }
  if (!r.done()) r.fail('trailing bytes');
  return types;
}

/** The type index of each function defined in the module (function section). */
export function readFunctionTypeIndices(bytes: Uint8Array, sections: readonly Section[], what: string): number[] {
  const s = findSection(sections, SECTION.function);
  if (!s) return [];
  const r = contentReader(bytes, s, `${what} function section`);
  const out = Array.from({ length: r.u32() }, () => r.u32());
  if (!r.done()) r.fail('trailing bytes');
  return out;
}

/** Number of imports (0 without an import section); their contents are not needed here. */
export function countImports(bytes: Uint8Array, sections: readonly Section[], what: string): number {
  const s = findSection(sections, SECTION.import);
  return s ? contentReader(bytes, s, `${what} import section`).u32() : 0;
}

/** Export kinds: func 0, table 1, memory 2, global 3. */
export const EXTERNAL = { func: 0, table: 1, memory: 2, global: 3 } as const;

export interface Export { name: string; kind: number; index: number }

export function readExports(bytes: Uint8Array, sections: readonly Section[], what: string): Export[] {
  const s = findSection(sections, SECTION.export);
  if (!s) return [];
  const r = contentReader(bytes, s, `${what} export section`);
  const out: Export[] = [];
  for (let n = r.u32(); n > 0; n--) {
    const name = r.name();
    out.push({ name, kind: r.byte(), index: r.u32() });
  }
  if (!r.done()) r.fail('trailing bytes');
  return out;
}

/** A memory type: limits { min, max? } in 64 KiB pages (flags 0: min only, 1: min and max). */
export interface MemoryLimits { min: number; max?: number }

/** The memories declared in the memory section (shared or 64-bit memories are refused). */
export function readMemories(bytes: Uint8Array, sections: readonly Section[], what: string): MemoryLimits[] {
  const s = findSection(sections, SECTION.memory);
  if (!s) return [];
  const r = contentReader(bytes, s, `${what} memory section`);
  const out: MemoryLimits[] = [];
  for (let n = r.u32(); n > 0; n--) {
    const flags = r.byte();
    if (flags !== 0 && flags !== 1) r.fail(`memory limits flags ${flags}: only unshared 32-bit memories (0, 1) are supported`);
    const min = r.u32();
    out.push(flags === 1 ? { min, max: r.u32() } : { min });
  }
  if (!r.done()) r.fail('trailing bytes');
  return out;
}

export function encodeMemorySection(memories: readonly MemoryLimits[]): Uint8Array<ArrayBuffer> {
  const content: number[] = [...u32Leb(memories.length)];
  for (const m of memories) {
    if (m.max === undefined) content.push(0x00, ...u32Leb(m.min));
    else content.push(0x01, ...u32Leb(m.min), ...u32Leb(m.max));
  }
  return encodeSection(SECTION.memory, Uint8Array.from(content));
}

/** A data segment: active ones (mode 0, or 2 with an explicit memory index) have memory and offset. */
export interface DataSegment {
  active: boolean;
  memory?: number;
  /** The i32.const offset of an active segment (other offset expressions are refused). */
  offset?: number;
  size: number;
}

/** The data section's segments and the bytes after its count (the segments, verbatim). */
export function readDataSegments(bytes: Uint8Array, sections: readonly Section[], what: string): { segments: DataSegment[]; body: Uint8Array } {
  const s = findSection(sections, SECTION.data);
  if (!s) return { segments: [], body: new Uint8Array(0) };
  const r = contentReader(bytes, s, `${what} data section`);
  const segments: DataSegment[] = [];
  const n = r.u32();
  const bodyStart = r.pos;
  for (let i = 0; i < n; i++) {
    const mode = r.u32();
    if (mode === 1) { segments.push({ active: false, size: r.take(r.u32()).length }); continue; }
    if (mode !== 0 && mode !== 2) r.fail(`data segment ${i} has mode ${mode}`);
    const memory = mode === 2 ? r.u32() : 0;
    if (r.byte() !== 0x41) r.fail(`data segment ${i}'s offset is not an i32.const expression`);
    const offset = r.s32() >>> 0;
    if (r.byte() !== 0x0b) r.fail(`data segment ${i}'s offset expression is not a single i32.const`);
    segments.push({ active: true, memory, offset, size: r.take(r.u32()).length });
  }
  if (!r.done()) r.fail('trailing bytes');
  return { segments, body: bytes.subarray(bodyStart, s.end) };
}

/** The value of the data count section, or undefined when the module has none. */
export function readDataCount(bytes: Uint8Array, sections: readonly Section[], what: string): number | undefined {
  const s = findSection(sections, SECTION.dataCount);
  if (!s) return undefined;
  const r = contentReader(bytes, s, `${what} data count section`);
  const count = r.u32();
  if (!r.done()) r.fail('trailing bytes');
  return count;
}

/** Mode 0 (active, memory 0) segment: 0x00, i32.const offset, end, then the bytes as a vector. */
export function encodeActiveSegment(offset: number, data: Uint8Array): Uint8Array<ArrayBuffer> {
  const head = [0x00, 0x41, ...s32Leb(offset | 0), 0x0b, ...u32Leb(data.length)];
  const out = new Uint8Array(head.length + data.length);
  out.set(head);
  out.set(data, head.length);
  return out;
}

export function encodeSection(id: number, content: Uint8Array): Uint8Array<ArrayBuffer> {
  const head = [id, ...u32Leb(content.length)];
  const out = new Uint8Array(head.length + content.length);
  out.set(head);
  out.set(content, head.length);
  return out;
}

/** A copy of `bytes` with the sections of the given ids replaced by new encoded sections, and `insert` placed
 *  right after the section with id `insertAfter` (sections are copied verbatim otherwise). */
export function rewriteSections(bytes: Uint8Array, sections: readonly Section[], replace: ReadonlyMap<number, Uint8Array>,
                                insert?: { after: number; section: Uint8Array }): Uint8Array<ArrayBuffer> {
  const parts: Uint8Array[] = [bytes.subarray(0, 8)];
  for (const s of sections) {
    parts.push(replace.get(s.id) ?? bytes.subarray(s.start, s.end));
    if (insert && s.id === insert.after) parts.push(insert.section);
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/**
 * A copy of the module with one more active data segment `data` at byte `offset` of memory 0, the data count
 * section (when present) counting it, and memory 0's initial size (and maximum, if declared and smaller)
 * raised to at least `minPages`. The data section is created after the code section when the module has none.
 */
export function addDataSegment(bytes: Uint8Array, offset: number, data: Uint8Array, minPages: number, what = 'wasm module'): Uint8Array<ArrayBuffer> {
  const sections = readSections(bytes, what);
  const memories = readMemories(bytes, sections, what);
  if (memories.length !== 1) throw new WasmFormatError(`${what}: declares ${memories.length} memories, expected exactly one`);
  const mem = memories[0];
  const grown: MemoryLimits = { min: Math.max(mem.min, minPages), ...(mem.max !== undefined ? { max: Math.max(mem.max, minPages) } : {}) };
  const { segments, body } = readDataSegments(bytes, sections, what);
  const segment = encodeActiveSegment(offset, data);
  const count = u32Leb(segments.length + 1);
  const dataContent = new Uint8Array(count.length + body.length + segment.length);
  dataContent.set(count);
  dataContent.set(body, count.length);
  dataContent.set(segment, count.length + body.length);
  const dataSection = encodeSection(SECTION.data, dataContent);

  const replace = new Map<number, Uint8Array>([[SECTION.memory, encodeMemorySection([grown])]]);
  const dataCount = readDataCount(bytes, sections, what);
  if (dataCount !== undefined) {
    if (dataCount !== segments.length) throw new WasmFormatError(`${what}: data count section says ${dataCount}, the data section holds ${segments.length}`);
    replace.set(SECTION.dataCount, encodeSection(SECTION.dataCount, Uint8Array.from(u32Leb(segments.length + 1))));
  }
  if (findSection(sections, SECTION.data)) {
    replace.set(SECTION.data, dataSection);
    return rewriteSections(bytes, sections, replace);
  }
  if (!findSection(sections, SECTION.code)) throw new WasmFormatError(`${what}: has no code section`);
  return rewriteSections(bytes, sections, replace, { after: SECTION.code, section: dataSection });
}
