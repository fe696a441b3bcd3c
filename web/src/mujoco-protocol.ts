// Messages between the MuJoCo page (mujoco-main.ts) and its worker (mujoco-worker.ts).

/** The tasks the page offers (both planar, drawn by draw-planar.ts). */
export const MUJOCO_TASKS = ['InvertedDoublePendulum-v5', 'HalfCheetah-v5'] as const;
export type TaskId = (typeof MUJOCO_TASKS)[number];

/** What a visitor can change for a fresh agent (the rest is the task's TD3 preset). */
export interface MujocoTrainParams {
  seed: number;
  hidden: number;
  learningStarts: number;
}

export type Mode = 'idle' | 'train' | 'watch';

/** The model's geoms as drawn, sent once per env (they do not change): per geom its mjtGeom type,
 *  size (3), rgba (4) and body; `root` is the geom the camera follows (−1: a fixed camera). */
export interface Scene {
  task: TaskId;
  ngeom: number;
  types: Int32Array;
  sizes: Float32Array;
  rgba: Float32Array;
  bodies: Int32Array;
  root: number;
  dt: number;
  maxEpisodeSteps: number;
}

export type ToWorker =
  /** Play a policy file or a checkpoint; an agent checkpoint also becomes the agent that Train continues. */
  | { type: 'load'; bytes: ArrayBuffer; source: string; label: string; seed: number; speed: number }
  /** Start or resume training: the agent there is (loaded or trained here), else a fresh one. */
  | { type: 'train'; task: TaskId; params: MujocoTrainParams }
  | { type: 'pause' }
  /** Drop the agent; show the task at rest. */
  | { type: 'reset'; task: TaskId }
  | { type: 'watchAgent'; seed: number; speed: number }
  | { type: 'speed'; speed: number }
  | { type: 'exportAgent' };

export type FromWorker =
  | { type: 'ready'; engine: string } // engine: what the agents' engine computes on (engine-url.ts)
  | { type: 'status'; mode: Mode; running: boolean; label: string; task: TaskId; agent: string }
  | { type: 'scene'; scene: Scene }
  /** geoms: per geom geom_xpos (3) then geom_xmat (9, row-major): 12 numbers a geom. */
  | { type: 'frame'; mode: Mode; geoms: Float32Array; steps: number; episodes: number; stepsPerSec: number;
      episodeReturn: number; episodeStep: number; action: number[] }
  | { type: 'episode'; mode: Mode; index: number; return: number; length: number; step: number }
  /** A continued checkpoint's training returns so far (from its metrics), before the new episodes. */
  | { type: 'history'; returns: number[]; step: number }
  | { type: 'policyBytes'; bytes: ArrayBuffer; name: string }
  | { type: 'error'; message: string };

/** Numbers per geom in a frame's `geoms`. */
export const GEOM_STRIDE = 12;
