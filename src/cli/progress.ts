// A live progress line: steps, steps/s, last and mean episode return, ETA. Redrawn in place on a TTY,
// printed every 10% of the run otherwise.
export class Progress {
  private readonly start = performance.now();
  private lastDraw = 0;
  private lastPrintedDecile = -1;
  private lastPrintedStep = -1;
  private lastReturn = NaN;
  private recent: number[] = [];

  constructor(private readonly total: number, private readonly startStep: number, private readonly out: NodeJS.WriteStream = process.stderr) {}

  episode(ret: number): void {
    this.lastReturn = ret;
    this.recent.push(ret);
    if (this.recent.length > 10) this.recent.shift();
  }

  tick(step: number, force = false): void {
    const now = performance.now();
    const tty = this.out.isTTY;
    const decile = Math.floor((10 * step) / this.total);
    if (!force && (tty ? now - this.lastDraw < 250 : decile === this.lastPrintedDecile)) return;
    if (!tty && step === this.lastPrintedStep) return; // the final forced line would repeat the last one
    this.lastPrintedStep = step;
    this.lastDraw = now;
    this.lastPrintedDecile = decile;
    const secs = (now - this.start) / 1000;
    const rate = (step - this.startStep) / Math.max(secs, 1e-9);
    const eta = rate > 0 ? (this.total - step) / rate : Infinity;
    const mean = this.recent.length ? this.recent.reduce((a, b) => a + b, 0) / this.recent.length : NaN;
    const line = `step ${step}/${this.total}  ${rate.toFixed(0)} steps/s  last return ${fmt(this.lastReturn)}  mean(10) ${fmt(mean)}  ETA ${Number.isFinite(eta) ? eta.toFixed(0) + 's' : '?'}`;
    this.out.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
  }

  done(): void {
    if (this.out.isTTY) this.out.write('\n');
  }

  elapsedSeconds(): number {
    return (performance.now() - this.start) / 1000;
  }
}

function fmt(v: number): string {
  return Number.isFinite(v) ? v.toFixed(1) : '–';
}
