// One split job's parts on any thread: the dispatch that the workers' loop (thread-loop.ts) and the calling
// thread (shareJob, from gemm.ts runSplit and optim.ts) both run.
import { gemmPart } from './gemm';
import { adamPart, polyakPart } from './optim';
import { beginJob, endJob, firstCallerPart, nextCallerPart, partDone, callerControl, jobArgs, NO_PART } from './thread-sync';
import { ThreadJob } from '../src/engine/thread-control';

/** Part `part` of `parts` of job `job` (its arguments at `args`); returns the part's non-finite flag (Adam,
 *  Polyak; 0 for a GEMM). */
export function runPart(job: i32, args: usize, part: i32, parts: i32): i32 {
  if (job == ThreadJob.Adam) return adamPart(args, part, parts);
  if (job == ThreadJob.Polyak) return polyakPart(args, part, parts);
  gemmPart(job, args, part, parts);
  return 0;
}

/** Caller: hands out the job whose arguments are written (jobArgs) in `parts` parts, computes every part no
 *  worker claims, waits for the rest; returns the OR of the parts' non-finite flags. */
export function shareJob(job: i32, parts: i32): i32 {
  beginJob(job, parts);
  const ctl = callerControl(), args = jobArgs();
  let flags = 0;
  for (let part = firstCallerPart(ctl); part != NO_PART; part = nextCallerPart(ctl)) {
    flags |= runPart(job, args, part, parts);
    partDone(ctl);
  }
  return endJob() | flags;
}
