// The MuJoCo page's Web Worker: runs Gymnasium v5's MuJoCo tasks on the official MuJoCo WebAssembly build,
// plays policies in real time ("watch") and trains TD3 in short time slices — a fresh agent, or a full
// training checkpoint of our CLI continued where it stopped (its replay buffer, optimizer state, random
// streams and the env's MuJoCo state: the same run, carried on in the browser). Every frame it sends the
// page the geoms' world positions and orientations (draw-planar.ts draws them).
//
// MuJoCo is loaded lazily and only here: setMujocoLoader() makes the first createEnv import the glue the
// build copied to web/dist/mujoco/ (mujoco.js, single-threaded: no cross-origin isolation needed) with a
// dynamic import() of its URL, and tells it where mujoco.wasm is. The Pendulum page never loads either.
import type { MainModule } from '@mujoco/mujoco';
import {
  agentFromCheckpoint, createEnv, decodeCheckpoint, encodeCheckpoint, encodePolicy, loadPolicy, setMujocoLoader, TD3,
  TD3_PRESETS, toPolicyContent, Trainer, type Agent, type EpisodeLog, type MujocoEnvHandle, type Policy,
} from '../../src/index.js';
import { GEOM_STRIDE, MUJOCO_TASKS, type FromWorker, type Mode, type MujocoTrainParams, type Scene, type TaskId, type ToWorker } from './mujoco-protocol.js';
import { StepRate } from './step-rate.js';
import { ENGINE_URL, engineLabel, freshAgentEngine } from './engine-url.js';

const MUJOCO_JS = new URL('./mujoco/mujoco.js', import.meta.url);
const SLICE_MS = 30; // training time per slice: ~30 frames per second reach the page
const PAUSE_BETWEEN_EPISODES_MS = 700;
const BROWSER_BUFFER = 200_000; // a fresh agent's replay capacity (the presets' 1M would take 84–168 MB here)

setMujocoLoader(async () => {
  const mod = (await import(/* @vite-ignore */ MUJOCO_JS.href)) as { default: (opts: { locateFile(path: string): string }) => Promise<MainModule> };
  return mod.default({ locateFile: (path) => new URL(path, MUJOCO_JS).href });
});

type Bare = MujocoEnvHandle['unwrapped'];

/** An env whose step() also records the action, the running return and the step within the episode, and
 *  which reads the geoms' poses from its MjData. */
interface Tracked {
  env: MujocoEnvHandle;
  task: TaskId;
  action: number[];
  episodeReturn: number;
  episodeStep: number;
  /** geom_xpos and geom_xmat views into MuJoCo's memory (empty after it grew: fetched again). */
  xpos: Float64Array;
  xmat: Float64Array;
}

interface Training { agent: Agent; trainer: Trainer; tracked: Tracked; task: TaskId; origin: string }
interface Loaded { agent: Agent; task: TaskId; source: string; run: RunState | undefined; hasReplay: boolean }
interface Watching { policy: Policy; tracked: Tracked; obs: Float32Array; seed: number; episode: number; speed: number; label: string }
/** The part of a CLI checkpoint's meta.run the worker reads (src/cli/train.ts writes it). */
interface RunState { env: string; seed: number; trainer: Parameters<Trainer['restore']>[0]; metrics?: string[] }

