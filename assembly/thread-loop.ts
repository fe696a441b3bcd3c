// A worker thread's life (build/engine-threads.wasm): src/engine/threads.ts instantiates the module once
// more in a worker, on the same shared memory, and calls threadLoop, which returns only when the engine
// closes. For each job it claims parts of what the calling thread split (gemm.ts runSplit, optim.ts) until
// none is left — about its share; fewer when its core is slower than the caller's.
import { waitForJob, claimBack, partsOf, partDone, quitRequested, jobOf, argsOf, reportNonFinite, NO_PART } from './thread-sync';
import { runPart } from './thread-jobs';
import { usePackBuffer } from './gemm';
import { useRowBuffer } from './gemm-row';
import { usePanelBuffers } from './gemm-packed';
import { ThreadWord } from '../src/engine/thread-control';

export function threadLoop(ctl: usize, index: i32, scratch: usize): void {
  // This thread's scratch (THREAD_SCRATCH_BYTES): the dW panel 8 KiB, the running row 2 KiB (at 8 KiB), the
  // packed variants' A panel 8 KiB (at 16 KiB) and B panels 128 KiB (at 24 KiB).
  usePackBuffer(scratch);
  useRowBuffer(scratch + 8192);
  usePanelBuffers(scratch + 16384, scratch + 24576);
  const args = argsOf(ctl);
  // Generation 0: the control block as allocated, before any job. Not the generation read now: the caller may
  // hand out its first job between this worker's 'ready' and this line (one busy CPU), and a worker that took
  // that job's generation as already seen would wait for the next one — forever with the static schedule,
  // whose caller waits for the worker's parts.
  let seen = 0;
  while (true) {
    seen = waitForJob(ctl, seen);
    if (quitRequested(ctl)) return;
    for (let part = claimBack(ctl); part != NO_PART; part = claimBack(ctl)) {
      // job and part count read after the claim: a late claim may be a newer job's
      reportNonFinite(ctl, runPart(jobOf(ctl), args, part, partsOf(ctl)));
      atomic.add<i32>(ctl + (<usize>ThreadWord.WorkerParts << 2), 1);
      partDone(ctl);
    }
  }
}
