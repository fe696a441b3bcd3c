// The MuJoCo page: wires the controls to its worker (mujoco-worker.ts) and, once per animation frame, draws
// the model (draw-planar.ts) and the return curve (plot.ts) from the latest worker messages. In "watch" mode
// the worker sends one frame per env step (dt = 0.05 s at 1×); the page draws in between by interpolating
// the last two frames, so the motion is smooth at the display's rate. At load it plays the shipped policy
// (web/assets/idp-policy.bin, made by scripts/mujoco-demo-policy.sh with `ddpg-wasm train` + `export`).
import { drawPlanar, lerpGeoms, type View } from './draw-planar.js';
import { MUJOCO_TASKS, type FromWorker, type Mode, type MujocoTrainParams, type Scene, type TaskId, type ToWorker } from './mujoco-protocol.js';
import { drawReturns, type ReturnAxis } from './plot.js';
import { downloadBytes } from './download.js';

const SHIPPED_POLICY = new URL('./assets/idp-policy.bin', import.meta.url);
const SHIPPED_TASK: TaskId = 'InvertedDoublePendulum-v5';
const SHIPPED_LABEL = 'trained policy (ddpg-wasm train --algo td3, 64/64, seed 1)';

interface TaskInfo { view: View; axis: ReturnAxis; learningStarts: number; about: string }
const TASKS: Record<TaskId, TaskInfo> = {
  'InvertedDoublePendulum-v5': {
    view: { x: 0, z: 0.5, height: 1.75, follow: false, guide: { z: 1, label: 'the episode ends when the tip drops to 1 m' } },
    axis: { lo: 0, hi: 9400, target: 9100 }, // Gymnasium's "solved": 9100; the most an episode gives ≈ 9360
    learningStarts: 1000,
    about: 'a cart on a rail with two poles hinged on top: push the cart (one action) to keep them up; +10 a step alive, up to 1000 steps',
  },
  'HalfCheetah-v5': {
    view: { x: 0, z: 0.35, height: 1.6, follow: true },
    axis: { lo: -600, hi: 1000, target: 4800 }, // Gymnasium's "solved": 4800
    learningStarts: 10_000,
    about: 'a planar cheetah with six joint motors: reward = forward speed − 0.1·|action|², 1000 steps; no shipped policy (train or load one)',
  },
};

function $<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el as T;
}

const ui = {
  scene: $<HTMLCanvasElement>('scene'), curve: $<HTMLCanvasElement>('curve'), mode: $('mode'), about: $('about'),
  steps: $('steps'), episodes: $('episodes'), stepsPerSec: $('steps-per-sec'), lastReturn: $('last-return'),
  episodeReturn: $('episode-return'), watchReturns: $('watch-returns'), agent: $('agent'), error: $('error'),
  task: $<HTMLSelectElement>('task'), trainToggle: $<HTMLButtonElement>('train-toggle'), reset: $<HTMLButtonElement>('reset'),
  watchShipped: $<HTMLButtonElement>('watch-shipped'), watchAgent: $<HTMLButtonElement>('watch-agent'),
  download: $<HTMLButtonElement>('download'), file: $<HTMLInputElement>('policy-file'),
  speed: $<HTMLSelectElement>('speed'), params: $<HTMLFormElement>('params'),
};

type Frame = Extract<FromWorker, { type: 'frame' }>;
const state = {
  mode: 'idle' as Mode, running: false, label: '', task: SHIPPED_TASK as TaskId,
  scene: undefined as Scene | undefined,
  history: [] as number[], trainReturns: [] as number[], watchReturns: [] as number[],
  frame: undefined as Frame | undefined, prev: undefined as Frame | undefined,
  frameAt: 0, frameGap: 50, framesDrawn: 0,
  curveDirty: true, sceneDirty: true,
};
let blend: Float32Array | undefined;

for (const id of MUJOCO_TASKS) ui.task.add(new Option(id, id));
ui.task.value = state.task;

const worker = new Worker(new URL('./mujoco-worker.js', import.meta.url), { type: 'module' });
const send = (m: ToWorker, transfer: Transferable[] = []) => { showError(''); worker.postMessage(m, transfer); };
worker.onerror = (e) => showError(`the worker failed: ${e.message}`);

worker.onmessage = (ev: MessageEvent<FromWorker>) => {
  const m = ev.data;
  switch (m.type) {
    case 'ready': document.getElementById('engine-info')!.textContent = m.engine; void watchShipped(); break;
    case 'status':
      state.mode = m.mode; state.running = m.running; state.label = m.label;
      if (m.mode === 'watch') state.watchReturns = [];
      if (m.task !== state.task) setTask(m.task);
      ui.trainToggle.textContent = m.mode === 'train' && m.running ? 'Pause' : 'Train';
      ui.mode.textContent = m.label;
      ui.agent.textContent = m.agent;
      break;
    case 'scene':
      state.scene = m.scene; state.frame = state.prev = undefined; state.sceneDirty = true;
      if (m.scene.task !== state.task) setTask(m.scene.task);
      break;
    case 'frame': {
      const now = performance.now();
      const continues = state.frame && state.frame.mode === m.mode && m.episodeStep === state.frame.episodeStep + 1;
      state.prev = continues ? state.frame : undefined;
      if (continues) state.frameGap = Math.min(200, Math.max(8, now - state.frameAt));
      state.frame = m; state.frameAt = now; state.sceneDirty = true;
      break;
    }
    case 'history': state.history = m.returns; state.trainReturns = []; state.curveDirty = true; break;
    case 'episode':
      if (m.mode === 'train') { state.trainReturns.push(m.return); state.curveDirty = true; }
      else state.watchReturns.push(m.return);
      break;
    case 'policyBytes': downloadBytes(m.bytes, m.name); break;
    case 'error': showError(m.message); break;
  }
};

