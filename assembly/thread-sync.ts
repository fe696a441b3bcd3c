// Handing one job to N threads and waiting for it, over the control block of src/engine/thread-control.ts.
// Only the build with threads (ASC_FEATURE_THREADS, build/engine-threads.wasm) takes these paths; in the
// other builds every `if (ASC_FEATURE_THREADS)` below is a static branch that is not even compiled.
//
// The calling thread (the one JS calls the engine on) writes the job's arguments with plain stores, then
// bumps Generation (seq-cst): a worker that sees the new generation sees the arguments. A job has from one
// part per thread up to PartsPerThread parts per thread, by its size (partsFor; split along output rows or
// columns only, so no sum changes its order and the result is the same bits for any thread and part count).
// Every thread claims parts with one atomic add on the Claims word until none is left, computes each and
// bumps Done — the caller from the front (parts 0, 1, …), the workers from the back (parts − 1, parts − 2, …) —
// so a worker the OS has not scheduled yet costs nothing, a thread on a slower core (a busy host) takes fewer
// parts, and from one job to the next each thread computes the same end of its outputs, which the next job
// reads from that thread's cache (the caller takes what nobody claimed; with the static schedule,
// CallerSteals 0, it computes part 0 only). The caller then waits for Done = parts. Waiting is a spin on an
// atomic load, then wait32 — the other side calls notify only when someone sleeps (Sleepers, CallerWaiting),
// so a busy update costs no syscalls. A claim is valid when front < back in the value the add returned;
// front only grows and back only shrinks within a job, so a claim made after a job ran out is invalid
// whatever the next job is, and a valid claim is a part of the current job (its arguments are written
// before Claims is reset).
import { ThreadWord as W, JOB_ARGS_WORD, THREADS_STALLED, THREADS_STALLED_REPORTING } from '../src/engine/thread-control';

/** The control block (0: this instance runs alone) and the thread count, set by threadsInit on the caller. */
let control: usize = 0;
let threadCount: i32 = 1;
/** The current job's part count (caller side). */
let jobParts: i32 = 1;
/** What a claim returns when the job has no part left. */
export const NO_PART: i32 = 1 << 30;

export function threadsInit(ctl: usize, threads: i32): void {
  control = ctl;
  threadCount = threads;
}

@inline export function threads(): i32 {
  return ASC_FEATURE_THREADS ? threadCount : 1;
}

@inline function word(ctl: usize, w: W): usize {
  return ctl + (<usize>w << 2);
}

/** The job's argument words (caller side). */
@inline export function jobArgs(): usize {
  return argsOf(control);
}

@inline export function argsOf(ctl: usize): usize {
  return ctl + (<usize>JOB_ARGS_WORD << 2);
}

/** Whether a GEMM of m·n·k multiply-adds is worth splitting (always false without threads). */
@inline export function splitGemm(m: i32, n: i32, k: i32): bool {
  if (!ASC_FEATURE_THREADS) return false;
  if (threadCount < 2) return false;
  return <i64>m * <i64>n * <i64>k >= <i64>minWork();
}

/** How many parts a job of `work` units is cut into, given `unit`, the work worth one part (the split
 *  threshold): work / unit, but at least one per thread and at most PartsPerThread per thread. */
export function partsFor(work: i64, unit: i64): i32 {
  const t = threadCount, most = t * load<i32>(word(control, W.PartsPerThread));
  const p = work / max<i64>(unit, 1);
  return p >= <i64>most ? max(most, t) : max(<i32>p, t);
}

/** The split threshold of elementwise updates (floats). */
@inline export function minElements(): i32 {
  return load<i32>(word(control, W.MinElements));
}

/** The split threshold of GEMMs (m·n·k). */
@inline export function minWork(): i32 {
  return load<i32>(word(control, W.MinWork));
}

/** Whether an elementwise update over n floats is worth splitting. */
@inline export function splitElements(n: i32): bool {
  if (!ASC_FEATURE_THREADS) return false;
  if (threadCount < 2) return false;
  return n >= minElements();
}

/** Caller: hands out the job whose arguments are written, in `parts` parts (workers start on it). */
export function beginJob(job: i32, parts: i32): void {
  if (!ASC_FEATURE_THREADS) return;
  const ctl = control;
  jobParts = parts;
  store<i32>(word(ctl, W.Job), job);
  atomic.store<i32>(word(ctl, W.NonFinite), 0);
  atomic.store<i32>(word(ctl, W.Done), 0);
  const front = load<i32>(word(ctl, W.CallerSteals)) != 0 ? 0 : 1; // static: part 0 is the caller's
  atomic.store<i32>(word(ctl, W.Parts), parts);
  atomic.store<i32>(word(ctl, W.Claims), (parts << 16) | front);
  atomic.add<i32>(word(ctl, W.Generation), 1);
  if (atomic.load<i32>(word(ctl, W.Sleepers)) > 0) atomic.notify(word(ctl, W.Generation), threadCount);
}

/** Caller: waits until every part of the job is done; traps if a worker failed (src/engine/threads.ts turns
 *  the trap into an error naming the worker and its message). Returns the OR of the parts' non-finite flags. */
