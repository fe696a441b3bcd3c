// A live progress line: steps, steps/s, last and mean episode return, ETA. Redrawn in place on a TTY,
// printed every 10% of the run otherwise. The rate and the ETA come from the recent throughput (the last
// WINDOW_MS of steps), not from the average since the start: the random-action phase before learningStarts
// is many times faster than training, and a resumed run starts its clock late.
const WINDOW_MS = 10_000;

export class Progress {
  private readonly start = performance.now();
  private lastDraw = 0;
  private lastPrintedDecile = -1;
  private lastPrintedStep = -1;
  private lastReturn = NaN;
  private recent: number[] = [];
  /** (time, step) samples of the last WINDOW_MS, oldest first. */
  private readonly samples: { t: number; step: number }[] = [];

  constructor(private readonly total: number, private readonly startStep: number, private readonly out: NodeJS.WriteStream = process.stderr) {
    this.samples.push({ t: this.start, step: startStep });
  }

  episode(ret: number): void {
    this.lastReturn = ret;
    this.recent.push(ret);
    if (this.recent.length > 10) this.recent.shift();
  }

  /** Steps per second over the recent window. */
  rate(now = performance.now()): number {
    const first = this.samples[0], last = this.samples[this.samples.length - 1];
    const dt = (Math.max(now, last.t) - first.t) / 1000;
    return dt > 0 ? (last.step - first.step) / dt : 0;
  }

  tick(step: number, force = false): void {
    const now = performance.now();
    this.sample(now, step);
    const tty = this.out.isTTY;
    const decile = Math.floor((10 * step) / this.total);
    if (!force && (tty ? now - this.lastDraw < 250 : decile === this.lastPrintedDecile)) return;
    if (!tty && step === this.lastPrintedStep) return; // the final forced line would repeat the last one
    this.lastPrintedStep = step;
    this.lastDraw = now;
    this.lastPrintedDecile = decile;
    const rate = this.rate(now);
    const eta = rate > 0 ? (this.total - step) / rate : Infinity;
    const mean = this.recent.length ? this.recent.reduce((a, b) => a + b, 0) / this.recent.length : NaN;
    const line = `step ${step}/${this.total}  ${rate.toFixed(0)} steps/s  last return ${fmt(this.lastReturn)}  mean(10) ${fmt(mean)}  ETA ${formatEta(eta)}`;
    this.out.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
  }

  /** A line of its own (a periodic evaluation's result): on a TTY it replaces the progress line, which the next
   *  tick draws again below it. */
  note(line: string): void {
    this.out.write(this.out.isTTY ? `\r${line}\x1b[K\n` : `${line}\n`);
    this.lastDraw = 0;
  }

  done(): void {
    if (this.out.isTTY) this.out.write('\n');
  }

  elapsedSeconds(): number {
    return (performance.now() - this.start) / 1000;
  }

  private sample(now: number, step: number): void {
    const last = this.samples[this.samples.length - 1];
    if (now - last.t < 100) return; // at most ten samples a second
    this.samples.push({ t: now, step });
    while (this.samples.length > 2 && now - this.samples[1].t > WINDOW_MS) this.samples.shift();
  }
}

function fmt(v: number): string {
  return Number.isFinite(v) ? v.toFixed(1) : '–';
}

/** 42s, 7m05s, 2h03m. */
export function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
