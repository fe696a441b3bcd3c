// The demo's Web Worker: trains DDPG on Pendulum-v1 in short time slices (so pause and reset get through
// between slices and the page never blocks), and runs policies in real time for "watch" mode. It uses the
// library's own code and the same .wasm engine as Node, loaded from a URL (fetch + instantiateStreaming).
import { DDPG, encodePolicy, loadPolicy, makeEnv, DDPG_PRESETS, Trainer, type Env, type Policy } from '../../src/index.js';
import type { FromWorker, Mode, ToWorker, TrainParams } from './protocol.js';
import { StepRate } from './step-rate.js';
import { ENGINE_URL, engineLabel, freshAgentEngine } from './engine-url.js';

const ENV_ID = 'Pendulum-v1';
const SLICE_MS = 30; // training time per slice: ~30 frames per second reach the page
const DT_MS = 50; // Pendulum-v1's dt = 0.05 s: real time in watch mode
const PAUSE_BETWEEN_EPISODES_MS = 700;

interface Tracked { env: Env; torque: number; episodeReturn: number; episodeStep: number }
interface Training { agent: DDPG; trainer: Trainer; tracked: Tracked; params: TrainParams }
interface Watching { policy: Policy; tracked: Tracked; obs: Float32Array; seed: number; episode: number; speed: number; label: string }