export function endJob(): i32 {
  if (!ASC_FEATURE_THREADS) return 0;
  const ctl = control, need = jobParts, done = word(ctl, W.Done);
  const spinLimit = load<i32>(word(ctl, W.CallerSpins)), stallMs = load<i32>(word(ctl, W.StallMs));
  let spins = 0, waits = 0, seen = -1;
  while (true) {
    const d = atomic.load<i32>(done);
    if (atomic.load<i32>(word(ctl, W.Failed)) > 0) unreachable();
    if (d >= need) break;
    // Spin first (a part in progress usually ends within it), then sleep — and once asleep, never spin again:
    // a worker still busy after the spin is slow or off its core, which spinning would take from it.
    if (spins < spinLimit) { spins++; continue; }
    if (d != seen) { seen = d; waits = 0; } // a part finished: the stall clock starts again
    // About stallMs ms asleep with no part finishing: a worker stopped without throwing (terminated, killed).
    // Recorded unless a worker is recording its own failure right now (Failed −1: the next look traps on it);
    // still −1 after twice as long, that worker was stopped in the middle of it.
    if (waits >= stallMs) {
      const failedWord = word(ctl, W.Failed);
      if (atomic.cmpxchg<i32>(failedWord, 0, THREADS_STALLED) == 0) unreachable();
      if (waits - stallMs >= stallMs && atomic.cmpxchg<i32>(failedWord, -1, THREADS_STALLED_REPORTING) == -1) unreachable();
    }
    atomic.store<i32>(word(ctl, W.CallerWaiting), 1);
    memory.atomic.wait32(done, d, 1_000_000); // 1 ms at most, then look again (Failed too)
    atomic.store<i32>(word(ctl, W.CallerWaiting), 0);
    waits++;
  }
  store<i32>(word(ctl, W.SplitJobs), load<i32>(word(ctl, W.SplitJobs)) + 1);
  store<i32>(word(ctl, W.SplitParts), load<i32>(word(ctl, W.SplitParts)) + need);
  return atomic.load<i32>(word(ctl, W.NonFinite));
}

/** A part's non-finite flag, OR-ed into the job's (any thread). */
export function reportNonFinite(ctl: usize, flag: i32): void {
  if (!ASC_FEATURE_THREADS) return;
  if (flag != 0) atomic.or<i32>(word(ctl, W.NonFinite), flag);
}

/** Worker: waits for a generation other than `seen` and returns it. */
export function waitForJob(ctl: usize, seen: i32): i32 {
  if (!ASC_FEATURE_THREADS) return seen;
  const gen = word(ctl, W.Generation);
  const spinLimit = load<i32>(word(ctl, W.WorkerSpins));
  let spins = 0;
  while (true) {
    const g = atomic.load<i32>(gen);
    if (g != seen) return g;
    // Spin right after a job (the next one usually follows within it), then sleep until one comes — without
    // spinning again after each timeout, so an idle engine's workers cost no CPU. No wakeup goes astray: the
    // caller bumps Generation before it reads Sleepers and this thread counts itself in Sleepers before wait32
    // compares Generation (both seq-cst), so either the caller sees a sleeper and notifies or wait32 returns at
    // once; the 100 ms timeout is a second line of defence only.
    if (spins < spinLimit) { spins++; continue; }
    atomic.add<i32>(word(ctl, W.Sleepers), 1);
    memory.atomic.wait32(gen, seen, 100_000_000);
    atomic.sub<i32>(word(ctl, W.Sleepers), 1);
  }
}

/** Caller: claims the first unclaimed part of the current job, or NO_PART when none is left. */
function claimFront(ctl: usize): i32 {
  const claim = atomic.add<i32>(word(ctl, W.Claims), 1);
  const front = claim & 0xffff;
  return front < (claim >> 16) ? front : NO_PART;
}

/** Worker: claims the last unclaimed part of the current job, or NO_PART when none is left. */
export function claimBack(ctl: usize): i32 {
  if (!ASC_FEATURE_THREADS) return NO_PART;
  const claim = atomic.sub<i32>(word(ctl, W.Claims), 1 << 16);
  const back = claim >> 16; // arithmetic: back may go below 0 once the job has run out
  return back > (claim & 0xffff) ? back - 1 : NO_PART;
}

/** Any thread, after a valid claim: the current job's part count. */
export function partsOf(ctl: usize): i32 {
  return atomic.load<i32>(word(ctl, W.Parts));
}

/** Caller: its first part — claimed (dynamic schedule) or part 0 (static). */
export function firstCallerPart(ctl: usize): i32 {
  if (!ASC_FEATURE_THREADS) return 0;
  return load<i32>(word(ctl, W.CallerSteals)) != 0 ? claimFront(ctl) : 0;
}

/** Caller: its next part — claimed (dynamic), or NO_PART (static). */
export function nextCallerPart(ctl: usize): i32 {
  if (!ASC_FEATURE_THREADS) return NO_PART;
  return load<i32>(word(ctl, W.CallerSteals)) != 0 ? claimFront(ctl) : NO_PART;
}

/** The caller's control block (for its claims and partDone on the calling thread). */
@inline export function callerControl(): usize {
  return control;
}

/** Any thread: a claimed part is done. */
export function partDone(ctl: usize): void {
  if (!ASC_FEATURE_THREADS) return;
  const done = word(ctl, W.Done);
  atomic.add<i32>(done, 1);
  if (atomic.load<i32>(word(ctl, W.CallerWaiting)) != 0) atomic.notify(done, 1);
}

@inline export function quitRequested(ctl: usize): bool {
  return atomic.load<i32>(word(ctl, W.Quit)) != 0;
}

@inline export function jobOf(ctl: usize): i32 {
  return load<i32>(word(ctl, W.Job));
}

/** Where part t of `parts` begins when n items are split into whole groups of 2^shift items (the groups
 *  shared out evenly; the items past the last whole group belong to the last part: see partEnd). */
@inline export function partBegin(n: i32, shift: i32, t: i32, parts: i32): i32 {
  return <i32>((<i64>(n >> shift) * <i64>t) / <i64>parts) << shift;
}

/** Where part t of `parts` ends: where part t + 1 begins, and n for the last part. */
@inline export function partEnd(n: i32, shift: i32, t: i32, parts: i32): i32 {
  return t == parts - 1 ? n : partBegin(n, shift, t + 1, parts);
}
