// Fixed-capacity experience replay for DDPG: a ring buffer of transitions
// (obs, action, reward, nextObs, terminated) in preallocated Float32Arrays, with
// uniform sampling (with replacement) driven by its own seeded Rng. add() and
// sample(n, out) do not allocate; snapshot()/restore() resume a run exactly.
import { checkObject, checkPositiveInt, fail } from '../errors.js';
import { Rng, type RngState } from '../rng.js';

/** A minibatch, row-major: obs is batch×obsDim, actions batch×actDim; terminated is 0/1. */
export interface Batch {
  obs: Float32Array;
  actions: Float32Array;
  rewards: Float32Array;
  nextObs: Float32Array;
  terminated: Float32Array;
  size: number;
}

export interface ReplayBufferOptions {
  capacity: number;
  obsDim: number;
  actDim: number;
  seed: number;
}

/** Saved buffer: dims, ring position, the first `size` rows of each field, RNG state. */
export interface ReplaySnapshot {
  capacity: number;
  obsDim: number;
  actDim: number;
  size: number;
  pos: number;
  obs: Float32Array;
  actions: Float32Array;
  rewards: Float32Array;
  nextObs: Float32Array;
  terminated: Float32Array;
  rng: RngState;
}

function checkVector(field: string, v: ArrayLike<number>, dim: number): void {
  if (typeof v !== 'object' || v === null || v.length !== dim) {
    fail(`ReplayBuffer.add: ${field} has wrong length: expected ${dim}, got ${v?.length}`);
  }
  for (let i = 0; i < dim; i++) {
    if (typeof v[i] !== 'number' || !Number.isFinite(Math.fround(v[i]))) { // stored as float32: 1e39 would become Infinity
      fail(`ReplayBuffer.add: ${field}[${i}] is not finite (${v[i]})`);
    }
  }
}

export function createBatch(batchSize: number, obsDim: number, actDim: number): Batch {
  checkPositiveInt(batchSize, 'ReplayBuffer: batchSize');
  checkPositiveInt(obsDim, 'ReplayBuffer: obsDim');
  checkPositiveInt(actDim, 'ReplayBuffer: actDim');
  return {
    obs: new Float32Array(batchSize * obsDim),
    actions: new Float32Array(batchSize * actDim),
    rewards: new Float32Array(batchSize),
    nextObs: new Float32Array(batchSize * obsDim),
    terminated: new Float32Array(batchSize),
    size: batchSize,
  };
}

export class ReplayBuffer {
  readonly capacity: number;
  readonly obsDim: number;
  readonly actDim: number;
  private readonly obs: Float32Array;
  private readonly actions: Float32Array;
  private readonly rewards: Float32Array;
  private readonly nextObs: Float32Array;
  private readonly terminated: Float32Array;
  private readonly rng: Rng;
  private readonly batches = new Map<number, Batch>();
  private _size = 0;
  private pos = 0; // next slot to write

  constructor(opts: ReplayBufferOptions) {
    checkObject(opts, 'ReplayBuffer options');
    checkPositiveInt(opts.capacity, 'ReplayBuffer: capacity');
    checkPositiveInt(opts.obsDim, 'ReplayBuffer: obsDim');
    checkPositiveInt(opts.actDim, 'ReplayBuffer: actDim');
    this.capacity = opts.capacity;
    this.obsDim = opts.obsDim;
    this.actDim = opts.actDim;
    this.obs = new Float32Array(opts.capacity * opts.obsDim);
    this.actions = new Float32Array(opts.capacity * opts.actDim);
    this.rewards = new Float32Array(opts.capacity);
    this.nextObs = new Float32Array(opts.capacity * opts.obsDim);
    this.terminated = new Float32Array(opts.capacity);
    this.rng = new Rng(opts.seed);
  }

  /** Bytes of the typed arrays a buffer of this shape holds (obs, actions, rewards, nextObs, terminated). */
  static memoryBytes(capacity: number, obsDim: number, actDim: number): number {
    return 4 * capacity * (2 * obsDim + actDim + 2);
  }

  /** Number of stored transitions (≤ capacity). */
  get size(): number {
    return this._size;
  }

  /** Store one transition, overwriting the oldest when full. Inputs are validated first. */
  add(
    obs: ArrayLike<number>,
    action: ArrayLike<number>,
    reward: number,
    nextObs: ArrayLike<number>,
    terminated: boolean,
  ): void {
    const { obsDim, actDim } = this;
    checkVector('obs', obs, obsDim);
    checkVector('action', action, actDim);
    checkVector('nextObs', nextObs, obsDim);
    if (typeof reward !== 'number' || !Number.isFinite(Math.fround(reward))) {
      fail(`ReplayBuffer.add: reward is not finite (${reward})`);
    }
    if (typeof terminated !== 'boolean') {
      fail(`ReplayBuffer.add: terminated must be a boolean, got ${typeof terminated}`);
    }
    const p = this.pos;
    for (let k = 0; k < obsDim; k++) {
      this.obs[p * obsDim + k] = obs[k];
      this.nextObs[p * obsDim + k] = nextObs[k];
    }
    for (let k = 0; k < actDim; k++) this.actions[p * actDim + k] = action[k];
    this.rewards[p] = reward;
    this.terminated[p] = terminated ? 1 : 0;
    this.pos = p + 1 === this.capacity ? 0 : p + 1;
    if (this._size < this.capacity) this._size++;
  }

