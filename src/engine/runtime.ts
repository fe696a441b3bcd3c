// The only code that knows the WASM memory layout: a bump arena over linear memory and typed views
// that are refreshed when memory grows (growth detaches the old ArrayBuffer).
import type { EngineExports } from './abi.js';

const PAGE = 65536;
/** wasm32 linear memory: 65536 pages of 64 KiB. */
export const MAX_BYTES = 65536 * PAGE;

/** Bytes the arena takes for an allocation of `floats` 4-byte words: rounded up to 16, at least 16.
 *  Everything that sizes memory ahead (Mlp.memoryBytes, Adam.memoryBytes) adds these up. */
export function arenaBytes(floats: number): number {
  return Math.max(Math.ceil((floats * 4) / 16) * 16, 16);
}

export class Runtime {
  wasm: EngineExports;
  private top: number;
  private buffer: ArrayBuffer;
  private f32View: Float32Array;
  private i32View: Int32Array;
  /** Bumped whenever memory grows, so holders of cached views know to rebuild them. */
  generation = 0;

  constructor(wasm: EngineExports) {
    this.wasm = wasm;
    this.top = wasm.heapBase();
    this.buffer = wasm.memory.buffer;
    this.f32View = new Float32Array(this.buffer);
    this.i32View = new Int32Array(this.buffer);
  }

  /** Reserves `floats` 4-byte words, 16-byte aligned and zeroed; returns the byte offset. Never freed — so
   *  the memory handed out has never been written (WebAssembly memory starts and grows zeroed, and the arena
   *  begins above the module's static data): no fill is needed, and a large allocation costs no time. */
  alloc(floats: number): number {
    const ptr = this.top;
    const end = ptr + arenaBytes(floats);
    const have = this.wasm.memory.buffer.byteLength;
    if (end > have) {
      const pages = Math.ceil((end - have) / PAGE);
      try {
        this.wasm.memory.grow(pages);
      } catch (e) {
        throw new Error(`WASM memory cannot grow to ${(end / 2 ** 20).toFixed(1)} MiB (needed for ${floats} floats): ${String(e)}`);
      }
    }
    this.top = end;
    this.refresh();
    return ptr;
  }

  /** Grows linear memory once so that `bytes` more can be allocated without growing again. */
  reserve(bytes: number): void {
    const need = this.top + bytes;
    const have = this.wasm.memory.buffer.byteLength;
    if (need <= have) return;
    if (need > MAX_BYTES) throw new Error(`WASM memory would need ${(need / 2 ** 20).toFixed(0)} MiB; the limit is ${MAX_BYTES / 2 ** 20} MiB`);
    this.wasm.memory.grow(Math.ceil((need - have) / PAGE));
    this.refresh();
  }

  /** Borrows `floats` words just above the arena for a moment (the kernel calibration, src/engine/kernels.ts):
   *  16-byte aligned, memory grown if needed, the arena's top unchanged. Valid until the next alloc; give them
   *  back with `giveBack`, which zeroes them, so that alloc() still hands out memory never written. */
  borrow(floats: number): number {
    this.reserve(arenaBytes(floats));
    return this.top;
  }

  giveBack(ptr: number, floats: number): void {
    this.f32.fill(0, ptr >>> 2, (ptr >>> 2) + floats);
  }

  /** Bytes of linear memory in use by the arena. */
  get usedBytes(): number { return this.top; }
  get memoryBytes(): number { return this.wasm.memory.buffer.byteLength; }

  get f32(): Float32Array { this.refresh(); return this.f32View; }
  get i32(): Int32Array { this.refresh(); return this.i32View; }

  /** A Float32Array over [ptr, ptr + 4·length). Valid until memory grows (see `generation`). */
  view(ptr: number, length: number): Float32Array {
    this.refresh();
    return new Float32Array(this.buffer, ptr, length);
  }

  private refresh(): void {
    if (this.buffer !== this.wasm.memory.buffer) {
      this.buffer = this.wasm.memory.buffer;
      this.f32View = new Float32Array(this.buffer);
      this.i32View = new Int32Array(this.buffer);
      this.generation++;
    }
  }
}