const post = (m: FromWorker, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(m, transfer);
const EMPTY = new Float64Array(0);
const isTask = (id: unknown): id is TaskId => (MUJOCO_TASKS as readonly unknown[]).includes(id);

let task: TaskId = MUJOCO_TASKS[0];
let mode: Mode = 'idle';
let running = false;
let label = '';
let training: Training | undefined;
let loaded: Loaded | undefined;
let watching: Watching | undefined;
let shown: Tracked | undefined; // the env on screen (its scene was sent)
let timer: ReturnType<typeof setTimeout> | undefined;
const rate = new StepRate();

async function trackedEnv(id: TaskId): Promise<Tracked> {
  const env = await createEnv(id);
  const tracked: Tracked = { env, task: id, action: new Array(env.actionSpace.shape[0]).fill(0), episodeReturn: 0, episodeStep: 0, xpos: EMPTY, xmat: EMPTY };
  const step = env.step.bind(env), reset = env.reset.bind(env);
  env.step = (a) => {
    const r = step(a);
    for (let i = 0; i < tracked.action.length; i++) tracked.action[i] = a[i];
    tracked.episodeReturn += r.reward; tracked.episodeStep += 1;
    return r;
  };
  env.reset = (opts) => { tracked.episodeReturn = 0; tracked.episodeStep = 0; tracked.action.fill(0); return reset(opts); };
  return tracked;
}

function sceneOf(tr: Tracked): Scene {
  const { model } = tr.env.unwrapped as Bare;
  const ngeom = model.ngeom;
  const bodies = Int32Array.from(model.geom_bodyid as Int32Array);
  return {
    task: tr.task, ngeom, bodies,
    types: Int32Array.from(model.geom_type as Int32Array),
    sizes: Float32Array.from(model.geom_size as Float64Array),
    rgba: Float32Array.from(model.geom_rgba as Float32Array),
    root: bodies.indexOf(1), // the first geom of the first body below the world (HalfCheetah's torso)
    dt: tr.env.dt,
    maxEpisodeSteps: tr.env.maxEpisodeSteps,
  };
}

/** Puts `tr` on screen: the page gets its scene (the model's geoms) when it is a different env. */
function show(tr: Tracked): void {
  if (shown === tr) return;
  if (shown && shown !== training?.tracked && shown !== watching?.tracked) shown.env.close();
  shown = tr;
  task = tr.task;
  post({ type: 'scene', scene: sceneOf(tr) });
}

/** The geoms' poses now: per geom geom_xpos (3) and geom_xmat (9), read from MjData's views. */
function geomPoses(tr: Tracked): Float32Array {
  if (tr.xpos.length === 0 || tr.xmat.length === 0) { // MuJoCo's memory grew (or first use): fetch the views again
    const { data } = tr.env.unwrapped as Bare;
    tr.xpos = data.geom_xpos as Float64Array;
    tr.xmat = data.geom_xmat as Float64Array;
  }
  const n = tr.xpos.length / 3;
  const out = new Float32Array(GEOM_STRIDE * n);
  for (let i = 0; i < n; i++) {
    out[GEOM_STRIDE * i] = tr.xpos[3 * i]; out[GEOM_STRIDE * i + 1] = tr.xpos[3 * i + 1]; out[GEOM_STRIDE * i + 2] = tr.xpos[3 * i + 2];
    for (let k = 0; k < 9; k++) out[GEOM_STRIDE * i + 3 + k] = tr.xmat[9 * i + k];
  }
  return out;
}

function agentText(): string {
  if (training) return training.origin;
  if (loaded) {
    return `TD3/DDPG agent from ${loaded.source} at step ${loaded.agent.steps}` +
      (loaded.run && loaded.hasReplay ? ' with its replay buffer: Train continues it' : ' (no run state: Train continues its networks with a fresh loop)');
  }
  return `none: Train starts a fresh TD3 agent on ${task}`;
}

function setStatus(m: Mode, isRunning: boolean, text: string): void {
  mode = m; running = isRunning; label = text;
  if (timer !== undefined) { clearTimeout(timer); timer = undefined; }
  rate.reset();
  post({ type: 'status', mode, running, label, task, agent: agentText() });
}

function frame(tr: Tracked, steps: number, episodes: number, sps: number): void {
  const geoms = geomPoses(tr);
  post({ type: 'frame', mode, geoms, steps, episodes, stepsPerSec: sps, episodeReturn: tr.episodeReturn, episodeStep: tr.episodeStep,
    action: [...tr.action] }, [geoms.buffer]);
}

/** A fresh TD3 agent: the task's TD3 preset with the page's widths, random steps and seed. */
async function newTraining(id: TaskId, p: MujocoTrainParams): Promise<Training> {
  const tracked = await trackedEnv(id);
  const { env } = tracked;
  const agent = new TD3(await freshAgentEngine(), { // a fresh engine per agent: its arena starts empty
    obsDim: env.observationSpace.shape[0], actDim: env.actionSpace.shape[0],
    actionLow: Array.from(env.actionSpace.low), actionHigh: Array.from(env.actionSpace.high),
    ...TD3_PRESETS[id]?.config,
    actorHidden: [p.hidden, p.hidden], criticHidden: [p.hidden, p.hidden], learningStarts: p.learningStarts,
    bufferSize: BROWSER_BUFFER, seed: p.seed,
  });
  return { agent, trainer: new Trainer(agent, env, p.seed), tracked, task: id, origin: `fresh TD3 ${p.hidden}/${p.hidden}, seed ${p.seed}` };
}

/** The loaded checkpoint's agent, in a loop restored from its run state (step, episode, the episode in
 *  progress and the env's MuJoCo state), so training goes on exactly as `ddpg-wasm train --resume` would. */
async function continueTraining(l: Loaded): Promise<Training> {
  const tracked = await trackedEnv(l.task);
  const trainer = new Trainer(l.agent, tracked.env, l.run?.seed ?? l.agent.config.seed);
  let origin = `${l.agent.algorithm.toUpperCase()} from ${l.source}`;
  if (l.run && l.hasReplay) {
    trainer.restore(l.run.trainer);
    tracked.episodeReturn = l.run.trainer.episodeReturn;
    tracked.episodeStep = l.run.trainer.episodeLength;
    const returns = (l.run.metrics ?? []).map((row) => Number(row.split(',')[2])).filter(Number.isFinite);
    post({ type: 'history', returns, step: trainer.step });
    origin += ', continued';
  } else {
    origin += ', new loop';
  }
  return { agent: l.agent, trainer, tracked, task: l.task, origin };
}

function trainSlice(): void {
  timer = undefined;
  if (mode !== 'train' || !running || !training) return;
  const { trainer, tracked } = training;
  const deadline = performance.now() + SLICE_MS;
  try {
    trainer.run(Number.MAX_SAFE_INTEGER,
      (e: EpisodeLog) => post({ type: 'episode', mode: 'train', index: e.episode, return: e.return, length: e.length, step: e.step }),
      () => performance.now() >= deadline);
  } catch (e) {
    setStatus('train', false, 'stopped');
    post({ type: 'error', message: `training stopped: ${errorText(e)}` });
    return;
  }
  frame(tracked, trainer.step, trainer.episode, rate.perSecond(trainer.step));
  timer = setTimeout(trainSlice, 0);
}

async function startWatching(policy: Policy, id: TaskId, text: string, seed: number, speed: number): Promise<void> {
  const tracked = watching?.tracked.task === id ? watching.tracked : await trackedEnv(id);
  const need = tracked.env.observationSpace.shape[0], act = tracked.env.actionSpace.shape[0];
  if (policy.obsDim !== need || policy.actDim !== act) {
    throw new Error(`this policy maps ${policy.obsDim} observations to ${policy.actDim} actions; ${id} needs ${need} → ${act}`);
  }
  const { obs } = tracked.env.reset({ seed });
  watching = { policy, tracked, obs: Float32Array.from(obs), seed, episode: 0, speed, label: text };
  show(tracked);
  setStatus('watch', true, text);
  frame(tracked, 0, 0, 0);
  timer = setTimeout(watchStep, stepMs(tracked, speed));
}

const stepMs = (tr: Tracked, speed: number) => (1000 * tr.env.dt) / speed; // real time at 1×

function watchStep(): void {
  timer = undefined;
  const w = watching;
  if (mode !== 'watch' || !w) return;
  const t0 = performance.now();
  let r;
  try {
    r = w.tracked.env.step(w.policy.act(w.obs));
  } catch (e) {
    setStatus('idle', false, 'stopped');
    post({ type: 'error', message: `the policy's episode stopped: ${errorText(e)}` });
    return;
  }
  w.obs.set(r.obs);
  const steps = w.episode * w.tracked.env.maxEpisodeSteps + w.tracked.episodeStep;
  frame(w.tracked, steps, w.episode, rate.perSecond(steps));
  if (r.terminated || r.truncated) {
    post({ type: 'episode', mode: 'watch', index: w.episode + 1, return: w.tracked.episodeReturn, length: w.tracked.episodeStep, step: steps });
    w.episode += 1;
    timer = setTimeout(() => {
      if (mode !== 'watch' || watching !== w) return;
      w.obs.set(w.tracked.env.reset({ seed: w.seed + w.episode }).obs);
      frame(w.tracked, w.episode * w.tracked.env.maxEpisodeSteps, w.episode, 0);
      timer = setTimeout(watchStep, stepMs(w.tracked, w.speed));
    }, PAUSE_BETWEEN_EPISODES_MS / w.speed);
    return;
  }
  timer = setTimeout(watchStep, Math.max(0, stepMs(w.tracked, w.speed) - (performance.now() - t0)));
}

/** The task at rest: a reset env on screen, nothing running. */
async function showAtRest(id: TaskId, text: string): Promise<void> {
  watching = undefined;
  const tracked = await trackedEnv(id);
  tracked.env.reset({ seed: 1 });
  show(tracked);
  setStatus('idle', false, text);
  frame(tracked, 0, 0, 0);
}

async function load(m: Extract<ToWorker, { type: 'load' }>): Promise<void> {
  const bytes = new Uint8Array(m.bytes);
  const content = decodeCheckpoint(bytes, m.source);
  const asPolicy = toPolicyContent(content, m.source); // checks the actor (and says what is wrong)
  const env = (asPolicy.meta.env ?? (content.meta.run as { env?: unknown } | undefined)?.env) as unknown;
  const id = env === undefined ? task : env;
  if (!isTask(id)) throw new Error(`${m.source} holds a policy for ${String(id)}; this page runs ${MUJOCO_TASKS.join(' and ')} (the Pendulum page runs Pendulum-v1)`);
  if (content.kind === 'agent') {
    const agent = agentFromCheckpoint(await freshAgentEngine(), content, m.source);
    const run = content.meta.run as RunState | undefined;
    loaded = { agent, task: id, source: m.source, run: run?.trainer ? run : undefined, hasReplay: content.meta.replay !== undefined };
    training = undefined;
  }
  const policy = await loadPolicy(encodeCheckpoint(asPolicy), ENGINE_URL, m.source); // the actor only: no second decode of a replay buffer
  const steps = Number.isInteger(policy.meta.steps) ? `, ${String(policy.meta.steps)} steps` : '';
  await startWatching(policy, id, `${m.label}${steps}`, m.seed, m.speed);
}

async function handle(m: ToWorker): Promise<void> {
  switch (m.type) {
    case 'load':
      await load(m);
      break;
    case 'train':
      if (!training) {
        if (loaded) training = await continueTraining(loaded);
        else training = await newTraining(m.task, m.params);
        loaded = undefined;
      }
      watching = undefined;
      show(training.tracked);
      setStatus('train', true, `training: ${training.origin}`);
      trainSlice();
      break;
    case 'pause':
      if (mode === 'train') setStatus('train', false, 'paused');
      else if (mode === 'watch') setStatus('idle', false, 'stopped');
      break;
    case 'reset':
      training?.tracked.env.close();
      training = undefined;
      loaded = undefined;
      await showAtRest(m.task, `${m.task}: press Train to train a new agent, or load a policy`);
      break;
    case 'watchAgent': {
      if (!training) throw new Error('there is no agent trained here yet: press Train first');
      const steps = training.trainer.step;
      const policy = await loadPolicy(encodePolicy(training.agent, { env: training.task, steps }), ENGINE_URL);
      await startWatching(policy, training.task, `current agent after ${steps} steps`, m.seed, m.speed);
      break;
    }
    case 'speed':
      if (watching) watching.speed = m.speed;
      break;
    case 'exportAgent': {
      if (!training) throw new Error('there is no agent trained here yet: press Train first');
      const bytes = encodePolicy(training.agent, { env: training.task, steps: training.trainer.step });
      post({ type: 'policyBytes', bytes: bytes.buffer as ArrayBuffer, name: `${training.task}-policy-step${training.trainer.step}.bin` }, [bytes.buffer as ArrayBuffer]);
      break;
    }
  }
}

/** An error as the page shows it: the library's typed errors carry their name (CheckpointError, …). */
function errorText(e: unknown): string {
  if (e instanceof Error) return e.name && e.name !== 'Error' ? `${e.name}: ${e.message}` : e.message;
  return String(e);
}

// Messages are handled one at a time, in order, even though some handlers await.
let queue: Promise<void> = Promise.resolve();
self.onmessage = (ev: MessageEvent<ToWorker>) => {
  queue = queue.then(() => handle(ev.data)).catch((e: unknown) => post({ type: 'error', message: errorText(e) }));
};
post({ type: 'ready', engine: engineLabel() });