  /**
   * Draw batchSize transitions uniformly with replacement. Writes into `out` if given
   * (no allocation), otherwise into an internal batch reused per batch size.
   */
  sample(batchSize: number, out?: Batch): Batch {
    checkPositiveInt(batchSize, 'ReplayBuffer: batchSize');
    if (batchSize > this._size) {
      fail(
        `ReplayBuffer.sample: not enough data: batchSize ${batchSize} > size ${this._size}`,
      );
    }
    const { obsDim, actDim } = this;
    let b = out;
    if (b === undefined) {
      b = this.batches.get(batchSize);
      if (b === undefined) {
        b = createBatch(batchSize, obsDim, actDim);
        this.batches.set(batchSize, b);
      }
    } else if (
      b.size !== batchSize ||
      b.obs.length !== batchSize * obsDim ||
      b.nextObs.length !== batchSize * obsDim ||
      b.actions.length !== batchSize * actDim ||
      b.rewards.length !== batchSize ||
      b.terminated.length !== batchSize
    ) {
      fail(
        `ReplayBuffer.sample: out batch does not match batchSize ${batchSize}, obsDim ${obsDim}, actDim ${actDim} (got size ${b.size}); use createBatch()`,
      );
    }
    for (let r = 0; r < batchSize; r++) {
      const i = this.rng.int(this._size);
      for (let k = 0; k < obsDim; k++) {
        b.obs[r * obsDim + k] = this.obs[i * obsDim + k];
        b.nextObs[r * obsDim + k] = this.nextObs[i * obsDim + k];
      }
      for (let k = 0; k < actDim; k++) b.actions[r * actDim + k] = this.actions[i * actDim + k];
      b.rewards[r] = this.rewards[i];
      b.terminated[r] = this.terminated[i];
    }
    return b;
  }

  /** Copy of the stored rows (first `size` slots), ring position and RNG state. */
  snapshot(): ReplaySnapshot {
    const n = this._size;
    return {
      capacity: this.capacity,
      obsDim: this.obsDim,
      actDim: this.actDim,
      size: n,
      pos: this.pos,
      obs: this.obs.slice(0, n * this.obsDim),
      actions: this.actions.slice(0, n * this.actDim),
      rewards: this.rewards.slice(0, n),
      nextObs: this.nextObs.slice(0, n * this.obsDim),
      terminated: this.terminated.slice(0, n),
      rng: this.rng.getState(),
    };
  }

  /** Restore a snapshot taken from a buffer with the same capacity and dims. */
  restore(s: ReplaySnapshot): void {
    if (s.capacity !== this.capacity || s.obsDim !== this.obsDim || s.actDim !== this.actDim) {
      fail(
        `ReplayBuffer.restore: shape mismatch: expected capacity ${this.capacity}, obsDim ${this.obsDim}, actDim ${this.actDim}; got ${s.capacity}, ${s.obsDim}, ${s.actDim}`,
      );
    }
    const n = s.size;
    if (!Number.isInteger(n) || n < 0 || n > this.capacity) {
      fail(`ReplayBuffer.restore: invalid size ${n}`);
    }
    if (!Number.isInteger(s.pos) || s.pos < 0 || s.pos >= this.capacity || (n < this.capacity && s.pos !== n)) {
      fail(`ReplayBuffer.restore: invalid ring position ${s.pos} for size ${n}`);
    }
    const lens: [string, ArrayLike<number>, number][] = [
      ['obs', s.obs, n * this.obsDim],
      ['actions', s.actions, n * this.actDim],
      ['rewards', s.rewards, n],
      ['nextObs', s.nextObs, n * this.obsDim],
      ['terminated', s.terminated, n],
    ];
    for (const [name, arr, len] of lens) {
      if (arr?.length !== len) fail(`ReplayBuffer.restore: ${name} has wrong length: expected ${len}, got ${arr?.length}`);
      for (let i = 0; i < len; i++) if (!Number.isFinite(arr[i])) fail(`ReplayBuffer.restore: ${name} holds ${arr[i]} at index ${i}`);
    }
    for (let i = 0; i < n; i++) {
      if (s.terminated[i] !== 0 && s.terminated[i] !== 1) fail(`ReplayBuffer.restore: terminated holds ${s.terminated[i]} at index ${i}; flags are 0 or 1`);
    }
    this.rng.setState(s.rng);
    this.obs.set(s.obs);
    this.actions.set(s.actions);
    this.rewards.set(s.rewards);
    this.nextObs.set(s.nextObs);
    this.terminated.set(s.terminated);
    this.obs.fill(0, n * this.obsDim);
    this.actions.fill(0, n * this.actDim);
    this.rewards.fill(0, n);
    this.nextObs.fill(0, n * this.obsDim);
    this.terminated.fill(0, n);
    this._size = n;
    this.pos = s.pos;
  }
}
