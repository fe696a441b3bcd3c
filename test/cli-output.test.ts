// What the CLI shows is true: the progress line's rate and ETA come from the recent throughput (not the
// fast random-action phase, not the time before a resume), and the SVG charts have round tick values that
// span the data, every point inside the plot area and the legend above it.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatEta, Progress } from '../src/cli/progress.js';
import { lineChartSvg, niceTicks } from '../src/cli/svg-chart.js';

afterEach(() => { vi.restoreAllMocks(); });

function fakeClock() {
  let now = 0;
  vi.spyOn(performance, 'now').mockImplementation(() => now);
  return { advance: (ms: number) => { now += ms; } };
}

function sink() {
  const lines: string[] = [];
  return { lines, out: { isTTY: false, write: (s: string) => { lines.push(s); return true; } } as unknown as NodeJS.WriteStream };
}

describe('progress ETA', () => {
  it('follows the recent throughput: a fast random phase does not make it say "0s"', () => {
    const clock = fakeClock();
    const { lines, out } = sink();
    const p = new Progress(20_000, 0, out);
    for (let step = 0; step <= 10_000; step += 100) { p.tick(step); clock.advance(10); } // 10k steps/s: random actions
    for (let step = 10_000; step <= 13_000; step += 10) { p.tick(step); clock.advance(100); } // 100 steps/s for 30 s: training
    const rate = p.rate();
    expect(rate).toBeGreaterThan(80);
    expect(rate).toBeLessThan(130);
    p.tick(13_000, true);
    const eta = /ETA (\S+)/.exec(lines.at(-1)!)![1];
    expect(eta).toMatch(/^1m\d\ds$/); // 7000 steps at ~100/s ≈ 70 s, not the "0s" of the average rate
    expect(eta).not.toBe('0s');
  });

  it('a resumed run measures from where it resumed, not from step 0', () => {
    const clock = fakeClock();
    const { out } = sink();
    const p = new Progress(30_000, 20_000, out);
    for (let step = 20_000; step <= 21_000; step += 10) { p.tick(step); clock.advance(100); }
    expect(p.rate()).toBeGreaterThan(90);
    expect(p.rate()).toBeLessThan(110);
  });

  it('formats durations', () => {
    expect([formatEta(42), formatEta(425), formatEta(7380), formatEta(Infinity)]).toEqual(['42s', '7m05s', '2h03m', '?']);
  });
});

describe('chart axes', () => {
  it('ticks are 1, 2 or 5 × 10ᵏ apart, cover the data and not much more', () => {
    const cases: [number, number][] = [[-1622.3, -118.9], [0, 20_000], [0.0013, 0.0097], [-3.2, 4.1], [93.1, 93.7], [5, 5], [-1e6, 3e7]];
    for (const [lo, hi] of cases) {
      const t = niceTicks(lo, hi);
      const step = t[1] - t[0];
      const mantissa = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
      expect([1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-6), `${lo}…${hi}: step ${step}`).toBe(true);
      expect(t[0]).toBeLessThanOrEqual(lo);
      expect(t.at(-1)!).toBeGreaterThanOrEqual(hi);
      if (hi > lo) expect(t.at(-1)! - t[0]).toBeLessThanOrEqual(hi - lo + 2 * step + 1e-9);
      for (let i = 1; i < t.length; i++) expect(t[i] - t[i - 1]).toBeCloseTo(step, 9);
    }
  });

  it('every point lies inside the plot area; the legend sits above it', () => {
    const points = Array.from({ length: 80 }, (_, i) => ({ x: 250 * (i + 1), y: -1600 + 18 * i + (i % 7) * 30 }));
    const svg = lineChartSvg([{ label: 'a', color: '#c33', points }, { label: 'b', color: '#36c', points: points.map((p) => ({ x: p.x, y: p.y - 200 })) }],
      { title: 't', xLabel: 'x', yLabel: 'y' });
    const axis = /<line x1="64" x2="624" y1="([\d.]+)" y2="[\d.]+" stroke="#333"\/><line x1="64" x2="64" y1="([\d.]+)" y2="([\d.]+)"/.exec(svg)!;
    const [bottom, top] = [Number(axis[1]), Number(axis[2])];
    const circles = [...svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)"/g)].map((c) => [Number(c[1]), Number(c[2])]);
    expect(circles).toHaveLength(160);
    for (const [cx, cy] of circles) {
      expect(cx).toBeGreaterThanOrEqual(64); expect(cx).toBeLessThanOrEqual(624);
      expect(cy).toBeGreaterThanOrEqual(top); expect(cy).toBeLessThanOrEqual(bottom);
    }
    const legendYs = [...svg.matchAll(/<text x="624" y="([\d.]+)" text-anchor="end" fill=/g)].map((t) => Number(t[1]));
    expect(legendYs).toHaveLength(2);
    for (const y of legendYs) expect(y).toBeLessThan(top);
    const tickLabels = [...svg.matchAll(/text-anchor="end">([^<]+)<\/text>/g)].map((t) => t[1]).filter((t) => !t.startsWith('●'));
    expect(tickLabels).toEqual(['-2k', '-1.5k', '-1k', '-500', '0']); // the data: −1800 … −58
  });
});
