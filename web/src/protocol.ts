// Messages between the page (main.ts) and the training worker (worker.ts).

/** Hyper-parameters the page lets a visitor change (the rest are the Pendulum-v1 preset's). */
export interface TrainParams {
  seed: number;
  actorLr: number;
  criticLr: number;
  hidden: number;
  batchSize: number;
  gamma: number;
  tau: number;
  noiseSigma: number;
  learningStarts: number;
}

export type Mode = 'idle' | 'train' | 'watch';

export type ToWorker =
  | { type: 'train'; params: TrainParams } // start or resume training (a new agent if there is none)
  | { type: 'pause' }
  | { type: 'reset'; params: TrainParams } // drop the agent; the next 'train' starts a fresh one
  | { type: 'watch'; bytes: ArrayBuffer; source: string; label: string; seed: number; speed: number } // run a policy file
  | { type: 'watchAgent'; seed: number; speed: number } // run the current agent's deterministic policy
  | { type: 'speed'; speed: number }
  | { type: 'exportAgent' };

export type FromWorker =
  | { type: 'ready'; engine: string } // engine: what the agents' engine computes on (engine-url.ts)
  | { type: 'status'; mode: Mode; running: boolean; label: string }
  | { type: 'frame'; mode: Mode; theta: number; thetaDot: number; torque: number; steps: number; episodes: number;
      stepsPerSec: number; episodeReturn: number; episodeStep: number }
  | { type: 'episode'; mode: Mode; index: number; return: number; step: number }
  | { type: 'policyBytes'; bytes: ArrayBuffer; name: string }
  | { type: 'error'; message: string };
