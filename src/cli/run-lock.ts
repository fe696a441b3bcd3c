// One run folder, one writer. `train` holds DIR/.lock for as long as it writes into DIR: created exclusively
// (O_EXCL), holding { pid, host, started }. A second process finds it and is refused, naming the holder —
// unless the holder is gone (same host, its pid no longer alive: a kill -9 leaves the file behind), in which
// case the lock is stale and taken over. Taking over is itself serialised by a second exclusive file,
// DIR/.lock.break: without it, two processes finding the same stale lock at once could each remove it — the
// second removing the fresh lock the first had just created — and both would write. Taking the lock also removes
// the temp files that killed writes left (`.<name>.<pid>.tmp`, see src/checkpoint/file.ts) of processes that are
// no longer alive.
import { closeSync, openSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describeFileError } from '../checkpoint/file.js';
import { UsageError } from './flags.js';

export const LOCK_FILE = '.lock';
const BREAK_FILE = '.lock.break';

interface LockInfo { pid: number; host: string; started: string }

/** True if a process with this pid exists on this machine (EPERM: it exists but belongs to someone else). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(path: string): LockInfo | undefined {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as LockInfo;
    return Number.isInteger(v?.pid) && typeof v.host === 'string' ? v : undefined;
  } catch {
    return undefined; // unreadable or half-written: treated as stale below only if old enough to be abandoned
  }
}

/** Takes DIR's lock or throws a UsageError naming the process that holds it. Returns the release function. */
export function acquireRunLock(dir: string): () => void {
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 20; attempt++) {
    if (attempt > 2) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5); // another process is taking it over
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), started: new Date().toISOString() }));
      closeSync(fd);
      removeStaleTempFiles(dir);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off('exit', release);
        try { if (readLock(path)?.pid === process.pid) unlinkSync(path); } catch { /* already gone */ }
      };
      process.on('exit', release);
      return release;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw describeFileError(e, 'lock the run folder', dir);
      const holder = readLock(path);
      if (holder && (holder.host !== hostname() || alive(holder.pid))) {
        throw new UsageError(`${dir} is in use by process ${holder.pid} on ${holder.host} (since ${holder.started}): ` +
          'one run folder takes one writer; wait for it to finish or stop it, then resume with --resume');
      }
      const age = Date.now() - (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0);
      if (!holder && age < 5000) {
        throw new UsageError(`${dir} is being locked by another process right now (${path}); try again in a moment`);
      }
      breakStaleLock(dir, path, holder); // stale: its process is gone (or it never finished writing the lock)
    }
  }
  throw new UsageError(`${dir}: could not take the run folder's lock (${path}); another process keeps taking it`);
}

/** Removes the stale lock `holder` (undefined: unreadable) — only if it is still that lock once this process
 *  holds DIR/.lock.break, so a lock another process has just taken over is never removed. A break file left by a
 *  killed process (its pid not alive) is removed first; one held by a live process means "try again". */
function breakStaleLock(dir: string, path: string, holder: LockInfo | undefined): void {
  const breakPath = join(dir, BREAK_FILE);
  let fd: number;
  try {
    fd = openSync(breakPath, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw describeFileError(e, 'lock the run folder', dir);
    const breaker = readLock(breakPath);
    const age = Date.now() - (statSync(breakPath, { throwIfNoEntry: false })?.mtimeMs ?? 0);
    if (breaker ? breaker.host === hostname() && !alive(breaker.pid) : age > 5000) rmSync(breakPath, { force: true });
    return; // the caller tries again
  }
  try {
    writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), started: new Date().toISOString() }));
    closeSync(fd);
    const now = readLock(path);
    if (JSON.stringify(now) === JSON.stringify(holder)) rmSync(path, { force: true });
  } finally {
    rmSync(breakPath, { force: true });
  }
}

/** Deletes `.<name>.<pid>.tmp` files in DIR whose writing process is not alive. */
export function removeStaleTempFiles(dir: string): string[] {
  const removed: string[] = [];
  for (const name of readdirSync(dir)) {
    const m = /^\..+\.(\d+)\.tmp$/.exec(name);
    if (!m || Number(m[1]) === process.pid || alive(Number(m[1]))) continue;
    rmSync(join(dir, name), { force: true });
    removed.push(name);
  }
  return removed;
}
