// SimulationError: the physics blew up during a step — a non-finite qpos/qvel/observation, or one of
// MuJoCo's own warnings (bad qpos/qvel/qacc, after which MuJoCo silently resets the state; full contact or
// constraint buffers; bad ctrl). The env refuses to return such a step, so no NaN and no silently reset
// state reaches a replay buffer. Call reset() to continue. (InvertedPendulum-v5 terminates instead, as
// Gymnasium defines for it.)
export class SimulationError extends Error {
  override name = 'SimulationError';

  constructor(
    /** The task id, e.g. 'Hopper-v5'. */
    readonly envId: string,
    /** Env steps since the last reset, the step that failed included. */
    readonly step: number,
    /** What was detected. */
    readonly reason: string,
  ) {
    super(`${envId}: the simulation became unstable at step ${step}: ${reason}; call reset() to start a new episode`);
  }
}