function setTask(id: TaskId): void {
  state.task = id;
  ui.task.value = id;
  ui.about.textContent = `${id}: ${TASKS[id].about}.`;
  (ui.params.elements.namedItem('learningStarts') as HTMLInputElement).value = String(TASKS[id].learningStarts);
  state.curveDirty = true;
}
setTask(state.task);

function showError(message: string): void {
  ui.error.hidden = message === '';
  ui.error.textContent = message;
}

function readParams(): MujocoTrainParams | undefined {
  const data = new FormData(ui.params);
  const p: Record<string, number> = {};
  for (const [name, value] of data) {
    const v = Number(value);
    if (String(value).trim() === '' || !Number.isFinite(v)) { showError(`${name} must be a number, got '${String(value)}'`); return undefined; }
    p[name] = v;
  }
  return p as unknown as MujocoTrainParams;
}

const seed = () => readParams()?.seed ?? 1;
const speed = () => Number(ui.speed.value) || 1;

async function watchShipped(): Promise<void> {
  try {
    const res = await fetch(SHIPPED_POLICY);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const bytes = await res.arrayBuffer();
    send({ type: 'load', bytes, source: 'idp-policy.bin', label: SHIPPED_LABEL, seed: seed(), speed: speed() }, [bytes]);
  } catch (e) {
    showError(`cannot load the shipped policy from ${SHIPPED_POLICY.href}: ${(e as Error).message}`);
  }
}

ui.trainToggle.onclick = () => {
  if (state.mode === 'train' && state.running) { send({ type: 'pause' }); return; }
  const params = readParams();
  if (params) send({ type: 'train', task: state.task, params });
};
ui.reset.onclick = () => {
  send({ type: 'reset', task: state.task });
  state.trainReturns = []; state.history = []; state.curveDirty = true;
};
ui.task.onchange = () => {
  const id = ui.task.value as TaskId;
  setTask(id);
  state.trainReturns = []; state.history = [];
  if (id === SHIPPED_TASK) void watchShipped();
  else send({ type: 'reset', task: id });
};
ui.watchShipped.onclick = () => void watchShipped();
ui.watchAgent.onclick = () => send({ type: 'watchAgent', seed: seed(), speed: speed() });
ui.download.onclick = () => send({ type: 'exportAgent' });
ui.speed.onchange = () => send({ type: 'speed', speed: speed() });
ui.file.onchange = async () => {
  const file = ui.file.files?.[0];
  if (!file) return;
  const bytes = await file.arrayBuffer();
  state.trainReturns = []; state.history = []; state.curveDirty = true;
  send({ type: 'load', bytes, source: file.name, label: `from ${file.name}`, seed: seed(), speed: speed() }, [bytes]);
  ui.file.value = '';
};

const fmt = (v: number | undefined, digits = 1) => (v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits));

function render(now: number): void {
  const f = state.frame, scene = state.scene;
  const interpolating = f && state.prev && state.mode === 'watch' && now - state.frameAt < state.frameGap + 34; // + a last frame at the end
  if (scene && f && f.geoms.length === 12 * scene.ngeom && (state.sceneDirty || interpolating)) {
    let geoms = f.geoms;
    if (interpolating && state.prev!.geoms.length === geoms.length) {
      // Draw the previous step moving towards the latest one: one step behind, but smooth.
      blend = blend?.length === geoms.length ? blend : new Float32Array(geoms.length);
      geoms = lerpGeoms(state.prev!.geoms, f.geoms, Math.min(1, (now - state.frameAt) / state.frameGap), blend);
    }
    drawPlanar(ui.scene, scene, geoms, TASKS[scene.task].view, { action: f.action, text: `t = ${(f.episodeStep * scene.dt).toFixed(2)} s` });
    state.framesDrawn += 1;
    ui.scene.dataset.frames = String(state.framesDrawn);
    ui.steps.textContent = String(f.steps);
    ui.episodes.textContent = String(f.episodes);
    ui.stepsPerSec.textContent = state.running ? f.stepsPerSec.toFixed(0) : '0';
    ui.episodeReturn.textContent = `${fmt(f.episodeReturn)} after ${f.episodeStep}/${scene.maxEpisodeSteps}`;
    state.sceneDirty = false;
  }
  if (state.curveDirty) {
    const all = [...state.history, ...state.trainReturns];
    drawReturns(ui.curve, all, TASKS[state.task].axis);
    ui.curve.dataset.points = String(all.length);
    ui.lastReturn.textContent = fmt(all[all.length - 1]);
    state.curveDirty = false;
  }
  const w = state.watchReturns;
  ui.watchReturns.textContent = w.length === 0 ? '–'
    : `${w.slice(-6).map((r) => r.toFixed(1)).join(', ')}${w.length > 1 ? `  (mean ${fmt(w.reduce((a, b) => a + b, 0) / w.length)} over ${w.length})` : ''}`;
  requestAnimationFrame(render);
}
requestAnimationFrame(render);
addEventListener('resize', () => { state.sceneDirty = true; state.curveDirty = true; });

// Read-only view of the page's state for the end-to-end test (test/e2e/mujoco.e2e.ts) and the curious.
(globalThis as unknown as { demo: unknown }).demo = {
  snapshot: () => ({
    mode: state.mode, running: state.running, label: state.label, task: state.task, trainReturns: [...state.trainReturns],
    history: state.history.length, watchReturns: [...state.watchReturns], steps: state.frame?.steps ?? 0,
    stepsPerSec: state.frame?.stepsPerSec ?? 0, curvePoints: Number(ui.curve.dataset.points ?? 0), framesDrawn: state.framesDrawn,
    agent: ui.agent.textContent ?? '',
  }),
};