const post = (m: FromWorker, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(m, transfer);

let mode: Mode = 'idle';
let running = false;
let training: Training | undefined;
let watching: Watching | undefined;
let timer: ReturnType<typeof setTimeout> | undefined;
let label = '';
const rate = new StepRate();

/** An env whose step() also records the torque, the running return and the step within the episode. */
function trackedEnv(): Tracked {
  const env = makeEnv(ENV_ID);
  const tracked: Tracked = { env, torque: 0, episodeReturn: 0, episodeStep: 0 };
  const step = env.step.bind(env), reset = env.reset.bind(env);
  env.step = (a) => {
    const r = step(a);
    tracked.torque = a[0]; tracked.episodeReturn += r.reward; tracked.episodeStep += 1;
    return r;
  };
  env.reset = (opts) => { tracked.episodeReturn = 0; tracked.episodeStep = 0; tracked.torque = 0; return reset(opts); };
  return tracked;
}

function setStatus(m: Mode, isRunning: boolean, text: string): void {
  mode = m; running = isRunning; label = text;
  if (timer !== undefined) { clearTimeout(timer); timer = undefined; }
  rate.reset();
  post({ type: 'status', mode, running, label });
}

function frame(tr: Tracked, steps: number, episodes: number, sps: number): void {
  const [theta, thetaDot] = tr.env.getState();
  post({ type: 'frame', mode, theta, thetaDot, torque: tr.torque, steps, episodes, stepsPerSec: sps,
    episodeReturn: tr.episodeReturn, episodeStep: tr.episodeStep });
}

async function newTraining(p: TrainParams): Promise<Training> {
  const env = makeEnv(ENV_ID);
  const agent = new DDPG(await freshAgentEngine(), { // a fresh engine per agent: its arena starts empty
    obsDim: 3, actDim: 1, actionLow: Array.from(env.actionSpace.low), actionHigh: Array.from(env.actionSpace.high),
    ...DDPG_PRESETS[ENV_ID].config,
    actorHidden: [p.hidden, p.hidden], criticHidden: [p.hidden, p.hidden], actorLr: p.actorLr, criticLr: p.criticLr,
    batchSize: p.batchSize, gamma: p.gamma, tau: p.tau, noiseSigma: p.noiseSigma, learningStarts: p.learningStarts, seed: p.seed,
  });
  const tracked = trackedEnv();
  return { agent, trainer: new Trainer(agent, tracked.env, p.seed), tracked, params: p };
}

function trainSlice(): void {
  timer = undefined;
  if (mode !== 'train' || !running || !training) return;
  const { trainer, tracked } = training;
  const deadline = performance.now() + SLICE_MS;
  try {
    trainer.run(Number.MAX_SAFE_INTEGER,
      (e) => post({ type: 'episode', mode: 'train', index: e.episode, return: e.return, step: e.step }),
      () => performance.now() >= deadline);
  } catch (e) {
    setStatus('train', false, 'stopped');
    post({ type: 'error', message: `training stopped: ${(e as Error).message}` });
    return;
  }
  frame(tracked, trainer.step, trainer.episode, rate.perSecond(trainer.step));
  timer = setTimeout(trainSlice, 0);
}

function startWatching(policy: Policy, text: string, seed: number, speed: number): void {
  if (policy.obsDim !== 3 || policy.actDim !== 1) {
    throw new Error(`this policy maps ${policy.obsDim} observations to ${policy.actDim} actions; Pendulum-v1 needs 3 → 1`);
  }
  const tracked = trackedEnv();
  const { obs } = tracked.env.reset({ seed });
  watching = { policy, tracked, obs: obs, seed, episode: 0, speed, label: text };
  setStatus('watch', true, text);
  frame(tracked, 0, 0, 0);
  timer = setTimeout(watchStep, DT_MS / speed);
}

function watchStep(): void {
  timer = undefined;
  const w = watching;
  if (mode !== 'watch' || !w) return;
  const r = w.tracked.env.step(w.policy.act(w.obs));
  w.obs = r.obs;
  const steps = w.episode * 200 + w.tracked.episodeStep;
  frame(w.tracked, steps, w.episode, rate.perSecond(steps));
  if (r.terminated || r.truncated) {
    post({ type: 'episode', mode: 'watch', index: w.episode + 1, return: w.tracked.episodeReturn, step: steps });
    w.episode += 1;
    timer = setTimeout(() => {
      if (mode !== 'watch' || watching !== w) return;
      w.obs = w.tracked.env.reset({ seed: w.seed + w.episode }).obs;
      frame(w.tracked, w.episode * 200, w.episode, 0);
      timer = setTimeout(watchStep, DT_MS / w.speed);
    }, PAUSE_BETWEEN_EPISODES_MS / w.speed);
    return;
  }
  timer = setTimeout(watchStep, DT_MS / w.speed);
}

async function handle(m: ToWorker): Promise<void> {
  switch (m.type) {
    case 'train':
      training ??= await newTraining(m.params);
      watching = undefined;
      setStatus('train', true, `training, seed ${training.params.seed}`);
      trainSlice();
      break;
    case 'pause':
      if (mode === 'train') setStatus('train', false, 'paused');
      else if (mode === 'watch') setStatus('idle', false, 'stopped');
      break;
    case 'reset':
      training = undefined;
      watching = undefined;
      setStatus('idle', false, 'reset: press Start to train a new agent');
      break;
    case 'watch':
      startWatching(await loadPolicy(new Uint8Array(m.bytes), ENGINE_URL, m.source), m.label, m.seed, m.speed);
      break;
    case 'watchAgent': {
      if (!training) throw new Error('there is no agent yet: start training first');
      const steps = training.trainer.step;
      const policy = await loadPolicy(encodePolicy(training.agent, { env: ENV_ID, steps }), ENGINE_URL);
      startWatching(policy, `current agent after ${steps} steps`, m.seed, m.speed);
      break;
    }
    case 'speed':
      if (watching) watching.speed = m.speed;
      break;
    case 'exportAgent': {
      if (!training) throw new Error('there is no agent yet: start training first');
      const bytes = encodePolicy(training.agent, { env: ENV_ID, steps: training.trainer.step });
      post({ type: 'policyBytes', bytes: bytes.buffer as ArrayBuffer, name: `pendulum-policy-step${training.trainer.step}.bin` }, [bytes.buffer as ArrayBuffer]);
      break;
    }
  }
}

// Messages are handled one at a time, in order, even though some handlers await.
let queue: Promise<void> = Promise.resolve();
self.onmessage = (ev: MessageEvent<ToWorker>) => {
  queue = queue.then(() => handle(ev.data)).catch((e: unknown) => post({ type: 'error', message: (e as Error).message ?? String(e) }));
};
post({ type: 'ready', engine: engineLabel() });
