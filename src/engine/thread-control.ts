// The threaded engine's control block, the one definition shared by both sides: src/engine/threads.ts
// allocates it in the arena and starts the workers, assembly/thread-sync.ts and assembly/thread-loop.ts
// read and write it (AssemblyScript compiles this file too: plain enums and integer constants only).
// It is THREAD_CONTROL_BYTES of shared memory: ThreadWord i32 words, the job's arguments from word
// JOB_ARGS_WORD on, and the first failing worker's error message (UTF-8) at THREAD_MESSAGE_OFFSET.
export const THREAD_CONTROL_BYTES = 512;
export const JOB_ARGS_WORD = 32;
export const THREAD_MESSAGE_OFFSET = 256;
export const THREAD_MESSAGE_BYTES = 256;
/** Per-thread scratch: the packed A panel of the dW GEMM (8 KiB), the running row of rowTimesMatrix (2 KiB),
 *  the packed kernel variants' A and B panels (8 KiB, 128 KiB) — assembly/thread-loop.ts lays them out. */
export const THREAD_SCRATCH_BYTES = 163840;
/** The most threads one engine runs (the calling thread included). */
export const MAX_THREADS = 64;
/** ThreadWord.Failed when the calling thread gave up waiting for a split job's parts (ThreadWord.StallMs)… */
export const THREADS_STALLED = -2;
/** …and when it gave up after twice StallMs on a worker that never finished recording its own failure (−1). */
export const THREADS_STALLED_REPORTING = -3;
/** The most parts a thread's share of a job is cut into (ThreadWord.PartsPerThread ≤ this). */
export const MAX_PARTS_PER_THREAD = 64;

export enum ThreadWord {
  /** Bumped by the calling thread to hand out a job (workers wait on it). */
  Generation = 0,
  /** Parts of the current job finished (by any thread). */
  Done = 1,
  /** 1: workers return from their loop at the next generation. */
  Quit = 2,
  /** 0, or 1 + the index of the first worker that threw (its message is at THREAD_MESSAGE_OFFSET), −1 while that
   *  worker writes its message, or THREADS_STALLED(_REPORTING) (the calling thread gave up waiting: StallMs). */
  Failed = 3,
  /** Threads taking part, the calling thread included. */
  Threads = 4,
  /** Workers asleep in wait32 on Generation (the caller notifies only when there are any). */
  Sleepers = 5,
  /** 1 while the calling thread sleeps in wait32 on Done. */
  CallerWaiting = 6,
  /** The job (ThreadJob). */
  Job = 7,
  /** A GEMM is split only when m·n·k ≥ this; an elementwise update only when its length ≥ MinElements. */
  MinWork = 8,
  MinElements = 9,
  /** Spin iterations before sleeping: the caller waiting for workers, a worker waiting for a job. */
  CallerSpins = 10,
  WorkerSpins = 11,
  /** Jobs run split so far (a statistic: tests check that splitting happened). */
  SplitJobs = 12,
  /** Non-finite flags of the parts of an adamStep / polyak job, OR-ed. */
  NonFinite = 13,
  /** The current job's claim word, (back << 16) | front: the parts not yet claimed are front … back − 1. The
   *  calling thread claims from the front, workers from the back, with one atomic add each (any thread may
   *  take any part, and each thread takes the same end of every job: its blocks stay in its own cache). */
  Claims = 14,
  /** Parts computed by workers so far (a statistic: with `SplitJobs`, how much ran in parallel). */
  WorkerParts = 15,
  /** 1: the caller takes any part no worker has claimed yet (dynamic schedule, the default); 0: it computes
   *  part 0 only and waits for the workers' parts (static schedule). */
  CallerSteals = 16,
  /** A job is cut into at most PartsPerThread parts per thread (when it is big enough): a thread whose core
   *  runs slower — a busy host — then claims fewer of them instead of holding the others up. */
  PartsPerThread = 17,
  /** Parts of the split jobs so far (a statistic: SplitParts ÷ SplitJobs is the mean part count). */
  SplitParts = 18,
  /** The current job's part count. */
  Parts = 19,
  /** The calling thread gives up on a split job after about this many ms in wait32 with no part finishing: a
   *  worker that stopped without a word (a Web Worker the browser terminated) is then an error, not a hang. */
  StallMs = 20,
}

export enum ThreadJob {
  /** gemm (= or +=) over a block of rows or columns, not on the chunked packed-A path. */
  Gemm = 1,
  /** gemm on the chunked packed-A (dW) path over a block of rows or columns. */
  GemmPacked = 2,
  /** gemmDerivative over a block of rows. */
  GemmDerivative = 3,
  Adam = 4,
  Polyak = 5,
  /** gemmBiasRelu over a block of rows or columns. */
  GemmBias = 6,
}

/** The arguments of a GEMM job, words from JOB_ARGS_WORD on. */
export enum GemmArg { M = 0, N, K, A, Ars, Acs, B, Ldb, C, Ldc, Accumulate, Bias, Relu, H, HCols, HAct, RowParts, ColParts }

/** The arguments of an Adam or Polyak job (f32 hyperparameters stored as float bits). */
export enum UpdateArg { P = 0, G, M, V, N, Beta1, Beta2, Eps, WeightDecay, StepSize, InvSqrtBc2, Tau }
