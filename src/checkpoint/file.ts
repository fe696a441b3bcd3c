// Node-only checkpoint files: atomic writes (temp file in the same folder, fsync, rename, fsync the folder),
// so a crash at any instant leaves either the previous file or the new one, never a torn one; reads that check
// the prefix (magic, version, header length) against the file's size before reading a large file whole; and
// file-system failures reported in plain words, naming the path.
import { closeSync, fstatSync, fsyncSync, openSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CheckpointError, decodeCheckpoint, decodeHeader, encodeCheckpoint, MAGIC, READABLE_VERSIONS, type CheckpointContent } from './format.js';

const PLAIN: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exceeded',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'the operation is not permitted',
  ENOENT: 'the folder does not exist',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'it is a folder',
  EMFILE: 'too many files are open',
  EIO: 'an input/output error occurred',
};

/** A file-system error as a sentence naming the path: "cannot write runs/a/checkpoint.ddpg: the disk is full (ENOSPC)". */
export function describeFileError(e: unknown, doing: string, path: string): Error {
  const code = (e as NodeJS.ErrnoException)?.code;
  const what = code && PLAIN[code] ? `${PLAIN[code]} (${code})` : (e as Error)?.message ?? String(e);
  return Object.assign(new Error(`cannot ${doing} ${path}: ${what}`), { code, cause: e });
}

export function writeFileAtomic(path: string, bytes: Uint8Array): void {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.tmp`);
  let fd: number;
  try {
    fd = openSync(tmp, 'w');
  } catch (e) {
    throw describeFileError(e, 'write', path);
  }
  try {
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    try { unlinkSync(tmp); } catch { /* already gone */ }
    throw describeFileError(e, 'write', path);
  }
  closeSync(fd);
  try {
    renameSync(tmp, path);
  } catch (e) {
    try { unlinkSync(tmp); } catch { /* already gone */ }
    throw describeFileError(e, 'write', path);
  }
  try {
    const dfd = openSync(dir, 'r');
    try { fsyncSync(dfd); } finally { closeSync(dfd); }
  } catch { /* some platforms cannot fsync a directory */ }
}

export function saveCheckpoint(path: string, content: CheckpointContent): void {
  writeFileAtomic(path, encodeCheckpoint(content));
}

const PREFIX = 20;

export function loadCheckpoint(path: string): CheckpointContent {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new CheckpointError(path, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    const size = fstatSync(fd).size;
    const prefix = Buffer.alloc(Math.min(PREFIX, size));
    readSync(fd, prefix, 0, prefix.length, 0);
    // The prefix and the header first: a file that is not a checkpoint, or not of the size its header says, is
    // refused without being read whole.
    if (size >= 8 && prefix.subarray(0, 8).toString('latin1') !== MAGIC) {
      throw new CheckpointError(path, `wrong magic ${JSON.stringify(prefix.subarray(0, 8).toString('latin1'))}, expected "${MAGIC}" — not a ddpg-wasm checkpoint`);
    }
    if (size >= PREFIX) {
      const version = prefix.readUInt32LE(8), headerLength = prefix.readUInt32LE(12);
      if (!READABLE_VERSIONS.includes(version)) {
        throw new CheckpointError(path, `format version ${version} is not supported (this ddpg-wasm reads versions ${READABLE_VERSIONS.join(' and ')})`);
      }
      if (PREFIX + headerLength > size) throw new CheckpointError(path, `file is truncated: header needs ${headerLength} bytes, only ${size - PREFIX} present`);
      const head = Buffer.alloc(PREFIX + headerLength);
      readSync(fd, head, 0, head.length, 0);
      const { fileSize } = decodeHeader(new Uint8Array(head.buffer, head.byteOffset, head.length), path);
      if (fileSize !== size) {
        throw new CheckpointError(path, size < fileSize ? `file is truncated: ${size} bytes, its header describes ${fileSize}`
          : `file has ${size - fileSize} unexpected bytes after the payload (${size} bytes, its header describes ${fileSize})`);
      }
    }
    const bytes = new Uint8Array(size);
    let off = 0;
    while (off < size) {
      const n = readSync(fd, bytes, off, size - off, off);
      if (n === 0) break;
      off += n;
    }
    return decodeCheckpoint(bytes.subarray(0, off), path);
  } catch (e) {
    if (e instanceof CheckpointError) throw e;
    throw new CheckpointError(path, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  } finally {
    closeSync(fd);
  }
}
