// MuJoCo's warning counters of one MjData (mjData.warning[i].number, cleared by mj_resetData). A step whose
// counters grew hit a MuJoCo warning: bad qpos/qvel/qacc (MuJoCo then resets the state by itself — the
// "silent" reset this project refuses), a full contact or constraint buffer, a bad ctrl (MuJoCo zeroes it).
// total() is allocation-free where the loader's probe validated the raw layout; otherwise it goes through
// the bindings' `data.warning` vector (a few small objects per call). That vector belongs to the MjData
// (never delete it); its get(i) returns a copy (deleted after use).
import type { MjData } from '@mujoco/mujoco';
import { warningCounters, type MujocoRuntime } from './loader.js';

export class WarningWatch {
  private raw: Int32Array;

  constructor(private readonly rt: MujocoRuntime, private readonly data: MjData) {
    this.raw = this.view();
  }

  /** Sum of all warning counters. */
  total(): number {
    if (!this.rt.rawWarnings) return this.sumThroughBindings();
    if (this.raw.length === 0) this.raw = this.view(); // the module's memory grew: the old view is empty
    let n = 0;
    for (let i = 1; i < this.raw.length; i += 2) n += this.raw[i];
    return n;
  }

  /** "BADQACC ×1 (last at index 3)", for the warnings with a non-zero counter. */
  describe(): string {
    const parts: string[] = [];
    const vec = this.data.warning;
    for (let i = 0; i < vec.size(); i++) {
      const w = vec.get(i)!;
      if (w.number > 0) parts.push(`${this.rt.warningNames[i] ?? `warning ${i}`} ×${w.number} (last at index ${w.lastinfo})`);
      w.delete();
    }
    return parts.join(', ') || 'no warning';
  }

  private view(): Int32Array {
    return this.rt.rawWarnings ? warningCounters(this.data, this.rt.warningNames.length) : new Int32Array(0);
  }

  private sumThroughBindings(): number {
    const vec = this.data.warning;
    let n = 0;
    for (let i = 0; i < vec.size(); i++) {
      const w = vec.get(i)!;
      n += w.number;
      w.delete();
    }
    return n;
  }
}
