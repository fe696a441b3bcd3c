// The demo page: wires the controls to the training worker (worker.ts) and, once per animation frame,
// draws the pendulum and the return curve from the latest worker messages. At load it plays the shipped
// policy (web/assets/pendulum-policy.bin, made by `ddpg-wasm train` + `ddpg-wasm export`).
import { drawPendulum } from './draw-pendulum.js';
import { drawReturns } from './plot.js';
import type { FromWorker, Mode, ToWorker, TrainParams } from './protocol.js';
import { downloadBytes } from './download.js';

const SHIPPED_POLICY = new URL('./assets/pendulum-policy.bin', import.meta.url);

function $<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el as T;
}

const ui = {
  pendulum: $<HTMLCanvasElement>('pendulum'), curve: $<HTMLCanvasElement>('curve'), mode: $('mode'),
  steps: $('steps'), episodes: $('episodes'), stepsPerSec: $('steps-per-sec'), lastReturn: $('last-return'),
  episodeReturn: $('episode-return'), watchReturns: $('watch-returns'), error: $('error'),
  trainToggle: $<HTMLButtonElement>('train-toggle'), reset: $<HTMLButtonElement>('reset'),
  watchShipped: $<HTMLButtonElement>('watch-shipped'), watchAgent: $<HTMLButtonElement>('watch-agent'),
  download: $<HTMLButtonElement>('download'), file: $<HTMLInputElement>('policy-file'),
  speed: $<HTMLSelectElement>('speed'), params: $<HTMLFormElement>('params'),
};

const state = {
  mode: 'idle' as Mode, running: false, label: '',
  trainReturns: [] as number[], watchReturns: [] as number[],
  frame: undefined as Extract<FromWorker, { type: 'frame' }> | undefined,
  frameDirty: true, curveDirty: true,
};

const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
const send = (m: ToWorker, transfer: Transferable[] = []) => { showError(''); worker.postMessage(m, transfer); };
worker.onerror = (e) => showError(`the worker failed: ${e.message}`);

worker.onmessage = (ev: MessageEvent<FromWorker>) => {
  const m = ev.data;
  switch (m.type) {
    case 'ready': document.getElementById('engine-info')!.textContent = m.engine; void watchShipped(); break;
    case 'status':
      state.mode = m.mode; state.running = m.running; state.label = m.label;
      if (m.mode === 'watch') state.watchReturns = [];
      ui.trainToggle.textContent = m.mode === 'train' && m.running ? 'Pause' : 'Start training';
      ui.mode.textContent = m.label;
      break;
    case 'frame': state.frame = m; state.frameDirty = true; break;
    case 'episode':
      if (m.mode === 'train') { state.trainReturns.push(m.return); state.curveDirty = true; }
      else state.watchReturns.push(m.return);
      break;
    case 'policyBytes': downloadBytes(m.bytes, m.name); break;
    case 'error': showError(m.message); break;
  }
};

function showError(message: string): void {
  ui.error.hidden = message === '';
  ui.error.textContent = message;
}

function readParams(): TrainParams | undefined {
  const data = new FormData(ui.params);
  const p: Record<string, number> = {};
  for (const [name, value] of data) {
    const v = Number(value);
    if (String(value).trim() === '' || !Number.isFinite(v)) { showError(`hyper-parameter ${name} must be a number, got '${String(value)}'`); return undefined; }
    p[name] = v;
  }
  return p as unknown as TrainParams;
}

const seed = () => readParams()?.seed ?? 1;
const speed = () => Number(ui.speed.value) || 1;

async function watchShipped(): Promise<void> {
  try {
    const res = await fetch(SHIPPED_POLICY);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const bytes = await res.arrayBuffer();
    send({ type: 'watch', bytes, source: 'pendulum-policy.bin', label: 'trained policy (ddpg-wasm train --seed 1, 20k steps)', seed: seed(), speed: speed() }, [bytes]);
  } catch (e) {
    showError(`cannot load the shipped policy from ${SHIPPED_POLICY.href}: ${(e as Error).message}`);
  }
}

ui.trainToggle.onclick = () => {
  if (state.mode === 'train' && state.running) { send({ type: 'pause' }); return; }
  const params = readParams();
  if (params) send({ type: 'train', params });
};
ui.reset.onclick = () => {
  const params = readParams();
  if (!params) return;
  send({ type: 'reset', params });
  state.trainReturns = []; state.curveDirty = true;
};
ui.watchShipped.onclick = () => void watchShipped();
ui.watchAgent.onclick = () => send({ type: 'watchAgent', seed: seed(), speed: speed() });
ui.download.onclick = () => send({ type: 'exportAgent' });
ui.speed.onchange = () => send({ type: 'speed', speed: speed() });
ui.file.onchange = async () => {
  const file = ui.file.files?.[0];
  if (!file) return;
  const bytes = await file.arrayBuffer();
  send({ type: 'watch', bytes, source: file.name, label: `policy from ${file.name}`, seed: seed(), speed: speed() }, [bytes]);
  ui.file.value = '';
};

const fmt = (v: number | undefined, digits = 1) => (v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits));

function render(): void {
  const f = state.frame;
  if (state.frameDirty && f) {
    drawPendulum(ui.pendulum, f.theta, f.torque);
    ui.steps.textContent = String(f.steps);
    ui.episodes.textContent = String(f.episodes);
    ui.stepsPerSec.textContent = state.running ? f.stepsPerSec.toFixed(0) : '0';
    ui.episodeReturn.textContent = `${fmt(f.episodeReturn)} after ${f.episodeStep}/200`;
    state.frameDirty = false;
  }
  if (state.curveDirty) {
    drawReturns(ui.curve, state.trainReturns);
    ui.curve.dataset.points = String(state.trainReturns.length);
    ui.lastReturn.textContent = fmt(state.trainReturns[state.trainReturns.length - 1]);
    state.curveDirty = false;
  }
  const w = state.watchReturns;
  ui.watchReturns.textContent = w.length === 0 ? '–'
    : `${w.slice(-8).map((r) => r.toFixed(1)).join(', ')}${w.length > 1 ? `  (mean ${fmt(w.reduce((a, b) => a + b, 0) / w.length)} over ${w.length})` : ''}`;
  requestAnimationFrame(render);
}
requestAnimationFrame(render);
addEventListener('resize', () => { state.frameDirty = true; state.curveDirty = true; });

// Read-only view of the page's state for the end-to-end test (test/e2e/demo.e2e.ts) and the curious.
(globalThis as unknown as { demo: unknown }).demo = {
  snapshot: () => ({
    mode: state.mode, running: state.running, label: state.label, trainReturns: [...state.trainReturns],
    watchReturns: [...state.watchReturns], steps: state.frame?.steps ?? 0, stepsPerSec: state.frame?.stepsPerSec ?? 0,
    curvePoints: Number(ui.curve.dataset.points ?? 0),
  }),
};
