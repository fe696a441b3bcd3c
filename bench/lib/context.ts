// What every benchmark section gets: the engine (build/engine.wasm, what the library runs), the test and
// benchmark build with the single kernels exported (build/kernels.wasm, for the GEMM and peak sections),
// timing options, the tfjs backends (switched on demand) and the rows it produces for the table.
import type { Engine } from '../../src/index.js';
import type { KernelExports } from '../../src/engine/abi.js';
import { setupTf, type TfBackendName, type TfSetup } from '../tfjs-util.js';
import { runGroups, type Case, type Group, type Stat, type TimingOptions } from './harness.js';

export const IMPLS = ['ours', 'tfjs-wasm', 'tfjs-cpu'] as const;
export type Impl = (typeof IMPLS)[number];
export const PEERS = ['tfjs-wasm', 'tfjs-cpu'] as const;

export interface Row {
  section: string;
  /** Case name, e.g. 'X·W 256×256×256'. */
  name: string;
  /** Flops of one call (matmul multiply-adds × 2), when meaningful. */
  flops?: number;
  /** Unit of one call for the ops/s column ('call', 'step', 'update', 'action'). */
  unit: string;
  stats: Partial<Record<Impl, Stat>>;
  /** Section-specific figures (e.g. a target check, a loss agreement). */
  extra?: Record<string, unknown>;
}

export interface Section {
  title: string;
  /** How FLOP is counted in this section (printed above its rows). */
  flopFormula?: string;
  rows: Row[];
  notes: string[];
}

export class BenchContext {
  readonly tfDescriptions: Partial<Record<TfBackendName, string>> = {};
  readonly tfNotes = new Set<string>();
  /** GFLOP/s of every timed call of the peak kernel; the peak is the best of them. */
  readonly peakSamples: number[] = [];
  private peakCall?: () => number;

  constructor(readonly engine: Engine, readonly kernels: Engine, readonly timing: TimingOptions, readonly quick: boolean) {}

  /** The single kernels (of the kernels build, which also holds the library's ABI). */
  get kernelExports(): KernelExports {
    return this.kernels.runtime.wasm as KernelExports;
  }

  /** Best GFLOP/s of the peak microbenchmark so far. */
  get peakGflops(): number {
    return Math.max(...this.peakSamples);
  }

  /** `call` runs the peak kernel once and returns its flops (see cases/peak.ts). */
  setPeakCall(call: () => number): void {
    this.peakCall = call;
  }

  /** The peak kernel is timed again before every section (machine load varies): `calls` calls of ~0.5 ms,
   *  each timed on its own — a benchmark.js sample would average several and hide the best. */
  samplePeak(calls = this.quick ? 20 : 60): void {
    if (!this.peakCall) return;
    for (let i = 0; i < calls; i++) {
      const t = performance.now();
      const flops = this.peakCall();
      this.peakSamples.push(flops / ((performance.now() - t) * 1e-3) / 1e9);
    }
  }

  /** Makes `backend` the active tfjs backend; create tensors and variables after this. */
  async tf(backend: TfBackendName): Promise<TfSetup['tf']> {
    const setup = await setupTf(backend);
    this.tfDescriptions[backend] = setup.description;
    for (const n of setup.notes) this.tfNotes.add(`${backend}: ${n}`);
    return setup.tf;
  }

  /** A tfjs group: switches to its backend before each round and reports tensors leaked by a round. */
  tfGroup(impl: Exclude<Impl, 'ours'>, cases: Case[], notes: string[]): Group {
    let tf: TfSetup['tf'] | undefined;
    let before = 0;
    return {
      impl, cases,
      activate: async () => { tf = await this.tf(backendOf(impl)); before = tf.memory().numTensors; },
      afterRound: () => {
        const leaked = tf!.memory().numTensors - before;
        if (leaked !== 0) notes.push(`${impl}: ${leaked} tensors leaked in a round`);
      },
    };
  }

  /** Samples the peak, then runs the groups in interleaved rounds. */
  async run(groups: Group[]): Promise<Record<string, Stat>> {
    this.samplePeak();
    return runGroups(groups, this.timing, (impl) => this.timingFor(impl));
  }

  /** Fewer samples and warm-up calls for tfjs-cpu, whose single call can take half a second. */
  timingFor(impl: string): TimingOptions {
    return impl === 'tfjs-cpu' ? { ...this.timing, minSamples: Math.max(2, this.timing.minSamples - 2), warmup: 1 } : this.timing;
  }
}

export const backendOf = (impl: Exclude<Impl, 'ours'>): TfBackendName => (impl === 'tfjs-wasm' ? 'wasm' : 'cpu');

/** 2·B·Σ_l in_l·out_l: the matmul flops of one forward pass of `layers` at batch B. */
export function forwardFlops(layers: readonly { in: number; out: number }[], batch: number): number {
  return 2 * batch * layers.reduce((s, l) => s + l.in * l.out, 0);
}
