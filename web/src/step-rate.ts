// Environment steps per second over the last second, for the pages' steps/s readout (both workers).
export class StepRate {
  private readonly t: number[] = [];
  private readonly steps: number[] = [];

  /** Forgets the history (a new run or mode starts counting afresh). */
  reset(): void {
    this.t.length = 0;
    this.steps.length = 0;
  }

  /** Records the step count now; returns the rate over about the last second. */
  perSecond(steps: number): number {
    const now = performance.now();
    this.t.push(now); this.steps.push(steps);
    while (this.t.length > 2 && now - this.t[0] > 1000) { this.t.shift(); this.steps.shift(); }
    const dt = now - this.t[0];
    return dt > 0 ? ((steps - this.steps[0]) * 1000) / dt : 0;
  }
}
